/* csv.c: fuzz target for the CSV reader (util/sheet.c): the bytes as a file, read row by
 * row with small limits. Checks the row contract of sheet.h. */
#include <string.h>
#include "fuzz.h"
#include "util/sheet.h"
#include "util/sheet_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return 0; /* that is the xlsx target's */
    const char *path = fuzz_file(data, size, ".csv");
    struct fuzz_rows s = {.csv = true};
    char err[256] = "";
    int rc = sheet_read_limited(path, fuzz_sheet_row, NULL, &s, err, sizeof err, fuzz_sheet_limits());
    fuzz_check(rc >= -1, "sheet_read: unknown result");
    fuzz_check(rc != -1 || err[0], "sheet_read: failed without a message");
    return 0;
}
