/* server.c: h2o event loops, the route table dispatch and response sending. */
#include <arpa/inet.h>
#include <errno.h>
#include <h2o.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "http/cache.h"
#include "http/edge.h"
#include "http/http.h"
#include "http/import_jobs.h"
#include "http/i18n.h"
#include "http/server.h"
#include "util/buf.h"
#include "util/gzip.h"
#include "util/log.h"

/* h2o itself refuses bodies above this with a plain 413; routes set their own, smaller limits. */
#define HARD_BODY_LIMIT (16 * 1024 * 1024)

/* A bearer token this loop has checked, and who it is: used again while the database's
 * generation stays (revoking a token, disabling its user or moving their unit are writes)
 * and for at most RCACHE_TTL_MS (a token may expire meanwhile). */
#define TOKEN_SLOTS 64
struct token_seen {
    char token[80];
    uint64_t gen;
    int64_t born_ms;
    struct actor actor;
};

struct worker {
    h2o_context_t ctx; /* first: handlers find their worker from req->conn->ctx */
    h2o_accept_ctx_t accept;
    struct store *st;
    struct store *st_read; /* --db-read: a replica's connection, or NULL */
    struct rcache *cache; /* this loop's kept answers */
    struct token_seen *tokens; /* TOKEN_SLOTS, with the cache */
    int fd;
    pthread_t thread;
};

/* No inline script or style anywhere; pages frame nothing and are framed by nothing. */
#define CSP                                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "               \
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

static h2o_globalconf_t config;
static char datadir[4096];
static volatile sig_atomic_t stopping;
static int max_conns;
static _Atomic int open_conns; /* over every loop: the limit is the process's */

/* ---- request helpers ----------------------------------------------------------- */

static h2o_req_t *H(const struct rq *r)
{
    return r->h2o;
}

void *rq_alloc(struct rq *r, size_t n)
{
    return h2o_mem_alloc_pool(&H(r)->pool, n);
}

const char *rq_strdup(struct rq *r, const char *s)
{
    return h2o_strdup(&H(r)->pool, s, strlen(s)).base;
}

static const char *kv_get(const struct kv *kv, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(kv[i].key, key) == 0)
            return kv[i].val;
    return NULL;
}

const char *rq_query(const struct rq *r, const char *key)
{
    return kv_get(r->query, r->nquery, key);
}

const char *rq_form(const struct rq *r, const char *key)
{
    return kv_get(r->form, r->nform, key);
}

const char *rq_header(const struct rq *r, const char *name)
{
    h2o_req_t *req = H(r);
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i < 0)
        return NULL;
    h2o_iovec_t v = req->headers.entries[i].value;
    return h2o_strdup(&req->pool, v.base, v.len).base;
}

const char *rq_cookie(const struct rq *r, const char *name)
{
    const char *c = rq_header(r, "cookie");
    size_t n = strlen(name);
    while (c && *c) {
        while (*c == ' ' || *c == ';')
            c++;
        if (strncmp(c, name, n) == 0 && c[n] == '=') {
            const char *v = c + n + 1;
            size_t len = strcspn(v, ";");
            h2o_req_t *req = H(r);
            return h2o_strdup(&req->pool, v, len).base;
        }
        c = strchr(c, ';');
    }
    return NULL;
}

void rq_add_header(struct rq *r, const char *name, const char *value)
{
    if (r->nheaders < RQ_MAX_HEADERS) {
        r->headers[r->nheaders].key = rq_strdup(r, name);
        r->headers[r->nheaders].val = rq_strdup(r, value);
        r->nheaders++;
    }
}

/* ---- dispatch --------------------------------------------------------------------- */

static bool match(const char *pattern, const char *path, const char **params)
{
    int np = 0;
    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            const char *seg = path;
            while (*path && *path != '/')
                path++;
            if (path == seg || np >= RQ_MAX_PARAMS)
                return false;
            params[np++] = seg; /* fixed up below: cut at '/' */
            pattern += 2;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++, path++;
    }
    return *pattern == 0 && *path == 0;
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    default: return status < 400 ? "OK" : "Error";
    }
}

static void add_header(h2o_req_t *req, const h2o_token_t *tok, const char *v)
{
    h2o_add_header(&req->pool, &req->res.headers, tok, NULL, v, strlen(v));
}

/* Text bodies are gzipped for a client that takes it (a phone on 400 kbit/s fetches a page
 * in a third of the time). Not below GZIP_MIN_BYTES, where the gzip frame outweighs the
 * saving, nor above GZIP_MAX_BYTES (a large export), which is sent as it is rather than
 * held twice in memory. Images, spreadsheets and archives are compressed already. */
#define GZIP_MIN_BYTES 512
#define GZIP_MAX_BYTES (16u << 20)

static bool compressible(const struct rq *r)
{
    const char *t = r->content_type;
    if (!t || r->out.len == 0)
        return false;
    for (int i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->headers[i].key, "content-encoding") == 0)
            return false;
    return strncmp(t, "text/", 5) == 0 || strncmp(t, "application/json", 16) == 0 ||
           strncmp(t, "image/svg+xml", 13) == 0 || strncmp(t, "application/problem+json", 24) == 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Status line, content type and the security headers every answer carries. */
static void start_headers(h2o_req_t *req, int status, const char *content_type)
{
    req->res.status = status;
    req->res.reason = reason(status);
    add_header(req, H2O_TOKEN_CONTENT_TYPE, content_type ? content_type : "text/plain; charset=utf-8");
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"), 0, NULL,
                          H2O_STRLIT("nosniff"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-frame-options"), 0, NULL, H2O_STRLIT("DENY"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0, NULL,
                          H2O_STRLIT(CSP));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("referrer-policy"), 0, NULL,
                          H2O_STRLIT("same-origin"));
}

static void send_body(h2o_req_t *req, const char *p, size_t len)
{
    static h2o_generator_t gen = {NULL, NULL};
    h2o_iovec_t body = h2o_strdup(&req->pool, p, len);
    req->res.content_length = len;
    h2o_start_response(req, &gen);
    h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
}

/* The cache's key of a request: language, who asks (nobody, a token's user, or a session:
 * a page carries its session's CSRF token) and the address with its query. */
static size_t cache_key(const struct rq *r, char *out, size_t outsz)
{
    h2o_req_t *req = H(r);
    int n;
    if (!r->authed)
        n = snprintf(out, outsz, "%d a ", r->lang);
    else if (r->by_token)
        n = snprintf(out, outsz, "%d t%lld ", r->lang, (long long)r->actor.user_id);
    else
        n = snprintf(out, outsz, "%d s%s ", r->lang, r->csrf);
    if (n < 0 || (size_t)n + req->path.len >= outsz)
        return 0;
    memcpy(out + n, req->path.base, req->path.len);
    return (size_t)n + req->path.len;
}

/* Sends r's answer; when key is given and the answer may be given again (a 200 that sets
 * no cookie), keeps it in cache for generation gen. */
static void send_response(struct rq *r, int status, struct rcache *cache, const char *key, size_t key_len,
                          uint64_t gen)
{
    h2o_req_t *req = H(r);
    start_headers(req, status, r->content_type);
    bool keep = key && status == 200;
    for (int i = 0; i < r->nheaders; i++) {
        h2o_add_header_by_str(&req->pool, &req->res.headers, r->headers[i].key, strlen(r->headers[i].key), 1, NULL,
                              r->headers[i].val, strlen(r->headers[i].val));
        if (strcasecmp(r->headers[i].key, "set-cookie") == 0)
            keep = false;
    }
    if (key)
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-dvk-cache"), 0, NULL, H2O_STRLIT("miss"));
    struct buf gz = BUF_INIT;
    bool vary = compressible(r), zip = vary && r->out.len >= GZIP_MIN_BYTES && r->out.len <= GZIP_MAX_BYTES;
    /* the answer differs by Accept-Encoding, compressed or not: caches must know */
    if (vary)
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("vary"), 0, NULL, H2O_STRLIT("accept-encoding"));
    bool zipped = zip && gzip_accepted(rq_header(r, "accept-encoding")) && gzip_compress(r->out.p, r->out.len, 6, &gz) == 0;
    if (zipped) {
        add_header(req, H2O_TOKEN_CONTENT_ENCODING, "gzip");
        send_body(req, gz.p, gz.len);
    } else {
        send_body(req, buf_cstr(&r->out), r->out.len);
    }
    if (keep && r->out.len <= RCACHE_MAX_ENTRY) {
        struct rcache_entry *e = xcalloc(1, sizeof *e);
        e->key = xstrndup(key, key_len);
        e->key_len = key_len;
        e->content_type = r->content_type ? xstrdup(r->content_type) : NULL;
        e->headers = r->nheaders ? xcalloc((size_t)r->nheaders, sizeof *e->headers) : NULL;
        for (int i = 0; i < r->nheaders; i++) {
            e->headers[i].name = xstrdup(r->headers[i].key);
            e->headers[i].value = xstrdup(r->headers[i].val);
        }
        e->nheaders = r->nheaders;
        e->len = r->out.len;
        e->body = xstrndup(buf_cstr(&r->out), r->out.len);
        if (zipped) {
            e->gz_len = gz.len;
            e->gz = buf_detach(&gz);
        }
        e->vary = vary;
        e->zip = zip;
        rcache_put(cache, e, gen, now_ms());
    }
    buf_free(&gz);
}

/* Sends a kept answer again; compresses it the first time a client takes gzip (answers
 * asked once, such as a model among thousands, are never compressed for nobody). */
static void send_cached(struct rq *r, struct rcache *c, struct rcache_entry *e)
{
    h2o_req_t *req = H(r);
    start_headers(req, 200, e->content_type);
    for (int i = 0; i < e->nheaders; i++)
        h2o_add_header_by_str(&req->pool, &req->res.headers, e->headers[i].name, strlen(e->headers[i].name), 1, NULL,
                              e->headers[i].value, strlen(e->headers[i].value));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-dvk-cache"), 0, NULL, H2O_STRLIT("hit"));
    if (e->vary)
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("vary"), 0, NULL, H2O_STRLIT("accept-encoding"));
    if (e->zip && gzip_accepted(rq_header(r, "accept-encoding"))) {
        if (!e->gz) {
            struct buf gz = BUF_INIT;
            if (gzip_compress(e->body, e->len, 6, &gz) == 0) {
                size_t n = gz.len;
                rcache_set_gz(c, e, buf_detach(&gz), n);
            }
            buf_free(&gz);
        }
        if (e->gz) {
            add_header(req, H2O_TOKEN_CONTENT_ENCODING, "gzip");
            send_body(req, e->gz, e->gz_len);
            return;
        }
    }
    send_body(req, e->body, e->len);
}

static bool is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0;
}

static void peer_address(h2o_req_t *req, char out[64])
{
    struct sockaddr_storage ss;
    out[0] = 0;
    socklen_t len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    if (len == 0)
        return;
    if (ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, 64);
    else if (ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, 64);
}

static int64_t now_ms(void);

/* Who is asking: a bearer token, else a session cookie. */
static void authenticate(struct rq *r, struct worker *w, int64_t now)
{
    const char *auth = rq_header(r, "authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        r->by_token = true;
        const char *token = auth + 7;
        uint64_t gen;
        struct token_seen *t = NULL;
        if (w->tokens && strlen(token) < sizeof t->token && w->st->ops->generation &&
            w->st->ops->generation(w->st, &gen) == ST_OK) {
            t = &w->tokens[hash_bytes(token, strlen(token), HASH_START) % TOKEN_SLOTS];
            int64_t ms = now_ms();
            if (t->gen == gen && t->token[0] && secret_equal(t->token, token) && ms - t->born_ms < RCACHE_TTL_MS && ms >= t->born_ms) {
                r->actor = t->actor;
                snprintf(r->actor.address, sizeof r->actor.address, "%s", r->address);
                r->authed = true;
                return;
            }
            t->gen = gen;
            t->born_ms = ms;
        }
        r->authed = svc_token_check(r->st, token, r->address, now, &r->actor) == SVC_OK;
        if (t) {
            if (r->authed) {
                snprintf(t->token, sizeof t->token, "%s", token);
                t->actor = r->actor;
            } else {
                t->token[0] = 0;
            }
        }
        return;
    }
    const char *cookie = rq_cookie(r, "dvk_session");
    if (cookie)
        r->authed = svc_session(r->st, cookie, r->address, now, &r->actor, r->csrf) == SVC_OK;
}

/* The CSRF token a state-changing request carries, compared in constant time. */
static bool csrf_ok(struct rq *r, const struct route *rt)
{
    if (r->by_token)
        return true;
    const char *sent = rq_header(r, "x-csrf-token");
    if (!sent && (rt->flags & (R_FORM | R_MULTIPART)))
        sent = rq_form(r, "csrf");
    return sent && r->csrf[0] && secret_equal(sent, r->csrf);
}

static bool safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

static int pick_lang(struct rq *r)
{
    const char *q = rq_query(r, "lang");
    if (q) {
        int l = lang_parse(q, strlen(q));
        if (l >= 0) {
            char cookie[64];
            snprintf(cookie, sizeof cookie, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax", lang_codes[l]);
            rq_add_header(r, "set-cookie", cookie);
            return l;
        }
    }
    const char *c = rq_header(r, "cookie");
    if (c) {
        const char *p = strstr(c, "lang=");
        if (p && (p == c || p[-1] == ' ' || p[-1] == ';')) {
            int l = lang_parse(p + 5, strcspn(p + 5, ";"));
            if (l >= 0)
                return l;
        }
    }
    /* Pages are Vietnamese unless the user picks another language: an officer's
     * phone set to English still gets Vietnamese. Programs calling the API may
     * ask with Accept-Language. */
    const char *a = is_api(r->path) ? rq_header(r, "accept-language") : NULL;
    return a ? lang_from_accept(a, strlen(a)) : LANG_VI;
}


/* A handler's 500 caused by a database that cannot be written becomes an answer that
 * says so: 507 when the disk or the size cap is full, 503 when the database is read-only
 * or cannot be written. The transaction was rolled back; reads still work. */
static int storage_error(struct rq *r, int fault, bool api)
{
    const char *code, *msg;
    int status = 503;
    buf_reset(&r->out);
    r->nheaders = 0;
    if (fault == ST_FAULT_FULL) {
        status = 507;
        code = "storage_full";
        msg = N_("The database is full, so nothing was saved. Ask the administrator to free space, then try again.");
    } else if (fault == ST_FAULT_READONLY) {
        code = "read_only";
        msg = N_("The database is read-only for maintenance, so nothing was saved. Try again later.");
    } else {
        code = "storage_unavailable";
        msg = N_("The database cannot be written just now, so nothing was saved. Try again later.");
    }
    /* a full disk needs someone to act: no point telling clients to retry soon */
    if (status == 503)
        rq_add_header(r, "retry-after", "60");
    return api ? api_error(r, status, code, msg, NULL) : page_error(r, status, msg);
}

/* A page that needs a user sends the browser to sign in, then back here. */
static int login_redirect(struct rq *r)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "/login?next=");
    url_escape(&b, safe_method(r->method) ? r->path : "/models");
    rq_add_header(r, "location", b.p);
    buf_free(&b);
    r->content_type = "text/plain; charset=utf-8";
    return 303;
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    struct worker *w = (struct worker *)req->conn->ctx;
    struct rq r;
    memset(&r, 0, sizeof r);
    r.h2o = req;
    r.st = w->st;
    r.datadir = datadir;
    r.method = h2o_strdup(&req->pool, req->method.base, req->method.len).base;
    r.path = h2o_strdup(&req->pool, req->path.base, req->query_at != SIZE_MAX ? req->query_at : req->path.len).base;
    int query = EDGE_OK;
    if (req->query_at != SIZE_MAX)
        query = edge_pairs(&r, req->path.base + req->query_at + 1, req->path.len - req->query_at - 1, r.query,
                            &r.nquery, false);
    r.lang = pick_lang(&r);
    peer_address(req, r.address);
    const char *proto = rq_header(&r, "x-forwarded-proto");
    r.https = proto && strcmp(proto, "https") == 0;

    int status;
    const struct route *rt = NULL;
    bool path_known = false;
    char key[4096];
    size_t key_len = 0;
    uint64_t gen = 0;
    for (const struct route *x = routes; x->pattern; x++) {
        const char *params[RQ_MAX_PARAMS] = {0};
        if (!match(x->pattern, r.path, params))
            continue;
        path_known = true;
        if (strcmp(x->method, r.method) != 0 && !(strcmp(x->method, "GET") == 0 && strcmp(r.method, "HEAD") == 0))
            continue;
        rt = x;
        for (int i = 0; i < RQ_MAX_PARAMS && params[i]; i++) {
            size_t n = strcspn(params[i], "/");
            r.params[i] = edge_url_decode(&r, params[i], n);
            if (!r.params[i]) {
                r.params[i] = "";
                query = EDGE_BAD_TEXT; /* the address, path or query, is one thing to the user */
            }
        }
        break;
    }
    bool api = is_api(r.path);
    const char *ctype = rq_header(&r, "content-type");
    if (!rt && path_known) {
        /* 405 says which methods the path has */
        struct buf allow = BUF_INIT;
        for (const struct route *x = routes; x->pattern; x++) {
            const char *params[RQ_MAX_PARAMS] = {0};
            if (match(x->pattern, r.path, params) && !strstr(buf_cstr(&allow), x->method))
                buf_printf(&allow, "%s%s", allow.len ? ", " : "", x->method);
        }
        rq_add_header(&r, "allow", allow.p);
        buf_free(&allow);
    }
    if (!rt) {
        status = path_known ? 405 : 404;
        status = api ? api_error(&r, status, status == 405 ? "method_not_allowed" : "not_found",
                                 status == 405 ? N_("This method is not allowed here.") : N_("Not found."), NULL)
                     : page_error(&r, status, status == 405 ? N_("This method is not allowed here.") : N_("Page not found."));
    } else if (query != EDGE_OK) {
        const char *msg = query == EDGE_TOO_MANY ? N_("The address has too many parameters.")
                                                 : N_("The address contains invalid characters (it must be UTF-8 text).");
        status = api ? api_error(&r, 400, "invalid_query", msg, NULL) : page_error(&r, 400, msg);
    } else if ((rt->flags & R_JSON) && req->entity.base && req->entity.len > 0 &&
               (!ctype || strncasecmp(ctype, "application/json", 16) != 0)) {
        status = api_error(&r, 415, "unsupported_media_type", N_("Send the body as application/json."), NULL);
    } else if (req->entity.base && req->entity.len > rt->max_body) {
        status = api ? api_error(&r, 413, "too_large", N_("The request is too large."), NULL)
                     : page_error(&r, 413, N_("The request is too large."));
    } else {
        if (req->entity.base) {
            r.body = h2o_strdup(&req->pool, req->entity.base, req->entity.len).base;
            r.body_len = req->entity.len;
        }
        authenticate(&r, w, (int64_t)time(NULL));
        int form = EDGE_OK;
        if ((rt->flags & R_FORM) && r.body)
            form = edge_pairs(&r, r.body, r.body_len, r.form, &r.nform, true);
        else if (rt->flags & R_MULTIPART)
            form = edge_multipart(&r, ctype);
        const char *bad_text = rt->flags & R_MULTIPART
                                   ? N_("The upload has a file name or field with invalid characters (it must be UTF-8 text).")
                                   : N_("The form contains invalid characters (it must be UTF-8 text).");
        if (form == EDGE_BAD_TEXT)
            status = api ? api_error(&r, 400, "invalid_utf8", bad_text, NULL) : page_error(&r, 400, bad_text);
        else if (form == EDGE_TOO_MANY)
            status = api ? api_error(&r, 400, "too_many", N_("The form has too many fields."), NULL)
                         : page_error(&r, 400, N_("The form has too many fields."));
        else if (form == EDGE_MALFORMED)
            status = api ? api_error(&r, 400, "bad_multipart", N_("The upload is not a valid multipart/form-data body."), NULL)
                         : page_error(&r, 400, N_("The upload is not a valid multipart/form-data body."));
        else if ((rt->flags & R_AUTH) && !r.authed)
            status = api ? api_error(&r, 401, "unauthenticated", N_("Sign in first, or send a valid API token."), NULL)
                         : login_redirect(&r);
        else if ((rt->flags & R_AUTH) && !safe_method(r.method) && !csrf_ok(&r, rt))
            status = api ? api_error(&r, 403, "csrf", N_("The form has expired. Reload the page and try again."), NULL)
                         : page_error(&r, 403, N_("The form has expired. Reload the page and try again."));
        else {
            /* lists and reports from the replica (the session was checked on the primary) */
            bool replica = (rt->flags & R_READ) && w->st_read && safe_method(r.method);
            if (replica)
                r.st = w->st_read;
            /* a GET's answer depends on the data, who asks, the language and the address: while
             * the data's generation stays, the answer kept for the same request is still true.
             * The generation is read where the answer is read: on a replica, the replica's own
             * (PostgreSQL's counter is a replicated row), so it dates what the replica holds. */
            if (strcmp(r.method, "GET") == 0 && !(rt->flags & R_NOCACHE) && r.nheaders == 0 && w->cache &&
                r.st->ops->generation && r.st->ops->generation(r.st, &gen) == ST_OK &&
                (key_len = cache_key(&r, key, sizeof key)) > 0) {
                struct rcache_entry *e = rcache_get(w->cache, key, key_len, gen, now_ms());
                if (e) {
                    send_cached(&r, w->cache, e);
                    return 0;
                }
            }
            /* a failed session touch or generation read above is not this request's failure */
            w->st->fault = ST_FAULT_NONE;
            r.st->fault = ST_FAULT_NONE;
            status = rt->handler(&r);
            if (status >= 500 && r.st->fault != ST_FAULT_NONE)
                status = storage_error(&r, r.st->fault, api);
        }
    }
    send_response(&r, status, w->cache, key_len ? key : NULL, key_len, gen);
    buf_free(&r.out);
    return 0;
}

/* ---- event loops ----------------------------------------------------------------- */

static void on_conn_close(void *data)
{
    (void)data;
    open_conns--;
}

/* The answer a connection past max_conns gets before it is closed: 503 with the API's error
 * shape, in Vietnamese (no request is read, so no language is asked for). Made once. */
static char *busy_reply;
static size_t busy_len;

static void make_busy_reply(void)
{
    json_t *j = json_pack("{s:{s:s, s:s}}", "error", "code", "busy", "message",
                          T(LANG_VI, N_("The server has too many connections open. Try again in a moment.")));
    char *body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
               "Content-Language: vi\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
               strlen(body), body);
    free(body);
    busy_len = b.len;
    busy_reply = buf_detach(&b);
}

static void on_busy_sent(h2o_socket_t *sock, const char *err)
{
    (void)err;
    h2o_socket_close(sock);
}

/* Each connection costs a descriptor and some memory until h2o's timeouts close it;
 * past max_conns a new one is answered 503 and closed at once, so that thousands of idle
 * or slow clients cannot use up the descriptors the others need. */
static void on_accept(h2o_socket_t *listener, const char *err)
{
    if (err)
        return;
    struct worker *w = listener->data;
    h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
    if (!sock)
        return;
    if (open_conns >= max_conns) {
        h2o_iovec_t reply = h2o_iovec_init(busy_reply, busy_len);
        h2o_socket_write(sock, &reply, 1, on_busy_sent);
        return;
    }
    open_conns++;
    sock->on_close.cb = on_conn_close;
    sock->on_close.data = NULL;
    h2o_accept(&w->accept, sock);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    h2o_context_init(&w->ctx, h2o_evloop_create(), &config);
    w->accept.ctx = &w->ctx;
    w->accept.hosts = config.hosts;
    /* each loop owns its own descriptor of the shared listening socket */
    h2o_socket_t *sock = h2o_evloop_socket_create(w->ctx.loop, dup(w->fd), H2O_SOCKET_FLAG_DONT_READ);
    sock->data = w;
    h2o_socket_read_start(sock, on_accept);
    while (!stopping)
        h2o_evloop_run(w->ctx.loop, 200);
    h2o_socket_read_stop(sock);
    h2o_socket_close(sock);
    /* The context is not disposed: h2o 2.2 asserts when keep-alive connections
     * are still open, and the process is about to exit anyway. */
    h2o_evloop_run(w->ctx.loop, 0);
    return NULL;
}

static int open_listener(const char *addr, int port)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        log_error("serve: %s is not an IPv4 address", addr);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, SOMAXCONN) != 0) {
        log_error("serve: cannot listen on %s:%d: %s", addr, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

int server_run(const struct server_opts *o)
{
    i18n_init();
    int n = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    if (o->datadir)
        snprintf(datadir, sizeof datadir, "%s", o->datadir);
    else if (strncmp(o->db, "postgres", 8) == 0) {
        /* a PostgreSQL database has no folder: "files" in the working directory */
        snprintf(datadir, sizeof datadir, "files");
    } else {
        /* beside the database: var/dvk.db keeps its files in var/files */
        const char *db = strncmp(o->db, "sqlite:", 7) == 0 ? o->db + 7 : o->db;
        const char *slash = strrchr(db, '/');
        snprintf(datadir, sizeof datadir, "%.*s%sfiles", slash ? (int)(slash - db) : 0, db, slash ? "/" : "");
    }
    import_jobs_init(o->db, datadir);
    import_jobs_limit(o->max_db_mb * 1024 * 1024, o->read_only);
    int fd = open_listener(o->listen, o->port);
    if (fd < 0)
        return -1;
    h2o_config_init(&config);
    config.max_request_entity_size = HARD_BODY_LIMIT;
    /* h2o closes an HTTP/1 connection whose request has not arrived within req_timeout
     * (a slow sender, or a keep-alive connection left idle), and an idle HTTP/2 one after
     * idle_timeout. Its defaults are 10 s; dvk sets them explicitly from --timeout. */
    int timeout = o->timeout > 0 ? o->timeout : SERVER_TIMEOUT;
    config.http1.req_timeout = (uint64_t)timeout * 1000;
    config.http2.idle_timeout = (uint64_t)timeout * 1000;
    max_conns = o->max_conns > 0 ? o->max_conns : SERVER_MAX_CONNS;
    if (!busy_reply)
        make_busy_reply();
    config.server_name = h2o_iovec_init(H2O_STRLIT("dvk")); /* no library version in every answer */
    h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(path, sizeof *handler);
    handler->on_req = on_req;
    /* The same security headers on what h2o answers by itself (its 413 for a body
     * over the hard limit, 400 for a malformed request): set only where missing. */
    static h2o_iovec_t hname[4] = {{H2O_STRLIT("content-security-policy")}, {H2O_STRLIT("x-content-type-options")},
                                   {H2O_STRLIT("referrer-policy")}, {H2O_STRLIT("x-frame-options")}};
    static h2o_headers_command_t cmds[5];
    cmds[0] = (h2o_headers_command_t){H2O_HEADERS_CMD_SETIFEMPTY, &hname[0], {H2O_STRLIT(CSP)}};
    cmds[1] = (h2o_headers_command_t){H2O_HEADERS_CMD_SETIFEMPTY, &hname[1], {H2O_STRLIT("nosniff")}};
    cmds[2] = (h2o_headers_command_t){H2O_HEADERS_CMD_SETIFEMPTY, &hname[2], {H2O_STRLIT("same-origin")}};
    cmds[3] = (h2o_headers_command_t){H2O_HEADERS_CMD_SETIFEMPTY, &hname[3], {H2O_STRLIT("DENY")}};
    cmds[4] = (h2o_headers_command_t){H2O_HEADERS_CMD_NULL, NULL, {NULL, 0}};
    h2o_headers_register(path, cmds);

    int db_mb = o->db_cache_mb < 0 ? SERVER_DB_CACHE_MB : o->db_cache_mb;
    store_memory_limit((int64_t)db_mb * 1024 * 1024);
    struct worker *ws = calloc((size_t)n, sizeof *ws);
    for (int i = 0; i < n; i++) {
        ws[i].st = store_open(o->db);
        if (ws[i].st && (o->max_db_mb > 0 || o->read_only) &&
            ws[i].st->ops->limit(ws[i].st, o->max_db_mb * 1024 * 1024, o->read_only) != ST_OK) {
            ws[i].st->ops->close(ws[i].st);
            ws[i].st = NULL;
        }
        /* the replica's connection, read-only on our side too */
        if (ws[i].st && o->db_read) {
            ws[i].st_read = store_open(o->db_read);
            if (ws[i].st_read && ws[i].st_read->ops->limit(ws[i].st_read, 0, true) != ST_OK) {
                ws[i].st_read->ops->close(ws[i].st_read);
                ws[i].st_read = NULL;
            }
            if (!ws[i].st_read) {
                ws[i].st->ops->close(ws[i].st);
                ws[i].st = NULL;
            }
        }
        if (!ws[i].st) {
            for (int j = 0; j < i; j++) {
                ws[j].st->ops->close(ws[j].st);
                if (ws[j].st_read)
                    ws[j].st_read->ops->close(ws[j].st_read);
            }
            free(ws);
            close(fd);
            return -1;
        }
        ws[i].fd = fd;
        int mb = o->cache_mb < 0 ? SERVER_CACHE_MB : o->cache_mb;
        if (mb > 0) {
            ws[i].cache = rcache_new((size_t)mb * 1024 * 1024 / (size_t)n);
            ws[i].tokens = xcalloc(TOKEN_SLOTS, sizeof *ws[i].tokens);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* one listening socket shared by all loops: the kernel hands each connection to one of them */
    for (int i = 0; i < n; i++)
        pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]);
    log_info("dvk serving on http://%s:%d/ with %d event loops%s%s", o->listen, o->port, n,
             o->read_only ? ", read-only" : "", o->db_read ? ", lists and reports from the replica" : "");
    for (int i = 0; i < n; i++)
        pthread_join(ws[i].thread, NULL);
    for (int i = 0; i < n; i++) {
        ws[i].st->ops->close(ws[i].st);
        if (ws[i].st_read)
            ws[i].st_read->ops->close(ws[i].st_read);
        rcache_free(ws[i].cache);
        free(ws[i].tokens);
    }
    free(ws);
    close(fd);
    log_info("dvk stopped");
    return 0;
}
