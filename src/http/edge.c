/* edge.c: the query string, form and multipart bodies of a request, read and checked (edge.h). */
#include <stdlib.h>
#include <string.h>
#include "http/edge.h"
#include "util/multipart.h"
#include "util/text.h"

/* v in NFC: v itself when it is ASCII or NFC already, else a pool copy. */
static const char *pool_nfc(struct rq *r, const char *v)
{
    const unsigned char *c = (const unsigned char *)v;
    while (*c && *c < 0x80)
        c++;
    if (!*c)
        return v;
    char *n = text_nfc(v);
    const char *out = strcmp(n, v) == 0 ? v : rq_strdup(r, n);
    free(n);
    return out;
}

/* Passwords are compared with their hash as typed: they are never normalized. */
static bool is_secret(const char *key)
{
    return strcmp(key, "password") == 0;
}

const char *edge_url_decode(struct rq *r, const char *s, size_t len)
{
    char *out = rq_alloc(r, len + 1);
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+')
            out[j++] = ' ';
        else if (s[i] == '%' && i + 2 < len && text_hex_digit(s[i + 1]) >= 0 && text_hex_digit(s[i + 2]) >= 0) {
            out[j++] = (char)(text_hex_digit(s[i + 1]) * 16 + text_hex_digit(s[i + 2]));
            i += 2;
        } else
            out[j++] = s[i];
    }
    out[j] = 0;
    return text_valid(out, j) ? out : NULL;
}

int edge_pairs(struct rq *r, const char *s, size_t len, struct kv *kv, int *n, bool nfc)
{
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && s[i] != '&')
            i++;
        size_t end = i++;
        if (end == start)
            continue;
        const char *eq = memchr(s + start, '=', end - start);
        size_t klen = eq ? (size_t)(eq - (s + start)) : end - start;
        if (*n >= RQ_MAX_KV)
            return EDGE_TOO_MANY;
        const char *k = edge_url_decode(r, s + start, klen);
        const char *v = eq ? edge_url_decode(r, eq + 1, (size_t)(s + end - eq - 1)) : "";
        if (!k || !v)
            return EDGE_BAD_TEXT;
        kv[*n].key = k;
        kv[*n].val = nfc && !is_secret(k) ? pool_nfc(r, v) : v;
        (*n)++;
    }
    return EDGE_OK;
}

int edge_multipart(struct rq *r, const char *ctype)
{
    char boundary[80];
    struct mpart parts[RQ_MAX_KV];
    if (!r->body || !multipart_boundary(ctype, boundary))
        return EDGE_MALFORMED;
    int n = multipart_parse(r->body, r->body_len, boundary, parts, RQ_MAX_KV);
    if (n < 0)
        return EDGE_MALFORMED;
    for (int i = 0; i < n; i++) {
        if (!text_valid(parts[i].name, strlen(parts[i].name)))
            return EDGE_BAD_TEXT;
        if (parts[i].is_file) {
            if (!text_valid(parts[i].filename, strlen(parts[i].filename)))
                return EDGE_BAD_TEXT;
            if (r->nfiles >= RQ_MAX_FILES)
                return EDGE_MALFORMED;
            struct rq_file *f = &r->files[r->nfiles++];
            f->field = rq_strdup(r, parts[i].name);
            f->filename = pool_nfc(r, rq_strdup(r, parts[i].filename));
            f->data = parts[i].data;
            f->len = parts[i].len;
        } else {
            if (!text_valid(parts[i].data, parts[i].len))
                return EDGE_BAD_TEXT;
            if (r->nform >= RQ_MAX_KV)
                return EDGE_MALFORMED;
            char *v = rq_alloc(r, parts[i].len + 1);
            memcpy(v, parts[i].data, parts[i].len);
            v[parts[i].len] = 0;
            r->form[r->nform].key = rq_strdup(r, parts[i].name);
            r->form[r->nform].val = is_secret(parts[i].name) ? v : pool_nfc(r, v);
            r->nform++;
        }
    }
    return EDGE_OK;
}
