/* gzip.h: gzip compression of response bodies (zlib), and the HTTP question of whether
 * a client takes gzip. */
#ifndef DVK_GZIP_H
#define DVK_GZIP_H
#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"

/* Appends data compressed in the gzip format (RFC 1952) at zlib's level `level` (1-9) to
 * out. 0, or -1 when zlib fails (out is then as it was). */
int gzip_compress(const void *data, size_t len, int level, struct buf *out);

/* True when an Accept-Encoding header value (NULL: none) accepts gzip: "gzip" or "*" as
 * a token whose q is not 0 (RFC 9110 §12.5.3; case does not matter). */
bool gzip_accepted(const char *accept_encoding);

#endif
