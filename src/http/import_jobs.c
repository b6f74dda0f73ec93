/* import_jobs.c: a small table of import jobs, each run by a detached thread with its own
 * store connection. Jobs live in memory: a restart forgets them (their files are removed then),
 * which loses nothing, since a job writes all or nothing in one transaction. */
#include <dirent.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "http/import_jobs.h"
#include "service/import_service.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"

#define JOBS_MAX 32

enum { JOB_FREE, JOB_RUNNING, JOB_DONE, JOB_FAILED };

struct job {
    int state;
    char id[IMPORT_JOB_ID];
    struct actor actor;
    bool dry_run;
    char name[160];
    char *path;
    uint64_t done, total;
    int64_t rows;
    bool saving; /* every row read and good: the writing ends */
    int rc;
    struct import_report report;
    unsigned long seq; /* age, for forgetting the oldest finished job */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct job jobs[JOBS_MAX];
static unsigned long seq;
static char db_url[4096];
static int64_t db_max_bytes;
static bool db_read_only;

void import_jobs_limit(int64_t max_bytes, bool read_only)
{
    db_max_bytes = max_bytes;
    db_read_only = read_only;
}

void import_jobs_init(const char *db, const char *datadir)
{
    snprintf(db_url, sizeof db_url, "%s", db);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/imports", datadir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "upload-", 7) == 0) {
            char p[4500];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    closedir(d);
}

static struct job *find(const char *id, const struct actor *a)
{
    for (int i = 0; i < JOBS_MAX; i++)
        if (jobs[i].state != JOB_FREE && strcmp(jobs[i].id, id) == 0 && jobs[i].actor.user_id == a->user_id)
            return &jobs[i];
    return NULL;
}

static void forget(struct job *j)
{
    if (j->path) {
        unlink(j->path);
        free(j->path);
    }
    import_report_free(&j->report);
    memset(j, 0, sizeof *j);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, int64_t rows)
{
    struct job *j = ctx;
    pthread_mutex_lock(&lock);
    j->done = done;
    j->total = total;
    j->rows = rows;
    pthread_mutex_unlock(&lock);
}

static void on_saving(void *ctx)
{
    struct job *j = ctx;
    pthread_mutex_lock(&lock);
    j->saving = true;
    pthread_mutex_unlock(&lock);
}

static void *run(void *arg)
{
    struct job *j = arg;
    struct import_report rep;
    memset(&rep, 0, sizeof rep);
    int rc = SVC_ERROR;
    struct store *st = store_open(db_url);
    if (st && (db_max_bytes > 0 || db_read_only) && st->ops->limit(st, db_max_bytes, db_read_only) != ST_OK) {
        st->ops->close(st);
        st = NULL;
    }
    if (st) {
        struct import_opts o = {j->dry_run, j->name, on_progress, j, on_saving};
        rc = svc_models_import(st, &j->actor, j->path, &o, &rep);
        st->ops->close(st);
    }
    pthread_mutex_lock(&lock);
    j->report = rep;
    j->rc = rc;
    j->rows = rep.rows;
    j->done = j->total;
    j->state = rc == SVC_OK || rc == SVC_INVALID ? JOB_DONE : JOB_FAILED;
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* A free slot, forgetting the oldest finished job when all are taken; NULL when every job runs. */
static struct job *slot(void)
{
    struct job *oldest = NULL;
    for (int i = 0; i < JOBS_MAX; i++) {
        if (jobs[i].state == JOB_FREE)
            return &jobs[i];
        if (jobs[i].state != JOB_RUNNING && (!oldest || jobs[i].seq < oldest->seq))
            oldest = &jobs[i];
    }
    if (oldest)
        forget(oldest);
    return oldest;
}

/* A real import holds the database's write lock until it ends: one at a time, and a few
 * checks beside it, so that the pages' own writes wait seconds, not minutes. */
#define REAL_JOBS_AT_ONCE 1
#define DRY_JOBS_AT_ONCE 2

static int start(const struct actor *a, char *path, const char *name, bool dry_run, char id[IMPORT_JOB_ID])
{
    pthread_mutex_lock(&lock);
    int running = 0;
    for (int i = 0; i < JOBS_MAX; i++)
        running += jobs[i].state == JOB_RUNNING && jobs[i].dry_run == dry_run;
    struct job *j = running >= (dry_run ? DRY_JOBS_AT_ONCE : REAL_JOBS_AT_ONCE) ? NULL : slot();
    if (!j) {
        pthread_mutex_unlock(&lock);
        return SVC_THROTTLED;
    }
    j->state = JOB_RUNNING;
    j->saving = false;
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(j->id, sizeof j->id, rnd, sizeof rnd);
    j->actor = *a;
    j->dry_run = dry_run;
    snprintf(j->name, sizeof j->name, "%s", name);
    text_sanitize(j->name); /* cut inside a character, the job would not show as JSON */
    j->path = path;
    j->seq = ++seq;
    memcpy(id, j->id, IMPORT_JOB_ID);
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int e = pthread_create(&t, &at, run, j);
    pthread_attr_destroy(&at);
    if (e) {
        log_error("import: cannot start a thread (%s)", strerror(e));
        j->path = NULL; /* the caller still owns it */
        forget(j);
        pthread_mutex_unlock(&lock);
        return SVC_ERROR;
    }
    pthread_mutex_unlock(&lock);
    return SVC_OK;
}

int import_job_start(const struct actor *a, const char *path, const char *name, bool dry_run, char id[IMPORT_JOB_ID])
{
    char *p = xstrdup(path);
    int rc = start(a, p, name, dry_run, id);
    if (rc) {
        unlink(p);
        free(p);
    }
    return rc;
}

int import_job_commit(const struct actor *a, const char *dry_id, char id[IMPORT_JOB_ID])
{
    pthread_mutex_lock(&lock);
    struct job *d = find(dry_id, a);
    if (!d) {
        pthread_mutex_unlock(&lock);
        return SVC_NOTFOUND;
    }
    if (d->state != JOB_DONE || !d->dry_run || d->report.nproblems || !d->path) {
        pthread_mutex_unlock(&lock);
        return SVC_CONFLICT;
    }
    /* the real run takes the file over; the dry run's report stays readable */
    char *path = d->path, name[160];
    d->path = NULL;
    snprintf(name, sizeof name, "%s", d->name);
    pthread_mutex_unlock(&lock);
    int rc = start(a, path, name, false, id);
    if (rc) {
        /* busy: the dry run keeps its file, so that its button works a minute later */
        pthread_mutex_lock(&lock);
        d = find(dry_id, a);
        if (d && !d->path)
            d->path = path;
        else {
            unlink(path);
            free(path);
        }
        pthread_mutex_unlock(&lock);
    }
    return rc;
}

json_t *import_job_json(const char *id, const struct actor *a, int lang)
{
    pthread_mutex_lock(&lock);
    struct job *j = find(id, a);
    json_t *o = NULL;
    if (j) {
        static const char *const states[] = {"", "running", "done", "failed"};
        o = json_pack("{s:s, s:s, s:b, s:s, s:I, s:I, s:I}", "id", j->id, "state", states[j->state], "dry_run", j->dry_run,
                      "file", j->name, "bytes_done", (json_int_t)j->done, "bytes_total", (json_int_t)j->total, "rows",
                      (json_int_t)j->rows);
        /* what a running job does: reading the rows, or writing them once all are good */
        json_object_set_new(o, "phase", json_string(j->state != JOB_RUNNING ? "finished" : j->saving ? "saving" : "reading"));
        if (j->state == JOB_DONE)
            json_object_set_new(o, "report", import_report_json(&j->report, lang));
    }
    pthread_mutex_unlock(&lock);
    return o;
}
