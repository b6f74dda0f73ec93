/* page_import.c: importing models from a spreadsheet (a page with progress, and
 * POST /api/v1/imports) and exporting them in the same layout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "http/import_jobs.h"
#include "service/export_service.h"
#include "service/import_service.h"
#include "service/sheet_layout.h"

/* Saves an upload under DATADIR/imports; the path is malloc'd. */
static char *save_upload(struct rq *r, const char *data, size_t len)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/imports", r->datadir);
    if ((mkdir(r->datadir, 0750) && errno != EEXIST) || (mkdir(dir, 0750) && errno != EEXIST))
        return NULL;
    size_t n = strlen(dir) + 32;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/upload-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return NULL;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    if (close(fd) != 0 || off < len) {
        unlink(path);
        free(path);
        return NULL;
    }
    return path;
}

static bool truthy(const char *s)
{
    return s && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "on") == 0 || strcmp(s, "yes") == 0);
}

/* ---- pages ---------------------------------------------------------------------------- */

static void import_form(struct rq *r, const char *error)
{
    hf(r, "<h1>%t</h1>", N_("Import models from a spreadsheet"));
    hf(r, "<p>%t</p>", N_("Choose the CSV or Excel (.xlsx) file your office keeps. dvk finds the columns by their "
                         "headers, checks every row, and writes nothing until the whole file is right."));
    if (error)
        hf(r, "<p class=\"error\" role=\"alert\">%t</p>", error);
    hf(r, "<form method=\"post\" action=\"/models/import\" enctype=\"multipart/form-data\">");
    csrf_field(r);
    hf(r, "<div class=\"field\"><label for=\"im-file\">%t</label>"
          "<input id=\"im-file\" name=\"file\" type=\"file\" required accept=\".csv,.xlsx,text/csv,"
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\" aria-describedby=\"im-file-help\">"
          "<p class=\"help\" id=\"im-file-help\">%t</p></div>"
          "<div class=\"field check\"><input type=\"checkbox\" id=\"im-dry\" name=\"dry_run\" value=\"1\" checked>"
          "<label for=\"im-dry\">%t</label></div>"
          "<button type=\"submit\">%t</button></form>",
       N_("File"), N_("Up to 15 MB. Larger files: dvk import on the server."), N_("Only check the file; write nothing yet"),
       N_("Read the file"));
    hf(r, "<details><summary>%t</summary><p>%t</p><ul class=\"cols\">", N_("Columns dvk reads"),
       N_("Headers may be in Vietnamese or English, with or without diacritics, in any order. Other columns are listed "
          "and left out. A unit is found by its code, or by its name under the province (and the district, before "
          "the 2025 merger)."));
    for (int i = 0; i < sheet_ncols; i++)
        hf(r, "<li>%t</li>", sheet_cols[i].header);
    hf(r, "<li>%t</li></ul></details>", N_("Results: one column per indicator, e.g. \"Số hộ tham gia 2024\""));
    hf(r, "<p><a href=\"/models/export?format=xlsx\">%t</a> · <a href=\"/models/export?format=csv\">%t</a></p>",
       N_("Export the models as Excel (.xlsx), in this layout"), N_("as CSV"));
}

int page_import_form(struct rq *r)
{
    if (!authz_import(&r->actor))
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    page_begin(r, N_("Import models from a spreadsheet"), NULL);
    import_form(r, NULL);
    return page_end(r, 200);
}

int page_import_post(struct rq *r)
{
    if (!authz_import(&r->actor))
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    const struct rq_file *f = NULL;
    for (int i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i].field, "file") == 0)
            f = &r->files[i];
    if (!f || f->len == 0) {
        page_begin(r, N_("Import models from a spreadsheet"), NULL);
        import_form(r, N_("Choose a file first."));
        return page_end(r, 400);
    }
    char *path = save_upload(r, f->data, f->len);
    char id[IMPORT_JOB_ID];
    int rc = path ? import_job_start(&r->actor, path, f->filename && *f->filename ? f->filename : "upload",
                                     truthy(rq_form(r, "dry_run")), id)
                  : SVC_ERROR;
    free(path);
    if (rc == SVC_THROTTLED)
        return page_error(r, 503, N_("Too many imports are running; try again in a minute."));
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    char loc[96];
    snprintf(loc, sizeof loc, "/models/import/%s", id);
    return redirect(r, loc);
}

static void report_page(struct rq *r, json_t *job)
{
    const char *state = json_string_value(json_object_get(job, "state"));
    bool dry = json_is_true(json_object_get(job, "dry_run"));
    const char *file = json_string_value(json_object_get(job, "file"));
    hf(r, "<h1>%t</h1><p>%t: <strong>%s</strong></p>", dry ? N_("Checking a spreadsheet") : N_("Importing a spreadsheet"),
       N_("File"), file);
    if (strcmp(state, "running") == 0 && strcmp(json_string_value(json_object_get(job, "phase")), "saving") == 0) {
        /* no percentage to give: a bar without a value moves by itself */
        hf(r, "<p class=\"progress\" role=\"status\" aria-live=\"polite\">%t · %N %t</p><progress></progress>"
              "<p class=\"hint\">%t</p>",
           N_("Saving: building the indexes and the search index…"), (double)json_integer_value(json_object_get(job, "rows")),
           N_("rows"), N_("This page refreshes by itself."));
        return;
    }
    if (strcmp(state, "running") == 0) {
        json_int_t done = json_integer_value(json_object_get(job, "bytes_done")),
                   total = json_integer_value(json_object_get(job, "bytes_total"));
        int pct = total > 0 ? (int)(done * 100 / total) : 0;
        hf(r, "<p class=\"progress\" role=\"status\" aria-live=\"polite\">%t %d%% · %N %t</p>"
              "<progress max=\"100\" value=\"%d\">%d%%</progress><p class=\"hint\">%t</p>",
           N_("Reading:"), pct, (double)json_integer_value(json_object_get(job, "rows")), N_("rows"), pct, pct,
           N_("This page refreshes by itself."));
        return;
    }
    json_t *rep = json_object_get(job, "report");
    if (!rep) {
        hf(r, "<p class=\"error\" role=\"alert\">%t</p>", N_("Something went wrong; nothing was changed."));
        return;
    }
    json_int_t np = json_integer_value(json_object_get(rep, "problems_total"));
    bool written = json_is_true(json_object_get(rep, "written"));
    hf(r, "<p role=\"status\">%N %t: %N %t, %N %t, %N %t.</p>", (double)json_integer_value(json_object_get(rep, "rows")),
       N_("rows"), (double)json_integer_value(json_object_get(rep, "created")), N_("new"),
       (double)json_integer_value(json_object_get(rep, "updated")), N_("updated"),
       (double)json_integer_value(json_object_get(rep, "unchanged")), N_("unchanged"));
    if (np == 0 && written)
        hf(r, "<p class=\"ok\">%t <a href=\"/models\">%t</a></p>", N_("The file was imported."), N_("See the models"));
    else if (np == 0 && dry) {
        hf(r, "<p class=\"ok\">%t</p><form method=\"post\" action=\"/models/import/%u/commit\">",
           N_("No problems were found. Nothing has been written yet."), json_string_value(json_object_get(job, "id")));
        csrf_field(r);
        hf(r, "<button type=\"submit\">%t</button></form>", N_("Import this file"));
    } else if (np) {
        hf(r, "<p class=\"error\" role=\"alert\">%N %t</p>", (double)np,
           N_("problems were found. Nothing was written: correct the file and read it again."));
        hf(r, "<table class=\"list\"><thead><tr><th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
              "<th scope=\"col\">%t</th></tr></thead><tbody>",
           N_("Row"), N_("Column"), N_("Value"), N_("Problem"));
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(rep, "problems"), i, p)
        {
            json_int_t row = json_integer_value(json_object_get(p, "row"));
            const char *detail = json_string_value(json_object_get(p, "detail"));
            hf(r, "<tr><td data-label=\"%t\">", N_("Row"));
            if (row)
                hf(r, "%N", (double)row);
            hf(r, "</td><td data-label=\"%t\">%s</td><td data-label=\"%t\">%s</td><td data-label=\"%t\">%s%s%s%s</td></tr>",
               N_("Column"), json_string_value(json_object_get(p, "column")), N_("Value"),
               json_string_value(json_object_get(p, "value")), N_("Problem"),
               json_string_value(json_object_get(p, "message")), detail && *detail ? " (" : "", detail,
               detail && *detail ? ")" : "");
        }
        hf(r, "</tbody></table>");
        if (np > (json_int_t)json_array_size(json_object_get(rep, "problems")))
            hf(r, "<p>%t</p>", N_("… and more problems: fix these and run the check again."));
    }
    json_t *ign = json_object_get(rep, "ignored_columns");
    if (json_array_size(ign)) {
        hf(r, "<p>%t:</p><ul>", N_("Columns not used"));
        size_t i;
        json_t *c;
        json_array_foreach(ign, i, c) hf(r, "<li>%s</li>", json_string_value(c));
        hf(r, "</ul>");
    }
    hf(r, "<p><a href=\"/models/import\">%t</a></p>", N_("Read another file"));
}

int page_import_job(struct rq *r)
{
    json_t *job = import_job_json(r->params[0], &r->actor, r->lang);
    if (!job)
        return page_error(r, 404, N_("Page not found."));
    bool running = strcmp(json_string_value(json_object_get(job, "state")), "running") == 0;
    if (running)
        rq_add_header(r, "refresh", "1");
    page_begin(r, N_("Import models from a spreadsheet"), NULL);
    report_page(r, job);
    json_decref(job);
    return page_end(r, 200);
}

int page_import_commit(struct rq *r)
{
    char id[IMPORT_JOB_ID];
    int rc = import_job_commit(&r->actor, r->params[0], id);
    if (rc == SVC_NOTFOUND)
        return page_error(r, 404, N_("Page not found."));
    if (rc == SVC_CONFLICT)
        return page_error(r, 409, N_("This file was already imported, or its check found problems."));
    if (rc == SVC_THROTTLED)
        return page_error(r, 503, N_("Too many imports are running; try again in a minute."));
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    char loc[96];
    snprintf(loc, sizeof loc, "/models/import/%s", id);
    return redirect(r, loc);
}

/* ---- API -------------------------------------------------------------------------------- */

/* The answer to a request that started a job (rc from import_job_start or _commit). */
static int job_started(struct rq *r, int rc, const char id[IMPORT_JOB_ID])
{
    if (rc == SVC_THROTTLED)
        return api_error(r, 503, "busy", N_("Too many imports are running; try again in a minute."), NULL);
    if (rc)
        return api_svc_error(r, rc);
    char loc[96];
    snprintf(loc, sizeof loc, "/api/v1/imports/%s", id);
    rq_add_header(r, "location", loc);
    return json_reply(r, 202, json_pack("{s:s, s:s, s:s}", "id", id, "state", "running", "url", loc));
}

int api_import_create(struct rq *r)
{
    if (!authz_import(&r->actor))
        return api_svc_error(r, SVC_FORBIDDEN);
    if (r->body_len == 0)
        return api_error(r, 400, "missing_file", N_("Send the CSV or XLSX file as the request body."), NULL);
    const char *dry = rq_query(r, "dry_run");
    if (dry && !truthy(dry) && strcmp(dry, "false") != 0 && strcmp(dry, "0") != 0)
        return api_error(r, 400, "invalid_query", N_("Unknown value."), "dry_run");
    const char *name = rq_query(r, "name");
    char *path = save_upload(r, r->body, r->body_len);
    char id[IMPORT_JOB_ID];
    int rc = path ? import_job_start(&r->actor, path, name && *name ? name : "upload", truthy(dry), id) : SVC_ERROR;
    free(path);
    return job_started(r, rc, id);
}

int api_import_get(struct rq *r)
{
    json_t *job = import_job_json(r->params[0], &r->actor, r->lang);
    if (!job)
        return api_svc_error(r, SVC_NOTFOUND);
    return json_reply(r, 200, job);
}

int api_import_commit(struct rq *r)
{
    char id[IMPORT_JOB_ID];
    int rc = import_job_commit(&r->actor, r->params[0], id);
    if (rc == SVC_CONFLICT)
        return api_error(r, 409, "not_committable", N_("This file was already imported, or its check found problems."), NULL);
    return job_started(r, rc, id);
}

/* GET /models/export and /api/v1/models/export: ?format=csv|xlsx and the list's filters. */
int page_models_export(struct rq *r)
{
    bool api = strncmp(r->path, "/api/", 5) == 0;
    const char *fmt = rq_query(r, "format");
    int format = !fmt || strcmp(fmt, "csv") == 0 ? EXPORT_CSV : strcmp(fmt, "xlsx") == 0 ? EXPORT_XLSX : 0;
    if (!format)
        return api ? api_error(r, 400, "invalid_query", N_("Unknown value."), "format") : page_error(r, 400, N_("Unknown value."));
    struct model_query q;
    model_query_from(r, &q);
    char path[] = "/tmp/dvk-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return api ? api_svc_error(r, SVC_ERROR) : page_error(r, 500, N_("Something went wrong; nothing was changed."));
    close(fd);
    int64_t n = 0;
    int rc = svc_models_export(r->st, &r->actor, &q, format, r->lang, path, &n);
    if (rc) {
        unlink(path);
        if (api)
            return rc == SVC_INVALID ? api_error(r, 400, "invalid_query", N_("Unknown value."), NULL) : api_svc_error(r, rc);
        return page_error(r, rc == SVC_FORBIDDEN ? 403 : rc == SVC_INVALID ? 400 : 500,
                          rc == SVC_FORBIDDEN ? N_("Your role or unit does not allow this.")
                          : rc == SVC_INVALID ? N_("Unknown value.")
                                              : N_("Something went wrong; nothing was changed."));
    }
    int read = buf_add_file(&r->out, path);
    unlink(path);
    if (read)
        return api ? api_svc_error(r, SVC_ERROR) : page_error(r, 500, N_("Something went wrong; nothing was changed."));
    r->content_type = format == EXPORT_CSV ? "text/csv; charset=utf-8"
                                           : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    rq_add_header(r, "content-disposition", format == EXPORT_CSV ? "attachment; filename=\"dvk-models.csv\""
                                                                 : "attachment; filename=\"dvk-models.xlsx\"");
    rq_add_header(r, "cache-control", "private, no-store");
    return 200;
}
