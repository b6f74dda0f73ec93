/* main.c: the dvk command dispatcher. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "store/store.h"
#include "util/buf.h"

/* The commands, each with its synopsis and what it does (translated when shown). */
static const char *const commands[][2] = {
    {"init   --db PATH [--demo] [--admin-password-file FILE]", N_("create a database")},
    {"serve  --db PATH [--config FILE] [--port N] [--threads N]", N_("serve the web pages and the API (dvk serve --help)")},
    {"units  import --db PATH --hierarchy 2024|2025 FILE", N_("load an administrative-unit catalogue")},
    {"units  import --db PATH --mapping FILE", N_("load the old->new commune mapping")},
    {"user   add|passwd|disable|enable|list --db PATH ...", N_("manage users (dvk user --help)")},
    {"token  create|revoke|list --db PATH ...", N_("API tokens (dvk token --help)")},
    {"import --db PATH [--dry-run] FILE", N_("models from a CSV or XLSX file")},
    {"export --db PATH [--format csv|xlsx] [--out FILE]", N_("models to a CSV or XLSX file")},
    {"report NAME --db PATH [--unit CODE] [--from D --to D]", N_("a report as JSON, CSV or XLSX (dvk report --help)")},
    {"heading set|show --db PATH --hierarchy H [--unit CODE]", N_("the heading of a unit's report files")},
    {"migrate-db --from sqlite:PATH --to postgresql://...", N_("move a province into PostgreSQL (dvk migrate-db --help)")},
    {"backup --db PATH --out FILE", N_("a checked copy of a live SQLite database")},
    {"check  --db PATH [--repair]", N_("compare what the reports and the search keep with the models")},
};

static void usage(FILE *to)
{
    i18n_init();
    int lang = cli_lang(NULL);
    if (lang < 0)
        lang = LANG_VI;
    fprintf(to, "%s: dvk COMMAND [options]\n\n%s:\n", T(lang, "usage"), T(lang, "commands"));
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-56s %s\n", commands[i][0], T(lang, commands[i][1]));
    fprintf(to, "\n%s\n", T(lang, "dvk COMMAND --help shows one command's options."));
}

/* The language of the messages of commands that take no --lang: the locale's. */
static int msg_lang(void)
{
    i18n_init();
    return cli_lang(NULL);
}

/* Options are consumed by setting their argv slots to NULL. */
const char *opt(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++) {
        if (!argv[i] || strncmp(argv[i], name, n) != 0)
            continue;
        if (argv[i][n] == '=') {
            const char *v = argv[i] + n + 1;
            argv[i] = NULL;
            return v;
        }
        if (argv[i][n] == 0 && i + 1 < argc && argv[i + 1]) {
            const char *v = argv[i + 1];
            argv[i] = argv[i + 1] = NULL;
            return v;
        }
    }
    return NULL;
}

int flag(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; i++)
        if (argv[i] && strcmp(argv[i], name) == 0) {
            argv[i] = NULL;
            return 1;
        }
    return 0;
}

int leftovers(int argc, char **argv, const char *cmd)
{
    for (int i = 1; i < argc; i++)
        if (argv[i]) {
            fprintf(stderr, "dvk %s: ", cmd);
            fprintf(stderr, T(msg_lang(), "unexpected argument \"%s\" (see dvk %s --help)"), argv[i], cmd);
            fputc('\n', stderr);
            return 1;
        }
    return 0;
}

void cli_usage(FILE *f, int lang, const char *syn, const char *const *desc)
{
    i18n_init();
    if (lang < 0)
        lang = cli_lang(NULL);
    fprintf(f, "%s: %s", T(lang, "usage"), syn);
    for (int i = 0; desc && desc[i]; i++)
        fprintf(f, "%s\n", T(lang, desc[i]));
}

char *read_secret(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "dvk: %s: %s\n", path, T(msg_lang(), "cannot read the file"));
        return NULL;
    }
    char line[512];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        fprintf(stderr, "dvk: %s: %s\n", path, T(msg_lang(), "the file is empty"));
        return NULL;
    }
    fclose(f);
    line[strcspn(line, "\r\n")] = 0;
    return xstrdup(line);
}

static int run(int argc, char **argv);

/* A command that failed because the database could not be written says why, once,
 * in the user's language, after the engine's own log line. */
int main(int argc, char **argv)
{
    int rc = run(argc, argv);
    int fault = store_last_fault();
    if (rc != 0 && fault != ST_FAULT_NONE) {
        i18n_init();
        int lang = cli_lang(NULL);
        fprintf(stderr, "dvk: %s\n",
                T(lang, fault == ST_FAULT_FULL       ? N_("The database is full, so nothing was saved. Free space on the disk (or raise the size cap), then try again.")
                        : fault == ST_FAULT_READONLY ? N_("The database is read-only, so nothing was saved. Check the permissions of the database file and its folder.")
                                                     : N_("The database could not be written (an I/O error), so nothing was saved. Check the disk.")));
        if (rc == 0)
            rc = 1;
    }
    return rc;
}

static int run(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "init") == 0)
        return cmd_init(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "units") == 0)
        return cmd_units(argc - 1, argv + 1);
    if (strcmp(cmd, "user") == 0)
        return cmd_user(argc - 1, argv + 1);
    if (strcmp(cmd, "token") == 0)
        return cmd_token(argc - 1, argv + 1);
    if (strcmp(cmd, "import") == 0)
        return cmd_import(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return cmd_export(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "heading") == 0)
        return cmd_heading(argc - 1, argv + 1);
    if (strcmp(cmd, "migrate-db") == 0)
        return cmd_migrate_db(argc - 1, argv + 1);
    if (strcmp(cmd, "backup") == 0)
        return cmd_backup(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    fprintf(stderr, "dvk: ");
    fprintf(stderr, T(msg_lang(), "unknown command \"%s\""), cmd);
    fputs("\n\n", stderr);
    usage(stderr);
    return 2;
}
