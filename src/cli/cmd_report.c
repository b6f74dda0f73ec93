/* cmd_report.c: `dvk report NAME`, the reports of the pages and the API from the command line. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "service/report_service.h"
#include "util/buf.h"

static void usage(FILE *f)
{
    static const char *const desc[] = {
        N_("NAME: summary, by_unit, by_level, results, commendation, replication, timeseries."),
        N_("Without --unit, the whole country; without --status, recognized models."),
        N_("Without --out, JSON and CSV go to standard output (XLSX needs --out)."),
        N_("XLSX is the file an office hands in: the heading of the unit (dvk heading show),"),
        N_("\"Số N-BC/...\" with --number N (else left blank) and today's date."),
        NULL};
    cli_usage(f, -1,
              "dvk report NAME --db PATH [--unit CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
              "       [--hierarchy 2024|2025] [--status S|all] [--field F] [--kind K]\n"
              "       [--format json|csv|xlsx] [--out FILE] [--lang vi|en|sv] [--number N]\n",
              desc);
}

/* A report only reads: a mistyped path must not create an empty database and report zeros. */
static bool db_exists(const char *db)
{
    if (strncmp(db, "postgres", 8) == 0)
        return true;
    return access(strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db, F_OK) == 0;
}

static int write_all(const char *path, const char *data, size_t len)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    int rc = (w == len && fflush(f) == 0) ? 0 : -1;
    if (path && fclose(f) != 0)
        rc = -1;
    return rc;
}

int cmd_report(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *name = argv[1];
    argv[1] = NULL; /* used */
    const char *db = opt(argc, argv, "--db"), *fmt = opt(argc, argv, "--format"), *out = opt(argc, argv, "--out"),
               *lang_s = opt(argc, argv, "--lang"), *number = opt(argc, argv, "--number");
    struct report_query q = {0};
    q.unit = opt(argc, argv, "--unit");
    q.from = opt(argc, argv, "--from");
    q.to = opt(argc, argv, "--to");
    q.hierarchy = opt(argc, argv, "--hierarchy");
    q.status = opt(argc, argv, "--status");
    q.field = opt(argc, argv, "--field");
    q.kind = opt(argc, argv, "--kind");
    if (leftovers(argc, argv, "report"))
        return 2;
    int lang = cli_lang(lang_s);
    if (!fmt)
        fmt = "json";
    bool xlsx = strcmp(fmt, "xlsx") == 0;
    if (!db || lang < 0 || (strcmp(fmt, "json") && strcmp(fmt, "csv") && !xlsx) || (xlsx && !out)) {
        usage(stderr);
        return 2;
    }
    i18n_init();
    if (number && !report_number_valid(number)) {
        fprintf(stderr, "dvk report: --number: %s\n", T(lang, "The number is 1 to 6 digits."));
        return 2;
    }
    if (!db_exists(db)) {
        fprintf(stderr, "dvk report: %s: %s\n", db, T(lang, "No such database (dvk init creates one)."));
        return 1;
    }
    struct store *st = store_open(db);
    if (!st)
        return 1;
    struct actor sys;
    actor_system(&sys);
    struct report r;
    struct verrs v = {0};
    int rc = svc_report(st, &sys, name, &q, &r, &v);
    if (rc == SVC_NOTFOUND) {
        st->ops->close(st);
        fprintf(stderr, "dvk report: %s: %s\n", name, T(lang, "No such report."));
        usage(stderr);
        return 2;
    }
    if (rc == SVC_INVALID) {
        st->ops->close(st);
        for (int i = 0; i < v.n; i++)
            fprintf(stderr, "dvk report: --%s: %s\n", v.e[i].field, T(lang, v.e[i].msg));
        return 2;
    }
    if (rc) {
        st->ops->close(st);
        fprintf(stderr, "dvk report: %s\n", T(lang, "The report could not be computed."));
        return 1;
    }
    int wrc = 0;
    if (xlsx) {
        wrc = svc_report_xlsx(st, &r, lang, number, out) == SVC_OK ? 0 : -1;
    } else if (strcmp(fmt, "csv") == 0) {
        size_t len;
        char *csv = report_to_csv(&r, lang, &len);
        wrc = write_all(out, csv, len);
        free(csv);
    } else {
        json_t *j = report_to_json(&r, lang);
        char *s = json_dumps(j, JSON_INDENT(2));
        json_decref(j);
        size_t len = strlen(s);
        s = xrealloc(s, len + 2);
        memcpy(s + len, "\n", 2);
        wrc = write_all(out, s, len + 1);
        free(s);
    }
    report_free(&r);
    st->ops->close(st);
    if (wrc) {
        fprintf(stderr, "dvk report: %s\n", T(lang, "The file could not be written."));
        return 1;
    }
    return 0;
}
