/* page_queue.c: what waits for the signed-in user, by role: registrations to
 * select, models to appraise or recognize, drafts to submit, recognized models
 * without this year's results, awards without a decision. */
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/date.h"

typedef bool (*model_pred)(const struct actor *a, const struct model *m, const void *arg);

static bool decides(const struct actor *a, const struct model *m, const void *arg)
{
    (void)arg;
    return authz_model_decide(a, m);
}

static bool appraises(const struct actor *a, const struct model *m, const void *arg)
{
    (void)arg;
    return authz_appraise(a, m);
}

static bool registers(const struct actor *a, const struct model *m, const void *arg)
{
    (void)arg;
    return authz_model_register(a, m);
}

static bool lacks_results(const struct actor *a, const struct model *m, const void *arg)
{
    int year = *(const int *)arg;
    if (!authz_model_register(a, m) && !authz_model_decide(a, m))
        return false;
    for (int i = 0; i < m->nresults; i++)
        if (m->results[i].year == year)
            return false;
    return true;
}

/* One section: models of status that pred keeps, at most 50 shown. Returns how many. */
static int section(struct rq *r, const char *title, const char *status, model_pred pred, const void *arg,
                   const char *empty)
{
    struct model_query q = {.status = status, .limit = "200", .sort = "registered_on"};
    struct model_page page;
    struct verrs v = {0};
    char next[NEXT_CURSOR_MAX];
    if (svc_model_list(r->st, &r->actor, &q, &page, next, &v) != SVC_OK)
        return 0;
    int shown = 0;
    hf(r, "<section class=\"queue\"><h2>%t</h2>", title);
    for (int i = 0; i < page.n; i++) {
        if (!pred(&r->actor, &page.items[i], arg))
            continue;
        if (shown == 0)
            hf(r, "<ul>");
        if (shown < 50)
            hf(r, "<li><a href=\"/models/%I\">%s</a> <small>%s · %s · %D</small></li>", page.items[i].id,
               page.items[i].title, page.items[i].code, page.items[i].unit_name ? page.items[i].unit_name : "",
               page.items[i].registered_on);
        shown++;
    }
    if (shown)
        hf(r, "</ul>");
    else
        hf(r, "<p class=\"empty\">%t</p>", empty);
    if (shown > 50 || page.more)
        hf(r, "<p><a href=\"/models?status=%s\">%t</a></p>", status, N_("See all in the list"));
    hf(r, "</section>");
    model_page_free(&page);
    return shown;
}

int page_queue(struct rq *r)
{
    page_begin(r, N_("My work"), NULL);
    hf(r, "<h1>%t</h1>", N_("My work"));
    int role = r->actor.role;
    char today[11];
    date_today(today);
    int year = date_year(today);
    if (role == ROLE_STAFF || role == ROLE_ADMIN || role == ROLE_OFFICER) {
        section(r, N_("Registrations to select or reject"), "registered", decides, NULL,
                N_("No registration waits for your committee."));
        section(r, N_("Appraised models to recognize"), "appraised", decides, NULL,
                N_("No appraised model waits for recognition."));
    }
    if (role == ROLE_APPRAISER || role == ROLE_STAFF || role == ROLE_ADMIN)
        section(r, N_("Models being implemented, to appraise"), "implementing", appraises, NULL,
                N_("No model waits for an appraisal."));
    if (role == ROLE_OFFICER || role == ROLE_STAFF || role == ROLE_ADMIN) {
        section(r, N_("Drafts to submit"), "draft", registers, NULL, N_("No draft waits."));
        section(r, N_("Recognized models without this year's results"), "recognized", lacks_results, &year,
                N_("Every recognized model has this year's results."));
    }
    if (role == ROLE_STAFF || role == ROLE_ADMIN) {
        struct commendation_event *ev;
        int ne;
        int missing = 0;
        hf(r, "<section class=\"queue\"><h2>%t</h2>", N_("Awards without a decision"));
        if (svc_events(r->st, &r->actor, &ev, &ne) == SVC_OK) {
            for (int i = 0; i < ne; i++) {
                struct award *aw;
                int na;
                if (svc_awards(r->st, &r->actor, 0, ev[i].id, &aw, &na) != SVC_OK)
                    continue;
                for (int k = 0; k < na; k++)
                    if (!aw[k].decision_no[0]) {
                        if (!missing++)
                            hf(r, "<ul>");
                        hf(r, "<li>%s — %t (%s)</li>", aw[k].recipient_name, award_form_labels[aw[k].form], ev[i].title);
                    }
                awards_free(aw, na);
            }
            events_free(ev, ne);
        }
        if (missing)
            hf(r, "</ul>");
        else
            hf(r, "<p class=\"empty\">%t</p>", N_("Every award has its decision."));
        hf(r, "</section>");
    }
    if (role == ROLE_VIEWER)
        hf(r, "<p>%t <a href=\"/models\">%t</a></p>", N_("Viewers have no work queue."), N_("Models"));
    return page_end(r, 200);
}
