/* appraisal.h: a working group's visit to a model and its weighted score (no I/O). */
#ifndef DVK_APPRAISAL_H
#define DVK_APPRAISAL_H
#include <stdbool.h>
#include <stdint.h>
#include "core/model.h"

#define CRITERIA_MAX 20
#define DEFAULT_PASS_SCORE 70.0

struct criterion {
    char code[32];
    char name[200];   /* an English msgid (default catalogue) or the province's own wording */
    double weight;    /* > 0; weights are relative */
    double max_score; /* > 0 */
};

struct criterion_score {
    char code[32];
    char name[200];
    double weight, max_score;
    double score;     /* 0..max_score */
};

struct appraisal {
    int64_t id, model_id;
    char visit_date[11];
    char *members;    /* the working group, one per line; owned */
    char *findings;   /* owned */
    char *conclusion; /* owned */
    struct criterion_score scores[CRITERIA_MAX];
    int nscores;
    double score;      /* 0..100 */
    double pass_score; /* the mark in force */
    bool passed;
    char created_at[21];
    char login[64];
};

void appraisal_free(struct appraisal *a);

/* Checks a's scores against the catalogue (each criterion scored once, within
 * 0..max, no unknown code), copies names and weights from it, and computes
 * score = 100 × Σ(weight × score/max) / Σ weight, rounded to 2 decimals, and
 * passed = score ≥ pass_score. Also checks the date and the members. */
bool appraisal_compute(const struct criterion *cat, int ncat, double pass_score, struct appraisal *a,
                       struct verrs *v);

/* One step in a model's history. */
struct model_event {
    int64_t id;
    char at[21];
    char login[64];
    int from, to;     /* enum model_status */
    char *comment;    /* owned */
    char decision_no[192]; /* at most 60 characters */
    char decision_date[11];
};
void model_event_free(struct model_event *e);

#endif
