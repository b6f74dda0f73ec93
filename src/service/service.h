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

/* Ends the caller's transaction: commits when rc is SVC_OK (SVC_ERROR if the commit
 * fails), rolls back otherwise. Returns the outcome. */
int svc_finish(struct store *st, int rc);

enum {
    SVC_OK = 0, SVC_INVALID = -1, SVC_NOTFOUND = -2, SVC_CONFLICT = -3, SVC_FORBIDDEN = -4, SVC_ERROR = -5,
    SVC_BADREQ = -6, SVC_UNAUTH = -7, SVC_THROTTLED = -8
};

/* ---- who is acting (service/auth.c) ----------------------------------------
 * Every use case takes the actor: the signed-in user with the scope resolved
 * to a place column, or the system (command line, demo loader). */
enum role { ROLE_NONE, ROLE_ADMIN, ROLE_STAFF, ROLE_OFFICER, ROLE_APPRAISER, ROLE_VIEWER, ROLE_COUNT };
extern const char *const role_names[ROLE_COUNT];
extern const char *const role_labels[ROLE_COUNT];

struct actor {
    int64_t user_id;     /* 0 for the system */
    char login[64];
    int role;
    int hierarchy;
    char unit_code[32];  /* "" = the whole country */
    int scope_col;       /* enum place_col; PLACE_NONE = everything */
    char scope_code[32];
    char address[64];    /* the client's address, for the audit trail */
};
/* The command line and the demo loader: administrator rights, audited as "system". */
void actor_system(struct actor *a);
/* Resolves u's scope. SVC_FORBIDDEN for a disabled user or a unit that no longer exists. */
int actor_from_user(struct store *st, const struct user *u, const char *address, struct actor *a);

/* ---- authorization (service/authz.c): decided here and nowhere else ----------- */
bool authz_in_scope(const struct actor *a, const struct model_place *p, int hierarchy, const char *unit_code);
bool authz_model_read(const struct actor *a, const struct model *m);
bool authz_model_create(const struct actor *a, const struct model *m);
bool authz_model_edit(const struct actor *a, const struct model *m);
bool authz_unit_edit(const struct actor *a, const struct model_place *p, int hierarchy, const char *unit_code);
bool authz_audit_read(const struct actor *a);
/* Whether a may import spreadsheets (administrators and commission staff; every row is
 * still checked against a's scope). */
bool authz_import(const struct actor *a);
/* Whether a may take the committee's decisions on m (select, reject, recognize). */
bool authz_model_decide(const struct actor *a, const struct model *m);
/* Whether a keeps m's registration (registers it, starts it, withdraws it). */
bool authz_model_register(const struct actor *a, const struct model *m);
/* Whether a may record an appraisal of m (appraisers, staff and administrators in scope). */
bool authz_appraise(const struct actor *a, const struct model *m);
/* Whether a may set the scoring of unit (its province's catalogue, its pass mark). */
bool authz_scoring(const struct actor *a, const struct model_place *p, int hierarchy, const char *unit_code);
/* Whether a may set the heading of the report files of unit ("" and an empty place: the country). */
bool authz_heading_set(const struct actor *a, const struct model_place *p, int hierarchy, const char *unit_code);

/* ---- audit (service/auth.c) ---------------------------------------------------- */
/* Appends one entry in the caller's transaction; before/after are JSON values or NULL (not stolen). */
int audit(struct store *st, const struct actor *a, const char *entity, const char *entity_id, const char *action,
          json_t *before, json_t *after);
int svc_audit_list(struct store *st, const struct actor *a, const struct audit_filter *f, struct audit_list *out);

/* ---- sign-in, sessions, tokens (service/auth.c) --------------------------------- */
#define SESSION_IDLE_SECONDS (2 * 3600)      /* a form filled slowly on a phone still saves */
#define SESSION_MAX_SECONDS (12 * 3600)
#define COOKIE_VALUE_MAX 64
/* Checks login and password with throttling per login and per address. On success
 * creates a new session (never reusing a client-supplied id), fills cookie and csrf.
 * SVC_UNAUTH for any wrong login/password/disabled user; SVC_THROTTLED while paused. */
int svc_signin(struct store *st, const char *login, const char *password, const char *address, int64_t now,
               char cookie[COOKIE_VALUE_MAX], char csrf[COOKIE_VALUE_MAX], struct actor *a);
/* The session's actor and CSRF token; SVC_UNAUTH when unknown, idle too long or past its limit. */
int svc_session(struct store *st, const char *cookie, const char *address, int64_t now, struct actor *a,
                char csrf[COOKIE_VALUE_MAX]);
int svc_signout(struct store *st, const char *cookie);
/* Creates a bearer token for login, valid days (0: no expiry); token receives it once. */
int svc_token_create(struct store *st, const char *login, int days, const char *name, int64_t now, char token[80],
                     int64_t *id, char *msg, size_t msgsz);
int svc_token_check(struct store *st, const char *token, const char *address, int64_t now, struct actor *a);
/* The password policy: NULL when pw is acceptable for login, else an English msgid. */
const char *password_problem(const char *login, const char *pw);
/* Constant-time comparison of two NUL-terminated strings. */
bool secret_equal(const char *a, const char *b);

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
int svc_model_create(struct store *st, const struct actor *a, struct model *m, struct verrs *v);
/* A submission token: 1 to 100 visible ASCII characters. */
bool svc_submission_valid(const char *token);
/* As svc_model_create, once per submission: token is the registration form's token or an
 * API client's Idempotency-Key (NULL: none). When the actor sent the token before and it
 * created a model, nothing is written and *earlier receives that model's id (0 when m was
 * created now). A token that is not svc_submission_valid gives SVC_BADREQ. */
int svc_model_create_once(struct store *st, const struct actor *a, struct model *m, const char *token,
                          int64_t *earlier, struct verrs *v);
/* The id of the model that the actor's token created, or 0. */
int64_t svc_model_submitted(struct store *st, const struct actor *a, const char *token);
/* As svc_model_create, but any status may be given (demo data and imports of
 * models that went through their lifecycle on paper). */
int svc_model_import(struct store *st, const struct actor *a, struct model *m, struct verrs *v);
/* The store writes behind create and update, with the texts a model is searched by; for
 * services that have already validated, placed and authorized m (the spreadsheet import). */
int model_write_new(struct store *st, struct model *m);
int model_write(struct store *st, struct model *m, int expected_version);
/* The folded words a model is found by (its search_fold), or with public, those the
 * showcase searches (public_fold: without the name of a person who owns it). Reads
 * m->unit_path (set by placing the model). malloc'd. */
char *svc_search_fold(const struct model *m, bool public);
/* Reads one model with its unit path; SVC_NOTFOUND also when it is outside a's scope. */
int svc_model_get(struct store *st, const struct actor *a, int64_t id, struct model *out);
/* Stores m (already merged with its patch) when the stored version is expected_version. */
int svc_model_update(struct store *st, const struct actor *a, struct model *m, int expected_version, struct verrs *v);

/* The list query as it arrives (strings from a URL or the command line; NULL or "" = absent). */
struct model_query {
    const char *field, *kind, *status, *unit, *hierarchy, *from, *to, *typical, *q, *sort, *limit, *cursor;
};
#define NEXT_CURSOR_MAX 6400 /* hex of "sort|key|id" with the longest key */
/* Parses and runs q. next receives the cursor of the following page, or "" at the end.
 * Bad parameters give SVC_INVALID with v naming the parameter. */
int svc_model_list(struct store *st, const struct actor *a, const struct model_query *q, struct model_page *out,
                   char next[NEXT_CURSOR_MAX], struct verrs *v);
/* The public showcase: recognized, typical models marked public (no actor). */
int svc_showcase_list(struct store *st, const struct model_query *q, struct model_page *out, char next[NEXT_CURSOR_MAX],
                      struct verrs *v);
int svc_showcase_get(struct store *st, int64_t id, struct model *out);

/* ---- similar models: the duplicate warning (service/search_service.c) ---------- */
#define SIMILAR_MAX 5
/* How near a similar model is to the unit asked about. */
enum proximity { NEAR_NONE, NEAR_COMMUNE, NEAR_DISTRICT, NEAR_PROVINCE, NEAR_SCOPE, NEAR_COUNT };
extern const char *const proximity_names[NEAR_COUNT];  /* "commune", "district", ... */
extern const char *const proximity_labels[NEAR_COUNT]; /* msgids */
struct similar_model {
    struct model m;
    int proximity;
    int score; /* percent, see core/similar.h */
};
struct similar_list {
    struct similar_model items[SIMILAR_MAX];
    int n;
};
void similar_list_free(struct similar_list *l);
/* Up to SIMILAR_MAX models that a may read whose titles are similar to title
 * (core/similar.h), nearest first: in the commune of the unit (hierarchy, unit_code),
 * then its district, then its province; most similar first at each distance. Without a
 * unit (NULL or ""), anywhere a may read. exclude_id (0: none) is never listed.
 * SVC_INVALID with v naming the parameter; SVC_FORBIDDEN for an actor without a scope. */
int svc_model_similar(struct store *st, const struct actor *a, const char *title, int hierarchy, const char *unit_code,
                      int64_t exclude_id, struct similar_list *out, struct verrs *v);

/* JSON codec of models (service/model_json.c): the one place model JSON is read and written.
 * model_from_json applies the members of obj onto m: unknown members and wrong types give
 * SVC_BADREQ with e filled; values are checked later by svc_model_create/update. */
int model_from_json(json_t *obj, struct model *m, bool patch, struct svc_err *e);
json_t *model_to_json(const struct model *m);

/* ---- the lifecycle (service/lifecycle_service.c) ------------------------------ */
struct transition_req {
    int to;                     /* enum model_status; -1 when the name was unknown */
    const char *comment;
    const char *decision_no;
    const char *decision_date;  /* YYYY-MM-DD or dd/mm/yyyy */
};
/* Moves model id one step (see core/lifecycle.h). expected_version < 0 skips the
 * version check. SVC_INVALID with v naming what is missing or why the step does
 * not exist; SVC_FORBIDDEN with *why (an English msgid) when the role or level
 * may not take it; SVC_CONFLICT when the model moved in the meantime. */
int svc_model_transition(struct store *st, const struct actor *a, int64_t id, const struct transition_req *t,
                         int expected_version, struct verrs *v, const char **why);
/* The same step for many models in one transaction: all or none. On failure
 * *failed_id names the first model that could not take it. */
int svc_models_transition(struct store *st, const struct actor *a, const int64_t *ids, int n,
                          const struct transition_req *t, struct verrs *v, const char **why, int64_t *failed_id);
/* The statuses a may move m to now (for buttons and error messages). Returns the count. */
int svc_next_steps(const struct actor *a, const struct model *m, int out[STATUS_COUNT]);
int svc_model_history(struct store *st, const struct actor *a, int64_t id, struct model_event **out, int *n);

/* Records an appraisal of model_id (scored on the catalogue of the model's province,
 * passed against the nearest pass mark up its unit tree); a model still implementing
 * becomes appraised. ap->scores carry code and score; the rest is filled in. */
int svc_appraisal_add(struct store *st, const struct actor *a, int64_t model_id, struct appraisal *ap,
                      struct verrs *v);
int svc_appraisals(struct store *st, const struct actor *a, int64_t model_id, struct appraisal **out, int *n);
void appraisals_free(struct appraisal *list, int n);
/* The catalogue and pass mark that apply to a unit. */
int svc_scoring_for(struct store *st, int hierarchy, const char *unit_code, struct criterion *cat, int *ncat,
                    double *pass_score);
/* A province's own catalogue (n == 0: back to the default), by its staff or an administrator. */
int svc_criteria_set(struct store *st, const struct actor *a, int hierarchy, const char *province,
                     const struct criterion *c, int n, struct verrs *v);
/* A unit's pass mark for the models in its subtree. */
int svc_threshold_set(struct store *st, const struct actor *a, int hierarchy, const char *unit_code, double pass_score,
                      struct verrs *v);

/* ---- replication and commendation (service/spread_service.c) --------------------- */
/* Records that model_id spread to r->hierarchy/r->unit_code since r->since; r->replica_model_id
 * may name a model of its own that grew from it. */
int svc_replication_add(struct store *st, const struct actor *a, int64_t model_id, struct replication *r,
                        struct verrs *v);
int svc_replication_remove(struct store *st, const struct actor *a, int64_t model_id, int64_t replication_id);
int svc_replications(struct store *st, const struct actor *a, int64_t model_id, struct replication **out, int *n);
/* The models that model_id is a replica of, among those a may read (at most max). */
int svc_replica_sources(struct store *st, const struct actor *a, int64_t model_id, int64_t *out, int max, int *n);
void replications_free(struct replication *list, int n);
/* Coverage of the units the model is in (its own unit and its replications), per parent unit:
 * covered children / all children ("8/8 villages"). */
int svc_coverage(struct store *st, const struct actor *a, int64_t model_id, struct coverage **out, int *n);

int svc_event_add(struct store *st, const struct actor *a, struct commendation_event *e, struct verrs *v);
int svc_events(struct store *st, const struct actor *a, struct commendation_event **out, int *n);
void events_free(struct commendation_event *list, int n);
/* An award to a model (unit taken from it), an organization or a person (unit given). */
int svc_award_add(struct store *st, const struct actor *a, struct award *aw, struct verrs *v);
int svc_awards(struct store *st, const struct actor *a, int64_t model_id, int64_t event_id, struct award **out, int *n);
void awards_free(struct award *list, int n);

/* ---- evidence (service/attachment_service.c) ------------------------------------ */
/* Attaches a file to a model, an appraisal or an award. The type is decided by the
 * content; images are decoded (a file that claims to be a picture and is not is
 * refused) and get a thumbnail. The bytes go under datadir by SHA-256. */
int svc_attachment_add(struct store *st, const struct actor *a, const char *datadir, const char *entity,
                       int64_t entity_id, const char *name, const void *data, size_t len, struct attachment *out,
                       struct verrs *v);
/* One attachment, when the actor may see what it is attached to. */
int svc_attachment_get(struct store *st, const struct actor *a, int64_t id, struct attachment *out);
int svc_attachments(struct store *st, const struct actor *a, const char *entity, int64_t entity_id,
                    struct attachment **out, int *n);

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
/* As unit_to_json, plus "label": the unit and its ancestors, "Xã Tam An, Huyện Phú Ninh, Tỉnh Quảng Nam". */
json_t *unit_to_json_labelled(struct store *st, const struct unit *u);
/* Children of code (NULL or "": the provinces), in name order. */
int svc_unit_children(struct store *st, int hierarchy, const char *code, struct unit_list *out);
int svc_indicators(struct store *st, struct indicator **out, int *n);
/* Adds a village (thôn, bản, tổ dân phố) under a commune of hierarchy h; the code
 * is the commune's code and a sequence number ("20368-03"). A name already used
 * in that commune (ignoring case and diacritics) is refused. */
int svc_village_add(struct store *st, const struct actor *a, int hierarchy, const char *commune_code, const char *name, struct unit *out,
                    struct verrs *v);

/* ---- demo and users ----------------------------------------------------------- */

/* Loads the demo catalogue and models compiled into the binary. */
int svc_demo_load(struct store *st, char *msg, size_t msgsz);
/* Creates a user with an Argon2id hash of password (policy: password_problem). */
int svc_user_add(struct store *st, const struct actor *a, const char *login, const char *role, int hierarchy,
                 const char *unit_code, const char *password, int lang, char *msg, size_t msgsz);
/* Sets a new password (an administrator's reset); ends the user's sessions. */
int svc_user_passwd(struct store *st, const struct actor *a, const char *login, const char *password, int lang, char *msg,
                    size_t msgsz);
/* Disables or enables a user; disabling ends the user's sessions. */
int svc_user_disable(struct store *st, const struct actor *a, const char *login, bool disabled, int lang, char *msg,
                     size_t msgsz);
/* The 2025 communes that m's 2024 commune was split between (none when it was not split,
 * or when m is not of a 2024 commune), in name order; the caller frees out. */
int svc_split_options(struct store *st, const struct model *m, struct unit_list *out);
/* The place of a unit in both hierarchies (what a model there would get). */
int svc_unit_place(struct store *st, int hierarchy, const char *code, struct model_place *p);
/* Places m (its hierarchy and unit_code) in both hierarchies and fills unit_name and unit_path. */
int svc_model_place(struct store *st, struct model *m);

#endif
