/* page_audit.c: the audit trail for administrators: a page with filters, a CSV
 * export and GET /api/v1/audit. Nobody can change an entry through dvk. */
#include <csv.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/date.h"

/* Reads the filter from the query; false (with msg) when a value is bad. */
static bool audit_filter_from(struct rq *r, struct audit_filter *f, char from[11], char to[11], const char **bad)
{
    memset(f, 0, sizeof *f);
    const char *s;
    f->entity = rq_query(r, "entity");
    f->entity_id = rq_query(r, "entity_id");
    f->login = rq_query(r, "login");
    if (f->entity && !*f->entity)
        f->entity = NULL;
    if (f->entity_id && !*f->entity_id)
        f->entity_id = NULL;
    if (f->login && !*f->login)
        f->login = NULL;
    if ((s = rq_query(r, "from")) && *s) {
        if (!date_parse_any(s, from))
            return *bad = "from", false;
        f->from = from;
    }
    if ((s = rq_query(r, "to")) && *s) {
        if (!date_parse_any(s, to))
            return *bad = "to", false;
        f->to = to;
    }
    if ((s = rq_query(r, "before")) && *s) {
        char *end;
        f->before_id = strtoll(s, &end, 10);
        if (*end || f->before_id < 0)
            return *bad = "before", false;
    }
    f->limit = 100;
    if ((s = rq_query(r, "limit")) && *s) {
        char *end;
        long l = strtol(s, &end, 10);
        if (*end || l < 1 || l > 10000)
            return *bad = "limit", false;
        f->limit = (int)l;
    }
    return true;
}

/* Labels of the stored entity and action names (the CSV and the API keep the names). */
static const char *const audit_labels[][2] = {
    {"model", N_("Model")},          {"user", N_("User")},
    {"unit", N_("Unit")},            {"api_token", N_("API token")},
    {"attachment", N_("Evidence")},  {"award", N_("Award")},
    {"conference", N_("Conference")}, {"criteria", N_("Scoring criteria")},
    {"pass_mark", N_("Pass mark")},  {"catalogue", N_("Unit catalogue")},
    {"mapping", N_("Old-to-new unit mapping")},
    /* the entities above, the actions below */
    {"create", N_("created")},       {"update", N_("changed")},
    {"transition", N_("step")},      {"appraisal", N_("appraisal recorded")},
    {"replication_add", N_("replication added")}, {"replication_remove", N_("replication removed")},
    {"sign_in", N_("signed in")},    {"revoke", N_("revoked")},
    {"set", N_("set")},              {"import", N_("imported")},
    {"password_reset", N_("password reset")}, {"disable", N_("disabled")},
    {"enable", N_("enabled")},
};

#define ENTITY_LABELS 11

static const char *audit_label(const char *name)
{
    for (size_t i = 0; i < sizeof audit_labels / sizeof audit_labels[0]; i++)
        if (strcmp(audit_labels[i][0], name) == 0)
            return audit_labels[i][1];
    return name;
}

static json_t *parsed_or_null(const char *s)
{
    return s ? json_loads(s, 0, NULL) : json_null();
}

int api_audit(struct rq *r)
{
    struct audit_filter f;
    char from[11], to[11];
    const char *bad = NULL;
    if (!audit_filter_from(r, &f, from, to, &bad))
        return api_error(r, 400, "bad_parameter", N_("Unknown value."), bad);
    struct audit_list l;
    int rc = svc_audit_list(r->st, &r->actor, &f, &l);
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < l.n; i++) {
        const struct audit_entry *e = &l.items[i];
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "at", e->at, "login",
                              e->login, "address", e->address, "entity", e->entity, "entity_id", e->entity_id,
                              "action", e->action);
        json_object_set_new(o, "before", parsed_or_null(e->before));
        json_object_set_new(o, "after", parsed_or_null(e->after));
        json_array_append_new(items, o);
    }
    json_t *body = json_pack("{s:o}", "items", items);
    json_object_set_new(body, "next_before", l.n == f.limit && l.n ? json_integer(l.items[l.n - 1].id) : json_null());
    audit_list_free(&l);
    return json_reply(r, 200, body);
}

static void csv_cell(struct buf *b, const char *s, bool last)
{
    /* a cell a spreadsheet would run as a formula starts with a quote instead */
    char *guarded = NULL;
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@')) {
        size_t len = strlen(s);
        guarded = malloc(len + 2);
        guarded[0] = '\'';
        memcpy(guarded + 1, s, len + 1);
        s = guarded;
    }
    size_t n = strlen(s ? s : "");
    char *tmp = malloc(n * 2 + 3);
    size_t w = csv_write(tmp, n * 2 + 3, s ? s : "", n);
    buf_add(b, tmp, w);
    free(tmp);
    free(guarded);
    buf_puts(b, last ? "\r\n" : ",");
}

int page_audit_csv(struct rq *r)
{
    struct audit_filter f;
    char from[11], to[11];
    const char *bad = NULL;
    if (!audit_filter_from(r, &f, from, to, &bad))
        return page_error(r, 400, N_("Unknown value."));
    if (!rq_query(r, "limit"))
        f.limit = 10000;
    struct audit_list l;
    int rc = svc_audit_list(r->st, &r->actor, &f, &l);
    if (rc == SVC_FORBIDDEN)
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    /* a BOM so that Excel reads the UTF-8 */
    buf_puts(&r->out, "\xEF\xBB\xBF");
    const char *head[] = {"id", "at", "login", "address", "entity", "entity_id", "action", "before", "after"};
    for (int i = 0; i < 9; i++)
        csv_cell(&r->out, head[i], i == 8);
    for (int i = 0; i < l.n; i++) {
        const struct audit_entry *e = &l.items[i];
        char id[24];
        snprintf(id, sizeof id, "%" PRId64, e->id);
        const char *cells[] = {id, e->at, e->login, e->address, e->entity, e->entity_id, e->action, e->before, e->after};
        for (int k = 0; k < 9; k++)
            csv_cell(&r->out, cells[k], k == 8);
    }
    audit_list_free(&l);
    r->content_type = "text/csv; charset=utf-8";
    rq_add_header(r, "content-disposition", "attachment; filename=\"dvk-audit.csv\"");
    return 200;
}

int page_audit(struct rq *r)
{
    struct audit_filter f;
    char from[11], to[11];
    const char *bad = NULL;
    if (!audit_filter_from(r, &f, from, to, &bad))
        return page_error(r, 400, N_("Unknown value."));
    struct audit_list l;
    int rc = svc_audit_list(r->st, &r->actor, &f, &l);
    if (rc == SVC_FORBIDDEN)
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    page_begin(r, N_("Audit trail"), NULL);
    hf(r, "<h1>%t</h1>", N_("Audit trail"));
    hf(r, "<form method=\"get\" action=\"/admin/audit\" class=\"filters\"><div class=\"row grid\">"
          "<label for=\"a-entity\">%t</label><select id=\"a-entity\" name=\"entity\"><option value=\"\">%t</option>",
       N_("Entity"), N_("All"));
    for (size_t i = 0; i < ENTITY_LABELS; i++)
        hf(r, "<option value=\"%s\"%R>%t</option>", audit_labels[i][0],
           f.entity && strcmp(f.entity, audit_labels[i][0]) == 0 ? " selected" : "", audit_labels[i][1]);
    hf(r, "</select><label for=\"a-id\">%t</label><input id=\"a-id\" name=\"entity_id\" value=\"%s\">"
          "<label for=\"a-login\">%t</label><input id=\"a-login\" name=\"login\" value=\"%s\">"
          "<label for=\"a-from\">%t</label><input id=\"a-from\" name=\"from\" value=\"%s\" placeholder=\"%t\">"
          "<label for=\"a-to\">%t</label><input id=\"a-to\" name=\"to\" value=\"%s\" placeholder=\"%t\"></div>"
          "<button type=\"submit\">%t</button></form>",
       N_("Entity id"), f.entity_id ? f.entity_id : "", N_("Login"),
       f.login ? f.login : "", N_("From"), rq_query(r, "from") ? rq_query(r, "from") : "", N_("dd/mm/yyyy"), N_("To"),
       rq_query(r, "to") ? rq_query(r, "to") : "", N_("dd/mm/yyyy"), N_("Filter"));
    hf(r, "<p><a href=\"/admin/audit.csv?entity=%u&amp;entity_id=%u&amp;login=%u&amp;from=%u&amp;to=%u\">%t</a></p>",
       f.entity ? f.entity : "", f.entity_id ? f.entity_id : "", f.login ? f.login : "",
       rq_query(r, "from") ? rq_query(r, "from") : "", rq_query(r, "to") ? rq_query(r, "to") : "",
       N_("Export as CSV"));
    hf(r, "<table class=\"list\"><thead><tr><th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
          "<th scope=\"col\">%t</th><th scope=\"col\">%t</th></tr></thead><tbody>",
       N_("Time"), N_("Login"), N_("IP address"), N_("Entity"), N_("Action"));
    for (int i = 0; i < l.n; i++) {
        const struct audit_entry *e = &l.items[i];
        char day[11], hm[6];
        date_local(e->at, day, hm);
        hf(r, "<tr><td data-label=\"%t\">%D %s</td><td data-label=\"%t\">%s</td><td data-label=\"%t\">%s</td>"
              "<td data-label=\"%t\">%s %s</td><td data-label=\"%t\">%s</td></tr>",
           N_("Time"), day, hm, N_("Login"), e->login, N_("IP address"), e->address, N_("Entity"),
           T(r->lang, audit_label(e->entity)), e->entity_id, N_("Action"), T(r->lang, audit_label(e->action)));
    }
    hf(r, "</tbody></table>");
    if (l.n == f.limit && l.n)
        hf(r, "<p class=\"pager\"><a href=\"/admin/audit?entity=%u&amp;login=%u&amp;before=%I\">%t →</a></p>",
           f.entity ? f.entity : "", f.login ? f.login : "", l.items[l.n - 1].id, N_("Next page"));
    audit_list_free(&l);
    return page_end(r, 200);
}
