/* sqlite_int.h: what the files of the SQLite engine share (not part of the store interface). */
#ifndef DVK_SQLITE_INT_H
#define DVK_SQLITE_INT_H
#include <sqlite3.h>
#include "store/store.h"

enum {
    Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_UNIT_PUT, Q_MAP_PUT, Q_UNIT_GET, Q_UNIT_CHILDREN, Q_UNIT_ROOTS, Q_UNIT_COUNT,
    Q_MAP_NEW, Q_MAP_OLD, Q_IND_LIST, Q_OWNER_GET, Q_OWNER_ADD, Q_COUNTER_NEXT, Q_COUNTER_GET, Q_MODEL_INSERT,
    Q_MODEL_GET, Q_MODEL_UPDATE, Q_TAGS_DEL, Q_TAG_ADD, Q_TAGS_GET, Q_RES_DEL, Q_RES_ADD, Q_RES_GET, Q_MODEL_COUNT, Q_SUBMISSION_FIND, Q_SUBMISSION_ADD,
    Q_USER_ADD, Q_USER_BY_LOGIN, Q_UNIT_PARENT, Q_SESSION_GET, Q_SESSION_TOUCH, Q_TOKEN_USER, Q_AUDIT_ADD, Q_DATA_VERSION,
    Q_COUNTER_SET, Q_BEGIN_READ, Q_MODEL_BY_CODE, Q_MODEL_BY_KEY, Q_MODEL_BY_OLD_KEY, Q_MOVED_ANY, Q_SEEN_ADD, Q_SEEN_GET,
    Q_SEARCH_WORDS, Q_SEARCH_DESC, Q_SEARCH_ASC, Q_SEARCH_COUNT, Q_MODELS_BY_IDS,
    Q_COUNT
};

/* List totals already counted on this connection while the database has not changed:
 * a list page then costs its 50 rows, not a count of every matching row. */
#define COUNT_CACHE 64
struct count_entry {
    char *key;       /* the filter, as text; NULL when the slot is free */
    int64_t total;
};

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    int depth; /* nesting of begin() */
    struct count_entry counts[COUNT_CACHE];
    int next_slot;
    int64_t seen_version, seen_changes; /* PRAGMA data_version and total changes the counts belong to */
    uint64_t generation;                /* moves when either does (store_ops.generation) */
    struct {               /* code counters read in the open transaction (year 0: free slot), */
        int year;          /* kept here and written back once at the commit */
        int64_t last;
        bool dirty;
    } counters[16];
    char **deferred; /* CREATE INDEX and CREATE TRIGGER statements of what a bulk import dropped */
    int ndeferred;
    int64_t bulk_after; /* the models above this id came in since: indexed at once by the restore */
};

#define S(s) ((struct sqlite_store *)(s))

/* Logs the engine's error for what; returns ST_ERR. */
int sq_fail(struct sqlite_store *s, const char *what);
/* The cached prepared statement id (prepared from sql on first use), reset and unbound. */
sqlite3_stmt *sq_stmt(struct sqlite_store *s, int id, const char *sql);
/* A statement for a rarely used query: finalize it (sq_done does). */
sqlite3_stmt *sq_once(struct sqlite_store *s, const char *sql);
/* Steps st to completion and finalizes it: ST_OK or ST_ERR. */
int sq_done(struct sqlite_store *s, sqlite3_stmt *st, const char *what);
/* Binds v, or NULL for NULL or "". */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Binds an optional id or time: 0 is NULL. */
void sq_bind_id(sqlite3_stmt *st, int i, int64_t v);
/* Binds v, "" for NULL. */
void sq_bind_text_empty(sqlite3_stmt *st, int i, const char *v);
/* Column i as a malloc'd string, NULL for SQL NULL. */
char *sq_col_dup(sqlite3_stmt *st, int i);
/* Column i copied into out, "" for SQL NULL. */
void sq_col_cpy(sqlite3_stmt *st, int i, char *out, size_t outsz);

/* store_sqlite.c: lists shared with the search. */
/* The total cached for key on this connection, if any (the cache is emptied when the database changed). */
bool sq_count_get(struct sqlite_store *s, const char *key, int64_t *total);
/* Remembers total for key; takes key (malloc'd). */
void sq_count_put(struct sqlite_store *s, char *key, int64_t total);
/* A list by scanning models in the filter's order (q_fold as word prefixes in search_fold
 * or public_fold); counts the total when count is true. */
int sq_list_scan(struct sqlite_store *s, const struct model_filter *f, bool count, struct model_page *out);
/* Reads the models ids[0..n) into out[], in that order, with their tags and results;
 * returns how many were found (ids no longer stored are skipped), or ST_ERR. */
int sq_models_by_ids(struct sqlite_store *s, const int64_t *ids, int n, struct model *out);

/* store_sqlite_search.c: full-text search (migration 011). */
int sq_search_list(struct sqlite_store *s, const struct model_filter *f, struct model_page *out);
int s_model_title_candidates(struct store *base, const struct model_filter *f, const char *const *words, int n,
                             struct title_candidate **out, int *count);

/* store_sqlite_auth.c: users, sessions, tokens, throttling, audit. */
void sq_read_user(sqlite3_stmt *st, int i, struct user *out);
int s_user_insert(struct store *base, struct user *u);
int s_user_by_login(struct store *base, const char *login, struct user *out);
int s_user_get(struct store *base, int64_t id, struct user *out);
int s_user_list(struct store *base, struct user **out, int *n);
int s_user_update(struct store *base, const struct user *u);
int s_session_create(struct store *base, const char *id_hash, int64_t user_id, const char *csrf, int64_t now, int64_t expires_at);
int s_session_get(struct store *base, const char *id_hash, struct session *out);
int s_session_touch(struct store *base, const char *id_hash, int64_t now);
int s_session_delete(struct store *base, const char *id_hash);
int s_session_delete_user(struct store *base, int64_t user_id);
int s_token_create(struct store *base, int64_t user_id, const char *hash, const char *name, int64_t now, int64_t expires_at, int64_t *id);
int s_token_user(struct store *base, const char *hash, int64_t now, struct user *out);
int s_token_revoke(struct store *base, int64_t id, int64_t now);
int s_token_list(struct store *base, struct api_token **out, int *n);
int s_throttle_get(struct store *base, const char *key, int *failures, int64_t *last_failure, int64_t *locked_until);
int s_throttle_put(struct store *base, const char *key, int failures, int64_t now, int64_t locked_until);
int s_throttle_clear(struct store *base, const char *key);
int s_audit_append(struct store *base, const struct audit_entry *e);
int s_audit_list(struct store *base, const struct audit_filter *f, struct audit_list *out);

/* store_sqlite_import.c: what a spreadsheet import asks. */
int s_model_by_key(struct store *base, const char *key, int64_t *id);
int s_model_by_old_key(struct store *base, const char *key, int64_t **ids, int *n);
int s_bulk(struct store *base, bool on);
int s_defer_indexes(struct store *base, bool restore);
int s_check(struct store *base, bool repair, int64_t out[CHECK_COUNT]);
int s_import_seen(struct store *base, const char *key, int64_t row, int64_t *first_row);

/* store_sqlite_lifecycle.c: model history, scoring catalogue, appraisals. */
int s_model_transition(struct store *base, int64_t id, int from, int to, const struct model_event *e);
int s_model_events(struct store *base, int64_t id, struct model_event **out, int *n);
int s_criteria_get(struct store *base, int h, const char *province, struct criterion *out, int *n);
int s_criteria_put(struct store *base, int h, const char *province, const struct criterion *c, int n);
int s_threshold_get(struct store *base, int h, const char *unit_code, double *pass_score);
int s_threshold_put(struct store *base, int h, const char *unit_code, double pass_score);
int s_appraisal_insert(struct store *base, struct appraisal *a);
int s_appraisal_list(struct store *base, int64_t model_id, struct appraisal **out, int *n);

/* store_sqlite_spread.c: replications, conferences, awards. */
int s_replication_insert(struct store *base, struct replication *r);
int s_replication_delete(struct store *base, int64_t model_id, int64_t id);
int s_replication_list(struct store *base, int64_t model_id, struct replication **out, int *n);
int s_replication_sources(struct store *base, int64_t replica_id, int64_t *out, int max, int *n);
int s_event_insert(struct store *base, struct commendation_event *e);
int s_event_get(struct store *base, int64_t id, struct commendation_event *out);
int s_event_list(struct store *base, int scope_col, const char *scope_code, int limit, struct commendation_event **out,
                 int *n);
int s_award_insert(struct store *base, struct award *a);
int s_award_list(struct store *base, int64_t model_id, int64_t event_id, struct award **out, int *n);
int s_award_get(struct store *base, int64_t id, struct award *out);
int s_appraisal_model(struct store *base, int64_t appraisal_id, int64_t *model_id);
int s_attachment_insert(struct store *base, struct attachment *a);
int s_attachment_get(struct store *base, int64_t id, struct attachment *out);
int s_attachment_list(struct store *base, const char *entity, int64_t entity_id, struct attachment **out, int *n);

/* store_sqlite_report.c: the report queries. */
int s_report_models(struct store *base, const struct report_filter *f, struct report_rows *out);
int s_report_results(struct store *base, const struct report_filter *f, struct report_rows *out);
int s_report_events(struct store *base, const struct report_filter *f, struct report_rows *out);
int s_report_awards(struct store *base, const struct report_filter *f, struct report_rows *out);
int s_report_replications(struct store *base, const struct report_filter *f, struct report_rows *out);
int s_report_units(struct store *base, const struct report_filter *f, struct report_rows *out);
int s_heading_get(struct store *base, int hierarchy, const char *unit_code, struct report_heading *out);
int s_heading_put(struct store *base, const struct report_heading *h);

#endif
