/* import_service.h: models from an office's spreadsheet (CSV or XLSX), all or nothing. */
#ifndef DVK_IMPORT_SERVICE_H
#define DVK_IMPORT_SERVICE_H
#include <stdbool.h>
#include <stdint.h>
#include "service/service.h"

/* One thing wrong in the file: where (row as the spreadsheet numbers it, 0 for the file
 * itself; the column's letter and header), the value found, and why (an English msgid,
 * with detail that is not translated, e.g. candidate units). */
struct import_problem {
    int64_t row;
    char column[96];
    const char *column_msgid; /* when the file has no such column: the header it lacks (a msgid) */
    char value[128];
    const char *msg;
    char detail[256];
};
#define IMPORT_PROBLEMS_KEPT 1000

struct import_report {
    int64_t header_row;   /* 0 when none was found */
    int64_t rows;         /* data rows read (blank, numbering and total rows not counted) */
    int64_t created, updated, unchanged;
    int64_t skipped;      /* blank rows, numbering rows, section headings, totals */
    int64_t nproblems;    /* every problem found; the first IMPORT_PROBLEMS_KEPT are kept */
    struct import_problem *problems;
    int nkept;
    char **ignored;       /* headers of the columns the import does not use */
    int nignored;
    bool dry_run;
    bool written;         /* the changes were committed */
};

struct import_opts {
    bool dry_run;
    const char *name; /* the file's name as the user knows it (audit trail, messages) */
    /* Called now and then: bytes read of total, data rows so far. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total, int64_t rows);
    void *ctx;
    /* Called once every row is read and found good, as the writing ends (indexes built again,
     * the search index filled, the commit): a minute for a million rows. May be NULL. */
    void (*saving)(void *ctx);
};

/* Reads path and creates or updates the models it lists, in one transaction: when any
 * row has a problem nothing is written and every problem is reported. A dry run reports
 * the same and writes nothing. Returns SVC_OK, SVC_INVALID (problems in r), SVC_FORBIDDEN
 * (a may not import), or SVC_ERROR. */
int svc_models_import(struct store *st, const struct actor *a, const char *path, const struct import_opts *o,
                      struct import_report *r);
void import_report_free(struct import_report *r);
/* {"dry_run", "written", "header_row", "rows", "created", "updated", "unchanged", "skipped",
 *  "problems_total", "problems": [{"row", "column", "value", "message"}], "ignored_columns": [..]}
 * with messages in lang. */
json_t *import_report_json(const struct import_report *r, int lang);
/* One problem as a line in lang: "Dòng 7, cột C (Lĩnh vực) «Kinh tê»: ..." */
void import_problem_text(const struct import_problem *p, int lang, char *out, size_t outsz);

#endif
