/* service.h: dvk's use cases, shared by the CLI and the web (HTTP pages and JSON API).
 * Inputs are validated here; what a caller may do is decided here (issue 3).
 * Every function returns SVC_OK or a negative SVC_* code. */
#ifndef DVK_SERVICE_H
#define DVK_SERVICE_H
#include <jansson.h>
#include <stdio.h>
#include "core/model.h"
#include "core/unit.h"
#include "store/store.h"

enum { SVC_OK = 0, SVC_INVALID = -1, SVC_NOTFOUND = -2, SVC_CONFLICT = -3, SVC_ERROR = -5, SVC_BADREQ = -6 };

/* A request-level error that is not about one field's value (400-class):
 * code is the API error code, msg an English msgid, detail an untranslated
 * fragment such as the offending field name. */
struct svc_err {
    const char *code;
    const char *msg;
    char detail[64];
};

/* ---- models ------------------------------------------------------------ */

/* Normalizes (NFC, trims), validates, places the model in both hierarchies
 * and stores it. On SVC_INVALID, v says which fields and why. */
int svc_model_create(struct store *st, struct model *m, struct verrs *v);
/* As svc_model_create, but any status may be given (demo data and imports of
 * models that went through their lifecycle on paper). */
int svc_model_import(struct store *st, struct model *m, struct verrs *v);
/* Reads one model with its unit path. */
int svc_model_get(struct store *st, int64_t id, struct model *out);
/* Stores m (already merged with its patch) when the stored version is expected_version. */
int svc_model_update(struct store *st, struct model *m, int expected_version, struct verrs *v);

/* The list query as it arrives (strings from a URL or the command line; NULL or "" = absent). */
struct model_query {
    const char *field, *kind, *status, *unit, *hierarchy, *from, *to, *typical, *q, *sort, *limit, *cursor;
};
#define NEXT_CURSOR_MAX 2200
/* Parses and runs q. next receives the cursor of the following page, or "" at the end.
 * Bad parameters give SVC_INVALID with v naming the parameter. */
int svc_model_list(struct store *st, const struct model_query *q, struct model_page *out, char next[NEXT_CURSOR_MAX],
                   struct verrs *v);

/* JSON codec of models (service/model_json.c): the one place model JSON is read and written.
 * model_from_json applies the members of obj onto m: unknown members and wrong types give
 * SVC_BADREQ with e filled; values are checked later by svc_model_create/update. */
int model_from_json(json_t *obj, struct model *m, bool patch, struct svc_err *e);
json_t *model_to_json(const struct model *m);

/* ---- units --------------------------------------------------------------- */

int svc_unit_search(struct store *st, int hierarchy, const char *q, int limit, struct unit_list *out);
/* Unit and its ancestors, root first: path[0..n), the unit itself last. */
int svc_unit_path(struct store *st, int hierarchy, const char *code, struct unit path[5], int *n);
/* Loads a catalogue CSV in the format of ../shared/data/units-YYYY.csv
 * (code,name,type,parent_code,level) in one transaction. msg receives a
 * human-readable error (line and reason) on failure. */
int svc_units_import(struct store *st, int hierarchy, FILE *f, int64_t *count, char *msg, size_t msgsz);
/* Loads the old→new commune mapping CSV (old_code,new_code,...). */
int svc_mapping_import(struct store *st, FILE *f, int64_t *count, char *msg, size_t msgsz);
json_t *unit_to_json(const struct unit *u);
/* Adds a village (thôn, bản, tổ dân phố) under a commune of hierarchy h; the code
 * is the commune's code and a sequence number ("20368-03"). A name already used
 * in that commune (ignoring case and diacritics) is refused. */
int svc_village_add(struct store *st, int hierarchy, const char *commune_code, const char *name, struct unit *out,
                    struct verrs *v);

/* ---- demo and users ----------------------------------------------------------- */

/* Loads the demo catalogue and models compiled into the binary. */
int svc_demo_load(struct store *st, char *msg, size_t msgsz);
/* Creates a user with an Argon2id hash of password. */
int svc_user_add(struct store *st, const char *login, const char *role, int hierarchy, const char *unit_code,
                 const char *password, char *msg, size_t msgsz);

#endif
