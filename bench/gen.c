/* gen.c: fills a dvk database with realistic models over the real 2024 catalogue,
 * through the same service calls as the API (validation, placing, audit).
 * Usage: gen --db PATH --units2024 CSV --units2025 CSV --mapping CSV --models N [--seed S]
 * Field and kind proportions follow the seed articles (Phú Thọ 2024: 495 economic,
 * 397 cultural-social, 145 defense-security, 153 political system; 980 collective,
 * 210 individual). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "service/service.h"
#include "util/buf.h"
#include "util/date.h"

static unsigned long long rng = 88172645463325252ULL;
static unsigned long long next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static const char *arg(int argc, char **argv, const char *name, const char *def)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return def;
}

static int load(struct store *st, int h, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    int64_t n;
    char msg[256];
    int rc = h ? svc_units_import(st, h, f, &n, msg, sizeof msg) : svc_mapping_import(st, f, &n, msg, sizeof msg);
    fclose(f);
    if (rc)
        fprintf(stderr, "gen: %s: %s\n", path, msg);
    return rc ? -1 : 0;
}

int main(int argc, char **argv)
{
    const char *db = arg(argc, argv, "--db", NULL);
    long n = atol(arg(argc, argv, "--models", "100000"));
    rng ^= (unsigned long long)atol(arg(argc, argv, "--seed", "1")) * 0x9E3779B97F4A7C15ULL;
    if (!db || n <= 0) {
        fprintf(stderr, "usage: gen --db PATH --units2024 CSV --units2025 CSV --mapping CSV --models N\n");
        return 2;
    }
    struct store *st = store_open(db);
    if (!st)
        return 1;
    if (load(st, 2024, arg(argc, argv, "--units2024", "../shared/data/units-2024.csv")) ||
        load(st, 2025, arg(argc, argv, "--units2025", "../shared/data/units-2025.csv")) ||
        load(st, 0, arg(argc, argv, "--mapping", "../shared/data/commune-2024-to-2025.csv")))
        return 1;
    /* every 2024 commune, to spread the models over the whole country */
    struct unit_list prov = {0};
    st->ops->unit_children(st, 2024, NULL, &prov);
    char (*communes)[32] = NULL;
    int nc = 0, cap = 0;
    for (int p = 0; p < prov.n; p++) {
        struct unit_list dist = {0};
        st->ops->unit_children(st, 2024, prov.items[p].code, &dist);
        for (int d = 0; d < dist.n; d++) {
            struct unit_list com = {0};
            st->ops->unit_children(st, 2024, dist.items[d].code, &com);
            for (int c = 0; c < com.n; c++) {
                communes = grow(communes, &cap, nc, sizeof *communes);
                snprintf(communes[nc++], 32, "%s", com.items[c].code);
            }
            unit_list_free(&com);
        }
        unit_list_free(&dist);
    }
    unit_list_free(&prov);
    static const int field_w[] = {495, 397, 145, 153};
    static const char *const words[] = {"Tổ tự quản", "Đường hoa", "Camera an ninh", "Hiến đất làm đường",
                                        "Nuôi bò", "Trồng quế", "Ngày thứ Bảy lắng nghe dân", "Dân vận khéo",
                                        "Thắp sáng đường quê", "Chi hội phụ nữ", "Đoàn thanh niên", "Giảm nghèo"};
    static const int statuses[] = {STATUS_RECOGNIZED, STATUS_RECOGNIZED, STATUS_RECOGNIZED, STATUS_REGISTERED,
                                   STATUS_SELECTED, STATUS_IMPLEMENTING, STATUS_APPRAISED, STATUS_NOT_RECOGNIZED};
    struct actor sys;
    actor_system(&sys);
    double t0 = now_s();
    long done = 0;
    while (done < n) {
        if (st->ops->begin(st) != ST_OK)
            return 1;
        for (int k = 0; k < 10000 && done < n; k++, done++) {
            struct model m;
            struct verrs v = {0};
            model_init(&m);
            char title[200];
            snprintf(title, sizeof title, "%s %s số %ld", words[next_rand() % 12], words[next_rand() % 12], done + 1);
            m.title = xstrdup(title);
            int r = (int)(next_rand() % 1190), f = 0;
            while (r >= field_w[f])
                r -= field_w[f++];
            m.field = FIELD_ECONOMIC + f;
            m.kind = next_rand() % 1190 < 980 ? KIND_COLLECTIVE : KIND_INDIVIDUAL;
            m.level = next_rand() % 3 == 0 ? LEVEL_DISTRICT : LEVEL_COMMUNE;
            m.status = statuses[next_rand() % 8];
            m.hierarchy = 2024;
            snprintf(m.unit_code, sizeof m.unit_code, "%s", communes[next_rand() % (unsigned)nc]);
            snprintf(m.registered_on, sizeof m.registered_on, "%04d-%02d-%02d", 2010 + (int)(next_rand() % 15),
                     1 + (int)(next_rand() % 12), 1 + (int)(next_rand() % 28));
            m.typical = m.status == STATUS_RECOGNIZED && next_rand() % 3 == 0;
            if (m.typical)
                m.typical_reason = xstrdup("Hiệu quả, được nhân dân đồng thuận");
            m.results[m.nresults++] = (struct model_result){date_year(m.registered_on), "households",
                                                            (double)(10 + next_rand() % 500)};
            int rc = svc_model_import(st, &sys, &m, &v);
            if (rc) {
                fprintf(stderr, "gen: model %ld: %d %s %s\n", done, rc, v.n ? v.e[0].field : "", v.n ? v.e[0].msg : "");
                return 1;
            }
            model_free(&m);
        }
        if (st->ops->commit(st) != ST_OK)
            return 1;
    }
    double dt = now_s() - t0;
    printf("gen: %ld models over %d communes in %.1f s (%.0f models/s through the service layer)\n", n, nc, dt, n / dt);
    free(communes);
    st->ops->close(st);
    return 0;
}
