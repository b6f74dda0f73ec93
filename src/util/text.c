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
