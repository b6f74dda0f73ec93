/* report_svg.c: report tables as SVG bar charts (report_svg.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/i18n.h"
#include "service/report_svg.h"
#include "util/text.h"

/* Geometry in px. Text is 13 px: what a phone shows at 360 px without zooming. */
#define LEGEND_LINE 22
#define LABEL_LINE 20
#define BAR_H 16
#define BAR_GAP 3
#define ROW_GAP 10
#define ZERO_GAP 6
/* A longer row name is cut at a word (the whole name is in a <title> under it). */
#define LABEL_CHARS 42
/* A bar at least this long carries its value inside, in white; a shorter one after its end,
 * where the remaining 40% of the width holds "2.500.000.000" even on a phone. */
#define INSIDE_FROM 0.6

/* Bars: dark enough for 3:1 against the white page (WCAG 1.4.11) and for white text on
 * them at 4.5:1 and more (#9b1c1c 8.1:1, #0a4fa8 7.8:1, #116329 7.4:1). The page's red
 * first, as in the header. */
static const char *const colors[] = {"#9b1c1c", "#0a4fa8", "#116329"};
#define MAX_SERIES ((int)(sizeof colors / sizeof colors[0]))
#define TEXT_COLOR "#1b1f23"

static void value_text(const struct report_col *c, double v, int lang, char *out, size_t outsz)
{
    char n[64];
    fmt_number(lang, v, n, sizeof n);
    snprintf(out, outsz, "%s%s", n, c->type == COL_PERCENT ? "%" : "");
}

/* The rows to draw, in order: all but the totals, or the `top` largest nonzero ones. */
static int pick_rows(const struct report_table *t, int col, int top, int *idx)
{
    int n = 0;
    for (int i = 0; i < t->nrows; i++) {
        if (t->rows[i].type == ROW_TOTAL || (top > 0 && t->rows[i].v[col] == 0))
            continue;
        /* insertion by value, largest first, when only the top is asked for; tables are small */
        int k = n++;
        if (top > 0)
            for (; k > 0 && t->rows[idx[k - 1]].v[col] < t->rows[i].v[col]; k--)
                idx[k] = idx[k - 1];
        idx[k] = i;
    }
    return top > 0 && n > top ? top : n;
}

bool report_table_svg(struct buf *b, const struct report_table *t, int lang, const struct svg_opts *o)
{
    int series[MAX_SERIES], ns = 0;
    for (int i = 0; i < 4 && t->chart_cols[i] >= 0 && ns < MAX_SERIES; i++)
        if (t->chart_cols[i] < t->ncols)
            series[ns++] = t->chart_cols[i];
    if (ns == 0 || t->nrows == 0)
        return false;
    int *idx = xmalloc((size_t)t->nrows * sizeof *idx);
    int nr = pick_rows(t, series[0], o->top, idx);
    if (nr == 0) {
        free(idx);
        return false;
    }
    /* percentages are drawn against 100, counts against the largest drawn value */
    bool percent = true;
    double max = 0;
    for (int s = 0; s < ns; s++) {
        percent &= t->cols[series[s]].type == COL_PERCENT;
        for (int i = 0; i < nr; i++)
            if (t->rows[idx[i]].v[series[s]] > max)
                max = t->rows[idx[i]].v[series[s]];
    }
    if (percent && max < 100)
        max = 100;

    const char *title = o->title ? o->title : T(lang, t->title);
    const char *id = o->id ? o->id : "chart";
    int legend = ns > 1 ? ns * LEGEND_LINE : 0;
    int group = LABEL_LINE + ns * (BAR_H + BAR_GAP) + ROW_GAP;
    /* a row of zeros is one line, "2018 0": years or units without models take little room */
    bool *zero = xcalloc((size_t)nr, sizeof *zero);
    int height = legend;
    for (int i = 0; i < nr; i++) {
        zero[i] = true;
        for (int s = 0; s < ns; s++)
            zero[i] &= t->rows[idx[i]].v[series[s]] == 0;
        height += zero[i] ? LABEL_LINE + ZERO_GAP : group;
    }
    char label[256], num[96];

    buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"100%%\" height=\"%d\" "
                  "role=\"img\" aria-labelledby=\"",
               height);
    buf_xml_escape(b, id);
    buf_puts(b, "-t\" aria-describedby=\"");
    buf_xml_escape(b, id);
    buf_puts(b, "-d\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif\" "
                "font-size=\"13\"><title id=\"");
    buf_xml_escape(b, id);
    buf_puts(b, "-t\">");
    buf_xml_escape(b, title);
    buf_puts(b, "</title><desc id=\"");
    buf_xml_escape(b, id);
    buf_puts(b, "-d\">");
    /* the figures as text, for those who do not see the bars: "Kinh tế: Tập thể 4, Cá nhân 3; ..." */
    for (int i = 0; i < nr; i++) {
        const struct report_line *l = &t->rows[idx[i]];
        report_row_label(l, lang, label, sizeof label);
        buf_puts(b, i ? "; " : "");
        buf_xml_escape(b, label);
        buf_puts(b, ":");
        for (int s = 0; s < ns; s++) {
            report_col_label(&t->cols[series[s]], lang, label, sizeof label);
            value_text(&t->cols[series[s]], l->v[series[s]], lang, num, sizeof num);
            buf_puts(b, s ? ", " : " ");
            if (ns > 1) {
                buf_xml_escape(b, label);
                buf_putc(b, ' ');
            }
            buf_xml_escape(b, num);
        }
    }
    buf_puts(b, "</desc>");

    /* legend: one line per series, only when there are several */
    for (int s = 0; ns > 1 && s < ns; s++) {
        report_col_label(&t->cols[series[s]], lang, label, sizeof label);
        buf_printf(b, "<rect x=\"0\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                      "<text x=\"20\" y=\"%d\" fill=\"%s\">",
                   s * LEGEND_LINE + 3, colors[s], s * LEGEND_LINE + 15, TEXT_COLOR);
        buf_xml_escape(b, label);
        buf_puts(b, "</text>");
    }

    for (int i = 0, y = legend; i < nr; y += zero[i] ? LABEL_LINE + ZERO_GAP : group, i++) {
        const struct report_line *l = &t->rows[idx[i]];
        report_row_label(l, lang, label, sizeof label);
        char *shown = text_snippet(label, "", LABEL_CHARS);
        buf_printf(b, "<g><text x=\"0\" y=\"%d\" fill=\"%s\"%s>", y + 14, TEXT_COLOR,
                   l->type == ROW_UNASSIGNED ? " font-style=\"italic\"" : "");
        if (strcmp(shown, label) != 0) {
            buf_puts(b, "<title>");
            buf_xml_escape(b, label);
            buf_puts(b, "</title>");
        }
        buf_xml_escape(b, shown);
        free(shown);
        if (zero[i]) {
            value_text(&t->cols[series[0]], 0, lang, num, sizeof num);
            buf_puts(b, "<tspan dx=\"8\" font-size=\"12\">");
            buf_xml_escape(b, num);
            buf_puts(b, "</tspan></text></g>");
            continue;
        }
        buf_puts(b, "</text>");
        for (int s = 0; s < ns; s++) {
            double v = l->v[series[s]];
            double frac = max > 0 && v > 0 ? (v > max ? 1 : v / max) : 0;
            int by = y + LABEL_LINE + s * (BAR_H + BAR_GAP);
            value_text(&t->cols[series[s]], v, lang, num, sizeof num);
            /* a visible sliver for a value too small to show at this scale, none for zero */
            if (frac > 0)
                buf_printf(b, "<rect x=\"0\" y=\"%d\" width=\"%.2f%%\" height=\"%d\" fill=\"%s\"/>", by,
                           frac * 100 < 0.5 ? 0.5 : frac * 100, BAR_H, colors[s]);
            if (frac >= INSIDE_FROM)
                buf_printf(b, "<text x=\"%.2f%%\" y=\"%d\" dx=\"-5\" text-anchor=\"end\" fill=\"#fff\" "
                              "font-size=\"12\" font-weight=\"600\">",
                           frac * 100, by + 12);
            else
                buf_printf(b, "<text x=\"%.2f%%\" y=\"%d\" dx=\"%d\" fill=\"%s\" font-size=\"12\">", frac * 100,
                           by + 12, frac > 0 ? 5 : 0, TEXT_COLOR);
            buf_xml_escape(b, num);
            buf_puts(b, "</text>");
        }
        buf_puts(b, "</g>");
    }
    buf_puts(b, "</svg>");
    free(zero);
    free(idx);
    return true;
}
