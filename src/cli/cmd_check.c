/* cmd_check.c: dvk check, what the database keeps counted and indexed for the reports and the
 * search, counted and indexed again and compared (store_ops.check); --repair makes it again. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "store/store.h"

static void usage(FILE *to, int lang)
{
    fprintf(to,
            "%s: dvk check --db PATH [--repair] [--lang vi|en|sv]\n"
            "%s\n",
            T(lang, "usage"),
            T(lang, "Checks the database file (SQLite's quick_check), counts again what the reports read "
                    "(models and values by group) and compares; on SQLite also the search index (the models "
                    "it holds, its words). --repair makes the counts and the search index again whole, in one "
                    "transaction: dvk's writes wait for it at most 5 seconds, so repair at a quiet time. "
                    "Exit status: 0 all matches, 1 something differs, the file is damaged or the check "
                    "failed, 2 bad usage."));
}

int cmd_check(int argc, char **argv)
{
    i18n_init();
    const char *db = opt(argc, argv, "--db"), *lang_s = opt(argc, argv, "--lang");
    bool repair = flag(argc, argv, "--repair");
    int lang = cli_lang(lang_s);
    if (lang < 0) {
        fprintf(stderr, "dvk check: %s\n", T(cli_lang(NULL), "--lang takes vi, en or sv"));
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (argv[i] && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
            usage(stdout, lang);
            return 0;
        }
    if (leftovers(argc, argv, "check"))
        return 2;
    if (!db || !*db) {
        usage(stderr, lang);
        return 2;
    }
    bool pg = strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
    const char *path = strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
    /* before opening: opening migrates (writes), and would make a database of an empty one */
    bool damaged = false;
    int pre = store_precheck(db, &damaged);
    if (pre == ST_NOTFOUND) {
        fprintf(stderr, "dvk check: %s: %s\n", pg ? "postgresql" : path, T(lang, "No dvk database here."));
        return 2;
    }
    if (pre != ST_OK) {
        fprintf(stderr, "dvk check: %s\n", T(lang, "The check failed; nothing was changed."));
        return 1;
    }
    if (!pg)
        printf("%s: %s\n", T(lang, "Database file (SQLite's quick_check)"), T(lang, damaged ? N_("damaged") : N_("no damage found")));
    if (damaged) {
        /* counted from a damaged file, nothing is to be trusted, and a repair would write into it */
        printf("%s\n", T(lang, "The database file is damaged: restore the last backup (docs/operations.md, Backups)."));
        return 1;
    }
    struct store *st = store_open(db);
    if (!st)
        return 1;
    int64_t out[CHECK_COUNT];
    int rc = st->ops->check(st, repair, out);
    st->ops->close(st);
    if (rc != ST_OK) {
        fprintf(stderr, "dvk check: %s\n", T(lang, "The check failed; nothing was changed."));
        return 1;
    }
    static const char *const labels[CHECK_COUNT] = {
        [CHECK_MODEL_TALLY] = N_("Models counted for the reports"),
        [CHECK_RESULT_TALLY] = N_("Values summed for the reports"),
        [CHECK_SEARCH] = N_("Search index and its words"),
    };
    bool differs = false;
    for (int i = 0; i < CHECK_COUNT; i++) {
        if (out[i] < 0)
            continue; /* not kept by this engine */
        char n[32];
        fmt_number(lang, (double)out[i], n, sizeof n);
        if (out[i] == 0)
            printf("%s: %s\n", T(lang, labels[i]), T(lang, "matches"));
        else
            printf("%s: %s %s\n", T(lang, labels[i]), n, T(lang, i == CHECK_SEARCH ? N_("rows or words differ") : N_("groups differ")));
        differs |= out[i] != 0;
    }
    if (differs)
        printf("%s\n", T(lang, repair ? N_("Made again, but something still differs: report it.")
                                      : N_("Something differs: dvk check --repair makes it again.")));
    else
        printf("%s\n", T(lang, repair ? N_("Made again: everything matches.")
                                      : N_("Everything matches.")));
    return differs ? 1 : 0;
}
