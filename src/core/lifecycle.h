/* lifecycle.h: the states a model goes through and who may move it (no I/O).
 *
 *   draft → registered → selected → implementing → appraised → recognized
 *                      ↘ rejected                             ↘ not_recognized
 *   registered → draft (returned to the sender, with the reason)
 *   recognized → not_recognized (removed at the yearly review, with the reason)
 *   any state but withdrawn → withdrawn
 */
#ifndef DVK_LIFECYCLE_H
#define DVK_LIFECYCLE_H
#include <stdbool.h>
#include "core/model.h"

/* Who takes a step. */
enum step_actor {
    BY_REGISTRANT = 1, /* the commune officer or staff who keep the registration */
    BY_COMMITTEE = 2,  /* the steering committee the model is registered with */
};

struct transition_rule {
    int from, to;
    int by;               /* bit set of enum step_actor */
    bool needs_reason;    /* a refusal or a return always says why */
    bool needs_decision;  /* a decision number and date (quyết định số … ngày …) */
    bool needs_passing_appraisal;
    bool needs_appraisal;
};

/* The rule for from → to, or NULL when that step does not exist. */
const struct transition_rule *lifecycle_rule(int from, int to);
/* All rules, terminated by {0}. */
extern const struct transition_rule lifecycle_rules[];

#endif
