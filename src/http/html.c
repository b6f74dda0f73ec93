/* html.c: the escaping renderer. Every byte of a page goes through hf(). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/http.h"
#include "http/i18n.h"
#include "util/text.h"

void html_escape(struct buf *b, const char *s)
{
    buf_xml_escape(b, s);
}

void url_escape(struct buf *b, const char *s)
{
    static const char hx[] = "0123456789ABCDEF";
    if (!s)
        return;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hx[c >> 4], hx[c & 15]};
            buf_add(b, e, 3);
        }
    }
}

#define MAX_MARKS 64

void html_marked(struct buf *b, const char *s, const char *q_fold)
{
    if (!s)
        return;
    struct text_span sp[MAX_MARKS];
    int n = q_fold && *q_fold ? text_match_spans(s, q_fold, sp, MAX_MARKS) : 0;
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        char *plain = xstrndup(s + at, sp[i].start - at), *hit = xstrndup(s + sp[i].start, sp[i].end - sp[i].start);
        html_escape(b, plain);
        buf_puts(b, "<mark>");
        html_escape(b, hit);
        buf_puts(b, "</mark>");
        free(plain);
        free(hit);
        at = sp[i].end;
    }
    html_escape(b, s + at);
}

void hf(struct rq *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        buf_add(&r->out, run, (size_t)(p - run));
        char c = *++p;
        char tmp[64];
        switch (c) {
        case 's':
            html_escape(&r->out, va_arg(ap, const char *));
            break;
        case 't':
            html_escape(&r->out, T(r->lang, va_arg(ap, const char *)));
            break;
        case 'd':
            buf_printf(&r->out, "%d", va_arg(ap, int));
            break;
        case 'I':
            buf_printf(&r->out, "%" PRId64, va_arg(ap, int64_t));
            break;
        case 'u':
            url_escape(&r->out, va_arg(ap, const char *));
            break;
        case 'M': {
            const char *text = va_arg(ap, const char *);
            html_marked(&r->out, text, va_arg(ap, const char *));
            break;
        }
        case 'N':
            fmt_number(r->lang, va_arg(ap, double), tmp, sizeof tmp);
            buf_puts(&r->out, tmp);
            break;
        case 'D': {
            char d[11], day[11];
            /* the date part of a date or a timestamp */
            snprintf(day, sizeof day, "%s", va_arg(ap, const char *));
            fmt_date(r->lang, day, d);
            html_escape(&r->out, d);
            break;
        }
        case 'R': {
            const char *raw = va_arg(ap, const char *);
            if (raw)
                buf_puts(&r->out, raw);
            break;
        }
        case '%':
            buf_putc(&r->out, '%');
            break;
        default:
            /* an unknown directive is a programming error: show it, never guess */
            buf_putc(&r->out, '%');
            if (c)
                buf_putc(&r->out, c);
            else
                p--;
        }
        run = p + 1;
    }
    buf_puts(&r->out, run);
    va_end(ap);
}
