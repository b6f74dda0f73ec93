/* sheet_xlsx.c: the XLSX side of the row reader. Finds the first visible worksheet through
 * xl/workbook.xml and its relationships, loads the shared strings and which styles show
 * dates, then streams the worksheet out of the zip through expat, one row at a time.
 *
 * Every part is read in chunks and counted as it inflates: a zip header's sizes are only
 * a claim. Element and attribute names are matched by local name, so a workbook written
 * with prefixes (<x:row>) or in Strict OOXML's namespaces reads the same. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <expat.h>
#include <zip.h>
#include "util/sheet_int.h"
#include "util/text.h"

#define CHUNK (64 * 1024)    /* bytes read from the zip at a time, and the progress step */
#define NS_SEP '|'           /* expat's separator in "namespace|local"; never part of an XML name */
#define MAX_PATH 1024        /* a part name inside the zip */
#define MAX_STYLES (1 << 20) /* cell formats and number formats (Excel stops at 64000) */
#define SHEET_FALLBACK "xl/worksheets/sheet1.xml"

struct xlsx {
    zip_t *z;
    const struct sheet_limits *lim;
    char *err;
    size_t errsz;
    int rc;           /* -1 with err filled, or the row callback's stop value */
    XML_Parser xp;    /* the parser of the part being read */
    const char *part; /* that part's name, for messages */
    XML_Index seen;   /* byte index of the last event expat reported in it */
    void *state;      /* the part reader's own state */

    bool date1904;
    struct buf sst;  /* the shared strings, each NUL-terminated */
    size_t *sst_off; /* where each starts in sst */
    int nsst, capsst;
    bool *date_xf; /* per cell format (the s attribute of a cell): shows a date */
    int nxf;
};

static void xfail(struct xlsx *x, const char *sentence, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records the first failure and stops the parser that is running, if any. A NULL fmt: the
 * sentence alone. */
static void xfail(struct xlsx *x, const char *sentence, const char *fmt, ...)
{
    if (x->rc)
        return;
    x->rc = -1;
    if (!fmt) {
        sheet_err(x->err, x->errsz, sentence, NULL);
        return;
    }
    char detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (x->xp) {
        sheet_err(x->err, x->errsz, sentence, "%s line %lu: %s", x->part,
                  (unsigned long)XML_GetCurrentLineNumber(x->xp), detail);
        XML_StopParser(x->xp, XML_FALSE);
    } else {
        sheet_err(x->err, x->errsz, sentence, "%s", detail);
    }
}

static const char *local(const char *name)
{
    const char *sep = strrchr(name, NS_SEP);
    return sep ? sep + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
    for (; *atts; atts += 2)
        if (strcmp(local(atts[0]), name) == 0)
            return atts[1];
    return NULL;
}

static bool is_true(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* Non-negative decimal integer, all of s; -1 otherwise or when above max. */
static long long parse_index(const char *s, long long max)
{
    long long v = 0;
    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > max)
            return -1;
    }
    return v;
}

/* Remembers where expat is: parse_part() refuses to let it buffer too much without an event. */
static void touch(struct xlsx *x)
{
    x->seen = XML_GetCurrentByteIndex(x->xp);
}

/* OOXML has no use for a DTD; refusing one rules out entity expansion bombs. */
static void no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    xfail(ud, SHEET_E_XLSX, "a DOCTYPE is not allowed");
}

/* Streams the part at zip index idx through a new expat parser calling start, end and text
 * with x as user data, reading at most max uncompressed bytes. Calls progress after each
 * chunk when given. Returns x->rc: 0, -1 with err filled, or the row callback's value. */
static int parse_part(struct xlsx *x, zip_int64_t idx, const char *name, uint64_t max, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler text, sheet_progress_fn progress, void *pctx)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->z, (zip_uint64_t)idx, 0, &st) != 0) {
        xfail(x, SHEET_E_XLSX, "%s: %s", name, zip_strerror(x->z));
        return x->rc;
    }
    bool claimed = st.valid & ZIP_STAT_SIZE;
    uint64_t size = claimed ? st.size : max;
    if (size > max) {
        char a[32], b[32];
        xfail(x, SHEET_E_LARGE, "%s is %s uncompressed; at most %s can be read", name, sheet_size_text(size, a),
              sheet_size_text(max, b));
        return x->rc;
    }
    zip_file_t *zf = zip_fopen_index(x->z, (zip_uint64_t)idx, 0);
    if (!zf) {
        xfail(x, SHEET_E_XLSX, "%s: %s", name, zip_strerror(x->z));
        return x->rc;
    }
    XML_Parser xp = XML_ParserCreateNS(NULL, NS_SEP);
    if (!xp) {
        zip_fclose(zf);
        xfail(x, SHEET_E_READ, "out of memory");
        return x->rc;
    }
    XML_SetUserData(xp, x);
    XML_SetElementHandler(xp, start, end);
    XML_SetCharacterDataHandler(xp, text);
    XML_SetStartDoctypeDeclHandler(xp, no_doctype);
    x->xp = xp;
    x->part = name;
    x->seen = 0;

    char *chunk = xmalloc(CHUNK), limit[32];
    uint64_t done = 0;
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, CHUNK);
        if (n < 0) {
            xfail(x, SHEET_E_XLSX, "%s", zip_file_strerror(zf));
            break;
        }
        done += (uint64_t)n;
        if (done > size) {
            if (claimed)
                xfail(x, SHEET_E_XLSX, "it inflates to more than its zip header says");
            else
                xfail(x, SHEET_E_LARGE, "more than %s uncompressed", sheet_size_text(max, limit));
            break;
        }
        if (n == 0 && claimed && done < size) {
            xfail(x, SHEET_E_XLSX, "it is shorter than its zip header says");
            break;
        }
        if (XML_Parse(xp, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            xfail(x, SHEET_E_XLSX, "%s", XML_ErrorString(XML_GetErrorCode(xp)));
            break;
        }
        if (x->rc)
            break;
        /* expat keeps an unfinished tag or comment whole in memory: a file made of one huge
         * tag would have it hold the entire part */
        if (done - (uint64_t)(x->seen > 0 ? x->seen : 0) > x->lim->token_bytes) {
            xfail(x, SHEET_E_XLSX, "more than %s of XML without the end of a tag",
                  sheet_size_text(x->lim->token_bytes, limit));
            break;
        }
        if (progress && n > 0)
            progress(pctx, done, size);
        if (n == 0)
            break;
    }
    free(chunk);
    XML_ParserFree(xp);
    x->xp = NULL;
    zip_fclose(zf);
    return x->rc;
}

static void no_text(void *ud, const XML_Char *s, int len)
{
    (void)s, (void)len;
    touch(ud);
}

static void no_end(void *ud, const XML_Char *name)
{
    (void)name;
    touch(ud);
}

/* ---- cell text ------------------------------------------------------------ */

/* Excel writes characters XML cannot carry as _xHHHH_ (a CR is _x000D_) and a literal "_x"
 * that looks like one as _x005F_x. Decodes s[0..len) in place (a code point takes at most
 * 3 bytes of the 7 it replaces) and returns the new length. NUL becomes SUB, as in sheet.c. */
static size_t unescape_x(char *s, size_t len)
{
    size_t i = 0, o = 0;
    while (i < len) {
        int h[4];
        if (s[i] == '_' && i + 7 <= len && s[i + 1] == 'x' && s[i + 6] == '_' && (h[0] = text_hex_digit(s[i + 2])) >= 0 &&
            (h[1] = text_hex_digit(s[i + 3])) >= 0 && (h[2] = text_hex_digit(s[i + 4])) >= 0 && (h[3] = text_hex_digit(s[i + 5])) >= 0) {
            unsigned cp = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
            if (cp == 0)
                cp = 0x1A;
            if (cp < 0x80) {
                s[o++] = (char)cp;
            } else if (cp < 0x800) {
                s[o++] = (char)(0xC0 | cp >> 6);
                s[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                s[o++] = (char)(0xE0 | cp >> 12);
                s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                s[o++] = (char)(0x80 | (cp & 0x3F));
            }
            i += 7;
        } else {
            s[o++] = s[i++];
        }
    }
    if (o < len)
        s[o] = 0;
    return o;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Excel's serial day number (the text of a <v>) as YYYY-MM-DD in out. The 1900 system counts
 * 1900-01-01 as day 1 and keeps Lotus 1-2-3's phantom 1900-02-29 as day 60 (shown as such);
 * the 1904 system counts 1904-01-01 as day 0. A time of day is dropped. False when v is
 * not a number, or is a time alone (below day 1 in the 1900 system), or after 9999. */
static bool serial_date(const char *v, bool date1904, char out[32])
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !isfinite(d))
        return false;
    /* half a millisecond: a formula's midnight can come out a hair below the whole day */
    d = floor(d + 0.5 / 86400000.0);
    if (d < (date1904 ? 0 : 1) || d > 3e6)
        return false;
    long serial = (long)d, n; /* n: days since 1900-01-01 */
    if (date1904) {
        n = serial + 4 * 365;
    } else if (serial == 60) {
        strcpy(out, "1900-02-29");
        return true;
    } else {
        n = serial < 60 ? serial - 1 : serial - 2;
    }
    int y = 1900 + 400 * (int)(n / 146097); /* every 400 years have the same 146097 days */
    n %= 146097;
    for (int len; n >= (len = leap(y) ? 366 : 365); y++)
        n -= len;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 0;
    for (int len; n >= (len = mdays[m] + (m == 1 && leap(y))); m++)
        n -= len;
    if (y > 9999)
        return false;
    snprintf(out, 32, "%04d-%02d-%02d", y, m + 1, (int)n + 1);
    return true;
}

/* ---- xl/workbook.xml and its relationships ------------------------------ */

struct wb_state {
    char *rid;       /* relationship id of the first visible sheet */
    char *first_rid; /* of the first sheet, should all be hidden */
};

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    struct wb_state *w = x->state;
    touch(x);
    const char *el = local(name);
    if (strcmp(el, "workbookPr") == 0) {
        x->date1904 = is_true(attr(atts, "date1904"));
    } else if (strcmp(el, "sheet") == 0) {
        const char *id = NULL, *state = attr(atts, "state");
        for (const XML_Char **a = atts; *a; a += 2)
            if (strchr(a[0], NS_SEP) && strcmp(local(a[0]), "id") == 0)
                id = a[1];
        if (!id)
            return;
        if (!w->first_rid)
            w->first_rid = xstrndup(id, strnlen(id, 255));
        /* a hidden sheet (a lookup list, say) is not what the user sees first in Excel */
        if (!w->rid && (!state || strcmp(state, "visible") == 0))
            w->rid = xstrndup(id, strnlen(id, 255));
    }
}

struct rels_state {
    const char *rid;
    char *sheet, *sst, *styles; /* targets, as written */
};

static bool type_is(const char *type, const char *last)
{
    const char *slash = type ? strrchr(type, '/') : NULL;
    return slash && strcmp(slash + 1, last) == 0;
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    struct rels_state *r = x->state;
    touch(x);
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    const char *mode = attr(atts, "TargetMode");
    if (!target || (mode && strcmp(mode, "External") == 0))
        return;
    char **slot = NULL;
    if (id && r->rid && strcmp(id, r->rid) == 0)
        slot = &r->sheet;
    else if (type_is(type, "sharedStrings"))
        slot = &r->sst;
    else if (type_is(type, "styles"))
        slot = &r->styles;
    if (slot && !*slot)
        *slot = xstrndup(target, strnlen(target, MAX_PATH));
}

/* The zip entry name of a target related from xl/workbook.xml: relative to xl/ ("worksheets/
 * sheet1.xml", "../xl/worksheets/sheet1.xml") or from the package root ("/xl/worksheets/..."). */
static void resolve_target(const char *target, char out[MAX_PATH])
{
    char path[MAX_PATH + 4];
    snprintf(path, sizeof path, "%s%s", target[0] == '/' ? "" : "xl/", target);
    size_t o = 0;
    out[0] = 0;
    for (char *seg = path, *next; seg; seg = next) {
        next = strchr(seg, '/');
        if (next)
            *next++ = 0;
        if (!*seg || strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            o = o > 0 ? o - 1 : 0;
            out[o] = 0;
            continue;
        }
        int w = snprintf(out + o, MAX_PATH - o, "%s%s", o ? "/" : "", seg);
        if (w < 0 || (size_t)w >= MAX_PATH - o) {
            out[0] = 0;
            return;
        }
        o += (size_t)w;
    }
}

static zip_int64_t locate(struct xlsx *x, const char *name)
{
    return zip_name_locate(x->z, name, ZIP_FL_NOCASE);
}

/* ---- xl/sharedStrings.xml ------------------------------------------------ */

struct sst_state {
    bool in_si, in_t;
    int rph;         /* depth of <rPh>: phonetic guides, not part of the text */
    struct buf text; /* of the <si> being read */
};

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    struct sst_state *s = x->state;
    (void)atts;
    touch(x);
    const char *el = local(name);
    if (strcmp(el, "si") == 0) {
        s->in_si = true;
        s->rph = 0;
        buf_reset(&s->text);
    } else if (strcmp(el, "rPh") == 0) {
        s->rph++;
    } else if (strcmp(el, "t") == 0) {
        s->in_t = s->in_si && s->rph == 0;
    }
}

static void sst_text(void *ud, const XML_Char *t, int len)
{
    struct xlsx *x = ud;
    struct sst_state *s = x->state;
    touch(x);
    if (!s->in_t)
        return;
    if ((size_t)len > x->lim->cell_bytes - s->text.len) {
        char limit[32];
        xfail(x, SHEET_E_LARGE, "shared string %d is longer than %s", x->nsst,
              sheet_size_text(x->lim->cell_bytes, limit));
        return;
    }
    buf_add(&s->text, t, (size_t)len);
}

static void sst_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    struct sst_state *s = x->state;
    touch(x);
    const char *el = local(name);
    if (strcmp(el, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(el, "rPh") == 0) {
        s->rph--;
    } else if (strcmp(el, "si") == 0 && s->in_si) {
        char limit[32];
        s->in_si = false;
        size_t len = s->text.len ? unescape_x(s->text.p, s->text.len) : 0;
        if (x->nsst >= x->lim->sst_count) {
            xfail(x, SHEET_E_LARGE, "more than %d shared strings", x->lim->sst_count);
            return;
        }
        if (len + 1 > x->lim->sst_bytes - x->sst.len) {
            xfail(x, SHEET_E_LARGE, "more than %s of shared strings", sheet_size_text(x->lim->sst_bytes, limit));
            return;
        }
        x->sst_off = grow(x->sst_off, &x->capsst, x->nsst, sizeof *x->sst_off);
        x->sst_off[x->nsst++] = x->sst.len;
        buf_add(&x->sst, s->text.p ? s->text.p : "", len);
        buf_putc(&x->sst, 0);
    }
}

/* ---- xl/styles.xml: which cell formats show dates ------------------------- */

struct numfmt {
    int id;
    bool date;
};

struct styles_state {
    bool in_numfmts, in_cellxfs;
    struct numfmt *fmts;
    int nfmts, capfmts;
    int *xf_fmt; /* numFmtId of each cell format */
    int nxf, capxf;
};

/* Built-in number formats that show a date: 14-17 and 22 everywhere, the rest in East Asian
 * locales. The time-only ones (18-21, 45-47) are not dates. */
static bool builtin_is_date(int id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 58);
}

/* Whether a format code shows a day, month or year. Quoted text, [brackets] (colour, locale,
 * elapsed [h]), escaped and padding characters and AM/PM are not letters of the format.
 * "m" is minutes right after an hour or right before seconds ("h:mm", "mm:ss"), as in Excel. */
static bool code_is_date(const char *s)
{
    char tok[64]; /* d m y h s, one per run of the same letter */
    int nt = 0;
    for (const char *p = s; *p && nt < (int)sizeof tok; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (*p == '"' || *p == '[') {
            p = strchr(p + 1, *p == '"' ? '"' : ']');
            if (!p)
                break;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (!*++p)
                break;
        } else if (strncasecmp(p, "am/pm", 5) == 0) {
            p += 4;
        } else if (strncasecmp(p, "a/p", 3) == 0) {
            p += 2;
        } else if (strchr("dmyhs", c)) {
            tok[nt++] = c;
            while (tolower((unsigned char)p[1]) == c)
                p++;
        }
    }
    for (int i = 0; i < nt; i++) {
        if (tok[i] == 'd' || tok[i] == 'y')
            return true;
        if (tok[i] == 'm' && !(i > 0 && tok[i - 1] == 'h') && !(i + 1 < nt && tok[i + 1] == 's'))
            return true;
    }
    return false;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    struct styles_state *s = x->state;
    touch(x);
    const char *el = local(name);
    if (strcmp(el, "numFmts") == 0) {
        s->in_numfmts = true;
    } else if (strcmp(el, "cellXfs") == 0) {
        s->in_cellxfs = true;
    } else if (strcmp(el, "numFmt") == 0 && s->in_numfmts) { /* <dxf> has numFmts too: not these */
        long long id = parse_index(attr(atts, "numFmtId"), 1 << 30);
        const char *code = attr(atts, "formatCode");
        if (id < 0 || !code)
            return;
        if (s->nfmts >= MAX_STYLES) {
            xfail(x, SHEET_E_LARGE, "more than %d number formats", MAX_STYLES);
            return;
        }
        s->fmts = grow(s->fmts, &s->capfmts, s->nfmts, sizeof *s->fmts);
        s->fmts[s->nfmts++] = (struct numfmt){(int)id, code_is_date(code)};
    } else if (strcmp(el, "xf") == 0 && s->in_cellxfs) {
        if (s->nxf >= MAX_STYLES) {
            xfail(x, SHEET_E_LARGE, "more than %d cell formats", MAX_STYLES);
            return;
        }
        long long id = parse_index(attr(atts, "numFmtId"), 1 << 30);
        s->xf_fmt = grow(s->xf_fmt, &s->capxf, s->nxf, sizeof *s->xf_fmt);
        s->xf_fmt[s->nxf++] = id < 0 ? 0 : (int)id;
    }
}

static void styles_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    struct styles_state *s = x->state;
    touch(x);
    const char *el = local(name);
    if (strcmp(el, "numFmts") == 0)
        s->in_numfmts = false;
    else if (strcmp(el, "cellXfs") == 0)
        s->in_cellxfs = false;
}

/* Fills x->date_xf once the whole of styles.xml is read (numFmts may come in any order). */
static void styles_resolve(struct xlsx *x, const struct styles_state *s)
{
    x->nxf = s->nxf;
    x->date_xf = xcalloc((size_t)s->nxf, sizeof *x->date_xf);
    for (int i = 0; i < s->nxf; i++) {
        int id = s->xf_fmt[i], j;
        for (j = 0; j < s->nfmts && s->fmts[j].id != id; j++)
            ;
        x->date_xf[i] = j < s->nfmts ? s->fmts[j].date : builtin_is_date(id);
    }
}

/* ---- the worksheet ------------------------------------------------------- */

struct ws_state {
    sheet_row_fn fn;
    void *ctx;
    bool in_row, in_c, in_v, in_is, in_t;
    int rph;
    int64_t row, next_row;
    int col, next_col;
    char type[12];  /* the cell's t attribute: s str inlineStr b n e d */
    int style;      /* its s attribute */
    char ref[32];   /* its name ("B3"), for messages */
    struct buf val; /* the text of its <v>, or of the <t>s of its <is> */
    struct sheet_rowbuf rb;
};

/* 0-based column of a cell reference ("B3" → 1, "AA10" → 26); -1 when it starts with no
 * letter, INT_MAX-ish when absurdly far (the caller applies the column limit). */
static int ref_col(const char *r)
{
    long col = 0;
    int i = 0;
    for (; isalpha((unsigned char)r[i]); i++) {
        col = col * 26 + (toupper((unsigned char)r[i]) - 'A' + 1);
        if (col > 1L << 24)
            return 1 << 24;
    }
    return i ? (int)col - 1 : -1;
}

/* "B3" for column 1, row 3. */
static void cell_name(int col, int64_t row, char out[32])
{
    char letters[8];
    int n = 0;
    for (col++; col > 0 && n < (int)sizeof letters; col = (col - 1) / 26)
        letters[n++] = (char)('A' + (col - 1) % 26);
    int o = 0;
    while (n > 0)
        out[o++] = letters[--n];
    snprintf(out + o, (size_t)(32 - o), "%lld", (long long)row);
}

static void ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    struct ws_state *w = x->state;
    touch(x);
    const char *el = local(name);
    if (strcmp(el, "row") == 0) {
        const char *r = attr(atts, "r");
        if (r) {
            long long n = parse_index(r, INT32_MAX);
            if (n < 1) {
                xfail(x, SHEET_E_XLSX, "row number \"%.20s\" is not valid", r);
                return;
            }
            /* Rows come in ascending order (ECMA-376; Excel refuses a file where they do
             * not): a row given twice or backwards would be two rows with one number. */
            if (n < w->next_row) {
                xfail(x, SHEET_E_XLSX, "row %lld comes after row %lld", n, (long long)w->next_row - 1);
                return;
            }
            w->row = n;
        } else {
            w->row = w->next_row;
        }
        w->next_row = w->row + 1;
        w->next_col = 0;
        w->in_row = true;
        rowbuf_start(&w->rb);
    } else if (strcmp(el, "c") == 0 && w->in_row) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        int col = r ? ref_col(r) : -1;
        w->col = col >= 0 ? col : w->next_col;
        if (w->col >= x->lim->columns) {
            xfail(x, SHEET_E_XLSX, "cell %.20s is beyond column %d", r ? r : "", x->lim->columns);
            return;
        }
        cell_name(w->col, w->row, w->ref);
        snprintf(w->type, sizeof w->type, "%s", t ? t : "n");
        long long si = parse_index(s, INT32_MAX);
        w->style = si < 0 ? 0 : (int)si;
        buf_reset(&w->val);
        w->in_c = true;
        w->rph = 0;
    } else if (!w->in_c) {
        return;
    } else if (strcmp(el, "v") == 0) {
        w->in_v = true;
    } else if (strcmp(el, "is") == 0) {
        w->in_is = true;
    } else if (strcmp(el, "rPh") == 0) {
        w->rph++;
    } else if (strcmp(el, "t") == 0) {
        w->in_t = w->in_is && w->rph == 0;
    }
}

static void ws_text(void *ud, const XML_Char *t, int len)
{
    struct xlsx *x = ud;
    struct ws_state *w = x->state;
    touch(x);
    if (!w->in_v && !w->in_t)
        return;
    if ((size_t)len > x->lim->cell_bytes - w->val.len) {
        char limit[32];
        xfail(x, SHEET_E_LARGE, "cell %s holds more than %s of text", w->ref,
              sheet_size_text(x->lim->cell_bytes, limit));
        return;
    }
    buf_add(&w->val, t, (size_t)len);
}

/* The text a finished cell delivers, from its type, value and style. */
static void ws_cell(struct xlsx *x, struct ws_state *w)
{
    char *v = w->val.p ? w->val.p : "", date[32];
    size_t len = w->val.len;
    const char *t = w->type, *out = v;
    bool number = false;
    if (strcmp(t, "s") == 0) {
        long long i = parse_index(v, INT32_MAX);
        if (i < 0 || i >= x->nsst) {
            xfail(x, SHEET_E_XLSX, "cell %s refers to shared string \"%.20s\", which does not exist", w->ref, v);
            return;
        }
        out = x->sst.p + x->sst_off[i];
        len = strlen(out);
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
        len = unescape_x(v, len);
    } else if (strcmp(t, "b") == 0) {
        if (strcmp(v, "1") == 0 || strcmp(v, "0") == 0) {
            out = v[0] == '1' ? "TRUE" : "FALSE";
            len = strlen(out);
        }
    } else if (strcmp(t, "d") == 0) {
        if (len > 10 && v[4] == '-' && v[10] == 'T') /* an ISO 8601 date and time: the date */
            len = 10;
    } else if (strcmp(t, "e") != 0 && w->style < x->nxf && x->date_xf[w->style] && serial_date(v, x->date1904, date)) {
        out = date;
        len = 10;
    } else {
        number = strcmp(t, "n") == 0 && len > 0;
    }
    if (rowbuf_set(&w->rb, w->col, out, len, x->lim) < 0) {
        char limit[32];
        xfail(x, SHEET_E_LARGE, "row %lld holds more than %s of text", (long long)w->row,
              sheet_size_text(x->lim->row_bytes, limit));
    } else if (number) {
        rowbuf_number(&w->rb, w->col);
    }
}

static void ws_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    struct ws_state *w = x->state;
    touch(x);
    const char *el = local(name);
    if (strcmp(el, "row") == 0 && w->in_row) {
        w->in_row = false;
        int rc = rowbuf_emit(&w->rb, w->row, w->fn, w->ctx);
        if (rc && !x->rc) {
            x->rc = rc;
            XML_StopParser(x->xp, XML_FALSE);
        }
    } else if (!w->in_c) {
        return;
    } else if (strcmp(el, "c") == 0) {
        ws_cell(x, w);
        w->next_col = w->col + 1;
        w->in_c = w->in_v = w->in_is = w->in_t = false;
    } else if (strcmp(el, "v") == 0) {
        w->in_v = false;
    } else if (strcmp(el, "is") == 0) {
        w->in_is = false;
    } else if (strcmp(el, "rPh") == 0) {
        w->rph--;
    } else if (strcmp(el, "t") == 0) {
        w->in_t = false;
    }
}

/* ---- reading a workbook ---------------------------------------------------- */

/* Says what a zip without xl/workbook.xml is, when it is an OpenDocument spreadsheet. */
static bool is_ods(struct xlsx *x)
{
    static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
    zip_int64_t i = locate(x, "mimetype");
    zip_file_t *zf = i >= 0 ? zip_fopen_index(x->z, (zip_uint64_t)i, 0) : NULL;
    if (!zf)
        return false;
    char m[sizeof ods];
    zip_int64_t n = zip_fread(zf, m, sizeof m - 1);
    zip_fclose(zf);
    return n == (zip_int64_t)sizeof m - 1 && memcmp(m, ods, sizeof m - 1) == 0;
}

int sheet_read_xlsx(const char *path, sheet_row_fn fn, sheet_progress_fn progress, void *ctx, char *err, size_t errsz,
                    const struct sheet_limits *lim)
{
    struct xlsx x = {.lim = lim, .err = err, .errsz = errsz};
    struct wb_state wb = {0};
    struct rels_state rels = {0};
    struct sst_state sst = {0};
    struct styles_state styles = {0};
    struct ws_state ws = {.fn = fn, .ctx = ctx, .next_row = 1};
    char name[MAX_PATH] = "";
    int zerr = 0;

    x.z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!x.z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        xfail(&x, SHEET_E_XLSX, "%s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return x.rc;
    }

    zip_int64_t i = locate(&x, "xl/workbook.xml");
    if (i < 0) {
        if (is_ods(&x))
            xfail(&x, SHEET_E_ODS, NULL);
        else
            xfail(&x, SHEET_E_XLSX, "the archive has no xl/workbook.xml");
        goto out;
    }
    x.state = &wb;
    if (parse_part(&x, i, "xl/workbook.xml", lim->part_bytes, wb_start, no_end, no_text, NULL, NULL))
        goto out;
    rels.rid = wb.rid ? wb.rid : wb.first_rid;
    if ((i = locate(&x, "xl/_rels/workbook.xml.rels")) >= 0) {
        x.state = &rels;
        if (parse_part(&x, i, "xl/_rels/workbook.xml.rels", lim->part_bytes, rels_start, no_end, no_text, NULL, NULL))
            goto out;
    }

    resolve_target(rels.sst ? rels.sst : "sharedStrings.xml", name);
    if (name[0] && (i = locate(&x, name)) >= 0) {
        x.state = &sst;
        /* memory is bounded by the text's own limits, whatever the markup around it */
        if (parse_part(&x, i, name, lim->sheet_bytes, sst_start, sst_end, sst_text, NULL, NULL))
            goto out;
    }

    resolve_target(rels.styles ? rels.styles : "styles.xml", name);
    if (name[0] && (i = locate(&x, name)) >= 0) {
        x.state = &styles;
        if (parse_part(&x, i, name, lim->part_bytes, styles_start, styles_end, no_text, NULL, NULL))
            goto out;
        styles_resolve(&x, &styles);
    }

    i = -1;
    if (rels.sheet) {
        resolve_target(rels.sheet, name);
        if (name[0])
            i = locate(&x, name);
    }
    if (i < 0) {
        snprintf(name, sizeof name, "%s", SHEET_FALLBACK);
        i = locate(&x, name);
    }
    if (i < 0) {
        xfail(&x, SHEET_E_XLSX, "the workbook has no worksheet");
        goto out;
    }
    x.state = &ws;
    parse_part(&x, i, name, lim->sheet_bytes, ws_start, ws_end, ws_text, progress, ctx);

out:
    zip_discard(x.z);
    free(wb.rid);
    free(wb.first_rid);
    free(rels.sheet);
    free(rels.sst);
    free(rels.styles);
    buf_free(&sst.text);
    free(styles.fmts);
    free(styles.xf_fmt);
    buf_free(&ws.val);
    rowbuf_free(&ws.rb);
    buf_free(&x.sst);
    free(x.sst_off);
    free(x.date_xf);
    return x.rc;
}
