/* unit.h: administrative units (đơn vị hành chính) of the 2024 and 2025 hierarchies. */
#ifndef DVK_UNIT_H
#define DVK_UNIT_H
#include <stdbool.h>

/* Levels: 2024: 1 province, 2 district, 3 commune, 4 village.
 *         2025: 1 province, 2 commune, 3 village. */
struct unit {
    int hierarchy;
    char code[32];
    char name[160];
    char type[16];   /* province, city, district, ..., commune, ward, village */
    char parent_code[32];
    int level;
};

bool unit_hierarchy_valid(int h);
/* Level of communes in hierarchy h (3 in 2024, 2 in 2025). */
int unit_commune_level(int h);
/* True for level-1 units. */
bool unit_is_province(const struct unit *u);
bool unit_is_district(const struct unit *u);
bool unit_is_commune(const struct unit *u);
bool unit_is_village(const struct unit *u);
/* True when code is 1..31 characters of [0-9A-Za-z-]. */
bool unit_code_valid(const char *code);

#endif
