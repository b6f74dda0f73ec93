/* page_layout.c: the frame around every page, errors, redirects, static files. */
#include <stdbool.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/embed.h"

const char *asset_name(const char *name)
{
    const struct embedded_file *f = embed_find(assets_files, name);
    return f && f->hashed ? f->hashed : name;
}

void page_begin(struct rq *r, const char *title_msgid, const char *title_text)
{
    r->content_type = "text/html; charset=utf-8";
    hf(r, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
       lang_codes[r->lang]);
    hf(r, "<title>%s · %t</title>", title_text ? title_text : T(r->lang, title_msgid), N_("Skillful Mass Mobilization"));
    hf(r, "<link rel=\"stylesheet\" href=\"/static/%s\"><script src=\"/static/%s\" defer></script></head>"
          "<body><a class=\"skip\" href=\"#main\">%t</a><header class=\"top\"><a class=\"brand\" href=\"%s\">%t</a>"
          "<nav class=\"menu\" aria-label=\"%t\">",
       asset_name("app.css"), asset_name("app.js"), N_("Skip to content"), r->authed ? "/dashboard" : "/public", N_("Skillful Mass Mobilization"), N_("Main menu"));
    if (r->authed) {
        hf(r, "<a href=\"/dashboard\">%t</a><a href=\"/queue\">%t</a><a href=\"/models\">%t</a>", N_("Dashboard"),
           N_("My work"), N_("Models"));
        if (r->actor.role == ROLE_ADMIN || r->actor.role == ROLE_STAFF || r->actor.role == ROLE_OFFICER)
            hf(r, "<a href=\"/models/new\">%t</a>", N_("Register a model"));
        hf(r, "<a href=\"/reports\">%t</a><a href=\"/conferences\">%t</a>", N_("Reports"), N_("Conferences"));
        if (authz_import(&r->actor))
            hf(r, "<a href=\"/models/import\">%t</a>", N_("Spreadsheets"));
        if (authz_audit_read(&r->actor))
            hf(r, "<a href=\"/admin/audit\">%t</a>", N_("Audit trail"));
        hf(r, "<form method=\"post\" action=\"/logout\" class=\"signout\">");
        csrf_field(r);
        hf(r, "<button type=\"submit\" class=\"link\">%t (%s)</button></form>", N_("Sign out"), r->actor.login);
    } else {
        hf(r, "<a href=\"/public\">%t</a><a href=\"/login\">%t</a>", N_("Typical models"), N_("Sign in"));
    }
    hf(r, "</nav>");
    hf(r, "<nav class=\"langs\" aria-label=\"%t\">", N_("Language"));
    static const char *const names[LANG_COUNT] = {"Tiếng Việt", "English", "Svenska"};
    /* short codes on the bar (VI EN SV), the language's own name for screen readers and on hover */
    static const char *const codes[LANG_COUNT] = {"VI", "EN", "SV"};
    for (int i = 0; i < LANG_COUNT; i++) {
        if (i == r->lang)
            hf(r, "<span lang=\"%s\" aria-current=\"true\" title=\"%s\">%s<span class=\"sr\"> (%s)</span></span>",
               lang_codes[i], names[i], codes[i], names[i]);
        else
            /* the visible code begins the accessible name (WCAG 2.5.3 "label in name") */
            hf(r, "<a lang=\"%s\" hreflang=\"%s\" href=\"%s?lang=%s\" title=\"%s\">%s<span class=\"sr\"> (%s)</span></a>",
               lang_codes[i], lang_codes[i], strcmp(r->method, "GET") == 0 ? r->path : "/models", lang_codes[i],
               names[i], codes[i], names[i]);
    }
    hf(r, "</nav></header><main id=\"main\">");
}

int page_end(struct rq *r, int status)
{
    hf(r, "</main><footer><p><a class=\"guide-link\" href=\"/guide\">%t</a></p><p>%t</p></footer></body></html>",
       N_("User guide"), N_("dvk: the registry of the \"Skillful Mass Mobilization\" movement."));
    return status;
}

int page_error(struct rq *r, int status, const char *msgid)
{
    buf_reset(&r->out);
    page_begin(r, N_("Error"), NULL);
    hf(r, "<h1>%t</h1><p class=\"error\" role=\"alert\">%t</p><p><a href=\"/models\">%t</a></p>", N_("Error"), msgid,
       N_("Back to the list of models"));
    return page_end(r, status);
}

int redirect(struct rq *r, const char *location)
{
    rq_add_header(r, "location", location);
    r->content_type = "text/plain; charset=utf-8";
    buf_puts(&r->out, location);
    return 303;
}

int page_home(struct rq *r)
{
    return redirect(r, r->authed ? "/dashboard" : "/public");
}

int favicon(struct rq *r)
{
    /* no icon: an empty answer browsers keep, instead of a 404 on every page */
    rq_add_header(r, "cache-control", "public, max-age=604800");
    return 204;
}

int static_asset(struct rq *r)
{
    /* under its hashed name a file never changes: kept a year, never asked again;
     * under its plain name (an old page, a link from outside) an hour */
    const struct embedded_file *f = embed_find_hashed(assets_files, r->params[0]);
    bool immutable = f != NULL;
    if (!f)
        f = embed_find(assets_files, r->params[0]);
    if (!f)
        return page_error(r, 404, N_("Page not found."));
    const char *ext = strrchr(f->name, '.');
    r->content_type = !ext                     ? "application/octet-stream"
                      : strcmp(ext, ".css") == 0 ? "text/css; charset=utf-8"
                      : strcmp(ext, ".js") == 0  ? "text/javascript; charset=utf-8"
                      : strcmp(ext, ".svg") == 0 ? "image/svg+xml"
                      : strcmp(ext, ".woff2") == 0 ? "font/woff2"
                      : strcmp(ext, ".webp") == 0 ? "image/webp"
                      : strcmp(ext, ".png") == 0 ? "image/png"
                      : strcmp(ext, ".txt") == 0 ? "text/plain; charset=utf-8"
                                                 : "application/octet-stream";
    rq_add_header(r, "cache-control", immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600");
    buf_add(&r->out, f->data, f->len);
    return 200;
}
