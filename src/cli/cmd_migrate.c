/* cmd_migrate.c: dvk migrate-db, moving a province's SQLite database into the shared
 * PostgreSQL one (issue 7); the move itself is store/store_copy.c. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "store/store_copy.h"

static const char usage[] =
    "usage: dvk migrate-db --from sqlite:PATH --to postgresql://... [--rename-users SUFFIX] [--lang vi|en|sv]\n"
    "Moves every row of the SQLite database at PATH that the PostgreSQL database lacks (units,\n"
    "models and their history, appraisals, replications, conferences and awards, attachments'\n"
    "metadata, users, sessions, tokens, the audit trail) in one transaction. The target may hold\n"
    "other provinces: shared catalogues (units, indicators, criteria) are kept once and must be\n"
    "identical; owners of the same type and name are one owner; a row whose id the target holds\n"
    "already takes a new one, and every reference to it follows; a model code the target holds\n"
    "already becomes the next code of its year. The old ids, codes and logins stay in the table\n"
    "moved_rows. A login the target holds for another account stops the move, unless\n"
    "--rename-users SUFFIX is given: that account then moves in as LOGIN+SUFFIX.\n"
    "Then it compares, table by table, the source's rows (ids, codes and logins as moved) with\n"
    "the target's: row counts and a checksum of each side. Run again, it copies nothing.\n"
    "The attachments' files are copied apart (the folder \"files\" beside the SQLite database,\n"
    "to the --data folder of dvk serve).\n"
    "Exits 0 when both sides agree, 1 when a table differs or the move failed or was refused\n"
    "(nothing written then), 2 on a usage error.\n";

static void lines(const char *head, const struct buf *b)
{
    fprintf(stderr, "dvk migrate-db: %s\n", head);
    const char *p = buf_cstr((struct buf *)b);
    while (*p) {
        size_t n = strcspn(p, "\n");
        fprintf(stderr, "  %.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

int cmd_migrate_db(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
    const char *from = opt(argc, argv, "--from"), *to = opt(argc, argv, "--to"),
               *suffix = opt(argc, argv, "--rename-users"), *lang_s = opt(argc, argv, "--lang");
    if (leftovers(argc, argv, "migrate-db"))
        return 2;
    i18n_init();
    int lang = cli_lang(lang_s);
    if (lang < 0) {
        fprintf(stderr, "dvk migrate-db: --lang takes vi, en or sv\n");
        return 2;
    }
    if (!from || !to) {
        fprintf(stderr, "dvk migrate-db: %s\n", T(lang, "--from sqlite:PATH and --to postgresql://... are required."));
        return 2;
    }
    if (strncmp(from, "sqlite:", 7) == 0)
        from += 7;
    if (strncmp(to, "postgresql://", 13) != 0 && strncmp(to, "postgres://", 11) != 0) {
        fprintf(stderr, "dvk migrate-db: %s\n", T(lang, "--to must be a PostgreSQL URL (postgresql://...)."));
        return 2;
    }
    if (suffix && (!*suffix || strlen(suffix) > 20 ||
                   suffix[strspn(suffix, "abcdefghijklmnopqrstuvwxyz0123456789._-")])) {
        fprintf(stderr, "dvk migrate-db: --rename-users: %s\n",
                T(lang, "A suffix has 1 to 20 characters: a-z, 0-9, dot, dash, underscore."));
        return 2;
    }
    struct copy_opts o = {.rename_users = suffix};
    struct copy_report r;
    int rc = store_copy_sqlite_to_pg(from, to, &o, &r);
    if (rc == -2) {
        if (r.catalogue.len)
            lines(T(lang, "These rows of the shared catalogues differ in the target database; make them the same on "
                          "both sides first. Nothing was changed:"),
                  &r.catalogue);
        if (r.logins.len)
            lines(T(lang, "These logins belong to other accounts in the target database. Nothing was changed; give "
                          "--rename-users SUFFIX to move these accounts in as LOGIN+SUFFIX (a login in brackets is "
                          "taken too):"),
                  &r.logins);
        copy_report_free(&r);
        return 1;
    }
    if (r.origin[0])
        printf("%s %s  (%s %s)\n", T(lang, "source:"), from, T(lang, "origin"), r.origin);
    int64_t rows = 0, copied = 0;
    for (int i = 0; i < r.n; i++) {
        const struct copy_table *t = &r.t[i];
        printf("%-22s %9lld rows  %9lld copied  %s %s  %s\n", t->name, (long long)t->source_rows,
               (long long)t->copied, t->source_sum, t->target_sum, t->same ? "same" : "DIFFERENT");
        rows += t->source_rows;
        copied += t->copied;
    }
    if (r.renamed.len)
        lines(T(lang, "Logins renamed in the target database (source, target):"), &r.renamed);
    if (rc < 0) {
        fprintf(stderr, "dvk migrate-db: %s\n",
                T(lang, "The move failed; nothing was changed in the PostgreSQL database."));
        copy_report_free(&r);
        return 1;
    }
    if (r.new_ids || r.new_codes || r.merged_owners)
        printf("dvk migrate-db: %lld %s, %lld %s, %lld %s\n", (long long)r.new_ids, T(lang, "new ids"),
               (long long)r.new_codes, T(lang, "new model codes"), (long long)r.merged_owners,
               T(lang, "owners merged with the target's"));
    copy_report_free(&r);
    if (rc > 0) {
        fprintf(stderr, "dvk migrate-db: %s\n",
                T(lang, "The tables marked DIFFERENT do not hold the same rows on both sides (rows changed on "
                        "either side since)."));
        return 1;
    }
    printf("dvk migrate-db: %d %s, %lld %s, %lld %s; %s\n", r.n, T(lang, "tables"), (long long)rows, T(lang, "rows"),
           (long long)copied, T(lang, "copied now"), T(lang, "both sides hold the same rows"));
    return 0;
}
