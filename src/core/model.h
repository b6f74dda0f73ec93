/* model.h: the registered "Dân vận khéo" model and its rules (no I/O). */
#ifndef DVK_MODEL_H
#define DVK_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enumerations: 0 is always "unset". Their API names are in the tables below. */
enum model_field { FIELD_NONE, FIELD_ECONOMIC, FIELD_CULTURAL_SOCIAL, FIELD_DEFENSE_SECURITY, FIELD_POLITICAL_SYSTEM, FIELD_COUNT };
enum model_kind { KIND_NONE, KIND_COLLECTIVE, KIND_INDIVIDUAL, KIND_COUNT };
enum reg_level { LEVEL_NONE, LEVEL_PROVINCE, LEVEL_DISTRICT, LEVEL_COMMUNE, LEVEL_COUNT };
enum model_status {
    STATUS_NONE, STATUS_DRAFT, STATUS_REGISTERED, STATUS_SELECTED, STATUS_REJECTED, STATUS_IMPLEMENTING,
    STATUS_APPRAISED, STATUS_RECOGNIZED, STATUS_NOT_RECOGNIZED, STATUS_WITHDRAWN, STATUS_COUNT
};
enum owner_type { OWNER_NONE, OWNER_ORGANIZATION, OWNER_PERSON, OWNER_COUNT };

/* API names, indexed by the enums above ([0] is ""). */
extern const char *const model_field_names[FIELD_COUNT];
extern const char *const model_kind_names[KIND_COUNT];
extern const char *const reg_level_names[LEVEL_COUNT];
extern const char *const model_status_names[STATUS_COUNT];
extern const char *const owner_type_names[OWNER_COUNT];
/* English labels (msgids of the translation catalogue), same indexes. */
extern const char *const model_field_labels[FIELD_COUNT];
extern const char *const model_kind_labels[KIND_COUNT];
extern const char *const reg_level_labels[LEVEL_COUNT];
extern const char *const model_status_labels[STATUS_COUNT];
extern const char *const owner_type_labels[OWNER_COUNT];

/* Index of name in table[0..n), or 0 when absent or empty. */
int enum_parse(const char *const *table, int n, const char *name);

/* One indicator value for one year (results, "kết quả"). */
struct model_result {
    int year;
    char indicator[32]; /* code from the indicator catalogue, e.g. "land_m2" */
    double value;
};

#define MODEL_MAX_TAGS 20
#define MODEL_MAX_RESULTS 200

/* Where a model sits in both hierarchies (derived from its unit by the
 * service, stored for subtree filters and roll-ups). "" when unknown, e.g.
 * a 2024 commune split between several 2025 communes. */
struct model_place {
    char p24[32], d24[32], c24[32]; /* 2024 province, district, commune */
    char p25[32], c25[32];          /* 2025 province, commune */
};

/* Every string is malloc'd and owned by the model (model_free); NULL means absent. */
struct model {
    int64_t id;
    char code[24];   /* DVK-2024-000123 */
    char *ext_key;   /* the key an imported spreadsheet gave it (stable across re-imports); NULL when none */
    char *title;
    char *summary;
    char *description;
    int field, kind, level, status;
    int hierarchy;   /* 2024 or 2025: the catalogue unit_code belongs to */
    char unit_code[32];
    char registered_on[11];
    int owner_type;
    char *owner;     /* owner's name (organization or person) */
    /* What registration forms ask (DESIGN.md, GUIDANCE.md §2.4). */
    char *situation;      /* Thực trạng, lý do xây dựng mô hình */
    char *objectives;     /* Mục tiêu, tiêu chí */
    char *content;        /* Nội dung, cách thức thực hiện */
    char *area_target;    /* Địa bàn, đối tượng */
    char *forces;         /* Lực lượng thực hiện */
    char *resources;      /* Nguồn lực thực hiện */
    char *outputs;        /* Sản phẩm, kết quả đầu ra (kiểm chứng được) */
    char *sustainability; /* Khả năng duy trì, nhân rộng */
    char period_from[11], period_to[11]; /* Thời gian thực hiện; "" when unset */
    char *tags[MODEL_MAX_TAGS];
    int ntags;
    bool typical;
    char *typical_reason;
    bool is_public;  /* shown in the public showcase once recognized and typical */
    int version;
    char created_at[21], updated_at[21];
    struct model_place place;
    /* In a 2024 commune that was split between several 2025 communes: the one chosen for this
     * model ("" until chosen); place.c25 follows it. */
    char commune_2025[32];
    struct model_result results[MODEL_MAX_RESULTS];
    int nresults;
    /* Read-only, filled by the store on read. */
    char *unit_name;
    char *unit_path; /* "Xã Tam An › Huyện Phú Ninh › Tỉnh Quảng Nam" */
};

void model_init(struct model *m);
void model_free(struct model *m);
/* Deep copy of src into dst (dst must not hold allocations). */
void model_copy(struct model *dst, const struct model *src);
/* Replace *slot with a copy of s (NULL clears). */
void model_set_str(char **slot, const char *s);

/* ---- validation ------------------------------------------------------- */
#define VERR_MAX 32
struct verr {
    char field[32];
    const char *msg; /* English msgid, translated at the edge */
};
struct verrs {
    struct verr e[VERR_MAX];
    int n;
};
void verrs_add(struct verrs *v, const char *field, const char *msg);

/* Checks everything that needs no store: required fields, lengths, enums,
 * dates, period order, tags, result bounds. Appends to v; returns v->n == 0. */
bool model_validate(const struct model *m, struct verrs *v);

/* Limits users see in messages. */
#define TITLE_MAX_CHARS 300
#define SHORT_MAX_CHARS 2000
#define LONG_MAX_CHARS 20000
#define TAG_MAX_CHARS 80

#endif
