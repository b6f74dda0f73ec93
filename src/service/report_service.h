/* report_service.h: the seven reports of DESIGN.md, for a unit's subtree, a period, a
 * hierarchy and filters; shared by the pages, the JSON API and `dvk report`.
 *
 * A report is one or two tables (rows, columns, a totals row) that every format renders
 * the same way: HTML, SVG charts, CSV, XLSX, JSON. Counts are exact: they come from the
 * store's grouped queries (store_sqlite_report.c), folded here. */
#ifndef DVK_REPORT_SERVICE_H
#define DVK_REPORT_SERVICE_H
#include <jansson.h>
#include <stdbool.h>
#include "service/service.h"

enum report_name {
    REPORT_SUMMARY, REPORT_BY_UNIT, REPORT_BY_LEVEL, REPORT_RESULTS, REPORT_COMMENDATION, REPORT_REPLICATION,
    REPORT_TIMESERIES, REPORT_COUNT
};
extern const char *const report_names[REPORT_COUNT];  /* "summary", "by_unit", ... (URL and CLI names) */
extern const char *const report_titles[REPORT_COUNT]; /* msgids */

/* The parameters as they arrive (strings from a URL or the command line; NULL or "" = absent). */
struct report_query {
    const char *unit, *from, *to, *hierarchy, *status, *field, *kind;
};

#define REPORT_MAX_COLS 20

enum col_type { COL_COUNT, COL_SUM, COL_PERCENT };
struct report_col {
    char key[40];       /* JSON member and CSV column key: "total", "economic", "land_m2" ... */
    char label[200];    /* msgid, or an indicator's name from the catalogue: a copy, since the
                         * catalogue's rows are freed before the report is written out */
    char unit[64];      /* measure unit shown after the label ("m²"), or "" (a msgid) */
    int type;
    bool mean;          /* an indicator reported as the mean of its values (a yield) */
};

enum row_type { ROW_ITEM, ROW_UNASSIGNED, ROW_TOTAL, ROW_SELF /* the report's unit itself, above its children */ };
struct report_line {
    char key[32];       /* unit code, level, field, indicator or year */
    char name[200];     /* a unit's name, or a msgid when translate is set */
    bool translate;
    char unit[64];      /* measure unit after a translated name (indicator rows; a msgid) */
    int type;
    bool mean;          /* the row of an indicator reported as a mean (its cells are means) */
    double v[REPORT_MAX_COLS];
    double w[REPORT_MAX_COLS]; /* mean cells: how many values v holds the sum of, until means() */
};

struct report_table {
    char name[24];         /* "summary", "by_field", "by_unit" ... */
    const char *title;     /* msgid of the table's heading */
    const char *row_head;  /* msgid of the first column: "Unit", "Field", "Year" ... */
    int ncols;
    struct report_col cols[REPORT_MAX_COLS];
    int nrows;
    struct report_line *rows; /* the last one is the totals row when has_total */
    bool has_total;
    int chart_cols[4];     /* columns a chart draws (-1 ends), bars per row */
};

struct report {
    int name;
    int hierarchy;
    char unit[32];          /* "" for the whole country */
    char unit_name[160];
    int unit_level;         /* 0 for the country */
    char from[11], to[11];
    int status;             /* 0: every status but draft */
    int field, kind;
    bool limited;           /* the unit holds more than the reader's area: only the reader's models count */
    int ntables;
    struct report_table tables[2];
    /* owned: the results report's indicator columns take their labels from it */
    struct indicator *indicators;
    /* the summary's figures (JSON contract of issue 6) */
    int64_t total, typical, by_field[FIELD_COUNT], by_kind[KIND_COUNT], by_field_kind[FIELD_COUNT][KIND_COUNT];
};
void report_free(struct report *r);

/* Parses q, checks that a may read the unit's reports, and computes report `name`.
 * SVC_INVALID with v naming the parameter; SVC_NOTFOUND for an unknown report name;
 * SVC_FORBIDDEN for a unit outside a's scope. */
int svc_report(struct store *st, const struct actor *a, const char *name, const struct report_query *q,
               struct report *out, struct verrs *v);

/* The unit a's reports are about when none is asked for, in hierarchy: a's own unit or
 * where it lies in the other hierarchy; "" for the whole country. */
void report_home_unit(struct store *st, const struct actor *a, int hierarchy, char code[32]);
/* Where unit (of from_hierarchy) lies in hierarchy: itself, or its commune or province
 * there ("" when it has no place there). Provinces merged whole, so they map exactly. */
void report_unit_in(struct store *st, int from_hierarchy, const char *unit, int hierarchy, char code[32]);

/* Whether a may have reports on unit code of hierarchy ("" the whole country): a unit in
 * a's area, or, in the other hierarchy than a's, a unit that holds a's area; then *limited
 * is set, and the report counts a's models only. */
bool report_unit_allowed(struct store *st, const struct actor *a, int hierarchy, const char *code, bool *limited);

/* JSON of a report: the summary's members of issue 6 for "summary", and for every report
 * "tables" with labels in lang. */
json_t *report_to_json(const struct report *r, int lang);
/* CSV (UTF-8 with a BOM, labels in lang): a title line, the parameters, then each table. */
char *report_to_csv(const struct report *r, int lang, size_t *len);
/* "Tỉnh Quảng Nam, 01/01/2024 – 31/12/2024" style heading parts, in lang. */
void report_period_text(const struct report *r, int lang, char *out, size_t outsz);
/* The label of column c ("Kinh tế", "Đất hiến (m²)"), in lang. */
/* A cell with no value: one of a mean indicator's where no value fell (its mean is no number:
 * shown empty, null in JSON), as opposed to a sum of nothing, 0. */
bool report_cell_empty(const struct report_table *t, const struct report_line *l, int col);
void report_col_label(const struct report_col *c, int lang, char *out, size_t outsz);
/* The label of row l, in lang. */
void report_row_label(const struct report_line *l, int lang, char *out, size_t outsz);

/* ---- report files: the heading block (service/report_heading.c) ------------------------ */

/* The heading of the report files of (hierarchy, unit_code) ("" or NULL: the country):
 * the stored one, else one inferred from the unit's catalogue name (see the file's
 * comment for what is inferred). stored (may be NULL) tells which. SVC_NOTFOUND for an
 * unknown unit or hierarchy. */
int report_heading_of(struct store *st, int hierarchy, const char *unit_code, struct report_heading *out, bool *stored);
/* A heading as given (strings from the command line or JSON; NULL = empty). */
struct report_heading_in {
    int hierarchy;
    const char *unit_code, *superior, *body, *symbol, *place, *style; /* style: "party" (default) or "state" */
};
/* Checks and stores a heading (names of bodies and the symbol in capitals, NFC), audited.
 * Administrators and commission staff whose scope holds the unit (authz_heading_set).
 * SVC_NOTFOUND for an unknown unit, SVC_FORBIDDEN, SVC_INVALID with v naming the field. */
int svc_heading_set(struct store *st, const struct actor *a, const struct report_heading_in *in, struct report_heading *out,
                    struct verrs *v);
json_t *report_heading_to_json(const struct report_heading *h);
/* "Quảng Nam, ngày 05 tháng 4 năm 2025" (vi; GUIDANCE.md §3) or "Quảng Nam, 05/04/2025". */
void report_date_line(int lang, const char *place, const char *day, char *out, size_t outsz);
/* "Số 12-BC/BDVTU" (Party: no colon) or "Số: 12/BC-BDVTU" (state); without a number its
 * place is left blank, to be filled in when the document is registered. */
void report_number_line(const struct report_heading *h, int lang, const char *number, char *out, size_t outsz);

/* ---- report files: XLSX (service/report_xlsx.c) ---------------------------------------- */

/* True when s is a document number for "Số 12-BC/…": 1 to 6 digits. */
bool report_number_valid(const char *s);
/* Writes r as the XLSX an office hands in: the heading block of h (36-HD/VPTW for the
 * Party style, the state's motto otherwise) with number (NULL or "": left blank to fill
 * in by hand) and the date line of day (YYYY-MM-DD), the title and period, then each
 * table with the same labels and values as report_to_csv (numbers as numbers). 0 or -1. */
int report_to_xlsx(const struct report *r, int lang, const struct report_heading *h, const char *number,
                   const char *day, const char *path);
/* report_to_xlsx with the heading of r's unit and today's date in Vietnam. */
int svc_report_xlsx(struct store *st, const struct report *r, int lang, const char *number, const char *path);

#endif
