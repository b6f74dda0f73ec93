/* i18n.c: catalogue lookups and number/date formats per language. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "http/i18n.h"
#include "util/date.h"
#include "util/text.h"

const char *const lang_codes[LANG_COUNT] = {"vi", "en", "sv"};

static const struct tr_entry **sorted;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp((*(const struct tr_entry *const *)a)->id, (*(const struct tr_entry *const *)b)->id);
}

void i18n_init(void)
{
    if (sorted)
        return;
    sorted = malloc((tr_count ? tr_count : 1) * sizeof *sorted);
    for (unsigned i = 0; i < tr_count; i++)
        sorted[i] = &tr_table[i];
    qsort(sorted, tr_count, sizeof *sorted, cmp_entry);
}

const char *T(int lang, const char *msgid)
{
    if (!msgid || lang == LANG_EN || !sorted)
        return msgid ? msgid : "";
    struct tr_entry key = {msgid, 0, 0};
    const struct tr_entry *kp = &key;
    const struct tr_entry **hit = bsearch(&kp, sorted, tr_count, sizeof *sorted, cmp_entry);
    if (!hit)
        return msgid;
    const char *s = lang == LANG_VI ? (*hit)->vi : (*hit)->sv;
    return s ? s : msgid;
}

int lang_parse(const char *code, size_t len)
{
    for (int i = 0; i < LANG_COUNT; i++)
        if (len >= 2 && strncasecmp(code, lang_codes[i], 2) == 0 && (len == 2 || code[2] == '-' || code[2] == '_'))
            return i;
    return -1;
}

int lang_from_accept(const char *h, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && (h[i] == ' ' || h[i] == ','))
            i++;
        size_t start = i;
        while (i < len && h[i] != ',' && h[i] != ';')
            i++;
        int l = lang_parse(h + start, i - start);
        if (l >= 0)
            return l;
        while (i < len && h[i] != ',')
            i++;
    }
    return LANG_VI;
}

void fmt_number(int lang, double v, char *out, size_t outsz)
{
    const char *thousands = lang == LANG_EN ? "," : lang == LANG_SV ? "\xC2\xA0" : ".";
    const char *decimal = lang == LANG_EN ? "." : ",";
    if (!isfinite(v) || fabs(v) >= 1e17) {
        snprintf(out, outsz, "%g", v);
        return;
    }
    long long hundredths = llround(fabs(v) * 100);
    long long ip = hundredths / 100;
    int frac = (int)(hundredths % 100);
    char digits[32], res[96];
    snprintf(digits, sizeof digits, "%lld", ip);
    size_t n = strlen(digits), j = 0;
    if (v < 0 && hundredths)
        res[j++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            for (const char *t = thousands; *t; t++)
                res[j++] = *t;
        res[j++] = digits[i];
    }
    res[j] = 0;
    if (frac == 0)
        snprintf(out, outsz, "%s", res);
    else if (frac % 10 == 0)
        snprintf(out, outsz, "%s%s%d", res, decimal, frac / 10);
    else
        snprintf(out, outsz, "%s%s%02d", res, decimal, frac);
}

bool parse_number(int lang, const char *s, double *out)
{
    char group = lang == LANG_EN ? ',' : lang == LANG_SV ? ' ' : '.';
    char decimal = lang == LANG_EN ? '.' : ',';
    char num[64];
    size_t j = 0;
    int dots = 0;
    const char *last_dot = NULL;
    for (const char *p = s; *p; p++)
        if (*p == '.')
            dots++, last_dot = p;
    /* "4.6" typed on a Vietnamese page: one dot not followed by exactly three digits is a decimal point */
    bool dot_is_decimal = lang != LANG_EN && dots == 1 && !strchr(s, ',') && strlen(last_dot + 1) != 3;
    for (const char *p = s; *p; p++) {
        if (j + 1 >= sizeof num)
            return false;
        if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) { /* no-break space */
            p++;
            continue;
        }
        if (*p == ' ' || (*p == group && !(dot_is_decimal && *p == '.')))
            continue;
        num[j++] = *p == decimal || (dot_is_decimal && *p == '.') ? '.' : *p;
    }
    num[j] = 0;
    if (!j)
        return false;
    char *end;
    *out = strtod(num, &end);
    return !*end && isfinite(*out);
}

void fmt_date(int lang, const char *iso, char out[11])
{
    if (lang == LANG_SV || !date_valid(iso)) {
        text_copy(out, 11, iso ? iso : ""); /* never half a character */
        return;
    }
    date_to_vn(iso, out);
}
