/* csv.c: fuzz target for the CSV reader (util/sheet.c): the bytes as a file, read row by
 * row with small limits. Checks the row contract of sheet.h. */
#include <string.h>
#include "fuzz.h"
#include "util/sheet.h"
#include "util/sheet_int.h"

struct seen {
    int64_t last_row;
    int64_t rows;
};

static int on_row(void *ctx, const struct sheet_row *r)
{
    struct seen *s = ctx;
    fuzz_check(r->row > s->last_row, "sheet_read: row numbers do not increase");
    fuzz_check(r->n >= 0 && r->n <= 300, "sheet_read: cell count out of range");
    for (int i = 0; i < r->n; i++) {
        fuzz_check(r->cells[i] != NULL, "sheet_read: a NULL cell");
        fuzz_check(strlen(r->cells[i]) <= 4096, "sheet_read: a cell over the limit");
        fuzz_check(r->number[i] == 0, "sheet_read: a CSV cell flagged as a number");
    }
    /* the last cell delivered is not empty ("last non-empty column + 1") */
    fuzz_check(r->n == 0 || r->cells[r->n - 1][0] != 0, "sheet_read: trailing empty cells delivered");
    s->last_row = r->row;
    return ++s->rows >= 100000; /* enough: stop early, as a caller may */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return 0; /* that is the xlsx target's */
    const char *path = fuzz_file(data, size, ".csv");
    struct seen s = {0, 0};
    char err[256] = "";
    int rc = sheet_read_limited(path, on_row, NULL, &s, err, sizeof err, fuzz_sheet_limits());
    fuzz_check(rc >= -1, "sheet_read: unknown result");
    fuzz_check(rc != -1 || err[0], "sheet_read: failed without a message");
    return 0;
}
