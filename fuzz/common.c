/* common.c: the shared part of the fuzz targets (fuzz.h): the demo database, reset per
 * input, requests without a server, scratch files. */
#include <h2o.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include "fuzz.h"
#include "http/i18n.h"
#include "store/sqlite_int.h"
#include "util/sheet.h"
#include "util/sheet_int.h"
#include "util/text.h"

/* ---- the demo database ------------------------------------------------------------ */

static struct store *store;
static unsigned char *image; /* the database file as loaded */
static size_t image_len;
static char dbpath[512];

static void die(const char *what)
{
    fprintf(stderr, "fuzz: %s\n", what);
    abort();
}

static void remove_db(void)
{
    char p[600];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
}

static bool dirty = true; /* the file no longer holds the image: open it afresh */

static void reopen(void)
{
    if (store)
        store->ops->close(store);
    remove_db();
    FILE *f = fopen(dbpath, "wb");
    if (!f || fwrite(image, 1, image_len, f) != image_len || fclose(f) != 0)
        die("cannot write the demo database");
    store = store_open_sqlite(dbpath);
    if (!store)
        die("cannot open the demo database");
    dirty = false;
}

/* The demo database is a file in memory (/dev/shm), opened as dvk opens it, and each input
 * runs inside an outer transaction that fuzz_store_end rolls back: the store's begin()
 * nests (only the outermost one speaks to SQLite), so what the input writes is undone.
 * When the input's own code ended the transaction (a rollback ends every level), what
 * came after may have been committed: the file is then written afresh from the image.
 * (Putting the image back under an open connection with sqlite3_deserialize made SQLite
 * 3.40 crash re-preparing a statement with triggers: a harness fault, not dvk's.) */
struct store *fuzz_store(void)
{
    if (!image) {
        i18n_init();
        const char *tmp = getenv("TMPDIR");
        if (!tmp || !*tmp)
            tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(dbpath, sizeof dbpath, "%s/dvk-fuzz-%ld.db", tmp, (long)getpid());
        remove_db();
        atexit(remove_db);
        struct store *st = store_open_sqlite(dbpath);
        char msg[256] = "";
        if (!st || svc_demo_load(st, msg, sizeof msg) != SVC_OK)
            die(msg[0] ? msg : "cannot make the demo database");
        st->ops->close(st); /* checkpoints the WAL into the file */
        FILE *f = fopen(dbpath, "rb");
        if (!f || fseek(f, 0, SEEK_END) != 0)
            die("cannot read the demo database");
        image_len = (size_t)ftell(f);
        image = xmalloc(image_len);
        rewind(f);
        if (fread(image, 1, image_len, f) != image_len)
            die("cannot read the demo database");
        fclose(f);
    }
    if (dirty)
        reopen();
    if (store->ops->begin(store) != ST_OK)
        die("cannot begin the outer transaction");
    return store;
}

void fuzz_store_end(struct store *st)
{
    struct sqlite_store *s = S(st);
    /* a use case that began a transaction and neither committed nor rolled it back */
    fuzz_check(s->depth <= 1, "a transaction was left open");
    if (s->depth == 1 && !sqlite3_get_autocommit(s->db)) {
        st->ops->rollback(st);
        return;
    }
    st->ops->rollback(st);
    dirty = true;
}

void fuzz_actor(struct store *st, int which, struct actor *a)
{
    static const struct {
        const char *login, *role;
        int hierarchy;
        const char *unit;
    } users[] = {
        {"fuzz.staff", "staff", 2024, "49"},
        {"fuzz.officer", "officer", 2024, "20368"},
        {"fuzz.appraiser", "appraiser", 2025, "48"},
        {"fuzz.viewer", "viewer", 2025, "20380"},
    };
    if (which < 0 || which >= (int)(sizeof users / sizeof users[0])) {
        actor_system(a);
        return;
    }
    struct user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", users[which].login);
    snprintf(u.role, sizeof u.role, "%s", users[which].role);
    u.hierarchy = users[which].hierarchy;
    snprintf(u.unit_code, sizeof u.unit_code, "%s", users[which].unit);
    if (actor_from_user(st, &u, "127.0.0.1", a) != SVC_OK)
        die("a fuzz user's unit is not in the demo catalogue");
}

/* ---- requests without a server ------------------------------------------------------ */

struct fuzz_rq {
    struct rq r; /* first: a struct rq * is a struct fuzz_rq * */
    h2o_req_t req;
};

struct rq *fuzz_rq_new(struct store *st, const struct actor *a, int lang)
{
    struct fuzz_rq *f = xcalloc(1, sizeof *f);
    h2o_mem_init_pool(&f->req.pool);
    f->r.h2o = &f->req;
    f->r.st = st;
    f->r.lang = lang;
    f->r.method = "GET";
    f->r.path = "/";
    f->r.authed = a != NULL;
    f->r.by_token = true;
    if (a)
        f->r.actor = *a;
    snprintf(f->r.address, sizeof f->r.address, "127.0.0.1");
    f->r.datadir = "/nonexistent/dvk-fuzz";
    return &f->r;
}

void fuzz_rq_header(struct rq *r, const char *name, const char *value)
{
    struct fuzz_rq *f = (struct fuzz_rq *)r;
    h2o_iovec_t n = h2o_strdup(&f->req.pool, name, strlen(name)), v = h2o_strdup(&f->req.pool, value, strlen(value));
    h2o_add_header_by_str(&f->req.pool, &f->req.headers, n.base, n.len, 0, NULL, v.base, v.len);
}

void fuzz_rq_free(struct rq *r)
{
    struct fuzz_rq *f = (struct fuzz_rq *)r;
    buf_free(&f->r.out);
    h2o_mem_clear_pool(&f->req.pool);
    free(f);
}

void fuzz_check_reply(struct rq *r, int status)
{
    fuzz_check(status >= 200 && status <= 599, "handler: status out of range");
    fuzz_check(status != 500, "handler: 500 for a request");
    if (r->content_type && strncmp(r->content_type, "application/json", 16) == 0) {
        json_t *j = json_loadb(r->out.p ? r->out.p : "", r->out.len, 0, NULL);
        fuzz_check(j != NULL, "handler: the JSON reply does not parse");
        json_decref(j);
    }
    fuzz_check(text_valid(buf_cstr(&r->out), r->out.len), "handler: the reply is not valid text");
}

/* ---- scratch files ------------------------------------------------------------------ */

static char scratch[4][512];
static int nscratch;

static void remove_scratch(void)
{
    for (int i = 0; i < nscratch; i++)
        unlink(scratch[i]);
}

const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    int i;
    for (i = 0; i < nscratch; i++)
        if (strcmp(scratch[i] + strlen(scratch[i]) - strlen(suffix), suffix) == 0)
            break;
    if (i == nscratch) {
        if (nscratch == 4)
            die("too many scratch files");
        /* memory, not disk: a file is written for every input */
        const char *tmp = getenv("TMPDIR");
        if (!tmp || !*tmp)
            tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(scratch[i], sizeof scratch[i], "%s/dvk-fuzz-%ld%s", tmp, (long)getpid(), suffix);
        if (nscratch++ == 0)
            atexit(remove_scratch);
    }
    FILE *f = fopen(scratch[i], "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        die("cannot write the scratch file");
    return scratch[i];
}

const char *fuzz_xlsx(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return fuzz_file(data, size, ".xlsx");
    const char *path = fuzz_file(NULL, 0, ".xlsx");
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z)
        die("cannot make a zip");
    size_t at = 0;
    int entries = 0;
    while (at < size && entries < 16) {
        const uint8_t *sep = NULL;
        for (size_t i = at; i + 1 < size && !sep; i++)
            if (data[i] == 0 && data[i + 1] == 1)
                sep = data + i;
        size_t end = sep ? (size_t)(sep - data) : size;
        const uint8_t *nl = memchr(data + at, '\n', end - at);
        if (nl) {
            char name[256];
            size_t nlen = (size_t)(nl - (data + at));
            if (nlen > 0 && nlen < sizeof name && !memchr(data + at, 0, nlen)) {
                memcpy(name, data + at, nlen);
                name[nlen] = 0;
                size_t clen = end - (size_t)(nl + 1 - data);
                zip_source_t *src = zip_source_buffer(z, nl + 1, clen, 0);
                zip_int64_t idx = src ? zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) : -1;
                if (idx < 0)
                    zip_source_free(src); /* a name used twice, or not one libzip takes */
                else
                    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
                entries++;
            }
        }
        at = end + 2;
    }
    if (zip_close(z) != 0) {
        zip_discard(z);
        return NULL;
    }
    return path;
}

const struct sheet_limits *fuzz_sheet_limits(void)
{
    static const struct sheet_limits lim = {
        .cell_bytes = 4096,
        .row_bytes = 65536,
        .columns = 300,
        .sheet_bytes = 4 << 20,
        .part_bytes = 1 << 20,
        .sst_bytes = 1 << 20,
        .sst_count = 10000,
        .token_bytes = 1 << 20,
    };
    return &lim;
}

int fuzz_sheet_row(void *ctx, const struct sheet_row *r)
{
    struct fuzz_rows *s = ctx;
    const struct sheet_limits *lim = fuzz_sheet_limits();
    fuzz_check(r->row > s->last_row, "sheet_read: row numbers do not increase");
    fuzz_check(r->n >= 0 && r->n <= lim->columns, "sheet_read: cell count out of range");
    for (int i = 0; i < r->n; i++) {
        fuzz_check(r->cells[i] != NULL, "sheet_read: a NULL cell");
        fuzz_check(strlen(r->cells[i]) <= lim->cell_bytes, "sheet_read: a cell over the limit");
        fuzz_check(!s->csv || r->number[i] == 0, "sheet_read: a CSV cell flagged as a number");
    }
    /* "last non-empty column + 1" */
    fuzz_check(r->n == 0 || r->cells[r->n - 1][0] != 0, "sheet_read: trailing empty cells delivered");
    s->last_row = r->row;
    return ++s->rows >= 100000; /* enough: stop early, as a caller may */
}

void fuzz_check(int ok, const char *msg)
{
    if (!ok) {
        fprintf(stderr, "fuzz: property failed: %s\n", msg);
        abort();
    }
}
