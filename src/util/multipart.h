/* multipart.h: a multipart/form-data body split into its parts (RFC 7578).
 * Parts point into the body: nothing is copied, the body must outlive them. */
#ifndef DVK_MULTIPART_H
#define DVK_MULTIPART_H
#include <stdbool.h>
#include <stddef.h>

struct mpart {
    char name[64];      /* the form field's name */
    char filename[256]; /* "" for a plain field; any path part removed */
    bool is_file;
    const char *data;
    size_t len;
};

/* Boundary from a Content-Type header value into out (≤ 70 chars); false when absent or malformed. */
bool multipart_boundary(const char *content_type, char out[80]);
/* Splits body into at most max parts. Returns the count, or -1 when the body is malformed. */
int multipart_parse(const char *body, size_t len, const char *boundary, struct mpart *parts, int max);

#endif
