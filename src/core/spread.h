/* spread.h: replication of models to other units, and commendation (conferences and awards). No I/O. */
#ifndef DVK_SPREAD_H
#define DVK_SPREAD_H
#include <stdbool.h>
#include <stdint.h>
#include "core/model.h"

struct replication {
    int64_t id, model_id;
    int hierarchy;
    char unit_code[32];
    char since[11];
    int64_t replica_model_id; /* 0: none */
    char *note;               /* owned */
    char created_at[21];
    char login[64];
    struct model_place place; /* of unit_code in both hierarchies (set by the service) */
    /* read-only, filled on read */
    char unit_name[160];
    char parent_code[32];
    int level;
};
void replication_free(struct replication *r);

/* Coverage of one parent unit's children: "8/8 villages". */
struct coverage {
    int hierarchy;
    char parent_code[32];
    char parent_name[160];
    int child_level;
    int covered, total;
};

enum event_kind { EVENT_NONE, EVENT_INTERIM, EVENT_FINAL, EVENT_KIND_COUNT }; /* sơ kết, tổng kết */
extern const char *const event_kind_names[EVENT_KIND_COUNT];
extern const char *const event_kind_labels[EVENT_KIND_COUNT];

struct commendation_event {
    int64_t id;
    char *title;       /* owned */
    int kind;
    int span_years;    /* 1, 2, 3, 5, 10 or 15 */
    int hierarchy;
    char unit_code[32];
    int level;         /* enum reg_level */
    char held_on[11], period_from[11], period_to[11];
    struct model_place place;
    char created_at[21];
    char login[64];
    char unit_name[160]; /* read-only */
};
void commendation_event_free(struct commendation_event *e);
bool commendation_event_validate(const struct commendation_event *e, struct verrs *v);

enum recipient_type { RECIPIENT_NONE, RECIPIENT_MODEL, RECIPIENT_ORGANIZATION, RECIPIENT_PERSON, RECIPIENT_COUNT };
enum award_form { AWARD_NONE, AWARD_MERIT, AWARD_CERTIFICATE, AWARD_FLAG, AWARD_OTHER, AWARD_FORM_COUNT };
extern const char *const recipient_type_names[RECIPIENT_COUNT];
extern const char *const award_form_names[AWARD_FORM_COUNT];
extern const char *const award_form_labels[AWARD_FORM_COUNT];

struct award {
    int64_t id;
    int64_t event_id;  /* 0: none */
    int recipient_type;
    int64_t model_id;  /* with RECIPIENT_MODEL */
    char *recipient_name; /* owned */
    int form;
    char *issuer;      /* owned */
    char decision_no[192]; /* at most 60 characters */
    char decision_date[11];
    double amount_vnd; /* < 0: none */
    int hierarchy;
    char unit_code[32];
    struct model_place place;
    char created_at[21];
    char login[64];
};
void award_free(struct award *a);
bool award_validate(const struct award *a, struct verrs *v);

#endif
