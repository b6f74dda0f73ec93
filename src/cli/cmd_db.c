/* cmd_db.c: dvk init, dvk units import, dvk user, dvk token. Messages are in the locale's
 * language (LANG: Vietnamese, English or Swedish); role names, states and logins are not
 * translated (they are what the commands take). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "service/service.h"
#include "util/buf.h"

/* The language of this run's messages. */
static int lang_now(void)
{
    i18n_init();
    return cli_lang(NULL);
}

static void usage(FILE *f, const char *syn, const char *const *desc)
{
    cli_usage(f, -1, syn, desc);
}

static int help(int argc, char **argv, const char *syn, const char *const *desc)
{
    for (int i = 1; i < argc; i++)
        if (argv[i] && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
            usage(stdout, syn, desc);
            return 1;
        }
    return 0;
}

/* "dvk CMD: " and a translated message, to stderr. */
static void fail(const char *cmd, const char *msgid)
{
    fprintf(stderr, "dvk %s: %s\n", cmd, T(lang_now(), msgid));
}

/* A random password of 16 characters from an alphabet without look-alikes,
 * drawn again in the unlikely case that the policy refuses it. */
static void random_password(const char *login, char out[17])
{
    static const char a[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    do {
        for (int i = 0; i < 16; i++)
            out[i] = a[randombytes_uniform(sizeof a - 1)];
        out[16] = 0;
    } while (password_problem(login, out));
}

int cmd_init(int argc, char **argv)
{
    static const char syn[] = "dvk init --db PATH [--demo] [--admin-password-file FILE]\n";
    static const char *const desc[] = {
        N_("Creates the database at PATH with an administrator named admin."),
        N_("Without --admin-password-file a random password is generated and printed once."),
        N_("--demo loads the demo catalogue and the models of the seed articles."),
        NULL};
    if (help(argc, argv, syn, desc))
        return 0;
    int lang = lang_now();
    const char *db = opt(argc, argv, "--db"), *pwfile = opt(argc, argv, "--admin-password-file");
    int demo = flag(argc, argv, "--demo");
    if (leftovers(argc, argv, "init"))
        return 2;
    if (!db) {
        fail("init", N_("--db PATH is required"));
        return 2;
    }
    if (sodium_init() < 0) {
        fail("init", N_("libsodium failed to start"));
        return 1;
    }
    char *pw = NULL;
    char generated[17];
    if (pwfile) {
        if (!(pw = read_secret(pwfile)))
            return 1;
    } else {
        random_password("admin", generated);
        pw = xstrdup(generated);
    }
    struct store *st = store_open(db);
    if (!st) {
        free(pw);
        return 1;
    }
    struct actor sys;
    actor_system(&sys);
    int code = 0;
    char msg[256] = "";
    struct user existing;
    if (st->ops->user_by_login(st, "admin", &existing) == ST_OK) {
        fprintf(stderr, "dvk init: %s: %s\n", db, T(lang, "this database has an administrator already; nothing was changed"));
        code = 1;
        goto out;
    }
    if (st->ops->begin(st) != ST_OK) {
        code = 1;
        goto out;
    }
    int rc = svc_user_add(st, &sys, "admin", "admin", 2025, NULL, pw, lang, msg, sizeof msg);
    if (rc == SVC_OK && demo)
        rc = svc_demo_load(st, msg, sizeof msg);
    if (rc != SVC_OK) {
        st->ops->rollback(st);
        fprintf(stderr, "dvk init: %s\n", msg[0] ? msg : T(lang, "failed"));
        code = 1;
        goto out;
    }
    if (st->ops->commit(st) != ST_OK) {
        code = 1;
        goto out;
    }
    int64_t n = 0;
    st->ops->model_count(st, &n);
    char count[32];
    fmt_number(lang, (double)n, count, sizeof count);
    printf("dvk: %s %s (%s %s)\n", T(lang, demo ? N_("created, with the demo data:") : N_("created:")), db, count,
           T(lang, "models"));
    if (!pwfile)
        printf("dvk: %s admin  %s %s  (%s)\n", T(lang, "administrator login:"), T(lang, "password:"), generated,
               T(lang, "shown once; keep it"));
out:
    sodium_memzero(pw, strlen(pw));
    free(pw);
    st->ops->close(st);
    return code;
}

int cmd_units(int argc, char **argv)
{
    static const char syn[] = "dvk units import --db PATH --hierarchy 2024|2025 FILE\n"
                              "       dvk units import --db PATH --mapping FILE\n";
    static const char *const desc[] = {
        N_("FILE is a CSV with the header code,name,type,parent_code,level (catalogues) or old_code,new_code (the mapping), as in ../shared/data."),
        N_("Loading is all or nothing; loading the same file again changes nothing."),
        NULL};
    if (help(argc, argv, syn, desc))
        return 0;
    int lang = lang_now();
    if (argc < 2 || !argv[1] || strcmp(argv[1], "import") != 0) {
        usage(stderr, syn, desc);
        return 2;
    }
    argv[1] = NULL;
    const char *db = opt(argc, argv, "--db"), *h = opt(argc, argv, "--hierarchy"),
               *mapping = opt(argc, argv, "--mapping");
    const char *file = mapping;
    for (int i = 2; i < argc && !file; i++)
        if (argv[i] && argv[i][0] != '-') {
            file = argv[i];
            argv[i] = NULL;
        }
    if (leftovers(argc, argv, "units"))
        return 2;
    if (!db || !file || (!h && !mapping) || (h && mapping)) {
        usage(stderr, syn, desc);
        return 2;
    }
    int hierarchy = h ? atoi(h) : 0;
    if (h && strcmp(h, "2024") != 0 && strcmp(h, "2025") != 0) {
        fail("units", N_("--hierarchy must be 2024 or 2025"));
        return 2;
    }
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "dvk units: %s: %s\n", file, T(lang, "cannot read the file"));
        return 1;
    }
    struct store *st = store_open(db);
    if (!st) {
        fclose(f);
        return 1;
    }
    int64_t n = 0;
    char msg[256] = "";
    int rc = mapping ? svc_mapping_import(st, f, &n, msg, sizeof msg) : svc_units_import(st, hierarchy, f, &n, msg, sizeof msg);
    fclose(f);
    st->ops->close(st);
    if (rc) {
        fprintf(stderr, "dvk units: %s: %s (%s)\n", file, T(lang, "nothing was loaded"), msg[0] ? msg : T(lang, "failed"));
        return 1;
    }
    char count[32];
    fmt_number(lang, (double)n, count, sizeof count);
    printf("dvk: %s: %s %s\n", file, T(lang, mapping ? N_("mapping rows loaded:") : N_("units loaded:")), count);
    return 0;
}

static int get_password(const char *pwfile, const char *login, char generated[17], char **pw)
{
    if (pwfile) {
        *pw = read_secret(pwfile);
        return *pw ? 0 : 1;
    }
    random_password(login, generated);
    *pw = xstrdup(generated);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    static const char syn[] =
        "dvk user add     --db PATH --login LOGIN --role admin|staff|officer|appraiser|viewer\n"
        "                        [--unit CODE] [--hierarchy 2024|2025] [--password-file FILE]\n"
        "       dvk user passwd  --db PATH --login LOGIN [--password-file FILE]\n"
        "       dvk user disable --db PATH --login LOGIN\n"
        "       dvk user enable  --db PATH --login LOGIN\n"
        "       dvk user list    --db PATH\n";
    static const char *const desc[] = {
        N_("Without --password-file a random password is generated and printed once."),
        N_("A password has at least 10 characters, 5 of them different, and does not contain the login."),
        N_("passwd and disable end the user's sessions."),
        NULL};
    if (help(argc, argv, syn, desc))
        return 0;
    int lang = lang_now();
    const char *sub = argc >= 2 && argv[1] ? argv[1] : "";
    if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "disable") && strcmp(sub, "enable") &&
        strcmp(sub, "list")) {
        usage(stderr, syn, desc);
        return 2;
    }
    argv[1] = NULL;
    const char *db = opt(argc, argv, "--db"), *login = opt(argc, argv, "--login"), *role = opt(argc, argv, "--role"),
               *unit = opt(argc, argv, "--unit"), *h = opt(argc, argv, "--hierarchy"),
               *pwfile = opt(argc, argv, "--password-file");
    if (leftovers(argc, argv, "user"))
        return 2;
    if (!db || (strcmp(sub, "list") != 0 && !login) || (strcmp(sub, "add") == 0 && !role)) {
        usage(stderr, syn, desc);
        return 2;
    }
    int hierarchy = h ? atoi(h) : 2025;
    if (hierarchy != 2024 && hierarchy != 2025) {
        fail("user", N_("--hierarchy must be 2024 or 2025"));
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    struct store *st = store_open(db);
    if (!st)
        return 1;
    struct actor sys;
    actor_system(&sys);
    char msg[256] = "", generated[17] = "";
    char *pw = NULL;
    int rc = SVC_OK;
    if (strcmp(sub, "list") == 0) {
        struct user *us;
        int n;
        if (st->ops->user_list(st, &us, &n) != ST_OK) {
            st->ops->close(st);
            return 1;
        }
        printf("%-24s %-10s %-9s %-12s %s\n", "login", "role", "hierarchy", "unit", "state");
        for (int i = 0; i < n; i++)
            printf("%-24s %-10s %-9d %-12s %s\n", us[i].login, us[i].role, us[i].hierarchy,
                   us[i].unit_code[0] ? us[i].unit_code : "-", us[i].disabled ? "disabled" : "active");
        free(us);
        st->ops->close(st);
        return 0;
    }
    if (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) {
        if (get_password(pwfile, login, generated, &pw)) {
            st->ops->close(st);
            return 1;
        }
        rc = strcmp(sub, "add") == 0 ? svc_user_add(st, &sys, login, role, hierarchy, unit, pw, lang, msg, sizeof msg)
                                     : svc_user_passwd(st, &sys, login, pw, lang, msg, sizeof msg);
        sodium_memzero(pw, strlen(pw));
        free(pw);
    } else {
        rc = svc_user_disable(st, &sys, login, strcmp(sub, "disable") == 0, lang, msg, sizeof msg);
    }
    st->ops->close(st);
    if (rc) {
        fprintf(stderr, "dvk user: %s\n", msg[0] ? msg : T(lang, "failed"));
        return 1;
    }
    printf("dvk: %s %s: %s\n", T(lang, "user"), login,
           T(lang, strcmp(sub, "add") == 0       ? N_("added")
                   : strcmp(sub, "passwd") == 0  ? N_("password changed, sessions ended")
                   : strcmp(sub, "disable") == 0 ? N_("disabled, sessions ended")
                                                 : N_("enabled")));
    if (generated[0] && !pwfile)
        printf("dvk: %s %s  (%s)\n", T(lang, "password:"), generated, T(lang, "shown once; keep it"));
    return 0;
}

int cmd_token(int argc, char **argv)
{
    static const char syn[] = "dvk token create --db PATH --user LOGIN [--expires DAYS] [--name TEXT]\n"
                              "       dvk token revoke --db PATH --id N\n"
                              "       dvk token list   --db PATH\n";
    static const char *const desc[] = {
        N_("create prints the bearer token once; only its SHA-256 digest is stored."),
        N_("Send it as \"Authorization: Bearer TOKEN\"; it acts with its user's role and unit."),
        NULL};
    if (help(argc, argv, syn, desc))
        return 0;
    int lang = lang_now();
    const char *sub = argc >= 2 && argv[1] ? argv[1] : "";
    if (strcmp(sub, "create") && strcmp(sub, "revoke") && strcmp(sub, "list")) {
        usage(stderr, syn, desc);
        return 2;
    }
    argv[1] = NULL;
    const char *db = opt(argc, argv, "--db"), *user = opt(argc, argv, "--user"), *exp = opt(argc, argv, "--expires"),
               *name = opt(argc, argv, "--name"), *id = opt(argc, argv, "--id");
    if (leftovers(argc, argv, "token"))
        return 2;
    if (!db || (strcmp(sub, "create") == 0 && !user) || (strcmp(sub, "revoke") == 0 && !id)) {
        usage(stderr, syn, desc);
        return 2;
    }
    int days = 0;
    if (exp) {
        char *end;
        long d = strtol(exp, &end, 10);
        if (*end || d < 1 || d > 3650) {
            fail("token", N_("--expires takes 1 to 3650 days"));
            return 2;
        }
        days = (int)d;
    }
    if (sodium_init() < 0)
        return 1;
    struct store *st = store_open(db);
    if (!st)
        return 1;
    int code = 0;
    int64_t now = (int64_t)time(NULL);
    if (strcmp(sub, "create") == 0) {
        char token[80], msg[256] = "";
        int64_t tid = 0;
        if (svc_token_create(st, user, days, name, now, token, &tid, msg, sizeof msg) != SVC_OK) {
            fprintf(stderr, "dvk token: %s\n", msg[0] ? msg : T(lang, "failed"));
            code = 1;
        } else {
            printf("%s\n", token);
            /* "dvk token N:" stays as it is: scripts read the id from it */
            fprintf(stderr, "dvk token %lld: %s %s%s (%s)\n", (long long)tid, T(lang, "for the user"), user,
                    days ? "" : T(lang, N_(", no expiry")), T(lang, "shown once; keep it secret"));
            sodium_memzero(token, sizeof token);
        }
    } else if (strcmp(sub, "revoke") == 0) {
        char *end;
        long long n = strtoll(id, &end, 10);
        struct actor sys;
        actor_system(&sys);
        char tid[32];
        snprintf(tid, sizeof tid, "%lld", n);
        /* the revocation and its audit entry commit together */
        int rc = *end || st->ops->begin(st) != ST_OK ? ST_NOTFOUND : st->ops->token_revoke(st, n, now);
        if (rc == ST_OK && (audit(st, &sys, "api_token", tid, "revoke", NULL, NULL) != SVC_OK ||
                            st->ops->commit(st) != ST_OK))
            rc = ST_ERR;
        if (rc != ST_OK)
            st->ops->rollback(st);
        if (rc == ST_OK) {
            printf("dvk token %lld: %s\n", n, T(lang, "revoked"));
        } else {
            fprintf(stderr, "dvk token: %s: %s\n", id, T(lang, "no active token has this id"));
            code = 1;
        }
    } else {
        struct api_token *ts;
        int n;
        if (st->ops->token_list(st, &ts, &n) == ST_OK) {
            printf("%-6s %-20s %-20s %s\n", "id", "user", "name", "state");
            for (int i = 0; i < n; i++)
                printf("%-6lld %-20s %-20s %s\n", (long long)ts[i].id, ts[i].login, ts[i].name,
                       ts[i].revoked_at ? "revoked" : (ts[i].expires_at && ts[i].expires_at <= now) ? "expired" : "active");
            free(ts);
        } else {
            code = 1;
        }
    }
    st->ops->close(st);
    return code;
}
