/* multipart.c: a strict multipart/form-data splitter. Anything unexpected is
 * an error, never a guess: headers must be well formed, every part must end
 * at a delimiter, and the closing delimiter must be there. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "util/multipart.h"

bool multipart_boundary(const char *ct, char out[80])
{
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
        return false;
    const char *b = strcasestr(ct, "boundary=");
    if (!b)
        return false;
    b += 9;
    size_t n;
    if (*b == '"') {
        b++;
        const char *e = strchr(b, '"');
        if (!e)
            return false;
        n = (size_t)(e - b);
    } else {
        n = strcspn(b, "; \t");
    }
    if (n == 0 || n > 70)
        return false;
    memcpy(out, b, n);
    out[n] = 0;
    return true;
}

static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0 || hlen < nlen)
        return NULL;
    return memmem(hay, hlen, needle, nlen);
}

/* Value of param (name= or filename=) in a Content-Disposition line, unquoted. */
static bool disposition_param(const char *line, size_t len, const char *param, char *out, size_t outsz)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl + 1 < len; i++) {
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') && strncasecmp(line + i, param, pl) == 0 &&
            line[i + pl] == '=') {
            const char *v = line + i + pl + 1, *end = line + len;
            size_t n = 0;
            if (v < end && *v == '"') {
                v++;
                while (v + n < end && v[n] != '"')
                    n++;
                if (v + n >= end)
                    return false;
            } else {
                while (v + n < end && v[n] != ';')
                    n++;
            }
            if (n >= outsz)
                return false;
            memcpy(out, v, n);
            out[n] = 0;
            return true;
        }
    }
    return false;
}

int multipart_parse(const char *body, size_t len, const char *boundary, struct mpart *parts, int max)
{
    char delim[84];
    int dl = snprintf(delim, sizeof delim, "--%s", boundary);
    const char *p = body, *end = body + len;
    /* the first delimiter, at the start (a preamble is allowed) */
    const char *d = find(p, len, delim, (size_t)dl);
    if (!d)
        return -1;
    p = d + dl;
    int n = 0;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return n; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return -1;
        p += 2;
        if (n >= max)
            return -1;
        struct mpart *m = &parts[n];
        memset(m, 0, sizeof *m);
        bool named = false;
        /* headers until an empty line */
        for (;;) {
            const char *eol = find(p, (size_t)(end - p), "\r\n", 2);
            if (!eol)
                return -1;
            size_t ll = (size_t)(eol - p);
            if (ll == 0) {
                p = eol + 2;
                break;
            }
            if (ll > 1024)
                return -1;
            if (ll > 20 && strncasecmp(p, "Content-Disposition:", 20) == 0) {
                char fn[256];
                if (!disposition_param(p + 20, ll - 20, "name", m->name, sizeof m->name))
                    return -1;
                named = true;
                if (disposition_param(p + 20, ll - 20, "filename", fn, sizeof fn)) {
                    m->is_file = true;
                    /* keep only the last path component: a name never reaches the file system anyway */
                    const char *base = fn;
                    for (const char *c = fn; *c; c++)
                        if (*c == '/' || *c == '\\')
                            base = c + 1;
                    snprintf(m->filename, sizeof m->filename, "%s", base);
                }
            }
            p = eol + 2;
        }
        if (!named)
            return -1;
        /* data until CRLF + delimiter */
        char crd[88];
        int cl = snprintf(crd, sizeof crd, "\r\n%s", delim);
        const char *stop = find(p, (size_t)(end - p), crd, (size_t)cl);
        if (!stop)
            return -1;
        m->data = p;
        m->len = (size_t)(stop - p);
        n++;
        p = stop + cl;
    }
}
