/* gzip.c: gzip bodies with zlib; reading Accept-Encoding. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include "util/gzip.h"

int gzip_compress(const void *data, size_t len, int level, struct buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip header and trailer instead of zlib's */
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t bound = deflateBound(&z, (uLong)len);
    /* room for the whole result at once: deflate then finishes in one call */
    char *room = xmalloc(bound);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)room;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t n = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(room);
        return -1;
    }
    buf_add(out, room, n);
    free(room);
    return 0;
}

bool gzip_accepted(const char *ae)
{
    if (!ae)
        return false;
    const char *p = ae;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t n = (size_t)(p - tok);
        bool named = (n == 4 && strncasecmp(tok, "gzip", 4) == 0) || (n == 1 && *tok == '*');
        /* parameters: only q matters; q=0 (0, 0.0, 0.000) refuses */
        bool refused = false;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ' || *p == '\t')
                    p++;
                if ((*p == 'q' || *p == 'Q') && p[1] == '=') {
                    const char *v = p + 2;
                    if (*v == '0') {
                        refused = true;
                        for (v++; *v == '.' || *v == '0'; v++)
                            ;
                        if (isdigit((unsigned char)*v))
                            refused = false;
                    }
                }
                continue;
            }
            p++;
        }
        if (named && !refused)
            return true;
    }
    return false;
}
