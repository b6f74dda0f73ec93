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
    char label[80];     /* msgid (a copy: an indicator's name comes from the store) */
    char unit[16];      /* measure unit shown after the label ("m²"), or "" */
    int type;
};

enum row_type { ROW_ITEM, ROW_UNASSIGNED, ROW_TOTAL };
struct report_line {
    char key[32];       /* unit code, level, field, indicator or year */
    char name[200];     /* a unit's name, or a msgid when translate is set */
    bool translate;
    char unit[16];      /* measure unit after a translated name (indicator rows) */
    int type;
    double v[REPORT_MAX_COLS];
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
    int ntables;
    struct report_table tables[2];
    /* the summary's figures (JSON contract of issue 6) */
    int64_t total, typical, by_field[FIELD_COUNT], by_kind[KIND_COUNT], by_field_kind[FIELD_COUNT][KIND_COUNT];
};
void report_free(struct report *r);

/* Parses q, checks that a may read the unit's reports, and computes report `name`.
 * SVC_INVALID with v naming the parameter; SVC_NOTFOUND for an unknown report name;
 * SVC_FORBIDDEN for a unit outside a's scope. */
int svc_report(struct store *st, const struct actor *a, const char *name, const struct report_query *q,
               struct report *out, struct verrs *v);

/* JSON of a report: the summary's members of issue 6 for "summary", and for every report
 * "tables" with labels in lang. */
json_t *report_to_json(const struct report *r, int lang);
/* CSV (UTF-8 with a BOM, labels in lang): a title line, the parameters, then each table. */
char *report_to_csv(const struct report *r, int lang, size_t *len);
/* "Tỉnh Quảng Nam, 01/01/2024 – 31/12/2024" style heading parts, in lang. */
void report_period_text(const struct report *r, int lang, char *out, size_t outsz);
/* The label of column c ("Kinh tế", "Đất hiến (m²)"), in lang. */
void report_col_label(const struct report_col *c, int lang, char *out, size_t outsz);
/* The label of row l, in lang. */
void report_row_label(const struct report_line *l, int lang, char *out, size_t outsz);

#endif
