/* page_public.c: the public showcase: recognized typical models whose owners
 * marked them public, readable by anyone, so that they spread. Only what a
 * model says about itself is shown; a person who owns a model is not named. */
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/text.h"

int page_public_list(struct rq *r)
{
    struct model_query q = {.q = rq_query(r, "q"), .field = rq_query(r, "field"), .cursor = rq_query(r, "cursor"),
                            .unit = rq_query(r, "unit"), .hierarchy = rq_query(r, "hierarchy")};
    struct model_page page;
    struct verrs v = {0};
    char next[NEXT_CURSOR_MAX];
    int rc = svc_showcase_list(r->st, &q, &page, next, &v);
    if (rc == SVC_INVALID)
        return page_error(r, 400, v.e[0].msg);
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    page_begin(r, N_("Typical models"), NULL);
    hf(r, "<h1>%t</h1><p class=\"lead\">%t</p>", N_("Typical models"),
       N_("Models of the \"Skillful Mass Mobilization\" movement that were recognized, chosen as typical, and made public by their owners."));
    hf(r, "<form method=\"get\" action=\"/public\" role=\"search\" class=\"filters\"><label for=\"f-q\">%t</label>"
          "<div class=\"inline\"><input id=\"f-q\" type=\"search\" name=\"q\" value=\"%s\"><button type=\"submit\">%t</button></div></form>",
       N_("Search"), q.q ? q.q : "", N_("Search"));
    if (page.n == 0)
        hf(r, "<p class=\"empty\">%t</p>", N_("No model matches."));
    /* the words searched for are marked in titles and summaries */
    char *qf = q.q && *q.q ? text_fold(q.q) : NULL;
    hf(r, "<ul class=\"cards\">");
    for (int i = 0; i < page.n; i++) {
        const struct model *m = &page.items[i];
        hf(r, "<li><h2><a href=\"/public/models/%I\">%M</a></h2><p class=\"small\">%t · %s</p>", m->id, m->title, qf,
           model_field_labels[m->field], m->unit_name ? m->unit_name : "");
        if (m->summary)
            hf(r, "<p>%M</p>", m->summary, qf);
        hf(r, "</li>");
    }
    hf(r, "</ul>");
    free(qf);
    if (next[0])
        hf(r, "<p class=\"pager\"><a rel=\"next\" href=\"/public?q=%u&amp;cursor=%u\">%t →</a></p>", q.q ? q.q : "", next,
           N_("Next page"));
    model_page_free(&page);
    return page_end(r, 200);
}

int page_public_model(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_showcase_get(r->st, id, &m) : SVC_NOTFOUND;
    if (rc == SVC_NOTFOUND)
        return page_error(r, 404, N_("No such model."));
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    page_begin(r, NULL, m.title);
    hf(r, "<p class=\"crumbs\"><a href=\"/public\">%t</a></p><h1>%s</h1>", N_("Typical models"), m.title);
    hf(r, "<p class=\"meta\"><span class=\"badge\">%t</span> %t · %t</p>", N_("Typical"), model_field_labels[m.field],
       model_kind_labels[m.kind]);
    if (m.summary)
        hf(r, "<p class=\"lead\">%s</p>", m.summary);
    hf(r, "<dl class=\"facts\"><dt>%t</dt><dd>%s</dd>", N_("Unit"), m.unit_path ? m.unit_path : "");
    if (m.owner && m.owner_type == OWNER_ORGANIZATION)
        hf(r, "<dt>%t</dt><dd>%s</dd>", N_("Owner"), m.owner);
    if (m.typical_reason)
        hf(r, "<dt>%t</dt><dd class=\"pre\">%s</dd>", N_("Why it is typical"), m.typical_reason);
    if (m.content)
        hf(r, "<dt>%t</dt><dd class=\"pre\">%s</dd>", N_("Content and method"), m.content);
    if (m.outputs)
        hf(r, "<dt>%t</dt><dd class=\"pre\">%s</dd>", N_("Verifiable outputs"), m.outputs);
    if (m.description)
        hf(r, "<dt>%t</dt><dd class=\"pre\">%s</dd>", N_("Description"), m.description);
    hf(r, "</dl>");
    if (m.nresults) {
        struct indicator *ind = NULL;
        int n = 0;
        svc_indicators(r->st, &ind, &n);
        hf(r, "<h2>%t</h2><table class=\"list results\"><tbody>", N_("Results"));
        for (int i = 0; i < m.nresults; i++) {
            const char *name = m.results[i].indicator, *unit = "";
            for (int k = 0; k < n; k++)
                if (strcmp(ind[k].code, name) == 0)
                    name = ind[k].name, unit = ind[k].unit;
            hf(r, "<tr><td>%d</td><td>%t</td><td class=\"num\">%N %t</td></tr>", m.results[i].year, name,
               m.results[i].value, unit);
        }
        hf(r, "</tbody></table>");
        free(ind);
    }
    model_free(&m);
    return page_end(r, 200);
}
