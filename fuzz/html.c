/* html.c: fuzz target for the HTML renderer (http/html.c) with hostile text: hf() and its
 * escapers, search marks, URL components, local numbers and dates (http/i18n.c).
 * Input: text, NUL, a search query, NUL, a date, NUL, 8 bytes of a number and a language.
 * Checks that escaped output can carry no markup of its own, that marks wrap only escaped
 * text, that a URL component decodes back to the text, and that a number shown on a page
 * reads back as the same number. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "http/edge.h"
#include "http/i18n.h"
#include "util/text.h"

/* The next NUL-terminated piece of data[*at..size) (a copy), or "" past the end. */
static char *piece(const uint8_t *data, size_t size, size_t *at)
{
    if (*at >= size)
        return xstrdup("");
    const uint8_t *nul = memchr(data + *at, 0, size - *at);
    size_t n = nul ? (size_t)(nul - (data + *at)) : size - *at;
    char *p = xstrndup((const char *)data + *at, n);
    *at += n + 1;
    return p;
}

/* No markup in escaped text: no < > " ', and every & starts one of the escapes. */
static void check_escaped(const char *h, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        fuzz_check(h[i] != '<' && h[i] != '>' && h[i] != '"' && h[i] != '\'', "html_escape: a markup character got through");
        if (h[i] == '&')
            fuzz_check(strncmp(h + i, "&amp;", 5) == 0 || strncmp(h + i, "&lt;", 4) == 0 ||
                           strncmp(h + i, "&gt;", 4) == 0 || strncmp(h + i, "&quot;", 6) == 0 ||
                           strncmp(h + i, "&#39;", 5) == 0,
                       "html_escape: a bare ampersand");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t at = 0;
    char *s = piece(data, size, &at), *q = piece(data, size, &at), *date = piece(data, size, &at);
    double v = 0;
    int lang = 0;
    if (at + sizeof v <= size) {
        memcpy(&v, data + at, sizeof v);
        lang = data[at + sizeof v - 1] % LANG_COUNT;
    }
    bool valid = text_valid(s, strlen(s));

    struct buf esc = BUF_INIT, marked = BUF_INIT, url = BUF_INIT;
    html_escape(&esc, s);
    check_escaped(buf_cstr(&esc), esc.len);

    char *qf = text_fold(q);
    html_marked(&marked, s, qf);
    /* without its <mark> tags, the marked text is the escaped text */
    struct buf plain = BUF_INIT;
    for (const char *c = buf_cstr(&marked); *c;) {
        if (strncmp(c, "<mark>", 6) == 0)
            c += 6;
        else if (strncmp(c, "</mark>", 7) == 0)
            c += 7;
        else
            buf_putc(&plain, *c++);
    }
    fuzz_check(strcmp(buf_cstr(&plain), buf_cstr(&esc)) == 0, "html_marked: the text is not the escaped text");

    url_escape(&url, s);
    for (const char *c = buf_cstr(&url); *c; c++)
        fuzz_check(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%", *c) != NULL,
                   "url_escape: a character that must be escaped");

    struct rq *r = fuzz_rq_new(NULL, NULL, lang);
    if (valid) {
        const char *back = edge_url_decode(r, buf_cstr(&url), url.len);
        fuzz_check(back && strcmp(back, s) == 0, "url_escape: does not decode back to the text");
    }
    /* every directive of hf, each with hostile text */
    hf(r, "<p title=\"%s\">%M %u %t %D %N %d %I %% %q %R</p>", s, s, qf, s, s, date, v, (int)size, (int64_t)size * -7,
       "<b>fixed</b>");
    hf(r, "%");
    fuzz_check(strncmp(r->out.p, "<p title=\"", 10) == 0, "hf: output does not start with the template");

    char d[11];
    fmt_date(lang, date, d);
    fuzz_check(text_valid(d, strlen(d)) || !text_valid(date, strlen(date)), "fmt_date: made invalid text of valid text");

    char num[96];
    fmt_number(lang, v, num, sizeof num);
    double back;
    /* the values dvk stores (results: 0 to 10^15) are shown and read back as themselves */
    if (isfinite(v) && fabs(v) <= 1e15) {
        fuzz_check(parse_number(lang, num, &back), "fmt_number: parse_number cannot read it");
        fuzz_check(fabs(back - v) <= 0.005 + fabs(v) * 1e-15, "fmt_number: reads back as another number");
    }
    (void)parse_number(lang, s, &back);
    (void)lang_from_accept(s, strlen(s));

    fuzz_rq_free(r);
    buf_free(&plain);
    buf_free(&url);
    buf_free(&marked);
    buf_free(&esc);
    free(qf);
    free(date);
    free(q);
    free(s);
    return 0;
}
