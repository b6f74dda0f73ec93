/* page_auth.c: signing in and out. The sign-in form is protected by a
 * double-submit token (a cookie and a hidden field that must match); the
 * session id is always new at sign-in, so an id planted before cannot be used. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "http/handlers.h"
#include "http/i18n.h"

/* Only local paths are followed after sign-in: never another site. */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strchr(next, ':') || strlen(next) > 512)
        return "/models";
    /* a path, nothing else: no control character can split the Location header */
    for (const unsigned char *c = (const unsigned char *)next; *c; c++)
        if (*c < 0x21 || *c > 0x7e || *c == '\\')
            return "/models";
    return next;
}

static void set_cookie(struct rq *r, const char *name, const char *value, int max_age)
{
    char c[256];
    snprintf(c, sizeof c, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value, r->https ? "; Secure" : "",
             max_age == 0 ? "; Max-Age=0" : "");
    rq_add_header(r, "set-cookie", c);
}

void csrf_field(struct rq *r)
{
    hf(r, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->csrf);
}

static int login_form(struct rq *r, const char *login, const char *next, const char *error, int status)
{
    unsigned char raw[24];
    char pre[48];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(pre, sizeof pre, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    set_cookie(r, "dvk_pre", pre, -1);
    page_begin(r, N_("Sign in"), NULL);
    hf(r, "<h1>%t</h1>", N_("Sign in"));
    if (error)
        hf(r, "<p class=\"error\" role=\"alert\">%t</p>", error);
    hf(r, "<form method=\"post\" action=\"/login\" class=\"login\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
          "<input type=\"hidden\" name=\"next\" value=\"%s\">",
       pre, safe_next(next));
    hf(r, "<div class=\"field\"><label for=\"i-login\">%t</label><input id=\"i-login\" name=\"login\" value=\"%s\" "
          "autocomplete=\"username\" autocapitalize=\"none\" required></div>",
       N_("Login"), login ? login : "");
    hf(r, "<div class=\"field\"><label for=\"i-password\">%t</label><input id=\"i-password\" name=\"password\" "
          "type=\"password\" autocomplete=\"current-password\" required></div>",
       N_("Password"));
    hf(r, "<p class=\"actions\"><button type=\"submit\">%t</button></p></form>", N_("Sign in"));
    hf(r, "<p class=\"small\">%t <a href=\"/public\">%t</a></p>", N_("Not an officer?"),
       N_("See the typical models that are public."));
    return page_end(r, status);
}

int page_login(struct rq *r)
{
    if (r->authed)
        return redirect(r, safe_next(rq_query(r, "next")));
    return login_form(r, NULL, rq_query(r, "next"), NULL, 200);
}

int page_login_post(struct rq *r)
{
    const char *pre = rq_cookie(r, "dvk_pre"), *sent = rq_form(r, "csrf");
    const char *login = rq_form(r, "login"), *pw = rq_form(r, "password"), *next = rq_form(r, "next");
    /* the token is 32 characters from GET /login; an empty pair proves nothing */
    if (!pre || !sent || strlen(pre) < 20 || !secret_equal(pre, sent))
        return login_form(r, login, next, N_("The form has expired. Reload the page and try again."), 403);
    char cookie[COOKIE_VALUE_MAX], csrf[COOKIE_VALUE_MAX];
    struct actor a;
    int rc = svc_signin(r->st, login ? login : "", pw ? pw : "", r->address, (int64_t)time(NULL), cookie, csrf, &a);
    if (rc == SVC_ERROR)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    if (rc != SVC_OK) /* one message for a wrong login, a wrong password, a disabled account or a pause */
        return login_form(r, login, next,
                          N_("Sign-in failed. Check the login and the password; after several failures, wait a few minutes."),
                          401);
    /* a session the browser held before is ended: the new id replaces it */
    const char *old = rq_cookie(r, "dvk_session");
    if (old)
        svc_signout(r->st, old);
    set_cookie(r, "dvk_session", cookie, -1);
    set_cookie(r, "dvk_pre", "", 0);
    return redirect(r, safe_next(next));
}

int page_logout(struct rq *r)
{
    svc_signout(r->st, rq_cookie(r, "dvk_session"));
    set_cookie(r, "dvk_session", "", 0);
    return redirect(r, "/login");
}
