/* xlsx.c: fuzz target for the XLSX reader (util/sheet_xlsx.c): a workbook built from the
 * input's parts (fuzz_xlsx: the XML is mutated, the zip around it stays whole), read
 * row by row with small limits. Checks the row contract of sheet.h. */
#include <string.h>
#include "fuzz.h"
#include "util/sheet.h"
#include "util/sheet_int.h"

struct seen {
    int64_t last_row;
};

static int on_row(void *ctx, const struct sheet_row *r)
{
    struct seen *s = ctx;
    fuzz_check(r->row > s->last_row, "sheet_read: row numbers do not increase");
    fuzz_check(r->n >= 0 && r->n <= 300, "sheet_read: cell count out of range");
    for (int i = 0; i < r->n; i++) {
        fuzz_check(r->cells[i] != NULL, "sheet_read: a NULL cell");
        fuzz_check(strlen(r->cells[i]) <= 4096, "sheet_read: a cell over the limit");
    }
    s->last_row = r->row;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_xlsx(data, size);
    if (!path)
        return 0;
    (void)sheet_sniff(path);
    struct seen s = {0};
    char err[256] = "";
    int rc = sheet_read_limited(path, on_row, NULL, &s, err, sizeof err, fuzz_sheet_limits());
    fuzz_check(rc == 0 || rc == -1, "sheet_read: unknown result");
    fuzz_check(rc == 0 || err[0], "sheet_read: failed without a message");
    return 0;
}
