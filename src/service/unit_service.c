/* unit_service.c: the administrative-unit catalogues: search, paths, CSV import. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "service/service.h"
#include "util/buf.h"
#include "util/text.h"

int svc_unit_search(struct store *st, int hierarchy, const char *q, int limit, struct unit_list *out)
{
    memset(out, 0, sizeof *out);
    char *f = text_fold(q);
    int rc = *f ? st->ops->unit_search(st, hierarchy, f, limit, out) : ST_OK;
    free(f);
    return rc == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_unit_path(struct store *st, int hierarchy, const char *code, struct unit path[5], int *n)
{
    struct unit chain[5];
    int k = 0;
    char cur[32];
    *n = 0;
    if (!unit_hierarchy_valid(hierarchy) || !code || !unit_code_valid(code))
        return SVC_NOTFOUND;
    snprintf(cur, sizeof cur, "%s", code);
    while (cur[0] && k < 5) {
        int rc = st->ops->unit_get(st, hierarchy, cur, &chain[k]);
        if (rc == ST_NOTFOUND)
            return k == 0 ? SVC_NOTFOUND : SVC_ERROR;
        if (rc)
            return SVC_ERROR;
        snprintf(cur, sizeof cur, "%s", chain[k].parent_code);
        k++;
    }
    for (int i = 0; i < k; i++)
        path[i] = chain[k - 1 - i];
    *n = k;
    return SVC_OK;
}

json_t *unit_to_json(const struct unit *u)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:s?, s:i}", "code", u->code, "name", u->name, "type", u->type, "level",
                     u->level, "parent_code", u->parent_code[0] ? u->parent_code : NULL, "hierarchy", u->hierarchy);
}

int svc_village_add(struct store *st, const struct actor *a, int hierarchy, const char *commune_code, const char *name,
                    struct unit *out, struct verrs *v)
{
    struct unit c;
    struct model_place place;
    if (!unit_hierarchy_valid(hierarchy) || !unit_code_valid(commune_code) ||
        st->ops->unit_get(st, hierarchy, commune_code, &c) != ST_OK ||
        svc_unit_place(st, hierarchy, commune_code, &place) != SVC_OK)
        return SVC_NOTFOUND;
    if (!authz_unit_edit(a, &place, hierarchy, commune_code))
        return SVC_FORBIDDEN;
    if (!unit_is_commune(&c)) {
        verrs_add(v, "code", "Villages are added under a commune or ward.");
        return SVC_INVALID;
    }
    char *clean = text_nfc_trim(name ? name : "");
    char *fold = text_fold(clean);
    int rc = SVC_OK;
    if (!*clean || !*fold)
        verrs_add(v, "name", "Enter the village's name.");
    else if (strlen(clean) >= sizeof out->name || text_chars(clean) > 100)
        verrs_add(v, "name", "The name is too long (at most 100 characters).");
    struct unit_list l = {0};
    /* one transaction: two officers adding villages at once get different codes */
    if (v->n == 0 && st->ops->begin(st) != ST_OK)
        rc = SVC_ERROR;
    else if (v->n == 0 && st->ops->unit_children(st, hierarchy, commune_code, &l) != ST_OK)
        rc = SVC_ERROR;
    int next = 1;
    for (int i = 0; i < l.n; i++) {
        char *f = text_fold(l.items[i].name);
        if (strcmp(f, fold) == 0)
            verrs_add(v, "name", "This commune already has a village with this name.");
        free(f);
        const char *dash = strrchr(l.items[i].code, '-');
        if (dash && atoi(dash + 1) >= next)
            next = atoi(dash + 1) + 1;
    }
    unit_list_free(&l);
    if (rc == SVC_OK && v->n)
        rc = SVC_INVALID;
    if (rc == SVC_OK) {
        memset(out, 0, sizeof *out);
        out->hierarchy = hierarchy;
        snprintf(out->code, sizeof out->code, "%s-%02d", commune_code, next);
        snprintf(out->name, sizeof out->name, "%s", clean);
        snprintf(out->type, sizeof out->type, "village");
        snprintf(out->parent_code, sizeof out->parent_code, "%s", commune_code);
        out->level = c.level + 1;
        json_t *after = unit_to_json(out);
        char id[48];
        snprintf(id, sizeof id, "%d:%s", hierarchy, out->code);
        rc = st->ops->unit_put(st, out) == ST_OK && audit(st, a, "unit", id, "create", NULL, after) == SVC_OK &&
                     st->ops->commit(st) == ST_OK
                 ? SVC_OK
                 : SVC_ERROR;
        json_decref(after);
    }
    if (rc != SVC_OK)
        st->ops->rollback(st); /* no-op when no transaction was begun */
    free(clean);
    free(fold);
    return rc;
}

json_t *unit_to_json_labelled(struct store *st, const struct unit *u)
{
    json_t *o = unit_to_json(u);
    struct unit path[5];
    int n = 0;
    if (svc_unit_path(st, u->hierarchy, u->code, path, &n) == SVC_OK) {
        struct buf b = BUF_INIT;
        for (int i = n - 1; i >= 0; i--)
            buf_printf(&b, "%s%s", path[i].name, i ? ", " : "");
        json_object_set_new(o, "label", json_string(b.p));
        buf_free(&b);
    }
    return o;
}

int svc_unit_children(struct store *st, int hierarchy, const char *code, struct unit_list *out)
{
    memset(out, 0, sizeof *out);
    if (!unit_hierarchy_valid(hierarchy))
        return SVC_NOTFOUND;
    if (code && *code) {
        struct unit u;
        if (!unit_code_valid(code) || st->ops->unit_get(st, hierarchy, code, &u) != ST_OK)
            return SVC_NOTFOUND;
    }
    return st->ops->unit_children(st, hierarchy, code && *code ? code : NULL, out) == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_indicators(struct store *st, struct indicator **out, int *n)
{
    return st->ops->indicator_list(st, out, n) == ST_OK ? SVC_OK : SVC_ERROR;
}

/* ---- CSV import ---------------------------------------------------------------- */

#define CSV_MAX_FIELDS 16

struct csv_state {
    struct buf fields[CSV_MAX_FIELDS];
    int nf;
    long line;
    int cols[CSV_MAX_FIELDS]; /* index of each wanted column in the file */
    const char *const *want;
    int nwant;
    bool header_done;
    int (*row)(struct csv_state *cs, const char **vals);
    struct store *st;
    int hierarchy;
    int64_t count;
    char *msg;
    size_t msgsz;
    int failed;
};

static void on_field(void *data, size_t len, void *ctx)
{
    struct csv_state *cs = ctx;
    if (cs->nf < CSV_MAX_FIELDS) {
        buf_reset(&cs->fields[cs->nf]);
        buf_add(&cs->fields[cs->nf], data, len);
    }
    cs->nf++;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    struct csv_state *cs = ctx;
    cs->line++;
    int nf = cs->nf < CSV_MAX_FIELDS ? cs->nf : CSV_MAX_FIELDS;
    cs->nf = 0;
    if (cs->failed)
        return;
    for (int i = 0; i < nf; i++) {
        if (!text_valid(buf_cstr(&cs->fields[i]), cs->fields[i].len)) {
            snprintf(cs->msg, cs->msgsz, "line %ld: invalid UTF-8 text", cs->line);
            cs->failed = 1;
            return;
        }
    }
    if (!cs->header_done) {
        const char *first = buf_cstr(&cs->fields[0]);
        if (strncmp(first, "\xEF\xBB\xBF", 3) == 0) /* BOM */
            memmove(cs->fields[0].p, cs->fields[0].p + 3, cs->fields[0].len - 2), cs->fields[0].len -= 3;
        for (int w = 0; w < cs->nwant; w++) {
            cs->cols[w] = -1;
            for (int i = 0; i < nf; i++)
                if (strcmp(buf_cstr(&cs->fields[i]), cs->want[w]) == 0)
                    cs->cols[w] = i;
            if (cs->cols[w] < 0) {
                snprintf(cs->msg, cs->msgsz, "line 1: the header has no column \"%s\"", cs->want[w]);
                cs->failed = 1;
                return;
            }
        }
        cs->header_done = true;
        return;
    }
    if (nf == 1 && cs->fields[0].len == 0)
        return; /* blank line */
    const char *vals[CSV_MAX_FIELDS];
    for (int w = 0; w < cs->nwant; w++)
        vals[w] = cs->cols[w] < nf ? buf_cstr(&cs->fields[cs->cols[w]]) : "";
    if (cs->row(cs, vals))
        cs->failed = 1;
    else
        cs->count++;
}

static int unit_row(struct csv_state *cs, const char **v)
{
    struct unit u;
    memset(&u, 0, sizeof u);
    u.hierarchy = cs->hierarchy;
    char *level_end;
    long level = strtol(v[4], &level_end, 10);
    int max_level = cs->hierarchy == 2024 ? 4 : 3;
    if (!unit_code_valid(v[0])) {
        snprintf(cs->msg, cs->msgsz, "line %ld: bad code \"%.40s\"", cs->line, v[0]);
        return -1;
    }
    if (!*v[1] || strlen(v[1]) >= sizeof u.name) {
        snprintf(cs->msg, cs->msgsz, "line %ld: the name is empty or too long", cs->line);
        return -1;
    }
    if (*level_end || level < 1 || level > max_level) {
        snprintf(cs->msg, cs->msgsz, "line %ld: the level must be 1 to %d", cs->line, max_level);
        return -1;
    }
    if ((level == 1) != (*v[3] == 0) || (*v[3] && !unit_code_valid(v[3]))) {
        snprintf(cs->msg, cs->msgsz, "line %ld: a province has no parent and every other unit has one", cs->line);
        return -1;
    }
    if (!*v[2] || strlen(v[2]) >= sizeof u.type) {
        snprintf(cs->msg, cs->msgsz, "line %ld: bad type", cs->line);
        return -1;
    }
    snprintf(u.code, sizeof u.code, "%s", v[0]);
    char *name = text_nfc_trim(v[1]);
    snprintf(u.name, sizeof u.name, "%s", name);
    free(name);
    snprintf(u.type, sizeof u.type, "%s", v[2]);
    snprintf(u.parent_code, sizeof u.parent_code, "%s", v[3]);
    u.level = (int)level;
    if (cs->st->ops->unit_put(cs->st, &u) != ST_OK) {
        snprintf(cs->msg, cs->msgsz, "line %ld: could not store the unit", cs->line);
        return -1;
    }
    return 0;
}

static int mapping_row(struct csv_state *cs, const char **v)
{
    if (!unit_code_valid(v[0]) || !unit_code_valid(v[1])) {
        snprintf(cs->msg, cs->msgsz, "line %ld: bad code", cs->line);
        return -1;
    }
    if (cs->st->ops->mapping_put(cs->st, v[0], v[1]) != ST_OK) {
        snprintf(cs->msg, cs->msgsz, "line %ld: could not store the mapping", cs->line);
        return -1;
    }
    return 0;
}

/* After loading: every parent exists one level up (units), or every mapped
 * code exists in its catalogue (mapping, hierarchy 0). */
static int check_units(struct csv_state *cs)
{
    char bad[32] = "";
    int64_t n = 0;
    if (cs->st->ops->unit_check(cs->st, cs->hierarchy, &n, bad) != ST_OK) {
        snprintf(cs->msg, cs->msgsz, "could not check the catalogue");
        return -1;
    }
    if (n > 0) {
        snprintf(cs->msg, cs->msgsz,
                 cs->hierarchy ? "%lld units have no parent one level up, e.g. %s"
                               : "%lld mapped codes are not in the catalogues, e.g. %s (import both catalogues first)",
                 (long long)n, bad);
        return -1;
    }
    return 0;
}

static int replace_places(struct store *st);

static int run_csv(struct csv_state *cs, FILE *f)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        snprintf(cs->msg, cs->msgsz, "out of memory");
        return SVC_ERROR;
    }
    if (cs->st->ops->begin(cs->st) != ST_OK) {
        csv_free(&p);
        snprintf(cs->msg, cs->msgsz, "the database is busy or read-only");
        return SVC_ERROR;
    }
    char chunk[65536];
    size_t n;
    while (!cs->failed && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (csv_parse(&p, chunk, n, on_field, on_row, cs) != n) {
            snprintf(cs->msg, cs->msgsz, "line %ld: %s", cs->line + 1, csv_strerror(csv_error(&p)));
            cs->failed = 1;
        }
    }
    if (!cs->failed)
        csv_fini(&p, on_field, on_row, cs);
    csv_free(&p);
    if (!cs->failed && !cs->header_done) {
        snprintf(cs->msg, cs->msgsz, "the file is empty");
        cs->failed = 1;
    }
    if (!cs->failed && check_units(cs))
        cs->failed = 1;
    if (!cs->failed && replace_places(cs->st)) {
        snprintf(cs->msg, cs->msgsz, "could not update the places of existing records");
        cs->failed = 1;
    }
    if (!cs->failed) {
        struct actor sys;
        actor_system(&sys);
        json_t *after = json_pack("{s:I}", "rows", (json_int_t)cs->count);
        char id[16];
        snprintf(id, sizeof id, "%d", cs->hierarchy);
        if (audit(cs->st, &sys, cs->hierarchy ? "catalogue" : "mapping", cs->hierarchy ? id : "2024-2025", "import",
                  NULL, after) != SVC_OK) {
            snprintf(cs->msg, cs->msgsz, "could not write the audit trail");
            cs->failed = 1;
        }
        json_decref(after);
    }
    for (int i = 0; i < CSV_MAX_FIELDS; i++)
        buf_free(&cs->fields[i]);
    if (cs->failed) {
        cs->st->ops->rollback(cs->st);
        return SVC_INVALID;
    }
    if (cs->st->ops->commit(cs->st) != ST_OK) {
        snprintf(cs->msg, cs->msgsz, "could not commit");
        return SVC_ERROR;
    }
    return SVC_OK;
}

/* After a catalogue or mapping import the stored places of existing models, replications,
 * conferences and awards are recomputed, in the same transaction, so filters, scopes and
 * reports stay right (a commune found split moves them all to its "not assigned" row). */
static int replace_places(struct store *st)
{
    struct place_ref refs[500];
    for (int t = 0; t < PLACED_COUNT; t++) {
        int64_t after = 0;
        int n;
        do {
            if (st->ops->place_refs(st, t, after, 500, refs, &n) != ST_OK)
                return -1;
            for (int i = 0; i < n; i++) {
                struct model_place p;
                after = refs[i].id;
                if (svc_unit_place(st, refs[i].hierarchy, refs[i].unit_code, &p) != SVC_OK)
                    continue; /* its unit is gone: the old place is better than none */
                if (st->ops->place_set(st, t, refs[i].id, &p) != ST_OK)
                    return -1;
            }
        } while (n == 500);
    }
    return 0;
}

int svc_units_import(struct store *st, int hierarchy, FILE *f, int64_t *count, char *msg, size_t msgsz)
{
    static const char *const want[] = {"code", "name", "type", "parent_code", "level"};
    struct csv_state cs = {.want = want, .nwant = 5, .row = unit_row, .st = st, .hierarchy = hierarchy, .msg = msg,
                           .msgsz = msgsz};
    if (!unit_hierarchy_valid(hierarchy)) {
        snprintf(msg, msgsz, "the hierarchy must be 2024 or 2025");
        return SVC_INVALID;
    }
    int rc = run_csv(&cs, f);
    *count = cs.count;
    return rc;
}

int svc_mapping_import(struct store *st, FILE *f, int64_t *count, char *msg, size_t msgsz)
{
    static const char *const want[] = {"old_code", "new_code"};
    struct csv_state cs = {.want = want, .nwant = 2, .row = mapping_row, .st = st, .msg = msg, .msgsz = msgsz};
    int rc = run_csv(&cs, f);
    *count = cs.count;
    return rc;
}
