/* cmd_db.c: dvk init, dvk units import, dvk user add. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "service/service.h"
#include "util/buf.h"

static int help(int argc, char **argv, const char *text)
{
    for (int i = 1; i < argc; i++)
        if (argv[i] && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
            fputs(text, stdout);
            return 1;
        }
    return 0;
}

/* A random password of 16 characters from an alphabet without look-alikes. */
static void random_password(char out[17])
{
    static const char a[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++)
        out[i] = a[randombytes_uniform(sizeof a - 1)];
    out[16] = 0;
}

int cmd_init(int argc, char **argv)
{
    if (help(argc, argv,
             "usage: dvk init --db PATH [--demo] [--admin-password-file FILE]\n"
             "Creates the database at PATH with an administrator named admin.\n"
             "Without --admin-password-file a random password is generated and printed once.\n"
             "--demo loads the demo catalogue and the models of the seed articles.\n"))
        return 0;
    const char *db = opt(argc, argv, "--db"), *pwfile = opt(argc, argv, "--admin-password-file");
    int demo = flag(argc, argv, "--demo");
    if (leftovers(argc, argv, "init"))
        return 2;
    if (!db) {
        fprintf(stderr, "dvk init: --db PATH is required\n");
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "dvk init: libsodium failed to start\n");
        return 1;
    }
    char *pw = NULL;
    char generated[17];
    if (pwfile) {
        if (!(pw = read_secret(pwfile)))
            return 1;
    } else {
        random_password(generated);
        pw = xstrdup(generated);
    }
    struct store *st = store_open(db);
    if (!st) {
        free(pw);
        return 1;
    }
    int code = 0;
    char msg[256] = "";
    struct user existing;
    if (st->ops->user_by_login(st, "admin", &existing) == ST_OK) {
        fprintf(stderr, "dvk init: %s already has an administrator; nothing was changed\n", db);
        code = 1;
        goto out;
    }
    if (st->ops->begin(st) != ST_OK) {
        code = 1;
        goto out;
    }
    int rc = svc_user_add(st, "admin", "admin", 2025, NULL, pw, msg, sizeof msg);
    if (rc == SVC_OK && demo)
        rc = svc_demo_load(st, msg, sizeof msg);
    if (rc != SVC_OK) {
        st->ops->rollback(st);
        fprintf(stderr, "dvk init: %s\n", msg[0] ? msg : "failed");
        code = 1;
        goto out;
    }
    if (st->ops->commit(st) != ST_OK) {
        code = 1;
        goto out;
    }
    int64_t n = 0;
    st->ops->model_count(st, &n);
    printf("dvk: created %s%s (%lld models)\n", db, demo ? " with demo data" : "", (long long)n);
    if (!pwfile)
        printf("dvk: administrator login: admin  password: %s  (shown once; keep it)\n", generated);
out:
    sodium_memzero(pw, strlen(pw));
    free(pw);
    st->ops->close(st);
    return code;
}

int cmd_units(int argc, char **argv)
{
    static const char text[] =
        "usage: dvk units import --db PATH --hierarchy 2024|2025 FILE\n"
        "       dvk units import --db PATH --mapping FILE\n"
        "FILE is a CSV with the header code,name,type,parent_code,level (catalogues)\n"
        "or old_code,new_code (the mapping), as in ../shared/data. Loading is all or nothing;\n"
        "loading the same file again changes nothing.\n";
    if (help(argc, argv, text))
        return 0;
    if (argc < 2 || !argv[1] || strcmp(argv[1], "import") != 0) {
        fputs(text, stderr);
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
        fputs(text, stderr);
        return 2;
    }
    int hierarchy = h ? atoi(h) : 0;
    if (h && strcmp(h, "2024") != 0 && strcmp(h, "2025") != 0) {
        fprintf(stderr, "dvk units: --hierarchy must be 2024 or 2025\n");
        return 2;
    }
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "dvk units: cannot open %s\n", file);
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
        fprintf(stderr, "dvk units: %s: %s; nothing was loaded\n", file, msg[0] ? msg : "failed");
        return 1;
    }
    printf("dvk: loaded %lld %s from %s\n", (long long)n, mapping ? "mapping rows" : "units", file);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    static const char text[] =
        "usage: dvk user add --db PATH --login LOGIN --role admin|staff|officer|appraiser|viewer\n"
        "                    [--unit CODE] [--hierarchy 2024|2025] [--password-file FILE]\n"
        "Without --password-file a random password is generated and printed once.\n";
    if (help(argc, argv, text))
        return 0;
    if (argc < 2 || !argv[1] || strcmp(argv[1], "add") != 0) {
        fputs(text, stderr);
        return 2;
    }
    argv[1] = NULL;
    const char *db = opt(argc, argv, "--db"), *login = opt(argc, argv, "--login"), *role = opt(argc, argv, "--role"),
               *unit = opt(argc, argv, "--unit"), *h = opt(argc, argv, "--hierarchy"),
               *pwfile = opt(argc, argv, "--password-file");
    if (leftovers(argc, argv, "user"))
        return 2;
    if (!db || !login || !role) {
        fputs(text, stderr);
        return 2;
    }
    int hierarchy = h ? atoi(h) : 2025;
    if (hierarchy != 2024 && hierarchy != 2025) {
        fprintf(stderr, "dvk user: --hierarchy must be 2024 or 2025\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    char generated[17];
    char *pw;
    if (pwfile) {
        if (!(pw = read_secret(pwfile)))
            return 1;
    } else {
        random_password(generated);
        pw = xstrdup(generated);
    }
    struct store *st = store_open(db);
    if (!st) {
        free(pw);
        return 1;
    }
    char msg[256] = "";
    int rc = svc_user_add(st, login, role, hierarchy, unit, pw, msg, sizeof msg);
    sodium_memzero(pw, strlen(pw));
    free(pw);
    st->ops->close(st);
    if (rc) {
        fprintf(stderr, "dvk user: %s\n", msg[0] ? msg : "failed");
        return 1;
    }
    printf("dvk: user %s (%s) created\n", login, role);
    if (!pwfile)
        printf("dvk: password: %s  (shown once)\n", generated);
    return 0;
}
