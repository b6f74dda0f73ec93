/* model.c: enumerations, copying and validation of models. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/model.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/text.h"

/* Marks English msgids for xgettext; translated at the edge (http/i18n.c). */
#define N_(s) s

const char *const model_field_names[FIELD_COUNT] = {"", "economic", "cultural_social", "defense_security", "political_system"};
const char *const model_kind_names[KIND_COUNT] = {"", "collective", "individual"};
const char *const reg_level_names[LEVEL_COUNT] = {"", "province", "district", "commune"};
const char *const model_status_names[STATUS_COUNT] = {"", "draft", "registered", "selected", "rejected", "implementing",
                                                      "appraised", "recognized", "not_recognized", "withdrawn"};
const char *const owner_type_names[OWNER_COUNT] = {"", "organization", "person"};

const char *const model_field_labels[FIELD_COUNT] = {"", N_("Economic"), N_("Cultural and social"), N_("Defense and security"),
                                                     N_("Party building and political system")};
const char *const model_kind_labels[KIND_COUNT] = {"", N_("Collective"), N_("Individual")};
const char *const reg_level_labels[LEVEL_COUNT] = {"", N_("Province"), N_("District"), N_("Commune")};
const char *const model_status_labels[STATUS_COUNT] = {"", N_("Draft"), N_("Registered"), N_("Selected"), N_("Rejected"), N_("Implementing"),
                                                       N_("Appraised"), N_("Recognized"), N_("Not recognized"), N_("Withdrawn")};
const char *const owner_type_labels[OWNER_COUNT] = {"", N_("Organization"), N_("Person")};

int enum_parse(const char *const *table, int n, const char *name)
{
    if (!name || !*name)
        return 0;
    for (int i = 1; i < n; i++)
        if (strcmp(table[i], name) == 0)
            return i;
    return 0;
}

void model_init(struct model *m)
{
    memset(m, 0, sizeof *m);
    m->hierarchy = 2025;
    m->status = STATUS_REGISTERED;
}

#define STR_FIELDS(X)                                                                                   \
    X(title) X(summary) X(description) X(owner) X(situation) X(objectives) X(content) X(area_target)    \
        X(forces) X(resources) X(outputs) X(sustainability) X(typical_reason) X(unit_name) X(unit_path) X(ext_key)

void model_free(struct model *m)
{
#define F(name) free(m->name);
    STR_FIELDS(F)
#undef F
    for (int i = 0; i < m->ntags; i++)
        free(m->tags[i]);
    memset(m, 0, sizeof *m);
}

void model_set_str(char **slot, const char *s)
{
    free(*slot);
    *slot = s ? xstrdup(s) : NULL;
}

void model_copy(struct model *dst, const struct model *src)
{
    memcpy(dst, src, sizeof *dst);
#define F(name) dst->name = src->name ? xstrdup(src->name) : NULL;
    STR_FIELDS(F)
#undef F
    for (int i = 0; i < src->ntags; i++)
        dst->tags[i] = xstrdup(src->tags[i]);
}

void verrs_add(struct verrs *v, const char *field, const char *msg)
{
    if (v->n >= VERR_MAX)
        return;
    for (int i = 0; i < v->n; i++)
        if (strcmp(v->e[i].field, field) == 0)
            return; /* one message per field is enough */
    strncpy(v->e[v->n].field, field, sizeof v->e[0].field - 1);
    v->e[v->n].field[sizeof v->e[0].field - 1] = 0;
    v->e[v->n].msg = msg;
    v->n++;
}

static bool blank(const char *s)
{
    return !s || !*s;
}

static void check_len(struct verrs *v, const char *field, const char *s, size_t max, const char *msg)
{
    if (s && text_chars(s) > max)
        verrs_add(v, field, msg);
}

bool model_validate(const struct model *m, struct verrs *v)
{
    if (blank(m->title))
        verrs_add(v, "title", "Enter the model's name.");
    check_len(v, "title", m->title, TITLE_MAX_CHARS, "The name is too long (at most 300 characters).");
    check_len(v, "summary", m->summary, SHORT_MAX_CHARS, "Too long (at most 2,000 characters).");
    check_len(v, "owner", m->owner, TITLE_MAX_CHARS, "The name is too long (at most 300 characters).");
    check_len(v, "typical_reason", m->typical_reason, SHORT_MAX_CHARS, "Too long (at most 2,000 characters).");
#define LONG(name) check_len(v, #name, m->name, LONG_MAX_CHARS, "Too long (at most 20,000 characters).");
    LONG(description) LONG(situation) LONG(objectives) LONG(content) LONG(area_target) LONG(forces) LONG(resources)
        LONG(outputs) LONG(sustainability)
#undef LONG
    if (m->field <= FIELD_NONE || m->field >= FIELD_COUNT)
        verrs_add(v, "field", "Choose the field.");
    if (m->kind <= KIND_NONE || m->kind >= KIND_COUNT)
        verrs_add(v, "kind", "Choose collective or individual.");
    if (m->level <= LEVEL_NONE || m->level >= LEVEL_COUNT)
        verrs_add(v, "registration_level", "Choose the level the model is registered with.");
    if (m->status <= STATUS_NONE || m->status >= STATUS_COUNT)
        verrs_add(v, "status", "Unknown status.");
    if (m->hierarchy != 2024 && m->hierarchy != 2025)
        verrs_add(v, "hierarchy", "The hierarchy must be 2024 or 2025.");
    if (blank(m->unit_code))
        verrs_add(v, "unit_code", "Choose the unit (commune, ward or village).");
    if (blank(m->registered_on))
        verrs_add(v, "registered_on", "Enter the registration date.");
    else if (!date_valid(m->registered_on))
        verrs_add(v, "registered_on", "Not a valid date.");
    /* From 1 July 2025 the 2024 units no longer exist: new registrations use the 2025 ones. */
    if (m->hierarchy == 2024 && date_valid(m->registered_on) && strcmp(m->registered_on, "2025-07-01") >= 0)
        verrs_add(v, "hierarchy", "From 1 July 2025 a model is registered under the 2025 units.");
    if (m->period_from[0] && !date_valid(m->period_from))
        verrs_add(v, "period_from", "Not a valid date.");
    if (m->period_to[0] && !date_valid(m->period_to))
        verrs_add(v, "period_to", "Not a valid date.");
    if (date_valid(m->period_from) && date_valid(m->period_to)) {
        if (strcmp(m->period_from, m->period_to) > 0)
            verrs_add(v, "period_to", "The end is before the start.");
        else if (date_year(m->period_to) - date_year(m->period_from) > 30)
            verrs_add(v, "period_to", "A period can last at most 30 years.");
    }
    if (m->owner_type < OWNER_NONE || m->owner_type >= OWNER_COUNT)
        verrs_add(v, "owner_type", "Unknown owner type.");
    if (m->ntags > MODEL_MAX_TAGS)
        verrs_add(v, "tags", "At most 20 tags.");
    for (int i = 0; i < m->ntags; i++) {
        if (blank(m->tags[i]) || text_chars(m->tags[i]) > TAG_MAX_CHARS)
            verrs_add(v, "tags", "A tag must have 1 to 80 characters.");
    }
    if (m->typical && m->status != STATUS_RECOGNIZED)
        verrs_add(v, "typical", "Only a recognized model can be typical.");
    for (int i = 0; i < m->nresults; i++) {
        const struct model_result *r = &m->results[i];
        if (r->year < 1990 || r->year > 2100)
            verrs_add(v, "results", "A result's year must be between 1990 and 2100.");
        if (!isfinite(r->value) || r->value < 0 || r->value > 1e15)
            verrs_add(v, "results", "A result must be a number from 0 to 10^15.");
        if (!r->indicator[0])
            verrs_add(v, "results", "A result needs its indicator.");
        for (int j = 0; j < i; j++)
            if (m->results[j].year == r->year && strcmp(m->results[j].indicator, r->indicator) == 0)
                verrs_add(v, "results", "The same indicator and year appear twice.");
    }
    return v->n == 0;
}
