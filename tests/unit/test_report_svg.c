/* test_report_svg.c: report tables drawn as SVG bar charts (service/report_svg.h): what is
 * drawn, at what length, and that every text is escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a block of its own: it needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
#include "http/i18n.h"
#include "service/report_svg.h"

static struct report_line rows[8];

/* A table of rows (name, first value, second value) with a totals row, charting the given columns. */
static struct report_table table(const char *const names[][1], const double vals[][2], int n, int c0, int c1,
                                 int type)
{
    struct report_table t;
    memset(&t, 0, sizeof t);
    memset(rows, 0, sizeof rows);
    snprintf(t.name, sizeof t.name, "test");
    t.title = "Models by unit";
    t.row_head = "Unit";
    t.ncols = 2;
    snprintf(t.cols[0].key, sizeof t.cols[0].key, "total");
    snprintf(t.cols[0].label, sizeof t.cols[0].label, "Total");
    t.cols[0].type = type;
    snprintf(t.cols[1].key, sizeof t.cols[1].key, "typical");
    snprintf(t.cols[1].label, sizeof t.cols[1].label, "Typical");
    t.cols[1].type = type;
    for (int i = 0; i < n; i++) {
        snprintf(rows[i].key, sizeof rows[i].key, "%d", i);
        snprintf(rows[i].name, sizeof rows[i].name, "%s", names[i][0]);
        rows[i].v[0] = vals[i][0];
        rows[i].v[1] = vals[i][1];
    }
    snprintf(rows[n].name, sizeof rows[n].name, "Total");
    rows[n].translate = true;
    rows[n].type = ROW_TOTAL;
    rows[n].v[0] = 999999; /* never drawn: it would dwarf every bar */
    t.rows = rows;
    t.nrows = n + 1;
    t.has_total = true;
    t.chart_cols[0] = c0;
    t.chart_cols[1] = c1;
    t.chart_cols[2] = -1;
    return t;
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_escaped(void **state)
{
    (void)state;
    static const char *const names[][1] = {{"<script>alert('x')</script> & \"q\""}, {"Xã Tam An"}};
    static const double vals[][2] = {{4, 1}, {2, 0}};
    struct report_table t = table(names, vals, 2, 0, 1, COL_COUNT);
    struct buf b = BUF_INIT;
    struct svg_opts o = {.id = "c\"1", .title = "A <b>title</b>", .top = 0};
    assert_true(report_table_svg(&b, &t, LANG_VI, &o));
    assert_null(strstr(b.p, "<script"));
    assert_null(strstr(b.p, "<b>"));
    assert_null(strstr(b.p, "c\"1"));
    assert_non_null(strstr(b.p, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
    assert_non_null(strstr(b.p, "<title id=\"c&quot;1-t\">A &lt;b&gt;title&lt;/b&gt;</title>"));
    assert_non_null(strstr(b.p, "role=\"img\""));
    assert_int_equal(strncmp(b.p, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), 0);
    assert_int_equal(count(b.p, "</svg>"), 1);
    buf_free(&b);
}

static void test_lengths(void **state)
{
    (void)state;
    static const char *const names[][1] = {{"Thành phố Huế"}, {"Tỉnh Phú Thọ"}, {"Tỉnh Ninh Bình"}};
    static const double vals[][2] = {{2500000000.0, 0}, {1250000000.0, 0}, {0, 0}};
    struct report_table t = table(names, vals, 3, 0, -1, COL_SUM);
    struct buf b = BUF_INIT;
    struct svg_opts o = {.id = "c", .title = NULL, .top = 0};
    assert_true(report_table_svg(&b, &t, LANG_VI, &o));
    /* the largest bar fills the width and carries its value inside; half of it, half the width */
    assert_non_null(strstr(b.p, "width=\"100.00%\""));
    assert_non_null(strstr(b.p, "width=\"50.00%\""));
    assert_non_null(strstr(b.p, ">2.500.000.000</text>"));
    assert_non_null(strstr(b.p, ">1.250.000.000</text>"));
    /* one series: no legend; three rows (no totals); a row of zeros is its name and a 0, no bar */
    assert_int_equal(count(b.p, "<rect"), 2);
    assert_int_equal(count(b.p, "<g>"), 3);
    assert_null(strstr(b.p, "999"));
    assert_non_null(strstr(b.p, ">Tỉnh Ninh Bình<tspan dx=\"8\" font-size=\"12\">0</tspan></text>")); /* one line */
    /* the figures as text for screen readers */
    assert_non_null(strstr(b.p, "<desc id=\"c-d\">Thành phố Huế: 2.500.000.000; Tỉnh Phú Thọ: 1.250.000.000; "
                                "Tỉnh Ninh Bình: 0</desc>"));
    buf_reset(&b);
    /* English writes its own numbers; Swedish groups with a no-break space */
    assert_true(report_table_svg(&b, &t, LANG_EN, &o));
    assert_non_null(strstr(b.p, ">2,500,000,000</text>"));
    buf_reset(&b);
    assert_true(report_table_svg(&b, &t, LANG_SV, &o));
    assert_non_null(strstr(b.p, ">2\xC2\xA0" "500\xC2\xA0" "000\xC2\xA0" "000</text>"));
    buf_free(&b);
}

static void test_series_and_percent(void **state)
{
    (void)state;
    static const char *const names[][1] = {{"Xã Tam An"}, {"Xã Tam Thăng"}};
    static const double vals[][2] = {{25, 10}, {50, 100}};
    /* percentages are drawn against 100, whatever the largest */
    struct report_table t = table(names, vals, 2, 0, -1, COL_PERCENT);
    struct buf b = BUF_INIT;
    struct svg_opts o = {.id = "p", .title = NULL, .top = 0};
    assert_true(report_table_svg(&b, &t, LANG_VI, &o));
    assert_non_null(strstr(b.p, "width=\"25.00%\""));
    assert_non_null(strstr(b.p, "width=\"50.00%\""));
    assert_non_null(strstr(b.p, ">25%</text>"));
    buf_reset(&b);
    /* two series: a legend line each and two bars a row */
    t = table(names, vals, 2, 0, 1, COL_COUNT);
    assert_true(report_table_svg(&b, &t, LANG_VI, &o));
    assert_int_equal(count(b.p, "<rect"), 2 + 4);
    assert_non_null(strstr(b.p, "#9b1c1c"));
    assert_non_null(strstr(b.p, "#0a4fa8"));
    buf_free(&b);
}

static void test_top_and_nothing(void **state)
{
    (void)state;
    static const char *const names[][1] = {{"A"}, {"B"}, {"C"}, {"D"}};
    static const double vals[][2] = {{1, 0}, {7, 0}, {0, 0}, {3, 0}};
    struct report_table t = table(names, vals, 4, 0, -1, COL_COUNT);
    struct buf b = BUF_INIT;
    struct svg_opts o = {.id = "t", .title = "Top", .top = 2};
    assert_true(report_table_svg(&b, &t, LANG_VI, &o));
    /* the two largest, largest first */
    assert_int_equal(count(b.p, "<g>"), 2);
    char *bpos = strstr(b.p, ">B</text>"), *dpos = strstr(b.p, ">D</text>");
    assert_non_null(bpos);
    assert_non_null(dpos);
    assert_true(bpos < dpos);
    assert_null(strstr(b.p, ">A</text>"));
    buf_reset(&b);
    /* the top of nothing but zeros, or a table without a chart column: nothing at all */
    static const double zeros[][2] = {{0, 0}, {0, 0}};
    t = table(names, zeros, 2, 0, -1, COL_COUNT);
    assert_false(report_table_svg(&b, &t, LANG_VI, &o));
    t = table(names, vals, 4, -1, -1, COL_COUNT);
    o.top = 0;
    assert_false(report_table_svg(&b, &t, LANG_VI, &o));
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_long_name(void **state)
{
    (void)state;
    static const char *const names[][1] = {
        {"Ủy ban Mặt trận Tổ quốc Việt Nam xã Bình Minh, huyện Thăng Bình, tỉnh Quảng Nam"}};
    static const double vals[][2] = {{1, 0}};
    struct report_table t = table(names, vals, 1, 0, -1, COL_COUNT);
    struct buf b = BUF_INIT;
    struct svg_opts o = {.id = "l", .title = NULL, .top = 0};
    assert_true(report_table_svg(&b, &t, LANG_VI, &o));
    /* cut at a word with an ellipsis; the whole name in a tooltip */
    assert_non_null(strstr(b.p, "…</text>"));
    assert_non_null(strstr(b.p, "<title>Ủy ban Mặt trận Tổ quốc Việt Nam xã Bình Minh, huyện Thăng Bình, tỉnh Quảng Nam</title>"));
    buf_free(&b);
}

int main(void)
{
    i18n_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaped),        cmocka_unit_test(test_lengths),  cmocka_unit_test(test_series_and_percent),
        cmocka_unit_test(test_top_and_nothing), cmocka_unit_test(test_long_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
