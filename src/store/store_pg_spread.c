/* store_pg_spread.c: the PostgreSQL engine's replications, conferences and awards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/pg_int.h"
#include "util/buf.h"
#include "util/date.h"

int p_replication_insert(struct store *base, struct replication *r)
{
    struct pg_store *s = S(base);
    date_now_iso(r->created_at);
    pq_stmt *st = pg_once(s, "INSERT INTO replications (model_id, hierarchy, unit_code, since, replica_model_id, note,"
                                  " created_at, login, p24, d24, c24, p25, c25) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                  " ON CONFLICT (model_id, hierarchy, unit_code) DO NOTHING RETURNING id");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, r->model_id);
    pq_bind_int(st, 2, r->hierarchy);
    pg_bind_text(st, 3, r->unit_code);
    pg_bind_text(st, 4, r->since);
    pg_bind_id(st, 5, r->replica_model_id);
    pg_bind_text(st, 6, r->note);
    pg_bind_text(st, 7, r->created_at);
    pg_bind_text_empty(st, 8, r->login);
    pg_bind_text(st, 9, r->place.p24);
    pg_bind_text(st, 10, r->place.d24);
    pg_bind_text(st, 11, r->place.c24);
    pg_bind_text(st, 12, r->place.p25);
    pg_bind_text(st, 13, r->place.c25);
    int rc = pq_step(st);
    pq_finalize(st);
    if (rc == PQ_CONSTRAINT || (rc == PQ_DONE && s->changes == 0)) /* recorded in that unit already */
        return ST_EXISTS;
    if (rc != PQ_DONE)
        return pg_fail(s, "replication_insert");
    r->id = s->last_id;
    return ST_OK;
}

int p_replication_delete(struct store *base, int64_t model_id, int64_t id)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "DELETE FROM replications WHERE model_id = ? AND id = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, model_id);
    pq_bind_int64(st, 2, id);
    if (pg_done(s, st, "replication_delete") != ST_OK)
        return ST_ERR;
    return s->changes ? ST_OK : ST_NOTFOUND;
}

int p_replication_list(struct store *base, int64_t model_id, struct replication **out, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT r.id, r.hierarchy, r.unit_code, r.since, coalesce(r.replica_model_id, 0), r.note,"
                                  " r.created_at, r.login, u.name, u.parent_code, u.level FROM replications r"
                                  " JOIN units u ON u.hierarchy = r.hierarchy AND u.code = r.unit_code"
                                  " WHERE r.model_id = ? ORDER BY u.parent_code, u.name_key, r.id");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, model_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct replication *r = &(*out)[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = pq_column_int64(st, 0);
        r->model_id = model_id;
        r->hierarchy = pq_column_int(st, 1);
        pg_col_cpy(st, 2, r->unit_code, sizeof r->unit_code);
        pg_col_cpy(st, 3, r->since, sizeof r->since);
        r->replica_model_id = pq_column_int64(st, 4);
        r->note = pg_col_dup(st, 5);
        pg_col_cpy(st, 6, r->created_at, sizeof r->created_at);
        pg_col_cpy(st, 7, r->login, sizeof r->login);
        pg_col_cpy(st, 8, r->unit_name, sizeof r->unit_name);
        pg_col_cpy(st, 9, r->parent_code, sizeof r->parent_code);
        r->level = pq_column_int(st, 10);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "replication_list");
}

int p_replication_sources(struct store *base, int64_t replica_id, int64_t *out, int max, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT DISTINCT model_id FROM replications WHERE replica_model_id = ? ORDER BY model_id");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, replica_id);
    int rc;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW && *n < max)
        out[(*n)++] = pq_column_int64(st, 0);
    pq_finalize(st);
    return rc == PQ_DONE || rc == PQ_ROW ? ST_OK : pg_fail(s, "replication_sources");
}

static void bind_place(pq_stmt *st, int i, const struct model_place *p)
{
    pg_bind_text(st, i, p->p24);
    pg_bind_text(st, i + 1, p->d24);
    pg_bind_text(st, i + 2, p->c24);
    pg_bind_text(st, i + 3, p->p25);
    pg_bind_text(st, i + 4, p->c25);
}

int p_event_insert(struct store *base, struct commendation_event *e)
{
    struct pg_store *s = S(base);
    date_now_iso(e->created_at);
    pq_stmt *st = pg_once(s, "INSERT INTO commendation_events (title, kind, span_years, hierarchy, unit_code, level,"
                                  " held_on, period_from, period_to, p24, d24, c24, p25, c25, created_at, login)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, e->title);
    pg_bind_text(st, 2, event_kind_names[e->kind]);
    pq_bind_int(st, 3, e->span_years);
    pq_bind_int(st, 4, e->hierarchy);
    pg_bind_text(st, 5, e->unit_code);
    pg_bind_text(st, 6, reg_level_names[e->level]);
    pg_bind_text(st, 7, e->held_on);
    pg_bind_text(st, 8, e->period_from);
    pg_bind_text(st, 9, e->period_to);
    bind_place(st, 10, &e->place);
    pg_bind_text(st, 15, e->created_at);
    pg_bind_text_empty(st, 16, e->login);
    if (pg_done(s, st, "event_insert") != ST_OK)
        return ST_ERR;
    e->id = s->last_id;
    return ST_OK;
}

#define EVENT_COLS                                                                                              \
    "e.id, e.title, e.kind, e.span_years, e.hierarchy, e.unit_code, e.level, e.held_on, e.period_from, "          \
    "e.period_to, coalesce(e.p24, ''), coalesce(e.d24, ''), coalesce(e.c24, ''), coalesce(e.p25, ''), "          \
    "coalesce(e.c25, ''), e.created_at, e.login, u.name FROM commendation_events e LEFT JOIN units u ON "       \
    "u.hierarchy = e.hierarchy AND u.code = e.unit_code"

static void read_event(pq_stmt *st, struct commendation_event *e)
{
    memset(e, 0, sizeof *e);
    e->id = pq_column_int64(st, 0);
    e->title = pg_col_dup(st, 1);
    e->kind = enum_parse(event_kind_names, EVENT_KIND_COUNT, (const char *)pq_column_text(st, 2));
    e->span_years = pq_column_int(st, 3);
    e->hierarchy = pq_column_int(st, 4);
    pg_col_cpy(st, 5, e->unit_code, sizeof e->unit_code);
    e->level = enum_parse(reg_level_names, LEVEL_COUNT, (const char *)pq_column_text(st, 6));
    pg_col_cpy(st, 7, e->held_on, sizeof e->held_on);
    pg_col_cpy(st, 8, e->period_from, sizeof e->period_from);
    pg_col_cpy(st, 9, e->period_to, sizeof e->period_to);
    pg_col_cpy(st, 10, e->place.p24, sizeof e->place.p24);
    pg_col_cpy(st, 11, e->place.d24, sizeof e->place.d24);
    pg_col_cpy(st, 12, e->place.c24, sizeof e->place.c24);
    pg_col_cpy(st, 13, e->place.p25, sizeof e->place.p25);
    pg_col_cpy(st, 14, e->place.c25, sizeof e->place.c25);
    pg_col_cpy(st, 15, e->created_at, sizeof e->created_at);
    pg_col_cpy(st, 16, e->login, sizeof e->login);
    pg_col_cpy(st, 17, e->unit_name, sizeof e->unit_name);
}

int p_event_get(struct store *base, int64_t id, struct commendation_event *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT " EVENT_COLS " WHERE e.id = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, id);
    int rc = pq_step(st);
    if (rc == PQ_ROW)
        read_event(st, out);
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : rc == PQ_DONE ? ST_NOTFOUND : pg_fail(s, "event_get");
}

static const char *const place_cols[] = {"", "e.p24", "e.d24", "e.c24", "e.p25", "e.c25", "e.unit_code"};

int p_event_list(struct store *base, int scope_col, const char *scope_code, int limit,
                 struct commendation_event **out, int *n)
{
    struct pg_store *s = S(base);
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT " EVENT_COLS);
    if (scope_col > 0 && scope_col <= 6)
        buf_printf(&sql, " WHERE %s = ?", place_cols[scope_col]);
    buf_puts(&sql, " ORDER BY e.held_on DESC, e.id DESC LIMIT ?");
    pq_stmt *st = pg_once(s, sql.p);
    buf_free(&sql);
    if (!st)
        return ST_ERR;
    int i = 1;
    if (scope_col > 0 && scope_col <= 6)
        pg_bind_text_empty(st, i++, scope_code);
    pq_bind_int(st, i, limit);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        read_event(st, &(*out)[(*n)++]);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "event_list");
}

int p_award_insert(struct store *base, struct award *a)
{
    struct pg_store *s = S(base);
    date_now_iso(a->created_at);
    pq_stmt *st = pg_once(s, "INSERT INTO awards (event_id, recipient_type, model_id, recipient_name, form, issuer,"
                                  " decision_no, decision_date, amount_vnd, hierarchy, unit_code, p24, d24, c24, p25, c25,"
                                  " created_at, login) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st)
        return ST_ERR;
    pg_bind_id(st, 1, a->event_id);
    pg_bind_text(st, 2, recipient_type_names[a->recipient_type]);
    pg_bind_id(st, 3, a->model_id);
    pg_bind_text_empty(st, 4, a->recipient_name);
    pg_bind_text(st, 5, award_form_names[a->form]);
    pg_bind_text_empty(st, 6, a->issuer);
    pg_bind_text(st, 7, a->decision_no);
    pg_bind_text(st, 8, a->decision_date);
    if (a->amount_vnd >= 0)
        pq_bind_double(st, 9, a->amount_vnd);
    else
        pq_bind_null(st, 9);
    pq_bind_int(st, 10, a->hierarchy);
    pg_bind_text(st, 11, a->unit_code);
    bind_place(st, 12, &a->place);
    pg_bind_text(st, 17, a->created_at);
    pg_bind_text_empty(st, 18, a->login);
    if (pg_done(s, st, "award_insert") != ST_OK)
        return ST_ERR;
    a->id = s->last_id;
    return ST_OK;
}

int p_award_list(struct store *base, int64_t model_id, int64_t event_id, struct award **out, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT id, coalesce(event_id, 0), recipient_type, coalesce(model_id, 0), recipient_name,"
                                  " form, issuer, decision_no, decision_date, coalesce(amount_vnd, -1), hierarchy,"
                                  " unit_code, created_at, login FROM awards"
                                  " WHERE (?1 > 0 AND model_id = ?1) OR (?2 > 0 AND event_id = ?2)"
                                  " ORDER BY coalesce(decision_date, created_at), id");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, model_id);
    pq_bind_int64(st, 2, event_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct award *a = &(*out)[(*n)++];
        memset(a, 0, sizeof *a);
        a->id = pq_column_int64(st, 0);
        a->event_id = pq_column_int64(st, 1);
        a->recipient_type = enum_parse(recipient_type_names, RECIPIENT_COUNT, (const char *)pq_column_text(st, 2));
        a->model_id = pq_column_int64(st, 3);
        a->recipient_name = pg_col_dup(st, 4);
        a->form = enum_parse(award_form_names, AWARD_FORM_COUNT, (const char *)pq_column_text(st, 5));
        a->issuer = pg_col_dup(st, 6);
        pg_col_cpy(st, 7, a->decision_no, sizeof a->decision_no);
        pg_col_cpy(st, 8, a->decision_date, sizeof a->decision_date);
        a->amount_vnd = pq_column_double(st, 9);
        a->hierarchy = pq_column_int(st, 10);
        pg_col_cpy(st, 11, a->unit_code, sizeof a->unit_code);
        pg_col_cpy(st, 12, a->created_at, sizeof a->created_at);
        pg_col_cpy(st, 13, a->login, sizeof a->login);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "award_list");
}

int p_award_get(struct store *base, int64_t id, struct award *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT id, coalesce(event_id, 0), recipient_type, coalesce(model_id, 0), recipient_name,"
                                  " form, issuer, decision_no, decision_date, coalesce(amount_vnd, -1), hierarchy,"
                                  " unit_code, created_at, login, coalesce(p24, ''), coalesce(d24, ''), coalesce(c24, ''),"
                                  " coalesce(p25, ''), coalesce(c25, '') FROM awards WHERE id = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, id);
    int rc = pq_step(st);
    if (rc == PQ_ROW) {
        struct award *a = out;
        memset(a, 0, sizeof *a);
        a->id = pq_column_int64(st, 0);
        a->event_id = pq_column_int64(st, 1);
        a->recipient_type = enum_parse(recipient_type_names, RECIPIENT_COUNT, (const char *)pq_column_text(st, 2));
        a->model_id = pq_column_int64(st, 3);
        a->recipient_name = pg_col_dup(st, 4);
        a->form = enum_parse(award_form_names, AWARD_FORM_COUNT, (const char *)pq_column_text(st, 5));
        a->issuer = pg_col_dup(st, 6);
        pg_col_cpy(st, 7, a->decision_no, sizeof a->decision_no);
        pg_col_cpy(st, 8, a->decision_date, sizeof a->decision_date);
        a->amount_vnd = pq_column_double(st, 9);
        a->hierarchy = pq_column_int(st, 10);
        pg_col_cpy(st, 11, a->unit_code, sizeof a->unit_code);
        pg_col_cpy(st, 12, a->created_at, sizeof a->created_at);
        pg_col_cpy(st, 13, a->login, sizeof a->login);
        pg_col_cpy(st, 14, a->place.p24, sizeof a->place.p24);
        pg_col_cpy(st, 15, a->place.d24, sizeof a->place.d24);
        pg_col_cpy(st, 16, a->place.c24, sizeof a->place.c24);
        pg_col_cpy(st, 17, a->place.p25, sizeof a->place.p25);
        pg_col_cpy(st, 18, a->place.c25, sizeof a->place.c25);
    }
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : rc == PQ_DONE ? ST_NOTFOUND : pg_fail(s, "award_get");
}

int p_appraisal_model(struct store *base, int64_t appraisal_id, int64_t *model_id)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT model_id FROM appraisals WHERE id = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, appraisal_id);
    int rc = pq_step(st);
    if (rc == PQ_ROW)
        *model_id = pq_column_int64(st, 0);
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : rc == PQ_DONE ? ST_NOTFOUND : pg_fail(s, "appraisal_model");
}

#define ATT_COLS "id, entity, entity_id, coalesce(model_id, 0), sha256, size, kind, name, has_thumb, created_at, login"

static void read_attachment(pq_stmt *st, struct attachment *a)
{
    memset(a, 0, sizeof *a);
    a->id = pq_column_int64(st, 0);
    pg_col_cpy(st, 1, a->entity, sizeof a->entity);
    a->entity_id = pq_column_int64(st, 2);
    a->model_id = pq_column_int64(st, 3);
    pg_col_cpy(st, 4, a->sha256, sizeof a->sha256);
    a->size = pq_column_int64(st, 5);
    a->kind = enum_parse(file_kind_ext, FILE_KIND_COUNT, (const char *)pq_column_text(st, 6));
    pg_col_cpy(st, 7, a->name, sizeof a->name);
    a->has_thumb = pq_column_int(st, 8) != 0;
    pg_col_cpy(st, 9, a->created_at, sizeof a->created_at);
    pg_col_cpy(st, 10, a->login, sizeof a->login);
}

int p_attachment_insert(struct store *base, struct attachment *a)
{
    struct pg_store *s = S(base);
    date_now_iso(a->created_at);
    pq_stmt *st = pg_once(s, "INSERT INTO attachments (entity, entity_id, model_id, sha256, size, kind, name,"
                                  " has_thumb, created_at, login) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, a->entity);
    pq_bind_int64(st, 2, a->entity_id);
    pg_bind_id(st, 3, a->model_id);
    pg_bind_text(st, 4, a->sha256);
    pq_bind_int64(st, 5, a->size);
    pg_bind_text(st, 6, file_kind_ext[a->kind]);
    pg_bind_text_empty(st, 7, a->name);
    pq_bind_int(st, 8, a->has_thumb);
    pg_bind_text(st, 9, a->created_at);
    pg_bind_text_empty(st, 10, a->login);
    if (pg_done(s, st, "attachment_insert") != ST_OK)
        return ST_ERR;
    a->id = s->last_id;
    return ST_OK;
}

int p_attachment_get(struct store *base, int64_t id, struct attachment *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT " ATT_COLS " FROM attachments WHERE id = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, id);
    int rc = pq_step(st);
    if (rc == PQ_ROW)
        read_attachment(st, out);
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : rc == PQ_DONE ? ST_NOTFOUND : pg_fail(s, "attachment_get");
}

int p_attachment_list(struct store *base, const char *entity, int64_t entity_id, struct attachment **out, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT " ATT_COLS " FROM attachments WHERE entity = ? AND entity_id = ? ORDER BY id");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, entity);
    pq_bind_int64(st, 2, entity_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        read_attachment(st, &(*out)[(*n)++]);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "attachment_list");
}
