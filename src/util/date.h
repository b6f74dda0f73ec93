/* date.h: calendar dates as "YYYY-MM-DD" strings (the form stored and sent over the API). */
#ifndef DVK_DATE_H
#define DVK_DATE_H
#include <stdbool.h>

/* True when s is exactly YYYY-MM-DD and names a real day between 1900 and 2200. */
bool date_valid(const char *s);
/* Today's date in Vietnam (UTC+7, no daylight saving) into out[11]: what "today" means
 * to an officer dating a decision. */
void date_today(char out[11]);
/* A stored UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" as Vietnam's date (YYYY-MM-DD) and time (HH:MM). */
void date_local(const char *iso, char day[11], char hm[6]);
/* Current time as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void date_now_iso(char out[21]);
/* Year of a valid date. */
int date_year(const char *s);
/* "dd/mm/yyyy" into out[11] for a valid date; copies s otherwise. */
void date_to_vn(const char *s, char out[11]);
/* An Excel serial day number (1900 date system: 45658 is 2025-01-01) as YYYY-MM-DD. */
bool date_from_excel(double serial, char out[11]);
/* Accepts dd/mm/yyyy (also with - or . between), d/m/yyyy or yyyy-mm-dd; writes YYYY-MM-DD into out[11]. Returns false if invalid. */
bool date_parse_any(const char *s, char out[11]);

#endif
