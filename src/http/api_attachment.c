/* api_attachment.c: uploading evidence (multipart field "file"), listing it, and
 * downloading it with headers that keep a browser from running or sniffing it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/blobs.h"

static json_t *attachment_to_json(const struct attachment *a)
{
    char url[64], thumb[72];
    snprintf(url, sizeof url, "/attachments/%" PRId64, a->id);
    snprintf(thumb, sizeof thumb, "/attachments/%" PRId64 "/thumb", a->id);
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:s, s:s, s:s?, s:s, s:s}", "id", (json_int_t)a->id, "entity",
                     a->entity, "entity_id", (json_int_t)a->entity_id, "name", a->name, "type", file_kind_mime[a->kind],
                     "size", (json_int_t)a->size, "sha256", a->sha256, "url", url, "thumbnail_url",
                     a->has_thumb ? thumb : NULL, "created_at", a->created_at, "login", a->login);
}

/* entity from the route: /api/v1/{models,appraisals,awards}/{id}/attachments */
static const char *entity_of(const char *path)
{
    return strncmp(path, "/api/v1/models/", 15) == 0       ? "model"
           : strncmp(path, "/api/v1/appraisals/", 19) == 0 ? "appraisal"
                                                           : "award";
}

static const struct rq_file *file_field(struct rq *r)
{
    for (int i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i].field, "file") == 0)
            return &r->files[i];
    return NULL;
}

int api_attachment_create(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    if (!id)
        return api_svc_error(r, SVC_NOTFOUND);
    const struct rq_file *f = file_field(r);
    if (!f)
        return api_error(r, 400, "missing_field", N_("Send the file in the multipart field \"file\"."), "file");
    struct attachment a;
    struct verrs v = {0};
    int rc = svc_attachment_add(r->st, &r->actor, r->datadir, entity_of(r->path), id, f->filename, f->data, f->len, &a,
                                &v);
    if (rc == SVC_INVALID)
        return api_invalid(r, &v);
    if (rc == SVC_ERROR)
        return api_error(r, 507, "storage", N_("The file could not be stored (is the disk full?); nothing was changed."),
                         NULL);
    if (rc)
        return api_svc_error(r, rc);
    return json_reply(r, 201, attachment_to_json(&a));
}

int api_attachments(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct attachment *list;
    int n;
    int rc = id ? svc_attachments(r->st, &r->actor, entity_of(r->path), id, &list, &n) : SVC_NOTFOUND;
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, attachment_to_json(&list[i]));
    free(list);
    return json_reply(r, 200, json_pack("{s:o}", "items", items));
}

static int send_file(struct rq *r, bool thumb)
{
    int64_t id = path_id(r->params[0]);
    struct attachment a;
    int rc = id ? svc_attachment_get(r->st, &r->actor, id, &a) : SVC_NOTFOUND;
    if (rc)
        return page_error(r, rc == SVC_NOTFOUND ? 404 : 500, rc == SVC_NOTFOUND ? N_("Page not found.")
                                                                              : N_("Something went wrong; nothing was changed."));
    if (thumb && !a.has_thumb)
        return page_error(r, 404, N_("Page not found."));
    char *data;
    size_t len;
    if (blob_get(r->datadir, a.sha256, thumb ? ".thumb" : "", &data, &len))
        return page_error(r, 500, N_("The file is missing from the data folder."));
    buf_add(&r->out, data, len);
    free(data);
    r->content_type = thumb ? "image/jpeg" : file_kind_mime[a.kind];
    /* never rendered as a page of this site: a download, in a sandbox, not sniffed */
    struct buf cd = BUF_INIT;
    buf_puts(&cd, thumb || file_is_image(a.kind) ? "inline" : "attachment");
    buf_puts(&cd, "; filename=\"file.");
    buf_puts(&cd, file_kind_ext[a.kind]);
    buf_puts(&cd, "\"; filename*=UTF-8''");
    url_escape(&cd, a.name);
    rq_add_header(r, "content-disposition", cd.p);
    buf_free(&cd);
    rq_add_header(r, "content-security-policy", "default-src 'none'; img-src 'self'; sandbox");
    rq_add_header(r, "cache-control", "private, max-age=86400");
    return 200;
}

int page_attachment(struct rq *r)
{
    return send_file(r, false);
}

int page_attachment_thumb(struct rq *r)
{
    return send_file(r, true);
}

/* /models/{id}/attachments, /appraisals/{id}/attachments, /awards/{id}/attachments */
static const char *page_entity(const char *path)
{
    return strncmp(path, "/models/", 8) == 0 ? "model" : strncmp(path, "/appraisals/", 12) == 0 ? "appraisal" : "award";
}

int page_attachment_upload(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    const struct rq_file *f = file_field(r);
    struct attachment a = {0};
    struct verrs v = {0};
    const char *entity = page_entity(r->path);
    int rc = !id ? SVC_NOTFOUND : !f ? SVC_INVALID
                                     : svc_attachment_add(r->st, &r->actor, r->datadir, entity, id, f->filename,
                                                          f->data, f->len, &a, &v);
    if (rc == SVC_OK) {
        /* back to the model the file belongs to (an award to a person belongs to its conference) */
        char loc[64];
        if (a.model_id)
            snprintf(loc, sizeof loc, "/models/%" PRId64 "#evidence", a.model_id);
        else
            snprintf(loc, sizeof loc, "/conferences");
        return redirect(r, loc);
    }
    page_begin(r, N_("Not done"), NULL);
    hf(r, "<h1>%t</h1><ul class=\"error\" role=\"alert\">", N_("Not done"));
    if (!f)
        hf(r, "<li>%t</li>", N_("Choose a file first."));
    for (int i = 0; i < v.n; i++)
        hf(r, "<li>%t</li>", v.e[i].msg);
    if (rc == SVC_FORBIDDEN)
        hf(r, "<li>%t</li>", N_("Your role or unit does not allow this."));
    if (rc == SVC_ERROR)
        hf(r, "<li>%t</li>", N_("The file could not be stored (is the disk full?); nothing was changed."));
    hf(r, "</ul><p><a href=\"/models/%I\">%t</a></p>", id, N_("Back to the model"));
    return page_end(r, rc == SVC_INVALID ? 422 : rc == SVC_FORBIDDEN ? 403 : rc == SVC_NOTFOUND ? 404 : 507);
}

/* The files on one entity, with thumbnails, and (when can) the form to add one. */
void attachments_block(struct rq *r, const char *entity, int64_t entity_id, bool can)
{
    struct attachment *list;
    int n;
    if (svc_attachments(r->st, &r->actor, entity, entity_id, &list, &n) != SVC_OK)
        return;
    if (n) {
        hf(r, "<ul class=\"evidence\">");
        for (int i = 0; i < n; i++) {
            hf(r, "<li><a href=\"/attachments/%I\">", list[i].id);
            if (list[i].has_thumb)
                hf(r, "<img src=\"/attachments/%I/thumb\" alt=\"%s\" loading=\"lazy\" width=\"160\">", list[i].id,
                   list[i].name);
            hf(r, "<span>%s</span></a> <small>%N KB</small></li>", list[i].name, (double)(list[i].size + 1023) / 1024);
        }
        hf(r, "</ul>");
    }
    free(list);
    if (can) {
        hf(r, "<form method=\"post\" action=\"/%ss/%I/attachments\" enctype=\"multipart/form-data\" class=\"upload\">",
           entity, entity_id);
        csrf_field(r);
        hf(r, "<label for=\"ev-%s-%I\">%t</label><input id=\"ev-%s-%I\" type=\"file\" name=\"file\" "
              "accept=\"image/png,image/jpeg,image/webp,application/pdf,.docx,.xlsx\" required>"
              "<p class=\"help\">%t</p><p><button type=\"submit\">%t</button></p></form>",
           entity, entity_id, N_("Add a photo or a document"), entity, entity_id,
           N_("PNG, JPEG, WebP, PDF, Word or Excel; at most 10 MB."), N_("Upload"));
    }
}

void evidence_section(struct rq *r, const struct model *m)
{
    bool can = authz_model_register(&r->actor, m) || authz_model_decide(&r->actor, m) || authz_appraise(&r->actor, m);
    struct attachment *list;
    int n;
    if (svc_attachments(r->st, &r->actor, "model", m->id, &list, &n) != SVC_OK)
        return;
    free(list);
    if (n || can)
        hf(r, "<h2 id=\"evidence\">%t</h2>", N_("Evidence"));
    attachments_block(r, "model", m->id, can);
}
