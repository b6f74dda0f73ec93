/* store_copy.h: copying a SQLite database into a PostgreSQL one (dvk migrate-db, issue 7). */
#ifndef DVK_STORE_COPY_H
#define DVK_STORE_COPY_H
#include <stdint.h>
#include <stdio.h>

/* One table of the copy: rows on each side after it, rows this run added, and whether the
 * two sides hold the same rows (a SHA-256 over every row in primary-key order, values
 * written alike: numbers by value, NULL apart from ""). */
struct copy_table {
    const char *name;
    int64_t source_rows, target_rows, copied;
    char source_sum[17], target_sum[17]; /* the first 8 bytes of each digest, in hex */
    int same;
};

/* Brings both databases to the latest migration, then copies every row of from_path (a
 * SQLite file) that url (PostgreSQL) lacks, in one transaction, keyed by primary key: run
 * again, it copies nothing. Then compares the two sides table by table into out[] (at most
 * max; *n set). Returns 0 when every table matches, 1 when one differs (a target that holds
 * other rows too, or rows changed since), -1 on failure (logged). */
int store_copy_sqlite_to_pg(const char *from_path, const char *url, struct copy_table *out, int max, int *n);

#endif
