/* unit.c: rules of the unit hierarchies. */
#include <ctype.h>
#include <string.h>
#include "core/unit.h"

bool unit_hierarchy_valid(int h)
{
    return h == 2024 || h == 2025;
}

int unit_commune_level(int h)
{
    return h == 2024 ? 3 : 2;
}

bool unit_is_province(const struct unit *u)
{
    return u->level == 1;
}

bool unit_is_district(const struct unit *u)
{
    return u->hierarchy == 2024 && u->level == 2;
}

bool unit_is_commune(const struct unit *u)
{
    return u->level == unit_commune_level(u->hierarchy);
}

bool unit_is_village(const struct unit *u)
{
    return u->level == unit_commune_level(u->hierarchy) + 1;
}

bool unit_code_valid(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n > 31)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)code[i]) && code[i] != '-')
            return false;
    return true;
}
