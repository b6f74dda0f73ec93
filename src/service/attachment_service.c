/* attachment_service.c: evidence files: checks by content, thumbnails, scope. */
#include <errno.h>
#include <gd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "service/service.h"
#include "util/blobs.h"
#include "util/log.h"
#include "util/text.h"

#define THUMB_WIDTH 320
#define MAX_PIXELS (40 * 1000 * 1000) /* larger pictures are refused before decoding */

/* Width and height from the image's header, without decoding it; false when unreadable. */
static bool image_size(int kind, const unsigned char *d, size_t len, unsigned *w, unsigned *h)
{
    if (kind == FILE_PNG) {
        if (len < 24 || memcmp(d + 12, "IHDR", 4) != 0)
            return false;
        *w = (unsigned)d[16] << 24 | (unsigned)d[17] << 16 | (unsigned)d[18] << 8 | d[19];
        *h = (unsigned)d[20] << 24 | (unsigned)d[21] << 16 | (unsigned)d[22] << 8 | d[23];
        return true;
    }
    if (kind == FILE_JPEG) {
        size_t i = 2;
        while (i + 9 < len) {
            if (d[i] != 0xFF)
                return false;
            unsigned char m = d[i + 1];
            size_t seg = (size_t)d[i + 2] << 8 | d[i + 3];
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                *h = (unsigned)d[i + 5] << 8 | d[i + 6];
                *w = (unsigned)d[i + 7] << 8 | d[i + 8];
                return true;
            }
            if (seg < 2)
                return false;
            i += 2 + seg;
        }
        return false;
    }
    if (kind == FILE_WEBP) {
        if (len >= 30 && memcmp(d + 12, "VP8X", 4) == 0) {
            *w = 1 + ((unsigned)d[24] | (unsigned)d[25] << 8 | (unsigned)d[26] << 16);
            *h = 1 + ((unsigned)d[27] | (unsigned)d[28] << 8 | (unsigned)d[29] << 16);
            return true;
        }
        if (len >= 30 && memcmp(d + 12, "VP8 ", 4) == 0) {
            *w = ((unsigned)d[26] | (unsigned)d[27] << 8) & 0x3fff;
            *h = ((unsigned)d[28] | (unsigned)d[29] << 8) & 0x3fff;
            return true;
        }
        if (len >= 25 && memcmp(d + 12, "VP8L", 4) == 0) {
            unsigned b = (unsigned)d[21] | (unsigned)d[22] << 8 | (unsigned)d[23] << 16 | (unsigned)d[24] << 24;
            *w = 1 + (b & 0x3fff);
            *h = 1 + ((b >> 14) & 0x3fff);
            return true;
        }
    }
    return false;
}

/* libgd reports a broken picture on stderr; dvk reports it to the user instead. */
static void gd_quiet(int priority, const char *fmt, va_list ap)
{
    (void)priority;
    (void)fmt;
    (void)ap;
}

static pthread_once_t gd_once = PTHREAD_ONCE_INIT;
static void gd_setup(void)
{
    gdSetErrorMethod(gd_quiet);
}

/* Decodes the picture and makes a JPEG thumbnail; false when it is not a readable picture. */
static bool thumbnail(int kind, const void *data, size_t len, void **out, int *outlen)
{
    pthread_once(&gd_once, gd_setup);
    gdImagePtr im = kind == FILE_PNG    ? gdImageCreateFromPngPtr((int)len, (void *)data)
                    : kind == FILE_JPEG ? gdImageCreateFromJpegPtr((int)len, (void *)data)
                                        : gdImageCreateFromWebpPtr((int)len, (void *)data);
    if (!im)
        return false;
    int w = gdImageSX(im), h = gdImageSY(im);
    gdImagePtr t = im;
    if (w > THUMB_WIDTH) {
        gdImageSetInterpolationMethod(im, GD_BILINEAR_FIXED);
        t = gdImageScale(im, THUMB_WIDTH, (unsigned)((long)h * THUMB_WIDTH / w > 0 ? (long)h * THUMB_WIDTH / w : 1));
    }
    *out = t ? gdImageJpegPtr(t, outlen, 75) : NULL;
    if (t && t != im)
        gdImageDestroy(t);
    gdImageDestroy(im);
    return *out != NULL;
}

/* Who may see what an attachment hangs on, and who may add to it. */
static int resolve(struct store *st, const struct actor *a, const char *entity, int64_t entity_id, bool write,
                   int64_t *model_id)
{
    *model_id = 0;
    if (strcmp(entity, "award") == 0) {
        struct award aw;
        int rc = st->ops->award_get(st, entity_id, &aw);
        if (rc == ST_NOTFOUND)
            return SVC_NOTFOUND;
        if (rc)
            return SVC_ERROR;
        bool in = authz_in_scope(a, &aw.place, aw.hierarchy, aw.unit_code);
        bool may = authz_scoring(a, &aw.place, aw.hierarchy, aw.unit_code);
        *model_id = aw.model_id;
        award_free(&aw);
        if (!in)
            return SVC_NOTFOUND;
        return write && !may ? SVC_FORBIDDEN : SVC_OK;
    }
    int64_t mid = entity_id;
    if (strcmp(entity, "appraisal") == 0) {
        int rc = st->ops->appraisal_model(st, entity_id, &mid);
        if (rc == ST_NOTFOUND)
            return SVC_NOTFOUND;
        if (rc)
            return SVC_ERROR;
    } else if (strcmp(entity, "model") != 0) {
        return SVC_NOTFOUND;
    }
    struct model m;
    int rc = svc_model_get(st, a, mid, &m);
    if (rc)
        return rc;
    bool may = strcmp(entity, "appraisal") == 0
                   ? authz_appraise(a, &m)
                   : authz_model_register(a, &m) || authz_model_decide(a, &m) || authz_appraise(a, &m);
    model_free(&m);
    *model_id = mid;
    return write && !may ? SVC_FORBIDDEN : SVC_OK;
}

int svc_attachment_add(struct store *st, const struct actor *a, const char *datadir, const char *entity,
                       int64_t entity_id, const char *name, const void *data, size_t len, struct attachment *out,
                       struct verrs *v)
{
    memset(out, 0, sizeof *out);
    int64_t model_id;
    int rc = resolve(st, a, entity, entity_id, true, &model_id);
    if (rc)
        return rc;
    if (len == 0)
        verrs_add(v, "file", "The file is empty.");
    else if (len > ATTACHMENT_MAX_BYTES)
        verrs_add(v, "file", "The file is larger than 10 MB.");
    char *clean = text_nfc_trim(name && text_valid(name, strlen(name)) ? name : "");
    if (text_chars(clean) > 200)
        verrs_add(v, "file", "The file name is too long (at most 200 characters).");
    int kind = len ? file_sniff(data, len) : FILE_UNKNOWN;
    if (len && kind == FILE_UNKNOWN)
        verrs_add(v, "file", "Only photos (PNG, JPEG, WebP), PDF, Word and Excel files are accepted.");
    void *thumb = NULL;
    int thumb_len = 0;
    if (!v->n && file_is_image(kind)) {
        unsigned w = 0, h = 0;
        if (!image_size(kind, data, len, &w, &h) || w == 0 || h == 0)
            verrs_add(v, "file", "This picture cannot be read.");
        else if ((unsigned long long)w * h > MAX_PIXELS)
            verrs_add(v, "file", "The picture is too large (at most 40 megapixels).");
        else if (!thumbnail(kind, data, len, &thumb, &thumb_len))
            verrs_add(v, "file", "This picture cannot be read.");
    }
    if (v->n) {
        free(clean);
        if (thumb)
            gdFree(thumb);
        return SVC_INVALID;
    }
    snprintf(out->entity, sizeof out->entity, "%s", entity);
    out->entity_id = entity_id;
    out->model_id = model_id;
    blob_digest(data, len, out->sha256);
    out->size = (int64_t)len;
    out->kind = kind;
    snprintf(out->name, sizeof out->name, "%s", *clean ? clean : "file");
    free(clean);
    out->has_thumb = thumb != NULL;
    snprintf(out->login, sizeof out->login, "%s", a->login);
    /* bytes first: a row never names a file that is not there */
    if (blob_put(datadir, out->sha256, "", data, len) ||
        (thumb && blob_put(datadir, out->sha256, ".thumb", thumb, (size_t)thumb_len))) {
        log_error("attachments: cannot write under %s: %s", datadir, strerror(errno));
        if (thumb)
            gdFree(thumb);
        return SVC_ERROR;
    }
    if (thumb)
        gdFree(thumb);
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    rc = st->ops->attachment_insert(st, out) == ST_OK ? SVC_OK : SVC_ERROR;
    if (rc == SVC_OK) {
        char id[48];
        snprintf(id, sizeof id, "%s:%lld", entity, (long long)entity_id);
        json_t *after = json_pack("{s:I, s:s, s:s, s:I, s:s}", "attachment", (json_int_t)out->id, "name", out->name,
                                  "sha256", out->sha256, "size", (json_int_t)out->size, "type", file_kind_mime[kind]);
        rc = audit(st, a, "attachment", id, "create", NULL, after);
        json_decref(after);
    }
    rc = svc_finish(st, rc);
    return rc;
}

int svc_attachment_get(struct store *st, const struct actor *a, int64_t id, struct attachment *out)
{
    int rc = st->ops->attachment_get(st, id, out);
    if (rc == ST_NOTFOUND)
        return SVC_NOTFOUND;
    if (rc)
        return SVC_ERROR;
    int64_t mid;
    return resolve(st, a, out->entity, out->entity_id, false, &mid);
}

int svc_attachments(struct store *st, const struct actor *a, const char *entity, int64_t entity_id,
                    struct attachment **out, int *n)
{
    *out = NULL;
    *n = 0;
    int64_t mid;
    int rc = resolve(st, a, entity, entity_id, false, &mid);
    if (rc)
        return rc;
    return st->ops->attachment_list(st, entity, entity_id, out, n) == ST_OK ? SVC_OK : SVC_ERROR;
}
