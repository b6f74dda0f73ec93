/* spread.c: rules for replications, conferences and awards. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/spread.h"
#include "util/date.h"
#include "util/text.h"

#define N_(s) s
const char *const event_kind_names[EVENT_KIND_COUNT] = {"", "interim", "final"};
const char *const event_kind_labels[EVENT_KIND_COUNT] = {"", N_("Interim review (sơ kết)"), N_("Final review (tổng kết)")};
const char *const recipient_type_names[RECIPIENT_COUNT] = {"", "model", "organization", "person"};
const char *const award_form_names[AWARD_FORM_COUNT] = {"", "certificate_of_merit", "certificate", "emulation_flag",
                                                        "other"};
const char *const award_form_labels[AWARD_FORM_COUNT] = {"", N_("Certificate of merit (bằng khen)"),
                                                         N_("Certificate (giấy khen)"), N_("Emulation flag"),
                                                         N_("Other")};

void replication_free(struct replication *r)
{
    free(r->note);
    r->note = NULL;
}

void commendation_event_free(struct commendation_event *e)
{
    free(e->title);
    e->title = NULL;
}

void award_free(struct award *a)
{
    free(a->recipient_name);
    free(a->issuer);
    a->recipient_name = a->issuer = NULL;
}

bool commendation_event_validate(const struct commendation_event *e, struct verrs *v)
{
    if (!e->title || !*e->title)
        verrs_add(v, "title", "Enter the conference's name.");
    else if (text_chars(e->title) > TITLE_MAX_CHARS)
        verrs_add(v, "title", "The name is too long (at most 300 characters).");
    if (e->kind <= EVENT_NONE || e->kind >= EVENT_KIND_COUNT)
        verrs_add(v, "kind", "Choose interim or final review.");
    if (e->span_years != 1 && e->span_years != 2 && e->span_years != 3 && e->span_years != 5 && e->span_years != 10 &&
        e->span_years != 15)
        verrs_add(v, "span_years", "The span is 1, 2, 3, 5, 10 or 15 years.");
    if (e->level <= LEVEL_NONE || e->level >= LEVEL_COUNT)
        verrs_add(v, "level", "Choose the level.");
    if (!date_valid(e->held_on))
        verrs_add(v, "held_on", "Not a valid date.");
    if (!date_valid(e->period_from))
        verrs_add(v, "period_from", "Not a valid date.");
    if (!date_valid(e->period_to))
        verrs_add(v, "period_to", "Not a valid date.");
    if (date_valid(e->period_from) && date_valid(e->period_to)) {
        if (strcmp(e->period_from, e->period_to) > 0)
            verrs_add(v, "period_to", "The end is before the start.");
        else if (date_year(e->period_to) - date_year(e->period_from) > 15)
            verrs_add(v, "period_to", "A conference covers at most 15 years.");
    }
    return v->n == 0;
}

bool award_validate(const struct award *a, struct verrs *v)
{
    if (a->recipient_type <= RECIPIENT_NONE || a->recipient_type >= RECIPIENT_COUNT)
        verrs_add(v, "recipient_type", "Choose who receives the award.");
    if (a->recipient_type == RECIPIENT_MODEL && a->model_id <= 0)
        verrs_add(v, "model_id", "Choose the model.");
    if (a->recipient_type != RECIPIENT_MODEL && (!a->recipient_name || !*a->recipient_name))
        verrs_add(v, "recipient_name", "Enter the recipient's name.");
    if (a->recipient_name && text_chars(a->recipient_name) > TITLE_MAX_CHARS)
        verrs_add(v, "recipient_name", "The name is too long (at most 300 characters).");
    if (a->form <= AWARD_NONE || a->form >= AWARD_FORM_COUNT)
        verrs_add(v, "form", "Choose the form of the award.");
    if (!a->issuer || !*a->issuer)
        verrs_add(v, "issuer", "Enter who issues the award.");
    else if (text_chars(a->issuer) > TITLE_MAX_CHARS)
        verrs_add(v, "issuer", "The name is too long (at most 300 characters).");
    if (a->decision_date[0] && !date_valid(a->decision_date))
        verrs_add(v, "decision_date", "Not a valid date.");
    if (text_chars(a->decision_no) > 60 || !strcmp(a->decision_no, "?"))
        verrs_add(v, "decision_no", "Too long (at most 60 characters).");
    if (a->decision_date[0] && !a->decision_no[0])
        verrs_add(v, "decision_no", "Give the decision's number (Quyết định số …).");
    if (a->amount_vnd >= 0 && (!isfinite(a->amount_vnd) || a->amount_vnd > 1e13))
        verrs_add(v, "amount_vnd", "The amount is a number of dong from 0 to 10,000 billion.");
    return v->n == 0;
}
