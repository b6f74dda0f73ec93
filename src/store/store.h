/* store.h: the storage interface. One vtable, two engines: SQLite (store_sqlite*.c) and
 * PostgreSQL (store_pg*.c).
 *
 * Every function returns ST_OK or a negative ST_* code; on ST_ERR the engine
 * has logged the cause. A store handle belongs to one thread. */
#ifndef DVK_STORE_H
#define DVK_STORE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/appraisal.h"
#include "core/attachment.h"
#include "core/model.h"
#include "core/spread.h"
#include "core/unit.h"

enum { ST_OK = 0, ST_ERR = -1, ST_NOTFOUND = -2, ST_CONFLICT = -3, ST_EXISTS = -4 };

/* Why the database could not be written, when that is the cause of an ST_ERR: the
 * disk or the database's size cap is full, the database is read-only (dvk serve
 * --read-only, a read-only file or folder), or it could not be opened or written
 * at all (an I/O error). The caller turns it into a clear message (HTTP 507 / 503). */
enum store_fault { ST_FAULT_NONE, ST_FAULT_FULL, ST_FAULT_READONLY, ST_FAULT_IO };

enum model_sort { SORT_REGISTERED_DESC, SORT_REGISTERED_ASC, SORT_TITLE, SORT_CODE, SORT_COUNT };
/* Which stored place column a subtree filter uses. */
enum place_col { PLACE_NONE, PLACE_P24, PLACE_D24, PLACE_C24, PLACE_P25, PLACE_C25, PLACE_UNIT };

struct model_filter {
    int field, kind, status; /* 0: any */
    int typical;             /* -1 any, 0 no, 1 yes */
    int place_col;
    char place_code[32];
    int unit_hierarchy;      /* with PLACE_UNIT */
    char from[11], to[11];   /* registered_on range, inclusive; "" open */
    const char *q_fold;      /* folded words, all must occur; NULL for none */
    int scope_col;           /* the reader's scope: a second place filter (PLACE_NONE: everything) */
    char scope_code[32];
    int scope_hierarchy;     /* with PLACE_UNIT */
    bool showcase;           /* only public, recognized, typical models */
    int sort;
    int limit;
    bool has_cursor;         /* keyset: rows strictly after (cursor_key, cursor_id) */
    char cursor_key[3100]; /* a 300-character title of 4-byte characters: its sort key holds 2,700 bytes;
                            * with q_fold and a date order, the next_key of the page before */
    int64_t cursor_id;
};

/* A search (q_fold given) counts its matches only up to this many: counting every
 * match of a common word among millions of models would cost more than the page. */
#define MODEL_COUNT_CAP 10000

struct model_page {
    struct model *items; /* n models, each model_free'd by model_page_free */
    int n;
    int64_t total;
    bool total_capped;   /* more than MODEL_COUNT_CAP matched; total is MODEL_COUNT_CAP */
    bool more;           /* rows follow the last one */
    char next_key[64];   /* when set, the cursor key of the last row (a search's own order) */
};
void model_page_free(struct model_page *p);
/* Sort key of m under sort (what a cursor carries). */
void model_sort_key(const struct model *m, int sort, char *out, size_t outsz);

struct title_candidate {
    int64_t id;
    char *title_fold; /* malloc'd */
};
void title_candidates_free(struct title_candidate *c, int n);

struct unit_list {
    struct unit *items;
    int n;
};
void unit_list_free(struct unit_list *l);

struct code_list {
    char (*codes)[32];
    int n;
};
void code_list_free(struct code_list *l);

struct user {
    int64_t id;
    char login[64];
    char role[16];
    int hierarchy;
    char unit_code[32];
    char password_hash[160];
    bool disabled;
};

struct session {
    char csrf[64];
    int64_t created_at, last_seen, expires_at;
    struct user user;
};

struct api_token {
    int64_t id;
    char name[64];
    int64_t created_at, expires_at, revoked_at, last_used; /* 0: none */
    char login[64];
};

struct audit_entry {
    int64_t id;
    char at[21];
    int64_t user_id;           /* 0: the system (command line) */
    char login[64];
    char address[64];
    char entity[32];
    char entity_id[64];
    char action[32];
    char *before, *after;      /* JSON text or NULL; owned (audit_list_free) */
};
struct audit_filter {
    const char *entity, *entity_id, *login, *from, *to; /* NULL: any; from/to are dates */
    int64_t before_id;         /* keyset: rows with id < before_id; 0 for the newest */
    int limit;
};
struct audit_list {
    struct audit_entry *items;
    int n;
};
void audit_list_free(struct audit_list *l);

struct indicator {
    char code[32];
    char name[80]; /* English msgid */
    char unit[16]; /* "ha", "m²", "VND", ... */
    bool mean;     /* reports give the mean of its values, not their sum (a yield) */
};

/* The tables whose rows keep a stored place (p24, d24, c24, p25, c25) computed from their
 * unit and the mapping: what a catalogue or mapping import must compute again. */
enum placed_table { PLACED_MODELS, PLACED_REPLICATIONS, PLACED_EVENTS, PLACED_AWARDS, PLACED_COUNT };

struct place_ref {
    int64_t id;
    int hierarchy;
    char unit_code[32];
};

/* ---- reports (store_sqlite_report.c; service/report_service.c folds the rows) ---- */
enum report_date { RDATE_REGISTERED, RDATE_RECOGNIZED };
/* What report_models groups by (the others come back as "" or 0): fewer groups, less work. */
enum report_dim { RD_KEY = 1, RD_FIELD = 2, RD_KIND = 4, RD_LEVEL = 8, RD_TYPICAL = 16, RD_YEAR = 32, RD_ALL = 63 };
struct report_filter {
    int hierarchy;        /* of the roll-up: 2024 or 2025 */
    int place_col;        /* the subtree (PLACE_P24 .. PLACE_C25, or PLACE_UNIT); PLACE_NONE: the country */
    char place_code[32];
    int group_col;        /* what names each row: the place column one level down (PLACE_P24 .. PLACE_C25),
                           * or PLACE_UNIT under a commune: a village of `hierarchy`, or the commune */
    int commune_level;    /* of `hierarchy` (3 in 2024, 2 in 2025) */
    int scope_col;        /* the reader's scope, as in model_filter */
    char scope_code[32];
    int scope_hierarchy;  /* with PLACE_UNIT */
    char from[11], to[11]; /* inclusive dates */
    int status;           /* enum model_status; 0: every status but draft */
    int field, kind;      /* 0: any */
    int date;             /* enum report_date: which day of a model the period is about */
    int dims;             /* enum report_dim mask for report_models; 0 means RD_ALL */
};
/* One group of a report query; which members mean something depends on the query. */
struct report_row {
    char key[32];         /* the group's unit code ("" where the model has no unit at that level) */
    char sub[32];         /* report_results: the indicator code */
    int field, kind, level, typical, year;
    int a, b;             /* report_awards: recipient type, form; report_events: conference kind */
    int64_t n, n2;
    double sum;
};
struct report_rows {
    struct report_row *items;
    int n, cap;
};
void report_rows_free(struct report_rows *r);

/* The heading block of a report file (migration 014): who issues it and in which format. */
enum heading_style { HEADING_PARTY, HEADING_STATE };
struct report_heading {
    int hierarchy;
    char unit_code[32];  /* "" for the whole country */
    char superior[160];  /* the body directly above, in capitals: "TỈNH ỦY QUẢNG NAM" (may be "") */
    char body[160];      /* the issuing body, in capitals: "BAN DÂN VẬN" */
    char symbol[32];     /* its document symbol: "BDVTU" (may be "") */
    char place[80];      /* the place name of the date line: "Quảng Nam" */
    int style;           /* enum heading_style */
};

struct store;
/* What dvk check compares (store_ops.check). */
enum db_check {
    CHECK_MODEL_TALLY,  /* models counted for the reports (model_tally) */
    CHECK_RESULT_TALLY, /* values summed for the reports (result_tally) */
    CHECK_SEARCH,       /* SQLite's search index (model_fts) and its words (search_words) */
    CHECK_COUNT
};

struct store_ops {
    const char *engine;
    void (*close)(struct store *s);
    int (*begin)(struct store *s);
    int (*commit)(struct store *s);
    int (*rollback)(struct store *s);
    /* A read-only transaction (one snapshot for many reads); end it with rollback. */
    int (*begin_read)(struct store *s);
    /* Caps the database at max_bytes (0: no cap; past it writes fail with ST_FAULT_FULL)
     * and, when read_only, refuses every write (ST_FAULT_READONLY). For this connection. */
    int (*limit)(struct store *s, int64_t max_bytes, bool read_only);

    int (*unit_put)(struct store *s, const struct unit *u);
    int (*mapping_put)(struct store *s, const char *old_code, const char *new_code);
    int (*unit_get)(struct store *s, int hierarchy, const char *code, struct unit *out);
    /* Children of code (NULL: the provinces), in name order. */
    int (*unit_children)(struct store *s, int hierarchy, const char *code, struct unit_list *out);
    /* Units whose folded name contains every word of fold, communes and above first. */
    int (*unit_search)(struct store *s, int hierarchy, const char *fold, int limit, struct unit_list *out);
    int (*unit_count)(struct store *s, int hierarchy, int64_t *out);
    /* Consistency after an import: in hierarchy h, units whose parent is not one
     * level up; with h == 0, mapping rows whose codes are missing from their
     * catalogue. *n receives the count and first_bad one such code. */
    int (*unit_check)(struct store *s, int hierarchy, int64_t *n, char first_bad[32]);
    /* New communes an old commune went into, and the reverse. */
    int (*mapping_new_of)(struct store *s, const char *old_code, struct code_list *out);
    int (*mapping_old_of)(struct store *s, const char *new_code, struct code_list *out);

    int (*indicator_list)(struct store *s, struct indicator **out, int *n);

    /* Assigns m->id, m->code (from registered_on's year), version 1. search_fold is what
     * signed-in users search; public_fold what the showcase searches (no person's name). */
    int (*model_insert)(struct store *s, struct model *m, const char *search_fold, const char *public_fold);
    int (*model_get)(struct store *s, int64_t id, struct model *out);
    /* Writes m when its stored version is expected_version; bumps m->version.
     * ST_CONFLICT when the version moved, ST_NOTFOUND when m->id is absent. */
    int (*model_update)(struct store *s, struct model *m, int expected_version, const char *search_fold,
                        const char *public_fold);
    /* With q_fold, a search: every word must start a word of the searched text (search_fold,
     * or public_fold for the showcase). In the default order (SORT_REGISTERED_DESC) the
     * models whose title holds every word come first, then the others, newest first in
     * each group; next_key is then set. The total of a search is capped (MODEL_COUNT_CAP). */
    int (*model_list)(struct store *s, const struct model_filter *f, struct model_page *out);
    /* Duplicate candidates: the id and title_fold of models within f's place and scope
     * filters (the other filters and q_fold are ignored), newest first, at most f->limit;
     * with n > 0 words (folded), only those whose title holds at least two of them (the
     * word when n is 1). The caller frees out with title_candidates_free. */
    int (*model_title_candidates)(struct store *s, const struct model_filter *f, const char *const *words, int n,
                                  struct title_candidate **out, int *count);
    int (*model_count)(struct store *s, int64_t *out);
    /* The model that user_id's submission token created (a form's token, an API
     * Idempotency-Key): ST_NOTFOUND when the user has not used the token. */
    int (*submission_find)(struct store *s, int64_t user_id, const char *token, int64_t *model_id);
    /* Records that the token created model_id; ST_EXISTS when the user used it already. */
    int (*submission_add)(struct store *s, int64_t user_id, const char *token, int64_t model_id);
    /* Up to limit ids of a placed table (enum placed_table) above after_id, ascending, with
     * their hierarchy and unit. */
    int (*place_refs)(struct store *s, int table, int64_t after_id, int limit, struct place_ref *out, int *n);
    /* Rewrites the stored place of one row of a placed table (after a catalogue or mapping change). */
    int (*place_set)(struct store *s, int table, int64_t id, const struct model_place *p);

    int (*user_insert)(struct store *s, struct user *u);
    int (*user_by_login)(struct store *s, const char *login, struct user *out);
    int (*user_get)(struct store *s, int64_t id, struct user *out);
    int (*user_list)(struct store *s, struct user **out, int *n);
    /* Updates password_hash, role, unit and disabled of u->id. */
    int (*user_update)(struct store *s, const struct user *u);

    /* Sessions are found by the hash of the cookie value. */
    int (*session_create)(struct store *s, const char *id_hash, int64_t user_id, const char *csrf, int64_t now,
                          int64_t expires_at);
    int (*session_get)(struct store *s, const char *id_hash, struct session *out);
    int (*session_touch)(struct store *s, const char *id_hash, int64_t now);
    int (*session_delete)(struct store *s, const char *id_hash);
    int (*session_delete_user)(struct store *s, int64_t user_id);

    int (*token_create)(struct store *s, int64_t user_id, const char *hash, const char *name, int64_t now,
                        int64_t expires_at, int64_t *id);
    /* The token's user when it is neither revoked nor expired at now; ST_NOTFOUND otherwise. */
    int (*token_user)(struct store *s, const char *hash, int64_t now, struct user *out);
    int (*token_revoke)(struct store *s, int64_t id, int64_t now);
    int (*token_list)(struct store *s, struct api_token **out, int *n);

    /* Sign-in throttling counters. */
    /* failures, the time of the last one, and the end of the pause (0 when none). */
    int (*throttle_get)(struct store *s, const char *key, int *failures, int64_t *last_failure, int64_t *locked_until);
    int (*throttle_put)(struct store *s, const char *key, int failures, int64_t now, int64_t locked_until);
    int (*throttle_clear)(struct store *s, const char *key);

    /* Moves model id from status from to status to (bumping its version) and records e;
     * ST_CONFLICT when its status is no longer from. */
    int (*model_transition)(struct store *s, int64_t id, int from, int to, const struct model_event *e);
    int (*model_events)(struct store *s, int64_t id, struct model_event **out, int *n);

    /* The scoring catalogue of a province (hierarchy, code), or the default one when it has none. */
    int (*criteria_get)(struct store *s, int hierarchy, const char *province, struct criterion *out, int *n);
    /* Replaces a province's catalogue (n == 0: back to the default). */
    int (*criteria_put)(struct store *s, int hierarchy, const char *province, const struct criterion *c, int n);
    int (*threshold_get)(struct store *s, int hierarchy, const char *unit_code, double *pass_score);
    int (*threshold_put)(struct store *s, int hierarchy, const char *unit_code, double pass_score);
    int (*appraisal_insert)(struct store *s, struct appraisal *a);
    /* A model's appraisals, oldest first; each appraisal_free'd by the caller, then the array. */
    int (*appraisal_list)(struct store *s, int64_t model_id, struct appraisal **out, int *n);

    /* Replications: ST_EXISTS when the model is already recorded in that unit. */
    int (*replication_insert)(struct store *s, struct replication *r);
    int (*replication_delete)(struct store *s, int64_t model_id, int64_t id);
    /* With unit names, parents and levels, by unit name. */
    int (*replication_list)(struct store *s, int64_t model_id, struct replication **out, int *n);
    /* The models a replica model was recorded as spreading from (at most max). */
    int (*replication_sources)(struct store *s, int64_t replica_id, int64_t *out, int max, int *n);

    int (*event_insert)(struct store *s, struct commendation_event *e);
    int (*event_get)(struct store *s, int64_t id, struct commendation_event *out);
    /* Newest first; scope_col/scope_code as in model_filter (PLACE_NONE: all). */
    int (*event_list)(struct store *s, int scope_col, const char *scope_code, int limit,
                      struct commendation_event **out, int *n);
    int (*award_insert)(struct store *s, struct award *a);
    /* Awards of a model (model_id > 0) or of a conference (event_id > 0). */
    int (*award_list)(struct store *s, int64_t model_id, int64_t event_id, struct award **out, int *n);

    int (*award_get)(struct store *s, int64_t id, struct award *out);
    /* The model an appraisal belongs to. */
    int (*appraisal_model)(struct store *s, int64_t appraisal_id, int64_t *model_id);

    int (*attachment_insert)(struct store *s, struct attachment *a);
    int (*attachment_get)(struct store *s, int64_t id, struct attachment *out);
    int (*attachment_list)(struct store *s, const char *entity, int64_t entity_id, struct attachment **out, int *n);

    /* Bulk mode on this connection (on) or back to normal: a cache sized for one long
     * transaction of an import (SQLite: and no CHECK constraints evaluated: the import
     * writes only validated models). */
    int (*bulk)(struct store *s, bool on);
    /* Inside a transaction, drops the models' secondary indexes (not those that look models
     * up by code or key) to build them again in one sorted pass (restore): for an import
     * that brings more rows than the table holds. SQLite also stops indexing new models for
     * search and the report tallies row by row and does it for all of them at the restore
     * (result_tally: counted again whole).
     * A rollback brings everything back too. */
    int (*defer_indexes)(struct store *s, bool restore);
    /* The model whose code (DVK-2024-000123) or, failing that, whose ext_key is key. */
    int (*model_by_key)(struct store *s, const char *key, int64_t *id);
    /* Models moved into this database (dvk migrate-db) whose code there was key (a DVK
     * code) or whose ext_key there was key (any other key), and which have another one here:
     * their ids here, *n of them in *ids (the caller frees it; one per province that had the
     * key, moved_rows). With key NULL, *n is 1 when any model was moved in with another code
     * or reference, else 0 (ids untouched). */
    int (*model_by_old_key)(struct store *s, const char *key, int64_t **ids, int *n);
    /* Remembers that an import met key on row (a scratch table of this connection, emptied
     * with key NULL); when key was met before, *first_row receives that row and ST_EXISTS is returned. */
    int (*import_seen)(struct store *s, const char *key, int64_t row, int64_t *first_row);

    /* Reports. report_models: models whose date f->date lies in the period, by key, field,
     * kind, level, typical and that date's year (n). */
    int (*report_models)(struct store *s, const struct report_filter *f, struct report_rows *out);
    /* Indicator values of the years of the period, of models matching f (any registration
     * date): by key, field and indicator (sub): their sum and how many there are (n). */
    int (*report_results)(struct store *s, const struct report_filter *f, struct report_rows *out);
    /* Conferences held in the period under the subtree: by key, level and kind (a): n. */
    int (*report_events)(struct store *s, const struct report_filter *f, struct report_rows *out);
    /* Awards dated in the period (their decision, else their conference, else their record)
     * under the subtree: by key, level of their conference (0: none), recipient type (a) and
     * form (b): n, and the sum of amounts. */
    int (*report_awards)(struct store *s, const struct report_filter *f, struct report_rows *out);
    /* Replications since a day of the period, of models matching f's status, field and kind,
     * under the subtree: by key: n replications, n2 distinct reached units (communes, or with
     * PLACE_UNIT the units themselves). */
    int (*report_replications)(struct store *s, const struct report_filter *f, struct report_rows *out);
    /* Communes under each key (with PLACE_UNIT: the villages and the commune itself, 1 each). */
    int (*report_units)(struct store *s, const struct report_filter *f, struct report_rows *out);
    /* The stored heading of (hierarchy, unit_code) ("" for the country); ST_NOTFOUND when none. */
    int (*heading_get)(struct store *s, int hierarchy, const char *unit_code, struct report_heading *out);
    /* Stores h (replacing the one of its unit). */
    int (*heading_put)(struct store *s, const struct report_heading *h);

    int (*audit_append)(struct store *s, const struct audit_entry *e);
    int (*audit_list)(struct store *s, const struct audit_filter *f, struct audit_list *out);

    /* dvk check: what the store keeps counted or indexed from the models (enum db_check),
     * counted again and compared: out[i] is how many groups, or search rows and words,
     * differ, -1 where the engine keeps no such thing. The search index is compared by the
     * models it holds and its vocabulary (and FTS5's own check), not word by word. With
     * repair, the counts and the search index are made again whole first, in one write
     * transaction (other writers wait for it, as long as their busy timeout lets them). */
    int (*check)(struct store *s, bool repair, int64_t out[CHECK_COUNT]);

    /* A number that moves whenever a change was committed, through this connection or any
     * other, since it was last read: equal numbers mean the data read in between is still
     * what the database holds. NULL when the engine cannot tell (nothing is cached then). */
    int (*generation)(struct store *s, uint64_t *out);
};

struct store {
    const struct store_ops *ops;
    int fault; /* enum store_fault of the last failure on this connection; the caller clears it */
};

/* The fault of the last failure on any connection of this process (for the command
 * line, which reports it once before exiting). */
int store_last_fault(void);

/* Opens the database at path (creating it), applies pending migrations. NULL on failure (logged). */
struct store *store_open_sqlite(const char *path);
/* Connects to the PostgreSQL database at url (a libpq URI: postgresql://…), applies pending
 * migrations. NULL on failure (logged). */
struct store *store_open_pg(const char *url);
/* store_last_fault of the PostgreSQL engine's connections. */
int pg_last_fault(void);
/* Caps the memory the engine keeps in this process for the pages it has read (SQLite: all
 * connections' page caches together, a soft limit: a statement that needs more still gets
 * it, and pages are let go as others come; PostgreSQL's are the server's). 0: no cap (each
 * connection's own cache size). */
void store_memory_limit(int64_t bytes);
/* An online backup of the SQLite database at path into the new file out (which must not
 * exist), while other connections go on reading and writing: page by page through SQLite's
 * backup API, into out.partial, linked to out once complete and checked (integrity_check).
 * Fills *bytes with the copy's size. ST_EXISTS when out exists, ST_NOTFOUND when path is
 * no dvk database; ST_ERR otherwise, with the cause in err. */
int store_backup_sqlite(const char *path, const char *out, int64_t *bytes, char *err, size_t errsz);
/* Opens by URL or path: "postgresql://…" or "postgres://…", "sqlite:PATH" or a plain path. */
struct store *store_open(const char *url);
/* Before opening a database to check it (store_open migrates, and so writes): ST_NOTFOUND
 * when url is no dvk database (no file, or no schema_migrations table), ST_ERR when it
 * cannot be read (logged), else ST_OK with *damaged set by SQLite's quick_check of the
 * file (PostgreSQL: false; the server checks its own files). Writes nothing. */
int store_precheck(const char *url, bool *damaged);
int store_precheck_sqlite(const char *path, bool *damaged);
int store_precheck_pg(const char *url);

#endif
