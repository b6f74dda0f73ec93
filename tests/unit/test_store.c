/* test_store.c: the store and the model/unit services on the real catalogues of
 * ../shared/data (loaded once into a temporary database): SQLite, or with DVK_TEST_PG (the
 * URL of a throwaway cluster, tests/run.sh) a fresh PostgreSQL database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* a block of its own: it needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include "http/i18n.h"
#include "service/report_service.h"
#include "service/service.h"
#include "util/text.h"
#include "util/buf.h"

static char dbpath[512];
static char pgname[64]; /* the PostgreSQL database made for this run ("" on SQLite) */
static struct store *st;
static struct actor sys;

#define DATA "../shared/data/"

static int64_t load(int hierarchy, const char *file)
{
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    int64_t n = 0;
    char msg[256] = "";
    int rc = hierarchy ? svc_units_import(st, hierarchy, f, &n, msg, sizeof msg) : svc_mapping_import(st, f, &n, msg, sizeof msg);
    fclose(f);
    if (rc)
        fail_msg("import %s: %s", file, msg);
    return n;
}

/* Runs sql on the test database (or, with admin, on the cluster's own): raw access for
 * what no store function may do. Returns the first column of the first row (malloc'd, ""
 * when none), or NULL on failure. */
static char *raw_sql(const char *sql, bool admin)
{
    char *out = NULL;
    if (!pgname[0]) {
        sqlite3 *db = NULL;
        sqlite3_stmt *q = NULL;
        if (sqlite3_open(dbpath, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
            int rc = sqlite3_step(q);
            if (rc == SQLITE_ROW)
                out = xstrdup(sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
            else if (rc == SQLITE_DONE)
                out = xstrdup("");
        }
        sqlite3_finalize(q);
        sqlite3_close(db);
        return out;
    }
    PGconn *c = PQconnectdb(admin ? getenv("DVK_TEST_PG") : dbpath);
    PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        out = xstrdup(PQntuples(r) && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
    else if (PQresultStatus(r) == PGRES_COMMAND_OK)
        out = xstrdup("");
    else
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return out;
}

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("DVK_TEST_PG");
    if (base && *base) {
        /* the cluster's URL with this run's database in place of its own */
        const char *slash = strstr(base, "://") ? strchr(strstr(base, "://") + 3, '/') : NULL;
        if (!slash)
            return -1;
        snprintf(pgname, sizeof pgname, "t_unit_%d", (int)getpid());
        snprintf(dbpath, sizeof dbpath, "%.*s/%s%s", (int)(slash - base), base, pgname, strchr(slash, '?') ? strchr(slash, '?') : "");
        char sql[160];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", pgname);
        char *ok = raw_sql(sql, true);
        if (!ok)
            return -1;
        free(ok);
    } else {
        snprintf(dbpath, sizeof dbpath, "/tmp/dvk-test-store-%d.db", (int)getpid());
        unlink(dbpath);
    }
    st = store_open(dbpath);
    if (!st)
        return -1;
    actor_system(&sys);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    st->ops->close(st);
    if (pgname[0]) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", pgname);
        free(raw_sql(sql, true));
        return 0;
    }
    char p[600];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
    return 0;
}

static void test_catalogues(void **state)
{
    (void)state;
    assert_int_equal(load(2024, DATA "units-2024.csv"), 10794);
    assert_int_equal(load(2025, DATA "units-2025.csv"), 3355);
    assert_int_equal(load(0, DATA "commune-2024-to-2025.csv"), 10565);
    /* loading again changes nothing */
    assert_int_equal(load(2025, DATA "units-2025.csv"), 3355);
    int64_t n;
    assert_int_equal(st->ops->unit_count(st, 2025, &n), ST_OK);
    assert_int_equal(n, 3355);
    /* codes are unique only within a hierarchy */
    struct unit u;
    assert_int_equal(st->ops->unit_get(st, 2024, "00004", &u), ST_OK);
    assert_string_equal(u.name, "Phường Trúc Bạch");
    assert_int_equal(st->ops->unit_get(st, 2025, "00004", &u), ST_OK);
    assert_string_equal(u.name, "Phường Ba Đình");
    struct unit_list l;
    assert_int_equal(st->ops->unit_children(st, 2025, NULL, &l), ST_OK);
    assert_int_equal(l.n, 34);
    unit_list_free(&l);
}

static void test_bad_catalogue_changes_nothing(void **state)
{
    (void)state;
    int64_t before, after, n;
    st->ops->unit_count(st, 2024, &before);
    const char csv[] = "code,name,type,parent_code,level\n99901,Xã Thử,commune,999,3\n";
    FILE *f = fmemopen((void *)csv, sizeof csv - 1, "r");
    char msg[256] = "";
    assert_int_equal(svc_units_import(st, 2024, f, &n, msg, sizeof msg), SVC_INVALID);
    fclose(f);
    assert_non_null(strstr(msg, "no parent"));
    st->ops->unit_count(st, 2024, &after);
    assert_int_equal(before, after);
    const char bad[] = "code,name,type,parent_code\n01,Hà Nội,city,\n";
    f = fmemopen((void *)bad, sizeof bad - 1, "r");
    assert_int_equal(svc_units_import(st, 2024, f, &n, msg, sizeof msg), SVC_INVALID);
    fclose(f);
    assert_non_null(strstr(msg, "level"));
    const char utf[] = "code,name,type,parent_code,level\n01,H\xC3\x28,city,,1\n";
    f = fmemopen((void *)utf, sizeof utf - 1, "r");
    assert_int_equal(svc_units_import(st, 2024, f, &n, msg, sizeof msg), SVC_INVALID);
    fclose(f);
    assert_non_null(strstr(msg, "UTF-8"));
}

static void test_unit_search(void **state)
{
    (void)state;
    struct unit_list l;
    assert_int_equal(svc_unit_search(st, 2024, "truc bach", 10, &l), SVC_OK);
    assert_true(l.n >= 1);
    assert_string_equal(l.items[0].code, "00004");
    unit_list_free(&l);
    assert_int_equal(svc_unit_search(st, 2025, "BA ĐÌNH", 10, &l), SVC_OK);
    bool found = false;
    for (int i = 0; i < l.n; i++)
        found |= strcmp(l.items[i].code, "00004") == 0;
    assert_true(found);
    unit_list_free(&l);
    struct unit path[5];
    int n;
    assert_int_equal(svc_unit_path(st, 2024, "20368", path, &n), SVC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(path[0].code, "49");
    assert_string_equal(path[1].code, "518");
    assert_string_equal(path[2].name, "Xã Tam An");
}

static int64_t create(const char *title, int h, const char *unit, const char *date, int field)
{
    struct model m;
    struct verrs v = {0};
    model_init(&m);
    m.title = xstrdup(title);
    m.field = field;
    m.kind = KIND_COLLECTIVE;
    m.level = LEVEL_COMMUNE;
    m.hierarchy = h;
    snprintf(m.unit_code, sizeof m.unit_code, "%s", unit);
    snprintf(m.registered_on, sizeof m.registered_on, "%s", date);
    int rc = svc_model_create(st, &sys, &m, &v);
    if (rc)
        fail_msg("create %s: %d %s %s", title, rc, v.n ? v.e[0].field : "", v.n ? v.e[0].msg : "");
    int64_t id = m.id;
    model_free(&m);
    return id;
}

static void test_place(void **state)
{
    (void)state;
    /* Tam An (2024, Phú Ninh, Quảng Nam) became Xã Tây Hồ in Đà Nẵng */
    int64_t id = create("Tổ tự quản an ninh trật tự thôn An Thiện", 2024, "20368", "2005-03-01", FIELD_DEFENSE_SECURITY);
    struct model m;
    assert_int_equal(svc_model_get(st, &sys, id, &m), SVC_OK);
    assert_string_equal(m.place.p24, "49");
    assert_string_equal(m.place.d24, "518");
    assert_string_equal(m.place.c24, "20368");
    assert_string_equal(m.place.p25, "48");
    assert_string_equal(m.place.c25, "20380");
    assert_string_equal(m.code, "DVK-2005-000001");
    assert_int_equal(m.version, 1);
    assert_non_null(strstr(m.unit_path, "Xã Tam An"));
    model_free(&m);
    /* Đặng Xá (00556) was split between two new communes: province exact, commune unassigned */
    id = create("Mô hình ở xã bị chia tách", 2024, "00556", "2024-05-01", FIELD_ECONOMIC);
    assert_int_equal(svc_model_get(st, &sys, id, &m), SVC_OK);
    assert_string_equal(m.place.p25, "01");
    assert_string_equal(m.place.c25, "");
    model_free(&m);
    /* a 2025 commune made of 4 old communes of one district gets that district */
    id = create("Mô hình xã Tây Hồ", 2025, "20380", "2025-08-01", FIELD_ECONOMIC);
    assert_int_equal(svc_model_get(st, &sys, id, &m), SVC_OK);
    assert_string_equal(m.place.p25, "48");
    assert_string_equal(m.place.c24, "");
    assert_string_equal(m.place.p24, "49");
    model_free(&m);
}

static int64_t list_total(const struct model_query *q)
{
    struct model_page p;
    struct verrs v = {0};
    char next[NEXT_CURSOR_MAX];
    int rc = svc_model_list(st, &sys, q, &p, next, &v);
    if (rc)
        fail_msg("list: %d %s", rc, v.n ? v.e[0].field : "");
    int64_t t = p.total;
    model_page_free(&p);
    return t;
}

static void test_list_filters(void **state)
{
    (void)state;
    /* the 2024 commune's model is in the 2025 province it merged into, and in its 2024 district */
    assert_int_equal(list_total(&(struct model_query){.unit = "48", .hierarchy = "2025"}), 2);
    assert_int_equal(list_total(&(struct model_query){.unit = "518", .hierarchy = "2024"}), 2);
    assert_int_equal(list_total(&(struct model_query){.unit = "20380", .hierarchy = "2025"}), 2);
    assert_int_equal(list_total(&(struct model_query){.unit = "01", .hierarchy = "2025"}), 1);
    assert_int_equal(list_total(&(struct model_query){.unit = "79", .hierarchy = "2025"}), 0);
    assert_int_equal(list_total(&(struct model_query){.q = "AN THIEN"}), 1);
    assert_int_equal(list_total(&(struct model_query){.q = "tự quản"}), 1);
    assert_int_equal(list_total(&(struct model_query){.q = "dang xa"}), 1); /* place names are searched */
    assert_int_equal(list_total(&(struct model_query){.field = "economic"}), 2);
    assert_int_equal(list_total(&(struct model_query){.from = "2024-01-01", .to = "2024-12-31"}), 1);
    assert_int_equal(list_total(&(struct model_query){.typical = "true"}), 0);
    struct model_page p;
    struct verrs v = {0};
    char next[NEXT_CURSOR_MAX];
    assert_int_equal(svc_model_list(st, &sys, &(struct model_query){.field = "nope"}, &p, next, &v), SVC_INVALID);
    assert_string_equal(v.e[0].field, "field");
    struct verrs v2 = {0};
    assert_int_equal(svc_model_list(st, &sys, &(struct model_query){.limit = "0"}, &p, next, &v2), SVC_INVALID);
    struct verrs v3 = {0};
    assert_int_equal(svc_model_list(st, &sys, &(struct model_query){.unit = "99999"}, &p, next, &v3), SVC_INVALID);
}

static void test_paging(void **state)
{
    (void)state;
    for (int i = 0; i < 7; i++) {
        char t[64], d[11];
        snprintf(t, sizeof t, "Trang %d", i);
        snprintf(d, sizeof d, "2023-01-%02d", 1 + i % 3); /* ties on the sort key */
        create(t, 2024, "20368", d, FIELD_CULTURAL_SOCIAL);
    }
    const char *sorts[] = {"-registered_on", "registered_on", "title", "code"};
    for (size_t s = 0; s < 4; s++) {
        int64_t seen[16];
        int nseen = 0;
        char cursor[NEXT_CURSOR_MAX] = "";
        for (int page = 0; page < 10; page++) {
            struct model_page p;
            struct verrs v = {0};
            char next[NEXT_CURSOR_MAX];
            struct model_query q = {.field = "cultural_social", .limit = "3", .sort = sorts[s], .cursor = cursor};
            assert_int_equal(svc_model_list(st, &sys, &q, &p, next, &v), SVC_OK);
            assert_int_equal(p.total, 7);
            for (int i = 0; i < p.n; i++) {
                for (int k = 0; k < nseen; k++)
                    assert_true(seen[k] != p.items[i].id);
                seen[nseen++] = p.items[i].id;
            }
            model_page_free(&p);
            if (!next[0])
                break;
            snprintf(cursor, sizeof cursor, "%s", next);
        }
        assert_int_equal(nseen, 7);
    }
}

static void test_update_conflict(void **state)
{
    (void)state;
    int64_t id = create("Phiên bản", 2024, "20368", "2024-01-02", FIELD_ECONOMIC);
    struct model a, b;
    assert_int_equal(svc_model_get(st, &sys, id, &a), SVC_OK);
    assert_int_equal(svc_model_get(st, &sys, id, &b), SVC_OK);
    struct verrs v = {0};
    model_set_str(&a.summary, "Sửa lần một");
    assert_int_equal(svc_model_update(st, &sys, &a, 1, &v), SVC_OK);
    assert_int_equal(a.version, 2);
    model_set_str(&b.summary, "Sửa cùng lúc");
    assert_int_equal(svc_model_update(st, &sys, &b, 1, &v), SVC_CONFLICT);
    struct model c;
    assert_int_equal(svc_model_get(st, &sys, id, &c), SVC_OK);
    assert_string_equal(c.summary, "Sửa lần một");
    assert_int_equal(c.version, 2);
    /* an invalid edit changes nothing */
    struct verrs v2 = {0};
    strcpy(c.unit_code, "99999");
    assert_int_equal(svc_model_update(st, &sys, &c, 2, &v2), SVC_INVALID);
    assert_string_equal(v2.e[0].field, "unit_code");
    model_free(&a);
    model_free(&b);
    model_free(&c);
    assert_int_equal(svc_model_get(st, &sys, id, &c), SVC_OK);
    assert_string_equal(c.unit_code, "20368");
    model_free(&c);
    assert_int_equal(svc_model_get(st, &sys, 999999, &c), SVC_NOTFOUND);
}

static void test_results_and_tags(void **state)
{
    (void)state;
    struct model m;
    struct verrs v = {0};
    model_init(&m);
    m.title = xstrdup("Hiến đất làm đường Sơn Thủy");
    m.field = FIELD_ECONOMIC;
    m.kind = KIND_COLLECTIVE;
    m.level = LEVEL_DISTRICT;
    m.hierarchy = 2024;
    strcpy(m.unit_code, "20368");
    strcpy(m.registered_on, "2023-04-01");
    m.tags[m.ntags++] = xstrdup("Nông thôn mới");
    m.results[m.nresults++] = (struct model_result){2023, "land_m2", 8400};
    m.results[m.nresults++] = (struct model_result){2023, "money_vnd", 2500000000.0};
    m.results[m.nresults++] = (struct model_result){2023, "road_km", 4.6};
    assert_int_equal(svc_model_create(st, &sys, &m, &v), SVC_OK);
    struct model g;
    assert_int_equal(svc_model_get(st, &sys, m.id, &g), SVC_OK);
    assert_int_equal(g.nresults, 3);
    assert_string_equal(g.results[0].indicator, "land_m2");
    assert_true(g.results[1].value == 2500000000.0);
    assert_int_equal(g.ntags, 1);
    assert_string_equal(g.tags[0], "Nông thôn mới");
    model_free(&g);
    /* an unknown indicator is refused and nothing is written */
    int64_t before, after;
    st->ops->model_count(st, &before);
    struct verrs v2 = {0};
    m.id = 0;
    strcpy(m.results[0].indicator, "bogus");
    assert_int_equal(svc_model_create(st, &sys, &m, &v2), SVC_INVALID);
    st->ops->model_count(st, &after);
    assert_int_equal(before, after);
    model_free(&m);
}

static void test_migrations_idempotent(void **state)
{
    (void)state;
    struct store *again = store_open(dbpath);
    assert_non_null(again);
    int64_t n;
    assert_int_equal(again->ops->model_count(again, &n), ST_OK);
    assert_true(n > 0);
    again->ops->close(again);
}

static void test_users(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(svc_user_add(st, &sys, "cb.taman", "officer", 2024, "20368", "mat-khau-dai-du-1", LANG_EN, msg, sizeof msg), SVC_OK);
    assert_int_equal(svc_user_add(st, &sys, "cb.taman", "officer", 2024, "20368", "mat-khau-dai-du-1", LANG_EN, msg, sizeof msg), SVC_CONFLICT);
    assert_string_equal(msg, "The login cb.taman is taken.");
    /* the operator's language: Vietnamese first */
    assert_int_equal(svc_user_add(st, &sys, "cb.taman", "officer", 2024, "20368", "mat-khau-dai-du-1", LANG_VI, msg, sizeof msg), SVC_CONFLICT);
    assert_string_equal(msg, "Tên đăng nhập cb.taman đã có người dùng.");
    assert_int_equal(svc_user_add(st, &sys, "x", "officer", 2024, "20368", "mat-khau-dai-du-1", LANG_EN, msg, sizeof msg), SVC_INVALID);
    assert_int_equal(svc_user_add(st, &sys, "cb.khac", "chief", 2024, "20368", "mat-khau-dai-du-1", LANG_EN, msg, sizeof msg), SVC_INVALID);
    assert_int_equal(svc_user_add(st, &sys, "cb.khac", "officer", 2024, "20368", "ngan", LANG_EN, msg, sizeof msg), SVC_INVALID);
    assert_int_equal(svc_user_add(st, &sys, "cb.khac", "officer", 2024, NULL, "mat-khau-dai-du-1", LANG_EN, msg, sizeof msg), SVC_INVALID);
    struct user u;
    assert_int_equal(st->ops->user_by_login(st, "cb.taman", &u), ST_OK);
    assert_string_equal(u.role, "officer");
    assert_non_null(strstr(u.password_hash, "$argon2id$"));
}

/* ---- authorization and audit --------------------------------------------------- */

static void as_user(const char *login, const char *role, int h, const char *unit, struct actor *a)
{
    char msg[256];
    int rc = svc_user_add(st, &sys, login, role, h, unit, "mat-khau-dai-du-1", LANG_EN, msg, sizeof msg);
    if (rc != SVC_OK && rc != SVC_CONFLICT)
        fail_msg("user %s: %s", login, msg);
    struct user u;
    assert_int_equal(st->ops->user_by_login(st, login, &u), ST_OK);
    assert_int_equal(actor_from_user(st, &u, "10.0.0.1", a), SVC_OK);
}

static void test_scope(void **state)
{
    (void)state;
    struct actor taman, tayho, quangnam, danang, hanoi, viewer;
    as_user("o.taman", "officer", 2024, "20368", &taman);      /* 2024 Xã Tam An */
    as_user("o.tayho", "officer", 2025, "20380", &tayho);      /* 2025 Xã Tây Hồ, which took Tam An in */
    as_user("s.quangnam", "staff", 2024, "49", &quangnam);     /* 2024 Tỉnh Quảng Nam */
    as_user("s.danang", "staff", 2025, "48", &danang);         /* 2025 Thành phố Đà Nẵng */
    as_user("s.hanoi", "staff", 2025, "01", &hanoi);
    as_user("v.taman", "viewer", 2024, "20368", &viewer);
    int64_t id = create("Phạm vi", 2024, "20368", "2024-06-01", FIELD_ECONOMIC);
    struct model m;
    const struct actor *can[] = {&taman, &tayho, &quangnam, &danang, &viewer};
    for (size_t i = 0; i < sizeof can / sizeof can[0]; i++) {
        assert_int_equal(svc_model_get(st, can[i], id, &m), SVC_OK);
        model_free(&m);
    }
    assert_int_equal(svc_model_get(st, &hanoi, id, &m), SVC_NOTFOUND);
    /* lists and totals follow the scope */
    struct model_page p;
    struct verrs v = {0};
    char next[NEXT_CURSOR_MAX];
    assert_int_equal(svc_model_list(st, &hanoi, &(struct model_query){.q = "pham vi"}, &p, next, &v), SVC_OK);
    assert_int_equal(p.total, 0);
    model_page_free(&p);
    assert_int_equal(svc_model_list(st, &tayho, &(struct model_query){.q = "pham vi"}, &p, next, &v), SVC_OK);
    assert_int_equal(p.total, 1);
    model_page_free(&p);
    /* a viewer reads but does not edit; an officer cannot register outside the commune */
    assert_int_equal(svc_model_get(st, &viewer, id, &m), SVC_OK);
    struct verrs v2 = {0};
    assert_int_equal(svc_model_update(st, &viewer, &m, m.version, &v2), SVC_FORBIDDEN);
    model_free(&m);
    struct model n;
    struct verrs v3 = {0};
    model_init(&n);
    n.title = xstrdup("Ngoài xã");
    n.field = FIELD_ECONOMIC;
    n.kind = KIND_COLLECTIVE;
    n.level = LEVEL_COMMUNE;
    n.hierarchy = 2024;
    strcpy(n.unit_code, "20362");
    strcpy(n.registered_on, "2024-01-01");
    assert_int_equal(svc_model_create(st, &taman, &n, &v3), SVC_FORBIDDEN);
    assert_int_equal(svc_model_create(st, &quangnam, &n, &v3), SVC_OK);
    model_free(&n);
    /* audit reading is the administrator's */
    struct audit_list al;
    assert_int_equal(svc_audit_list(st, &quangnam, &(struct audit_filter){.limit = 5}, &al), SVC_FORBIDDEN);
    assert_int_equal(svc_audit_list(st, &sys, &(struct audit_filter){.entity = "model", .limit = 1}, &al), SVC_OK);
    assert_int_equal(al.n, 1);
    assert_string_equal(al.items[0].login, "s.quangnam");
    assert_string_equal(al.items[0].address, "10.0.0.1");
    assert_string_equal(al.items[0].action, "create");
    assert_null(al.items[0].before);
    assert_non_null(strstr(al.items[0].after, "Ngoài xã"));
    audit_list_free(&al);
}

static void test_decide(void **state)
{
    (void)state;
    struct actor taman_o, tayho_o, phuninh_s, quangnam_s, danang_s, hanoi_s, appraiser;
    as_user("d.taman", "officer", 2024, "20368", &taman_o);
    as_user("d.tayho", "officer", 2025, "20380", &tayho_o);
    as_user("d.phuninh", "staff", 2024, "518", &phuninh_s);
    as_user("d.quangnam", "staff", 2024, "49", &quangnam_s);
    as_user("d.danang", "staff", 2025, "48", &danang_s);
    as_user("d.hanoi", "staff", 2025, "01", &hanoi_s);
    as_user("d.appraiser", "appraiser", 2024, "518", &appraiser);
    struct model m;
    model_init(&m);
    m.hierarchy = 2024;
    strcpy(m.unit_code, "20368");
    assert_int_equal(svc_unit_place(st, 2024, "20368", &m.place), SVC_OK);
    struct {
        int level;
        const struct actor *who;
        bool yes;
    } cases[] = {
        {LEVEL_COMMUNE, &taman_o, true},     {LEVEL_COMMUNE, &tayho_o, true},    {LEVEL_COMMUNE, &phuninh_s, false},
        {LEVEL_DISTRICT, &phuninh_s, true},  {LEVEL_DISTRICT, &taman_o, false},  {LEVEL_DISTRICT, &quangnam_s, false},
        {LEVEL_DISTRICT, &danang_s, true},   {LEVEL_PROVINCE, &quangnam_s, true}, {LEVEL_PROVINCE, &danang_s, true},
        {LEVEL_PROVINCE, &phuninh_s, false}, {LEVEL_PROVINCE, &hanoi_s, false},  {LEVEL_DISTRICT, &appraiser, false},
        {LEVEL_PROVINCE, &sys, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        m.level = cases[i].level;
        if (authz_model_decide(cases[i].who, &m) != cases[i].yes)
            fail_msg("case %zu: %s at level %s: expected %s", i, cases[i].who->login, reg_level_names[m.level],
                     cases[i].yes ? "allowed" : "refused");
    }
    model_free(&m);
}

/* A store whose audit append fails: the change it belongs to must not stay. */
static struct store_ops failing_ops;
static int failing_audit(struct store *s, const struct audit_entry *e)
{
    (void)s;
    (void)e;
    return ST_ERR;
}

static void test_audit_atomic(void **state)
{
    (void)state;
    int64_t id = create("Nguyên tử", 2024, "20368", "2024-07-01", FIELD_ECONOMIC);
    int64_t models_before, models_after;
    st->ops->model_count(st, &models_before);
    const struct store_ops *real = st->ops;
    failing_ops = *real;
    failing_ops.audit_append = failing_audit;
    st->ops = &failing_ops;
    struct model m;
    struct verrs v = {0};
    model_init(&m);
    m.title = xstrdup("Không được lưu");
    m.field = FIELD_ECONOMIC;
    m.kind = KIND_COLLECTIVE;
    m.level = LEVEL_COMMUNE;
    m.hierarchy = 2024;
    strcpy(m.unit_code, "20368");
    strcpy(m.registered_on, "2024-01-01");
    assert_int_equal(svc_model_create(st, &sys, &m, &v), SVC_ERROR);
    model_free(&m);
    struct model e;
    assert_int_equal(svc_model_get(st, &sys, id, &e), SVC_OK);
    model_set_str(&e.summary, "Không được lưu");
    assert_int_equal(svc_model_update(st, &sys, &e, e.version, &v), SVC_ERROR);
    model_free(&e);
    st->ops = real;
    st->ops->model_count(st, &models_after);
    assert_int_equal(models_before, models_after);
    assert_int_equal(svc_model_get(st, &sys, id, &e), SVC_OK);
    assert_null(e.summary);
    assert_int_equal(e.version, 1);
    model_free(&e);
    /* the store is usable afterwards: no transaction was left open */
    create("Sau lỗi", 2024, "20368", "2024-07-02", FIELD_ECONOMIC);
}

/* Models registered before the mapping was loaded get their 2025 place when it is. */
static void test_replace_after_mapping(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "/tmp/dvk-test-replace-%d.db", (int)getpid());
    unlink(path);
    struct store *main_st = st;
    st = store_open_sqlite(path);
    assert_non_null(st);
    load(2024, DATA "units-2024.csv");
    int64_t id = create("Trước khi có bảng chuyển đổi", 2024, "20368", "2024-05-05", FIELD_ECONOMIC);
    struct model m;
    assert_int_equal(svc_model_get(st, &sys, id, &m), SVC_OK);
    assert_string_equal(m.place.p25, "");
    model_free(&m);
    load(2025, DATA "units-2025.csv");
    load(0, DATA "commune-2024-to-2025.csv");
    assert_int_equal(svc_model_get(st, &sys, id, &m), SVC_OK);
    assert_string_equal(m.place.p25, "48");
    assert_string_equal(m.place.c25, "20380");
    model_free(&m);
    assert_int_equal(list_total(&(struct model_query){.unit = "48", .hierarchy = "2025"}), 1);
    st->ops->close(st);
    st = main_st;
    unlink(path);
    char p2[300];
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
}

/* A counted total is reused only while nothing changed: a write on this connection or a
 * commit on another one (another event loop, another node) is seen at once. */
static void test_count_cache(void **state)
{
    (void)state;
    struct model_query q = {.q = "dem lai"};
    int64_t t0 = list_total(&q);
    create("Đếm lại một", 2024, "20368", "2024-02-02", FIELD_ECONOMIC);
    assert_int_equal(list_total(&q), t0 + 1);
    assert_int_equal(list_total(&q), t0 + 1); /* from the cache */
    struct store *other = store_open(dbpath);
    assert_non_null(other);
    struct store *mine = st;
    st = other;
    create("Đếm lại hai", 2024, "20368", "2024-02-03", FIELD_ECONOMIC);
    st = mine;
    assert_int_equal(list_total(&q), t0 + 2);
    other->ops->close(other);
}

/* Children come in Vietnamese order (đ after d, ă â after a, tones after letters), and rows
 * that lack a sort key get one when the database is opened. */
static void test_vietnamese_order(void **state)
{
    (void)state;
    struct unit_list l;
    assert_int_equal(st->ops->unit_children(st, 2025, NULL, &l), ST_OK); /* the 34 provinces */
    for (int i = 1; i < l.n; i++) {
        char *a = text_sort_key(l.items[i - 1].name), *b = text_sort_key(l.items[i].name);
        if (strcmp(a, b) > 0)
            fail_msg("%s listed before %s", l.items[i - 1].name, l.items[i].name);
        free(a);
        free(b);
    }
    /* "Thành phố Đà Nẵng" comes after every "Thành phố D…" and before "Thành phố H…" */
    int dn = -1, hn = -1;
    for (int i = 0; i < l.n; i++) {
        if (strcmp(l.items[i].code, "48") == 0)
            dn = i;
        if (strcmp(l.items[i].code, "01") == 0)
            hn = i;
    }
    assert_true(dn >= 0 && hn > dn);
    unit_list_free(&l);
    /* a key wiped (as before migration 009) is back after reopening */
    char *done = raw_sql("UPDATE units SET name_key = '' WHERE hierarchy = 2025 AND code = '48'", false);
    assert_non_null(done);
    free(done);
    struct store *again = store_open(dbpath);
    assert_non_null(again);
    again->ops->close(again);
    char *key = raw_sql("SELECT name_key FROM units WHERE hierarchy = 2025 AND code = '48'", false);
    assert_non_null(key);
    char *want = text_sort_key("Thành phố Đà Nẵng");
    assert_string_equal(key, want);
    free(want);
    free(key);
}

static void test_password_policy(void **state)
{
    (void)state;
    assert_non_null(password_problem("taman", "ngan"));
    assert_non_null(password_problem("taman", "xx-taman-xx-yy"));
    assert_non_null(password_problem("taman", "aaaaaaaaaaaa"));
    assert_non_null(password_problem("taman", "1234567890"));
    assert_null(password_problem("taman", "bốn con mèo đen"));
    assert_true(secret_equal("abc", "abc"));
    assert_false(secret_equal("abc", "abd"));
    assert_false(secret_equal("abc", "abcd"));
}


/* The heading of report files: inferred from the catalogue until one is stored; stored
 * by the staff of the unit or above, in capitals, audited. */
static void heading_is(int h, const char *unit, const char *superior, const char *body, const char *symbol,
                       const char *place)
{
    struct report_heading x;
    bool stored = true;
    assert_int_equal(report_heading_of(st, h, unit, &x, &stored), SVC_OK);
    assert_false(stored);
    assert_string_equal(x.superior, superior);
    assert_string_equal(x.body, body);
    assert_string_equal(x.symbol, symbol);
    assert_string_equal(x.place, place);
    assert_int_equal(x.style, HEADING_PARTY);
}

static void test_report_headings(void **state)
{
    (void)state;
    heading_is(2024, "", "BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN DÂN VẬN", "BDVTW", "Hà Nội");
    heading_is(2025, NULL, "BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "BTGDVTW", "Hà Nội");
    heading_is(2024, "49", "TỈNH ỦY QUẢNG NAM", "BAN DÂN VẬN", "BDVTU", "Quảng Nam");
    heading_is(2025, "48", "THÀNH ỦY ĐÀ NẴNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "BTGDVTU", "Đà Nẵng");
    heading_is(2024, "518", "HUYỆN ỦY PHÚ NINH", "BAN DÂN VẬN", "BDVHU", "Phú Ninh");
    heading_is(2024, "502", "THÀNH ỦY TAM KỲ", "BAN DÂN VẬN", "BDVTU", "Tam Kỳ");
    heading_is(2024, "507", "THỊ ỦY ĐIỆN BÀN", "BAN DÂN VẬN", "BDVTU", "Điện Bàn");
    heading_is(2024, "001", "QUẬN ỦY BA ĐÌNH", "BAN DÂN VẬN", "BDVQU", "Ba Đình");
    heading_is(2024, "20368", "ĐẢNG BỘ HUYỆN PHÚ NINH", "ĐẢNG ỦY XÃ TAM AN", "ĐU", "Tam An");
    heading_is(2025, "20380", "ĐẢNG BỘ THÀNH PHỐ ĐÀ NẴNG", "ĐẢNG ỦY XÃ TÂY HỒ", "ĐU", "Tây Hồ");
    struct report_heading x;
    assert_int_equal(report_heading_of(st, 2024, "99999", &x, NULL), SVC_NOTFOUND);
    assert_int_equal(report_heading_of(st, 2023, "49", &x, NULL), SVC_NOTFOUND);

    struct actor quangnam, taman, hanoi;
    as_user("s.hd.quangnam", "staff", 2024, "49", &quangnam);
    as_user("o.hd.taman", "officer", 2024, "20368", &taman);
    as_user("s.hd.hanoi", "staff", 2025, "01", &hanoi);
    struct report_heading_in in = {.hierarchy = 2024, .unit_code = "49", .superior = "Tỉnh ủy Quảng Nam",
                                   .body = "  Ban Tuyên giáo và Dân vận ", .symbol = "btgdvtu", .place = "Tam Kỳ"};
    struct verrs v = {0};
    assert_int_equal(svc_heading_set(st, &taman, &in, &x, &v), SVC_FORBIDDEN);
    assert_int_equal(svc_heading_set(st, &hanoi, &in, &x, &v), SVC_FORBIDDEN);
    in.unit_code = "";
    assert_int_equal(svc_heading_set(st, &quangnam, &in, &x, &v), SVC_FORBIDDEN); /* the country's */
    in.unit_code = "99999";
    assert_int_equal(svc_heading_set(st, &quangnam, &in, &x, &v), SVC_NOTFOUND);
    /* bad values, each named */
    in.unit_code = "49";
    in.style = "royal";
    in.symbol = "BDV/TU";
    in.place = "";
    in.body = "Ban\nDân vận";
    assert_int_equal(svc_heading_set(st, &quangnam, &in, &x, &v), SVC_INVALID);
    const char *fields[] = {"body", "symbol", "place", "style"};
    assert_int_equal(v.n, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(v.e[i].field, fields[i]);
    /* stored trimmed, in capitals and NFC ("y" + combining grave is "ỳ"), audited */
    in = (struct report_heading_in){.hierarchy = 2024, .unit_code = "49", .superior = "Tỉnh ủy Quảng Nam",
                                    .body = "  Ban Tuyên giáo và Dân vận ", .symbol = "btgdvtu",
                                    .place = "Tam Ky\xcc\x80", .style = "state"};
    struct verrs v2 = {0};
    assert_int_equal(svc_heading_set(st, &quangnam, &in, &x, &v2), SVC_OK);
    bool stored = false;
    assert_int_equal(report_heading_of(st, 2024, "49", &x, &stored), SVC_OK);
    assert_true(stored);
    assert_string_equal(x.superior, "TỈNH ỦY QUẢNG NAM");
    assert_string_equal(x.body, "BAN TUYÊN GIÁO VÀ DÂN VẬN");
    assert_string_equal(x.symbol, "BTGDVTU");
    assert_string_equal(x.place, "Tam Kỳ");
    assert_int_equal(x.style, HEADING_STATE);
    /* a district below keeps its own inferred heading; the staff of the province may set it */
    heading_is(2024, "518", "HUYỆN ỦY PHÚ NINH", "BAN DÂN VẬN", "BDVHU", "Phú Ninh");
    in.unit_code = "518";
    in.superior = NULL;
    in.symbol = NULL;
    in.style = NULL;
    assert_int_equal(svc_heading_set(st, &quangnam, &in, &x, &v2), SVC_OK);
    assert_string_equal(x.superior, "");
    assert_int_equal(x.style, HEADING_PARTY);
    struct audit_list al;
    assert_int_equal(svc_audit_list(st, &sys, &(struct audit_filter){.entity = "report_heading", .limit = 5}, &al),
                     SVC_OK);
    assert_int_equal(al.n, 2);
    assert_string_equal(al.items[1].entity_id, "2024:49");
    assert_string_equal(al.items[1].login, "s.hd.quangnam");
    assert_non_null(strstr(al.items[1].after, "BTGDVTU"));
    audit_list_free(&al);
}

/* A write past the size cap fails with ST_FAULT_FULL and leaves no row behind; a
 * read-only connection's with ST_FAULT_READONLY; reads go on; a connection without the
 * limits writes again. */
static void test_storage_faults(void **state)
{
    (void)state;
    struct store *other = store_open(dbpath);
    assert_non_null(other);
    struct store *mine = st;
    st = other;
    struct model_query q = {.q = "cham tran"};
    int64_t before = list_total(&q);
    if (pgname[0]) /* a size cap is SQLite's: PostgreSQL's quota is the server's */
        goto read_only;
    assert_int_equal(other->ops->limit(other, 1, false), ST_OK); /* below the size: no growth at all */
    char *big = xmalloc(3001);
    memset(big, 'x', 3000);
    big[3000] = 0;
    int rc = SVC_OK;
    for (int i = 0; i < 5000 && rc == SVC_OK; i++) {
        struct model m;
        struct verrs v = {0};
        model_init(&m);
        m.title = xstrdup("Chạm trần");
        m.description = xstrdup(big);
        m.field = FIELD_ECONOMIC;
        m.kind = KIND_COLLECTIVE;
        m.level = LEVEL_COMMUNE;
        m.hierarchy = 2024;
        snprintf(m.unit_code, sizeof m.unit_code, "20368");
        snprintf(m.registered_on, sizeof m.registered_on, "2024-05-05");
        other->fault = ST_FAULT_NONE;
        rc = svc_model_create(other, &sys, &m, &v);
        model_free(&m);
    }
    free(big);
    assert_int_equal(rc, SVC_ERROR);
    assert_int_equal(other->fault, ST_FAULT_FULL);
    assert_int_equal(store_last_fault(), ST_FAULT_FULL);
    int64_t full;
read_only:
    full = list_total(&q); /* reads still work */
    assert_true(full >= before);

    assert_int_equal(other->ops->limit(other, 0, true), ST_OK);
    other->fault = ST_FAULT_NONE;
    struct model m;
    struct verrs v = {0};
    model_init(&m);
    m.title = xstrdup("Chạm trần chỉ đọc");
    m.field = FIELD_ECONOMIC;
    m.kind = KIND_COLLECTIVE;
    m.level = LEVEL_COMMUNE;
    m.hierarchy = 2024;
    snprintf(m.unit_code, sizeof m.unit_code, "20368");
    snprintf(m.registered_on, sizeof m.registered_on, "2024-05-05");
    assert_int_equal(svc_model_create(other, &sys, &m, &v), SVC_ERROR);
    model_free(&m);
    assert_int_equal(other->fault, ST_FAULT_READONLY);
    assert_int_equal(list_total(&q), full);
    st = mine;
    other->ops->close(other);
    create("Chạm trần xong", 2024, "20368", "2024-05-06", FIELD_ECONOMIC);
    assert_int_equal(list_total(&q), full + 1);
}

int main(void)
{
    i18n_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogues),      cmocka_unit_test(test_bad_catalogue_changes_nothing),
        cmocka_unit_test(test_unit_search),     cmocka_unit_test(test_place),
        cmocka_unit_test(test_list_filters),    cmocka_unit_test(test_paging),
        cmocka_unit_test(test_update_conflict), cmocka_unit_test(test_results_and_tags),
        cmocka_unit_test(test_migrations_idempotent), cmocka_unit_test(test_users),
        cmocka_unit_test(test_scope),           cmocka_unit_test(test_audit_atomic),
        cmocka_unit_test(test_decide),
        cmocka_unit_test(test_password_policy), cmocka_unit_test(test_replace_after_mapping),
        cmocka_unit_test(test_count_cache),     cmocka_unit_test(test_vietnamese_order),
        cmocka_unit_test(test_report_headings), cmocka_unit_test(test_storage_faults),
    };
    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
