/* cmd_import.c: dvk import (models from an office's CSV or XLSX file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "service/export_service.h"
#include "service/import_service.h"
#include "util/text.h"

/* The language of messages: --lang, else the locale's (LC_ALL, LC_MESSAGES, LANG), else Vietnamese. */
int cli_lang(const char *given)
{
    if (given)
        return lang_parse(given, strlen(given));
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            int l = lang_parse(v, strcspn(v, "_.@"));
            return l >= 0 ? l : LANG_VI;
        }
    }
    return LANG_VI;
}

struct bar {
    bool tty;
    int lang;
    time_t last;
};

/* A bar on a terminal; nothing when stderr is a file or a pipe. */
static void progress(void *ctx, uint64_t done, uint64_t total, int64_t rows)
{
    struct bar *b = ctx;
    if (!b->tty)
        return;
    time_t now = time(NULL);
    if (now == b->last && done < total)
        return;
    b->last = now;
    int pct = total ? (int)(done * 100 / total) : 0;
    char n[32];
    fmt_number(b->lang, (double)rows, n, sizeof n);
    char bar[31];
    for (int i = 0; i < 30; i++)
        bar[i] = i < pct * 30 / 100 ? '#' : '.';
    bar[30] = 0;
    fprintf(stderr, "\r[%s] %3d%%  %s %s", bar, pct, n, T(b->lang, "rows"));
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* After the bar: the rows are read, and the indexes are being built (a minute for a million). */
static void saving(void *ctx)
{
    struct bar *b = ctx;
    if (!b->tty)
        return;
    fprintf(stderr, "%s\n", T(b->lang, "Saving: building the indexes and the search index…"));
    fflush(stderr);
}

static const char import_syn[] = "dvk import --db PATH [--dry-run] [--lang vi|en|sv] FILE\n";
static const char *const import_desc[] = {
    N_("Creates or updates models from a CSV or XLSX file, all or nothing."),
    N_("Columns are found by their headers (Vietnamese or English, with or without diacritics)."),
    N_("--dry-run lists every problem by row and column and writes nothing."),
    N_("Exit status: 0 imported (or a clean dry run), 1 problems found, 2 bad usage."),
    NULL};

int cmd_import(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_usage(stdout, -1, import_syn, import_desc);
        return 0;
    }
    const char *db = opt(argc, argv, "--db"), *lang_s = opt(argc, argv, "--lang");
    bool dry = flag(argc, argv, "--dry-run");
    const char *file = NULL;
    for (int i = 1; i < argc; i++)
        if (argv[i] && argv[i][0] != '-' && !file) {
            file = argv[i];
            argv[i] = NULL;
        }
    if (leftovers(argc, argv, "import"))
        return 2;
    int lang = cli_lang(lang_s);
    if (!db || !file || lang < 0) {
        cli_usage(stderr, lang, import_syn, NULL);
        return 2;
    }
    i18n_init();
    if (access(file, R_OK) != 0) {
        fprintf(stderr, "dvk import: %s: %s\n", file, T(lang, "The file cannot be read."));
        return 1;
    }
    struct store *st = store_open(db);
    if (!st)
        return 1;
    struct actor sys;
    actor_system(&sys);
    struct bar b = {isatty(2), lang, 0};
    const char *base = strrchr(file, '/');
    char name[256];
    snprintf(name, sizeof name, "%s", base ? base + 1 : file);
    text_sanitize(name); /* a file name is bytes; the audit trail keeps text */
    struct import_opts o = {dry, name, progress, &b, saving};
    struct import_report r;
    int rc = svc_models_import(st, &sys, file, &o, &r);
    char n[5][32];
    int64_t v[5] = {r.rows, r.created, r.updated, r.unchanged, r.nproblems};
    for (int i = 0; i < 5; i++)
        fmt_number(lang, (double)v[i], n[i], sizeof n[i]);
    for (int i = 0; i < r.nkept; i++) {
        char line[512];
        import_problem_text(&r.problems[i], lang, line, sizeof line);
        printf("%s\n", line);
    }
    if (r.nproblems > r.nkept)
        printf("%s\n", T(lang, "… and more problems: fix these and run the check again."));
    for (int i = 0; i < r.nignored; i++)
        printf("%s: %s\n", T(lang, "Column not used"), r.ignored[i]);
    printf("%s: %s %s, %s %s, %s %s, %s %s, %s %s.\n",
           dry ? T(lang, "Check only, nothing written") : r.written ? T(lang, "Imported") : T(lang, "Nothing imported"), n[0],
           T(lang, "rows"), n[1], T(lang, "new"), n[2], T(lang, "updated"), n[3], T(lang, "unchanged"), n[4],
           T(lang, "problems"));
    import_report_free(&r);
    st->ops->close(st);
    if (rc == SVC_FORBIDDEN || rc == SVC_ERROR)
        return 1;
    return rc == SVC_OK ? 0 : 1;
}

static const char export_syn[] = "dvk export --db PATH [--format csv|xlsx] [--out FILE] [--lang vi|en|sv]\n"
                                 "       [--unit CODE --hierarchy 2024|2025] [--field F] [--kind K] [--status S]\n";
static const char *const export_desc[] = {
    N_("Writes the models to CSV (the default) or XLSX in the layout dvk import reads back."),
    N_("Without --out, CSV goes to standard output; XLSX needs --out."),
    NULL};

int cmd_export(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_usage(stdout, -1, export_syn, export_desc);
        return 0;
    }
    const char *db = opt(argc, argv, "--db"), *fmt = opt(argc, argv, "--format"), *out = opt(argc, argv, "--out"),
               *lang_s = opt(argc, argv, "--lang");
    struct model_query q = {0};
    q.unit = opt(argc, argv, "--unit");
    q.hierarchy = opt(argc, argv, "--hierarchy");
    q.field = opt(argc, argv, "--field");
    q.kind = opt(argc, argv, "--kind");
    q.status = opt(argc, argv, "--status");
    if (leftovers(argc, argv, "export"))
        return 2;
    int lang = cli_lang(lang_s);
    int format = !fmt || strcmp(fmt, "csv") == 0 ? EXPORT_CSV : strcmp(fmt, "xlsx") == 0 ? EXPORT_XLSX : 0;
    if (!db || !format || lang < 0 || (format == EXPORT_XLSX && !out)) {
        cli_usage(stderr, lang, export_syn, export_desc);
        return 2;
    }
    i18n_init();
    struct store *st = store_open(db);
    if (!st)
        return 1;
    struct actor sys;
    actor_system(&sys);
    int64_t n = 0;
    int rc = svc_models_export(st, &sys, &q, format, lang, out ? out : "/dev/stdout", &n);
    st->ops->close(st);
    if (rc == SVC_INVALID) {
        fprintf(stderr, "dvk export: %s\n", T(lang, "Check the filters: a value is not known."));
        return 2;
    }
    if (rc) {
        fprintf(stderr, "dvk export: %s\n", T(lang, "The file could not be written."));
        return 1;
    }
    if (out) {
        char num[32];
        fmt_number(lang, (double)n, num, sizeof num);
        fprintf(stderr, "%s: %s (%s)\n", T(lang, "Exported"), out, num);
    }
    return 0;
}
