/* test_core.c: unit tests of util and core (text, dates, validation, formats, escaping). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* a block of its own: it needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
#include "core/model.h"
#include "core/unit.h"
#include "http/http.h"
#include "http/i18n.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/text.h"

static void fold_is(const char *in, const char *want)
{
    char *f = text_fold(in);
    assert_string_equal(f, want);
    free(f);
}

static void test_fold(void **state)
{
    (void)state;
    fold_is("Dân vận khéo", "dan van kheo");
    fold_is("ĐƯỜNG Đá", "duong da");                  /* đ/Đ and upper case */
    fold_is("Xa\xCC\x83 Tam An", "xa tam an");         /* decomposed tone mark (a + U+0303) */
    fold_is("  “5 trong 1” — thôn  Kim Đới! ", "5 trong 1 thon kim doi");
    fold_is("Thừa Thiên Huế", "thua thien hue");
    fold_is("Hoà / Hòa", "hoa hoa");                    /* both tone-mark styles fold alike */
    fold_is("", "");
    char *t = text_nfc_trim("\xE3\x80\x80 Tam An \xE3\x80\x80\t");
    assert_string_equal(t, "Tam An"); /* ideographic spaces count as white space */
    free(t);
}

static void test_valid_utf8(void **state)
{
    (void)state;
    assert_true(text_valid("Xã Tam An", strlen("Xã Tam An")));
    assert_true(text_valid("a\tb\nc", 5));
    assert_false(text_valid("\xC3\x28", 2));           /* broken sequence */
    assert_false(text_valid("\xC0\xAF", 2));           /* overlong */
    assert_false(text_valid("\xED\xA0\x80", 3));       /* UTF-16 surrogate */
    assert_false(text_valid("a\0b", 3));               /* NUL */
    assert_false(text_valid("a\x01", 2));              /* control character */
}

static void test_nfc(void **state)
{
    (void)state;
    char *s = text_nfc_trim("  Xa\xCC\x83  ");
    assert_string_equal(s, "X\xC3\xA3"); /* "Xã" composed, trimmed */
    free(s);
    assert_int_equal(text_chars("Đường"), 5);
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(date_valid("2024-02-29"));
    assert_false(date_valid("2023-02-29"));
    assert_false(date_valid("2024-2-01"));
    assert_false(date_valid("1899-12-31"));
    assert_false(date_valid("2024-13-01"));
    assert_false(date_valid("30/02/2024"));
    char out[11];
    assert_true(date_parse_any("05/07/2025", out));
    assert_string_equal(out, "2025-07-05");
    assert_true(date_parse_any("2025-07-05", out));
    assert_false(date_parse_any("31/04/2025", out));
    assert_false(date_parse_any("2025-07-05x", out));
    date_to_vn("2025-07-05", out);
    assert_string_equal(out, "05/07/2025");
}

static void good_model(struct model *m)
{
    model_init(m);
    m->title = xstrdup("Tổ tự quản an ninh trật tự thôn An Thiện");
    m->field = FIELD_DEFENSE_SECURITY;
    m->kind = KIND_COLLECTIVE;
    m->level = LEVEL_COMMUNE;
    m->hierarchy = 2024;
    strcpy(m->unit_code, "20368");
    strcpy(m->registered_on, "2005-03-01");
}

static bool has_error(const struct verrs *v, const char *field)
{
    for (int i = 0; i < v->n; i++)
        if (strcmp(v->e[i].field, field) == 0)
            return true;
    return false;
}

static void test_validate(void **state)
{
    (void)state;
    struct model m;
    struct verrs v = {0};
    good_model(&m);
    assert_true(model_validate(&m, &v));
    assert_int_equal(v.n, 0);

    model_set_str(&m.title, NULL);
    m.field = -1;
    m.hierarchy = 2023;
    strcpy(m.registered_on, "2005-02-30");
    strcpy(m.period_from, "2020-01-01");
    strcpy(m.period_to, "2019-01-01");
    m.typical = true; /* but not recognized */
    assert_false(model_validate(&m, &v));
    const char *want[] = {"title", "field", "hierarchy", "registered_on", "period_to", "typical"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_true(has_error(&v, want[i]));
    model_free(&m);

    /* results: bounds and duplicates */
    struct verrs v2 = {0};
    good_model(&m);
    m.nresults = 2;
    m.results[0] = (struct model_result){2024, "land_m2", -1};
    m.results[1] = (struct model_result){1800, "road_km", 4.6};
    assert_false(model_validate(&m, &v2));
    assert_true(has_error(&v2, "results"));
    struct verrs v3 = {0};
    m.results[0] = (struct model_result){2024, "land_m2", 8400};
    m.results[1] = (struct model_result){2024, "land_m2", 1};
    assert_false(model_validate(&m, &v3));
    struct verrs v4 = {0};
    m.results[1] = (struct model_result){2024, "road_km", 4.6};
    assert_true(model_validate(&m, &v4));
    /* a 900-year period is refused */
    struct verrs v5 = {0};
    strcpy(m.period_from, "2000-01-01");
    strcpy(m.period_to, "2199-01-01");
    assert_false(model_validate(&m, &v5));
    model_free(&m);
}

static void test_copy_free(void **state)
{
    (void)state;
    struct model a, b;
    good_model(&a);
    a.tags[a.ntags++] = xstrdup("Nông thôn mới");
    model_copy(&b, &a);
    assert_string_equal(b.title, a.title);
    assert_ptr_not_equal(b.title, a.title);
    assert_string_equal(b.tags[0], "Nông thôn mới");
    model_free(&a);
    model_free(&b);
}

static void test_enums(void **state)
{
    (void)state;
    assert_int_equal(enum_parse(model_field_names, FIELD_COUNT, "cultural_social"), FIELD_CULTURAL_SOCIAL);
    assert_int_equal(enum_parse(model_field_names, FIELD_COUNT, "Cultural_social"), 0);
    assert_int_equal(enum_parse(model_status_names, STATUS_COUNT, "not_recognized"), STATUS_NOT_RECOGNIZED);
    assert_int_equal(enum_parse(model_kind_names, KIND_COUNT, ""), 0);
    assert_true(unit_code_valid("20368"));
    assert_true(unit_code_valid("20368-01"));
    assert_false(unit_code_valid("../x"));
    assert_false(unit_code_valid(""));
}

static void test_numbers(void **state)
{
    (void)state;
    char out[64];
    fmt_number(LANG_VI, 1234567, out, sizeof out);
    assert_string_equal(out, "1.234.567");
    fmt_number(LANG_VI, 4.6, out, sizeof out);
    assert_string_equal(out, "4,6");
    fmt_number(LANG_VI, 2500000000.0, out, sizeof out);
    assert_string_equal(out, "2.500.000.000");
    fmt_number(LANG_EN, 1234567.25, out, sizeof out);
    assert_string_equal(out, "1,234,567.25");
    fmt_number(LANG_VI, 999, out, sizeof out);
    assert_string_equal(out, "999");
    fmt_number(LANG_VI, 0, out, sizeof out);
    assert_string_equal(out, "0");
    char d[11];
    fmt_date(LANG_VI, "2024-10-15", d);
    assert_string_equal(d, "15/10/2024");
    /* not a date: copied, but never cut inside a character (found by fuzz/html.c) */
    fmt_date(LANG_VI, "42`nh <bE\xe1\xba\xadn", d);
    assert_string_equal(d, "42`nh <bE");
    fmt_date(LANG_SV, "ngày 1 tháng 4", d);
    assert_string_equal(d, "ngày 1 th");
    char small[4];
    assert_int_equal(text_copy(small, sizeof small, "ăâ"), 2);
    assert_string_equal(small, "ă");
    assert_int_equal(text_copy(small, sizeof small, "abc"), 3);
    assert_string_equal(small, "abc");
}

static void test_parse_number(void **state)
{
    (void)state;
    double v;
    struct {
        int lang;
        const char *in;
        double want;
    } ok[] = {{LANG_VI, "1.234.567", 1234567},  {LANG_VI, "4,6", 4.6},         {LANG_VI, "4.6", 4.6},
              {LANG_VI, "8.400", 8400},         {LANG_VI, "2.500.000.000", 2.5e9}, {LANG_EN, "8,400", 8400},
              {LANG_EN, "1,234,567.25", 1234567.25}, {LANG_EN, "4.6", 4.6},    {LANG_SV, "1 234 567,5", 1234567.5},
              {LANG_SV, "2\xC2\xA0" "000", 2000}, {LANG_VI, " 130 ", 130}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_true(parse_number(ok[i].lang, ok[i].in, &v));
        assert_true(fabs(v - ok[i].want) < 1e-9);
    }
    assert_false(parse_number(LANG_VI, "", &v));
    assert_false(parse_number(LANG_VI, "abc", &v));
    assert_false(parse_number(LANG_EN, "1.2.3x", &v));
    assert_false(parse_number(LANG_VI, "nan", &v));
}

static int by_key(const void *a, const void *b)
{
    char *ka = text_sort_key(*(const char *const *)a), *kb = text_sort_key(*(const char *const *)b);
    int c = strcmp(ka, kb);
    free(ka);
    free(kb);
    return c;
}

static void test_collation(void **state)
{
    (void)state;
    /* each list is in Vietnamese order; sorting a reversed copy must give it back */
    const char *const lists[][12] = {
        {"a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", NULL},
        {"o", "ô", "ơ", "p", "u", "ư", "v", "x", "y", NULL},
        {"ma", "mà", "mả", "mã", "má", "mạ", "mai", NULL},             /* tones after the base letters */
        {"An", "an ninh", "Anh", "Ân", NULL},                           /* words before longer words */
        {"Dân", "dân vận", "Đà Nẵng", "Đàn", "Đông", NULL},              /* đ after d, whatever the case */
        {"Tam An", "Tam Ân", "Tam Đàn", "Tam Thanh", "Tam Thành", "Tam Thăng", NULL}, /* a before ă */
    };
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        const char *v[12];
        int n = 0;
        while (lists[l][n])
            n++;
        for (int i = 0; i < n; i++)
            v[i] = lists[l][n - 1 - i];
        qsort(v, (size_t)n, sizeof v[0], by_key);
        for (int i = 0; i < n; i++)
            if (strcmp(v[i], lists[l][i]) != 0)
                fail_msg("list %zu: position %d is \"%s\", expected \"%s\"", l, i, v[i], lists[l][i]);
    }
    /* composed and decomposed text give one key; upper case sorts right after lower case */
    char *k1 = text_sort_key("Tam \xC3\x82n"), *k2 = text_sort_key("Tam A\xCC\x82n"), *k3 = text_sort_key("TAM ÂN");
    assert_string_equal(k1, k2);
    assert_true(strcmp(k1, k3) < 0);
    char *k4 = text_sort_key("Tam Âo");
    assert_true(strcmp(k3, k4) < 0); /* case is the last level: ÂN still before Âo */
    free(k1);
    free(k2);
    free(k3);
    free(k4);
}

static void test_lang(void **state)
{
    (void)state;
    const char *h = "sv-SE,sv;q=0.9,en;q=0.8";
    assert_int_equal(lang_from_accept(h, strlen(h)), LANG_SV);
    h = "fr-FR, en-US;q=0.5";
    assert_int_equal(lang_from_accept(h, strlen(h)), LANG_EN);
    h = "de";
    assert_int_equal(lang_from_accept(h, strlen(h)), LANG_VI);
    i18n_init();
    assert_string_equal(T(LANG_EN, "Models"), "Models");
    assert_string_not_equal(T(LANG_VI, "Models"), "Models"); /* the catalogue has Vietnamese */
}

static void test_escape(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    html_escape(&b, "<script>alert('x')</script> & \"q\"");
    assert_string_equal(b.p, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    buf_reset(&b);
    url_escape(&b, "dân vận&x=1 /");
    assert_string_equal(b.p, "d%C3%A2n%20v%E1%BA%ADn%26x%3D1%20%2F");
    buf_free(&b);
}

static void test_buf(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    assert_string_equal(buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.p));
    char *p = buf_detach(&b);
    assert_null(b.p);
    assert_int_equal(strncmp(p, "0,1,2,", 6), 0);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),     cmocka_unit_test(test_valid_utf8), cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_dates),    cmocka_unit_test(test_validate),   cmocka_unit_test(test_copy_free),
        cmocka_unit_test(test_enums),    cmocka_unit_test(test_numbers),    cmocka_unit_test(test_lang), cmocka_unit_test(test_parse_number),
        cmocka_unit_test(test_collation),
        cmocka_unit_test(test_escape),   cmocka_unit_test(test_buf),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
