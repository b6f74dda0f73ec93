/* report_heading.c: who a report file says issued it (report_service.h).
 *
 * A report handed in follows the Party's document format (Hướng dẫn 36-HD/VPTW,
 * ../shared/GUIDANCE.md §3): the body directly above and the issuing body top left,
 * "Số 12-BC/BDVTU" under them, the place name in the date line. Those names and
 * symbols are data (migration 014, `dvk heading set`): provinces name their bodies
 * differently, and in 2025 many merged Ban Dân vận into Ban Tuyên giáo và Dân vận.
 * Where a unit has no stored heading, one is inferred from its catalogue name, as
 * a starting point to correct:
 *   - the country: "BAN CHẤP HÀNH TRUNG ƯƠNG" above [read: 36-HD's own heading],
 *     "BAN DÂN VẬN", BDVTW [read: KH 06-KH/BDVTW], place Hà Nội;
 *   - a province or centrally run city: "TỈNH ỦY X" / "THÀNH ỦY X" above, "BAN DÂN
 *     VẬN", BDVTU [read: 24-KH/BDVTU, 08-HD/BDVTU], place X;
 *   - a 2024 district: "HUYỆN ỦY X", "QUẬN ỦY X", "THỊ ỦY X" or "THÀNH ỦY X" above,
 *     "BAN DÂN VẬN", BDVHU, BDVQU or BDVTU [inferred: not seen in a source];
 *   - a commune (and a village, whose reports its commune hands in): the commune's
 *     Party committee, "ĐẢNG BỘ <parent>" above [by analogy with "ĐẢNG BỘ TỈNH THÁI
 *     NGUYÊN / ĐẢNG ỦY KHỐI …"], "ĐẢNG ỦY XÃ Y", ĐU [inferred];
 *   - in the 2025 hierarchy the commission is "BAN TUYÊN GIÁO VÀ DÂN VẬN", BTGDVTW /
 *     BTGDVTU [inferred: the merger is reported, the symbols are not verified].
 * The place of the date line is where the body sits: for a province that is often its
 * capital ("Hạ Long" for Quảng Ninh), which the catalogue does not say; the inferred
 * place is the unit's own name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/i18n.h"
#include "service/report_service.h"
#include "util/buf.h"
#include "util/text.h"

/* ---- inferred headings ------------------------------------------------------------- */

/* The name without its kind: "Tỉnh Quảng Nam" gives "Quảng Nam". */
static const char *bare_name(const char *name)
{
    static const char *const kinds[] = {"Tỉnh ", "Thành phố ", "Huyện ", "Quận ", "Thị xã ",
                                        "Xã ",   "Phường ",    "Thị trấn ", "Đặc khu "};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(name, kinds[i], strlen(kinds[i])) == 0 && name[strlen(kinds[i])])
            return name + strlen(kinds[i]);
    return name;
}

/* out = prefix + the upper case of name. */
static void upper_with(char *out, size_t outsz, const char *prefix, const char *name)
{
    char *up = text_upper(name);
    snprintf(out, outsz, "%s%s", prefix, up);
    free(up);
}

/* The Party committee of a province or a 2024 district ("TỈNH ỦY", "HUYỆN ỦY" ...) and
 * the letter its Ban Dân vận's symbol ends with before "U" (T, H, Q). */
static void committee_of(const struct unit *u, char *out, size_t outsz, const char **letter)
{
    const char *prefix = "TỈNH ỦY ";
    *letter = "T";
    if (strcmp(u->type, "city") == 0) {
        prefix = "THÀNH ỦY ";
    } else if (strcmp(u->type, "district") == 0) {
        prefix = "HUYỆN ỦY ";
        *letter = "H";
    } else if (strcmp(u->type, "urban_district") == 0) {
        prefix = "QUẬN ỦY ";
        *letter = "Q";
    } else if (strcmp(u->type, "town") == 0) {
        prefix = "THỊ ỦY ";
    }
    upper_with(out, outsz, prefix, bare_name(u->name));
}

static void infer(int hierarchy, const struct unit *path, int n, struct report_heading *h)
{
    bool merged = hierarchy == 2025; /* Ban Tuyên giáo và Dân vận */
    const char *commission = merged ? "BAN TUYÊN GIÁO VÀ DÂN VẬN" : "BAN DÂN VẬN";
    const char *sym = merged ? "BTGDV" : "BDV";
    h->style = HEADING_PARTY;
    /* a village's reports are its commune's */
    while (n > 0 && unit_is_village(&path[n - 1]))
        n--;
    if (n == 0) {
        snprintf(h->superior, sizeof h->superior, "BAN CHẤP HÀNH TRUNG ƯƠNG");
        snprintf(h->body, sizeof h->body, "%s", commission);
        snprintf(h->symbol, sizeof h->symbol, "%sTW", sym);
        snprintf(h->place, sizeof h->place, "Hà Nội");
        return;
    }
    const struct unit *u = &path[n - 1];
    snprintf(h->place, sizeof h->place, "%s", bare_name(u->name));
    if (unit_is_commune(u)) {
        upper_with(h->superior, sizeof h->superior, "ĐẢNG BỘ ", n > 1 ? path[n - 2].name : "");
        upper_with(h->body, sizeof h->body, "ĐẢNG ỦY ", u->name);
        snprintf(h->symbol, sizeof h->symbol, "ĐU");
        return;
    }
    const char *letter;
    committee_of(u, h->superior, sizeof h->superior, &letter);
    snprintf(h->body, sizeof h->body, "%s", commission);
    snprintf(h->symbol, sizeof h->symbol, "%s%sU", sym, letter);
}

int report_heading_of(struct store *st, int hierarchy, const char *unit_code, struct report_heading *out, bool *stored)
{
    memset(out, 0, sizeof *out);
    if (!unit_hierarchy_valid(hierarchy))
        return SVC_NOTFOUND;
    unit_code = unit_code ? unit_code : "";
    struct unit path[5];
    int n = 0;
    if (*unit_code && (!unit_code_valid(unit_code) || svc_unit_path(st, hierarchy, unit_code, path, &n) != SVC_OK))
        return SVC_NOTFOUND;
    int rc = st->ops->heading_get(st, hierarchy, unit_code, out);
    if (rc == ST_ERR)
        return SVC_ERROR;
    if (stored)
        *stored = rc == ST_OK;
    if (rc == ST_OK)
        return SVC_OK;
    out->hierarchy = hierarchy;
    snprintf(out->unit_code, sizeof out->unit_code, "%s", unit_code);
    infer(hierarchy, path, n, out);
    return SVC_OK;
}

/* ---- setting one ------------------------------------------------------------------- */

/* A line of the heading: NFC, trimmed, one line, at most max characters (too_long says
 * so); upper case when caps (the format writes the names of bodies in capitals). empty
 * is the message when it must not be empty, else NULL. */
static void clean_line(const char *in, char *out, size_t outsz, size_t max, const char *too_long, bool caps,
                       const char *field, const char *empty, struct verrs *v)
{
    out[0] = 0;
    in = in ? in : "";
    if (!text_valid(in, strlen(in)) || strpbrk(in, "\t\r\n")) {
        verrs_add(v, field, "One line of text, please.");
        return;
    }
    char *c = text_nfc_trim(in);
    if (caps) {
        char *u = text_upper(c);
        free(c);
        c = u;
    }
    if (empty && !*c)
        verrs_add(v, field, empty);
    else if (text_chars(c) > max || strlen(c) >= outsz)
        verrs_add(v, field, too_long);
    else
        snprintf(out, outsz, "%s", c);
    free(c);
}

int svc_heading_set(struct store *st, const struct actor *a, const struct report_heading_in *in, struct report_heading *out,
                    struct verrs *v)
{
    memset(out, 0, sizeof *out);
    const char *code = in->unit_code ? in->unit_code : "";
    struct model_place p;
    memset(&p, 0, sizeof p);
    if (!unit_hierarchy_valid(in->hierarchy) ||
        (*code && (!unit_code_valid(code) || svc_unit_place(st, in->hierarchy, code, &p) != SVC_OK)))
        return SVC_NOTFOUND;
    if (!authz_heading_set(a, &p, in->hierarchy, code))
        return SVC_FORBIDDEN;
    out->hierarchy = in->hierarchy;
    snprintf(out->unit_code, sizeof out->unit_code, "%s", code);
    const char *long120 = N_("Too long (at most 120 characters)."), *long60 = N_("Too long (at most 60 characters).");
    clean_line(in->superior, out->superior, sizeof out->superior, 120, long120, true, "superior", NULL, v);
    clean_line(in->body, out->body, sizeof out->body, 120, long120, true, "body", N_("Name the issuing body."), v);
    clean_line(in->symbol, out->symbol, sizeof out->symbol, 20, N_("Too long (at most 20 characters)."), true, "symbol",
               NULL, v);
    /* "Số 12-BC/BDVTU": a symbol is one word, without the separators of the number line */
    if (out->symbol[0] && strpbrk(out->symbol, " /,:"))
        verrs_add(v, "symbol", "A symbol is one word of letters, digits and hyphens (BDVTU).");
    clean_line(in->place, out->place, sizeof out->place, 60, long60, false, "place",
               N_("Name the place of the date line."), v);
    if (!in->style || !*in->style || strcmp(in->style, "party") == 0)
        out->style = HEADING_PARTY;
    else if (strcmp(in->style, "state") == 0)
        out->style = HEADING_STATE;
    else
        verrs_add(v, "style", "Unknown value.");
    if (v->n)
        return SVC_INVALID;
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    struct report_heading before;
    int got = st->ops->heading_get(st, out->hierarchy, out->unit_code, &before);
    int rc = got == ST_ERR ? SVC_ERROR : st->ops->heading_put(st, out) == ST_OK ? SVC_OK : SVC_ERROR;
    if (rc == SVC_OK) {
        char id[48];
        snprintf(id, sizeof id, "%d:%s", out->hierarchy, out->unit_code);
        json_t *b = got == ST_OK ? report_heading_to_json(&before) : NULL;
        json_t *after = report_heading_to_json(out);
        rc = audit(st, a, "report_heading", id, "set", b, after);
        json_decref(b);
        json_decref(after);
    }
    return svc_finish(st, rc);
}

json_t *report_heading_to_json(const struct report_heading *h)
{
    return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "hierarchy", h->hierarchy, "unit", h->unit_code,
                     "superior", h->superior, "body", h->body, "symbol", h->symbol, "place", h->place, "style",
                     h->style == HEADING_STATE ? "state" : "party");
}

/* "Quảng Nam, ngày 05 tháng 4 năm 2025" (vi) or "Quảng Nam, 05/04/2025". */
void report_date_line(int lang, const char *place, const char *day, char *out, size_t outsz)
{
    if (lang != LANG_VI) {
        char d[11];
        fmt_date(lang, day, d);
        snprintf(out, outsz, "%s, %s", place, d);
        return;
    }
    /* 36-HD/VPTW writes "ngày 03 tháng 4 năm 2018" and "ngày 20 tháng 02 năm 2018": a day
     * below 10 and the months 1 and 2 take a leading zero, the other months none */
    int m = atoi(day + 5);
    char dd[3], mm[3];
    snprintf(dd, sizeof dd, "%.2s", day + 8);
    snprintf(mm, sizeof mm, m <= 2 ? "%02d" : "%d", m);
    snprintf(out, outsz, T(lang, "%s, day %s month %s year %.4s"), place, dd, mm, day);
}

/* "Số 12-BC/BDVTU" (Party: no colon) or "Số: 12/BC-BDVTU" (state); without a number the
 * place for it is left blank, to be filled in when the document is registered. */
void report_number_line(const struct report_heading *h, int lang, const char *number, char *out, size_t outsz)
{
    char sym[96];
    const char *no = number && *number ? number : "      ";
    if (h->style == HEADING_STATE)
        snprintf(sym, sizeof sym, "%s/BC%s%s", no, h->symbol[0] ? "-" : "", h->symbol);
    else
        snprintf(sym, sizeof sym, "%s-BC%s%s", no, h->symbol[0] ? "/" : "", h->symbol);
    snprintf(out, outsz, T(lang, h->style == HEADING_STATE ? N_("No.: %s") : N_("No. %s")), sym);
}
