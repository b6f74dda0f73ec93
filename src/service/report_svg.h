/* report_svg.h: a table of a report as a horizontal bar chart in SVG, drawn on the server
 * for the report pages, the dashboard, print and files (DESIGN.md: charts are SVG made on
 * the server).
 *
 * Each row gets a line with its name, then one bar per charted column with the value
 * written at the bar's end. Bar lengths are percentages of the chart's width, so the chart
 * fills a 360 px phone or an A4 page alike without scaling its text; rows stay readable
 * when unit names are long. Every text is XML-escaped; numbers are written as in lang. */
#ifndef DVK_REPORT_SVG_H
#define DVK_REPORT_SVG_H
#include <stdbool.h>
#include "service/report_service.h"
#include "util/buf.h"

struct svg_opts {
    const char *id;    /* prefix of the ids inside the chart, unique within a page ("chart-1") */
    const char *title; /* the chart's title, already in lang; NULL: the table's title */
    int top;           /* > 0: only the `top` largest rows by the first charted column, zeros left out */
};

/* Appends to b an <svg> of t's chart columns (t->chart_cols) for every row but the totals
 * (a "not assigned" row is drawn with its name in italics). It has role="img", a <title>
 * and a <desc> listing every drawn figure. Returns false, appending nothing, when t has no
 * chart column or no row to draw. */
bool report_table_svg(struct buf *b, const struct report_table *t, int lang, const struct svg_opts *o);

#endif
