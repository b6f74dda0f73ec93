/* import_jobs.h: spreadsheet imports started from the web run in a thread of their own,
 * so that the page can show their progress while they read (and the event loops go on). */
#ifndef DVK_IMPORT_JOBS_H
#define DVK_IMPORT_JOBS_H
#include <jansson.h>
#include <stdbool.h>
#include "service/service.h"

#define IMPORT_JOB_ID 33

/* Where jobs open their own store connection; set once before threads start. Uploads a
 * previous run left in DATADIR/imports (jobs live in memory) are removed. */
void import_jobs_init(const char *db_url, const char *datadir);
/* The size cap and read-only mode of dvk serve, for the jobs' connections too (store limit). */
void import_jobs_limit(int64_t max_bytes, bool read_only);
/* Starts importing path (a copy the job owns and removes when it is forgotten) for a.
 * name is the file's name as uploaded. Returns SVC_OK with id, SVC_THROTTLED when as many
 * imports of that kind run as may (one real import, two checks), or SVC_ERROR. */
int import_job_start(const struct actor *a, const char *path, const char *name, bool dry_run, char id[IMPORT_JOB_ID]);
/* A real import of the file a finished dry run read. SVC_NOTFOUND when the job is not a's,
 * SVC_CONFLICT when it is not a finished dry run without problems, SVC_THROTTLED when busy
 * (the dry run keeps its file). */
int import_job_commit(const struct actor *a, const char *dry_id, char id[IMPORT_JOB_ID]);
/* {"id", "state": "running"|"done"|"failed", "dry_run", "file", "bytes_done", "bytes_total", "rows",
 *  "report": {...} once done}; NULL when unknown or not a's. */
json_t *import_job_json(const char *id, const struct actor *a, int lang);

#endif
