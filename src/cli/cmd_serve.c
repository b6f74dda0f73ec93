/* cmd_serve.c: dvk serve, its options from the command line, the environment and a settings file. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/conf.h"
#include "http/i18n.h"
#include "http/server.h"

/* Every option of dvk serve but --config: its key in a settings file is the option without
 * "--". Precedence: the command line, then the environment (env), then the file. */
enum kind { TEXT, NUMBER, YESNO };
struct setting {
    const char *key;
    enum kind kind;
    const char *env;   /* environment variable, or NULL */
    int64_t lo, hi;    /* NUMBER: the range */
    const char *range; /* NUMBER: the message when outside it; %s is the option's name */
};
static const struct setting settings[] = {
    {"db", TEXT, "DVK_DB", 0, 0, NULL},
    {"db-read", TEXT, "DVK_DB_READ", 0, 0, NULL},
    {"listen", TEXT, NULL, 0, 0, NULL},
    {"port", NUMBER, NULL, 1, 65535, N_("%s must be 1 to 65535")},
    {"threads", NUMBER, NULL, 1, 64, N_("%s must be 1 to 64")},
    {"data", TEXT, NULL, 0, 0, NULL},
    {"read-only", YESNO, NULL, 0, 0, NULL},
    {"max-db-mb", NUMBER, NULL, 1, 1 << 30, N_("%s must be a number of megabytes, 1 or more")},
    {"max-connections", NUMBER, NULL, 16, 1000000, N_("%s must be 16 to 1000000")},
    {"timeout", NUMBER, NULL, 1, 3600, N_("%s must be 1 to 3600 seconds")},
    {"cache-mb", NUMBER, NULL, 0, 65536, N_("%s must be 0 to 65536 megabytes")},
    {"db-cache-mb", NUMBER, NULL, 0, 1 << 20, N_("%s must be 0 to 1048576 megabytes")},
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

/* Where a value came from, for its error message: "--port", "DVK_DB" or "FILE:3: port". */
struct value {
    const char *text;
    char where[512];
};

/* True when s is a whole number in [lo, hi], stored in *out. */
static bool number(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* True when a database URL carries a password: postgresql://user:secret@… or password=… */
static bool has_password(const char *url)
{
    if (strncmp(url, "postgres", 8) != 0)
        return false;
    const char *auth = strstr(url, "://");
    if (!auth)
        return false;
    auth += 3;
    size_t n = strcspn(auth, "/?#");
    const char *at = memrchr(auth, '@', n);
    if (at && memchr(auth, ':', (size_t)(at - auth)))
        return true;
    return strstr(url, "password=") != NULL;
}

static void help(int lang)
{
    printf("%s: dvk serve [--config FILE] [--db PATH|URL] [--listen ADDR] [--port N] [--threads N] [--data DIR]\n"
           "                 [--read-only] [--max-db-mb N] [--max-connections N] [--timeout SECONDS]\n"
           "                 [--cache-mb N] [--db-cache-mb N] [--db-read URL]\n",
           T(lang, "usage"));
    static const char *const lines[] = {
        N_("Serves the pages and the JSON API (default 127.0.0.1:8080, one event loop per core)."),
        N_("Attachments are kept under --data (default: the folder \"files\" beside the database)."),
        N_("--config FILE: the same options as lines \"key = value\" (port = 8081, read-only = yes)."),
        N_("The command line wins over the environment (DVK_DB, DVK_DB_READ), which wins over the file."),
        N_("--read-only: refuse every write with 503 (maintenance); reads go on."),
        N_("--db-read URL: read the lists and reports from this PostgreSQL replica."),
        N_("--max-db-mb N: cap the database at N MB; past it writes fail with 507."),
        N_("--max-connections N: open connections at once; more are answered 503 and closed at once."),
        N_("--timeout S: a request must arrive, and an idle connection closes, within S seconds."),
        N_("--cache-mb N: memory for answers kept while the data is unchanged (0: off)."),
        N_("--db-cache-mb N: memory for the database's pages, all connections (0: 64 MB each)."),
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        printf("%s\n", T(lang, lines[i]));
    printf("%s: --max-connections %d, --timeout %d, --cache-mb %d, --db-cache-mb %d (docs/operations.md)\n",
           T(lang, "defaults"), SERVER_MAX_CONNS, SERVER_TIMEOUT, SERVER_CACHE_MB, SERVER_DB_CACHE_MB);
}

/* Fills o from v[] (in the order of settings[]); prints the first bad value. */
static int apply(int lang, struct value *v, struct server_opts *o)
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        const struct setting *s = &settings[i];
        const char *t = v[i].text;
        if (!t)
            continue;
        int64_t n = 0;
        if (s->kind == NUMBER && !number(t, s->lo, s->hi, &n)) {
            fprintf(stderr, "dvk serve: ");
            fprintf(stderr, T(lang, s->range), v[i].where);
            fputc('\n', stderr);
            return -1;
        }
        bool yes = false;
        if (s->kind == YESNO) {
            if (strcmp(t, "yes") == 0 || strcmp(t, "true") == 0)
                yes = true;
            else if (strcmp(t, "no") != 0 && strcmp(t, "false") != 0) {
                fprintf(stderr, "dvk serve: %s %s\n", v[i].where, T(lang, "takes yes or no"));
                return -1;
            }
        }
        const char *k = s->key;
        if (strcmp(k, "db") == 0)
            o->db = t;
        else if (strcmp(k, "db-read") == 0)
            o->db_read = t;
        else if (strcmp(k, "listen") == 0)
            o->listen = t;
        else if (strcmp(k, "data") == 0)
            o->datadir = t;
        else if (strcmp(k, "read-only") == 0)
            o->read_only = yes;
        else if (strcmp(k, "port") == 0)
            o->port = (int)n;
        else if (strcmp(k, "threads") == 0)
            o->threads = (int)n;
        else if (strcmp(k, "max-db-mb") == 0)
            o->max_db_mb = n;
        else if (strcmp(k, "max-connections") == 0)
            o->max_conns = (int)n;
        else if (strcmp(k, "timeout") == 0)
            o->timeout = (int)n;
        else if (strcmp(k, "cache-mb") == 0)
            o->cache_mb = (int)n;
        else if (strcmp(k, "db-cache-mb") == 0)
            o->db_cache_mb = (int)n;
    }
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    i18n_init();
    int lang = cli_lang(NULL);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help(lang);
            return 0;
        }
    struct value v[NSETTINGS];
    memset(v, 0, sizeof v);
    const char *file = opt(argc, argv, "--config");
    for (size_t i = 0; i < NSETTINGS; i++) {
        char name[64];
        snprintf(name, sizeof name, "--%s", settings[i].key);
        if (settings[i].kind == YESNO)
            v[i].text = flag(argc, argv, name) ? "yes" : NULL;
        else
            v[i].text = opt(argc, argv, name);
        snprintf(v[i].where, sizeof v[i].where, "%s", name);
    }
    if (leftovers(argc, argv, "serve"))
        return 2;
    for (size_t i = 0; i < NSETTINGS; i++) {
        const char *e = settings[i].env ? getenv(settings[i].env) : NULL;
        if (!v[i].text && e && *e) {
            v[i].text = e;
            snprintf(v[i].where, sizeof v[i].where, "%s", settings[i].env);
        }
    }
    struct conf c = {0};
    if (file) {
        const char *keys[NSETTINGS + 1];
        for (size_t i = 0; i < NSETTINGS; i++)
            keys[i] = settings[i].key;
        keys[NSETTINGS] = NULL;
        char err[1024];
        if (!*file || conf_read(file, keys, lang, &c, err, sizeof err) != 0) {
            fprintf(stderr, "dvk serve: %s\n", *file ? err : T(lang, "--config needs a file name"));
            return 2;
        }
        for (size_t i = 0; i < NSETTINGS; i++) {
            const struct conf_item *it = conf_get(&c, settings[i].key);
            if (!it)
                continue;
            /* a password readable by every user of the machine is no password: refused even
             * when the command line or the environment gives another database */
            if (c.world_readable && settings[i].kind == TEXT && has_password(it->value)) {
                fprintf(stderr, "dvk serve: %s:%d: %s\n", file, it->line,
                        T(lang, "this file holds a database password and every user may read it: "
                                "chmod o-r it first"));
                conf_free(&c);
                return 2;
            }
            if (!v[i].text) {
                v[i].text = it->value;
                snprintf(v[i].where, sizeof v[i].where, "%s:%d: %s", file, it->line, it->key);
            }
        }
    }
    struct server_opts o = {.listen = "127.0.0.1", .port = 8080, .cache_mb = -1, .db_cache_mb = -1};
    int rc = 2;
    if (apply(lang, v, &o) != 0)
        goto out;
    if (!o.db) {
        fprintf(stderr, "dvk serve: %s\n", T(lang, "give the database: --db PATH (or DVK_DB, or db = in --config)"));
        goto out;
    }
    if (server_run(&o) == 0)
        rc = 0;
    else {
        /* the engine's or the socket's own line (English, for the log) is above */
        fprintf(stderr, "dvk serve: %s\n", T(lang, "could not start (the reason is above); nothing is served"));
        rc = 1;
    }
out:
    conf_free(&c);
    return rc;
}
