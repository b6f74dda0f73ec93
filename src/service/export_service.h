/* export_service.h: models to CSV or XLSX in the layout the import reads (sheet_layout.h). */
#ifndef DVK_EXPORT_SERVICE_H
#define DVK_EXPORT_SERVICE_H
#include "service/service.h"

enum { EXPORT_CSV = 1, EXPORT_XLSX = 2 };

/* Writes every model a may read that q selects (its filters; sort, limit and cursor are
 * ignored) to path, with headers and labels in lang. *count receives the rows written. */
int svc_models_export(struct store *st, const struct actor *a, const struct model_query *q, int format, int lang,
                      const char *path, int64_t *count);

#endif
