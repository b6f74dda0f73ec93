/* sheet.c: the spreadsheet row reader: format sniffing, row assembly and CSV (libcsv).
 * XLSX is in sheet_xlsx.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <csv.h>
#include "util/sheet_int.h"

#define MiB (1024 * 1024)

const struct sheet_limits sheet_default_limits = {
    .cell_bytes = 1 * MiB,
    .row_bytes = 64 * MiB,
    .columns = 16384,
    .sheet_bytes = 2048ULL * MiB,
    .part_bytes = 64 * MiB,
    .sst_bytes = 64 * MiB,
    .sst_count = 10 * 1000 * 1000,
    .token_bytes = 32 * MiB,
};

const char *sheet_size_text(uint64_t n, char out[32])
{
    if (n >= MiB)
        snprintf(out, 32, "%llu MiB", (unsigned long long)(n / MiB));
    else if (n >= 1024)
        snprintf(out, 32, "%llu KiB", (unsigned long long)(n / 1024));
    else
        snprintf(out, 32, "%llu bytes", (unsigned long long)n);
    return out;
}

void sheet_err(char *err, size_t errsz, const char *sentence, const char *detail_fmt, ...)
{
    if (!err || errsz == 0)
        return;
    if (!detail_fmt) {
        snprintf(err, errsz, "%s", sentence);
        return;
    }
    char detail[512];
    va_list ap;
    va_start(ap, detail_fmt);
    vsnprintf(detail, sizeof detail, detail_fmt, ap);
    va_end(ap);
    snprintf(err, errsz, "%s (%s)", sentence, detail);
}

/* ---- row assembly ------------------------------------------------------ */

void rowbuf_start(struct sheet_rowbuf *rb)
{
    buf_reset(&rb->text);
    rb->ncols = 0;
}

int rowbuf_set(struct sheet_rowbuf *rb, int col, const char *s, size_t len, const struct sheet_limits *lim)
{
    if (len + 1 > lim->row_bytes - rb->text.len)
        return -1;
    if (col >= rb->capcols) {
        int cap = rb->capcols ? rb->capcols * 2 : 16;
        while (cap <= col)
            cap *= 2;
        rb->off = xrealloc(rb->off, (size_t)cap * sizeof *rb->off);
        rb->num = xrealloc(rb->num, (size_t)cap * sizeof *rb->num);
        rb->capcols = cap;
    }
    for (; rb->ncols <= col; rb->ncols++)
        rb->off[rb->ncols] = SIZE_MAX;
    rb->num[col] = 0;
    size_t at = rb->text.len;
    buf_add(&rb->text, s, len);
    buf_putc(&rb->text, 0);
    /* The row is handed out as C strings: a NUL inside a cell would silently cut it short.
     * SUB keeps the cell visibly wrong, and text_valid() rejects it with row and column. */
    char *p = rb->text.p + at, *end = p + len;
    while ((p = memchr(p, 0, (size_t)(end - p))) != NULL)
        *p++ = 0x1A;
    rb->off[col] = at;
    return 0;
}

void rowbuf_number(struct sheet_rowbuf *rb, int col)
{
    if (col < rb->ncols && rb->off[col] != SIZE_MAX)
        rb->num[col] = 1;
}

int rowbuf_emit(struct sheet_rowbuf *rb, int64_t row, sheet_row_fn fn, void *ctx)
{
    int n = rb->ncols;
    while (n > 0 && (rb->off[n - 1] == SIZE_MAX || rb->text.p[rb->off[n - 1]] == 0))
        n--;
    if (n > rb->capcells) {
        rb->cells = xrealloc(rb->cells, (size_t)n * sizeof *rb->cells);
        rb->nums = xrealloc(rb->nums, (size_t)n * sizeof *rb->nums);
        rb->capcells = n;
    }
    for (int i = 0; i < n; i++) {
        rb->cells[i] = rb->off[i] == SIZE_MAX ? "" : rb->text.p + rb->off[i];
        rb->nums[i] = rb->off[i] == SIZE_MAX ? 0 : rb->num[i];
    }
    struct sheet_row r = {.row = row, .n = n, .cells = rb->cells, .number = rb->nums};
    return fn(ctx, &r);
}

void rowbuf_free(struct sheet_rowbuf *rb)
{
    buf_free(&rb->text);
    free(rb->off);
    free(rb->num);
    free(rb->cells);
    free(rb->nums);
    memset(rb, 0, sizeof *rb);
}

/* ---- CSV --------------------------------------------------------------- */

#define CSV_CHUNK (64 * 1024)
#define SNIFF_BYTES 4096 /* the delimiter is guessed from this much of the start of the file */
#define SNIFF_LINES 20

/* The delimiter whose count per line (outside quotes) is the same on the most of the first
 * non-empty lines: a file saved by Vietnamese Excel uses ';' and has decimal commas inside
 * its fields, and a title line above the header may have no delimiter at all. Ties go to
 * the delimiter with more columns, then to ','. */
static char guess_delim(const char *s, size_t len, bool whole)
{
    static const char cand[3] = {',', ';', '\t'};
    int counts[SNIFF_LINES][3];
    int cur[3] = {0, 0, 0}, nlines = 0;
    bool quoted = false, started = false;
    if (len > SNIFF_BYTES) {
        len = SNIFF_BYTES;
        whole = false;
    }
    for (size_t i = 0; i < len && nlines < SNIFF_LINES; i++) {
        char c = s[i];
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            if (started)
                memcpy(counts[nlines++], cur, sizeof cur);
            memset(cur, 0, sizeof cur);
            started = false;
            continue;
        } else if (!quoted) {
            for (int k = 0; k < 3; k++)
                cur[k] += c == cand[k];
        }
        started = true;
    }
    /* a line cut off by the sample's end counts only when it is all there is */
    if (started && nlines < SNIFF_LINES && (whole || nlines == 0))
        memcpy(counts[nlines++], cur, sizeof cur);

    char best = ',';
    int best_score = 0, best_mode = 0;
    for (int k = 0; k < 3; k++) {
        int mode = 0, mode_lines = 0;
        for (int i = 0; i < nlines; i++) {
            int v = counts[i][k], same = 0;
            if (v == 0)
                continue;
            for (int j = 0; j < nlines; j++)
                same += counts[j][k] == v;
            if (same > mode_lines || (same == mode_lines && v > mode)) {
                mode = v;
                mode_lines = same;
            }
        }
        if (mode_lines > best_score || (mode_lines == best_score && mode > best_mode)) {
            best = cand[k];
            best_score = mode_lines;
            best_mode = mode;
        }
    }
    return best;
}

struct csv_reader {
    struct sheet_rowbuf rb;
    const struct sheet_limits *lim;
    sheet_row_fn fn;
    void *ctx;
    int ncells;    /* fields of the record being read */
    int64_t row;   /* records delivered */
    int last_term; /* the character that ended the previous record */
    int rc;        /* the callback's stop value, or -1 with err filled */
    char *err;
    size_t errsz;
};

static void csv_field(void *s, size_t len, void *data)
{
    struct csv_reader *c = data;
    char size[32];
    if (c->rc)
        return;
    if (c->ncells >= c->lim->columns) {
        sheet_err(c->err, c->errsz, SHEET_E_CSV, "row %lld has more than %d columns", (long long)c->row + 1,
                  c->lim->columns);
        c->rc = -1;
    } else if (len > c->lim->cell_bytes) {
        sheet_err(c->err, c->errsz, SHEET_E_CSV, "row %lld: a field is longer than %s", (long long)c->row + 1,
                  sheet_size_text(c->lim->cell_bytes, size));
        c->rc = -1;
    } else if (rowbuf_set(&c->rb, c->ncells++, s ? s : "", len, c->lim) < 0) {
        sheet_err(c->err, c->errsz, SHEET_E_CSV, "row %lld holds more than %s of text", (long long)c->row + 1,
                  sheet_size_text(c->lim->row_bytes, size));
        c->rc = -1;
    }
}

/* libcsv, with CSV_REPALL_NL, ends a record at every CR and every LF outside quotes, so that
 * blank lines are seen; the LF of a CRLF then arrives as an extra empty record, dropped here. */
static void csv_record(int term, void *data)
{
    struct csv_reader *c = data;
    if (c->rc)
        return;
    if (term == '\n' && c->ncells == 0 && c->last_term == '\r') {
        c->last_term = term;
        return;
    }
    c->last_term = term;
    c->rc = rowbuf_emit(&c->rb, ++c->row, c->fn, c->ctx);
    c->ncells = 0;
    rowbuf_start(&c->rb);
}

static int no_space(unsigned char ch)
{
    (void)ch;
    return 0; /* keep spaces (the importer trims) and let tab be a delimiter */
}

static int read_csv(FILE *f, sheet_row_fn fn, sheet_progress_fn progress, void *ctx, char *err, size_t errsz,
                    const struct sheet_limits *lim)
{
    struct csv_reader c = {.lim = lim, .fn = fn, .ctx = ctx, .err = err, .errsz = errsz};
    struct csv_parser p;
    bool parser = false;
    struct stat st;
    uint64_t total = fstat(fileno(f), &st) == 0 ? (uint64_t)st.st_size : 0, done = 0;
    unsigned char *chunk = xmalloc(CSV_CHUNK);

    size_t n = fread(chunk, 1, CSV_CHUNK, f), skip = 0;
    if (n >= 2 && ((chunk[0] == 0xFF && chunk[1] == 0xFE) || (chunk[0] == 0xFE && chunk[1] == 0xFF))) {
        sheet_err(err, errsz, SHEET_E_UTF16, NULL);
        c.rc = -1;
        goto out;
    }
    if (n >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF)
        skip = 3;
    if (csv_init(&p, CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
        sheet_err(err, errsz, SHEET_E_READ, "out of memory");
        c.rc = -1;
        goto out;
    }
    parser = true;
    csv_set_delim(&p, (unsigned char)guess_delim((const char *)chunk + skip, n - skip, n < CSV_CHUNK));
    csv_set_space_func(&p, no_space);
    /* libcsv grows a field by blk_size at a time: 128 bytes by default makes long fields quadratic */
    csv_set_blk_size(&p, CSV_CHUNK);

    while (n > 0) {
        if (csv_parse(&p, chunk + skip, n - skip, csv_field, csv_record, &c) != n - skip && !c.rc) {
            sheet_err(err, errsz, SHEET_E_READ, "%s", csv_strerror(csv_error(&p)));
            c.rc = -1;
        }
        if (c.rc)
            goto out;
        /* a field still open this long is a quotation mark never closed: stop before it eats memory */
        if (csv_get_buffer_size(&p) > lim->cell_bytes + CSV_CHUNK) {
            char size[32];
            sheet_err(err, errsz, SHEET_E_CSV, "row %lld: a field is longer than %s (a quotation mark not closed?)",
                      (long long)c.row + 1, sheet_size_text(lim->cell_bytes, size));
            c.rc = -1;
            goto out;
        }
        done += n;
        if (progress)
            progress(ctx, done, total > done ? total : done);
        n = fread(chunk, 1, CSV_CHUNK, f);
        skip = 0;
    }
    if (ferror(f)) {
        sheet_err(err, errsz, SHEET_E_READ, "%s", strerror(errno));
        c.rc = -1;
        goto out;
    }
    csv_fini(&p, csv_field, csv_record, &c);

out:
    if (parser)
        csv_free(&p);
    rowbuf_free(&c.rb);
    free(chunk);
    return c.rc;
}

/* ---- dispatch ---------------------------------------------------------- */

static const unsigned char zip_magic[4] = {'P', 'K', 3, 4};
static const unsigned char ole2_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

static enum sheet_format sniff_magic(const unsigned char *m, size_t n)
{
    if (n >= sizeof zip_magic && memcmp(m, zip_magic, sizeof zip_magic) == 0)
        return SHEET_XLSX;
    if (n >= sizeof ole2_magic && memcmp(m, ole2_magic, sizeof ole2_magic) == 0)
        return SHEET_UNKNOWN;
    return SHEET_CSV;
}

enum sheet_format sheet_sniff(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return SHEET_UNKNOWN;
    unsigned char m[8];
    size_t n = fread(m, 1, sizeof m, f);
    fclose(f);
    return sniff_magic(m, n);
}

int sheet_read_limited(const char *path, sheet_row_fn fn, sheet_progress_fn progress, void *ctx, char *err,
                       size_t errsz, const struct sheet_limits *lim)
{
    if (err && errsz)
        err[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        sheet_err(err, errsz, SHEET_E_OPEN, "%s", strerror(errno));
        return -1;
    }
    unsigned char m[8];
    size_t n = fread(m, 1, sizeof m, f);
    int rc;
    switch (sniff_magic(m, n)) {
    case SHEET_XLSX:
        fclose(f);
        return sheet_read_xlsx(path, fn, progress, ctx, err, errsz, lim);
    case SHEET_UNKNOWN:
        sheet_err(err, errsz, SHEET_E_XLS, NULL);
        rc = -1;
        break;
    default:
        rewind(f);
        rc = read_csv(f, fn, progress, ctx, err, errsz, lim);
        break;
    }
    fclose(f);
    return rc;
}

int sheet_read(const char *path, sheet_row_fn fn, sheet_progress_fn progress, void *ctx, char *err, size_t errsz)
{
    return sheet_read_limited(path, fn, progress, ctx, err, errsz, &sheet_default_limits);
}
