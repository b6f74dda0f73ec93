/* import.c: fuzz target for the spreadsheet import (service/import_service.c) on the demo
 * database: the whole path of `dvk import` and /models/import — reading, finding the
 * header and the columns, checking every row, writing all or nothing — and its report.
 * Input: one byte of options (bit 0 a dry run, bit 1 staff of a province rather than the
 * system, bit 2 the file is an XLSX built by fuzz_xlsx), then the file.
 * Checks: all or nothing (a refused or dry import leaves the models as they were), and
 * every problem kept is in the JSON report, whose texts are valid UTF-8. */
#include <string.h>
#include "fuzz.h"
#include "service/import_service.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++, size--;
    const char *path = opt & 4 ? fuzz_xlsx(data, size) : fuzz_file(data, size, ".csv");
    if (!path)
        return 0;
    struct store *st = fuzz_store();
    struct actor a;
    fuzz_actor(st, opt & 2 ? 0 : -1, &a);
    int64_t before = 0, after = 0;
    fuzz_check(st->ops->model_count(st, &before) == ST_OK, "model_count failed");

    struct import_opts o = {.dry_run = opt & 1, .name = "fuzz.csv"};
    struct import_report r;
    int rc = svc_models_import(st, &a, path, &o, &r);
    fuzz_check(rc == SVC_OK || rc == SVC_INVALID || rc == SVC_FORBIDDEN, "svc_models_import: an internal error");
    fuzz_check(st->ops->model_count(st, &after) == ST_OK, "model_count failed");
    if (rc != SVC_OK || o.dry_run)
        fuzz_check(after == before && !r.written, "import: not all or nothing");
    else
        fuzz_check(r.written && after == before + r.created, "import: written but the count is not");
    fuzz_check(r.nkept <= IMPORT_PROBLEMS_KEPT && r.nkept <= r.nproblems, "import: problems kept out of range");
    fuzz_check(rc != SVC_INVALID || r.nproblems > 0, "import: refused without a problem");

    for (int lang = 0; lang < 3; lang++) {
        json_t *j = import_report_json(&r, lang);
        fuzz_check(j != NULL, "import_report_json: no report");
        fuzz_check(json_array_size(json_object_get(j, "problems")) == (size_t)r.nkept,
                   "import_report_json: a problem is missing from the report");
        fuzz_check(json_array_size(json_object_get(j, "ignored_columns")) == (size_t)r.nignored,
                   "import_report_json: an ignored column is missing from the report");
        json_decref(j);
    }
    for (int i = 0; i < r.nkept; i++) {
        char text[512];
        import_problem_text(&r.problems[i], 0, text, sizeof text);
        fuzz_check(text_valid(text, strlen(text)), "import_problem_text: not valid text");
    }
    import_report_free(&r);
    fuzz_store_end(st);
    return 0;
}
