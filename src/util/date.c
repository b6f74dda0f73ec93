/* date.c: date validation and formatting. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "util/date.h"

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static bool ymd_ok(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool date_valid(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y, m, d;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return false;
    return ymd_ok(y, m, d);
}

#define VN_OFFSET (7 * 3600)

void date_today(char out[11])
{
    time_t t = time(NULL) + VN_OFFSET;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void date_local(const char *iso, char day[11], char hm[6])
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    day[0] = hm[0] = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                       &tm.tm_sec) != 6)
        return;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + VN_OFFSET;
    gmtime_r(&t, &tm);
    strftime(day, 11, "%Y-%m-%d", &tm);
    strftime(hm, 6, "%H:%M", &tm);
}

void date_now_iso(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int date_year(const char *s)
{
    int y = 0;
    sscanf(s, "%4d", &y);
    return y;
}

void date_to_vn(const char *s, char out[11])
{
    if (!date_valid(s)) {
        snprintf(out, 11, "%s", s ? s : "");
        return;
    }
    snprintf(out, 11, "%.2s/%.2s/%.4s", s + 8, s + 5, s);
}

bool date_parse_any(const char *s, char out[11])
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 || sscanf(s, "%2d/%2d/%4d%c", &d, &m, &y, &tail) == 3 ||
        sscanf(s, "%2d-%2d-%4d%c", &d, &m, &y, &tail) == 3 || sscanf(s, "%2d.%2d.%4d%c", &d, &m, &y, &tail) == 3) {
        if (!ymd_ok(y, m, d))
            return false;
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return true;
    }
    return false;
}

bool date_from_excel(double serial, char out[11])
{
    /* Excel counts days from 1899-12-31 as day 1 and keeps Lotus 1-2-3's 29 February 1900
     * (day 60); from day 61 on, day n is 1899-12-30 plus n. */
    if (!(serial >= 1 && serial < 2958466))
        return false;
    long n = (long)serial;
    if (n == 60)
        return false;
    if (n < 60)
        n++;
    /* days since 1899-12-30 to a civil date (Howard Hinnant's algorithm, from 1970-01-01) */
    long z = n - 25569 + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    if (y < 1900 || y > 9999)
        return false;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
    memcpy(out, tmp, 11);
    out[10] = 0;
    return date_valid(out);
}
