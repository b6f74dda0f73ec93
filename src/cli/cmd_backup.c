/* cmd_backup.c: dvk backup, a consistent copy of a live SQLite database. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "store/store.h"

static void usage(FILE *to, int lang)
{
    fprintf(to,
            "%s: dvk backup --db PATH --out FILE [--lang vi|en|sv]\n"
            "%s\n",
            T(lang, "usage"),
            T(lang, "Copies the SQLite database at PATH into the new file FILE while dvk serve goes on "
                    "reading and writing (SQLite's online backup), checks the copy (integrity_check) "
                    "and only then gives it the name FILE. FILE must not exist. Copy the attachments "
                    "folder after it (docs/operations.md, Backups). On PostgreSQL use pg_dump."));
}

int cmd_backup(int argc, char **argv)
{
    i18n_init();
    const char *db = opt(argc, argv, "--db"), *out = opt(argc, argv, "--out"), *lang_s = opt(argc, argv, "--lang");
    int lang = cli_lang(lang_s);
    if (lang < 0) {
        fprintf(stderr, "dvk backup: %s\n", T(cli_lang(NULL), "--lang takes vi, en or sv"));
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (argv[i] && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
            usage(stdout, lang);
            return 0;
        }
    if (leftovers(argc, argv, "backup"))
        return 2;
    if (!db || !out || !*db || !*out) {
        usage(stderr, lang);
        return 2;
    }
    if (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0) {
        fprintf(stderr, "dvk backup: %s\n", T(lang, "On PostgreSQL, back up with pg_dump (docs/operations.md, Backups)."));
        return 2;
    }
    const char *path = strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
    int64_t bytes;
    char err[512];
    int rc = store_backup_sqlite(path, out, &bytes, err, sizeof err);
    if (rc == ST_EXISTS) {
        fprintf(stderr, "dvk backup: %s: %s\n", out, T(lang, "The file exists already: give a new name, nothing is overwritten."));
        return 2;
    }
    if (rc == ST_NOTFOUND) {
        fprintf(stderr, "dvk backup: %s: %s\n", path, T(lang, "No dvk database here."));
        return 2;
    }
    if (rc != ST_OK) {
        fprintf(stderr, "dvk backup: %s (%s)\n", T(lang, "The backup failed; no file was written."), err);
        return 1;
    }
    char size[32];
    fmt_number(lang, (double)bytes, size, sizeof size);
    fprintf(stderr, "dvk backup: %s %s (%s %s)\n", T(lang, "Copied and checked:"), out, size, T(lang, "bytes"));
    return 0;
}
