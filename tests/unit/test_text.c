/* test_text.c: tables for util/text: Vietnamese order, search folding, NFC and UTF-8 checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* a block of its own: it needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
#include <utf8proc.h>
#include "util/text.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Decomposed (NFD-style) spellings are written with these, so that the source
 * shows which mark is where. */
#define GRAVE "\u0300" /* huyền */
#define ACUTE "\u0301" /* sắc */
#define HAT "\u0302"   /* â ê ô */
#define TILDE "\u0303" /* ngã */
#define BREVE "\u0306" /* ă */
#define HOOK "\u0309"  /* hỏi */
#define HORN "\u031B"  /* ơ ư */
#define DOT "\u0323"   /* nặng */

/* ---- collation ------------------------------------------------------------------ */

/* Each list is in Vietnamese order: every key must be strictly below the next one,
 * so any sort by text_sort_key gives the list back exactly. */
static const char *const alphabet[] = {
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z", NULL};

/* Every vowel with its tones: ngang, huyền, hỏi, ngã, sắc, nặng, as Vietnamese dictionaries order them. */
static const char *const tones[] = {
    "a", "à", "ả", "ã", "á", "ạ", "ă", "ằ", "ẳ", "ẵ", "ắ", "ặ", "â", "ầ", "ẩ", "ẫ", "ấ", "ậ", "b", "c", "d", "đ",
    "e", "è", "ẻ", "ẽ", "é", "ẹ", "ê", "ề", "ể", "ễ", "ế", "ệ", "g", "h", "i", "ì", "ỉ", "ĩ", "í", "ị", "k",
    "o", "ò", "ỏ", "õ", "ó", "ọ", "ô", "ồ", "ổ", "ỗ", "ố", "ộ", "ơ", "ờ", "ở", "ỡ", "ớ", "ợ", "p",
    "u", "ù", "ủ", "ũ", "ú", "ụ", "ư", "ừ", "ử", "ữ", "ứ", "ự", "v", "x", "y", "ỳ", "ỷ", "ỹ", "ý", "ỵ", NULL};

/* Letters before tones within a word; word by word, each word's tone before the next word. */
static const char *const syllables[] = {
    "ba", "ba ba", "ba bị", "bà", "bà ba", "bả", "bã", "bá", "bạ", "bác", "bách", "bạch", "bai", NULL};
static const char *const syllables2[] = {"ác", "ách", "ang", "áng", "anh", "ánh", NULL};
static const char *const syllables3[] = {"ma", "ma túy", "mà", "mả", "mã", "mã hiệu", "má", "mạ", "mai", NULL};
static const char *const place_tones[] = {"Hoa Lư", "Hòa An", "Hoà Bình", "Hòa Vang", "Hóa Châu", NULL};

/* The 63 provinces before 2025, as a Vietnamese list gives them. */
static const char *const provinces[] = {
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn",
    "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thành phố Hồ Chí Minh", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", NULL};

/* The order the brief of issue 5 gives, and a word before longer words. */
static const char *const names[] = {"An", "An Giang", "Ân Thi", "Ấp Bắc", "Bà Rịa", "Bắc Giang", "Bắc Ninh",
                                    "Cà Mau", "Cao Bằng", "Đà Nẵng", NULL};
static const char *const prefixes[] = {"Nam", "Nam Định", "Nam Đông", "Nam Giang", "Nam Trà My", "Năm Căn", NULL};
static const char *const prefixes2[] = {"An", "an ninh", "Anh", "Ân", NULL};

/* đ after d and before e, whatever the case; upper case right after the same name in lower case. */
static const char *const d_bar[] = {"Dân", "dân vận", "Dương", "DƯƠNG", "Dương Minh Châu", "Đa", "đà", "Đà Nẵng",
                                    "Đàn", "Đông", "ĐÔNG", "Ea Súp", "Ê Đê", NULL};
static const char *const cases[] = {"an giang", "An Giang", "AN GIANG", "an ninh", "An Ninh", "Ân Thi",
                                    "ÂN THI", NULL};
static const char *const cases2[] = {"Đồng Nai", "ĐỒNG NAI", "đồng tháp", "Đồng Tháp", "ĐỒNG THÁP", "Gia Lai", NULL};

/* Numbers by value, before letters; leading zeros after the same number without them. */
static const char *const numbers[] = {"Thôn 1", "Thôn 01", "Thôn 2", "Thôn 3A", "Thôn 9", "Thôn 10", "Thôn 11",
                                      "Thôn 100", "Thôn A", "Thôn Bắc", NULL};
static const char *const numbers2[] = {"Tổ 5", "Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 12", "Xã 1", "Xã 2",
                                       "Xã 10", NULL};

/* f j w z in their Latin places; other scripts after every Latin letter. */
static const char *const foreign[] = {"Facebook", "Gia", "Jun", "Kơ Nia", "Wi-Fi", "Xuân", "Yên", "Zô", "Αθήνα", NULL};

static const struct {
    const char *name;
    const char *const *list;
} lists[] = {
    {"alphabet", alphabet},   {"tones", tones},       {"syllables", syllables},   {"syllables2", syllables2},
    {"syllables3", syllables3}, {"place tones", place_tones}, {"provinces", provinces}, {"names", names},
    {"prefixes", prefixes},   {"prefixes2", prefixes2}, {"đ", d_bar},             {"cases", cases},
    {"cases2", cases2},       {"numbers", numbers},   {"numbers2", numbers2},     {"foreign", foreign},
};

static int by_key(const void *a, const void *b)
{
    char *ka = text_sort_key(*(const char *const *)a), *kb = text_sort_key(*(const char *const *)b);
    int c = strcmp(ka, kb);
    free(ka);
    free(kb);
    return c;
}

static void test_order_tables(void **state)
{
    (void)state;
    for (size_t l = 0; l < N(lists); l++) {
        const char *const *v = lists[l].list;
        size_t n = 0;
        while (v[n])
            n++;
        for (size_t i = 0; i + 1 < n; i++) {
            char *a = text_sort_key(v[i]), *b = text_sort_key(v[i + 1]);
            if (strcmp(a, b) >= 0)
                fail_msg("%s: \"%s\" must sort before \"%s\" (keys \"%s\", \"%s\")", lists[l].name, v[i], v[i + 1], a,
                         b);
            free(a);
            free(b);
        }
        /* and qsort of the list reversed gives it back */
        const char **w = malloc(n * sizeof *w);
        for (size_t i = 0; i < n; i++)
            w[i] = v[n - 1 - i];
        qsort(w, n, sizeof *w, by_key);
        for (size_t i = 0; i < n; i++)
            if (strcmp(w[i], v[i]) != 0)
                fail_msg("%s: sorted position %zu is \"%s\", expected \"%s\"", lists[l].name, i, w[i], v[i]);
        free(w);
    }
}

/* Spellings of one name that must give one key. */
static const struct {
    const char *a, *b;
} same_key[] = {
    {"Tam Ân", "Tam A" HAT "n"},
    {"Nguyễn Thị Ánh", "Nguye" HAT TILDE "n Thi" DOT " A" ACUTE "nh"},
    {"Thừa Thiên Huế", "Thu" HORN GRAVE "a Thie" HAT "n Hue" HAT ACUTE},
    {"Đặng", "Đa" DOT BREVE "ng"}, /* canonical order: dot below first */
    {"Đặng", "Đa" BREVE DOT "ng"}, /* as typed */
    {"Ơ", "O" HORN},
    {"Ư", "U" HORN},
    {"Quảng Ngãi", "Qua" HOOK "ng Nga" TILDE "i"},
    {"ĐỒNG THÁP", "ĐO" HAT GRAVE "NG THA" ACUTE "P"},
    {"Tấn", "Ta" ACUTE HAT "n"},  /* the tone typed before the hat */
    {"Đông", "D\u0335ông"},       /* D with a combining short stroke */
    {"Đông", "\u00D0ông"},        /* the look-alike eth */
    {"Hòa", "Hoà"},               /* both places of the tone mark */
    {"Ấp Bắc", "Ấp-Bắc"},         /* punctuation and runs of space separate words alike */
    {"Ấp Bắc", "  Ấp \u00A0 Bắc. "},
    {"Khéo", "Kh\u00ADéo"},       /* a soft hyphen is invisible */
};

static void test_same_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(same_key); i++) {
        char *a = text_sort_key(same_key[i].a), *b = text_sort_key(same_key[i].b);
        if (strcmp(a, b) != 0)
            fail_msg("\"%s\" and \"%s\": keys \"%s\" and \"%s\" differ", same_key[i].a, same_key[i].b, a, b);
        free(a);
        free(b);
    }
}

/* The key is printable ASCII and never empty: migration 009 fills rows whose key is ''. */
static void test_key_shape(void **state)
{
    (void)state;
    const char *in[] = {"", "   ", "—!?", "\xC3\x28", "Đà Nẵng", "Αθήνα 12", "東京", "\U0001F600", "0000",
                        "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567"};
    for (size_t i = 0; i < N(in); i++) {
        char *k = text_sort_key(in[i]);
        assert_true(k[0] != 0);
        for (const char *c = k; *c; c++)
            if (*c < ' ' || *c > '~')
                fail_msg("key of \"%s\" has byte 0x%02x", in[i], (unsigned char)*c);
        free(k);
    }
}

/* ---- search folding --------------------------------------------------------------- */

static const struct {
    const char *in, *want;
} folds[] = {
    {"Đường Dân vận Khéo!", "duong dan van kheo"},
    {"ĐƯỜNG DÂN VẬN KHÉO", "duong dan van kheo"},
    {"D\u0323" "a\u0302" "n va" HAT DOT "n", "dan van"}, /* decomposed, and a mark on a consonant */
    {"Nguyễn Thị Ánh", "nguyen thi anh"},
    {"NGUYỄN THỊ ÁNH", "nguyen thi anh"},
    {"Nguye" HAT TILDE "n Thi" DOT " A" ACUTE "nh", "nguyen thi anh"},
    {"Thu" HORN GRAVE "a Thie" HAT "n Hue" HAT ACUTE, "thua thien hue"},
    {"ỨNG HÒA", "ung hoa"},
    {"đ", "d"},
    {"Đ", "d"},
    {"\u00D0ông", "dong"},   /* eth for Đ */
    {"D\u0335ông", "dong"},  /* D with a combining stroke */
    {"Hoà / Hòa", "hoa hoa"},
    {"Ấp-Bắc", "ap bac"},
    {"Đắk R'Lấp", "dak r lap"},
    {"  “5 trong 1” — thôn  Kim Đới! ", "5 trong 1 thon kim doi"},
    {"Tam\tAn\r\nBắc", "tam an bac"},
    {"Tam\u00A0An", "tam an"},          /* no-break space */
    {"Tam\u202FAn\u2003Bắc", "tam an bac"}, /* narrow no-break space, em space */
    {"\u3000Tam\u3000An\u3000", "tam an"}, /* ideographic space */
    {"Tam\u200BAn", "tam an"},          /* zero-width space: a word break */
    {"Kh\u00ADéo", "kheo"},             /* soft hyphen: invisible, not a break */
    {"Dân\u2060vận", "danvan"},          /* word joiner: joins */
    {"\uFEFFTam An", "tam an"},         /* byte-order mark */
    {"Ｔａｍ　Ａｎ １２", "tam an 12"},   /* full-width forms */
    {"Xã 1, Xã 10", "xa 1 xa 10"},
    {"ﬁ", "fi"},
    {"—!?…", ""},
    {"", ""},
    {"\xC3\x28", ""}, /* not UTF-8 */
};

static void test_fold_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(folds); i++) {
        char *f = text_fold(folds[i].in);
        if (strcmp(f, folds[i].want) != 0)
            fail_msg("fold(\"%s\") is \"%s\", expected \"%s\"", folds[i].in, f, folds[i].want);
        free(f);
    }
}

/* text_fold's and text_sort_key's tables against utf8proc (text_fold_reference,
 * text_sort_key_reference): every code point of the tables and past them, alone and between
 * words, and strings of them. */
static void check_fold(const char *s)
{
    char *f = text_fold(s), *r = text_fold_reference(s);
    if (strcmp(f, r) != 0)
        fail_msg("fold(\"%s\") is \"%s\", utf8proc's \"%s\"", s, f, r);
    free(f);
    free(r);
    f = text_sort_key(s);
    r = text_sort_key_reference(s);
    if (strcmp(f, r) != 0)
        fail_msg("sort key of \"%s\" is \"%s\", utf8proc's \"%s\"", s, f, r);
    free(f);
    free(r);
}

static void test_fold_by_table(void **state)
{
    (void)state;
    char s[64];
    for (uint32_t cp = 1; cp < 0x3000; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        char c[5] = {0};
        utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)c);
        check_fold(c);
        snprintf(s, sizeof s, "Xa%s%sđ %s!", c, c, c);
        check_fold(s);
        /* after a letter with a tone and one with a hat: what canonical order moves */
        snprintf(s, sizeof s, "Mạ%sn ơ%s", c, c);
        check_fold(s);
    }
    /* strings of Vietnamese letters, marks, punctuation and spaces, decomposed or not */
    static const char *const parts[] = {"Đ", "ư", "ờ", "ng", " ", "-", "A", "\xCC\x81", "\xCC\x83", "\xC2\xAD", "\xC2\xA0",
                                        "1", "007", "Thôn 10", "ỹ", "Ð", "ð", "\xCC\xA3", "Ặ", "ạ", "\xE2\x80\x8B", "ﬁ", "ǅ", "½", "Ω", "\xE3\x80\x80", "…"};
    uint32_t r = 20251126;
    for (int i = 0; i < 20000; i++) {
        s[0] = 0;
        for (int k = 0; k < 8; k++) {
            r = r * 1103515245 + 12345;
            strcat(s, parts[(r >> 16) % (sizeof parts / sizeof parts[0])]);
        }
        check_fold(s);
    }
    check_fold("X\xC3\x28y"); /* not UTF-8: "" */
}

/* ---- NFC and trimming -------------------------------------------------------------- */

static const struct {
    const char *in, *want;
} nfcs[] = {
    {"Xa" TILDE, "Xã"},
    {"Nguye" HAT TILDE "n Thi" DOT " A" ACUTE "nh", "Nguyễn Thị Ánh"},
    {"Thu" HORN GRAVE "a Thie" HAT "n Hue" HAT ACUTE, "Thừa Thiên Huế"},
    {"O" HORN " U" HORN, "Ơ Ư"},
    {"Đa" BREVE DOT "ng", "Đặng"},
    {"Qua" HOOK "ng Nga" TILDE "i", "Quảng Ngãi"},
    {"ĐO" HAT GRAVE "NG THA" ACUTE "P", "ĐỒNG THÁP"},
    {"Ta" ACUTE HAT "n", "Tấn"},      /* tone typed before the hat */
    {"Đa" ACUTE BREVE "k", "Đắk"},    /* before the breve */
    {"Đà Nẵng", "Đà Nẵng"},           /* composed already */
    {"Hoà", "Hoà"},                   /* either place of the tone mark is kept */
    {"  Tam An  ", "Tam An"},
    {"\u00A0Tam An\u00A0", "Tam An"},
    {"\u3000 Tam An \u3000\t", "Tam An"},
    {"\u2003\u202FTam\u00A0An\u200B\uFEFF", "Tam\u00A0An"}, /* inner spaces are kept */
    {"\u2028Tam An\u2029", "Tam An"},
    {"\r\nTam An\n", "Tam An"},
    {"  Xa" TILDE "  ", "Xã"},
    {" a" ACUTE " ", "á"},
    {"Tam\nAn", "Tam\nAn"},
    {" \u00A0 ", ""},
    {"", ""},
    {"\xC3\x28", ""}, /* not UTF-8 */
};

static void test_nfc_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(nfcs); i++) {
        char *s = text_nfc_trim(nfcs[i].in);
        if (strcmp(s, nfcs[i].want) != 0)
            fail_msg("nfc_trim(\"%s\") is \"%s\", expected \"%s\"", nfcs[i].in, s, nfcs[i].want);
        free(s);
    }
    /* text_nfc alone keeps the spaces */
    const struct {
        const char *in, *want;
    } bare[] = {
        {" Xa" TILDE " ", " Xã "},
        {"A" ACUTE HAT "P BA" BREVE ACUTE "C", "ẤP BẮC"}, /* upper case too */
        {"O" GRAVE HAT "NG", "ỒNG"},
        {"n" ACUTE HAT, "ń" HAT}, /* not a Vietnamese vowel: the marks stay as typed */
        {" ", " "},
    };
    for (size_t i = 0; i < N(bare); i++) {
        char *s = text_nfc(bare[i].in);
        if (strcmp(s, bare[i].want) != 0)
            fail_msg("nfc(\"%s\") is \"%s\", expected \"%s\"", bare[i].in, s, bare[i].want);
        free(s);
    }
    /* the names of bodies in a report's heading are written in capitals */
    static const struct {
        const char *in, *want;
    } upper[] = {{"Tỉnh ủy Quảng Nam", "TỈNH ỦY QUẢNG NAM"}, {"Ban Dân vận", "BAN DÂN VẬN"},
                 {"đảng ủy xã ỷ la", "ĐẢNG ỦY XÃ Ỷ LA"},     {"BDVTU-2", "BDVTU-2"},
                 {"", ""},                                   {"\xff", ""}};
    for (size_t i = 0; i < N(upper); i++) {
        char *s = text_upper(upper[i].in);
        if (strcmp(s, upper[i].want) != 0)
            fail_msg("upper(\"%s\") is \"%s\", expected \"%s\"", upper[i].in, s, upper[i].want);
        free(s);
    }
    assert_int_equal(text_chars("Đường"), 5);
    assert_int_equal(text_chars("\U0001F600a"), 2);
    assert_int_equal(text_chars(""), 0);
}

/* ---- UTF-8 validity ---------------------------------------------------------------- */

static const struct {
    const char *s;
    size_t len; /* 0: strlen */
    bool ok;
    const char *what;
} valids[] = {
    {"", 0, true, "empty"},
    {"Xã Tam An", 0, true, "Vietnamese"},
    {"a\tb\nc\r", 0, true, "tab, LF, CR"},
    {"\xC3\xA9", 0, true, "2 bytes"},
    {"\xE1\xBA\xA5", 0, true, "3 bytes (ấ)"},
    {"\xF0\x9F\x98\x80", 0, true, "4 bytes (U+1F600)"},
    {"\xF4\x8F\xBF\xBF", 0, true, "U+10FFFF"},
    {"\xC2\xA0", 0, true, "U+00A0, the first after the C1 controls"},
    {"\xEF\xBB\xBF", 0, true, "U+FEFF"},
    {"\xEF\xBF\xBD", 0, true, "U+FFFD"},
    {"ab\xC3", 2, true, "only len bytes are read"},
    {"\xC3\x28", 0, false, "lead byte without its continuation"},
    {"\x80", 0, false, "lone continuation byte"},
    {"a\xBF", 0, false, "lone continuation byte after ASCII"},
    {"\xC3", 0, false, "truncated 2-byte"},
    {"\xE1\xBA", 0, false, "truncated 3-byte"},
    {"\xF0\x9F\x98", 0, false, "truncated 4-byte"},
    {"\xE1\xBA\xA5", 2, false, "cut by len"},
    {"\xC0\xAF", 0, false, "overlong '/' (2 bytes)"},
    {"\xC1\xBF", 0, false, "overlong (C1 lead)"},
    {"\xE0\x80\xAF", 0, false, "overlong '/' (3 bytes)"},
    {"\xF0\x80\x80\xAF", 0, false, "overlong '/' (4 bytes)"},
    {"\xC0\x80", 0, false, "overlong NUL"},
    {"\xED\xA0\x80", 0, false, "surrogate U+D800"},
    {"\xED\xBF\xBF", 0, false, "surrogate U+DFFF"},
    {"\xED\xA0\xBD\xED\xB8\x80", 0, false, "surrogate pair (CESU-8)"},
    {"\xF4\x90\x80\x80", 0, false, "U+110000"},
    {"\xF5\x80\x80\x80", 0, false, "F5 lead"},
    {"\xF8\x88\x80\x80\x80", 0, false, "5-byte form"},
    {"\xFE", 0, false, "FE"},
    {"\xFF", 0, false, "FF"},
    {"a\0b", 3, false, "NUL"},
    {"a\x01", 0, false, "C0 control"},
    {"\x1B[31m", 0, false, "escape"},
    {"a\x0B", 0, false, "vertical tab"},
    {"a\x0C", 0, false, "form feed"},
    {"a\x7F", 0, false, "DEL"},
    {"\xC2\x80", 0, false, "C1 U+0080"},
    {"a\xC2\x85", 0, false, "C1 NEL"},
    {"\xC2\x9F", 0, false, "C1 U+009F"},
};

static void test_valid_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(valids); i++) {
        size_t len = valids[i].len ? valids[i].len : strlen(valids[i].s);
        if (text_valid(valids[i].s, len) != valids[i].ok)
            fail_msg("text_valid: %s: expected %s", valids[i].what, valids[i].ok ? "valid" : "invalid");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_tables), cmocka_unit_test(test_same_key),  cmocka_unit_test(test_key_shape),
        cmocka_unit_test(test_fold_table),   cmocka_unit_test(test_fold_by_table), cmocka_unit_test(test_nfc_table), cmocka_unit_test(test_valid_table),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
