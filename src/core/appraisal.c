/* appraisal.c: weighted scoring of appraisals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/appraisal.h"
#include "util/date.h"
#include "util/text.h"

void appraisal_free(struct appraisal *a)
{
    free(a->members);
    free(a->findings);
    free(a->conclusion);
    a->members = a->findings = a->conclusion = NULL;
}

void model_event_free(struct model_event *e)
{
    free(e->comment);
    e->comment = NULL;
}

bool appraisal_compute(const struct criterion *cat, int ncat, double pass_score, struct appraisal *a,
                       struct verrs *v)
{
    if (!date_valid(a->visit_date))
        verrs_add(v, "visit_date", "Not a valid date.");
    if (!a->members || !*a->members)
        verrs_add(v, "members", "Name the members of the working group.");
    else if (text_chars(a->members) > SHORT_MAX_CHARS)
        verrs_add(v, "members", "Too long (at most 2,000 characters).");
    if (a->findings && text_chars(a->findings) > LONG_MAX_CHARS)
        verrs_add(v, "findings", "Too long (at most 20,000 characters).");
    if (a->conclusion && text_chars(a->conclusion) > LONG_MAX_CHARS)
        verrs_add(v, "conclusion", "Too long (at most 20,000 characters).");
    double sum_w = 0, sum = 0;
    for (int i = 0; i < a->nscores; i++) {
        bool known = false;
        for (int k = 0; k < ncat; k++)
            known |= strcmp(cat[k].code, a->scores[i].code) == 0;
        if (!known)
            verrs_add(v, "scores", "A score names a criterion that is not in the catalogue.");
        for (int j = 0; j < i; j++)
            if (strcmp(a->scores[j].code, a->scores[i].code) == 0)
                verrs_add(v, "scores", "A criterion is scored twice.");
    }
    for (int k = 0; k < ncat; k++) {
        struct criterion_score *s = NULL;
        for (int i = 0; i < a->nscores; i++)
            if (strcmp(cat[k].code, a->scores[i].code) == 0)
                s = &a->scores[i];
        if (!s) {
            verrs_add(v, "scores", "Score every criterion of the catalogue.");
            continue;
        }
        if (!isfinite(s->score) || s->score < 0 || s->score > cat[k].max_score) {
            verrs_add(v, "scores", "A score is outside the criterion's range.");
            continue;
        }
        snprintf(s->name, sizeof s->name, "%s", cat[k].name);
        s->weight = cat[k].weight;
        s->max_score = cat[k].max_score;
        sum_w += cat[k].weight;
        sum += cat[k].weight * s->score / cat[k].max_score;
    }
    if (v->n)
        return false;
    a->score = sum_w > 0 ? round(10000.0 * sum / sum_w) / 100.0 : 0;
    a->pass_score = pass_score;
    a->passed = a->score >= pass_score;
    return true;
}
