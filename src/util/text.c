/* text.c: UTF-8 validation, NFC, search folding and the Vietnamese sort key, on top of utf8proc. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "util/buf.h"
#include "util/text.h"

bool text_valid(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        /* rejects bad lead and continuation bytes, truncation, overlong forms,
         * surrogates and code points above U+10FFFF */
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp < 0)
            return false;
        /* C0 controls but tab, LF and CR; DEL; C1 controls (U+0080–U+009F, which is
         * what Windows-1252 text misread as Latin-1 leaves behind) */
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp < 0xa0))
            return false;
        p += n;
        left -= n;
    }
    return true;
}

/* ---- NFC ------------------------------------------------------------------------ */

/* Length of the white-space character at p, or 0: ASCII blanks, Unicode space
 * separators (no-break space, U+3000 …), line and paragraph separators, and the
 * invisible zero-width space, word joiner and byte-order mark. */
static size_t space_at(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        return 1;
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
    if (n <= 1)
        return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP || cp == 0x200B ||
        cp == 0x2060 || cp == 0xFEFF)
        return (size_t)n;
    return 0;
}

static bool is_tone_mark(utf8proc_int32_t m)
{
    return m == 0x0300 || m == 0x0301 || m == 0x0303 || m == 0x0309;
}

/* Canonical order keeps marks of one combining class as typed, so "a" + acute +
 * circumflex (tone typed before the hat) stays apart from "ấ" under NFC. For the
 * Vietnamese vowels the hat or breve goes first, which then composes. */
static void hat_before_tone(utf8proc_int32_t *c, utf8proc_ssize_t n)
{
    utf8proc_int32_t base = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (utf8proc_get_property(c[i])->combining_class == 0) {
            base = utf8proc_tolower(c[i]);
            continue;
        }
        bool hat = c[i] == 0x0302 && (base == 'a' || base == 'e' || base == 'o');
        bool breve = c[i] == 0x0306 && base == 'a';
        for (utf8proc_ssize_t j = i; (hat || breve) && j > 0 && is_tone_mark(c[j - 1]); j--) {
            utf8proc_int32_t t = c[j - 1];
            c[j - 1] = c[j];
            c[j] = t;
        }
    }
}

/* Whether s is already NFC, judged cheaply: only ASCII and precomposed Latin letters (Latin-1,
 * Latin Extended-A and -B, Latin Extended Additional where Vietnamese's letters are), no
 * combining mark. Almost all text typed in Vietnam passes; anything else takes the full path. */
static bool plainly_nfc(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0 || !((cp >= 0xA0 && cp <= 0x24F) || (cp >= 0x1E00 && cp <= 0x1EFF)))
            return false;
        p += k;
    }
    return true;
}

char *text_nfc(const char *s)
{
    if (plainly_nfc(s))
        return xstrdup(s);
    const utf8proc_option_t opt = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s, 0, NULL, 0, opt);
    if (n < 0)
        return xstrdup("");
    /* utf8proc_reencode writes the UTF-8 and its NUL over the code points: one spare byte */
    utf8proc_int32_t *c = xmalloc((size_t)n * sizeof *c + 1);
    if (utf8proc_decompose((const utf8proc_uint8_t *)s, 0, c, n, opt) != n) {
        free(c);
        return xstrdup("");
    }
    hat_before_tone(c, n);
    if (utf8proc_reencode(c, n, opt) < 0) {
        free(c);
        return xstrdup("");
    }
    return (char *)c;
}

char *text_nfc_trim(const char *s)
{
    char *n = text_nfc(s), *p = n, *e = p + strlen(p);
    size_t k;
    while ((k = space_at(p)) > 0)
        p += k;
    /* from the end: step back over whole characters that are spaces */
    while (e > p) {
        char *q = e - 1;
        while (q > p && ((unsigned char)*q & 0xc0) == 0x80)
            q--;
        if (space_at(q) != (size_t)(e - q))
            break;
        e = q;
    }
    char *out = xstrndup(p, (size_t)(e - p));
    free(n);
    return out;
}

/* ---- search folding ------------------------------------------------------------- */

/* Letters and digits make words. */
static bool is_word(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

/* Invisible format characters other than the zero-width space (soft hyphen,
 * zero-width joiners, word joiner, BOM) come into words by copy and paste: they
 * are skipped, neither letters nor separators. */
static bool is_format(utf8proc_int32_t cp)
{
    return cp != 0x200B && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

char *text_fold_reference(const char *s)
{
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m,
                                      UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK | UTF8PROC_COMPAT);
    if (n < 0)
        return xstrdup("");
    struct buf b = BUF_INIT;
    const utf8proc_uint8_t *p = m;
    bool pending_space = false;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0)
            break;
        p += k;
        /* đ (Đ was case-folded to it), and ð, the look-alike Icelandic eth that
         * converted and typed Vietnamese text sometimes carries for Đ */
        if (cp == 0x0111 || cp == 0x00F0)
            cp = 'd';
        if (is_format(cp))
            continue;
        if (!is_word(cp)) {
            pending_space = b.len > 0;
            continue;
        }
        if (pending_space)
            buf_putc(&b, ' ');
        pending_space = false;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t el = utf8proc_encode_char(cp, enc);
        buf_add(&b, enc, (size_t)el);
    }
    free(m);
    return buf_detach(&b);
}

/* text_fold by table: what text_fold_reference makes of each code point below FOLD_TABLE
 * (Latin with its Vietnamese letters, Greek, Cyrillic…, the general punctuation – “ ” … and
 * the currency signs), worked out once with utf8proc. A character's decomposition is folded
 * on its own: marks are stripped (and no character left has a combining class), so the
 * canonical reordering of a whole string's marks changes nothing. An entry
 * is its folded bytes, FOLD_SEP where a separator was, and nothing for what is dropped.
 * Every save and every search folds its texts: by table, a tenth of the time. */
#define FOLD_TABLE 0x2100
#define FOLD_SEP '\x01'
#define FOLD_MAX 11
static struct fold_entry {
    unsigned char len; /* 0xff: longer than FOLD_MAX, left to text_fold_reference */
    char s[FOLD_MAX];
} fold_table[FOLD_TABLE];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_table_build(void)
{
    for (utf8proc_int32_t cp = 1; cp < FOLD_TABLE; cp++) {
        struct fold_entry *e = &fold_table[cp];
        utf8proc_int32_t d[16];
        utf8proc_ssize_t n = utf8proc_decompose_char(
            cp, d, 16, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT, NULL);
        if (n < 0 || n > 16) {
            e->len = 0xff;
            continue;
        }
        for (utf8proc_ssize_t i = 0; i < n && e->len != 0xff; i++) {
            utf8proc_int32_t c = d[i] == 0x0111 || d[i] == 0x00F0 ? 'd' : d[i];
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t el = 1;
            if (is_format(c))
                continue;
            if (is_word(c))
                el = utf8proc_encode_char(c, enc);
            else
                enc[0] = FOLD_SEP;
            if (e->len + el > FOLD_MAX) {
                e->len = 0xff;
                break;
            }
            memcpy(e->s + e->len, enc, (size_t)el);
            e->len = (unsigned char)(e->len + el);
        }
    }
}

char *text_fold(const char *s)
{
    pthread_once(&fold_once, fold_table_build);
    struct buf b = BUF_INIT;
    bool pending_space = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t cp = *p;
        utf8proc_ssize_t k = 1;
        if (cp >= 0x80)
            k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0 || cp >= FOLD_TABLE || fold_table[cp].len == 0xff) {
            /* invalid (the reference gives "") or beyond the table */
            buf_free(&b);
            return text_fold_reference(s);
        }
        p += k;
        const struct fold_entry *e = &fold_table[cp];
        for (int i = 0; i < e->len; i++) {
            if (e->s[i] == FOLD_SEP) {
                pending_space = b.len > 0;
                continue;
            }
            if (pending_space)
                buf_putc(&b, ' ');
            pending_space = false;
            buf_putc(&b, e->s[i]);
        }
    }
    return buf_detach(&b);
}

size_t text_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

char *text_upper(const char *s)
{
    struct buf b = BUF_INIT;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
        if (n <= 0) {
            buf_free(&b);
            return xstrdup("");
        }
        utf8proc_uint8_t out[4];
        buf_add(&b, out, (size_t)utf8proc_encode_char(utf8proc_toupper(c), out));
        p += n;
        left -= n;
    }
    return buf_detach(&b);
}

/* ---- Vietnamese sort key -----------------------------------------------------------
 *
 * The order of Vietnamese dictionaries (Vũ Xuân Lương, "Quy tắc sắp xếp đơn vị
 * từ vựng trong từ điển tiếng Việt", Vietlex): word by word, each word first by
 * its letters — a ă â b c d đ e ê … o ô ơ … u ư … — whatever its tone, then by its
 * tone: ngang, huyền, hỏi, ngã, sắc, nặng. So "ma túy" < "mà" < "mã hiệu", and
 * "Hoa Lư" < "Hòa An" < "Hòa Bình".
 *
 * The key, compared byte by byte:
 *   for each word: one byte per letter ('!' + rank, from '#'; other
 *     scripts "}" and six hex digits, after every Latin letter); a run of ASCII
 *     digits as one number, '"', its length and its digits without leading
 *     zeros, so "Thôn 2" < "Thôn 10"; then ' ' and the word's tone '0'–'5';
 *   then '!' and one byte per letter or digit, '0' lower or '1' upper case.
 * ' ' ends a word below every letter ("An" < "Anh"), the tone byte follows only
 * ' ', and '!' ends the words below any next word ("Nam" < "Nam Định"). Case is
 * compared last over the whole name, so "an giang" < "An Giang" < "an ninh". */

/* How many letters a Latin letter stands for in Vietnamese: a ă â, d đ, e ê, o ô ơ, u ư. */
static int forms(int c)
{
    return c == 'a' || c == 'o' ? 3 : c == 'd' || c == 'e' || c == 'u' ? 2 : 1;
}

/* Rank from 2 of lower-case Latin letter c in form variant (0 plain, 1 ă đ ê ô ư, 2 â ơ);
 * 0 when c is not a-z. f j w z keep their Latin places. */
static int letter_rank(utf8proc_int32_t c, int variant)
{
    if (c < 'a' || c > 'z')
        return 0;
    int r = 2;
    for (int l = 'a'; l < c; l++)
        r += forms(l);
    return variant < forms((int)c) ? r + variant : r;
}

/* The form a combining mark makes of lower-case letter c (1 or 2), or 0. */
static int mark_variant(utf8proc_int32_t c, utf8proc_int32_t m)
{
    if ((m == 0x0306 && c == 'a') || (m == 0x0302 && (c == 'e' || c == 'o')) || (m == 0x031B && c == 'u') ||
        ((m == 0x0335 || m == 0x0336) && c == 'd')) /* D with a combining stroke: đ */
        return 1;
    if ((m == 0x0302 && c == 'a') || (m == 0x031B && c == 'o'))
        return 2;
    return 0;
}

/* Tone of a combining mark in dictionary order: 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng; 0 none. */
static int mark_tone(utf8proc_int32_t m)
{
    switch (m) {
    case 0x0300: return 1;
    case 0x0309: return 2;
    case 0x0303: return 3;
    case 0x0301: return 4;
    case 0x0323: return 5;
    default: return 0;
    }
}

/* A number's length byte: lengths above 90 digits share one (printable ASCII stays below '~'). */
#define NUMBER_LEN_MAX 90

/* The run of ASCII digits at p as one number (see the key above): '"', its length and its
 * digits without leading zeros; a case byte per digit. Returns the end of the run. */
static const utf8proc_uint8_t *key_number(const utf8proc_uint8_t *p, struct buf *key, struct buf *cases)
{
    const utf8proc_uint8_t *start = p;
    while (*p >= '0' && *p <= '9')
        p++;
    size_t all = (size_t)(p - start), len = all;
    while (len > 1 && *start == '0')
        start++, len--;
    buf_putc(key, '"');
    buf_putc(key, (char)('!' + (len < NUMBER_LEN_MAX ? len : NUMBER_LEN_MAX)));
    buf_add(key, start, len);
    for (size_t i = 0; i < all; i++)
        buf_putc(cases, '0');
    return p;
}

char *text_sort_key_reference(const char *s)
{
    utf8proc_uint8_t *d = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &d, UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE) < 0)
        return xstrdup("!");
    struct buf key = BUF_INIT, cases = BUF_INIT;
    const utf8proc_uint8_t *p = d;
    bool in_word = false;
    int tone = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0)
            break;
        p += n;
        if (is_format(cp))
            continue;
        if (!is_word(cp)) {
            if (in_word)
                buf_printf(&key, " %d", tone);
            in_word = false;
            tone = 0;
            continue;
        }
        in_word = true;
        if (cp >= '0' && cp <= '9') {
            p = key_number(p - 1, &key, &cases);
            continue;
        }
        utf8proc_int32_t lower = utf8proc_tolower(cp);
        bool upper = lower != cp;
        int variant = 0;
        if (lower == 0x0111 || lower == 0x00F0) /* đ, and its look-alike ð (see text_fold) */
            lower = 'd', variant = 1;
        /* the combining marks that follow: a vowel's form, the word's tone */
        for (;;) {
            utf8proc_int32_t m;
            utf8proc_ssize_t k = utf8proc_iterate(p, -1, &m);
            if (k <= 0 || utf8proc_category(m) != UTF8PROC_CATEGORY_MN)
                break;
            p += k;
            if (!variant)
                variant = mark_variant(lower, m);
            if (!tone)
                tone = mark_tone(m);
        }
        int rank = letter_rank(lower, variant);
        if (rank)
            buf_putc(&key, (char)('!' + rank));
        else
            buf_printf(&key, "}%06X", (unsigned)lower);
        buf_putc(&cases, upper ? '1' : '0');
    }
    if (in_word)
        buf_printf(&key, " %d", tone);
    free(d);
    buf_putc(&key, '!');
    buf_add(&key, buf_cstr(&cases), cases.len);
    buf_free(&cases);
    return buf_detach(&key);
}

/* text_sort_key by table, as text_fold: what each code point below FOLD_TABLE adds to the
 * key, worked out once. A text holding a combining mark of its own (decomposed, which NFC
 * text is not) or a character beyond the table is left to text_sort_key_reference. */
enum { KEY_SLOW, KEY_SKIP, KEY_SEP, KEY_DIGIT, KEY_LETTER };
static struct key_entry {
    unsigned char type, upper, tone, len;
    char s[8];
} key_table[FOLD_TABLE];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void key_table_build(void)
{
    for (utf8proc_int32_t cp = 1; cp < FOLD_TABLE; cp++) {
        struct key_entry *e = &key_table[cp];
        utf8proc_int32_t d[8];
        utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, NULL);
        /* a mark, or a sign that canonical order moves before the marks of the letter it
         * follows (the spacing viramas U+1B44… have a combining class): the whole text */
        if (n <= 0 || n > 8 || utf8proc_category(cp) == UTF8PROC_CATEGORY_MN || utf8proc_get_property(cp)->combining_class)
            continue; /* KEY_SLOW */
        if (!is_word(d[0])) {
            if (n == 1)
                e->type = is_format(d[0]) ? KEY_SKIP : KEY_SEP;
            continue;
        }
        if (d[0] >= '0' && d[0] <= '9') {
            if (n == 1)
                e->type = KEY_DIGIT;
            continue;
        }
        utf8proc_int32_t lower = utf8proc_tolower(d[0]);
        int variant = 0, tone = 0;
        e->upper = lower != d[0];
        if (lower == 0x0111 || lower == 0x00F0)
            lower = 'd', variant = 1;
        bool marks = true;
        for (utf8proc_ssize_t i = 1; i < n && marks; i++) {
            marks = utf8proc_category(d[i]) == UTF8PROC_CATEGORY_MN;
            if (!variant)
                variant = mark_variant(lower, d[i]);
            if (!tone)
                tone = mark_tone(d[i]);
        }
        if (!marks)
            continue;
        int rank = letter_rank(lower, variant);
        if (rank)
            e->s[0] = (char)('!' + rank), e->len = 1;
        else
            e->len = (unsigned char)snprintf(e->s, sizeof e->s, "}%06X", (unsigned)lower);
        e->tone = (unsigned char)tone;
        e->type = KEY_LETTER;
    }
}

char *text_sort_key(const char *s)
{
    pthread_once(&key_once, key_table_build);
    struct buf key = BUF_INIT, cases = BUF_INIT;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    bool in_word = false;
    int tone = 0;
    while (*p) {
        utf8proc_int32_t cp = *p;
        utf8proc_ssize_t n = 1;
        if (cp >= 0x80)
            n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0 || cp >= FOLD_TABLE || key_table[cp].type == KEY_SLOW) {
            buf_free(&key);
            buf_free(&cases);
            return text_sort_key_reference(s);
        }
        const struct key_entry *e = &key_table[cp];
        if (e->type == KEY_DIGIT) {
            p = key_number(p, &key, &cases);
            in_word = true;
            continue;
        }
        p += n;
        if (e->type == KEY_SEP) {
            if (in_word)
                buf_printf(&key, " %d", tone);
            in_word = false;
            tone = 0;
        } else if (e->type == KEY_LETTER) {
            in_word = true;
            buf_add(&key, e->s, e->len);
            buf_putc(&cases, e->upper ? '1' : '0');
            if (!tone)
                tone = e->tone;
        }
    }
    if (in_word)
        buf_printf(&key, " %d", tone);
    buf_putc(&key, '!');
    buf_add(&key, buf_cstr(&cases), cases.len);
    buf_free(&cases);
    return buf_detach(&key);
}

void text_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0) {
            /* a character cut short at the very end is dropped; any other bad byte is marked */
            size_t rest = strlen((char *)p);
            if (rest < 4 && (*p & 0xC0) == 0xC0) {
                bool tail = true;
                for (size_t i = 1; i < rest; i++)
                    tail &= (p[i] & 0xC0) == 0x80;
                if (tail) {
                    *p = 0;
                    return;
                }
            }
            *p++ = '?';
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            for (utf8proc_ssize_t i = 0; i < k; i++)
                p[i] = '?';
        }
        p += k;
    }
}

/* ---- search matches ------------------------------------------------------------------ */

size_t text_cp_offset(const char *s, size_t byte)
{
    size_t n = 0;
    for (size_t i = 0; i < byte && s[i]; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

/* One code point folded as text_fold folds it: its letters and digits go to out (at most 8)
 * and their number is returned; 0 for a mark or anything else folding drops (it stays
 * inside a word); -1 for a separator. */
static int fold_cp(utf8proc_int32_t cp, utf8proc_int32_t out[8])
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            out[0] = cp;
            return 1;
        }
        if (cp >= 'A' && cp <= 'Z') {
            out[0] = cp + 32;
            return 1;
        }
        return -1;
    }
    utf8proc_int32_t d[8];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT, &last);
    if (n < 0 || n > 8)
        return -1;
    int k = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = d[i] == 0x0111 || d[i] == 0x00F0 ? 'd' : d[i];
        utf8proc_category_t cat = utf8proc_category(c);
        if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
            (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO))
            out[k++] = c;
        else
            return k ? k : -1; /* a compatibility form such as "½": its digits before the slash */
    }
    return k;
}

/* Only white space in s[from, to)? */
static bool blank_between(const char *s, size_t from, size_t to)
{
    while (from < to) {
        size_t k = space_at(s + from);
        if (!k)
            return false;
        from += k;
    }
    return true;
}

#define MAX_QUERY_WORDS 32
#define MAX_FOLDED_WORD 256

int text_match_spans(const char *s, const char *q_fold, struct text_span *out, int max)
{
    const char *qw[MAX_QUERY_WORDS];
    size_t ql[MAX_QUERY_WORDS];
    int nq = 0;
    for (const char *p = q_fold ? q_fold : ""; *p && nq < MAX_QUERY_WORDS;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, ' ');
        if (!e)
            e = p + strlen(p);
        qw[nq] = p;
        ql[nq++] = (size_t)(e - p);
        p = e;
    }
    int n = 0;
    if (nq == 0 || max <= 0 || !s)
        return 0;
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    size_t len = strlen(s), pos = 0;
    while (pos < len) {
        utf8proc_int32_t cp, f[8];
        utf8proc_ssize_t cl = utf8proc_iterate(u + pos, (utf8proc_ssize_t)(len - pos), &cp);
        if (cl <= 0)
            break;
        if (fold_cp(cp, f) <= 0) {
            pos += (size_t)cl;
            continue;
        }
        /* a word: its folded bytes, and where each one ends in s */
        char fw[MAX_FOLDED_WORD];
        size_t ends[MAX_FOLDED_WORD], fl = 0, ws = pos;
        while (pos < len) {
            cl = utf8proc_iterate(u + pos, (utf8proc_ssize_t)(len - pos), &cp);
            if (cl <= 0)
                break;
            int k = fold_cp(cp, f);
            if (k < 0)
                break;
            pos += (size_t)cl;
            if (k == 0 && fl > 0 && fl <= MAX_FOLDED_WORD)
                ends[fl - 1] = pos; /* a combining mark belongs to the character before it */
            for (int i = 0; i < k; i++) {
                utf8proc_uint8_t enc[4];
                utf8proc_ssize_t el = utf8proc_encode_char(f[i], enc);
                for (utf8proc_ssize_t j = 0; j < el && fl < MAX_FOLDED_WORD; j++) {
                    fw[fl] = (char)enc[j];
                    ends[fl++] = pos;
                }
            }
        }
        size_t best = 0;
        for (int i = 0; i < nq; i++)
            if (ql[i] > best && ql[i] <= fl && memcmp(fw, qw[i], ql[i]) == 0)
                best = ql[i];
        if (!best)
            continue;
        size_t end = ends[best - 1];
        if (n > 0 && blank_between(s, out[n - 1].end, ws))
            out[n - 1].end = end;
        else if (n < max)
            out[n++] = (struct text_span){ws, end};
        else
            break;
    }
    return n;
}

/* Start of the character before byte i of s (i > 0). */
static size_t prev_char(const char *s, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80);
    return i;
}

char *text_snippet(const char *s, const char *q_fold, size_t max_chars)
{
    size_t len = strlen(s);
    if (text_chars(s) <= max_chars)
        return xstrdup(s);
    struct text_span sp;
    size_t start = 0;
    if (text_match_spans(s, q_fold, &sp, 1) == 1) {
        /* about a third of the room before the match, starting on a word */
        start = sp.start;
        for (size_t back = 0; start > 0 && back < max_chars / 3; back++)
            start = prev_char(s, start);
        if (start > 0) {
            while (start < sp.start && !space_at(s + start))
                start++;
            while (start < sp.start && space_at(s + start))
                start += space_at(s + start);
        }
    }
    /* max_chars code points from start, then back to the end of a word */
    size_t end = start, chars = 0;
    while (end < len && chars < max_chars) {
        end++;
        while (end < len && ((unsigned char)s[end] & 0xc0) == 0x80)
            end++;
        chars++;
    }
    if (end < len) {
        size_t e = end;
        while (e > start && !space_at(s + prev_char(s, e)))
            e = prev_char(s, e);
        if (e > start)
            end = e;
    }
    while (end > start && space_at(s + prev_char(s, end)))
        end = prev_char(s, end);
    struct buf b = BUF_INIT;
    if (start > 0)
        buf_puts(&b, "… ");
    buf_add(&b, s + start, end - start);
    if (end < len)
        buf_puts(&b, " …");
    return buf_detach(&b);
}

size_t text_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return 0;
    size_t n = strnlen(src, size);
    if (n == size) {
        n = size - 1;
        while (n && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = 0;
    return n;
}

int text_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
