/* main.c: the dvk command dispatcher. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "store/store.h"
#include "util/buf.h"

static const char usage[] =
    "usage: dvk COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  init   --db PATH [--demo] [--admin-password-file FILE]   create a database\n"
    "  serve  --db PATH [--listen ADDR] [--port N] [--threads N] serve the web pages and the API (dvk serve --help)\n"
    "  units  import --db PATH --hierarchy 2024|2025 FILE        load an administrative-unit catalogue\n"
    "  units  import --db PATH --mapping FILE                    load the old->new commune mapping\n"
    "  user   add|passwd|disable|enable|list --db PATH ...     manage users (dvk user --help)\n"
    "  token  create|revoke|list --db PATH ...                  API tokens (dvk token --help)\n"
    "  import --db PATH [--dry-run] FILE                        models from a CSV or XLSX file\n"
    "  export --db PATH [--format csv|xlsx] [--out FILE]        models to a CSV or XLSX file\n"
    "  report NAME --db PATH [--unit CODE] [--from D --to D]   a report as JSON, CSV or XLSX (dvk report --help)\n"
    "  heading set|show --db PATH --hierarchy H [--unit CODE]  the heading of a unit's report files\n"
    "  migrate-db --from sqlite:PATH --to postgresql://...     move a province into PostgreSQL (dvk migrate-db --help)\n"
    "  backup --db PATH --out FILE                            a checked copy of a live SQLite database\n"
    "\n"
    "dvk COMMAND --help shows one command's options.\n";

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
            fprintf(stderr, "dvk %s: unexpected argument \"%s\" (see dvk %s --help)\n", cmd, argv[i], cmd);
            return 1;
        }
    return 0;
}

char *read_secret(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "dvk: cannot read %s\n", path);
        return NULL;
    }
    char line[512];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        fprintf(stderr, "dvk: %s is empty\n", path);
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
        fputs(usage, argc < 2 ? stderr : stdout);
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
    fprintf(stderr, "dvk: unknown command \"%s\"\n\n%s", cmd, usage);
    return 2;
}
