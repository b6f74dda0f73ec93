/* derived.h: the SQL both engines run to count again what they keep counted (dvk check, and
 * SQLite's large import): model_tally (migrations 013, 016) and result_tally (025), made
 * from the models and their values as their triggers keep them. Each *_SELECT, a WHERE
 * clause if any, then its *_GROUP selects the rows of its table, in the table's column order. */
#ifndef DVK_STORE_DERIVED_H
#define DVK_STORE_DERIVED_H

#define MODEL_TALLY_SELECT                                                                                             \
    "SELECT status, coalesce(p24, '') AS p24, coalesce(p25, '') AS p25, CAST(substr(registered_on, 1, 4) AS BIGINT)" \
    " AS year, CASE WHEN status = 'recognized' THEN CAST(substr(coalesce(recognized_on, registered_on), 1, 4)"       \
    " AS BIGINT) ELSE 0 END AS ryear, field, kind, registration_level, typical, count(*) AS n FROM models"
#define MODEL_TALLY_GROUP " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
#define MODEL_TALLY_COUNT MODEL_TALLY_SELECT MODEL_TALLY_GROUP

#define RESULT_TALLY_SELECT                                                                                       \
    "SELECT r.year AS year, m.status AS status, r.indicator AS indicator, m.field AS field, m.kind AS kind,"     \
    " coalesce(m.p24, '') AS p24, coalesce(m.p25, '') AS p25, count(*) AS n, sum(r.value) AS total"             \
    " FROM model_results r JOIN models m ON m.id = r.model_id"
#define RESULT_TALLY_GROUP " GROUP BY 1, 2, 3, 4, 5, 6, 7"
#define RESULT_TALLY_COUNT RESULT_TALLY_SELECT RESULT_TALLY_GROUP

/* How many groups differ between the table and the count made again. A model group left at
 * 0 is as none; a value group is not when its sum is not 0 (the reports add up every row's
 * sum). Sums of values may differ in their last digits by the order they were added: far
 * less than a billionth. */
#define MODEL_TALLY_DIFF                                                                                       \
    "SELECT count(*) FROM (" MODEL_TALLY_COUNT ") f FULL JOIN (SELECT * FROM model_tally WHERE n <> 0) t"     \
    " ON f.status = t.status AND f.p24 = t.p24 AND f.p25 = t.p25 AND f.year = t.year AND f.ryear = t.ryear"  \
    " AND f.field = t.field AND f.kind = t.kind AND f.registration_level = t.registration_level"             \
    " AND f.typical = t.typical WHERE f.n IS NULL OR t.n IS NULL OR f.n <> t.n"

#define RESULT_TALLY_DIFF                                                                                      \
    "SELECT count(*) FROM (" RESULT_TALLY_COUNT ") f"                                                          \
    " FULL JOIN (SELECT * FROM result_tally WHERE n <> 0 OR total <> 0) t"                                     \
    " ON f.year = t.year AND f.status = t.status AND f.indicator = t.indicator AND f.field = t.field"        \
    " AND f.kind = t.kind AND f.p24 = t.p24 AND f.p25 = t.p25"                                               \
    " WHERE f.n IS NULL OR t.n IS NULL OR f.n <> t.n OR abs(f.total - t.total) > 1e-9 * abs(f.total) + 1e-6"

#endif
