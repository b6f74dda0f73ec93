/* http.h: the request context every handler receives, and the helpers around it.
 *
 * A handler reads the request through struct rq, writes its body into r->out
 * and returns the HTTP status; server.c sends it. Strings returned by the
 * helpers live in the request's memory pool until the response is sent. */
#ifndef DVK_HTTP_H
#define DVK_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "core/model.h"
#include "service/service.h"
#include "store/store.h"
#include "util/buf.h"

struct kv {
    const char *key, *val;
};

#define RQ_MAX_PARAMS 4
#define RQ_MAX_KV 128
#define RQ_MAX_HEADERS 8
#define RQ_MAX_FILES 4
struct rq_file {
    const char *field;    /* form field name */
    const char *filename; /* as sent, without any path */
    const char *data;     /* points into the request body */
    size_t len;
};

struct rq {
    void *h2o;                 /* h2o_req_t: only server.c looks inside */
    struct store *st;          /* this thread's connection */
    int lang;
    const char *method;        /* "GET", ... (NUL-terminated copy) */
    const char *path;          /* path without the query */
    const char *params[RQ_MAX_PARAMS]; /* {…} segments of the route pattern */
    struct kv query[RQ_MAX_KV];
    int nquery;
    struct kv form[RQ_MAX_KV]; /* application/x-www-form-urlencoded body */
    int nform;
    const char *body;          /* raw body (NUL-terminated copy) */
    size_t body_len;
    struct buf out;
    const char *content_type;
    struct kv headers[RQ_MAX_HEADERS]; /* extra response headers */
    int nheaders;
    /* who is asking (server.c authenticates before the handler runs) */
    bool authed;
    bool by_token;             /* Authorization: Bearer (no CSRF token needed) */
    struct actor actor;        /* valid when authed */
    char csrf[COOKIE_VALUE_MAX]; /* the session's CSRF token, for forms */
    char address[64];          /* the client's IP address */
    bool https;                /* the client reached us over TLS (X-Forwarded-Proto) */
    struct rq_file files[RQ_MAX_FILES]; /* file parts of a multipart body */
    int nfiles;
    const char *datadir;       /* where attachments are kept */
};

/* Route flags: what server.c checks before the handler runs. R_AUTH needs a
 * signed-in user (401 JSON for the API, a redirect to /login for pages);
 * every state-changing request made with a session cookie must carry the
 * session's CSRF token (form field "csrf" or header X-CSRF-Token). */
/* R_NOCACHE: a GET whose answer depends on more than the database, who asks and the
 * address (an import job's progress, the health probe): never answered from the cache.
 * R_READ: the handler only reads lists and reports, which dvk serve --db-read sends to a replica. */
enum { R_PUBLIC = 0, R_JSON = 1, R_FORM = 2, R_AUTH = 4, R_MULTIPART = 8, R_NOCACHE = 16, R_READ = 32 };


struct route {
    const char *method;
    const char *pattern; /* "/api/v1/models/{}": {} matches one segment */
    int (*handler)(struct rq *r);
    int flags;
    size_t max_body;     /* bytes; larger bodies get 413 */
};
extern const struct route routes[];

/* Value of query / form key, or NULL. */
const char *rq_query(const struct rq *r, const char *key);
const char *rq_form(const struct rq *r, const char *key);
/* Cookie value by name (pool copy), or NULL. */
const char *rq_cookie(const struct rq *r, const char *name);
/* Request header value (NUL-terminated pool copy), or NULL. */
const char *rq_header(const struct rq *r, const char *name);
/* Adds a response header (values copied into the pool). */
void rq_add_header(struct rq *r, const char *name, const char *value);
/* Pool allocation, freed with the request. */
void *rq_alloc(struct rq *r, size_t n);
const char *rq_strdup(struct rq *r, const char *s);

/* ---- JSON responses (api_common.c) ---------------------------------------- */
int json_reply(struct rq *r, int status, json_t *body); /* steals body */
int api_error(struct rq *r, int status, const char *code, const char *msgid, const char *detail);
int api_invalid(struct rq *r, const struct verrs *v);
/* The members a request body may have, each with its type: 's' string (valid text),
 * 'i' integer, 'n' number, 'o' object, 'a' array; value is filled by api_members.
 * Terminated by {NULL}. */
struct api_member {
    const char *name;
    int type;
    json_t *value;
};
/* Reads obj against m: an unknown member or a wrong type writes a 400 and returns false.
 * null is accepted for any member and leaves its value NULL. */
bool api_members(struct rq *r, json_t *obj, struct api_member *m, int *status);
/* The string / value of a member after api_members, or NULL when absent or null. */
const char *api_str(const struct api_member *m, const char *name);
json_t *api_val(const struct api_member *m, const char *name);
/* Parses the body as a JSON object; on failure replies 400 and returns NULL. *status receives the status. */
json_t *api_body(struct rq *r, int *status);

/* ---- HTML (html.c) -----------------------------------------------------------
 * hf() appends to r->out with escaping by default:
 *   %s  text, HTML-escaped (NULL prints nothing)   %t  msgid, translated then escaped
 *   %d  int   %I  int64_t   %u  URL-component-encoded text   %N double as a local number
 *   %D  YYYY-MM-DD as a local date                  %%  a percent sign
 *   %M  two arguments, text and a folded query (text_fold; NULL or "": none): the text
 *       escaped, with the parts that match the query in <mark> (text_match_spans)
 *   %R  raw HTML: only for fragments built by hf() itself — the one unescaped form. */
void hf(struct rq *r, const char *fmt, ...);
/* Escapes s into b (text and attribute contexts alike: & < > " '). */
void html_escape(struct buf *b, const char *s);
/* Escapes s into b with the parts that match q_fold wrapped in <mark> (hf's %M). */
void html_marked(struct buf *b, const char *s, const char *q_fold);
void url_escape(struct buf *b, const char *s);

/* Page frame (page_layout.c). */
void page_begin(struct rq *r, const char *title_msgid, const char *title_text);
int page_end(struct rq *r, int status);
int page_error(struct rq *r, int status, const char *msgid);
/* The URL name of a static file (web/static/NAME): its content-hashed name, served with a
 * year's caching ("app.css" -> "app.0123456789ab.css"), or name itself if not embedded. */
const char *asset_name(const char *name);
/* The hidden CSRF field every state-changing form carries. */
void csrf_field(struct rq *r);
/* Maps a service result that is not SVC_OK to the API's error response. */
int api_svc_error(struct rq *r, int rc);
/* 303 See Other to location. */
int redirect(struct rq *r, const char *location);

#endif
