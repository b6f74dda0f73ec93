/* common.c: the shared part of the fuzz targets (fuzz.h): the demo database, reset per
 * input, requests without a server, scratch files. */
#include <h2o.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"
#include "http/i18n.h"
#include "store/sqlite_int.h"

/* ---- the demo database ------------------------------------------------------------ */

static struct store *store;
static unsigned char *image; /* the database as loaded (sqlite3_serialize) */
static sqlite3_int64 image_len;

static void die(const char *what)
{
    fprintf(stderr, "fuzz: %s\n", what);
    abort();
}

struct store *fuzz_store(void)
{
    if (!store) {
        i18n_init();
        store = store_open_sqlite(":memory:");
        char msg[256] = "";
        if (!store || svc_demo_load(store, msg, sizeof msg) != SVC_OK)
            die(msg[0] ? msg : "cannot make the demo database");
        image = sqlite3_serialize(S(store)->db, "main", &image_len, 0);
        if (!image)
            die("cannot serialize the demo database");
        if (sqlite3_exec(S(store)->db, "CREATE TEMP TABLE fuzz_tick (n INTEGER)", NULL, NULL, NULL) != SQLITE_OK)
            die("cannot make the temp table");
        return store;
    }
    struct sqlite_store *s = S(store);
    /* an input whose handler left a transaction open would be a bug of its own */
    fuzz_check(s->depth == 0 && sqlite3_get_autocommit(s->db), "a transaction was left open");
    unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)image_len);
    if (!copy)
        die("out of memory");
    memcpy(copy, image, (size_t)image_len);
    if (sqlite3_deserialize(s->db, "main", copy, image_len, image_len,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
        die("cannot reset the demo database");
    /* The store caches list totals while total_changes stays put; the reset changes the
     * data under it without counting, so count one change. */
    if (sqlite3_exec(s->db, "INSERT INTO temp.fuzz_tick VALUES (1)", NULL, NULL, NULL) != SQLITE_OK)
        die("cannot write the temp table");
    return store;
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
    h2o_iovec_t n = h2o_strdup(&f->req.pool, name, strlen(name));
    h2o_add_header_by_str(&f->req.pool, &f->req.headers, n.base, n.len, 0, NULL, value, strlen(value));
}

void fuzz_rq_free(struct rq *r)
{
    struct fuzz_rq *f = (struct fuzz_rq *)r;
    buf_free(&f->r.out);
    h2o_mem_clear_pool(&f->req.pool);
    free(f);
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
        const char *tmp = getenv("TMPDIR");
        snprintf(scratch[i], sizeof scratch[i], "%s/dvk-fuzz-%ld%s", tmp && *tmp ? tmp : "/tmp", (long)getpid(), suffix);
        if (nscratch++ == 0)
            atexit(remove_scratch);
    }
    FILE *f = fopen(scratch[i], "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        die("cannot write the scratch file");
    return scratch[i];
}

void fuzz_check(int ok, const char *msg)
{
    if (!ok) {
        fprintf(stderr, "fuzz: property failed: %s\n", msg);
        abort();
    }
}
