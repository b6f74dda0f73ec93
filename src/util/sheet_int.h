/* sheet_int.h: what sheet.c (CSV, dispatch) and sheet_xlsx.c share; not for other callers,
 * except tests, which read with small limits through sheet_read_limited(). */
#ifndef DVK_SHEET_INT_H
#define DVK_SHEET_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"
#include "util/sheet.h"

/* Bounds against hostile or broken files. Each one is far above what a real register of
 * models needs (Excel itself stops at 16384 columns and 32767 characters a cell). */
struct sheet_limits {
    size_t cell_bytes;    /* text of one cell or one shared string */
    size_t row_bytes;     /* text of all cells of one row */
    int columns;          /* columns of a row (XLSX: highest column index + 1) */
    uint64_t sheet_bytes; /* uncompressed worksheet, counted as it is read (zip bombs) */
    uint64_t part_bytes;  /* uncompressed workbook.xml, rels, styles.xml */
    uint64_t sst_bytes;   /* text of all shared strings together */
    int sst_count;        /* number of shared strings */
    uint64_t token_bytes; /* XML that expat may buffer without reporting anything (one huge tag) */
};

extern const struct sheet_limits sheet_default_limits;

/* sheet_read() with other limits. */
int sheet_read_limited(const char *path, sheet_row_fn fn, sheet_progress_fn progress, void *ctx, char *err,
                       size_t errsz, const struct sheet_limits *lim);

int sheet_read_xlsx(const char *path, sheet_row_fn fn, sheet_progress_fn progress, void *ctx, char *err, size_t errsz,
                    const struct sheet_limits *lim);

/* The row being assembled. Cells may be set in any order and more than once (the last
 * text wins); columns never set are "". */
struct sheet_rowbuf {
    struct buf text;    /* the cells' texts, each NUL-terminated */
    size_t *off;        /* per column: offset of its text in text, or SIZE_MAX */
    unsigned char *num; /* per column: an XLSX number (rowbuf_number) */
    int ncols, capcols; /* columns set so far (highest index + 1), capacity of off */
    const char **cells; /* built by rowbuf_emit, with nums */
    unsigned char *nums;
    int capcells;
};

void rowbuf_start(struct sheet_rowbuf *rb);
/* Sets column col (0-based, below lim->columns) to s[0..len); a NUL byte becomes 0x1A.
 * Returns -1, setting nothing, when the row's text would pass lim->row_bytes. */
int rowbuf_set(struct sheet_rowbuf *rb, int col, const char *s, size_t len, const struct sheet_limits *lim);
/* Marks column col, just set, as holding a number (sheet_row.number). */
void rowbuf_number(struct sheet_rowbuf *rb, int col);
/* Hands the row to fn as row number row; returns what fn returns. */
int rowbuf_emit(struct sheet_rowbuf *rb, int64_t row, sheet_row_fn fn, void *ctx);
void rowbuf_free(struct sheet_rowbuf *rb);

/* A limit for a message: "64 MiB", "32 KiB", "5 bytes" (rounded down). */
const char *sheet_size_text(uint64_t n, char out[32]);

/* Writes "sentence" or "sentence (detail)" into err. */
void sheet_err(char *err, size_t errsz, const char *sentence, const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
