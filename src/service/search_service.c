/* search_service.c: similar models nearby, the duplicate warning of a registration.
 * (The search of lists is svc_model_list with q: model_service.c and the store.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/similar.h"
#include "service/service.h"
#include "util/buf.h"
#include "util/text.h"

#define N_(s) s /* a msgid, translated where it is shown */

const char *const proximity_names[NEAR_COUNT] = {"", "commune", "district", "province", "scope"};
const char *const proximity_labels[NEAR_COUNT] = {"", N_("Same commune"), N_("Same district"), N_("Same province"),
                                                  N_("In your area")};

/* Candidates read per distance. A commune or a district holds a few hundred or a few
 * thousand models: the titles of all of them (the newest SCAN_MAX) are compared here. A
 * province, or a whole country, holds tens of thousands: only the titles that share two
 * significant words with this one (the index's word pairs), the newest PAIRS_MAX. A pair
 * query is slow where few models are (each pair must look far for its next match), a
 * full read where many are: each distance gets the one that suits it. */
#define SCAN_MAX 3000
#define PAIRS_MAX 300

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

/* Adds the similar ones among the candidates of one distance, most similar first (the
 * newest first among equals: candidates come newest first). */
static int one_distance(struct store *st, const struct actor *a, const struct title_words *tw, struct model_filter *f,
                        bool scan, int proximity, int64_t exclude_id, struct similar_list *out)
{
    const char *words[SIMILAR_MAX_WORDS];
    for (int i = 0; i < tw->n; i++)
        words[i] = tw->w[i];
    struct title_candidate *c;
    int nc;
    f->limit = scan ? SCAN_MAX : PAIRS_MAX;
    if (st->ops->model_title_candidates(st, f, words, scan ? 0 : tw->n, &c, &nc) != ST_OK)
        return SVC_ERROR;
    int *score = xcalloc((size_t)nc + 1, sizeof *score);
    for (int i = 0; i < nc; i++) {
        score[i] = -1;
        if (c[i].id == exclude_id || listed(out, c[i].id))
            continue;
        struct title_words cw;
        similar_words(c[i].title_fold, &cw);
        if (similar_enough(tw, &cw))
            score[i] = similar_score(tw, &cw);
    }
    int rc = SVC_OK;
    while (out->n < SIMILAR_MAX) {
        int best = -1;
        for (int i = 0; i < nc; i++)
            if (score[i] >= 0 && (best < 0 || score[i] > score[best]))
                best = i;
        if (best < 0)
            break;
        score[best] = -1;
        struct similar_model *sm = &out->items[out->n];
        int got = st->ops->model_get(st, c[best].id, &sm->m);
        if (got == ST_NOTFOUND)
            continue;
        if (got != ST_OK) {
            rc = SVC_ERROR;
            break;
        }
        /* the index answered in the reader's scope already; the rule itself decides */
        if (!authz_model_read(a, &sm->m)) {
            model_free(&sm->m);
            continue;
        }
        sm->proximity = proximity;
        struct title_words cw;
        similar_words(c[best].title_fold, &cw);
        sm->score = similar_score(tw, &cw);
        out->n++;
    }
    free(score);
    title_candidates_free(c, nc);
    return rc;
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
        /* a commune's (or a village's) reader has few models: read them all */
        bool small = a->scope_col == PLACE_C24 || a->scope_col == PLACE_C25 || a->scope_col == PLACE_UNIT;
        f.place_col = PLACE_NONE;
        rc = one_distance(st, a, &tw, &f, small, NEAR_SCOPE, exclude_id, out);
    }
    for (size_t i = 0; have_unit && i < sizeof near / sizeof near[0] && rc == SVC_OK && out->n < SIMILAR_MAX; i++) {
        if (!near[i].code[0])
            continue;
        f.place_col = near[i].col;
        snprintf(f.place_code, sizeof f.place_code, "%s", near[i].code);
        rc = one_distance(st, a, &tw, &f, near[i].proximity != NEAR_PROVINCE, near[i].proximity, exclude_id, out);
    }
    if (rc != SVC_OK)
        similar_list_free(out);
    return rc;
}
