/* routes.c: the one route table. Each entry says what it needs; server.c checks it
 * before any handler runs. */
#include <stddef.h>
#include "http/handlers.h"

#define KB 1024
#define MB (1024 * 1024)

const struct route routes[] = {
    {"GET", "/healthz", api_healthz, R_PUBLIC, 0},
    {"GET", "/api/v1/me", api_me, R_JSON | R_AUTH, 0},
    {"GET", "/api/v1/indicators", api_indicators, R_JSON | R_AUTH, 0},
    {"GET", "/api/v1/units", api_units_list, R_JSON | R_AUTH, 0},
    {"GET", "/api/v1/units/{}", api_unit_get, R_JSON | R_AUTH, 0},
    {"GET", "/api/v1/units/{}/children", api_unit_children, R_JSON | R_AUTH, 0},
    {"POST", "/api/v1/units/{}/villages", api_village_create, R_JSON | R_AUTH, 16 * KB},
    {"GET", "/api/v1/models", api_models_list, R_JSON | R_AUTH, 0},
    {"POST", "/api/v1/models", api_models_create, R_JSON | R_AUTH, 1 * MB},
    {"GET", "/api/v1/models/{}", api_model_get, R_JSON | R_AUTH, 0},
    {"PATCH", "/api/v1/models/{}", api_model_patch, R_JSON | R_AUTH, 1 * MB},
    {"POST", "/api/v1/models/{}/transitions", api_model_transition, R_JSON | R_AUTH, 64 * KB},
    {"GET", "/api/v1/models/{}/history", api_model_history, R_JSON | R_AUTH, 0},
    {"POST", "/api/v1/transitions", api_models_bulk_transition, R_JSON | R_AUTH, 256 * KB},
    {"GET", "/api/v1/models/{}/appraisals", api_appraisals, R_JSON | R_AUTH, 0},
    {"POST", "/api/v1/models/{}/appraisals", api_appraisal_create, R_JSON | R_AUTH, 256 * KB},
    {"GET", "/api/v1/scoring", api_scoring, R_JSON | R_AUTH, 0},
    {"PUT", "/api/v1/provinces/{}/criteria", api_criteria_put, R_JSON | R_AUTH, 64 * KB},
    {"PUT", "/api/v1/units/{}/pass-mark", api_pass_mark_put, R_JSON | R_AUTH, 4 * KB},
    {"GET", "/api/v1/audit", api_audit, R_JSON | R_AUTH, 0},

    {"GET", "/", page_home, R_PUBLIC, 0},
    {"GET", "/login", page_login, R_PUBLIC, 0},
    {"POST", "/login", page_login_post, R_FORM, 8 * KB},
    {"POST", "/logout", page_logout, R_FORM | R_AUTH, 8 * KB},
    {"GET", "/public", page_public_list, R_PUBLIC, 0},
    {"GET", "/public/models/{}", page_public_model, R_PUBLIC, 0},
    {"GET", "/models", page_models_list, R_AUTH, 0},
    {"GET", "/models/new", page_model_new, R_AUTH, 0},
    {"POST", "/models/new", page_model_create, R_FORM | R_AUTH, 1 * MB},
    {"GET", "/models/{}", page_model_view, R_AUTH, 0},
    {"GET", "/models/{}/edit", page_model_edit, R_AUTH, 0},
    {"POST", "/models/{}/edit", page_model_update, R_FORM | R_AUTH, 1 * MB},
    {"POST", "/models/{}/transition", page_model_transition, R_FORM | R_AUTH, 64 * KB},
    {"POST", "/models/{}/typical", page_model_typical, R_FORM | R_AUTH, 64 * KB},
    {"POST", "/models/{}/results", page_model_results, R_FORM | R_AUTH, 8 * KB},
    {"GET", "/models/{}/appraisals/new", page_appraisal_new, R_AUTH, 0},
    {"POST", "/models/{}/appraisals/new", page_appraisal_create, R_FORM | R_AUTH, 256 * KB},
    {"POST", "/models/bulk", page_models_bulk, R_FORM | R_AUTH, 64 * KB},
    {"GET", "/admin/audit", page_audit, R_AUTH, 0},
    {"GET", "/admin/audit.csv", page_audit_csv, R_AUTH, 0},
    {"GET", "/static/{}", static_asset, R_PUBLIC, 0},
    {NULL, NULL, NULL, 0, 0},
};
