/* store_copy.h: moving a province's SQLite database into a shared PostgreSQL one (dvk
 * migrate-db, issue 7). */
#ifndef DVK_STORE_COPY_H
#define DVK_STORE_COPY_H
#include <stdint.h>
#include <stdio.h>
#include "util/buf.h"

/* One table of the move: the source's rows, the target's rows that are theirs after it,
 * the rows this run added, and whether the two agree (a SHA-256 over the source's rows in
 * primary-key order with every id, code and login written as it is in the target, and the
 * same over the target's rows found under those keys; values written alike: numbers by
 * value, NULL apart from ""). */
struct copy_table {
    const char *name;
    int64_t source_rows, target_rows, copied;
    char source_sum[17], target_sum[17]; /* the first 8 bytes of each digest, in hex */
    int same;
};

struct copy_opts {
    const char *rename_users; /* a suffix for the source's logins taken in the target, or NULL */
};

/* What one run found and did. Owns its buffers: copy_report_free(). */
struct copy_report {
    char origin[40]; /* the source's store_origin */
    struct copy_table t[32];
    int n;
    /* why it stopped before writing (return -2): one line each */
    struct buf catalogue; /* "units 2024 00004": a shared catalogue row that differs */
    struct buf logins;    /* "admin": a login the target holds for someone else */
    struct buf renamed;   /* "admin admin-qn": a source login renamed by this run or an earlier one */
    int64_t new_ids, new_codes, merged_owners; /* this run */
};

void copy_report_free(struct copy_report *r);

/* Brings both databases to the latest migration, then moves every row of from_path (a
 * SQLite file) that url (PostgreSQL) lacks in one transaction: shared catalogues (units,
 * indicators, criteria, …) by key, identical rows once; owners by (type, name); rows with
 * an id under a new id where the target has that id already, every reference rewritten to
 * match; a model code the target holds already replaced by the next code of its year; and
 * every mapping kept in moved_rows, so that a run again copies only what is new. Then
 * compares the two sides table by table into r->t. Returns 0 when every table agrees, 1 when
 * one differs (rows changed on either side since), -2 when it stopped before writing
 * (r->catalogue, r->logins), -1 on failure (logged); on -2 and -1 nothing was written. */
int store_copy_sqlite_to_pg(const char *from_path, const char *url, const struct copy_opts *o,
                            struct copy_report *r);

#endif
