/* pg_int.h: what the files of the PostgreSQL engine share (not part of the store interface).
 *
 * The engine's queries step through a small statement type shaped like SQLite's (bind,
 * step, column), so that both engines read alike: pq_stmt runs its query with libpq on the
 * first pq_step (a named prepared statement for the cached ones, PQexecParams for the
 * others; values are always parameters, in text form) and then hands out the rows of the
 * result. The SQL is written with SQLite's "?" and "?N" placeholders and becomes "$N". */
#ifndef DVK_PG_INT_H
#define DVK_PG_INT_H
#include <libpq-fe.h>
#include <stdint.h>
#include "store/store.h"
#include "util/buf.h"

/* pq_step's answers (the values of SQLite's codes, so that they read the same). */
enum { PQ_OK = 0, PQ_ERROR = 1, PQ_CONSTRAINT = 19, PQ_ROW = 100, PQ_DONE = 101 };
#define PQ_MAX_PARAMS 64

enum {
    Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_UNIT_PUT, Q_MAP_PUT, Q_UNIT_GET, Q_UNIT_CHILDREN, Q_UNIT_ROOTS, Q_UNIT_COUNT,
    Q_MAP_NEW, Q_MAP_OLD, Q_IND_LIST, Q_OWNER_GET, Q_OWNER_ADD, Q_COUNTER_NEXT, Q_MODEL_INSERT,
    Q_MODEL_GET, Q_MODEL_UPDATE, Q_TAGS_DEL, Q_TAG_ADD, Q_TAGS_GET, Q_RES_DEL, Q_RES_ADD, Q_RES_GET, Q_MODEL_COUNT, Q_SUBMISSION_FIND, Q_SUBMISSION_ADD,
    Q_USER_ADD, Q_USER_BY_LOGIN, Q_UNIT_PARENT, Q_SESSION_GET, Q_SESSION_TOUCH, Q_TOKEN_USER, Q_AUDIT_ADD,
    Q_MODEL_BY_CODE, Q_MODEL_BY_KEY, Q_MODEL_BY_OLD_KEY, Q_MOVED_ANY, Q_SEEN_ADD, Q_SEEN_GET, Q_MODELS_BY_IDS, Q_GENERATION,
    Q_COUNT
};

typedef struct pq_stmt pq_stmt;
struct pg_store;
struct pq_stmt {
    struct pg_store *s;
    char *sql;                 /* with $N placeholders */
    int id;                    /* the cached statement's number (prepared as "qN"), -1 for a one-off */
    bool prepared;
    int nparams;
    char *vals[PQ_MAX_PARAMS]; /* owned; NULL is SQL NULL */
    PGresult *res;             /* after the first step */
    int row;                   /* the row the columns read */
    bool returning_id;         /* ends in " RETURNING id": the id goes to s->last_id */
    bool retried;              /* being run again on a restored connection */
};

struct pg_store {
    struct store base;
    PGconn *db;
    pq_stmt *q[Q_COUNT];
    int64_t last_id; /* of the last INSERT ... RETURNING id */
    int64_t changes; /* rows the last command changed (or returned) */
    char state[6];   /* SQLSTATE of the last failure */
    int depth;       /* nesting of begin() */
    bool read_only;  /* limit(): every transaction read-only (set again after a reconnection) */
    int64_t seen;    /* rows the import on this connection has met (import_seen) */
    int64_t analyze_at; /* at this many, the tables it reads are analyzed again */
};

#define S(s) ((struct pg_store *)(s))

/* Logs the engine's error for what; returns ST_ERR. */
int pg_fail(struct pg_store *s, const char *what);
/* The cached prepared statement id (prepared from sql on first use), reset and unbound. */
pq_stmt *pg_stmt(struct pg_store *s, int id, const char *sql);
/* A statement for a rarely used query: finalize it (pg_done does). */
pq_stmt *pg_once(struct pg_store *s, const char *sql);
/* Steps st to completion and finalizes it: ST_OK or ST_ERR. */
int pg_done(struct pg_store *s, pq_stmt *st, const char *what);
/* Binds v, or NULL for NULL or "". */
void pg_bind_text(pq_stmt *st, int i, const char *v);
/* Binds an optional id or time: 0 is NULL. */
void pg_bind_id(pq_stmt *st, int i, int64_t v);
/* Binds v, "" for NULL. */
void pg_bind_text_empty(pq_stmt *st, int i, const char *v);
/* Column i as a malloc'd string, NULL for SQL NULL. */
char *pg_col_dup(pq_stmt *st, int i);
/* Column i copied into out, "" for SQL NULL. */
void pg_col_cpy(pq_stmt *st, int i, char *out, size_t outsz);

/* store_pg.c: the statement type. */
pq_stmt *pg_stmt(struct pg_store *s, int id, const char *sql);
pq_stmt *pg_once(struct pg_store *s, const char *sql);
int pg_done(struct pg_store *s, pq_stmt *st, const char *what);
/* Runs the statement on the first call; then PQ_ROW per row, PQ_DONE, or PQ_ERROR /
 * PQ_CONSTRAINT (an integrity constraint: a duplicate, a check, a foreign key). */
int pq_step(pq_stmt *st);
/* Forgets the result (the bindings stay). */
void pq_reset(pq_stmt *st);
/* Clears the bindings. */
void pq_clear(pq_stmt *st);
void pq_finalize(pq_stmt *st);
void pq_bind_int(pq_stmt *st, int i, int v);
void pq_bind_int64(pq_stmt *st, int i, int64_t v);
void pq_bind_double(pq_stmt *st, int i, double v);
void pq_bind_text(pq_stmt *st, int i, const char *v, int n);
void pq_bind_null(pq_stmt *st, int i);
const unsigned char *pq_column_text(pq_stmt *st, int i);
int pq_column_int(pq_stmt *st, int i);
int64_t pq_column_int64(pq_stmt *st, int i);
double pq_column_double(pq_stmt *st, int i);
int pq_column_type(pq_stmt *st, int i); /* PQ_NULL or 1 */
enum { PQ_NULL = 5 };
/* Runs sql (no parameters, several statements allowed): ST_OK or pg_fail. */
int pg_exec(struct pg_store *s, const char *sql, const char *what);
/* The SQLSTATE of the last failure ("" when none). */
const char *pg_state(struct pg_store *s);

/* store_pg.c: lists shared with the search. */
/* The total cached for key on this connection, if any (the cache is emptied when the database changed). */
bool pg_count_get(struct pg_store *s, const char *key, int64_t *total);
/* Remembers total for key; takes key (malloc'd). */
void pg_count_put(struct pg_store *s, char *key, int64_t total);
/* A list by scanning models in the filter's order (q_fold as word prefixes in search_fold
 * or public_fold); counts the total when count is true. */
int pg_list_scan(struct pg_store *s, const struct model_filter *f, bool count, struct model_page *out);
/* Reads the models ids[0..n) into out[], in that order, with their tags and results;
 * returns how many were found (ids no longer stored are skipped), or ST_ERR. */
int pg_models_by_ids(struct pg_store *s, const int64_t *ids, int n, struct model *out);

/* The WHERE clause of f (" WHERE true AND ..."; q_fold as word prefixes) and its binds
 * from 1; pg_filter_bind returns the next free parameter number. */
void pg_filter_sql(const struct model_filter *f, struct buf *sql);
int pg_filter_bind(pq_stmt *st, const struct model_filter *f);
/* Binds parameter i to the LIKE pattern "% W%" (w's % _ \ escaped, ESCAPE '\'): w begins a
 * word of a text that starts with a space. Asked this way, and not with instr(), a trigram
 * index on the text serves it (migrations/pg/020_search_words.sql). */
void pg_bind_word_prefix(pq_stmt *st, int i, const char *w);
/* What a signed-in search reads of model m: its folded texts and its code's words, as
 * SQLite's model_fts body (../migrations/011_search.sql); what the showcase's search reads.
 * Each is asked `LIKE '% word%'` and has a trigram index on this very expression
 * (migrations/pg/020_search_words.sql): change both together, or the search scans. */
#define PG_SEARCH_TEXT "(' ' || m.search_fold || ' ' || lower(replace(m.code, '-', ' ')))"
#define PG_PUBLIC_TEXT "(' ' || m.public_fold)"
/* A model's title, for the search's first group (the models whose title holds every word). */
#define PG_TITLE_TEXT "(' ' || m.title_fold)"

/* store_pg_search.c: full-text search (src/store/migrations/pg/011_search.sql). */
int pg_search_list(struct pg_store *s, const struct model_filter *f, struct model_page *out);
int p_model_title_candidates(struct store *base, const struct model_filter *f, const char *const *words, int n,
                             struct title_candidate **out, int *count);

/* store_pg_auth.c: users, sessions, tokens, throttling, audit. */
void pg_read_user(pq_stmt *st, int i, struct user *out);
int p_user_insert(struct store *base, struct user *u);
int p_user_by_login(struct store *base, const char *login, struct user *out);
int p_user_get(struct store *base, int64_t id, struct user *out);
int p_user_list(struct store *base, struct user **out, int *n);
int p_user_update(struct store *base, const struct user *u);
int p_session_create(struct store *base, const char *id_hash, int64_t user_id, const char *csrf, int64_t now, int64_t expires_at);
int p_session_get(struct store *base, const char *id_hash, struct session *out);
int p_session_touch(struct store *base, const char *id_hash, int64_t now);
int p_session_delete(struct store *base, const char *id_hash);
int p_session_delete_user(struct store *base, int64_t user_id);
int p_token_create(struct store *base, int64_t user_id, const char *hash, const char *name, int64_t now, int64_t expires_at, int64_t *id);
int p_token_user(struct store *base, const char *hash, int64_t now, struct user *out);
int p_token_revoke(struct store *base, int64_t id, int64_t now);
int p_token_list(struct store *base, struct api_token **out, int *n);
int p_throttle_get(struct store *base, const char *key, int *failures, int64_t *last_failure, int64_t *locked_until);
int p_throttle_put(struct store *base, const char *key, int failures, int64_t now, int64_t locked_until);
int p_throttle_clear(struct store *base, const char *key);
int p_audit_append(struct store *base, const struct audit_entry *e);
int p_audit_list(struct store *base, const struct audit_filter *f, struct audit_list *out);

/* store_pg_import.c: what a spreadsheet import asks. */
int p_model_by_key(struct store *base, const char *key, int64_t *id);
int p_model_by_old_key(struct store *base, const char *key, int64_t **ids, int *n);
int p_bulk(struct store *base, bool on);
int p_defer_indexes(struct store *base, bool restore);
int p_check(struct store *base, bool repair, int64_t out[CHECK_COUNT]);
int p_import_seen(struct store *base, const char *key, int64_t row, int64_t *first_row);

/* store_pg_lifecycle.c: model history, scoring catalogue, appraisals. */
int p_model_transition(struct store *base, int64_t id, int from, int to, const struct model_event *e);
int p_model_events(struct store *base, int64_t id, struct model_event **out, int *n);
int p_criteria_get(struct store *base, int h, const char *province, struct criterion *out, int *n);
int p_criteria_put(struct store *base, int h, const char *province, const struct criterion *c, int n);
int p_threshold_get(struct store *base, int h, const char *unit_code, double *pass_score);
int p_threshold_put(struct store *base, int h, const char *unit_code, double pass_score);
int p_appraisal_insert(struct store *base, struct appraisal *a);
int p_appraisal_list(struct store *base, int64_t model_id, struct appraisal **out, int *n);

/* store_pg_spread.c: replications, conferences, awards. */
int p_replication_insert(struct store *base, struct replication *r);
int p_replication_delete(struct store *base, int64_t model_id, int64_t id);
int p_replication_list(struct store *base, int64_t model_id, struct replication **out, int *n);
int p_replication_sources(struct store *base, int64_t replica_id, int64_t *out, int max, int *n);
int p_event_insert(struct store *base, struct commendation_event *e);
int p_event_get(struct store *base, int64_t id, struct commendation_event *out);
int p_event_list(struct store *base, int scope_col, const char *scope_code, int limit, struct commendation_event **out,
                 int *n);
int p_award_insert(struct store *base, struct award *a);
int p_award_list(struct store *base, int64_t model_id, int64_t event_id, struct award **out, int *n);
int p_award_get(struct store *base, int64_t id, struct award *out);
int p_appraisal_model(struct store *base, int64_t appraisal_id, int64_t *model_id);
int p_attachment_insert(struct store *base, struct attachment *a);
int p_attachment_get(struct store *base, int64_t id, struct attachment *out);
int p_attachment_list(struct store *base, const char *entity, int64_t entity_id, struct attachment **out, int *n);

/* store_pg_report.c: the report queries. */
int p_report_models(struct store *base, const struct report_filter *f, struct report_rows *out);
int p_report_results(struct store *base, const struct report_filter *f, struct report_rows *out);
int p_report_events(struct store *base, const struct report_filter *f, struct report_rows *out);
int p_report_awards(struct store *base, const struct report_filter *f, struct report_rows *out);
int p_report_replications(struct store *base, const struct report_filter *f, struct report_rows *out);
int p_report_units(struct store *base, const struct report_filter *f, struct report_rows *out);
int p_heading_get(struct store *base, int hierarchy, const char *unit_code, struct report_heading *out);
int p_heading_put(struct store *base, const struct report_heading *h);

#endif
