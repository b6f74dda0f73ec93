/* lifecycle.c: the transition table of a model's lifecycle. */
#include <stddef.h>
#include "core/lifecycle.h"

#define R BY_REGISTRANT
#define C BY_COMMITTEE

const struct transition_rule lifecycle_rules[] = {
    /* from                   to                      by     reason decision appraisal-pass appraisal */
    {STATUS_DRAFT,         STATUS_REGISTERED,      R | C, false, false, false, false},
    {STATUS_REGISTERED,    STATUS_DRAFT,           C,     true,  false, false, false},
    {STATUS_REGISTERED,    STATUS_SELECTED,        C,     false, true,  false, false},
    {STATUS_REGISTERED,    STATUS_REJECTED,        C,     true,  false, false, false},
    {STATUS_SELECTED,      STATUS_IMPLEMENTING,    R | C, false, false, false, false},
    {STATUS_IMPLEMENTING,  STATUS_APPRAISED,       C,     false, false, false, true},
    {STATUS_APPRAISED,     STATUS_RECOGNIZED,      C,     false, true,  true,  true},
    {STATUS_APPRAISED,     STATUS_NOT_RECOGNIZED,  C,     true,  false, false, true},
    {STATUS_RECOGNIZED,    STATUS_NOT_RECOGNIZED,  C,     true,  true,  false, false},
    {STATUS_DRAFT,         STATUS_WITHDRAWN,       R | C, true,  false, false, false},
    {STATUS_REGISTERED,    STATUS_WITHDRAWN,       R | C, true,  false, false, false},
    {STATUS_SELECTED,      STATUS_WITHDRAWN,       R | C, true,  false, false, false},
    {STATUS_REJECTED,      STATUS_WITHDRAWN,       R | C, true,  false, false, false},
    {STATUS_IMPLEMENTING,  STATUS_WITHDRAWN,       R | C, true,  false, false, false},
    {STATUS_APPRAISED,     STATUS_WITHDRAWN,       R | C, true,  false, false, false},
    {STATUS_RECOGNIZED,    STATUS_WITHDRAWN,       R | C, true,  false, false, false},
    {STATUS_NOT_RECOGNIZED, STATUS_WITHDRAWN,      R | C, true,  false, false, false},
    {0, 0, 0, false, false, false, false},
};

const struct transition_rule *lifecycle_rule(int from, int to)
{
    for (const struct transition_rule *r = lifecycle_rules; r->from; r++)
        if (r->from == from && r->to == to)
            return r;
    return NULL;
}
