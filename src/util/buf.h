/* buf.h: the one growable byte buffer of dvk.
 *
 * Ownership: a struct buf owns b->p. buf_detach() hands the bytes to the
 * caller (free() them) and leaves the buffer empty. b->p is always
 * NUL-terminated once anything was added, so it can be used as a C string.
 * Small allocation failures abort (see xmalloc); sizes a user controls are
 * checked by the caller before they reach a buffer. */
#ifndef DVK_BUF_H
#define DVK_BUF_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
    char *p;
    size_t len, cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_add(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' escaped: text and attribute values of HTML, SVG and XML
 * alike (NULL appends nothing). The HTML renderer's html_escape is this. */
void buf_xml_escape(struct buf *b, const char *s);
void buf_reset(struct buf *b);
char *buf_detach(struct buf *b); /* never NULL: "" for an empty buffer */
const char *buf_cstr(struct buf *b); /* "" for an empty buffer */
/* Appends the bytes of the file at path (a file dvk wrote itself: its size is dvk's).
 * 0, or -1 when it cannot be read (b is then as it was). */
int buf_add_file(struct buf *b, const char *path);
void buf_free(struct buf *b);

/* Makes room for element n of the array *p (elements of size elem, capacity *cap),
 * doubling it when full (from 8). Returns the array: assign it back, as with realloc. */
void *grow(void *p, int *cap, int n, size_t elem);

/* Allocation that aborts on failure: only for sizes dvk itself bounds. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* FNV-1a over n bytes, continuing from h (HASH_START for a first part): for hash tables. */
#define HASH_START 14695981039346656037u
uint64_t hash_bytes(const void *p, size_t n, uint64_t h);

#endif
