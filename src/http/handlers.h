/* handlers.h: every route handler, one file per resource or page (see routes.c). */
#ifndef DVK_HANDLERS_H
#define DVK_HANDLERS_H
#include <stdint.h>
#include "http/http.h"
#include "service/service.h"

int api_healthz(struct rq *r);
int api_indicators(struct rq *r);
int api_units_list(struct rq *r);
int api_unit_get(struct rq *r);
int api_unit_children(struct rq *r);
int api_village_create(struct rq *r);
int api_models_list(struct rq *r);
int api_models_similar(struct rq *r);
int api_models_create(struct rq *r);
int api_model_get(struct rq *r);
int api_model_patch(struct rq *r);

int page_home(struct rq *r);
int page_models_list(struct rq *r);
int page_model_view(struct rq *r);
int page_guide(struct rq *r);
int page_model_new(struct rq *r);
int page_model_create(struct rq *r);
int page_model_edit(struct rq *r);
int page_model_update(struct rq *r);
int static_asset(struct rq *r);
int favicon(struct rq *r);
int api_me(struct rq *r);
int api_model_transition(struct rq *r);
int api_models_bulk_transition(struct rq *r);
int api_model_history(struct rq *r);
int api_appraisal_create(struct rq *r);
int api_appraisals(struct rq *r);
int api_scoring(struct rq *r);
int api_criteria_put(struct rq *r);
int api_pass_mark_put(struct rq *r);
json_t *appraisal_to_json(const struct appraisal *a);
void lifecycle_sections(struct rq *r, const struct model *m);
int api_replications(struct rq *r);
int api_replication_create(struct rq *r);
int api_replication_delete(struct rq *r);
int api_conferences(struct rq *r);
int api_conference_create(struct rq *r);
int api_conference_awards(struct rq *r);
int api_model_awards(struct rq *r);
int api_award_create(struct rq *r);
json_t *replication_to_json(const struct replication *x);
json_t *award_to_json(const struct award *a);
void spread_sections(struct rq *r, const struct model *m);
int page_replication_add(struct rq *r);
int page_award_add(struct rq *r);
int page_conferences(struct rq *r);
int page_conference_add(struct rq *r);
int page_queue(struct rq *r);
int api_attachment_create(struct rq *r);
int api_attachments(struct rq *r);
int page_attachment(struct rq *r);
int page_attachment_thumb(struct rq *r);
int page_attachment_upload(struct rq *r);
void evidence_section(struct rq *r, const struct model *m);
void attachments_block(struct rq *r, const char *entity, int64_t entity_id, bool can);
int page_model_transition(struct rq *r);
int page_model_typical(struct rq *r);
int page_model_results(struct rq *r);
int page_appraisal_new(struct rq *r);
int page_appraisal_create(struct rq *r);
int page_models_bulk(struct rq *r);
int api_audit(struct rq *r);
int page_audit(struct rq *r);
int page_audit_csv(struct rq *r);
int page_login(struct rq *r);
int page_login_post(struct rq *r);
int page_logout(struct rq *r);
int page_public_list(struct rq *r);
int page_public_model(struct rq *r);

int page_import_form(struct rq *r);
int page_import_post(struct rq *r);
int page_import_job(struct rq *r);
int page_import_commit(struct rq *r);
int api_import_create(struct rq *r);
int api_import_get(struct rq *r);
int api_import_commit(struct rq *r);
/* api_reports.c */
int api_report(struct rq *r);
int page_model_commune25(struct rq *r);
struct report_query;
/* Reads a report's query parameters; returns the name of an unknown one, or NULL. */
const char *report_query_from(struct rq *r, struct report_query *q);
/* Reads them without checking the query's names (pages ignore names they do not know). */
void report_query_read(struct rq *r, struct report_query *q);
int page_models_export(struct rq *r);
/* page_reports.c, page_dashboard.c */
int page_reports(struct rq *r);
int page_report(struct rq *r);
int page_dashboard(struct rq *r);
struct report;
/* The query string of a computed report ("unit=48&hierarchy=2025&from=...&status=..."), with
 * unit in place of the report's own unless NULL. */
void report_query_string(struct buf *b, const struct report *rep, const char *unit);
/* ?hierarchy= when it is 2024 or 2025, else the reader's own (2025 without one). */
int report_hierarchy_param(struct rq *r);
/* ?unit=, moved into hierarchy when the form listed the units of the other one (?uh=);
 * out holds a moved code. NULL or "" for none. */
const char *report_unit_param(struct rq *r, int hierarchy, char out[32]);
/* The unit <select> of the report forms: the reader's own unit down to unit (NULL: the
 * reader's own), then the units under it; err is a msgid shown beside it. */
void report_unit_select(struct rq *r, int hierarchy, const char *unit, const char *err);

/* Shared by the API and the pages. */
int64_t path_id(const char *s);
void model_query_from(struct rq *r, struct model_query *q);

#endif
