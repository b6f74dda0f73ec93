/* authz.c: who may do what. Every permission of dvk is decided in this file.
 *
 * A user acts inside the subtree of their scope unit, in both hierarchies: the
 * scope is one place column (p24, d24, c24, p25, c25 or an exact unit), and a
 * model is in scope when its stored place has the scope's code in that column.
 * So a 2024 commune's model is in scope of the 2025 commune it merged into, and
 * a 2025 commune's model is in scope of the 2024 district all its old communes
 * belonged to. */
#include <string.h>
#include "service/service.h"

bool authz_in_scope(const struct actor *a, const struct model_place *p, int hierarchy, const char *unit_code)
{
    switch (a->scope_col) {
    case PLACE_NONE:
        return a->role == ROLE_ADMIN || a->user_id == 0;
    case PLACE_P24:
        return strcmp(p->p24, a->scope_code) == 0;
    case PLACE_D24:
        return strcmp(p->d24, a->scope_code) == 0;
    case PLACE_C24:
        return strcmp(p->c24, a->scope_code) == 0;
    case PLACE_P25:
        return strcmp(p->p25, a->scope_code) == 0;
    case PLACE_C25:
        return strcmp(p->c25, a->scope_code) == 0;
    case PLACE_UNIT:
        return hierarchy == a->hierarchy && strcmp(unit_code, a->scope_code) == 0;
    }
    return false;
}

bool authz_model_read(const struct actor *a, const struct model *m)
{
    return a->role > ROLE_NONE && authz_in_scope(a, &m->place, m->hierarchy, m->unit_code);
}

static bool registers(const struct actor *a)
{
    return a->role == ROLE_ADMIN || a->role == ROLE_STAFF || a->role == ROLE_OFFICER;
}

bool authz_model_create(const struct actor *a, const struct model *m)
{
    return registers(a) && authz_in_scope(a, &m->place, m->hierarchy, m->unit_code);
}

/* Commission staff edit any model in their scope; a commune officer edits
 * what has not yet been selected (afterwards it is the committee's record). */
bool authz_model_edit(const struct actor *a, const struct model *m)
{
    if (!authz_model_read(a, m))
        return false;
    if (a->role == ROLE_ADMIN || a->role == ROLE_STAFF)
        return true;
    return a->role == ROLE_OFFICER && (m->status == STATUS_DRAFT || m->status == STATUS_REGISTERED);
}

bool authz_unit_edit(const struct actor *a, const struct model_place *p, int hierarchy, const char *unit_code)
{
    return registers(a) && authz_in_scope(a, p, hierarchy, unit_code);
}

bool authz_import(const struct actor *a)
{
    return a->role == ROLE_ADMIN || a->role == ROLE_STAFF;
}

/* The audit trail covers the whole installation (users, catalogues, every unit's
 * models): only an administrator without a unit scope reads it. */
bool authz_audit_read(const struct actor *a)
{
    return a->role == ROLE_ADMIN && a->scope_col == PLACE_NONE;
}

/* The steering committee a model is registered with decides on it (selects,
 * rejects, recognizes): the one at its registration level, in its unit's
 * ancestry. Its members here are the commission staff scoped to exactly that
 * unit (and, for a commune committee, the commune's officer). The district
 * tier ended on 1 July 2025: a 2025 province's staff decide for the districts
 * that became part of it. */
bool authz_model_decide(const struct actor *a, const struct model *m)
{
    if (a->role == ROLE_ADMIN && a->scope_col == PLACE_NONE)
        return true;
    bool staff = a->role == ROLE_STAFF || a->role == ROLE_ADMIN;
    const struct model_place *p = &m->place;
    switch (m->level) {
    case LEVEL_PROVINCE:
        return staff && ((a->scope_col == PLACE_P24 && strcmp(p->p24, a->scope_code) == 0) ||
                         (a->scope_col == PLACE_P25 && strcmp(p->p25, a->scope_code) == 0));
    case LEVEL_DISTRICT:
        return staff && ((a->scope_col == PLACE_D24 && strcmp(p->d24, a->scope_code) == 0) ||
                         (a->scope_col == PLACE_P25 && strcmp(p->p25, a->scope_code) == 0));
    case LEVEL_COMMUNE:
        return (staff || a->role == ROLE_OFFICER) &&
               ((a->scope_col == PLACE_C24 && strcmp(p->c24, a->scope_code) == 0) ||
                (a->scope_col == PLACE_C25 && strcmp(p->c25, a->scope_code) == 0));
    }
    return false;
}

bool authz_model_register(const struct actor *a, const struct model *m)
{
    return registers(a) && authz_in_scope(a, &m->place, m->hierarchy, m->unit_code);
}

bool authz_appraise(const struct actor *a, const struct model *m)
{
    return (a->role == ROLE_APPRAISER || a->role == ROLE_STAFF || a->role == ROLE_ADMIN) &&
           authz_in_scope(a, &m->place, m->hierarchy, m->unit_code);
}

bool authz_scoring(const struct actor *a, const struct model_place *p, int hierarchy, const char *unit_code)
{
    return (a->role == ROLE_STAFF || a->role == ROLE_ADMIN) && authz_in_scope(a, p, hierarchy, unit_code);
}

/* The heading of a unit's report files names the office that hands them in: that
 * office's staff keep it (or an administrator above it); the country's, a national
 * administrator. */
bool authz_heading_set(const struct actor *a, const struct model_place *p, int hierarchy, const char *unit_code)
{
    return (a->role == ROLE_STAFF || a->role == ROLE_ADMIN) && authz_in_scope(a, p, hierarchy, unit_code);
}
