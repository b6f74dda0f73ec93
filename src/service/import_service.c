/* import_service.c: models from the spreadsheets provinces already keep.
 *
 * The file is read row by row (util/sheet.h). The header row is found among the first
 * rows by the names of its columns (sheet_layout.h); a row of sub-headers under merged
 * cells is folded into it. Each data row becomes a model: units are matched by code or by
 * name within their parent, in the catalogue the row's date belongs to, and old units are
 * carried to the new ones after the 2025 merger. A row names its model by the file's key
 * (or a key derived from its title and unit), so importing the same file again changes
 * nothing and an edited file updates what changed. Everything happens in one transaction;
 * the first problem stops the writing, and reading goes on to report every problem. */
#include <ctype.h>
#include <math.h>
#include <search.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core/unit.h"
#include "http/i18n.h"
#include "service/import_service.h"
#include "service/sheet_layout.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/sheet.h"
#include "util/text.h"

#define HEADER_SCAN_ROWS 50
#define MERGER_DATE "2025-07-01"

/* ---- the catalogue, in memory for matching by name -------------------------------- */

struct iunit {
    int h, level;
    char code[32], parent[32];
    char *name, *key;  /* key: sheet_place_key(name) */
    int child0, nchild; /* children: units[child0 .. child0 + nchild) */
};

struct catalogue {
    struct iunit *u;
    int n, cap;
    int roots[2][2]; /* [h - 2024]: first province, count */
    struct hsearch_data by_code;
    char *codes;     /* "h:code" keys, NUL-separated, owned */
    bool hashed;
};

static int cat_add(struct catalogue *c, int h, const struct unit *x)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 1024;
        c->u = xrealloc(c->u, (size_t)c->cap * sizeof *c->u);
    }
    struct iunit *u = &c->u[c->n];
    memset(u, 0, sizeof *u);
    u->h = h;
    u->level = x->level;
    snprintf(u->code, sizeof u->code, "%s", x->code);
    snprintf(u->parent, sizeof u->parent, "%s", x->parent_code);
    u->name = xstrdup(x->name);
    u->key = sheet_place_key(x->name);
    return c->n++;
}

/* Loads provinces, districts and communes of hierarchy h breadth first, so that the
 * children of each unit sit together. */
static int cat_load(struct store *st, struct catalogue *c, int h)
{
    struct unit_list l = {0};
    if (st->ops->unit_children(st, h, NULL, &l) != ST_OK)
        return SVC_ERROR;
    int first = c->n;
    for (int i = 0; i < l.n; i++)
        cat_add(c, h, &l.items[i]);
    unit_list_free(&l);
    c->roots[h - 2024][0] = first;
    c->roots[h - 2024][1] = c->n - first;
    for (int i = first; i < c->n; i++) {
        if (c->u[i].level >= unit_commune_level(h))
            continue; /* villages are matched by code only */
        if (st->ops->unit_children(st, h, c->u[i].code, &l) != ST_OK)
            return SVC_ERROR;
        c->u[i].child0 = c->n;
        c->u[i].nchild = l.n;
        for (int k = 0; k < l.n; k++)
            cat_add(c, h, &l.items[k]);
        unit_list_free(&l);
    }
    return SVC_OK;
}

static int cat_open(struct store *st, struct catalogue *c)
{
    memset(c, 0, sizeof *c);
    if (cat_load(st, c, 2024) || cat_load(st, c, 2025))
        return SVC_ERROR;
    if (!hcreate_r((size_t)c->n * 2 + 16, &c->by_code))
        return SVC_ERROR;
    c->hashed = true;
    struct buf keys = BUF_INIT;
    for (int i = 0; i < c->n; i++)
        buf_printf(&keys, "%d:%s%c", c->u[i].h, c->u[i].code, 0);
    c->codes = buf_detach(&keys);
    char *k = c->codes;
    for (int i = 0; i < c->n; i++) {
        ENTRY e = {k, (void *)(intptr_t)i}, *found;
        hsearch_r(e, ENTER, &found, &c->by_code);
        k += strlen(k) + 1;
    }
    return SVC_OK;
}

static void cat_close(struct catalogue *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->u[i].name);
        free(c->u[i].key);
    }
    free(c->u);
    free(c->codes);
    if (c->hashed)
        hdestroy_r(&c->by_code);
}

static bool iu_district(const struct iunit *u)
{
    return u->h == 2024 && u->level == 2;
}

static bool iu_commune(const struct iunit *u)
{
    return u->level == unit_commune_level(u->h);
}

static struct iunit *cat_get(struct catalogue *c, int h, const char *code)
{
    char key[48];
    snprintf(key, sizeof key, "%d:%s", h, code);
    ENTRY e = {key, NULL}, *found = NULL;
    if (!hsearch_r(e, FIND, &found, &c->by_code) || !found)
        return NULL;
    return &c->u[(intptr_t)found->data];
}

/* ---- where each unit sits (cached: files list thousands of models per unit) ---------- */

struct placed {
    char key[40];
    struct model_place place;
    char *unit_name, *unit_path;
    int level;
};

struct place_cache {
    struct placed *p;
    int n, cap;
    struct hsearch_data idx;
    bool ready;
};

/* The place of hierarchy/code: fills m's place, unit name and path; false for an unknown unit. */
static bool place_of(struct store *st, struct place_cache *pc, struct model *m)
{
    /* a model whose new commune was chosen (a split old commune) is placed on its own */
    if (m->commune_2025[0])
        return svc_model_place(st, m) == SVC_OK;
    char key[40];
    snprintf(key, sizeof key, "%d:%s", m->hierarchy, m->unit_code);
    ENTRY e = {key, NULL}, *found = NULL;
    if (pc->ready && hsearch_r(e, FIND, &found, &pc->idx) && found) {
        struct placed *p = &pc->p[(intptr_t)found->data];
        m->place = p->place;
        model_set_str(&m->unit_name, p->unit_name);
        model_set_str(&m->unit_path, p->unit_path);
        return true;
    }
    if (svc_model_place(st, m) != SVC_OK)
        return false;
    if (!pc->ready) {
        if (!hcreate_r(65536, &pc->idx))
            return true;
        pc->ready = true;
        pc->cap = 32768; /* a hash table of glibc cannot grow: stop caching when it is half full */
        pc->p = xmalloc((size_t)pc->cap * sizeof *pc->p);
    }
    if (pc->n < pc->cap) {
        struct placed *p = &pc->p[pc->n];
        snprintf(p->key, sizeof p->key, "%s", key);
        p->place = m->place;
        p->unit_name = m->unit_name ? xstrdup(m->unit_name) : NULL;
        p->unit_path = m->unit_path ? xstrdup(m->unit_path) : NULL;
        ENTRY ne = {p->key, (void *)(intptr_t)pc->n};
        if (hsearch_r(ne, ENTER, &found, &pc->idx))
            pc->n++;
    }
    return true;
}

static void place_cache_free(struct place_cache *pc)
{
    for (int i = 0; i < pc->n; i++) {
        free(pc->p[i].unit_name);
        free(pc->p[i].unit_path);
    }
    free(pc->p);
    if (pc->ready)
        hdestroy_r(&pc->idx);
}

/* ---- the words offices write ------------------------------------------------------ */

static const char *const field_aliases[FIELD_COUNT] = {
    NULL, "kinh te|kt|linh vuc kinh te",
    "van hoa xa hoi|van hoa|vh xh|vhxh|linh vuc van hoa xa hoi",
    "quoc phong an ninh|an ninh quoc phong|qp an|qpan|an ninh trat tu|linh vuc quoc phong an ninh",
    "xay dung he thong chinh tri|he thong chinh tri|xd htct|htct|linh vuc xay dung he thong chinh tri"};
static const char *const kind_aliases[KIND_COUNT] = {NULL, "tap the|tt|to chuc", "ca nhan|cn"};
static const char *const level_aliases[LEVEL_COUNT] = {NULL, "tinh|cap tinh|thanh pho", "huyen|cap huyen|quan",
                                                       "xa|cap xa|phuong|co so"};
static const char *const status_aliases[STATUS_COUNT] = {
    NULL, "nhap|ban nhap", "dang ky|da dang ky|moi dang ky", "duoc chon|da chon|lua chon", "khong duoc chon|loai|tu choi",
    "dang thuc hien|dang trien khai|trien khai", "da tham dinh|tham dinh", "da cong nhan|cong nhan|dat",
    "khong cong nhan|khong dat", "rut|da rut|rut dang ky"};
static const char *const owner_aliases[OWNER_COUNT] = {NULL, "to chuc|tap the|don vi", "ca nhan|nguoi"};

/* ---- the import's state ----------------------------------------------------------- */

struct colmap {
    int col;            /* enum sheet_col */
    char indicator[32]; /* COL_RESULT */
    int year;           /* COL_RESULT: year in the header, 0 when none */
    char label[96];     /* "C (Lĩnh vực)" */
};

struct import {
    struct store *st;
    const struct actor *a;
    const struct import_opts *o;
    struct import_report *r;
    struct catalogue cat;
    struct place_cache places;
    struct indicator *ind;
    int nind;
    /* header */
    int64_t header_row;
    char **header;      /* the header row's cells (kept until the next row shows whether it has sub-headers) */
    int nheader;
    bool header_final;
    struct colmap *cols;
    int ncols;
    bool has[COL_COUNT];
    int section_field;  /* from a heading row "I. LĨNH VỰC KINH TẾ" */
    bool csv;           /* the file is a CSV (not a workbook) */
    int num_lang;       /* how numbers written as text are read: the header's language (header_lang) */
    bool writing;       /* a real run with no problem so far, inside the transaction */
    bool deferred;      /* the models' indexes are built again before the commit */
    bool moved_in;      /* models were moved in with other codes or references (named_model) */
    char memo_val[COL_COUNT][8][48]; /* words met in a column of words, and their meanings */
    int memo_res[COL_COUNT][8];
    int memo_next[COL_COUNT];
    bool missing_said[COL_COUNT];
    uint64_t done, total;
    char today[11];
};

/* Copies src into dst (size bytes); a longer text is cut at a character boundary and ends
 * with "…", so that what is cut stays valid UTF-8 (the report goes out as JSON and HTML). */
static void copy_cut(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n < size) {
        memcpy(dst, src, n + 1);
        return;
    }
    n = size - sizeof "…";
    while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
        n--;
    memcpy(dst, src, n);
    memcpy(dst + n, "…", sizeof "…");
}

static void problem(struct import *im, int64_t row, const char *column, const char *value, const char *msg,
                    const char *detail)
{
    struct import_report *r = im->r;
    r->nproblems++;
    im->writing = false;
    if (r->nkept >= IMPORT_PROBLEMS_KEPT)
        return;
    if (!r->problems)
        r->problems = xmalloc(IMPORT_PROBLEMS_KEPT * sizeof *r->problems);
    struct import_problem *p = &r->problems[r->nkept++];
    memset(p, 0, sizeof *p);
    p->row = row;
    copy_cut(p->column, sizeof p->column, column ? column : "");
    copy_cut(p->value, sizeof p->value, value ? value : ""); /* the value as found */
    if (!text_valid(p->value, strlen(p->value)))
        snprintf(p->value, sizeof p->value, "%s", "?");
    p->msg = msg;
    copy_cut(p->detail, sizeof p->detail, detail ? detail : "");
    /* details quote the file's own bytes (an XML fragment, a name): shown, they must be text */
    text_sanitize(p->column);
    text_sanitize(p->detail);
}

static void col_letter(int j, char out[8])
{
    char tmp[8];
    int n = 0;
    for (j++; j > 0 && n < 7; j = (j - 1) / 26)
        tmp[n++] = (char)('A' + (j - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* ---- finding the header ------------------------------------------------------------ */

static int count_known(struct import *im, const struct sheet_row *row, bool *has_title)
{
    int k = 0;
    *has_title = false;
    for (int j = 0; j < row->n; j++) {
        char ind[32];
        int y;
        if (!row->cells[j][0] || !text_valid(row->cells[j], strlen(row->cells[j])))
            continue;
        int c = sheet_col_of(row->cells[j], im->ind, im->nind, ind, &y);
        if (c != COL_NONE && c != COL_ROWNUM)
            k++;
        if (c == COL_TITLE)
            *has_title = true;
    }
    return k;
}

static void keep_header(struct import *im, const struct sheet_row *row)
{
    im->header = xmalloc((size_t)(row->n ? row->n : 1) * sizeof *im->header);
    im->nheader = row->n;
    for (int j = 0; j < row->n; j++)
        im->header[j] = text_valid(row->cells[j], strlen(row->cells[j])) ? text_nfc_trim(row->cells[j]) : xstrdup("");
    im->header_row = row->row;
}

/* The language numbers written as text are read in: English when the header is the one
 * dvk export writes in English (its CSV has "1,234.5"), else Vietnamese ("1.234,5"; a
 * Swedish "1 234,5" reads the same). Offices' own files are Vietnamese. */
static int header_lang(const struct import *im)
{
    int votes[LANG_COUNT] = {0};
    for (int j = 0; j < im->nheader; j++) {
        if (!im->header[j][0])
            continue;
        char *f = text_fold(im->header[j]);
        for (int i = 0; i < sheet_ncols; i++)
            for (int l = 0; l < LANG_COUNT; l++) {
                char *t = text_fold(T(l, sheet_cols[i].header));
                votes[l] += strcmp(f, t) == 0;
                free(t);
            }
        free(f);
    }
    return votes[LANG_EN] > votes[LANG_VI] && votes[LANG_EN] > votes[LANG_SV] ? LANG_EN : LANG_VI;
}

/* "C (Lĩnh vực)": the column's letter and its header, the header cut to fit the label. */
static void set_label(struct colmap *cm, const char *letter, const char *header)
{
    char h[sizeof cm->label];
    copy_cut(h, sizeof cm->label - strlen(letter) - 3, header);
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s (%s)", letter, h);
    copy_cut(cm->label, sizeof cm->label, b.p);
    buf_free(&b);
}

/* Maps the columns from the header and, when sub is not NULL, the sub-header row below it
 * (merged cells: a group's name in the header, its parts under it). */
static void map_columns(struct import *im, const struct sheet_row *sub)
{
    int n = im->nheader;
    if (sub && sub->n > n)
        n = sub->n;
    im->cols = xcalloc((size_t)(n ? n : 1), sizeof *im->cols);
    im->ncols = n;
    const char *group = "";
    int *strength = xcalloc((size_t)(n ? n : 1), sizeof *strength);
    bool *named = xcalloc((size_t)(n ? n : 1), sizeof *named);
    for (int j = 0; j < n; j++) {
        struct colmap *cm = &im->cols[j];
        const char *top = j < im->nheader ? im->header[j] : "";
        if (*top)
            group = top;
        char *below = NULL;
        if (sub && j < sub->n && text_valid(sub->cells[j], strlen(sub->cells[j])))
            below = text_nfc_trim(sub->cells[j]);
        char letter[8];
        col_letter(j, letter);
        named[j] = (below && *below) || *top;
        if (below && *below) {
            /* "Số hộ" over "2024", or "Địa bàn" over "Xã": the part alone, else with its group */
            struct buf both = BUF_INIT;
            buf_printf(&both, "%s %s", group, below);
            int c2 = sheet_col_match(both.p, im->ind, im->nind, cm->indicator, &cm->year, &strength[j]);
            if (c2 == COL_RESULT) {
                cm->col = c2;
                set_label(cm, letter, both.p ? both.p : below);
            } else {
                cm->col = sheet_col_match(below, im->ind, im->nind, cm->indicator, &cm->year, &strength[j]);
                set_label(cm, letter, below);
            }
            buf_free(&both);
        } else if (*top) {
            cm->col = sheet_col_match(top, im->ind, im->nind, cm->indicator, &cm->year, &strength[j]);
            set_label(cm, letter, top);
        } else {
            snprintf(cm->label, sizeof cm->label, "%s", letter);
        }
        free(below);
        /* "Năm" alone is the results year; "Năm đăng ký" only starts like it */
        if (cm->col == COL_RESULT_YEAR && strength[j] < 1 << 16)
            cm->col = COL_NONE;
    }
    /* the same indicator and year twice ("Số hộ", "Số hộ tham gia"): the column its header names
     * best counts, the first of equals; the other is listed as not used */
    for (int j = 0; j < n; j++)
        for (int k = 0; k < j && im->cols[j].col == COL_RESULT; k++)
            if (im->cols[k].col == COL_RESULT && im->cols[k].year == im->cols[j].year &&
                strcmp(im->cols[k].indicator, im->cols[j].indicator) == 0) {
                if (strength[j] > strength[k])
                    im->cols[k].col = COL_NONE;
                else
                    im->cols[j].col = COL_NONE;
            }
    /* a column named twice: the one its header names best counts ("Tên mô hình" rather than
     * "Tên đơn vị", which only starts like a title), the first of equals; the others are
     * listed as not used */
    for (int j = 0; j < n; j++) {
        struct colmap *cm = &im->cols[j];
        if (cm->col == COL_NONE || cm->col == COL_RESULT || cm->col == COL_ROWNUM)
            continue;
        for (int k = 0; k < j && cm->col != COL_NONE; k++) {
            if (im->cols[k].col != cm->col)
                continue;
            if (strength[j] > strength[k])
                im->cols[k].col = COL_NONE;
            else
                cm->col = COL_NONE;
        }
    }
    for (int j = 0; j < n; j++) {
        struct colmap *cm = &im->cols[j];
        if (cm->col != COL_NONE)
            im->has[cm->col] = true;
        else if (named[j]) {
            struct import_report *r = im->r;
            r->ignored = xrealloc(r->ignored, (size_t)(r->nignored + 1) * sizeof *r->ignored);
            r->ignored[r->nignored++] = xstrdup(cm->label);
        }
    }
    free(strength);
    free(named);
    im->num_lang = header_lang(im);
    im->header_final = true;
}

/* Whether s is a year as a sub-header writes it under a result's group ("2024", " 2024 "). */
static bool is_year(const char *s)
{
    while (*s == ' ')
        s++;
    int n = 0;
    while (isdigit((unsigned char)s[n]))
        n++;
    for (const char *p = s + n; *p; p++)
        if (*p != ' ')
            return false;
    int y = n == 4 ? atoi(s) : 0;
    return y >= 1990 && y <= 2100;
}

/* Whether a row under the header names columns rather than holding a model: column names,
 * or years under the group of a result ("Số hộ tham gia" merged over "2023" and "2024",
 * which alone looks like a numbering row). */
static bool is_subheader(struct import *im, const struct sheet_row *row)
{
    int named = 0, filled = 0, years = 0;
    const char *group = "";
    for (int j = 0; j < row->n; j++) {
        if (j < im->nheader && im->header[j][0])
            group = im->header[j];
        if (!row->cells[j][0])
            continue;
        filled++;
        char ind[32];
        int y;
        if (!text_valid(row->cells[j], strlen(row->cells[j])))
            continue;
        /* a sub-header names a column with the whole cell ("Xã", "Số hộ"); a data cell may only
         * start like one ("Xã Tam An", "Mô hình trồng quế") */
        int strength = 0;
        if (sheet_col_match(row->cells[j], im->ind, im->nind, ind, &y, &strength) != COL_NONE && strength >= 1 << 16)
            named++;
        else if (is_year(row->cells[j]) && sheet_col_of(group, im->ind, im->nind, ind, &y) == COL_RESULT)
            named++, years++;
    }
    return (named >= 2 && 2 * named >= filled) || (years && named == filled);
}

/* ---- reading cells ----------------------------------------------------------------- */

/* The cell's text, NFC and trimmed (malloc'd); NULL with a problem for invalid UTF-8. */
static char *cell_text(struct import *im, int64_t row, const struct colmap *cm, const char *raw)
{
    if (!text_valid(raw, strlen(raw))) {
        problem(im, row, cm->label, raw, N_("The text is not valid UTF-8: save the file as UTF-8 (CSV UTF-8 in Excel)."),
                NULL);
        return NULL;
    }
    char *t = text_nfc_trim(raw);
    /* "'=…": in a CSV, a text the export protected from being run as a formula */
    if (im->csv && t[0] == '\'' && t[1] && strchr("=+-@'", t[1]))
        memmove(t, t + 1, strlen(t));
    return t;
}

/* An XLSX number cell's text ("1234.5", "1E-3"): '.' is its decimal point, whatever the language. */
static bool parse_number_cell(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return end != s && !*end && isfinite(*out);
}

static bool parse_date_cell(const char *s, char out[11])
{
    if (date_parse_any(s, out))
        return true;
    /* "2025-07-01 00:00:00" and "01/07/2025 0:00" */
    char head[11];
    size_t n = strcspn(s, " T");
    if (n == 10 && s[n]) {
        memcpy(head, s, 10);
        head[10] = 0;
        if (date_parse_any(head, out))
            return true;
    }
    /* an Excel serial number: "45839" or "45839.0" */
    char *end;
    double v = strtod(s, &end);
    if (end != s && !*end && isdigit((unsigned char)s[0]) && v >= 20000 && v < 80000)
        return date_from_excel(v, out);
    return false;
}

static int parse_bool_cell(const char *s)
{
    char *f = text_fold(s);
    static const char *const yes = "|x|co|yes|y|1|true|dung|v|dien hinh|ja|sant|cong khai|";
    static const char *const no = "|khong|no|n|0|false|sai|nej|falskt|";
    char pat[160];
    snprintf(pat, sizeof pat, "|%s|", f);
    int r = !*f ? 0 : strstr(yes, pat) ? 1 : strstr(no, pat) ? 0 : -1;
    if (r < 0 && (strcmp(s, "✓") == 0 || strcmp(s, "✔") == 0 || strcmp(s, "☑") == 0))
        r = 1;
    free(f);
    return r;
}

/* ---- matching the unit ------------------------------------------------------------- */

struct where {
    const char *code, *province, *district, *commune;
    int hierarchy; /* from the file, 0 when not given */
};

static bool key_eq(const struct iunit *u, const char *key)
{
    return strcmp(u->key, key) == 0;
}

/* Adds a unit to the candidates a problem's detail lists, while it fits whole; "…" once after. */
static void add_candidate(struct buf *cand, const char *name, const char *parent, const char *grandparent)
{
    static const char more[] = "…";
    const size_t room = sizeof ((struct import_problem *)NULL)->detail - sizeof "; …";
    if (cand->len >= strlen(more) && strcmp(cand->p + cand->len - strlen(more), more) == 0)
        return;
    struct buf one = BUF_INIT;
    buf_printf(&one, "%s (%s%s%s)", name, parent, grandparent ? ", " : "", grandparent ? grandparent : "");
    buf_printf(cand, "%s%s", cand->len ? "; " : "", cand->len + 2 + one.len <= room ? one.p : more);
    buf_free(&one);
}

/* Units of hierarchy h named by w's names: *out the deepest unique one. Returns the number
 * of candidates at the deepest level named (0: none, >1: ambiguous; cand lists them). */
static int match_names(struct catalogue *c, int h, const struct where *w, struct iunit **out, struct buf *cand)
{
    char *pk = w->province ? sheet_place_key(w->province) : NULL;
    char *dk = w->district ? sheet_place_key(w->district) : NULL;
    char *ck = w->commune ? sheet_place_key(w->commune) : NULL;
    int found = 0;
    *out = NULL;
    if (dk && h == 2025)
        goto done; /* districts are gone from the 2025 catalogue */
    int p0 = c->roots[h - 2024][0], pn = c->roots[h - 2024][1];
    for (int i = p0; i < p0 + pn; i++) {
        struct iunit *p = &c->u[i];
        if (pk && !key_eq(p, pk))
            continue;
        if (!dk && !ck) {
            found++;
            *out = p;
            continue;
        }
        /* the units under p at commune level, or its districts */
        for (int k = p->child0; k < p->child0 + p->nchild; k++) {
            struct iunit *d = &c->u[k];
            if (iu_district(d)) {
                if (dk && !key_eq(d, dk))
                    continue;
                if (!ck) {
                    found++;
                    *out = d;
                    continue;
                }
                for (int q = d->child0; q < d->child0 + d->nchild; q++)
                    if (key_eq(&c->u[q], ck)) {
                        found++;
                        *out = &c->u[q];
                        add_candidate(cand, c->u[q].name, d->name, p->name);
                    }
            } else if (!dk && ck && key_eq(d, ck)) {
                found++;
                *out = d;
                add_candidate(cand, d->name, p->name, NULL);
            }
        }
    }
done:
    free(pk);
    free(dk);
    free(ck);
    return found;
}

/* The unit w names, in the hierarchy of the row's date: m->hierarchy and m->unit_code.
 * date is "" when the row's date could not be read (already a problem): the unit is then
 * looked for as before the merger, not reported again against a date nobody wrote.
 * A problem names the column and the value the file gave: the code, or the names. */
static bool resolve_unit(struct import *im, int64_t row, const struct where *w, struct model *m, const char *date,
                         const char *col_unit, const char *col_names, const char *col_district)
{
    struct catalogue *c = &im->cat;
    bool after = strcmp(date, MERGER_DATE) >= 0, ok = false;
    int order[2] = {after ? 2025 : 2024, after ? 2024 : 2025};
    if (w->hierarchy)
        order[0] = w->hierarchy, order[1] = 0;
    struct iunit *u = NULL;
    /* what the file names, as it says it: "Tam An, Phú Ninh, Quảng Nam" */
    struct buf shown = BUF_INIT, cand = BUF_INIT;
    buf_printf(&shown, "%s%s%s%s%s", w->commune ? w->commune : "", w->commune && (w->district || w->province) ? ", " : "",
               w->district ? w->district : "", w->district && w->province ? ", " : "", w->province ? w->province : "");
    if (w->code) {
        /* The code as written, and, for digits Excel may have stripped of their zeros (00556 as
         * 556), the code padded to a commune's, a district's or a province's width. Names
         * written beside it must agree with the unit; a code that still fits several units
         * is reported, not guessed. */
        char *keys[3] = {w->province ? sheet_place_key(w->province) : NULL,
                         w->district ? sheet_place_key(w->district) : NULL,
                         w->commune ? sheet_place_key(w->commune) : NULL};
        char forms[4][16];
        int nforms = 0;
        size_t cl = strlen(w->code);
        snprintf(forms[nforms++], sizeof forms[0], "%.15s", w->code);
        if (cl < 5 && strspn(w->code, "0123456789") == cl) {
            static const int widths[] = {5, 3, 2};
            for (size_t k = 0; k < 3; k++)
                if ((int)cl < widths[k])
                    snprintf(forms[nforms++], sizeof forms[0], "%0*d", widths[k], atoi(w->code));
        }
        struct iunit *found[8];
        int nfound = 0, nliteral = 0; /* found[0 .. nliteral) are the code as written */
        for (int i = 0; i < 2; i++) {
            if (!order[i])
                continue;
            for (int f = 0; f < nforms; f++) {
                struct iunit *x = cat_get(c, order[i], forms[f]);
                if (!x)
                    continue;
                /* each name given must be the unit's or one of its parents' at that level */
                bool agrees = true;
                for (struct iunit *p = x; p; p = p->parent[0] ? cat_get(c, p->h, p->parent) : NULL) {
                    int slot = p->level == 1 ? 0 : iu_district(p) ? 1 : iu_commune(p) ? 2 : -1;
                    if (slot >= 0 && keys[slot] && !key_eq(p, keys[slot]))
                        agrees = false;
                }
                if (keys[2] && !iu_commune(x))
                    agrees = false; /* a commune named, but the code is a district's or a province's */
                if (agrees && nfound < 8) {
                    found[nfound++] = x;
                    if (f == 0)
                        nliteral = nfound;
                }
            }
            if (nfound)
                break; /* the catalogue of the row's date first */
        }
        if (nliteral) /* the code as written wins over the same digits with zeros put back */
            nfound = nliteral;
        if (nfound == 0) {
            struct unit village;
            for (int i = 0; i < 2 && !u; i++)
                /* a village a commune added (not in the catalogue kept in memory) */
                if (order[i] && !cat_get(c, order[i], w->code) &&
                    im->st->ops->unit_get(im->st, order[i], w->code, &village) == ST_OK) {
                    m->hierarchy = order[i];
                    snprintf(m->unit_code, sizeof m->unit_code, "%s", village.code);
                    ok = true;
                }
        }
        for (int k = 0; k < 3; k++)
            free(keys[k]);
        if (ok)
            goto out;
        if (nfound > 1) {
            for (int k = 0; k < nfound; k++)
                buf_printf(&cand, "%s%s (%s)", k ? "; " : "", found[k]->name, found[k]->code);
            problem(im, row, col_unit, w->code, N_("Several units have this code: give the unit's name beside it."), cand.p);
            goto out;
        }
        if (nfound == 0) {
            problem(im, row, col_unit, w->code, N_("No unit has this code in the catalogue (or not in the province named)."),
                    NULL);
            goto out;
        }
        u = found[0];
    } else {
        int n = 0;
        for (int i = 0; i < 2 && !u && n <= 1; i++) {
            if (!order[i])
                continue;
            buf_reset(&cand);
            n = match_names(c, order[i], w, &u, &cand);
            if (n > 1)
                u = NULL;
        }
        if (n > 1)
            problem(im, row, col_names, shown.p, N_("Several units have this name: give the district or the unit code."),
                    cand.p);
        else if (!u)
            problem(im, row, col_names, shown.p, N_("No unit of this name was found in the catalogue."), NULL);
        if (!u)
            goto out;
    }
    m->hierarchy = u->h;
    snprintf(m->unit_code, sizeof m->unit_code, "%s", u->code);
    ok = true;
    /* after the merger a model goes under the new units */
    if (u->h == 2024 && after) {
        if (iu_commune(u)) {
            struct code_list nc = {0};
            int rc = im->st->ops->mapping_new_of(im->st, u->code, &nc);
            if (rc == ST_OK && nc.n == 1) {
                m->hierarchy = 2025;
                snprintf(m->unit_code, sizeof m->unit_code, "%s", nc.codes[0]);
            } else {
                buf_reset(&cand);
                for (int i = 0; i < nc.n; i++) {
                    struct iunit *x = cat_get(c, 2025, nc.codes[i]);
                    buf_printf(&cand, "%s%s (%s)", i ? "; " : "", x ? x->name : nc.codes[i], nc.codes[i]);
                }
                problem(im, row, w->code ? col_unit : col_names, w->code ? w->code : shown.p,
                        nc.n > 1 ? N_("This old commune was split after the 2025 merger: give the new commune.")
                                 : N_("This old commune has no new commune in the mapping."),
                        cand.p);
                ok = false;
            }
            code_list_free(&nc);
        } else if (u->level == 1) {
            struct model_place p;
            if (svc_unit_place(im->st, 2024, u->code, &p) == SVC_OK && p.p25[0]) {
                m->hierarchy = 2025;
                snprintf(m->unit_code, sizeof m->unit_code, "%s", p.p25);
            }
        } else {
            problem(im, row, w->code ? col_unit : col_district, w->code ? w->code : w->district,
                    N_("Districts were abolished on 1 July 2025: give the commune or the province."), NULL);
            ok = false;
        }
    }
out:
    buf_free(&shown);
    buf_free(&cand);
    return ok;
}

/* ---- one data row ------------------------------------------------------------------ */

/* Which column a validation message of the model (its API member) belongs to. */
static const struct {
    const char *member;
    int col;
} member_cols[] = {
    {"title", COL_TITLE}, {"summary", COL_SUMMARY}, {"description", COL_DESCRIPTION}, {"field", COL_FIELD},
    {"kind", COL_KIND}, {"registration_level", COL_LEVEL}, {"status", COL_STATUS}, {"owner_type", COL_OWNER_TYPE},
    {"owner", COL_OWNER}, {"registered_on", COL_REGISTERED}, {"period_from", COL_FROM}, {"period_to", COL_TO},
    {"tags", COL_TAGS}, {"typical", COL_TYPICAL}, {"typical_reason", COL_TYPICAL_REASON}, {"situation", COL_SITUATION},
    {"objectives", COL_OBJECTIVES}, {"content", COL_CONTENT}, {"area_target", COL_AREA}, {"forces", COL_FORCES},
    {"resources", COL_RESOURCES}, {"outputs", COL_OUTPUTS}, {"sustainability", COL_SUSTAIN},
    {"unit_code", COL_UNIT_CODE}, {"hierarchy", COL_HIERARCHY}, {"results", COL_RESULT},
};

/* The first column of kind col (its index), or -1. */
static int col_index(const struct import *im, int col)
{
    for (int j = 0; j < im->ncols; j++)
        if (im->cols[j].col == col)
            return j;
    return -1;
}

static const char *col_label(const struct import *im, int col)
{
    int j = col_index(im, col);
    if (j < 0 && (col == COL_UNIT_CODE || col == COL_COMMUNE)) /* units named by name, the deepest named */
        for (int c = COL_COMMUNE; c >= COL_PROVINCE && j < 0; c--)
            j = col_index(im, c);
    return j >= 0 ? im->cols[j].label : "";
}

static const char *cell_of(const struct import *im, const struct sheet_row *row, int col)
{
    int j = col_index(im, col);
    return j >= 0 && j < row->n ? row->cells[j] : "";
}

/* What one row says, before it is laid over a model. */
struct rowvals {
    struct model m;
    bool bad;          /* a cell could not be read (problem already reported) */
    bool bad_date;     /* the registration date among them */
    struct where w;
    char *texts[COL_COUNT]; /* cleaned cell texts (owned), NULL for empty */
    struct model_result res[MODEL_MAX_RESULTS];
    bool res_set[MODEL_MAX_RESULTS]; /* false: the cell was empty (the result goes) */
    int nres;
};

static void rowvals_free(struct rowvals *rv)
{
    model_free(&rv->m);
    for (int i = 0; i < COL_COUNT; i++)
        free(rv->texts[i]);
}

static void set_str_col(char **slot, const char *v)
{
    model_set_str(slot, v && *v ? v : NULL);
}

static int split_tags_max(const char *s, char **tags, int max)
{
    int n = 0;
    /* "a; b" (the export's way, which lets a tag hold a comma) or "a, b" */
    const char *sep = strchr(s, ';') ? ";\n" : ",;\n";
    char *c = xstrdup(s), *save = NULL;
    for (char *t = strtok_r(c, sep, &save); t && n < max; t = strtok_r(NULL, sep, &save)) {
        char *x = text_nfc_trim(t);
        if (*x)
            tags[n++] = x;
        else
            free(x);
    }
    free(c);
    return n;
}

static int split_tags(const char *s, char *tags[MODEL_MAX_TAGS])
{
    return split_tags_max(s, tags, MODEL_MAX_TAGS);
}

/* sheet_enum_of with a memory of the column's last value: files repeat "Kinh tế" thousands of times. */
static int enum_cached(struct import *im, int col, const char *v, const char *const *names, const char *const *labels,
                       int count, const char *const *aliases)
{
    size_t n = strlen(v);
    if (n < sizeof im->memo_val[col][0])
        for (int i = 0; i < 8; i++)
            if (im->memo_val[col][i][0] && strcmp(im->memo_val[col][i], v) == 0)
                return im->memo_res[col][i];
    int k = sheet_enum_of(v, names, labels, count, aliases);
    if (n < sizeof im->memo_val[col][0]) {
        int i = im->memo_next[col]++ % 8;
        memcpy(im->memo_val[col][i], v, n + 1);
        im->memo_res[col][i] = k;
    }
    return k;
}

static void read_row(struct import *im, const struct sheet_row *row, struct rowvals *rv)
{
    struct model *m = &rv->m;
    int64_t r = row->row;
    for (int j = 0; j < im->ncols; j++) {
        const struct colmap *cm = &im->cols[j];
        if (cm->col == COL_NONE || cm->col == COL_ROWNUM)
            continue;
        const char *raw = j < row->n ? row->cells[j] : "";
        char *v = cell_text(im, r, cm, raw);
        if (!v) {
            rv->bad = true;
            continue;
        }
        if (cm->col == COL_RESULT) {
            if (rv->nres < MODEL_MAX_RESULTS) {
                struct model_result *x = &rv->res[rv->nres];
                memset(x, 0, sizeof *x);
                snprintf(x->indicator, sizeof x->indicator, "%s", cm->indicator);
                x->year = cm->year;
                rv->res_set[rv->nres] = *v != 0;
                bool number = j < row->n && row->number && row->number[j];
                if (*v && !(number ? parse_number_cell(v, &x->value) : parse_number(im->num_lang, v, &x->value))) {
                    problem(im, r, cm->label, v, N_("Not a number."), NULL);
                    rv->bad = true;
                }
                rv->nres++;
            }
            free(v);
            continue;
        }
        if (rv->texts[cm->col]) { /* the first column of a kind counts */
            free(v);
            continue;
        }
        rv->texts[cm->col] = v;
        if (!*v)
            continue;
        int k;
        switch (cm->col) {
        case COL_FIELD:
            if (!(m->field = enum_cached(im, cm->col, v, model_field_names, model_field_labels, FIELD_COUNT, field_aliases))) {
                problem(im, r, cm->label, v, N_("Unknown field: write Kinh tế, Văn hóa - xã hội, Quốc phòng - an ninh or Xây dựng hệ thống chính trị."), NULL);
                rv->bad = true;
            }
            break;
        case COL_KIND:
            if (!(m->kind = enum_cached(im, cm->col, v, model_kind_names, model_kind_labels, KIND_COUNT, kind_aliases))) {
                problem(im, r, cm->label, v, N_("Unknown kind: write Tập thể or Cá nhân."), NULL);
                rv->bad = true;
            }
            break;
        case COL_LEVEL:
            if (!(m->level = enum_cached(im, cm->col, v, reg_level_names, reg_level_labels, LEVEL_COUNT, level_aliases))) {
                problem(im, r, cm->label, v, N_("Unknown registration level: write Tỉnh, Huyện or Xã."), NULL);
                rv->bad = true;
            }
            break;
        case COL_STATUS:
            if (!(m->status = enum_cached(im, cm->col, v, model_status_names, model_status_labels, STATUS_COUNT, status_aliases))) {
                problem(im, r, cm->label, v, N_("Unknown status."), NULL);
                rv->bad = true;
            }
            break;
        case COL_OWNER_TYPE:
            if (!(m->owner_type = enum_cached(im, cm->col, v, owner_type_names, owner_type_labels, OWNER_COUNT, owner_aliases))) {
                problem(im, r, cm->label, v, N_("Unknown owner type: write Tổ chức or Cá nhân."), NULL);
                rv->bad = true;
            }
            break;
        case COL_TYPICAL:
        case COL_PUBLIC:
            if ((k = parse_bool_cell(v)) < 0) {
                problem(im, r, cm->label, v, N_("Write x or Có for yes; leave empty or write Không for no."), NULL);
                rv->bad = true;
            } else if (cm->col == COL_TYPICAL) {
                m->typical = k;
            } else {
                m->is_public = k;
            }
            break;
        case COL_HIERARCHY: {
            char *f = text_fold(v);
            rv->w.hierarchy = strstr(f, "2024") || strcmp(f, "cu") == 0 || strstr(f, "truoc") || strcmp(f, "old") == 0 ? 2024
                              : strstr(f, "2025") || strcmp(f, "moi") == 0 || strstr(f, "sau") || strcmp(f, "new") == 0 ? 2025
                                                                                                                           : -1;
            free(f);
            if (rv->w.hierarchy < 0) {
                problem(im, r, cm->label, v, N_("Write 2024 (before the merger) or 2025 (after it)."), NULL);
                rv->bad = true;
                rv->w.hierarchy = 0;
            }
            break;
        }
        case COL_REGISTERED:
        case COL_FROM:
        case COL_TO: {
            char *out = cm->col == COL_REGISTERED ? m->registered_on : cm->col == COL_FROM ? m->period_from : m->period_to;
            if (!parse_date_cell(v, out)) {
                problem(im, r, cm->label, v, N_("Not a date: write dd/mm/yyyy."), NULL);
                rv->bad = true;
                rv->bad_date |= cm->col == COL_REGISTERED;
                out[0] = 0;
            }
            break;
        }
        case COL_RESULT_YEAR: {
            char *end;
            long y = strtol(v, &end, 10);
            if (*end || y < 1990 || y > 2100) {
                problem(im, r, cm->label, v, N_("Not a year."), NULL);
                rv->bad = true;
            }
            break;
        }
        case COL_TAGS: {
            /* split_tags keeps MODEL_MAX_TAGS: more is a problem, not a silent cut */
            char *tags[MODEL_MAX_TAGS + 1];
            int n = split_tags_max(v, tags, MODEL_MAX_TAGS + 1);
            for (int t = 0; t < n; t++)
                free(tags[t]);
            if (n > MODEL_MAX_TAGS) {
                problem(im, r, cm->label, v, N_("At most 20 tags."), NULL);
                rv->bad = true;
            }
            break;
        }
        case COL_UNIT_CODE:
            rv->w.code = v;
            break;
        case COL_PROVINCE:
            rv->w.province = v;
            break;
        case COL_DISTRICT:
            rv->w.district = v;
            break;
        case COL_COMMUNE:
            rv->w.commune = v;
            break;
        default:
            break;
        }
    }
}

/* Lays what the file has over m (a new model or a copy of the stored one): every column
 * the file has counts, an empty cell clears what it names. */
static void apply(const struct import *im, const struct rowvals *rv, struct model *m)
{
    const struct model *v = &rv->m;
    char *const *t = rv->texts;
#define HAS(c) (im->has[c])
    if (HAS(COL_TITLE))
        set_str_col(&m->title, t[COL_TITLE]);
    if (HAS(COL_FIELD))
        m->field = v->field;
    if (HAS(COL_KIND))
        m->kind = v->kind;
    if (HAS(COL_LEVEL) && v->level)
        m->level = v->level;
    if (HAS(COL_STATUS) && v->status)
        m->status = v->status;
    if (HAS(COL_TYPICAL))
        m->typical = v->typical;
    if (HAS(COL_TYPICAL_REASON))
        set_str_col(&m->typical_reason, t[COL_TYPICAL_REASON]);
    if (HAS(COL_PUBLIC))
        m->is_public = v->is_public;
    if (HAS(COL_REGISTERED) && v->registered_on[0])
        memcpy(m->registered_on, v->registered_on, sizeof m->registered_on);
    if (HAS(COL_OWNER))
        set_str_col(&m->owner, t[COL_OWNER]);
    if (HAS(COL_OWNER_TYPE))
        m->owner_type = v->owner_type;
    if (HAS(COL_FROM))
        memcpy(m->period_from, v->period_from, sizeof m->period_from);
    if (HAS(COL_TO))
        memcpy(m->period_to, v->period_to, sizeof m->period_to);
    static const struct {
        int col;
        size_t off;
    } strs[] = {
        {COL_SUMMARY, offsetof(struct model, summary)}, {COL_DESCRIPTION, offsetof(struct model, description)},
        {COL_SITUATION, offsetof(struct model, situation)}, {COL_OBJECTIVES, offsetof(struct model, objectives)},
        {COL_CONTENT, offsetof(struct model, content)}, {COL_AREA, offsetof(struct model, area_target)},
        {COL_FORCES, offsetof(struct model, forces)}, {COL_RESOURCES, offsetof(struct model, resources)},
        {COL_OUTPUTS, offsetof(struct model, outputs)}, {COL_SUSTAIN, offsetof(struct model, sustainability)},
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (HAS(strs[i].col))
            set_str_col((char **)((char *)m + strs[i].off), t[strs[i].col]);
    if (HAS(COL_TAGS)) {
        for (int i = 0; i < m->ntags; i++)
            free(m->tags[i]);
        m->ntags = t[COL_TAGS] ? split_tags(t[COL_TAGS], m->tags) : 0;
    }
    /* results: a year in the header, else the row's results year, else the registration year */
    int row_year = 0;
    if (t[COL_RESULT_YEAR] && *t[COL_RESULT_YEAR])
        row_year = atoi(t[COL_RESULT_YEAR]);
    for (int i = 0; i < rv->nres; i++) {
        struct model_result x = rv->res[i];
        if (!x.year)
            x.year = row_year ? row_year : m->registered_on[0] ? date_year(m->registered_on) : 0;
        int k = 0;
        while (k < m->nresults && !(m->results[k].year == x.year && strcmp(m->results[k].indicator, x.indicator) == 0))
            k++;
        if (rv->res_set[i]) {
            if (k == m->nresults && m->nresults < MODEL_MAX_RESULTS)
                m->nresults++;
            if (k < m->nresults)
                m->results[k] = x;
        } else if (k < m->nresults) {
            memmove(&m->results[k], &m->results[k + 1], (size_t)(m->nresults - k - 1) * sizeof m->results[0]);
            m->nresults--;
        }
    }
#undef HAS
}

static bool is_dvk_code(const char *s)
{
    return strncmp(s, "DVK-", 4) == 0 && strlen(s) == 15;
}

static void derived_key(const struct model *m, char out[40])
{
    char *f = text_fold(m->title ? m->title : "");
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s|%d:%s", f, m->hierarchy, m->unit_code);
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)b.p, b.len, NULL, 0);
    snprintf(out, 40, "auto:");
    sodium_bin2hex(out + 5, 35, h, sizeof h);
    buf_free(&b);
    free(f);
}

/* A problem for a column the file does not have: kept once, counted every time. */
static void missing_column(struct import *im, int64_t row, int col, const char *msg)
{
    if (im->missing_said[col]) {
        im->r->nproblems++;
        im->writing = false;
        return;
    }
    im->missing_said[col] = true;
    problem(im, row, "", "", msg, NULL);
    if (im->r->nkept)
        for (int k = 0; k < sheet_ncols; k++)
            if (sheet_cols[k].id == col)
                im->r->problems[im->r->nkept - 1].column_msgid = sheet_cols[k].header;
}

static void report_verrs(struct import *im, int64_t row, const struct sheet_row *sr, const struct verrs *v)
{
    for (int i = 0; i < v->n; i++) {
        int col = COL_NONE;
        for (size_t k = 0; k < sizeof member_cols / sizeof member_cols[0]; k++)
            if (strcmp(member_cols[k].member, v->e[i].field) == 0)
                col = member_cols[k].col;
        const char *label = col_label(im, col);
        if (!*label && col != COL_NONE) {
            /* a column the file lacks: said once, on the first row that needs it */
            missing_column(im, row, col, v->e[i].msg);
            continue;
        }
        problem(im, row, label, col != COL_NONE ? cell_of(im, sr, col) : "", v->e[i].msg, NULL);
    }
}

static int audit_import(struct import *im, const struct model *before, const struct model *after, int64_t row)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)after->id);
    /* a new model's entry names the file and row it came from (the model holds the rest: a
     * full copy per row would double an import of a million rows); a change keeps both sides */
    json_t *b = before ? model_to_json(before) : NULL, *a = before ? model_to_json(after) : json_object();
    json_object_set_new(a, "import", json_pack("{s:s, s:I}", "file", im->o->name ? im->o->name : "", "row", (json_int_t)row));
    if (!before)
        json_object_set_new(a, "code", json_string(after->code));
    int rc = audit(im->st, im->a, "model", id, "import", b, a);
    json_decref(b);
    json_decref(a);
    return rc;
}

/* Whether a may record m's status (and typical flag) as decided on paper: the one who keeps
 * a registration starts, registers and withdraws it; an appraiser records an appraisal; the
 * committee of the model's level selects, rejects and recognizes (core/lifecycle.c). */
static bool may_record_status(const struct actor *a, const struct model *m)
{
    if (m->typical && !authz_model_decide(a, m))
        return false;
    switch (m->status) {
    case STATUS_DRAFT:
    case STATUS_REGISTERED:
    case STATUS_IMPLEMENTING:
    case STATUS_WITHDRAWN:
        return authz_model_register(a, m);
    case STATUS_APPRAISED:
        return authz_appraise(a, m) || authz_model_decide(a, m);
    default:
        return authz_model_decide(a, m);
    }
}

static bool row_blank(const struct sheet_row *row)
{
    for (int j = 0; j < row->n; j++)
        for (const char *p = row->cells[j]; *p; p++)
            if (!isspace((unsigned char)*p))
                return false;
    return true;
}

/* Numbering under the header ("(1) (2) (3)"), section headings ("I. LĨNH VỰC KINH TẾ")
 * and totals ("Tổng cộng") are not models. */
static bool not_a_model(struct import *im, const struct sheet_row *row)
{
    int filled = 0, numbers = 0;
    const char *only = NULL;
    for (int j = 0; j < row->n; j++) {
        const char *c = row->cells[j];
        while (isspace((unsigned char)*c))
            c++;
        if (!*c)
            continue;
        filled++;
        only = c;
        const char *p = c + (*c == '(');
        while (isdigit((unsigned char)*p))
            p++;
        if (p > c + (*c == '(') && (*p == 0 || (*p == ')' && p[1] == 0)))
            numbers++;
    }
    /* "(1) (2) (3)" right under the header numbers the columns; later, numbers alone are a
     * model's row with its texts missing (reported) */
    if (filled >= 2 && numbers == filled && im->r->rows == 0)
        return true;
    /* "Tổng cộng" in the first filled cell, whichever column that is */
    for (int j = 0; j < row->n; j++) {
        const char *c = row->cells[j];
        if (!*c)
            continue;
        bool total = false;
        if (strchr("TtCcSs", *c) && text_valid(c, strlen(c))) {
            char *f = text_fold(c);
            total = strcmp(f, "tong cong") == 0 || strcmp(f, "tong") == 0 || strcmp(f, "cong") == 0 ||
                    strcmp(f, "total") == 0 || strcmp(f, "tong so") == 0 || strcmp(f, "summa") == 0;
            free(f);
        }
        if (total)
            return true;
        break;
    }
    if (filled == 1 && only && text_valid(only, strlen(only))) {
        char *f = text_fold(only);
        int named = 0;
        /* "I. LĨNH VỰC KINH TẾ": the field of the rows below (until the next heading names another) */
        for (int k = 1; k < FIELD_COUNT && !named; k++) {
            char *lab = text_fold(T(LANG_VI, model_field_labels[k]));
            bool names = strstr(f, lab) || (k == FIELD_ECONOMIC && strstr(f, "kinh te")) ||
                         (k == FIELD_CULTURAL_SOCIAL && strstr(f, "van hoa")) ||
                         (k == FIELD_DEFENSE_SECURITY && (strstr(f, "quoc phong") || strstr(f, "an ninh"))) ||
                         (k == FIELD_POLITICAL_SYSTEM && strstr(f, "chinh tri"));
            free(lab);
            if (names)
                named = k;
        }
        /* numbered ("I.", "II)", "1.") or "Lĩnh vực ..." */
        const char *q = only;
        while (*q && strchr("IVXivx0123456789", *q))
            q++;
        bool numbered = q > only && (*q == '.' || *q == ')');
        bool titled = strncmp(f, "linh vuc", 8) == 0;
        bool heading = strlen(only) < 200 && !strchr(only, '\n');
        free(f);
        /* In the title's column a lone text is a model with everything else missing (reported),
         * unless it reads as the heading of a field, as many forms write them. */
        bool in_title = cell_of(im, row, COL_TITLE) == only;
        if (in_title && !(heading && named && (numbered || titled)))
            return false;
        if (named)
            im->section_field = named;
        /* a number alone (a code, a count) is what remains of a model's row; a text is a
         * heading or a footnote ("Người lập biểu") */
        if (numbers == 1)
            return false;
        return heading;
    }
    return false;
}

/* The stored model a row names, as the rest of dvk reads it: with its unit's path, so that
 * the audit entry's "before" differs from its "after" only in what the file changed (the
 * stored place stays authoritative, as in get_any()). */
static bool model_before(struct import *im, int64_t id, struct model *before)
{
    if (im->st->ops->model_get(im->st, id, before) != ST_OK)
        return false;
    struct model_place stored = before->place;
    place_of(im->st, &im->places, before);
    before->place = stored;
    return true;
}

/* In a database that provinces were moved into (dvk migrate-db), a code or reference on a
 * row may name several models: the one that holds it here (holder, 0 for none), and moved
 * ones that held it in their province's database and were given another here (moved_rows:
 * a province's spreadsheet of before the move; a renumbered province's codes of now may be
 * a later province's codes of before). The one the importer may read is meant; of several,
 * the one in the unit whose code the row gives, else the one whose name the row gives.
 * Returns its id (holder when no move is involved, or when the importer may read none of
 * them: refused later as before), or -1 when the row does not say which, with their codes
 * of now in codes. */
static int64_t named_model(struct import *im, const char *key, int64_t holder, const struct rowvals *rv,
                           struct buf *codes)
{
    int64_t *moved = NULL;
    int n = 0;
    if (!im->moved_in || im->st->ops->model_by_old_key(im->st, key, &moved, &n) != ST_OK || n == 0) {
        free(moved);
        return holder;
    }
    const struct where *w = &rv->w;
    const char *title = rv->texts[COL_TITLE];
    char *title_fold = title && *title ? text_fold(title) : NULL;
    int readable = 0, in_unit = 0, named = 0;
    int64_t first = 0, unit_pick = 0, name_pick = 0;
    for (int i = -1; i < n; i++) {
        int64_t id = i < 0 ? holder : moved[i];
        if (!id || (i >= 0 && id == holder))
            continue;
        struct model m;
        model_init(&m);
        if (im->st->ops->model_get(im->st, id, &m) == ST_OK && authz_model_read(im->a, &m)) {
            if (!readable++)
                first = id;
            buf_printf(codes, "%s%s", codes->len ? ", " : "", m.code);
            if (w->code && strcmp(w->code, m.unit_code) == 0 && (!w->hierarchy || w->hierarchy == m.hierarchy)) {
                in_unit++;
                unit_pick = id;
            }
            char *f = title_fold && m.title ? text_fold(m.title) : NULL;
            if (f && strcmp(f, title_fold) == 0) {
                named++;
                name_pick = id;
            }
            free(f);
        }
        model_free(&m);
    }
    free(moved);
    free(title_fold);
    if (readable == 0)
        return holder;
    if (readable == 1)
        return first;
    if (in_unit == 1)
        return unit_pick;
    return in_unit == 0 && named == 1 ? name_pick : -1;
}

static void data_row(struct import *im, const struct sheet_row *row)
{
    struct import_report *r = im->r;
    if (row_blank(row) || not_a_model(im, row)) {
        r->skipped++;
        return;
    }
    r->rows++;
    int64_t rn = row->row;
    int problems_before = (int)r->nproblems;
    struct rowvals rv;
    memset(&rv, 0, sizeof rv);
    model_init(&rv.m);
    rv.m.status = 0;
    read_row(im, row, &rv);
    if (!rv.m.field && im->section_field && (!im->has[COL_FIELD] || !rv.texts[COL_FIELD] || !*rv.texts[COL_FIELD])) {
        rv.m.field = im->section_field;
        free(rv.texts[COL_FIELD]); /* an empty cell's "" */
        rv.texts[COL_FIELD] = xstrdup("section");
    }

    /* which model the row names */
    const char *code = rv.texts[COL_CODE] && *rv.texts[COL_CODE] ? rv.texts[COL_CODE] : NULL;
    const char *ref = rv.texts[COL_REF] && *rv.texts[COL_REF] ? rv.texts[COL_REF] : NULL;
    /* Only a DVK code or a value in a reference column ("Mã tham chiếu") names a model: offices
     * number their rows "01, 02…" in a "Mã" column of every register, and such a number must
     * not reach a model of another register. */
    if (code && !is_dvk_code(code))
        code = NULL;
    int64_t id = 0, holder = 0;
    struct buf both = BUF_INIT;
    if (code || ref) {
        if (im->st->ops->model_by_key(im->st, code ? code : ref, &holder) != ST_OK)
            holder = 0;
        id = named_model(im, code ? code : ref, holder, &rv, &both);
    }
    /* named by what it was called in the database it was moved from: that reference is
     * another model's here, and the model keeps the one it has */
    bool old_ref = id > 0 && id != holder && !code;
    if (id < 0) {
        /* nothing else is said of a row that names no model for sure */
        problem(im, rn, code ? col_label(im, COL_CODE) : col_label(im, COL_REF), code ? code : ref,
                code ? N_("Several models had this code in the databases their provinces were moved from (their codes now shown): give the code of the model's unit (Mã đơn vị) on the row.")
                     : N_("Several models had this reference in the databases their provinces were moved from (their codes now shown): give the code of the model's unit (Mã đơn vị) on the row."),
                buf_cstr(&both));
        buf_free(&both);
        rowvals_free(&rv);
        return;
    }
    buf_free(&both);
    if (code && !id) {
        problem(im, rn, col_label(im, COL_CODE), code, N_("No model has this code."), NULL);
    }

    struct model before, m;
    model_init(&before);
    model_init(&m);
    bool existing = id > 0;
    if (existing) {
        if (!model_before(im, id, &before)) {
            problem(im, rn, "", "", N_("The model could not be read."), NULL);
            existing = false;
        } else if (!authz_model_read(im->a, &before)) {
            /* as the API's 404: whether a model exists outside one's scope is not told */
            problem(im, rn, code ? col_label(im, COL_CODE) : col_label(im, COL_REF), code ? code : ref,
                    code ? N_("No model has this code.") : N_("This reference already belongs to another model."), NULL);
            existing = false;
            model_free(&before);
            model_init(&before);
        } else {
            model_copy(&m, &before);
        }
    }
    if (!existing) {
        m.status = rv.m.typical ? STATUS_RECOGNIZED : STATUS_REGISTERED;
        date_today(m.registered_on);
    }
    bool had_date = m.registered_on[0];
    apply(im, &rv, &m);
    if (!had_date && !m.registered_on[0])
        date_today(m.registered_on);
    if (!existing && !im->has[COL_STATUS] && m.typical)
        m.status = STATUS_RECOGNIZED;

    /* the unit */
    bool names_unit = rv.w.code || rv.w.province || rv.w.district || rv.w.commune;
    if (names_unit) {
        if (!resolve_unit(im, rn, &rv.w, &m, rv.bad_date ? "" : m.registered_on, col_label(im, COL_UNIT_CODE),
                          col_label(im, COL_COMMUNE),
                          col_label(im, COL_DISTRICT)))
            rv.bad = true;
    } else if (!existing) {
        if (*col_label(im, COL_UNIT_CODE))
            problem(im, rn, col_label(im, COL_UNIT_CODE), "", N_("The unit is missing: give its code or its name."), NULL);
        else
            missing_column(im, rn, COL_COMMUNE, N_("The unit is missing: give its code or its name."));
        rv.bad = true;
    }
    /* without a level column a new model is registered at its unit's level; a stored one
     * keeps its own (a commune's model may be the district committee's) unless it moves */
    bool moves = existing && (m.hierarchy != before.hierarchy || strcmp(m.unit_code, before.unit_code) != 0);
    if (!rv.bad && names_unit && !im->has[COL_LEVEL] && (!existing || moves)) {
        struct iunit *u = cat_get(&im->cat, m.hierarchy, m.unit_code);
        m.level = !u ? LEVEL_COMMUNE : u->level == 1 ? LEVEL_PROVINCE : iu_district(u) ? LEVEL_DISTRICT : LEVEL_COMMUNE;
    } else if (!m.level) {
        m.level = LEVEL_COMMUNE;
    }
    if (!m.owner_type && m.owner)
        m.owner_type = m.kind == KIND_INDIVIDUAL ? OWNER_PERSON : OWNER_ORGANIZATION;
    if (m.typical && m.status != STATUS_RECOGNIZED && im->has[COL_STATUS])
        problem(im, rn, col_label(im, COL_TYPICAL), cell_of(im, row, COL_TYPICAL),
                N_("Only a recognized model can be typical."), NULL);

    /* the row's key, and the same key met earlier in the file */
    char key[40] = "";
    if (!code && !ref && !rv.bad && m.title)
        derived_key(&m, key);
    /* a row that names a stored model is known by that model (below): in a database that
     * provinces were moved into, one old code may name two models on two rows */
    const char *seen_key = existing ? NULL : code ? code : ref ? ref : key[0] ? key : NULL;
    if (seen_key) {
        int64_t first = 0;
        int rc = im->st->ops->import_seen(im->st, seen_key, rn, &first);
        if (rc == ST_EXISTS) {
            char d[64];
            snprintf(d, sizeof d, "%lld", (long long)first);
            problem(im, rn, code ? col_label(im, COL_CODE) : ref ? col_label(im, ref == rv.texts[COL_REF] ? COL_REF : COL_CODE)
                                                                  : col_label(im, COL_TITLE),
                    code ? code : ref ? ref : m.title, N_("The same model is already on another row of the file (row shown)."),
                    d);
        }
    }
    if (existing) {
        /* by its code on one row and by its reference on another: still the same model */
        char idkey[32];
        int64_t first = 0;
        snprintf(idkey, sizeof idkey, "id:%lld", (long long)before.id);
        if (im->st->ops->import_seen(im->st, idkey, rn, &first) == ST_EXISTS) {
            char d[64];
            snprintf(d, sizeof d, "%lld", (long long)first);
            problem(im, rn, code ? col_label(im, COL_CODE) : col_label(im, COL_REF), code ? code : ref,
                    N_("The same model is already on another row of the file (row shown)."), d);
        }
    }
    if (!existing && key[0] && im->st->ops->model_by_key(im->st, key, &id) == ST_OK && id > 0) {
        /* a file without keys, imported again: the same title in the same unit */
        if (model_before(im, id, &before)) {
            existing = true;
            model_free(&m);
            model_copy(&m, &before);
            apply(im, &rv, &m);
            m.hierarchy = before.hierarchy;
            snprintf(m.unit_code, sizeof m.unit_code, "%s", before.unit_code);
            if (!im->has[COL_LEVEL])
                m.level = before.level;
        }
    }
    if (ref && !old_ref && (!m.ext_key || strcmp(m.ext_key, ref) != 0)) {
        int64_t other = 0;
        if (existing && im->st->ops->model_by_key(im->st, ref, &other) == ST_OK && other != m.id)
            problem(im, rn, col_label(im, COL_REF), ref, N_("This reference already belongs to another model."), NULL);
        model_set_str(&m.ext_key, ref);
    } else if (!existing && key[0]) {
        model_set_str(&m.ext_key, key);
    }

    /* the model's own rules, its place, who may do this */
    if (!rv.bad && (int)r->nproblems == problems_before) {
        struct verrs v = {0};
        model_validate(&m, &v);
        if (v.n)
            report_verrs(im, rn, row, &v);
        else if (!place_of(im->st, &im->places, &m))
            problem(im, rn, col_label(im, COL_UNIT_CODE), m.unit_code, N_("Unknown unit."), NULL);
        /* as in svc_model_update: the committee that decides is fixed once the model is registered */
        else if (existing && before.status != STATUS_DRAFT && m.level != before.level)
            problem(im, rn, col_label(im, COL_LEVEL), cell_of(im, row, COL_LEVEL),
                    N_("The level and the unit change only while the model is a draft."), NULL);
        else if (existing && before.status != STATUS_DRAFT &&
                 (m.hierarchy != before.hierarchy || strcmp(m.unit_code, before.unit_code) != 0))
            problem(im, rn, col_label(im, COL_UNIT_CODE),
                    rv.w.code       ? rv.w.code
                    : rv.w.commune  ? rv.w.commune
                    : rv.w.district ? rv.w.district
                                    : rv.w.province,
                    N_("The level and the unit change only while the model is a draft."), NULL);
        else if (existing ? !authz_model_edit(im->a, &before) || !authz_model_edit(im->a, &m) : !authz_model_create(im->a, &m))
            problem(im, rn, col_label(im, COL_UNIT_CODE), m.unit_name ? m.unit_name : m.unit_code,
                    N_("This unit is outside your scope."), NULL);
        else if ((existing ? m.status != before.status || m.typical != before.typical
                           : (m.status != STATUS_DRAFT && m.status != STATUS_REGISTERED) || m.typical) &&
                 !may_record_status(im->a, &m))
            problem(im, rn, col_label(im, COL_STATUS), cell_of(im, row, COL_STATUS),
                    N_("Only the committee of this unit records this status."), NULL);
    }

    if ((int)r->nproblems == problems_before) {
        bool changed = true;
        if (existing) {
            json_t *jb = model_to_json(&before), *ja = model_to_json(&m);
            /* what the store derives is not what the file says */
            static const char *const derived[] = {"unit_name", "unit_path", "updated_at", "created_at", "version"};
            for (size_t k = 0; k < sizeof derived / sizeof derived[0]; k++) {
                json_object_del(jb, derived[k]);
                json_object_del(ja, derived[k]);
            }
            changed = !json_equal(jb, ja);
            json_decref(jb);
            json_decref(ja);
        }
        if (!changed)
            r->unchanged++;
        else if (existing)
            r->updated++;
        else
            r->created++;
        if (changed && im->writing) {
            int rc = existing ? model_write(im->st, &m, before.version) : model_write_new(im->st, &m);
            if (rc == SVC_OK)
                rc = audit_import(im, existing ? &before : NULL, &m, rn);
            if (rc != SVC_OK)
                problem(im, rn, "", "", rc == SVC_CONFLICT ? N_("The model changed while the file was read: import it again.")
                                                             : N_("The model could not be saved."),
                        NULL);
        }
    }
    model_free(&before);
    model_free(&m);
    rowvals_free(&rv);
}

/* ---- reading the file -------------------------------------------------------------- */

static int on_row(void *ctx, const struct sheet_row *row)
{
    struct import *im = ctx;
    if (!im->header_final) {
        if (!im->header) {
            if (row_blank(row))
                return 0;
            bool title;
            int k = count_known(im, row, &title);
            if (title && k >= 2) {
                keep_header(im, row);
                im->r->header_row = row->row;
                return 0;
            }
            if (row->row >= HEADER_SCAN_ROWS) {
                problem(im, 0, "", "", N_("No header row was found: one of the first rows must name the columns, at least the model's name (Tên mô hình) and its unit."), NULL);
                return 1;
            }
            return 0;
        }
        if (row_blank(row))
            return 0;
        if (is_subheader(im, row)) {
            map_columns(im, row);
            return 0;
        }
        map_columns(im, NULL);
    }
    data_row(im, row);
    if (im->o->progress && (im->r->rows & 1023) == 0)
        im->o->progress(im->o->ctx, im->done, im->total, im->r->rows);
    return 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct import *im = ctx;
    im->done = done;
    im->total = total;
}

int svc_models_import(struct store *st, const struct actor *a, const char *path, const struct import_opts *o,
                      struct import_report *r)
{
    memset(r, 0, sizeof *r);
    r->dry_run = o->dry_run;
    if (!authz_import(a))
        return SVC_FORBIDDEN;
    struct import im;
    memset(&im, 0, sizeof im);
    im.st = st;
    im.a = a;
    im.o = o;
    im.r = r;
    date_today(im.today);
    im.csv = sheet_sniff(path) == SHEET_CSV;
    int rc = SVC_OK;
    int moved = 0;
    if (cat_open(st, &im.cat) || svc_indicators(st, &im.ind, &im.nind) || st->ops->import_seen(st, NULL, 0, NULL) ||
        st->ops->model_by_old_key(st, NULL, NULL, &moved) || st->ops->bulk(st, true)) {
        rc = SVC_ERROR;
        goto out;
    }
    im.moved_in = moved > 0;
    if (o->dry_run) {
        /* one read snapshot for the whole file (and no lock taken per statement) */
        if (st->ops->begin_read(st) != ST_OK) {
            rc = SVC_ERROR;
            goto out;
        }
    } else {
        if (st->ops->begin(st) != ST_OK) {
            rc = SVC_ERROR;
            goto out;
        }
        im.writing = true;
        /* A file bringing more rows than the table holds (a province's or the country's first
         * import): the models' indexes are built once at the end, sorted, instead of row by row.
         * From an estimated 2,000 rows: a first import of 5,000 rows took 1.28 s row by row and
         * 0.40 s so, 20,000 rows 6.2 s and 1.55 s (bench/gen_sheet.awk rows, release build). */
        struct stat sb;
        int64_t existing = 0;
        if (stat(path, &sb) == 0 && st->ops->model_count(st, &existing) == ST_OK) {
            int64_t est = (int64_t)sb.st_size / (sheet_sniff(path) == SHEET_XLSX ? 20 : 150);
            if (est >= 2000 && est >= existing && st->ops->defer_indexes(st, false) == ST_OK)
                im.deferred = true;
        }
    }
    char err[256] = "";
    int sr = sheet_read(path, on_row, on_progress, &im, err, sizeof err);
    if (sr < 0) {
        /* the reader's sentence, translated, and its detail as it is */
        static const char *const sentences[] = {
            N_("The file could not be opened."), N_("The file could not be read."),
            N_("The file is an old .xls workbook or a password-protected one; save it as .xlsx or CSV UTF-8."),
            N_("The file is an OpenDocument spreadsheet; save it as .xlsx or CSV UTF-8."),
            N_("The file is saved as UTF-16 text; save it as CSV UTF-8."), N_("The file is not a readable CSV file."),
            N_("The file is not a readable XLSX workbook."), N_("The file is too large to read.")};
        const char *msg = N_("The file could not be read as CSV or XLSX."), *detail = err;
        for (size_t k = 0; k < sizeof sentences / sizeof sentences[0]; k++) {
            size_t n = strlen(sentences[k]);
            if (strncmp(err, sentences[k], n) == 0) {
                msg = sentences[k];
                detail = err + n;
                while (*detail == ' ' || *detail == '(')
                    detail++;
                break;
            }
        }
        char d[160];
        snprintf(d, sizeof d, "%.159s", detail);
        size_t dl = strlen(d);
        if (dl && d[dl - 1] == ')' && detail != err)
            d[dl - 1] = 0;
        problem(&im, 0, "", "", msg, d);
    }
    else if (im.header && !im.header_final)
        map_columns(&im, NULL); /* a header and nothing under it */
    if (sr >= 0 && !im.header && r->nproblems == 0)
        problem(&im, 0, "", "", N_("No header row was found: one of the first rows must name the columns, at least the model's name (Tên mô hình) and its unit."), NULL);
    if (o->progress)
        o->progress(o->ctx, im.total, im.total, r->rows);
    if (o->dry_run)
        st->ops->rollback(st);
    else {
        if (r->nproblems == 0 && o->saving)
            o->saving(o->ctx);
        if (r->nproblems == 0 && im.deferred && st->ops->defer_indexes(st, true) != ST_OK)
            problem(&im, 0, "", "", N_("The model could not be saved."), NULL);
        if (r->nproblems == 0) {
            json_t *after = json_pack("{s:s, s:I, s:I, s:I, s:I}", "file", o->name ? o->name : "", "rows", (json_int_t)r->rows,
                                      "created", (json_int_t)r->created, "updated", (json_int_t)r->updated, "unchanged",
                                      (json_int_t)r->unchanged);
            rc = audit(st, a, "import", o->name ? o->name : "", "import", NULL, after);
            json_decref(after);
            rc = svc_finish(st, rc);
            r->written = rc == SVC_OK;
        } else {
            st->ops->rollback(st);
        }
    }
    if (rc == SVC_OK && r->nproblems)
        rc = SVC_INVALID;
out:
    st->ops->bulk(st, false);
    cat_close(&im.cat);
    place_cache_free(&im.places);
    free(im.ind);
    for (int j = 0; j < im.nheader; j++)
        free(im.header[j]);
    free(im.header);
    free(im.cols);
    return rc;
}

void import_report_free(struct import_report *r)
{
    free(r->problems);
    for (int i = 0; i < r->nignored; i++)
        free(r->ignored[i]);
    free(r->ignored);
    memset(r, 0, sizeof *r);
}

void import_problem_text(const struct import_problem *p, int lang, char *out, size_t outsz)
{
    struct buf b = BUF_INIT;
    if (p->row > 0) {
        char n[32];
        fmt_number(lang, (double)p->row, n, sizeof n);
        buf_printf(&b, "%s %s", T(lang, "Row"), n);
        if (p->column[0])
            buf_printf(&b, ", %s %s", T(lang, "column"), p->column);
        else if (p->column_msgid)
            buf_printf(&b, ", %s «%s» (%s)", T(lang, "column"), T(lang, p->column_msgid), T(lang, "missing from the file"));
        buf_puts(&b, ": ");
    }
    if (p->value[0])
        buf_printf(&b, "«%s» ", p->value);
    buf_puts(&b, T(lang, p->msg));
    if (p->detail[0])
        buf_printf(&b, " (%s)", p->detail);
    snprintf(out, outsz, "%s", buf_cstr(&b));
    buf_free(&b);
}

json_t *import_report_json(const struct import_report *r, int lang)
{
    json_t *probs = json_array();
    for (int i = 0; i < r->nkept; i++) {
        const struct import_problem *p = &r->problems[i];
        char text[512];
        import_problem_text(p, lang, text, sizeof text);
        char col[192];
        if (!p->column[0] && p->column_msgid)
            snprintf(col, sizeof col, "%s (%s)", T(lang, p->column_msgid), T(lang, "missing from the file"));
        else
            snprintf(col, sizeof col, "%s", p->column);
        json_array_append_new(probs, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "row", (json_int_t)p->row, "column", col,
                                               "value", p->value, "message", T(lang, p->msg), "detail", p->detail, "text", text));
    }
    json_t *ign = json_array();
    for (int i = 0; i < r->nignored; i++)
        json_array_append_new(ign, json_string(r->ignored[i]));
    return json_pack("{s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "dry_run", r->dry_run, "written", r->written,
                     "header_row", (json_int_t)r->header_row, "rows", (json_int_t)r->rows, "created", (json_int_t)r->created,
                     "updated", (json_int_t)r->updated, "unchanged", (json_int_t)r->unchanged, "skipped",
                     (json_int_t)r->skipped, "problems_total", (json_int_t)r->nproblems, "problems", probs,
                     "ignored_columns", ign);
}
