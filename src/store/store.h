/* store.h: the storage interface. One vtable, several engines (SQLite now;
 * PostgreSQL joins as another file implementing the same table).
 *
 * Every function returns ST_OK or a negative ST_* code; on ST_ERR the engine
 * has logged the cause. A store handle belongs to one thread. */
#ifndef DVK_STORE_H
#define DVK_STORE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/model.h"
#include "core/unit.h"

enum { ST_OK = 0, ST_ERR = -1, ST_NOTFOUND = -2, ST_CONFLICT = -3, ST_EXISTS = -4 };

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
    int sort;
    int limit;
    bool has_cursor;         /* keyset: rows strictly after (cursor_key, cursor_id) */
    char cursor_key[1000];
    int64_t cursor_id;
};

struct model_page {
    struct model *items; /* n models, each model_free'd by model_page_free */
    int n;
    int64_t total;
    bool more;           /* rows follow the last one */
};
void model_page_free(struct model_page *p);
/* Sort key of m under sort (what a cursor carries). */
void model_sort_key(const struct model *m, int sort, char *out, size_t outsz);

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

struct indicator {
    char code[32];
    char name[80]; /* English msgid */
    char unit[16]; /* "ha", "m²", "VND", ... */
};

struct store;
struct store_ops {
    const char *engine;
    void (*close)(struct store *s);
    int (*begin)(struct store *s);
    int (*commit)(struct store *s);
    int (*rollback)(struct store *s);

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

    /* Assigns m->id, m->code (from registered_on's year), version 1. */
    int (*model_insert)(struct store *s, struct model *m, const char *search_fold);
    int (*model_get)(struct store *s, int64_t id, struct model *out);
    /* Writes m when its stored version is expected_version; bumps m->version.
     * ST_CONFLICT when the version moved, ST_NOTFOUND when m->id is absent. */
    int (*model_update)(struct store *s, struct model *m, int expected_version, const char *search_fold);
    int (*model_list)(struct store *s, const struct model_filter *f, struct model_page *out);
    int (*model_count)(struct store *s, int64_t *out);

    int (*user_insert)(struct store *s, struct user *u);
    int (*user_by_login)(struct store *s, const char *login, struct user *out);
};

struct store {
    const struct store_ops *ops;
};

/* Opens the database at path (creating it), applies pending migrations. NULL on failure (logged). */
struct store *store_open_sqlite(const char *path);
/* Opens by URL or path: "sqlite:PATH" or a plain path. */
struct store *store_open(const char *url);

#endif
