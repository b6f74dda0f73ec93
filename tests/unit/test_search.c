/* test_search.c: unit tests of search: matches marked in the original text
 * (text_match_spans, text_snippet), the duplicate rule of titles (core/similar), and the
 * store's search beyond its count cap (more matches than the API tests can make). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a block of its own: it needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
#include <unistd.h>
#include "core/similar.h"
#include "service/service.h"
#include "util/buf.h"
#include "util/text.h"

/* s with the spans of q (folded here) in [brackets]. */
static char *marked(const char *s, const char *q)
{
    char *qf = text_fold(q);
    struct text_span sp[16];
    int n = text_match_spans(s, qf, sp, 16);
    free(qf);
    struct buf b = BUF_INIT;
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        assert_true(sp[i].start >= at && sp[i].end > sp[i].start && sp[i].end <= strlen(s));
        buf_add(&b, s + at, sp[i].start - at);
        buf_putc(&b, '[');
        buf_add(&b, s + sp[i].start, sp[i].end - sp[i].start);
        buf_putc(&b, ']');
        at = sp[i].end;
    }
    buf_puts(&b, s + at);
    return buf_detach(&b);
}

static void marks_are(const char *s, const char *q, const char *want)
{
    char *got = marked(s, q);
    assert_string_equal(got, want);
    free(got);
}

static void test_spans(void **state)
{
    (void)state;
    /* words next to each other make one span; case and diacritics are ignored */
    marks_are("Dân vận khéo xây dựng đường làng", "dan van kheo", "[Dân vận khéo] xây dựng đường làng");
    marks_are("Dân vận khéo", "DÂN VẬN", "[Dân vận] khéo");
    /* a prefix marks only its characters; đ is d */
    marks_are("Đường hoa thôn Đông", "d", "[Đ]ường hoa thôn [Đ]ông");
    marks_are("Đường hoa", "đư", "[Đư]ờng hoa");
    marks_are("Camera an ninh", "cam", "[Cam]era an ninh");
    /* only starts of words: "an" is not marked inside "Thanh" */
    marks_are("Thanh An, xã Tam An", "an", "Thanh [An], xã Tam [An]");
    /* the longest query word that starts a word wins */
    marks_are("Dân dân", "d dan", "[Dân dân]");
    /* decomposed text (e + U+0302 + U+0301): the marks go with their letter */
    marks_are("Khe\xCC\x82\xCC\x81 ne", "khe", "[Khe\xCC\x82\xCC\x81] ne");
    marks_are("Xa\xCC\x83 Tam", "x", "[X]a\xCC\x83 Tam");
    /* punctuation ends words and is not marked; spans across it stay apart */
    marks_are("“5 trong 1” — thôn", "5 trong 1 thon", "“[5 trong 1]” — [thôn]");
    marks_are("Tổ tự quản", "zzz", "Tổ tự quản");
    marks_are("", "a", "");
    struct text_span sp[2];
    assert_int_equal(text_match_spans("a b", "", sp, 2), 0);
    assert_int_equal(text_match_spans("a, b, c", "a b c", sp, 2), 2); /* at most max */
}

static void test_cp_offset(void **state)
{
    (void)state;
    const char *s = "Đường hoa";
    assert_int_equal(text_cp_offset(s, 0), 0);
    assert_int_equal(text_cp_offset(s, strlen("Đường")), 5);
    assert_int_equal(text_cp_offset(s, strlen(s)), 9);
}

static void test_snippet(void **state)
{
    (void)state;
    char *s = text_snippet("Ngắn gọn.", "zz", 160);
    assert_string_equal(s, "Ngắn gọn.");
    free(s);
    struct buf b = BUF_INIT;
    for (int i = 0; i < 40; i++)
        buf_puts(&b, "lời mở đầu ");
    buf_puts(&b, "camera an ninh ở các ngã ba");
    for (int i = 0; i < 40; i++)
        buf_puts(&b, " phần cuối");
    s = text_snippet(b.p, "camera", 60);
    assert_non_null(strstr(s, "camera an ninh"));
    assert_true(strncmp(s, "… ", strlen("… ")) == 0);
    assert_true(strlen(s) > 5 && strcmp(s + strlen(s) - strlen(" …"), " …") == 0);
    assert_true(text_chars(s) <= 60 + 4);
    free(s);
    /* no match: the start */
    s = text_snippet(b.p, "khong co", 30);
    assert_true(strncmp(s, "lời mở đầu", strlen("lời mở đầu")) == 0);
    free(s);
    buf_free(&b);
}

static void words_are(const char *title, const char *want)
{
    char *f = text_fold(title);
    struct title_words w;
    similar_words(f, &w);
    free(f);
    struct buf b = BUF_INIT;
    for (int i = 0; i < w.n; i++)
        buf_printf(&b, "%s%s", i ? " " : "", w.w[i]);
    assert_string_equal(buf_cstr(&b), want);
    buf_free(&b);
}

static bool alike(const char *a, const char *b)
{
    char *fa = text_fold(a), *fb = text_fold(b);
    struct title_words wa, wb;
    similar_words(fa, &wa);
    similar_words(fb, &wb);
    free(fa);
    free(fb);
    return similar_enough(&wa, &wb);
}

static void test_similar(void **state)
{
    (void)state;
    /* the phrases every title has, and small words, do not count */
    words_are("Mô hình “Dân vận khéo” xây dựng đường hoa của thôn", "duong hoa thon");
    words_are("Mô hình dân vận khéo", "");
    words_are("Tổ tự quản tổ tự quản", "to tu quan"); /* each word once */
    assert_true(alike("Tổ tự quản an ninh trật tự thôn An Thiện", "Mô hình tổ tự quản an ninh trật tự thôn An Hòa"));
    assert_true(alike("Camera an ninh", "Mô hình camera an ninh"));
    assert_false(alike("Camera an ninh", "Nuôi bò sinh sản"));
    assert_false(alike("Nuôi bò thịt", "Trồng quế"));
    /* one shared word is not enough for two-word titles */
    assert_false(alike("Nuôi bò", "Nuôi heo"));
    assert_true(alike("Đường hoa", "Đường hoa"));
    assert_false(alike("", "Đường hoa"));
}

/* ---- the store's search beyond its count cap ------------------------------------------ */

/* MODEL_COUNT_CAP + 40 models whose titles say "camera", and 10 that do not, written
 * straight through the store (triggers and all) in one ward. */
#define MANY (MODEL_COUNT_CAP + 40)

static void put_model(struct store *st, const char *title, unsigned i)
{
    struct model m;
    model_init(&m);
    m.title = xstrdup(title);
    m.field = FIELD_DEFENSE_SECURITY;
    m.kind = KIND_COLLECTIVE;
    m.level = LEVEL_COMMUNE;
    m.status = STATUS_REGISTERED;
    m.hierarchy = 2025;
    snprintf(m.unit_code, sizeof m.unit_code, "00004");
    snprintf(m.place.p25, sizeof m.place.p25, "01");
    snprintf(m.place.c25, sizeof m.place.c25, "00004");
    model_set_str(&m.unit_path, "Phường Ba Đình, Thành phố Hà Nội");
    char day[32];
    snprintf(day, sizeof day, "20%02u-%02u-%02u", 10 + i % 15, 1 + i % 12, 1 + i % 28);
    memcpy(m.registered_on, day, sizeof m.registered_on - 1);
    char *sf = svc_search_fold(&m, false), *pf = svc_search_fold(&m, true);
    assert_int_equal(st->ops->model_insert(st, &m, sf, pf), ST_OK);
    free(sf);
    free(pf);
    model_free(&m);
}

static void test_capped(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/dvk-test-search-%d.db", (int)getpid());
    unlink(path);
    struct store *st = store_open_sqlite(path);
    assert_non_null(st);
    struct unit p = {2025, "01", "Thành phố Hà Nội", "city", "", 1}, w = {2025, "00004", "Phường Ba Đình", "ward", "01", 2};
    assert_int_equal(st->ops->unit_put(st, &p), ST_OK);
    assert_int_equal(st->ops->unit_put(st, &w), ST_OK);
    assert_int_equal(st->ops->begin(st), ST_OK);
    char title[64];
    for (unsigned i = 0; i < MANY; i++) {
        snprintf(title, sizeof title, "Camera an ninh tổ %u", i);
        put_model(st, title, i);
    }
    for (unsigned i = 0; i < 10; i++) {
        snprintf(title, sizeof title, "Đường hoa %u", i);
        put_model(st, title, i);
    }
    assert_int_equal(st->ops->commit(st), ST_OK);

    struct model_filter f;
    memset(&f, 0, sizeof f);
    f.typical = -1;
    f.limit = 50;
    f.q_fold = "camera";
    struct model_page pg;
    /* ranked: a page, a capped total, the cursor of the page's own order */
    assert_int_equal(st->ops->model_list(st, &f, &pg), ST_OK);
    assert_int_equal(pg.n, 50);
    assert_true(pg.more);
    assert_true(pg.total_capped);
    assert_int_equal(pg.total, MODEL_COUNT_CAP);
    assert_true(strncmp(pg.next_key, "1:", 2) == 0);
    for (int i = 1; i < pg.n; i++) /* newest first */
        assert_true(strcmp(pg.items[i - 1].registered_on, pg.items[i].registered_on) >= 0);
    model_page_free(&pg);
    /* by name: the list is scanned in that order (too many matches to sort), still capped */
    f.sort = SORT_TITLE;
    assert_int_equal(st->ops->model_list(st, &f, &pg), ST_OK);
    assert_int_equal(pg.n, 50);
    assert_true(pg.total_capped);
    char prev[3100] = "";
    for (int i = 0; i < pg.n; i++) {
        char key[3100];
        assert_non_null(strstr(pg.items[i].title, "Camera"));
        model_sort_key(&pg.items[i], SORT_TITLE, key, sizeof key);
        assert_true(strcmp(prev, key) <= 0);
        snprintf(prev, sizeof prev, "%s", key);
    }
    /* the next page goes on from the last one */
    f.has_cursor = true;
    snprintf(f.cursor_key, sizeof f.cursor_key, "%s", prev);
    f.cursor_id = pg.items[pg.n - 1].id;
    model_page_free(&pg);
    assert_int_equal(st->ops->model_list(st, &f, &pg), ST_OK);
    assert_int_equal(pg.n, 50);
    char key[3100];
    model_sort_key(&pg.items[0], SORT_TITLE, key, sizeof key);
    assert_true(strcmp(prev, key) <= 0);
    model_page_free(&pg);
    /* a few matches: counted exactly */
    memset(&f, 0, sizeof f);
    f.typical = -1;
    f.limit = 50;
    f.q_fold = "duong hoa";
    assert_int_equal(st->ops->model_list(st, &f, &pg), ST_OK);
    assert_int_equal(pg.n, 10);
    assert_false(pg.total_capped);
    assert_int_equal(pg.total, 10);
    model_page_free(&pg);
    st->ops->close(st);
    char x[80];
    unlink(path);
    snprintf(x, sizeof x, "%s-wal", path);
    unlink(x);
    snprintf(x, sizeof x, "%s-shm", path);
    unlink(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_cp_offset),
        cmocka_unit_test(test_snippet),
        cmocka_unit_test(test_similar),
        cmocka_unit_test(test_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
