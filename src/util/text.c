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
