/* sheet_layout.h: the columns of a models spreadsheet, shared by import and export so
 * that export → edit in Excel → import round-trips. A column is found by its header in
 * any language of the catalogue or by one of its aliases, ignoring case, diacritics,
 * spacing and punctuation ("Tên mô hình", "TEN MO HINH", "Model name"). */
#ifndef DVK_SHEET_LAYOUT_H
#define DVK_SHEET_LAYOUT_H
#include <stdbool.h>
#include "store/store.h"

enum sheet_col {
    COL_NONE,
    COL_CODE, COL_REF, COL_TITLE, COL_FIELD, COL_KIND, COL_LEVEL, COL_STATUS, COL_TYPICAL, COL_TYPICAL_REASON,
    COL_PUBLIC, COL_HIERARCHY, COL_UNIT_CODE, COL_PROVINCE, COL_DISTRICT, COL_COMMUNE, COL_REGISTERED,
    COL_OWNER_TYPE, COL_OWNER, COL_FROM, COL_TO, COL_SUMMARY, COL_DESCRIPTION, COL_SITUATION, COL_OBJECTIVES,
    COL_CONTENT, COL_AREA, COL_FORCES, COL_RESOURCES, COL_OUTPUTS, COL_SUSTAIN, COL_TAGS, COL_RESULT_YEAR,
    COL_RESULT, /* one indicator (and maybe a year): several columns */
    COL_ROWNUM, /* "STT": recognized so that it is not listed as ignored */
    COL_COUNT
};

struct sheet_coldef {
    int id;
    const char *header;  /* English msgid; the export writes its translation */
    const char *aliases; /* more folded names, '|'-separated */
};
/* In export order (COL_RESULT and COL_ROWNUM excluded). */
extern const struct sheet_coldef sheet_cols[];
extern const int sheet_ncols;

/* The column a header names. For COL_RESULT, *indicator receives the indicator code
 * and *year a year written in the header (0 when none). h is any text from a cell. */
int sheet_col_of(const char *h, const struct indicator *ind, int nind, char indicator[32], int *year);
/* sheet_col_of, and how well h names that column (*strength, 0 for none): a name that is the
 * whole header beats one the header only starts with, a longer name a shorter one — so that
 * "Ngày đăng ký" is the registration date even after a "Ngày cập nhật" column. */
int sheet_col_match(const char *h, const struct indicator *ind, int nind, char indicator[32], int *year, int *strength);

/* Words of a value in the user's terms: the enum index (1..) of s among names and their
 * labels in every language and the aliases given, or 0. */
int sheet_enum_of(const char *s, const char *const *names, const char *const *labels, int count,
                  const char *const *aliases);

/* Folded form of s without type words ("Xã", "Phường", "Huyện", "Tỉnh"...) and with numbers
 * stripped of leading zeros: "Phường 01" and "phuong 1" both give "1". malloc'd. */
char *sheet_place_key(const char *s);

#endif
