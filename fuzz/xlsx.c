/* xlsx.c: fuzz target for the XLSX reader (util/sheet_xlsx.c): a workbook built from the
 * input's parts (fuzz_xlsx: the XML is mutated, the zip around it stays whole), read
 * row by row with small limits. Checks the row contract of sheet.h. */
#include <string.h>
#include "fuzz.h"
#include "util/sheet.h"
#include "util/sheet_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_xlsx(data, size);
    if (!path)
        return 0;
    (void)sheet_sniff(path);
    struct fuzz_rows s = {.csv = false};
    char err[256] = "";
    int rc = sheet_read_limited(path, fuzz_sheet_row, NULL, &s, err, sizeof err, fuzz_sheet_limits());
    fuzz_check(rc >= -1, "sheet_read: unknown result");
    fuzz_check(rc != -1 || err[0], "sheet_read: failed without a message");
    return 0;
}
