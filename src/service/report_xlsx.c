/* report_xlsx.c: a report as the XLSX an office hands in (report_service.h).
 *
 * One sheet, laid out as a Party document (Hướng dẫn 36-HD/VPTW, ../shared/GUIDANCE.md §3):
 *
 *     TỈNH ỦY QUẢNG NAM              ĐẢNG CỘNG SẢN VIỆT NAM
 *       BAN DÂN VẬN  (bold)          Quảng Nam, ngày 05 tháng 4 năm 2025  (italic)
 *            *
 *     Số 12-BC/BDVTU
 *                          BÁO CÁO
 *              Mô hình theo lĩnh vực và loại hình
 *            Tỉnh Quảng Nam, 01/01/2024 – 31/12/2024
 *     Lĩnh vực | Tập thể | Cá nhân | ...       header row (frozen, repeated on each page)
 *     ...                                      rows, the totals row in bold
 *
 * or, for a body that writes in the state's format (style "state", Nghị định 30/2020),
 * the motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" on the
 * right and "Số: 12/BC-…" on the left. The tables hold exactly the labels and values of
 * report_to_csv(): numbers as numbers, rounded to the hundredths the CSV shows, with a
 * display format that shows them all. Fonts: Times New Roman (TCVN 6909 Unicode).
 *
 * Column widths are in Excel's units (the width of a "0" in the default font); the
 * factors below estimate how many units a character of Times New Roman 12 takes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xlsxwriter.h>
#include "http/i18n.h"
#include "service/report_service.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/text.h"

#define FONT "Times New Roman"

bool report_number_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 6)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The value the CSV shows: fmt_number() rounds to hundredths. */
static double shown(double v)
{
    if (!isfinite(v) || fabs(v) >= 1e15)
        return v;
    double r = (double)llround(fabs(v) * 100) / 100;
    return v < 0 ? -r : r;
}

/* ---- formats ------------------------------------------------------------------------- */

/* Per cell, as the CSV writes each value: a whole number without decimals, any other
 * with the one or two it has (a results table mixes households, m² and km in a column,
 * so a column-wide format would write "130.0" households). */
enum numfmt { NF_WHOLE, NF_DECIMAL, NF_COUNT_ALL };
static const char *const numfmt_codes[NF_COUNT_ALL] = {"#,##0_)", "#,##0.0#_)"}; /* _): a space at the right */

struct fmts {
    lxw_format *superior, *body, *plain, *party, *motto, *motto2, *date;
    lxw_format *kind, *title, *period, *table_title, *head, *label, *label_total, *label_unassigned;
    lxw_format *num[NF_COUNT_ALL], *num_total[NF_COUNT_ALL];
};

static lxw_format *fmt_new(lxw_workbook *wb, double size, bool bold, bool center)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, FONT);
    format_set_font_size(f, size);
    if (bold)
        format_set_bold(f);
    if (center)
        format_set_align(f, LXW_ALIGN_CENTER);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void fmts_make(lxw_workbook *wb, struct fmts *f)
{
    f->superior = fmt_new(wb, 12, false, true);
    f->body = fmt_new(wb, 12, true, true);
    f->plain = fmt_new(wb, 12, false, true);
    f->party = fmt_new(wb, 13, true, true);
    format_set_underline(f->party, LXW_UNDERLINE_SINGLE); /* 36-HD: a rule under it, as long as it */
    f->motto = fmt_new(wb, 12, true, true);
    f->motto2 = fmt_new(wb, 13, true, true);
    format_set_underline(f->motto2, LXW_UNDERLINE_SINGLE);
    f->date = fmt_new(wb, 12, false, true);
    format_set_italic(f->date);
    lxw_format *heading[] = {f->superior, f->body, f->party, f->motto, f->motto2, f->date};
    for (size_t i = 0; i < sizeof heading / sizeof heading[0]; i++)
        format_set_text_wrap(heading[i]); /* a long name of a body takes two lines */
    f->kind = fmt_new(wb, 15, true, true);
    f->title = fmt_new(wb, 14, true, true);
    format_set_text_wrap(f->title);
    f->period = fmt_new(wb, 12, false, true);
    format_set_italic(f->period);
    f->table_title = fmt_new(wb, 12, true, false);
    f->head = fmt_new(wb, 12, true, true);
    format_set_text_wrap(f->head);
    format_set_border(f->head, LXW_BORDER_THIN);
    format_set_bg_color(f->head, 0xEDEDED);
    f->label = fmt_new(wb, 12, false, false);
    f->label_total = fmt_new(wb, 12, true, false);
    f->label_unassigned = fmt_new(wb, 12, false, false);
    format_set_italic(f->label_unassigned);
    lxw_format *labels[] = {f->label, f->label_total, f->label_unassigned};
    for (int i = 0; i < 3; i++) {
        format_set_border(labels[i], LXW_BORDER_THIN);
        format_set_indent(labels[i], 1);
    }
    for (int i = 0; i < NF_COUNT_ALL; i++) {
        for (int total = 0; total < 2; total++) {
            lxw_format *x = fmt_new(wb, 12, total, false);
            format_set_num_format(x, numfmt_codes[i]);
            format_set_border(x, LXW_BORDER_THIN);
            *(total ? &f->num_total[i] : &f->num[i]) = x;
        }
    }
}

/* ---- layout --------------------------------------------------------------------------- */

struct layout {
    int ncols;                       /* the widest table's, with its label column */
    double width[REPORT_MAX_COLS + 1];
    int split;                       /* the heading's right half starts at this column */
};

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* ---- measuring text ----------------------------------------------------------------
 * No spreadsheet fits columns to their text when it opens a file, so the widths and
 * the heights of wrapped rows are estimated here. Excel's column width unit is the
 * width of a digit of the workbook's default font (Calibri 11: 7 pixels at 96 dpi); a
 * column of w units is 7w + 5 pixels wide. Text is measured with the advance widths of
 * Times (Adobe's Times-Roman and Times-Bold metrics, which Times New Roman and Liberation
 * Serif follow), in thousandths of an em, for ASCII 32..126; a Vietnamese letter is as
 * wide as its base letter, anything else as a digit. */
static const unsigned short times_regular[95] = {
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722,
    722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333,
    278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541};
static const unsigned short times_bold[95] = {
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778,
    778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333,
    278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520};

/* The width of one character in thousandths of an em. */
static int char_em(utf8proc_int32_t c, bool bold)
{
    if (c == 0x110 || c == 0x111) /* Đ đ */
        c = c == 0x110 ? 'D' : 'd';
    if (c >= 0x80) {
        utf8proc_int32_t d[4];
        int last = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(c, d, 4, UTF8PROC_DECOMPOSE, &last);
        if (n >= 1 && n <= 4 && d[0] >= 0 && d[0] < 0x80)
            c = d[0];
    }
    if (c < 32 || c > 126)
        return 500;
    return bold ? times_bold[c - 32] : times_regular[c - 32];
}

/* Pixels (96 dpi) of s[0..len) at size pt. */
static double text_px(const char *s, size_t len, bool bold, double pt)
{
    double em = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
        if (n <= 0)
            break;
        em += char_em(c, bold);
        p += n;
        left -= n;
    }
    return em / 1000 * pt * 96 / 72;
}

/* Column units that hold s on one line (with the cell's padding). */
static double text_units(const char *s, bool bold, double pt)
{
    return (text_px(s, strlen(s), bold, pt) + 6) / 7;
}

/* The widest word of s, in column units. */
static double word_units(const char *s, bool bold, double pt)
{
    double w = 0;
    while (*s) {
        size_t n = strcspn(s, " ");
        w = fmax(w, (text_px(s, n, bold, pt) + 6) / 7);
        s += n;
        s += strspn(s, " ");
    }
    return w;
}

/* Lines s takes when wrapped at spaces in a column (or merged columns) of width units. */
static int wrap_lines(const char *s, bool bold, double pt, double width)
{
    double avail = width * 7 + 5 - 6, space = text_px(" ", 1, bold, pt), line = -1;
    int lines = 1;
    while (*s) {
        size_t n = strcspn(s, " ");
        double w = text_px(s, n, bold, pt);
        if (line < 0) {
            line = w;
        } else if (line + space + w <= avail) {
            line += space + w;
        } else {
            lines++;
            line = w;
        }
        s += n;
        s += strspn(s, " ");
    }
    return lines;
}

/* Row height in points of n lines at size pt (Excel's: 15.75 for a line of 12 pt). */
static double lines_height(int n, double pt)
{
    return n * pt * 1.3125 + 2;
}

static void lay_out(const struct report *r, int lang, struct layout *L)
{
    memset(L, 0, sizeof *L);
    char s[512];
    double label_w = 0;
    for (int i = 0; i < r->ntables; i++) {
        const struct report_table *t = &r->tables[i];
        if (t->ncols + 1 > L->ncols)
            L->ncols = t->ncols + 1;
        label_w = fmax(label_w, text_units(T(lang, t->row_head), true, 12));
        for (int j = 0; j < t->nrows; j++) {
            report_row_label(&t->rows[j], lang, s, sizeof s);
            label_w = fmax(label_w, text_units(s, t->rows[j].type == ROW_TOTAL, 12));
        }
        for (int k = 0; k < t->ncols; k++) {
            report_col_label(&t->cols[k], lang, s, sizeof s);
            /* a header label wraps onto up to three lines rather than widen its column */
            double head = text_units(s, true, 12);
            double w = head <= 13 ? head : fmax(fmax(head / 3 * 1.15, 11), word_units(s, true, 12));
            for (int j = 0; j < t->nrows; j++) {
                char num[64];
                fmt_number(LANG_EN, shown(t->rows[j].v[k]), num, sizeof num);
                w = fmax(w, text_units(num, t->rows[j].type == ROW_TOTAL, 12) + 1); /* "_)" */
            }
            L->width[k + 1] = fmax(L->width[k + 1], clamp(w, 9, 22));
        }
    }
    L->width[0] = clamp(label_w + 2, 20, 60); /* + the indent */
}

/* The height of a header row: its longest wrapped label. */
static double head_height(const struct report_table *t, const struct layout *L, int lang)
{
    char s[512];
    int lines = wrap_lines(T(lang, t->row_head), true, 12, L->width[0]);
    for (int k = 0; k < t->ncols; k++) {
        report_col_label(&t->cols[k], lang, s, sizeof s);
        int n = wrap_lines(s, true, 12, L->width[k + 1]);
        lines = n > lines ? n : lines;
    }
    return lines_height(lines, 12) + 2;
}

/* Splits the columns into the heading's two halves and widens them until each half
 * holds its longest line (left_need, right_need in units). */
static void split_heading(struct layout *L, double left_need, double right_need)
{
    double total = 0;
    for (int c = 0; c < L->ncols; c++)
        total += L->width[c];
    /* the left half is the narrower one: the right holds the motto and the date line */
    int k = 1;
    double left = L->width[0];
    while (k < L->ncols - 1 && left + L->width[k] <= total * 0.45) {
        left += L->width[k];
        k++;
    }
    L->split = k;
    if (left < left_need) {
        L->width[0] += left_need - left;
        left = left_need;
    }
    double right = 0;
    for (int c = k; c < L->ncols; c++)
        right += L->width[c];
    if (right < right_need) {
        double add = (right_need - right) / (L->ncols - k);
        for (int c = k; c < L->ncols; c++)
            L->width[c] += add;
    }
}

/* ---- writing -------------------------------------------------------------------------- */

struct sheet {
    lxw_worksheet *ws;
    struct layout *L;
};

/* Text across columns c0..c1 of row (merged when more than one). */
static void span(struct sheet *s, int row, int c0, int c1, const char *text, lxw_format *f)
{
    if (!text || !*text)
        return;
    if (c1 > c0)
        worksheet_merge_range(s->ws, (lxw_row_t)row, (lxw_col_t)c0, (lxw_row_t)row, (lxw_col_t)c1, text, f);
    else
        worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)c0, text, f);
}

/* Writes the heading block and the title; returns the next free row. */
static int write_heading(struct sheet *s, const struct fmts *f, const struct report *r, int lang,
                         const struct report_heading *h, const char *number, const char *day)
{
    char line[512], datel[300];
    report_number_line(h, lang, number, line, sizeof line);
    report_date_line(lang, h->place, day, datel, sizeof datel);
    bool state = h->style == HEADING_STATE;
    const char *right0 = T(lang, state ? N_("SOCIALIST REPUBLIC OF VIETNAM") : N_("COMMUNIST PARTY OF VIETNAM"));
    const char *motto2 = T(lang, "Independence - Freedom - Happiness");
    /* the four lines of each half: 36-HD/VPTW puts "ĐẢNG CỘNG SẢN VIỆT NAM" over the date
     * line and "*" under the body; Nghị định 30/2020 the motto, its second line underlined,
     * with the date line level with the number */
    struct {
        const char *text;
        bool bold;
        double pt;
        lxw_format *fmt;
    } half[2][4] = {
        {{h->superior, false, 12, f->superior}, {h->body, true, 12, f->body}, {state ? "" : "*", false, 12, f->plain},
         {line, false, 12, f->plain}},
        {{right0, true, state ? 12 : 13, state ? f->motto : f->party},
         {state ? motto2 : datel, state, state ? 13 : 12, state ? f->motto2 : f->date},
         {"", false, 12, f->plain},
         {state ? datel : "", false, 12, f->date}},
    };
    double need[2] = {0, 0};
    for (int side = 0; side < 2; side++)
        for (int row = 0; row < 4; row++)
            need[side] = fmax(need[side], text_units(half[side][row].text, half[side][row].bold, half[side][row].pt) + 2);
    /* a very long name wraps in its half rather than widen the table's columns */
    split_heading(s->L, fmin(need[0], 56), fmin(need[1], 60));
    int k = s->L->split, last = s->L->ncols - 1;
    for (int c = 0; c <= last; c++)
        worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, s->L->width[c], NULL);
    double width[2] = {0, 0};
    for (int c = 0; c <= last; c++)
        width[c >= k] += s->L->width[c];
    for (int row = 0; row < 4; row++) {
        int lines = 1;
        for (int side = 0; side < 2; side++) {
            const char *text = half[side][row].text;
            span(s, row, side ? k : 0, side ? last : k - 1, text, half[side][row].fmt);
            int n = *text ? wrap_lines(text, half[side][row].bold, half[side][row].pt, width[side]) : 1;
            lines = n > lines ? n : lines;
        }
        worksheet_set_row(s->ws, (lxw_row_t)row, lines_height(lines, 13), NULL);
    }

    span(s, 5, 0, last, T(lang, "REPORT"), f->kind);
    worksheet_set_row(s->ws, 5, 21, NULL);
    const char *title = T(lang, report_titles[r->name]);
    double all = 0;
    for (int c = 0; c <= last; c++)
        all += s->L->width[c];
    span(s, 6, 0, last, title, f->title);
    worksheet_set_row(s->ws, 6, lines_height(wrap_lines(title, true, 14, all), 14), NULL);
    report_period_text(r, lang, line, sizeof line);
    span(s, 7, 0, last, line, f->period);
    worksheet_set_row(s->ws, 7, 18, NULL);
    return 9;
}

/* Writes table i from row; returns the row of its header (for freezing and printing)
 * and sets *next to the next free row. */
static int write_table(struct sheet *s, const struct fmts *f, const struct report *r, int i, int lang, int row,
                       int *next)
{
    const struct report_table *t = &r->tables[i];
    char label[512];
    if (r->ntables > 1) {
        span(s, row, 0, s->L->ncols - 1, T(lang, t->title), f->table_title);
        worksheet_set_row(s->ws, (lxw_row_t)row, 18, NULL);
        row++;
    }
    int head = row;
    worksheet_set_row(s->ws, (lxw_row_t)row, head_height(t, s->L, lang), NULL);
    worksheet_write_string(s->ws, (lxw_row_t)row, 0, T(lang, t->row_head), f->head);
    for (int k = 0; k < t->ncols; k++) {
        report_col_label(&t->cols[k], lang, label, sizeof label);
        worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)(k + 1), label, f->head);
    }
    row++;
    for (int j = 0; j < t->nrows; j++, row++) {
        const struct report_line *l = &t->rows[j];
        bool total = l->type == ROW_TOTAL;
        report_row_label(l, lang, label, sizeof label);
        worksheet_write_string(s->ws, (lxw_row_t)row, 0, label,
                               total ? f->label_total : l->type == ROW_UNASSIGNED ? f->label_unassigned : f->label);
        for (int k = 0; k < t->ncols; k++) {
            if (report_cell_empty(t, l, k)) { /* a mean of no value: a blank cell, in the row's style */
                worksheet_write_blank(s->ws, (lxw_row_t)row, (lxw_col_t)(k + 1), total ? f->num_total[NF_DECIMAL] : f->num[NF_DECIMAL]);
                continue;
            }
            double v = shown(l->v[k]);
            int nf = v == floor(v) ? NF_WHOLE : NF_DECIMAL;
            worksheet_write_number(s->ws, (lxw_row_t)row, (lxw_col_t)(k + 1), v,
                                   total ? f->num_total[nf] : f->num[nf]);
        }
        worksheet_set_row(s->ws, (lxw_row_t)row, lines_height(1, 12) + 1, NULL);
    }
    *next = row + 1;
    return head;
}

/* The sheet's name: the report's title, cut to Excel's 31 characters at a word. */
static void sheet_name(lxw_workbook *wb, const struct report *r, int lang, char *out, size_t outsz)
{
    const char *title = T(lang, report_titles[r->name]);
    size_t n = 0, chars = 0, word_end = 0;
    for (; title[n] && chars < 31; n++) {
        if (((unsigned char)title[n] & 0xc0) != 0x80) {
            chars++;
            if (title[n] == ' ')
                word_end = n;
        }
    }
    while (title[n] && ((unsigned char)title[n] & 0xc0) == 0x80)
        n++;
    if (title[n] && word_end)
        n = word_end;
    snprintf(out, outsz, "%.*s", (int)n, title);
    for (char *p = out; *p; p++)
        if (strchr("[]:*?/\\'", *p))
            *p = ' ';
    if (workbook_validate_sheet_name(wb, out) != LXW_NO_ERROR)
        snprintf(out, outsz, "%s", report_names[r->name]);
}

int report_to_xlsx(const struct report *r, int lang, const struct report_heading *h, const char *number,
                   const char *day, const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return -1;
    char name[128];
    sheet_name(wb, r, lang, name, sizeof name);
    struct layout L;
    lay_out(r, lang, &L);
    struct sheet s = {workbook_add_worksheet(wb, name), &L};
    if (!s.ws) {
        workbook_close(wb);
        return -1;
    }
    struct fmts f;
    fmts_make(wb, &f);
    char period[300];
    report_period_text(r, lang, period, sizeof period);
    lxw_doc_properties props = {.title = (char *)T(lang, report_titles[r->name]), .subject = period,
                                .author = (char *)h->body, .company = (char *)h->superior};
    workbook_set_properties(wb, &props);

    int row = write_heading(&s, &f, r, lang, h, number, day);
    int first_head = -1;
    for (int i = 0; i < r->ntables; i++) {
        int head = write_table(&s, &f, r, i, lang, row, &row);
        if (first_head < 0)
            first_head = head;
    }
    worksheet_freeze_panes(s.ws, (lxw_row_t)(first_head + 1), 0);
    worksheet_gridlines(s.ws, LXW_HIDE_ALL_GRIDLINES);

    /* print: A4, the margins of 36-HD/VPTW (top and bottom 20 mm, left 30 mm, right 15 mm),
     * one page wide, the header row again on every page */
    double total = 0;
    for (int c = 0; c < L.ncols; c++)
        total += L.width[c];
    worksheet_set_paper(s.ws, 9);
    if (L.ncols > 6 || total > 100)
        worksheet_set_landscape(s.ws);
    worksheet_set_margins(s.ws, 30 / 25.4, 15 / 25.4, 20 / 25.4, 20 / 25.4);
    worksheet_center_horizontally(s.ws);
    worksheet_fit_to_pages(s.ws, 1, 0);
    worksheet_repeat_rows(s.ws, (lxw_row_t)first_head, (lxw_row_t)first_head);
    worksheet_set_footer(s.ws, "&C&P/&N");
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

int svc_report_xlsx(struct store *st, const struct report *r, int lang, const char *number, const char *path)
{
    struct report_heading h;
    int rc = report_heading_of(st, r->hierarchy, r->unit, &h, NULL);
    if (rc)
        return rc;
    char today[11];
    date_today(today);
    return report_to_xlsx(r, lang, &h, number, today, path) == 0 ? SVC_OK : SVC_ERROR;
}
