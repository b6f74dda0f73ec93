/* edge.h: text at the edge of a request — the query string, a form body and a
 * multipart body read into struct rq, each value checked and normalized once.
 *
 * Every value a request brings (query pair, path segment, form field, upload part
 * and its file name; JSON strings are api_body's) must be valid UTF-8 text
 * (text_valid: no control characters either), or the request is refused with a
 * 400 before any handler runs. Text that may be stored is put in NFC here, so
 * that no handler can store decomposed text; trimming stays with the fields.
 * Results live in the request's pool (rq_alloc). */
#ifndef DVK_EDGE_H
#define DVK_EDGE_H
#include <stdbool.h>
#include <stddef.h>
#include "http/http.h"

enum { EDGE_OK = 0, EDGE_TOO_MANY = -1, EDGE_BAD_TEXT = -2, EDGE_MALFORMED = -3 };

/* Decodes %XX and '+' in s[0..len) into a pool string; NULL when the result is not valid text. */
const char *edge_url_decode(struct rq *r, const char *s, size_t len);
/* Parses a=b&c=d into kv (at most RQ_MAX_KV pairs, *n counts them), values in NFC when
 * nfc (except a password's). EDGE_BAD_TEXT when a key or value is not valid UTF-8 text,
 * EDGE_TOO_MANY past RQ_MAX_KV pairs. */
int edge_pairs(struct rq *r, const char *s, size_t len, struct kv *kv, int *n, bool nfc);
/* Splits r->body, a multipart/form-data body whose Content-Type is ctype: text parts into
 * r->form (in NFC), files into r->files (the data points into the body). EDGE_BAD_TEXT
 * when a field name, a text part or a file name is not valid UTF-8 text; EDGE_MALFORMED
 * otherwise. */
int edge_multipart(struct rq *r, const char *ctype);

#endif
