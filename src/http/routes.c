/* routes.c: the one route table. Each entry says what it needs; server.c checks it
 * before any handler runs. */
#include <stddef.h>
#include "http/handlers.h"

#define KB 1024
#define MB (1024 * 1024)

const struct route routes[] = {
    {"GET", "/healthz", api_healthz, R_PUBLIC, 0},
    {"GET", "/api/v1/indicators", api_indicators, R_JSON, 0},
    {"GET", "/api/v1/units", api_units_list, R_JSON, 0},
    {"GET", "/api/v1/units/{}", api_unit_get, R_JSON, 0},
    {"GET", "/api/v1/units/{}/children", api_unit_children, R_JSON, 0},
    {"POST", "/api/v1/units/{}/villages", api_village_create, R_JSON, 16 * KB},
    {"GET", "/api/v1/models", api_models_list, R_JSON, 0},
    {"POST", "/api/v1/models", api_models_create, R_JSON, 1 * MB},
    {"GET", "/api/v1/models/{}", api_model_get, R_JSON, 0},
    {"PATCH", "/api/v1/models/{}", api_model_patch, R_JSON, 1 * MB},

    {"GET", "/", page_home, R_PUBLIC, 0},
    {"GET", "/models", page_models_list, R_PUBLIC, 0},
    {"GET", "/models/new", page_model_new, R_PUBLIC, 0},
    {"POST", "/models/new", page_model_create, R_FORM, 1 * MB},
    {"GET", "/models/{}", page_model_view, R_PUBLIC, 0},
    {"GET", "/models/{}/edit", page_model_edit, R_PUBLIC, 0},
    {"POST", "/models/{}/edit", page_model_update, R_FORM, 1 * MB},
    {"GET", "/static/{}", static_asset, R_PUBLIC, 0},
    {NULL, NULL, NULL, 0, 0},
};
