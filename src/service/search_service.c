/* search_service.c: similar models nearby, the duplicate warning of a registration.
 * (The search of lists is svc_model_list with q: model_service.c and the store.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/similar.h"
#include "service/service.h"
#include "util/text.h"

#define N_(s) s /* a msgid, translated where it is shown */

const char *const proximity_names[NEAR_COUNT] = {"", "commune", "district", "province", "scope"};
const char *const proximity_labels[NEAR_COUNT] = {"", N_("Same commune"), N_("Same district"), N_("Same province"),
                                                  N_("In your area")};

/* Candidates read per distance: a commune holds about a hundred models, a province
 * tens of thousands, of which only those sharing two significant words come back. */
#define CANDIDATES 300

void similar_list_free(struct similar_list *l)
{
    for (int i = 0; i < l->n; i++)
        model_free(&l->items[i].m);
    l->n = 0;
}

static bool listed(const struct similar_list *l, int64_t id)
{
    for (int i = 0; i < l->n; i++)
        if (l->items[i].m.id == id)
            return true;
    return false;
}

/* Adds the similar ones among the candidates of one distance, most similar first. */
static int one_distance(struct store *st, const struct actor *a, const struct title_words *tw, struct model_filter *f,
                        int proximity, int64_t exclude_id, struct similar_list *out)
{
    const char *words[SIMILAR_MAX_WORDS];
    for (int i = 0; i < tw->n; i++)
        words[i] = tw->w[i];
    struct model_page p;
    f->limit = CANDIDATES;
    if (st->ops->model_title_candidates(st, f, words, tw->n, &p) != ST_OK)
        return SVC_ERROR;
    /* candidates come newest first; a stable choice of the best keeps that order among equals */
    int score[CANDIDATES];
    for (int i = 0; i < p.n; i++) {
        score[i] = -1;
        const struct model *m = &p.items[i];
        if (m->id == exclude_id || listed(out, m->id) || !authz_model_read(a, m))
            continue;
        char *fold = text_fold(m->title ? m->title : "");
        struct title_words mw;
        similar_words(fold, &mw);
        free(fold);
        if (similar_enough(tw, &mw))
            score[i] = similar_score(tw, &mw);
    }
    while (out->n < SIMILAR_MAX) {
        int best = -1;
        for (int i = 0; i < p.n; i++)
            if (score[i] >= 0 && (best < 0 || score[i] > score[best]))
                best = i;
        if (best < 0)
            break;
        struct similar_model *sm = &out->items[out->n++];
        sm->m = p.items[best];
        model_init(&p.items[best]); /* moved */
        sm->proximity = proximity;
        sm->score = score[best];
        score[best] = -1;
    }
    model_page_free(&p);
    return SVC_OK;
}

int svc_model_similar(struct store *st, const struct actor *a, const char *title, int hierarchy, const char *unit_code,
                      int64_t exclude_id, struct similar_list *out, struct verrs *v)
{
    out->n = 0;
    if (a->role == ROLE_NONE || (a->scope_col == PLACE_NONE && a->role != ROLE_ADMIN && a->user_id != 0))
        return SVC_FORBIDDEN;
    if (title && text_chars(title) > 300)
        verrs_add(v, "title", "The title is too long.");
    if (!unit_hierarchy_valid(hierarchy))
        verrs_add(v, "hierarchy", "The hierarchy must be 2024 or 2025.");
    struct model_place place;
    memset(&place, 0, sizeof place);
    bool have_unit = unit_code && *unit_code;
    if (have_unit && !v->n &&
        (!unit_code_valid(unit_code) || svc_unit_place(st, hierarchy, unit_code, &place) != SVC_OK))
        verrs_add(v, "unit_code", "Unknown unit.");
    if (v->n)
        return SVC_INVALID;
    char *fold = text_fold(title ? title : "");
    struct title_words tw;
    similar_words(fold, &tw);
    free(fold);
    if (tw.n == 0)
        return SVC_OK;
    struct model_filter f;
    memset(&f, 0, sizeof f);
    f.typical = -1;
    f.scope_col = a->scope_col;
    snprintf(f.scope_code, sizeof f.scope_code, "%s", a->scope_code);
    f.scope_hierarchy = a->hierarchy;
    struct {
        int col;
        const char *code;
        int proximity;
    } near[] = {
        {hierarchy == 2024 ? PLACE_C24 : PLACE_C25, hierarchy == 2024 ? place.c24 : place.c25, NEAR_COMMUNE},
        {PLACE_D24, place.d24, NEAR_DISTRICT},
        {hierarchy == 2024 ? PLACE_P24 : PLACE_P25, hierarchy == 2024 ? place.p24 : place.p25, NEAR_PROVINCE},
    };
    int rc = SVC_OK;
    if (!have_unit) {
        f.place_col = PLACE_NONE;
        rc = one_distance(st, a, &tw, &f, NEAR_SCOPE, exclude_id, out);
    }
    for (size_t i = 0; have_unit && i < sizeof near / sizeof near[0] && rc == SVC_OK && out->n < SIMILAR_MAX; i++) {
        if (!near[i].code[0])
            continue;
        f.place_col = near[i].col;
        snprintf(f.place_code, sizeof f.place_code, "%s", near[i].code);
        rc = one_distance(st, a, &tw, &f, near[i].proximity, exclude_id, out);
    }
    if (rc != SVC_OK)
        similar_list_free(out);
    return rc;
}
