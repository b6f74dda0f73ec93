/* store_pg_lifecycle.c: the PostgreSQL engine's model history, scoring catalogue and appraisals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/pg_int.h"
#include "util/buf.h"
#include "util/date.h"

int p_model_transition(struct store *base, int64_t id, int from, int to, const struct model_event *e)
{
    struct pg_store *s = S(base);
    char now[21];
    date_now_iso(now);
    /* typical belongs to recognized models only: leaving that state clears it */
    /* the day of recognition is the decision's date, or today's (migration 013) */
    pq_stmt *st = pg_once(s, "UPDATE models SET status = ?1, version = version + 1, updated_at = ?2,"
                                  " typical = CASE WHEN ?1 = 'recognized' THEN typical ELSE 0 END,"
                                  " recognized_on = CASE WHEN ?1 = 'recognized' THEN coalesce(?5, substr(?2, 1, 10)) END"
                                  " WHERE id = ?3 AND status = ?4");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, model_status_names[to]);
    pg_bind_text(st, 2, now);
    pq_bind_int64(st, 3, id);
    pg_bind_text(st, 4, model_status_names[from]);
    pg_bind_text(st, 5, e->decision_date);
    if (pg_done(s, st, "model_transition") != ST_OK)
        return ST_ERR;
    if (s->changes == 0)
        return ST_CONFLICT;
    st = pg_once(s, "INSERT INTO model_events (model_id, at, login, from_status, to_status, comment, decision_no,"
                    " decision_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, id);
    pg_bind_text(st, 2, now);
    pg_bind_text_empty(st, 3, e->login);
    pg_bind_text(st, 4, model_status_names[from]);
    pg_bind_text(st, 5, model_status_names[to]);
    pg_bind_text(st, 6, e->comment);
    pg_bind_text(st, 7, e->decision_no);
    pg_bind_text(st, 8, e->decision_date);
    return pg_done(s, st, "model_event");
}

int p_model_events(struct store *base, int64_t id, struct model_event **out, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT id, at, login, from_status, to_status, comment, decision_no, decision_date"
                                  " FROM model_events WHERE model_id = ? ORDER BY id");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct model_event *e = &(*out)[(*n)++];
        memset(e, 0, sizeof *e);
        e->id = pq_column_int64(st, 0);
        pg_col_cpy(st, 1, e->at, sizeof e->at);
        pg_col_cpy(st, 2, e->login, sizeof e->login);
        e->from = enum_parse(model_status_names, STATUS_COUNT, (const char *)pq_column_text(st, 3));
        e->to = enum_parse(model_status_names, STATUS_COUNT, (const char *)pq_column_text(st, 4));
        e->comment = pg_col_dup(st, 5);
        pg_col_cpy(st, 6, e->decision_no, sizeof e->decision_no);
        pg_col_cpy(st, 7, e->decision_date, sizeof e->decision_date);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "model_events");
}

static int read_criteria(struct pg_store *s, int h, const char *province, struct criterion *out, int *n)
{
    pq_stmt *st = pg_once(s, "SELECT code, name, weight, max_score FROM criteria WHERE hierarchy = ?"
                                  " AND province_code = ? ORDER BY sort, code");
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, h);
    pg_bind_text_empty(st, 2, province);
    int rc;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW && *n < CRITERIA_MAX) {
        struct criterion *c = &out[(*n)++];
        pg_col_cpy(st, 0, c->code, sizeof c->code);
        pg_col_cpy(st, 1, c->name, sizeof c->name);
        c->weight = pq_column_double(st, 2);
        c->max_score = pq_column_double(st, 3);
    }
    pq_finalize(st);
    return rc == PQ_DONE || rc == PQ_ROW ? ST_OK : pg_fail(s, "criteria");
}

int p_criteria_get(struct store *base, int h, const char *province, struct criterion *out, int *n)
{
    struct pg_store *s = S(base);
    int rc = read_criteria(s, h, province, out, n);
    if (rc == ST_OK && *n == 0)
        rc = read_criteria(s, 0, "", out, n);
    return rc;
}

int p_criteria_put(struct store *base, int h, const char *province, const struct criterion *c, int n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "DELETE FROM criteria WHERE hierarchy = ? AND province_code = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, h);
    pg_bind_text_empty(st, 2, province);
    if (pg_done(s, st, "criteria_put") != ST_OK)
        return ST_ERR;
    for (int i = 0; i < n; i++) {
        st = pg_once(s, "INSERT INTO criteria (hierarchy, province_code, code, name, weight, max_score, sort)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!st)
            return ST_ERR;
        pq_bind_int(st, 1, h);
        pg_bind_text_empty(st, 2, province);
        pg_bind_text_empty(st, 3, c[i].code);
        pg_bind_text_empty(st, 4, c[i].name);
        pq_bind_double(st, 5, c[i].weight);
        pq_bind_double(st, 6, c[i].max_score);
        pq_bind_int(st, 7, i + 1);
        if (pg_done(s, st, "criteria_put") != ST_OK)
            return ST_ERR;
    }
    return ST_OK;
}

int p_threshold_get(struct store *base, int h, const char *unit_code, double *pass_score)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT pass_score FROM appraisal_thresholds WHERE hierarchy = ? AND unit_code = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, h);
    pg_bind_text_empty(st, 2, unit_code);
    int rc = pq_step(st);
    if (rc == PQ_ROW)
        *pass_score = pq_column_double(st, 0);
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : rc == PQ_DONE ? ST_NOTFOUND : pg_fail(s, "threshold_get");
}

int p_threshold_put(struct store *base, int h, const char *unit_code, double pass_score)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "INSERT INTO appraisal_thresholds (hierarchy, unit_code, pass_score) VALUES (?1, ?2, ?3)"
                                  " ON CONFLICT (hierarchy, unit_code) DO UPDATE SET pass_score = ?3");
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, h);
    pg_bind_text_empty(st, 2, unit_code);
    pq_bind_double(st, 3, pass_score);
    return pg_done(s, st, "threshold_put");
}

int p_appraisal_insert(struct store *base, struct appraisal *a)
{
    struct pg_store *s = S(base);
    date_now_iso(a->created_at);
    pq_stmt *st = pg_once(s, "INSERT INTO appraisals (model_id, visit_date, members, findings, conclusion, score,"
                                  " pass_score, passed, created_at, login) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, a->model_id);
    pg_bind_text(st, 2, a->visit_date);
    pg_bind_text_empty(st, 3, a->members);
    pg_bind_text(st, 4, a->findings);
    pg_bind_text(st, 5, a->conclusion);
    pq_bind_double(st, 6, a->score);
    pq_bind_double(st, 7, a->pass_score);
    pq_bind_int(st, 8, a->passed);
    pg_bind_text(st, 9, a->created_at);
    pg_bind_text_empty(st, 10, a->login);
    if (pg_done(s, st, "appraisal_insert") != ST_OK)
        return ST_ERR;
    a->id = s->last_id;
    for (int i = 0; i < a->nscores; i++) {
        st = pg_once(s, "INSERT INTO appraisal_scores (appraisal_id, code, name, weight, max_score, score)"
                        " VALUES (?, ?, ?, ?, ?, ?)");
        if (!st)
            return ST_ERR;
        pq_bind_int64(st, 1, a->id);
        pg_bind_text_empty(st, 2, a->scores[i].code);
        pg_bind_text_empty(st, 3, a->scores[i].name);
        pq_bind_double(st, 4, a->scores[i].weight);
        pq_bind_double(st, 5, a->scores[i].max_score);
        pq_bind_double(st, 6, a->scores[i].score);
        if (pg_done(s, st, "appraisal_score") != ST_OK)
            return ST_ERR;
    }
    return ST_OK;
}

int p_appraisal_list(struct store *base, int64_t model_id, struct appraisal **out, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT id, visit_date, members, findings, conclusion, score, pass_score, passed,"
                                  " created_at, login FROM appraisals WHERE model_id = ? ORDER BY id");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, model_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct appraisal *a = &(*out)[(*n)++];
        memset(a, 0, sizeof *a);
        a->id = pq_column_int64(st, 0);
        a->model_id = model_id;
        pg_col_cpy(st, 1, a->visit_date, sizeof a->visit_date);
        a->members = pg_col_dup(st, 2);
        a->findings = pg_col_dup(st, 3);
        a->conclusion = pg_col_dup(st, 4);
        a->score = pq_column_double(st, 5);
        a->pass_score = pq_column_double(st, 6);
        a->passed = pq_column_int(st, 7) != 0;
        pg_col_cpy(st, 8, a->created_at, sizeof a->created_at);
        pg_col_cpy(st, 9, a->login, sizeof a->login);
    }
    pq_finalize(st);
    if (rc != PQ_DONE)
        return pg_fail(s, "appraisal_list");
    for (int i = 0; i < *n; i++) {
        struct appraisal *a = &(*out)[i];
        st = pg_once(s, "SELECT code, name, weight, max_score, score FROM appraisal_scores WHERE appraisal_id = ?"
                        " ORDER BY ctid"); /* in the order written (the rows are never updated) */
        if (!st)
            return ST_ERR;
        pq_bind_int64(st, 1, a->id);
        while ((rc = pq_step(st)) == PQ_ROW && a->nscores < CRITERIA_MAX) {
            struct criterion_score *c = &a->scores[a->nscores++];
            pg_col_cpy(st, 0, c->code, sizeof c->code);
            pg_col_cpy(st, 1, c->name, sizeof c->name);
            c->weight = pq_column_double(st, 2);
            c->max_score = pq_column_double(st, 3);
            c->score = pq_column_double(st, 4);
        }
        pq_finalize(st);
    }
    return ST_OK;
}
