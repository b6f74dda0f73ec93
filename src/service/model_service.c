/* model_service.c: registering, reading, editing and listing models. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "service/service.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/text.h"

static int st_to_svc(int rc)
{
    switch (rc) {
    case ST_OK:
        return SVC_OK;
    case ST_NOTFOUND:
        return SVC_NOTFOUND;
    case ST_CONFLICT:
        return SVC_CONFLICT;
    default:
        return SVC_ERROR;
    }
}

int svc_finish(struct store *st, int rc)
{
    if (rc == SVC_OK && st->ops->commit(st) != ST_OK)
        rc = SVC_ERROR;
    if (rc != SVC_OK)
        st->ops->rollback(st);
    return rc;
}

/* ---- placing a model in both hierarchies ------------------------------------- */

/* The 2025 province that 2024 province p24 merged into (provinces merged whole). */
static void p25_of_p24(struct store *st, const char *p24, char out[32])
{
    out[0] = 0;
    struct unit_list a = {0}, b = {0};
    if (st->ops->unit_children(st, 2024, p24, &a) == ST_OK) {
        for (int i = 0; i < a.n && !out[0]; i++) {
            if (st->ops->unit_children(st, 2024, a.items[i].code, &b) != ST_OK)
                continue;
            for (int j = 0; j < b.n && !out[0]; j++) {
                struct code_list nc = {0};
                struct unit u;
                if (st->ops->mapping_new_of(st, b.items[j].code, &nc) == ST_OK && nc.n > 0 &&
                    st->ops->unit_get(st, 2025, nc.codes[0], &u) == ST_OK)
                    snprintf(out, 32, "%s", u.parent_code);
                code_list_free(&nc);
            }
            unit_list_free(&b);
        }
    }
    unit_list_free(&a);
}

static int place_model(struct store *st, struct model *m, struct verrs *v)
{
    struct unit path[5];
    int n = 0;
    memset(&m->place, 0, sizeof m->place);
    if (svc_unit_path(st, m->hierarchy, m->unit_code, path, &n) != SVC_OK) {
        verrs_add(v, "unit_code", "Unknown unit.");
        return SVC_INVALID;
    }
    struct model_place *p = &m->place;
    for (int i = 0; i < n; i++) {
        const struct unit *u = &path[i];
        if (unit_is_province(u))
            snprintf(m->hierarchy == 2024 ? p->p24 : p->p25, 32, "%s", u->code);
        else if (unit_is_district(u))
            snprintf(p->d24, sizeof p->d24, "%s", u->code);
        else if (unit_is_commune(u))
            snprintf(m->hierarchy == 2024 ? p->c24 : p->c25, 32, "%s", u->code);
    }
    struct code_list cl = {0};
    if (m->hierarchy == 2024) {
        if (p->c24[0] && st->ops->mapping_new_of(st, p->c24, &cl) == ST_OK && cl.n > 0) {
            struct unit u;
            if (cl.n == 1)
                snprintf(p->c25, sizeof p->c25, "%s", cl.codes[0]);
            /* a split commune: the new commune someone chose for this model, if any */
            bool chosen = false;
            for (int i = 0; cl.n > 1 && i < cl.n && m->commune_2025[0]; i++)
                if (strcmp(cl.codes[i], m->commune_2025) == 0) {
                    snprintf(p->c25, sizeof p->c25, "%s", cl.codes[i]);
                    chosen = true;
                }
            if (m->commune_2025[0] && !chosen) {
                if (cl.n > 1) {
                    code_list_free(&cl);
                    verrs_add(v, "commune_2025", "Choose one of the communes this old commune went into.");
                    return SVC_INVALID;
                }
                m->commune_2025[0] = 0; /* not a split commune (any more): nothing to choose */
            }
            /* a split commune: its new commune is chosen later; the province is exact */
            if (st->ops->unit_get(st, 2025, cl.codes[0], &u) == ST_OK)
                snprintf(p->p25, sizeof p->p25, "%s", u.parent_code);
        } else if (p->p24[0]) {
            p25_of_p24(st, p->p24, p->p25);
        }
    } else if (m->hierarchy == 2025 && m->commune_2025[0]) {
        verrs_add(v, "commune_2025", "Only a model of a 2024 commune that was split has a new commune to choose.");
        return SVC_INVALID;
    } else if (p->c25[0] && st->ops->mapping_old_of(st, p->c25, &cl) == ST_OK && cl.n > 0) {
        /* The 2024 place is what all old communes of this new commune share. */
        struct unit first, u;
        if (st->ops->unit_get(st, 2024, cl.codes[0], &first) == ST_OK) {
            struct unit d;
            bool same_d = true, same_p = true;
            char p24[32] = "";
            if (st->ops->unit_get(st, 2024, first.parent_code, &d) == ST_OK)
                snprintf(p24, sizeof p24, "%s", d.parent_code);
            for (int i = 1; i < cl.n; i++) {
                if (st->ops->unit_get(st, 2024, cl.codes[i], &u) != ST_OK)
                    continue;
                if (strcmp(u.parent_code, first.parent_code) != 0) {
                    same_d = false;
                    struct unit d2;
                    if (st->ops->unit_get(st, 2024, u.parent_code, &d2) == ST_OK && strcmp(d2.parent_code, p24) != 0)
                        same_p = false;
                }
            }
            if (cl.n == 1)
                snprintf(p->c24, sizeof p->c24, "%s", first.code);
            if (same_d)
                snprintf(p->d24, sizeof p->d24, "%s", first.parent_code);
            if (same_p)
                snprintf(p->p24, sizeof p->p24, "%s", p24);
        }
    }
    code_list_free(&cl);
    /* The unit path, for display and search. */
    struct buf b = BUF_INIT;
    for (int i = n - 1; i >= 0; i--) {
        buf_puts(&b, path[i].name);
        if (i)
            buf_puts(&b, ", ");
    }
    model_set_str(&m->unit_path, b.p);
    model_set_str(&m->unit_name, path[n - 1].name);
    buf_free(&b);
    return SVC_OK;
}

/* ---- create / update ------------------------------------------------------------ */

/* Folded text of the parts, joined by single spaces ("" for none). */
static char *fold_parts(const char *const *parts, int n, char *const *more, int nmore)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < n + nmore; i++) {
        const char *p = i < n ? parts[i] : more[i - n];
        if (p && *p)
            buf_printf(&b, "%s ", p);
    }
    char *f = text_fold(buf_cstr(&b));
    buf_free(&b);
    return f;
}

/* The folded words a model is found by (sf), and those the showcase searches (pf: without the
 * name of a person who owns it). Spaces at both ends, so that whole words can be asked for.
 * Each part is folded once for both. */
static void search_texts(const struct model *m, char **sf, char **pf)
{
    const char *head[] = {m->code, m->title, m->summary};
    const char *tail[] = {m->unit_path};
    char *a = fold_parts(head, 3, NULL, 0), *o = fold_parts((const char *const[]){m->owner}, 1, NULL, 0),
         *z = fold_parts(tail, 1, m->tags, m->ntags);
    struct buf b = BUF_INIT;
    buf_printf(&b, " %s%s%s%s%s ", a, *a && *o ? " " : "", o, (*a || *o) && *z ? " " : "", z);
    *sf = buf_detach(&b);
    if (m->owner_type == OWNER_PERSON && *o) {
        buf_printf(&b, " %s%s%s ", a, *a && *z ? " " : "", z);
        *pf = buf_detach(&b);
    } else {
        *pf = xstrdup(*sf);
    }
    free(a);
    free(o);
    free(z);
}

int model_write_new(struct store *st, struct model *m)
{
    char *sf, *pf;
    search_texts(m, &sf, &pf);
    int rc = st_to_svc(st->ops->model_insert(st, m, sf, pf));
    free(sf);
    free(pf);
    return rc;
}

int model_write(struct store *st, struct model *m, int expected_version)
{
    char *sf, *pf;
    search_texts(m, &sf, &pf);
    int rc = st_to_svc(st->ops->model_update(st, m, expected_version, sf, pf));
    free(sf);
    free(pf);
    return rc;
}

char *svc_search_fold(const struct model *m, bool public)
{
    char *sf, *pf;
    search_texts(m, &sf, &pf);
    free(public ? sf : pf);
    return public ? pf : sf;
}

static int check_indicators(struct store *st, const struct model *m, struct verrs *v)
{
    if (m->nresults == 0)
        return SVC_OK;
    struct indicator *ind;
    int n;
    if (st->ops->indicator_list(st, &ind, &n) != ST_OK)
        return SVC_ERROR;
    for (int i = 0; i < m->nresults; i++) {
        bool known = false;
        for (int k = 0; k < n && !known; k++)
            known = strcmp(ind[k].code, m->results[i].indicator) == 0;
        if (!known)
            verrs_add(v, "results", "Unknown indicator.");
    }
    free(ind);
    return v->n ? SVC_INVALID : SVC_OK;
}

static int prepare(struct store *st, struct model *m, struct verrs *v)
{
    if (!m->owner_type && m->owner)
        m->owner_type = OWNER_ORGANIZATION;
    model_validate(m, v);
    if (!v->n || !m->unit_code[0])
        place_model(st, m, v);
    else {
        /* still report an unknown unit next to the other problems */
        struct unit u;
        if (unit_code_valid(m->unit_code) && unit_hierarchy_valid(m->hierarchy) &&
            st->ops->unit_get(st, m->hierarchy, m->unit_code, &u) != ST_OK)
            verrs_add(v, "unit_code", "Unknown unit.");
    }
    if (v->n == 0)
        check_indicators(st, m, v);
    return v->n ? SVC_INVALID : SVC_OK;
}

/* The model's audit id: its database id as text. */
static void idstr(const struct model *m, char out[24])
{
    snprintf(out, 24, "%lld", (long long)m->id);
}

static int create(struct store *st, const struct actor *a, struct model *m, const char *token, struct verrs *v)
{
    if (!m->registered_on[0])
        date_today(m->registered_on);
    int rc = prepare(st, m, v);
    if (rc)
        return rc;
    if (!authz_model_create(a, m))
        return SVC_FORBIDDEN;
    char id[24];
    /* the model, its audit entry and its submission token commit together or not at all */
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    rc = model_write_new(st, m);
    if (rc == SVC_OK) {
        json_t *after = model_to_json(m);
        idstr(m, id);
        rc = audit(st, a, "model", id, "create", NULL, after);
        json_decref(after);
    }
    if (rc == SVC_OK && token) {
        int src = st->ops->submission_add(st, a->user_id, token, m->id);
        rc = src == ST_EXISTS ? SVC_CONFLICT : st_to_svc(src);
    }
    rc = svc_finish(st, rc);
    if (rc != SVC_OK)
        m->id = 0;
    return rc;
}

int svc_model_create(struct store *st, const struct actor *a, struct model *m, struct verrs *v)
{
    int64_t earlier;
    return svc_model_create_once(st, a, m, NULL, &earlier, v);
}

bool svc_submission_valid(const char *token)
{
    size_t n = token ? strlen(token) : 0;
    if (n < 1 || n > 100)
        return false;
    for (size_t i = 0; i < n; i++)
        if (token[i] < 0x21 || token[i] > 0x7e)
            return false;
    return true;
}

int64_t svc_model_submitted(struct store *st, const struct actor *a, const char *token)
{
    int64_t id = 0;
    if (!svc_submission_valid(token) || st->ops->submission_find(st, a->user_id, token, &id) != ST_OK)
        return 0;
    return id;
}

int svc_model_create_once(struct store *st, const struct actor *a, struct model *m, const char *token,
                          int64_t *earlier, struct verrs *v)
{
    *earlier = 0;
    if (token && !svc_submission_valid(token))
        return SVC_BADREQ;
    if (token && (*earlier = svc_model_submitted(st, a, token)) != 0)
        return SVC_OK;
    if (m->status != STATUS_DRAFT && m->status != STATUS_REGISTERED)
        verrs_add(v, "status", "A new model is either a draft or registered.");
    if (m->typical)
        verrs_add(v, "typical", "Only a recognized model can be typical.");
    if (v->n)
        return SVC_INVALID;
    int rc = create(st, a, m, token, v);
    /* the same token sent twice at once: the other send created the model */
    if (rc == SVC_CONFLICT && token)
        return (*earlier = svc_model_submitted(st, a, token)) != 0 ? SVC_OK : SVC_ERROR;
    return rc;
}

int svc_model_import(struct store *st, const struct actor *a, struct model *m, struct verrs *v)
{
    return create(st, a, m, NULL, v);
}

static int get_any(struct store *st, int64_t id, struct model *out)
{
    int rc = st_to_svc(st->ops->model_get(st, id, out));
    if (rc)
        return rc;
    struct verrs v = {0};
    struct model_place stored = out->place;
    place_model(st, out, &v); /* fills unit_path; the stored place stays authoritative */
    out->place = stored;
    return SVC_OK;
}

int svc_model_get(struct store *st, const struct actor *a, int64_t id, struct model *out)
{
    int rc = get_any(st, id, out);
    if (rc)
        return rc;
    if (!authz_model_read(a, out)) {
        /* outside the reader's scope it does not exist for them: 404, not 403 */
        model_free(out);
        return SVC_NOTFOUND;
    }
    return SVC_OK;
}

int svc_model_update(struct store *st, const struct actor *a, struct model *m, int expected_version, struct verrs *v)
{
    struct model before;
    int rc = get_any(st, m->id, &before);
    if (rc)
        return rc;
    if (!authz_model_read(a, &before)) {
        model_free(&before);
        return SVC_NOTFOUND;
    }
    /* What changed besides the typical choice? (version and timestamps aside) */
    json_t *jb = model_to_json(&before), *jm = model_to_json(m);
    bool results_changed = !json_equal(json_object_get(jb, "results"), json_object_get(jm, "results"));
    const char *ignore[] = {"typical", "typical_reason", "results",  "version",
                            "updated_at", "created_at", "unit_name", "unit_path"};
    for (size_t i = 0; i < sizeof ignore / sizeof ignore[0]; i++) {
        json_object_del(jb, ignore[i]);
        json_object_del(jm, ignore[i]);
    }
    bool others_changed = !json_equal(jb, jm);
    json_decref(jb);
    json_decref(jm);
    /* Results come in after recognition too: whoever keeps the registration records them. */
    if (results_changed && !authz_model_register(a, &before) && !authz_model_decide(a, &before) &&
        !authz_model_edit(a, &before)) {
        model_free(&before);
        return SVC_FORBIDDEN;
    }
    bool typical_changed = m->typical != before.typical ||
                           strcmp(m->typical_reason ? m->typical_reason : "", before.typical_reason ? before.typical_reason : "");
    /* Choosing a model as typical is the committee's decision (whoever else may edit it), and says why. */
    if ((others_changed && !authz_model_edit(a, &before)) || (typical_changed && !authz_model_decide(a, &before)) ||
        (!others_changed && !typical_changed && !results_changed && !authz_model_edit(a, &before) &&
         !authz_model_decide(a, &before))) {
        model_free(&before);
        return SVC_FORBIDDEN;
    }
    /* The committee that decides is fixed once the registration is submitted: level,
     * unit and hierarchy change only in a draft (a registration can be returned to one). */
    if (before.status != STATUS_DRAFT &&
        (m->level != before.level || m->hierarchy != before.hierarchy || strcmp(m->unit_code, before.unit_code))) {
        if (m->level != before.level)
            verrs_add(v, "registration_level", "The level and the unit change only while the model is a draft.");
        else
            verrs_add(v, "unit_code", "The level and the unit change only while the model is a draft.");
        model_free(&before);
        return SVC_INVALID;
    }
    /* the reason is asked when a model becomes typical (or loses it); a typical model imported
     * from a register that gave none can still be edited */
    if (m->typical && (!m->typical_reason || !*m->typical_reason) &&
        (!before.typical || (before.typical_reason && *before.typical_reason)))
        verrs_add(v, "typical_reason", "Say why the model is typical.");
    rc = prepare(st, m, v);
    /* a move must stay inside the editor's scope */
    if (rc == SVC_OK && others_changed && !authz_model_edit(a, m))
        rc = SVC_FORBIDDEN;
    if (rc) {
        model_free(&before);
        return rc;
    }
    if (st->ops->begin(st) != ST_OK) {
        model_free(&before);
        return SVC_ERROR;
    }
    rc = model_write(st, m, expected_version);
    if (rc == SVC_OK) {
        json_t *b = model_to_json(&before), *after = model_to_json(m);
        char id[24];
        idstr(m, id);
        rc = audit(st, a, "model", id, "update", b, after);
        json_decref(b);
        json_decref(after);
    }
    rc = svc_finish(st, rc);
    if (rc != SVC_OK)
        m->version = before.version;
    model_free(&before);
    return rc;
}

int svc_model_place(struct store *st, struct model *m)
{
    struct verrs v = {0};
    return place_model(st, m, &v);
}

int svc_split_options(struct store *st, const struct model *m, struct unit_list *out)
{
    memset(out, 0, sizeof *out);
    struct code_list cl = {0};
    if (m->hierarchy != 2024 || !m->place.c24[0] || st->ops->mapping_new_of(st, m->place.c24, &cl) != ST_OK)
        return SVC_OK;
    if (cl.n > 1) {
        out->items = xmalloc((size_t)cl.n * sizeof *out->items);
        for (int i = 0; i < cl.n; i++)
            if (st->ops->unit_get(st, 2025, cl.codes[i], &out->items[out->n]) == ST_OK)
                out->n++;
    }
    code_list_free(&cl);
    return SVC_OK;
}

int svc_unit_place(struct store *st, int hierarchy, const char *code, struct model_place *p)
{
    struct model m;
    struct verrs v = {0};
    model_init(&m);
    m.hierarchy = hierarchy;
    snprintf(m.unit_code, sizeof m.unit_code, "%s", code);
    int rc = place_model(st, &m, &v);
    *p = m.place;
    model_free(&m);
    return rc == SVC_OK ? SVC_OK : SVC_NOTFOUND;
}

/* ---- listing ------------------------------------------------------------------------ */

static const char *const sort_names[SORT_COUNT] = {"-registered_on", "registered_on", "title", "code"};

static void hex_encode(const char *s, char *out, size_t outsz)
{
    static const char hx[] = "0123456789abcdef";
    size_t j = 0;
    for (; *s && j + 3 < outsz; s++) {
        out[j++] = hx[(unsigned char)*s >> 4];
        out[j++] = hx[(unsigned char)*s & 15];
    }
    out[j] = 0;
}

static bool hex_decode(const char *s, char *out, size_t outsz)
{
    size_t n = strlen(s), j = 0;
    if (n % 2 || n / 2 >= outsz)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        int hi = isdigit((unsigned char)s[i]) ? s[i] - '0' : (s[i] >= 'a' && s[i] <= 'f') ? s[i] - 'a' + 10 : -1;
        int lo = isdigit((unsigned char)s[i + 1]) ? s[i + 1] - '0'
                 : (s[i + 1] >= 'a' && s[i + 1] <= 'f') ? s[i + 1] - 'a' + 10
                                                         : -1;
        if (hi < 0 || lo < 0)
            return false;
        out[j++] = (char)(hi * 16 + lo);
    }
    out[j] = 0;
    return true;
}

static bool given(const char *s)
{
    return s && *s;
}

/* "G:N": a group (0 to 2) and a non-negative number. */
static bool search_key_valid(const char *k)
{
    if (k[0] < '0' || k[0] > '2' || k[1] != ':' || !k[2] || strlen(k) > 24)
        return false;
    for (const char *p = k + 2; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

/* Subtree filter: which stored column holds this unit's level. */
static int resolve_place(struct store *st, int h, const char *code, struct model_filter *f)
{
    struct unit u;
    if (!unit_code_valid(code) || st->ops->unit_get(st, h, code, &u) != ST_OK)
        return SVC_NOTFOUND;
    snprintf(f->place_code, sizeof f->place_code, "%s", code);
    if (unit_is_province(&u))
        f->place_col = h == 2024 ? PLACE_P24 : PLACE_P25;
    else if (unit_is_district(&u))
        f->place_col = PLACE_D24;
    else if (unit_is_commune(&u))
        f->place_col = h == 2024 ? PLACE_C24 : PLACE_C25;
    else {
        f->place_col = PLACE_UNIT;
        f->unit_hierarchy = h;
    }
    return SVC_OK;
}

static int list(struct store *st, const struct actor *a, bool showcase, const struct model_query *q,
                struct model_page *out, char next[NEXT_CURSOR_MAX], struct verrs *v);

int svc_model_list(struct store *st, const struct actor *a, const struct model_query *q, struct model_page *out,
                   char next[NEXT_CURSOR_MAX], struct verrs *v)
{
    return list(st, a, false, q, out, next, v);
}

int svc_showcase_list(struct store *st, const struct model_query *q, struct model_page *out, char next[NEXT_CURSOR_MAX],
                      struct verrs *v)
{
    return list(st, NULL, true, q, out, next, v);
}

int svc_showcase_get(struct store *st, int64_t id, struct model *out)
{
    int rc = get_any(st, id, out);
    if (rc)
        return rc;
    if (!out->is_public || !out->typical || out->status != STATUS_RECOGNIZED) {
        model_free(out);
        return SVC_NOTFOUND;
    }
    return SVC_OK;
}

static int list(struct store *st, const struct actor *a, bool showcase, const struct model_query *q,
                struct model_page *out, char next[NEXT_CURSOR_MAX], struct verrs *v)
{
    struct model_filter f;
    memset(&f, 0, sizeof f);
    memset(out, 0, sizeof *out);
    next[0] = 0;
    f.typical = -1;
    f.limit = 50;
    f.showcase = showcase;
    if (a) {
        if (a->role == ROLE_NONE || (a->scope_col == PLACE_NONE && a->role != ROLE_ADMIN && a->user_id != 0))
            return SVC_FORBIDDEN;
        f.scope_col = a->scope_col;
        snprintf(f.scope_code, sizeof f.scope_code, "%s", a->scope_code);
        f.scope_hierarchy = a->hierarchy;
    } else if (!showcase) {
        return SVC_FORBIDDEN;
    }
    if (given(q->field) && !(f.field = enum_parse(model_field_names, FIELD_COUNT, q->field)))
        verrs_add(v, "field", "Unknown value.");
    if (given(q->kind) && !(f.kind = enum_parse(model_kind_names, KIND_COUNT, q->kind)))
        verrs_add(v, "kind", "Unknown value.");
    if (given(q->status) && !(f.status = enum_parse(model_status_names, STATUS_COUNT, q->status)))
        verrs_add(v, "status", "Unknown value.");
    if (given(q->typical)) {
        if (strcmp(q->typical, "true") == 0 || strcmp(q->typical, "1") == 0)
            f.typical = 1;
        else if (strcmp(q->typical, "false") == 0 || strcmp(q->typical, "0") == 0)
            f.typical = 0;
        else
            verrs_add(v, "typical", "Unknown value.");
    }
    int h = 2025;
    if (given(q->hierarchy)) {
        h = atoi(q->hierarchy);
        if (!unit_hierarchy_valid(h) || strlen(q->hierarchy) != 4)
            verrs_add(v, "hierarchy", "The hierarchy must be 2024 or 2025.");
    }
    if (given(q->unit) && unit_hierarchy_valid(h) && resolve_place(st, h, q->unit, &f) != SVC_OK)
        verrs_add(v, "unit", "Unknown unit.");
    if (given(q->from) && !date_parse_any(q->from, f.from))
        verrs_add(v, "from", "Not a valid date.");
    if (given(q->to) && !date_parse_any(q->to, f.to))
        verrs_add(v, "to", "Not a valid date.");
    f.sort = SORT_REGISTERED_DESC;
    if (given(q->sort)) {
        int k = -1;
        for (int i = 0; i < SORT_COUNT; i++)
            if (strcmp(sort_names[i], q->sort) == 0)
                k = i;
        if (k < 0)
            verrs_add(v, "sort", "Unknown value.");
        else
            f.sort = k;
    }
    if (given(q->limit)) {
        char *end;
        long l = strtol(q->limit, &end, 10);
        if (*end || l < 1 || l > 200)
            verrs_add(v, "limit", "The limit must be a number from 1 to 200.");
        else
            f.limit = (int)l;
    }
    if (given(q->cursor)) {
        /* cursor = hex("sort|key|id") */
        char raw[3200];
        int sort;
        char *bar1, *bar2;
        if (!hex_decode(q->cursor, raw, sizeof raw) || !(bar1 = strchr(raw, '|')) || !(bar2 = strrchr(raw, '|')) ||
            bar1 == bar2 || (sort = atoi(raw)) != f.sort) {
            verrs_add(v, "cursor", "This page link is no longer valid.");
        } else {
            *bar2 = 0;
            f.has_cursor = true;
            snprintf(f.cursor_key, sizeof f.cursor_key, "%s", bar1 + 1);
            f.cursor_id = strtoll(bar2 + 1, NULL, 10);
        }
    }
    char *qf = NULL;
    if (given(q->q)) {
        if (text_chars(q->q) > 200)
            verrs_add(v, "q", "The search text is too long.");
        else
            qf = text_fold(q->q);
    }
    /* a search in a date order pages by its own key, "GROUP:ROWID" */
    if (f.has_cursor && qf && *qf && (f.sort == SORT_REGISTERED_DESC || f.sort == SORT_REGISTERED_ASC) &&
        !search_key_valid(f.cursor_key))
        verrs_add(v, "cursor", "This page link is no longer valid.");
    if (v->n) {
        free(qf);
        return SVC_INVALID;
    }
    f.q_fold = qf;
    int rc = st_to_svc(st->ops->model_list(st, &f, out));
    free(qf);
    if (rc == SVC_OK && out->more && out->n > 0) {
        char key[sizeof f.cursor_key], raw[3200];
        const struct model *last = &out->items[out->n - 1];
        if (out->next_key[0])
            snprintf(key, sizeof key, "%s", out->next_key);
        else
            model_sort_key(last, f.sort, key, sizeof key);
        snprintf(raw, sizeof raw, "%d|%s|%lld", f.sort, key, (long long)last->id);
        hex_encode(raw, next, NEXT_CURSOR_MAX);
    }
    return rc;
}
