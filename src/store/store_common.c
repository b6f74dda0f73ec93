/* store_common.c: engine-independent helpers of the store interface. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"
#include "util/text.h"

void model_page_free(struct model_page *p)
{
    for (int i = 0; i < p->n; i++)
        model_free(&p->items[i]);
    free(p->items);
    memset(p, 0, sizeof *p);
}

void title_candidates_free(struct title_candidate *c, int n)
{
    for (int i = 0; i < n; i++)
        free(c[i].title_fold);
    free(c);
}

void unit_list_free(struct unit_list *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

void audit_list_free(struct audit_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->items[i].before);
        free(l->items[i].after);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

void code_list_free(struct code_list *l)
{
    free(l->codes);
    memset(l, 0, sizeof *l);
}

void model_sort_key(const struct model *m, int sort, char *out, size_t outsz)
{
    switch (sort) {
    case SORT_TITLE: {
        /* the store sorts on title_key; it is recomputed identically here */
        char *f = text_sort_key(m->title ? m->title : "");
        snprintf(out, outsz, "%s", f);
        free(f);
        break;
    }
    case SORT_CODE:
        snprintf(out, outsz, "%s", m->code);
        break;
    default:
        snprintf(out, outsz, "%s", m->registered_on);
        break;
    }
}

int store_precheck(const char *url, bool *damaged)
{
    *damaged = false;
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return store_precheck_pg(url);
    return store_precheck_sqlite(strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url, damaged);
}

struct store *store_open(const char *url)
{
    if (strncmp(url, "sqlite:", 7) == 0)
        return store_open_sqlite(url + 7);
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return store_open_pg(url);
    return store_open_sqlite(url);
}
