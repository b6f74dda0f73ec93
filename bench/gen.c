/* gen.c: fills a dvk database with realistic models over the real 2024 catalogue, for
 * `make bench`.
 * Usage: gen --db PATH [--units2024 CSV --units2025 CSV --mapping CSV] --models N [--seed S]
 *
 * Each commune is placed in both hierarchies once, by the service (svc_unit_place,
 * svc_unit_path), and each model's search texts are made by the service
 * (svc_search_fold); rows go in through the store's model_insert, the statement the API
 * uses. Validation and audit entries are left out: the inputs are well formed, and the
 * audit trail is not what the benchmark reads (it would double the file and the time).
 *
 * As a bulk load does, the indexes of models and the search triggers (migration 011) are
 * set aside while the rows go in; then the indexes are built from the sorted rows and the
 * search index in one pass, as migration 011 builds it for models already stored. Row by
 * row, a million models cost about twice as long: a dozen indexes updated at random
 * places, and FTS5 writing its pending terms at every statement that fires a trigger.
 *
 * Field and kind proportions follow the seed articles (Phú Thọ 2024: 495 economic,
 * 397 cultural-social, 145 defense-security, 153 political system; 980 collective,
 * 210 individual). Titles, owners, summaries and tags are drawn from lists of what
 * registrations say, common activities far more often than rare ones. */
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
#define PICK(a) ((a)[next_rand() % (sizeof(a) / sizeof((a)[0]))])

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

/* What a model does, with its field and a weight (how often offices register it). */
static const struct activity {
    const char *title;
    int field; /* enum model_field */
    int weight;
    const char *summary;
} activities[] = {
    {"Tổ tự quản an ninh trật tự", FIELD_DEFENSE_SECURITY, 90, "Người dân tự tuần tra, hòa giải mâu thuẫn, giữ gìn an ninh thôn xóm."},
    {"Camera an ninh", FIELD_DEFENSE_SECURITY, 80, "Vận động nhân dân góp tiền lắp camera tại các ngã ba, ngã tư, kết nối với công an xã."},
    {"Hiến đất làm đường giao thông nông thôn", FIELD_ECONOMIC, 80, "Các hộ hiến đất, góp ngày công mở rộng và bê tông hóa đường liên thôn."},
    {"Đường hoa", FIELD_CULTURAL_SOCIAL, 60, "Mỗi hộ trồng và chăm sóc hoa trước nhà, tạo cảnh quan xanh, sạch, đẹp."},
    {"Thắp sáng đường quê", FIELD_CULTURAL_SOCIAL, 55, "Lắp đèn chiếu sáng các tuyến đường thôn bằng đóng góp của nhân dân."},
    {"Chi hội phụ nữ 5 không 3 sạch", FIELD_CULTURAL_SOCIAL, 50, "Hội viên phụ nữ giữ nhà sạch, bếp sạch, ngõ sạch, không có hộ đói nghèo."},
    {"Nuôi bò sinh sản", FIELD_ECONOMIC, 50, "Hỗ trợ hộ nghèo nuôi bò sinh sản, quay vòng con giống cho hộ khác."},
    {"Trồng quế hữu cơ", FIELD_ECONOMIC, 35, "Liên kết các hộ trồng quế theo tiêu chuẩn hữu cơ, bao tiêu sản phẩm."},
    {"Ngày thứ Bảy lắng nghe dân nói", FIELD_POLITICAL_SYSTEM, 45, "Cán bộ tiếp dân mỗi thứ Bảy, giải quyết kiến nghị ngay tại cơ sở."},
    {"Dân vận khéo trong cải cách hành chính", FIELD_POLITICAL_SYSTEM, 45, "Cán bộ một cửa hướng dẫn tận tình, giảm thời gian giải quyết thủ tục."},
    {"Giảm nghèo bền vững", FIELD_ECONOMIC, 45, "Giúp hộ nghèo có sinh kế, vốn vay và việc làm để thoát nghèo."},
    {"Phân loại rác thải tại nguồn", FIELD_CULTURAL_SOCIAL, 40, "Các hộ phân loại rác hữu cơ làm phân bón, giảm rác thải ra môi trường."},
    {"Khu dân cư không có tội phạm và tệ nạn xã hội", FIELD_DEFENSE_SECURITY, 35, "Phát huy vai trò người có uy tín, vận động thanh niên tránh xa tệ nạn."},
    {"Chuyển đổi số trong thanh toán không dùng tiền mặt", FIELD_ECONOMIC, 30, "Đoàn viên hướng dẫn người dân và tiểu thương dùng mã QR, ví điện tử."},
    {"Sinh hoạt chi bộ kiểu mẫu", FIELD_POLITICAL_SYSTEM, 30, "Nâng cao chất lượng sinh hoạt chi bộ, đảng viên gương mẫu ở khu dân cư."},
    {"Tiếng kẻng an ninh", FIELD_DEFENSE_SECURITY, 25, "Mỗi cụm dân cư có kẻng báo động, người dân cùng hỗ trợ khi có sự việc."},
    {"Nhà văn hóa thôn sạch đẹp", FIELD_CULTURAL_SOCIAL, 25, "Vận động đóng góp sửa chữa, giữ gìn nhà văn hóa làm nơi sinh hoạt chung."},
    {"Mái ấm công đoàn", FIELD_CULTURAL_SOCIAL, 20, "Quyên góp xây nhà cho đoàn viên có hoàn cảnh khó khăn."},
    {"Hợp tác xã rau an toàn", FIELD_ECONOMIC, 20, "Liên kết sản xuất rau theo quy trình an toàn, tiêu thụ qua bếp ăn trường học."},
    {"Dòng họ học tập", FIELD_CULTURAL_SOCIAL, 20, "Các dòng họ lập quỹ khuyến học, khen thưởng con cháu học giỏi."},
    {"Nuôi ong lấy mật", FIELD_ECONOMIC, 3, "Hộ đồng bào nuôi ong dưới tán rừng, giữ rừng và tăng thu nhập."},
    {"Bảo tồn hát then", FIELD_CULTURAL_SOCIAL, 2, "Câu lạc bộ truyền dạy hát then, đàn tính cho thanh thiếu niên."},
};

static const char *const organizations[] = {"Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Đoàn Thanh niên", "Hội Cựu chiến binh",
                                            "Ủy ban Mặt trận Tổ quốc", "Chi bộ thôn", "Công an", "Trường Tiểu học"};
static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
                                     "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"};
static const char *const middle[] = {"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc"};
static const char *const given[] = {"An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Lan",
                                    "Long", "Mai", "Nam", "Nga", "Phúc", "Quang", "Sơn", "Thảo", "Trung", "Tuấn",
                                    "Vân", "Xuân", "Yến"};
static const char *const tags[] = {"Nông thôn mới", "Cải cách hành chính", "Giảm nghèo", "An ninh trật tự",
                                   "Chuyển đổi số", "Bảo vệ môi trường", "Xây dựng Đảng", "Đô thị văn minh"};

/* A commune, placed once. */
struct commune {
    char code[32];
    char name[176];      /* "xã Tam An": the name as it reads inside a title */
    char *path;          /* "Xã Tam An, Huyện Phú Ninh, Tỉnh Quảng Nam" */
    struct model_place place;
};

/* "Xã Tam An" -> "xã Tam An" (the type word is not capitalized inside a sentence). */
static void in_sentence(const char *name, char *out, size_t outsz)
{
    static const char *const types[][2] = {{"Xã ", "xã "}, {"Phường ", "phường "}, {"Thị trấn ", "thị trấn "}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strncmp(name, types[i][0], strlen(types[i][0])) == 0) {
            snprintf(out, outsz, "%s%s", types[i][1], name + strlen(types[i][0]));
            return;
        }
    snprintf(out, outsz, "%s", name);
}

static int weighted_activity(void)
{
    static int total = 0;
    if (!total)
        for (size_t i = 0; i < sizeof activities / sizeof activities[0]; i++)
            total += activities[i].weight;
    int r = (int)(next_rand() % (unsigned)total), k = 0;
    while (r >= activities[k].weight)
        r -= activities[k++].weight;
    return k;
}

int main(int argc, char **argv)
{
    const char *db = arg(argc, argv, "--db", NULL);
    long n = atol(arg(argc, argv, "--models", "100000"));
    rng ^= (unsigned long long)atol(arg(argc, argv, "--seed", "1")) * 0x9E3779B97F4A7C15ULL;
    if (!db || n <= 0) {
        fprintf(stderr, "usage: gen --db PATH [--units2024 CSV --units2025 CSV --mapping CSV] --models N [--seed S]\n");
        return 2;
    }
    double t0 = now_s();
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
    struct commune *communes = NULL;
    int nc = 0, cap = 0;
    for (int p = 0; p < prov.n; p++) {
        struct unit_list dist = {0};
        st->ops->unit_children(st, 2024, prov.items[p].code, &dist);
        for (int d = 0; d < dist.n; d++) {
            struct unit_list com = {0};
            st->ops->unit_children(st, 2024, dist.items[d].code, &com);
            for (int c = 0; c < com.n; c++) {
                communes = grow(communes, &cap, nc, sizeof *communes);
                struct commune *x = &communes[nc++];
                memset(x, 0, sizeof *x);
                snprintf(x->code, sizeof x->code, "%s", com.items[c].code);
                in_sentence(com.items[c].name, x->name, sizeof x->name);
                struct unit path[5];
                int pn = 0;
                struct buf b = BUF_INIT;
                if (svc_unit_path(st, 2024, x->code, path, &pn) == SVC_OK)
                    for (int i = pn - 1; i >= 0; i--)
                        buf_printf(&b, "%s%s", path[i].name, i ? ", " : "");
                x->path = buf_detach(&b);
                if (svc_unit_place(st, 2024, x->code, &x->place) != SVC_OK) {
                    fprintf(stderr, "gen: cannot place commune %s\n", x->code);
                    return 1;
                }
            }
            unit_list_free(&com);
        }
        unit_list_free(&dist);
    }
    unit_list_free(&prov);
    /* one transaction, as a large import: the models' indexes, search index and tally are
     * built once at the end (store_ops.defer_indexes) */
    if (st->ops->bulk(st, true) != ST_OK || st->ops->begin(st) != ST_OK || st->ops->defer_indexes(st, false) != ST_OK) {
        fprintf(stderr, "gen: %s: cannot set the indexes of models aside\n", db);
        return 1;
    }
    double t1 = now_s();

    static const int field_w[] = {495, 397, 145, 153};
    static const int statuses[] = {STATUS_RECOGNIZED, STATUS_RECOGNIZED, STATUS_RECOGNIZED, STATUS_REGISTERED,
                                   STATUS_SELECTED, STATUS_IMPLEMENTING, STATUS_APPRAISED, STATUS_NOT_RECOGNIZED};
    long done = 0;
    for (; done < n; done++) {
        struct model m;
        model_init(&m);
        const struct commune *c = &communes[next_rand() % (unsigned)nc];
        const struct activity *a = &activities[weighted_activity()];
        char text[600];
        /* half the titles name their place, as offices write them */
        if (next_rand() % 2)
            snprintf(text, sizeof text, "%s %s", a->title, c->name);
        else if (next_rand() % 2)
            snprintf(text, sizeof text, "%s thôn %d", a->title, 1 + (int)(next_rand() % 12));
        else
            snprintf(text, sizeof text, "%s", a->title);
        m.title = xstrdup(text);
        m.summary = xstrdup(a->summary);
        /* the activity's own field mostly; the seed proportions otherwise */
        int f = a->field;
        if (next_rand() % 4 == 0) {
            int r = (int)(next_rand() % 1190);
            f = 0;
            while (r >= field_w[f])
                r -= field_w[f++];
            f += FIELD_ECONOMIC;
        }
        m.field = f;
        m.kind = next_rand() % 1190 < 980 ? KIND_COLLECTIVE : KIND_INDIVIDUAL;
        if (m.kind == KIND_INDIVIDUAL) {
            m.owner_type = OWNER_PERSON;
            snprintf(text, sizeof text, "%s %s %s", PICK(family), PICK(middle), PICK(given));
        } else {
            m.owner_type = OWNER_ORGANIZATION;
            snprintf(text, sizeof text, "%s %s", PICK(organizations), c->name);
        }
        m.owner = xstrdup(text);
        for (int t = (int)(next_rand() % 3); t > 0; t--)
            m.tags[m.ntags++] = xstrdup(PICK(tags));
        m.level = next_rand() % 3 == 0 ? LEVEL_DISTRICT : LEVEL_COMMUNE;
        m.status = statuses[next_rand() % 8];
        m.hierarchy = 2024;
        snprintf(m.unit_code, sizeof m.unit_code, "%s", c->code);
        m.place = c->place;
        model_set_str(&m.unit_path, c->path);
        snprintf(m.registered_on, sizeof m.registered_on, "%04d-%02d-%02d", 2010 + (int)(next_rand() % 15),
                 1 + (int)(next_rand() % 12), 1 + (int)(next_rand() % 28));
        m.typical = m.status == STATUS_RECOGNIZED && next_rand() % 3 == 0;
        if (m.typical)
            m.typical_reason = xstrdup("Hiệu quả, được nhân dân đồng thuận");
        m.is_public = m.typical && next_rand() % 2;
        m.results[m.nresults++] = (struct model_result){date_year(m.registered_on), "households",
                                                        (double)(10 + next_rand() % 500)};
        char *sf = svc_search_fold(&m, false), *pf = svc_search_fold(&m, true);
        int rc = st->ops->model_insert(st, &m, sf, pf);
        free(sf);
        free(pf);
        if (rc) {
            fprintf(stderr, "gen: model %ld: store error %d\n", done, rc);
            return 1;
        }
        model_free(&m);
    }
    double t2 = now_s();
    if (st->ops->defer_indexes(st, true) != ST_OK || st->ops->commit(st) != ST_OK) {
        fprintf(stderr, "gen: %s: the indexes were not written; nothing was stored\n", db);
        return 1;
    }
    st->ops->bulk(st, false);
    st->ops->close(st);
    st = NULL;
    double t3 = now_s();
    printf("gen: %ld models over %d communes in %.0f s: catalogues and places %.0f s, models %.0f s"
           " (%.0f/s, store inserts), indexes and search index %.0f s\n",
           n, nc, t3 - t0, t1 - t0, t2 - t1, n / (t2 - t1), t3 - t2);
    for (int i = 0; i < nc; i++)
        free(communes[i].path);
    free(communes);
    return 0;
}
