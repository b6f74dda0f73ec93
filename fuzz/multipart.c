/* multipart.c: fuzz target for multipart/form-data uploads: util/multipart.c and the
 * request edge that reads a body into form fields and files (http/edge.c).
 * Input: a Content-Type header value, a line break, then the body. */
#include <string.h>
#include "fuzz.h"
#include "http/edge.h"
#include "util/multipart.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    char *ctype = xstrndup((const char *)data, (size_t)(nl - data));
    size_t blen = size - (size_t)(nl - data) - 1;
    /* the body as the server keeps it: a NUL-terminated copy */
    char *body = xstrndup((const char *)nl + 1, blen);

    char boundary[80];
    if (multipart_boundary(ctype, boundary)) {
        fuzz_check(strlen(boundary) > 0 && strlen(boundary) <= 70, "multipart_boundary: length out of range");
        struct mpart parts[8];
        int n = multipart_parse(body, blen, boundary, parts, 8);
        fuzz_check(n >= -1 && n <= 8, "multipart_parse: count out of range");
        for (int i = 0; i < n; i++) {
            fuzz_check(parts[i].data >= body && parts[i].data + parts[i].len <= body + blen,
                       "multipart_parse: a part outside the body");
            fuzz_check(strlen(parts[i].name) < sizeof parts[i].name && strlen(parts[i].filename) < sizeof parts[i].filename,
                       "multipart_parse: a name not terminated");
            fuzz_check(!strchr(parts[i].filename, '/') && !strchr(parts[i].filename, '\\'),
                       "multipart_parse: a file name with a path");
        }
    }

    struct rq *r = fuzz_rq_new(NULL, NULL, 0);
    r->body = body;
    r->body_len = blen;
    int rc = edge_multipart(r, ctype);
    fuzz_check(rc == EDGE_OK || rc == EDGE_BAD_TEXT || rc == EDGE_MALFORMED, "edge_multipart: unknown result");
    if (rc == EDGE_OK) {
        fuzz_check(r->nform <= RQ_MAX_KV && r->nfiles <= RQ_MAX_FILES, "edge_multipart: too many parts kept");
        for (int i = 0; i < r->nform; i++)
            fuzz_check(text_valid(r->form[i].key, strlen(r->form[i].key)) &&
                           text_valid(r->form[i].val, strlen(r->form[i].val)),
                       "edge_multipart: a form field that is not valid text");
        for (int i = 0; i < r->nfiles; i++)
            fuzz_check(text_valid(r->files[i].filename, strlen(r->files[i].filename)) &&
                           r->files[i].data >= body && r->files[i].data + r->files[i].len <= body + blen,
                       "edge_multipart: a bad file part");
        /* what a handler then does with the form */
        (void)rq_form(r, "csrf");
        (void)rq_form(r, "dry_run");
    }
    fuzz_rq_free(r);
    free(body);
    free(ctype);
    return 0;
}
