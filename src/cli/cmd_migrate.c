/* cmd_migrate.c: dvk migrate-db, moving a province's SQLite database into the shared
 * PostgreSQL one (issue 7); the copy itself is store/store_copy.c. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "store/store_copy.h"

int cmd_migrate_db(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs("usage: dvk migrate-db --from sqlite:PATH --to postgresql://...\n"
              "Copies every row of the SQLite database at PATH that the PostgreSQL database lacks\n"
              "(units, models and their history, appraisals, replications, conferences and awards,\n"
              "attachments' metadata, users, sessions, tokens, the audit trail), in one transaction,\n"
              "then compares both sides table by table: row counts and a checksum of the rows.\n"
              "Run again, it copies nothing. The attachments' files are copied apart (the folder\n"
              "\"files\" beside the SQLite database, to the --data folder of dvk serve).\n"
              "Exits 0 when both sides hold the same rows, 1 when a table differs.\n",
              stdout);
        return 0;
    }
    const char *from = opt(argc, argv, "--from"), *to = opt(argc, argv, "--to");
    if (leftovers(argc, argv, "migrate-db"))
        return 2;
    if (!from || !to) {
        fprintf(stderr, "dvk migrate-db: --from sqlite:PATH and --to postgresql://... are required\n");
        return 2;
    }
    if (strncmp(from, "sqlite:", 7) == 0)
        from += 7;
    if (strncmp(to, "postgresql://", 13) != 0 && strncmp(to, "postgres://", 11) != 0) {
        fprintf(stderr, "dvk migrate-db: --to must be a PostgreSQL URL (postgresql://...)\n");
        return 2;
    }
    struct copy_table t[64];
    int n = 0;
    int rc = store_copy_sqlite_to_pg(from, to, t, 64, &n);
    int64_t rows = 0, copied = 0;
    for (int i = 0; i < n; i++) {
        printf("%-22s %9lld rows  %9lld copied  %s %s  %s\n", t[i].name, (long long)t[i].source_rows,
               (long long)t[i].copied, t[i].source_sum, t[i].target_sum, t[i].same ? "same" : "DIFFERENT");
        rows += t[i].source_rows;
        copied += t[i].copied;
    }
    if (rc < 0) {
        fprintf(stderr, "dvk migrate-db: the copy failed; nothing was changed in the PostgreSQL database\n");
        return 1;
    }
    if (rc > 0) {
        fprintf(stderr, "dvk migrate-db: the tables marked DIFFERENT do not hold the same rows on both sides\n"
                        "(the PostgreSQL database holds other rows too, or one side changed since)\n");
        return 1;
    }
    printf("dvk migrate-db: %d tables, %lld rows, %lld copied now; both sides hold the same rows\n", n,
           (long long)rows, (long long)copied);
    return 0;
}
