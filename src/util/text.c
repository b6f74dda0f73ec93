/* text.c: UTF-8 validation, NFC and folding on top of utf8proc. */
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
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp < 0)
            return false;
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f)
            return false;
        p += n;
        left -= n;
    }
    return true;
}

/* Length of the white-space character at p (ASCII or Unicode Zs, e.g. U+3000), or 0. */
static size_t space_at(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        return 1;
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
    if (n > 1 && (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS || cp == 0x200B || cp == 0xFEFF))
        return (size_t)n;
    return 0;
}

char *text_nfc_trim(const char *s)
{
    utf8proc_uint8_t *n = utf8proc_NFC((const utf8proc_uint8_t *)s);
    if (!n)
        return xstrdup("");
    char *p = (char *)n, *e = p + strlen(p);
    size_t k;
    while ((k = space_at(p)) > 0)
        p += k;
    /* from the end: step back over whole characters that are spaces */
    for (;;) {
        char *q = e;
        while (q > p && ((unsigned char)q[-1] & 0xc0) == 0x80)
            q--;
        if (q > p)
            q--;
        if (q < e && q >= p && space_at(q) == (size_t)(e - q) && e > p)
            e = q;
        else
            break;
    }
    char *out = xstrndup(p, (size_t)(e - p));
    free(n);
    return out;
}

char *text_fold(const char *s)
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
        if (cp == 0x0111) /* đ (Đ was case-folded to it) */
            cp = 'd';
        utf8proc_category_t cat = utf8proc_category(cp);
        bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                    (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (!word) {
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

size_t text_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

/* Primary rank of a lower-case Latin letter (with its Vietnamese variant) or digit; 0 if neither. */
static int letter_rank(utf8proc_int32_t c, int variant)
{
    static const char order[] = "abcdefghijklmnopqrstuvwxyz";
    if (c >= '0' && c <= '9')
        return 1 + (c - '0');
    if (c == 0x0111) /* đ comes right after d */
        return letter_rank('d', 1);
    const char *p = c < 128 ? strchr(order, (int)c) : NULL;
    if (!p || !c)
        return 0;
    /* ranks from 11: a ă â b c d đ e ê f g … o ô ơ … u ư … */
    int r = 11, extra_before = 0;
    for (const char *q = order; q < p; q++) {
        extra_before += *q == 'a' ? 2 : *q == 'd' ? 1 : *q == 'e' ? 1 : *q == 'o' ? 2 : *q == 'u' ? 1 : 0;
        r++;
    }
    return r + extra_before + variant;
}

char *text_sort_key(const char *s)
{
    utf8proc_uint8_t *d = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &d, UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE) < 0)
        return xstrdup("");
    struct buf prim = BUF_INIT, tones = BUF_INIT, cases = BUF_INIT;
    const utf8proc_uint8_t *p = d;
    bool pending_sep = false;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0)
            break;
        p += n;
        utf8proc_category_t cat = utf8proc_category(cp);
        bool letter = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                      (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (!letter) {
            pending_sep = prim.len > 0;
            continue;
        }
        utf8proc_int32_t lower = utf8proc_tolower(cp);
        int variant = 0, tone = 0;
        /* the combining marks that follow: a vowel's shape, then its tone */
        for (;;) {
            utf8proc_int32_t m;
            utf8proc_ssize_t k = utf8proc_iterate(p, -1, &m);
            if (k <= 0 || utf8proc_category(m) != UTF8PROC_CATEGORY_MN)
                break;
            p += k;
            /* a ă â, e ê, o ô ơ, u ư */
            if ((m == 0x0306 && lower == 'a') || (m == 0x0302 && (lower == 'e' || lower == 'o')) ||
                (m == 0x031B && lower == 'u'))
                variant = 1;
            else if ((m == 0x0302 && lower == 'a') || (m == 0x031B && lower == 'o'))
                variant = 2;
            else if (m == 0x0300)
                tone = 1;
            else if (m == 0x0309)
                tone = 2;
            else if (m == 0x0303)
                tone = 3;
            else if (m == 0x0301)
                tone = 4;
            else if (m == 0x0323)
                tone = 5;
        }
        if (pending_sep)
            buf_putc(&prim, '!'); /* a word ends: before every letter */
        pending_sep = false;
        int rank = letter_rank(lower, variant);
        if (rank)
            buf_putc(&prim, (char)('!' + rank));
        else
            buf_printf(&prim, "}%06X", (unsigned)lower); /* other scripts after the Latin letters */
        buf_putc(&tones, (char)('0' + tone));
        buf_putc(&cases, lower != cp ? '1' : '0');
    }
    free(d);
    buf_putc(&prim, ' ');
    buf_add(&prim, buf_cstr(&tones), tones.len);
    buf_putc(&prim, ' ');
    buf_add(&prim, buf_cstr(&cases), cases.len);
    buf_free(&tones);
    buf_free(&cases);
    return buf_detach(&prim);
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
        utf8proc_int32_t c = d[i] == 0x0111 ? 'd' : d[i];
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
