/* test_sheet.c: unit tests of the spreadsheet row reader (util/sheet): CSV dialects, XLSX
 * written by libxlsxwriter and by hand (libzip), dates, limits and broken files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* a block of its own: it needs setjmp.h, stdarg.h and stddef.h first */
#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>
#include "util/buf.h"
#include "util/sheet.h"
#include "util/sheet_int.h"

/* ---- helpers ------------------------------------------------------------- */

/* Every row read, as "row:cell|cell|...\n", plus counts; stops at row number stop_at. */
struct got {
    struct buf text;
    int rows;
    int64_t last_row;
    int64_t stop_at;
    int stop_rc;
    bool quiet;   /* count only (big files) */
    bool numbers; /* write a number cell (sheet_row.number) as "#text" */
    uint64_t progress_done, progress_total;
    int progress_calls;
};

static int collect(void *ctx, const struct sheet_row *r)
{
    struct got *g = ctx;
    assert_true(r->n >= 0);
    assert_true(r->row > g->last_row || g->rows == 0);
    if (r->n > 0)
        assert_true(r->cells[r->n - 1][0] != 0); /* n counts up to the last non-empty cell */
    g->rows++;
    g->last_row = r->row;
    if (!g->quiet) {
        buf_printf(&g->text, "%lld:", (long long)r->row);
        for (int i = 0; i < r->n; i++)
            buf_printf(&g->text, "%s%s%s", i ? "|" : "", g->numbers && r->number[i] ? "#" : "", r->cells[i]);
        buf_putc(&g->text, '\n');
    }
    return g->stop_at && r->row == g->stop_at ? g->stop_rc : 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct got *g = ctx;
    assert_true(done >= g->progress_done);
    assert_true(done <= total);
    g->progress_done = done;
    g->progress_total = total;
    g->progress_calls++;
}

static char *temp_path(const char *suffix)
{
    char *path = xmalloc(64);
    snprintf(path, 64, "/tmp/dvk-test-sheet-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static char *write_temp(const void *data, size_t len, const char *suffix)
{
    char *path = temp_path(suffix);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static void drop(char *path)
{
    unlink(path);
    free(path);
}

/* Reads path; returns sheet_read's result, the rows in g (free g->text). */
static int read_path(const char *path, struct got *g, char *err, size_t errsz)
{
    return sheet_read(path, collect, on_progress, g, err, errsz);
}

/* Reads a CSV given as bytes and checks the transcript. */
static void csv_is(const char *data, size_t len, const char *want)
{
    char *path = write_temp(data, len, ".csv");
    struct got g = {.text = BUF_INIT};
    char err[256];
    assert_int_equal(sheet_sniff(path), SHEET_CSV);
    assert_int_equal(read_path(path, &g, err, sizeof err), 0);
    assert_string_equal(buf_cstr(&g.text), want);
    buf_free(&g.text);
    drop(path);
}

#define CSV_IS(lit, want) csv_is(lit, sizeof(lit) - 1, want)

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- CSV ----------------------------------------------------------------- */

static void test_csv_bom_comma(void **state)
{
    (void)state;
    CSV_IS("\xEF\xBB\xBFT\xC3\xAAn m\xC3\xB4 h\xC3\xACnh,X\xC3\xA3\nD\xC3\xA2n v\xE1\xBA\xADn kh\xC3\xA9o,Tam An\n",
           "1:Tên mô hình|Xã\n2:Dân vận khéo|Tam An\n");
    /* the same without a BOM */
    CSV_IS("Tên,Xã\nA,B\n", "1:Tên|Xã\n2:A|B\n");
}

static void test_csv_semicolon(void **state)
{
    (void)state;
    /* Vietnamese Excel: ';' between fields, decimal commas inside them */
    CSV_IS("STT;Tên;Kinh phí\n1;Mô hình A;1,5\n2;Mô hình B, xã C;2,75\n",
           "1:STT|Tên|Kinh phí\n2:1|Mô hình A|1,5\n3:2|Mô hình B, xã C|2,75\n");
    /* even when every data line has more commas than semicolons */
    CSV_IS("a;b;c;d\n1,5;2,5;3,5;4,5\n1,1;2,2;3,3;4,4\n", "1:a|b|c|d\n2:1,5|2,5|3,5|4,5\n3:1,1|2,2|3,3|4,4\n");
    /* a quoted ';' is not a delimiter of a comma file */
    CSV_IS("name,note\n\"a;b\",c\n\"x;y\",z\n", "1:name|note\n2:a;b|c\n3:x;y|z\n");
}

static void test_csv_tab_and_spaces(void **state)
{
    (void)state;
    /* tab-delimited; spaces are kept (the importer trims), empty middle cells are "" */
    CSV_IS("a\tb\tc\n 1 \t\t3 \n", "1:a|b|c\n2: 1 ||3 \n");
    /* one column: no delimiter at all */
    CSV_IS("Tên\nA\nB\n", "1:Tên\n2:A\n3:B\n");
}

static void test_csv_crlf_quotes_blank_lines(void **state)
{
    (void)state;
    /* CRLF; a quoted field with an embedded CRLF and doubled quotes is one record; a blank
     * line is a row of its own; the last record has no line end */
    CSV_IS("h1,h2\r\n\"multi\r\nline\",\"say \"\"hi\"\"\"\r\n\r\nlast,row",
           "1:h1|h2\n2:multi\r\nline|say \"hi\"\n3:\n4:last|row\n");
    /* LF blank lines, several in a row, and blank lines at the end */
    CSV_IS("a\n\n\nb\n\n", "1:a\n2:\n3:\n4:b\n5:\n");
    /* an old Mac file ends lines with CR alone */
    CSV_IS("a,b\rc,d\r", "1:a|b\n2:c|d\n");
}

static void test_csv_title_block(void **state)
{
    (void)state;
    /* a title block above the header: the delimiter is still found, row numbers are the lines */
    CSV_IS("DANH SÁCH MÔ HÌNH DÂN VẬN KHÉO\nNăm 2025, quý 3\n\nSTT;Tên mô hình;Địa bàn;Kinh phí\n"
           "1;A;Xã X, huyện Y;1,5\n2;B;Xã Z;2\n",
           "1:DANH SÁCH MÔ HÌNH DÂN VẬN KHÉO\n2:Năm 2025, quý 3\n3:\n4:STT|Tên mô hình|Địa bàn|Kinh phí\n"
           "5:1|A|Xã X, huyện Y|1,5\n6:2|B|Xã Z|2\n");
    /* Excel pads every line to the width of the sheet: a padded line of nothing is blank */
    CSV_IS("Báo cáo;;;\n;;;\nSTT;Tên;Xã;Ghi chú\n1;A;B;\n", "1:Báo cáo\n2:\n3:STT|Tên|Xã|Ghi chú\n4:1|A|B\n");
}

static void test_csv_ragged(void **state)
{
    (void)state;
    CSV_IS("a,b,c\n1\n1,2,3,4,5\n,,\n,x\n", "1:a|b|c\n2:1\n3:1|2|3|4|5\n4:\n5:|x\n");
}

static void test_csv_nul_byte(void **state)
{
    (void)state;
    /* a NUL cannot be in a C string: it becomes SUB, which text_valid() rejects */
    CSV_IS("a,b\0c\n\0,d\n", "1:a|b\x1A"
                             "c\n2:\x1A|d\n");
}

static void test_csv_empty(void **state)
{
    (void)state;
    CSV_IS("", "");
    CSV_IS("\xEF\xBB\xBF", "");
    CSV_IS("\n", "1:\n");
}

static void test_csv_large_streams(void **state)
{
    (void)state;
    enum { ROWS = 200000 };
    char *path = temp_path(".csv");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("\xEF\xBB\xBFSTT;Tên mô hình;Xã\n", f);
    for (int i = 1; i < ROWS; i++)
        fprintf(f, "%d;Mô hình số %d;Xã %d\n", i, i, i % 97);
    fclose(f);

    struct got g = {.text = BUF_INIT, .quiet = true};
    char err[256];
    assert_int_equal(read_path(path, &g, err, sizeof err), 0);
    assert_int_equal(g.rows, ROWS);
    assert_int_equal(g.last_row, ROWS);
    /* progress reached the end and came in steps, not once */
    assert_true(g.progress_calls > 10);
    assert_true(g.progress_done == g.progress_total && g.progress_total > 0);

    /* stopping in the middle returns the callback's value and reads no further */
    struct got s = {.text = BUF_INIT, .quiet = true, .stop_at = 150000, .stop_rc = 42};
    assert_int_equal(read_path(path, &s, err, sizeof err), 42);
    assert_int_equal(s.rows, 150000);
    drop(path);
}

static void test_csv_stop(void **state)
{
    (void)state;
    static const char data[] = "a\nb\nc\nd\n";
    char *path = write_temp(data, sizeof data - 1, ".csv");
    struct got g = {.text = BUF_INIT, .stop_at = 2, .stop_rc = 7};
    char err[256];
    assert_int_equal(read_path(path, &g, err, sizeof err), 7);
    assert_string_equal(buf_cstr(&g.text), "1:a\n2:b\n");
    buf_free(&g.text);
    drop(path);
}

static void test_csv_refused(void **state)
{
    (void)state;
    char err[256];
    struct got g = {.text = BUF_INIT};

    /* UTF-16 (Excel's "Unicode text") is named, not read as garbage */
    static const char u16[] = "\xFF\xFE"
                              "a\0,\0b\0\n\0";
    char *path = write_temp(u16, sizeof u16 - 1, ".csv");
    assert_int_equal(read_path(path, &g, err, sizeof err), -1);
    assert_string_equal(err, SHEET_E_UTF16);
    drop(path);

    /* a quotation mark never closed: the reader stops instead of holding the whole file */
    struct buf b = BUF_INIT;
    buf_puts(&b, "a,b\n1,\"open\n");
    for (int i = 0; i < 20000; i++)
        buf_puts(&b, "more text, more\n");
    path = write_temp(b.p, b.len, ".csv");
    struct sheet_limits lim = sheet_default_limits;
    lim.cell_bytes = 1024;
    assert_int_equal(sheet_read_limited(path, collect, NULL, &g, err, sizeof err, &lim), -1);
    assert_true(starts_with(err, SHEET_E_CSV));
    assert_non_null(strstr(err, "row 2"));
    assert_non_null(strstr(err, "quotation mark"));
    assert_int_equal(g.rows, 1); /* the rows before it were delivered */
    g.rows = 0;
    buf_free(&b);
    drop(path);

    /* a missing file */
    assert_int_equal(sheet_sniff("/nonexistent/dvk.csv"), SHEET_UNKNOWN);
    assert_int_equal(read_path("/nonexistent/dvk.csv", &g, err, sizeof err), -1);
    assert_true(starts_with(err, SHEET_E_OPEN " ("));

    /* an old .xls (OLE2 compound file) */
    static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an xls";
    path = write_temp(ole, sizeof ole - 1, ".xls");
    assert_int_equal(sheet_sniff(path), SHEET_UNKNOWN);
    assert_int_equal(read_path(path, &g, err, sizeof err), -1);
    assert_string_equal(err, SHEET_E_XLS);
    drop(path);
    assert_int_equal(g.rows, 0);
    buf_free(&g.text);
}

/* ---- XLSX written by libxlsxwriter ---------------------------------------- */

static void write_register(lxw_workbook *wb)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Mô hình");
    lxw_worksheet *other = workbook_add_worksheet(wb, "Phụ lục");
    lxw_format *title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_align(title, LXW_ALIGN_CENTER);
    lxw_format *builtin_date = workbook_add_format(wb);
    format_set_num_format_index(builtin_date, 14);
    lxw_format *vn_date = workbook_add_format(wb);
    format_set_num_format(vn_date, "dd/mm/yyyy");
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0 \"đ\"");
    lxw_format *clock = workbook_add_format(wb);
    format_set_num_format(clock, "hh:mm");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);

    /* row 1: a merged title; row 2 left empty (not in the XML) */
    worksheet_merge_range(ws, 0, 0, 0, 5, "DANH SÁCH MÔ HÌNH DÂN VẬN KHÉO", title);
    const char *head[] = {"STT", "Tên mô hình", "Ngày", "Kinh phí", "Mã", "Đạt"};
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 2, (lxw_col_t)c, head[c], bold);

    lxw_datetime jul1 = {2025, 7, 1, 0, 0, 0};
    worksheet_write_number(ws, 3, 0, 1, NULL);
    worksheet_write_string(ws, 3, 1, "Dân vận khéo — Xã Tam An", NULL);
    worksheet_write_datetime(ws, 3, 2, &jul1, builtin_date);
    worksheet_write_number(ws, 3, 3, 1234.5, NULL);
    worksheet_write_string(ws, 3, 4, "0123", NULL); /* a number stored as text */
    worksheet_write_boolean(ws, 3, 5, 1, NULL);

    lxw_rich_string_tuple plain = {.format = NULL, .string = "Mô hình "};
    lxw_rich_string_tuple strong = {.format = bold, .string = "xanh"};
    lxw_rich_string_tuple *rich[] = {&plain, &strong, NULL};
    lxw_datetime jul1pm = {2025, 7, 1, 13, 45, 0};
    worksheet_write_number(ws, 4, 0, 2, NULL);
    worksheet_write_rich_string(ws, 4, 1, rich, NULL);
    worksheet_write_datetime(ws, 4, 2, &jul1pm, vn_date); /* custom date format, with a time */
    worksheet_write_number(ws, 4, 3, 1500000, money);     /* a number format, not a date */
    worksheet_write_formula_num(ws, 4, 4, "=1+1", NULL, 2);
    worksheet_write_boolean(ws, 4, 5, 0, NULL);

    /* gaps: only column C; then a time of day; then a row of styled blank cells */
    worksheet_write_string(ws, 5, 2, "chỉ cột C", NULL);
    worksheet_write_number(ws, 6, 1, 0.5, clock);
    worksheet_write_string(ws, 6, 3, "dòng 1\ndòng 2\rx", NULL);
    worksheet_write_blank(ws, 8, 0, bold);
    worksheet_write_blank(ws, 8, 1, bold);
    worksheet_write_string(ws, 10, 0, "cuối", NULL);

    worksheet_write_string(other, 0, 0, "not read", NULL);
}

static const char register_rows[] = "1:DANH SÁCH MÔ HÌNH DÂN VẬN KHÉO\n"
                                    "3:STT|Tên mô hình|Ngày|Kinh phí|Mã|Đạt\n"
                                    "4:1|Dân vận khéo — Xã Tam An|2025-07-01|1234.5|0123|TRUE\n"
                                    "5:2|Mô hình xanh|2025-07-01|1500000|2|FALSE\n"
                                    "6:||chỉ cột C\n"
                                    "7:|0.5||dòng 1\ndòng 2\rx\n"
                                    "9:\n"
                                    "11:cuối\n";

static void test_xlsx_libxlsxwriter(void **state)
{
    (void)state;
    char *path = temp_path(".xlsx");
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    write_register(wb);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    assert_int_equal(sheet_sniff(path), SHEET_XLSX);
    struct got g = {.text = BUF_INIT};
    char err[256] = "";
    assert_int_equal(read_path(path, &g, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_string_equal(buf_cstr(&g.text), register_rows);
    assert_true(g.progress_calls >= 1 && g.progress_done == g.progress_total);
    buf_free(&g.text);
    drop(path);
}

/* Number cells are told from text, so that "1.234" typed as text (a thousand in Vietnam) and
 * the number 1.234 (a decimal point in the XML) are not read alike; date cells and booleans
 * are not numbers; in CSV nothing is. */
static void test_xlsx_number_flags(void **state)
{
    (void)state;
    char *path = temp_path(".xlsx");
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    write_register(wb);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    struct got g = {.text = BUF_INIT, .numbers = true};
    char err[256] = "";
    assert_int_equal(read_path(path, &g, err, sizeof err), 0);
    assert_string_equal(buf_cstr(&g.text), "1:DANH SÁCH MÔ HÌNH DÂN VẬN KHÉO\n"
                                           "3:STT|Tên mô hình|Ngày|Kinh phí|Mã|Đạt\n"
                                           "4:#1|Dân vận khéo — Xã Tam An|2025-07-01|#1234.5|0123|TRUE\n"
                                           "5:#2|Mô hình xanh|2025-07-01|#1500000|#2|FALSE\n"
                                           "6:||chỉ cột C\n"
                                           "7:|#0.5||dòng 1\ndòng 2\rx\n"
                                           "9:\n"
                                           "11:cuối\n");
    buf_free(&g.text);
    drop(path);

    static const char text[] = "a,1.5,2\n3,,x\n";
    path = write_temp(text, strlen(text), ".csv");
    g = (struct got){.text = BUF_INIT, .numbers = true};
    assert_int_equal(read_path(path, &g, err, sizeof err), 0);
    assert_string_equal(buf_cstr(&g.text), "1:a|1.5|2\n2:3||x\n");
    buf_free(&g.text);
    drop(path);
}

static void test_xlsx_constant_memory(void **state)
{
    (void)state;
    /* constant_memory makes libxlsxwriter write inline strings (<is><t>) instead of shared ones */
    char *path = temp_path(".xlsx");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    write_register(wb);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    struct got g = {.text = BUF_INIT};
    char err[256];
    assert_int_equal(read_path(path, &g, err, sizeof err), 0);
    assert_string_equal(buf_cstr(&g.text), register_rows);
    buf_free(&g.text);
    drop(path);
}

static void test_xlsx_large_streams(void **state)
{
    (void)state;
    enum { ROWS = 100000 };
    char *path = temp_path(".xlsx");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    char name[64];
    for (int r = 0; r < ROWS; r++) {
        snprintf(name, sizeof name, "Mô hình %d", r + 1);
        worksheet_write_number(ws, (lxw_row_t)r, 0, r + 1, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 1, name, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    struct got g = {.text = BUF_INIT, .quiet = true};
    char err[256];
    assert_int_equal(read_path(path, &g, err, sizeof err), 0);
    assert_int_equal(g.rows, ROWS);
    assert_int_equal(g.last_row, ROWS);
    assert_true(g.progress_calls > 10 && g.progress_done == g.progress_total);

    struct got s = {.text = BUF_INIT, .stop_at = 3, .stop_rc = 5};
    assert_int_equal(read_path(path, &s, err, sizeof err), 5);
    assert_string_equal(buf_cstr(&s.text), "1:1|Mô hình 1\n2:2|Mô hình 2\n3:3|Mô hình 3\n");
    buf_free(&s.text);
    drop(path);
}

/* ---- XLSX made by hand ------------------------------------------------------ */

/* A zip of the given parts: names and contents, NULL-terminated. */
static char *make_zip(const char *const *parts)
{
    char *path = temp_path(".xlsx");
    int zerr;
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    for (int i = 0; parts[i]; i += 2) {
        zip_source_t *src = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        assert_non_null(src);
        assert_true(zip_file_add(z, parts[i], src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    return path;
}

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKG_REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define WS_TYPE REL_NS "/worksheet"

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char root_rels[] = "<Relationships xmlns=\"" PKG_REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_NS
                                "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char one_sheet_workbook[] = "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><sheets>"
                                         "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char one_sheet_rels[] = "<Relationships xmlns=\"" PKG_REL_NS "\"><Relationship Id=\"rId1\" Type=\"" WS_TYPE
                                     "\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

/* Reads a workbook of one sheet with the given sheet XML (and optional extra parts). */
static int read_sheet_xml(const char *sheet, const char *sst, const char *styles, struct got *g, char *err,
                          size_t errsz, const struct sheet_limits *lim)
{
    const char *parts[16] = {"[Content_Types].xml",
                             content_types,
                             "_rels/.rels",
                             root_rels,
                             "xl/workbook.xml",
                             one_sheet_workbook,
                             "xl/_rels/workbook.xml.rels",
                             one_sheet_rels,
                             "xl/worksheets/sheet1.xml",
                             sheet};
    int n = 10;
    if (sst) {
        parts[n++] = "xl/sharedStrings.xml";
        parts[n++] = sst;
    }
    if (styles) {
        parts[n++] = "xl/styles.xml";
        parts[n++] = styles;
    }
    parts[n] = NULL;
    char *path = make_zip(parts);
    int rc = sheet_read_limited(path, collect, on_progress, g, err, errsz, lim ? lim : &sheet_default_limits);
    drop(path);
    return rc;
}

static void test_xlsx_minimal(void **state)
{
    (void)state;
    /* no sharedStrings.xml, no styles.xml, no r attributes anywhere, inline strings only */
    struct got g = {.text = BUF_INIT};
    char err[256];
    int rc =
        read_sheet_xml("<worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
                       "<row><c t=\"inlineStr\"><is><t>Tên</t></is></c><c t=\"inlineStr\"><is><t>Xã</t></is></c></row>"
                       "<row><c t=\"inlineStr\"><is><t xml:space=\"preserve\"> A </t></is></c><c><v>7</v></c></row>"
                       "<row/>"
                       "</sheetData></worksheet>",
                       NULL, NULL, &g, err, sizeof err, NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(buf_cstr(&g.text), "1:Tên|Xã\n2: A |7\n3:\n");
    buf_free(&g.text);
}

static const char styles_xml[] =
    "<styleSheet xmlns=\"" MAIN_NS "\">"
    "<numFmts count=\"4\"><numFmt numFmtId=\"164\" formatCode=\"[$-42A]dd/mm/yyyy;@\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"#,##0.00\\ &quot;đ&quot;\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"h:mm AM/PM\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"mmm yyyy\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>" /* not cell formats */
    "<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"14\"/><xf numFmtId=\"20\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/><xf numFmtId=\"22\"/></cellXfs>"
    "<dxfs count=\"1\"><dxf><numFmt numFmtId=\"164\" formatCode=\"0.00\"/></dxf></dxfs>"
    "</styleSheet>";

static void test_xlsx_dates_1900(void **state)
{
    (void)state;
    struct got g = {.text = BUF_INIT};
    char err[256];
    int rc = read_sheet_xml(
        "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
        /* Excel's 1900 system: day 1, the last real day before its phantom 29 February, the
         * phantom itself, the day after, 2025-01-01, with a time, as a date-time format */
        "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>1</v></c><c r=\"B1\" s=\"1\"><v>59</v></c><c r=\"C1\" "
        "s=\"1\"><v>60</v></c>"
        "<c r=\"D1\" s=\"2\"><v>61</v></c><c r=\"E1\" s=\"2\"><v>45658</v></c><c r=\"F1\" s=\"7\"><v>45658.75</v></c>"
        "<c r=\"G1\" s=\"6\"><v>45839</v></c></row>"
        /* the last day Excel knows and one past it; a leap day; a midnight a hair short */
        "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>2958465</v></c><c r=\"B2\" s=\"1\"><v>2958466</v></c>"
        "<c r=\"C2\" s=\"1\"><v>45351</v></c><c r=\"D2\" s=\"1\"><v>45838.999999999993</v></c></row>"
        /* not dates: a time alone, time formats, a number format, General, text in a date cell,
         * an error in a date cell */
        "<row r=\"3\"><c r=\"A3\" s=\"1\"><v>0.5</v></c><c r=\"B3\" s=\"3\"><v>45658.5</v></c>"
        "<c r=\"C3\" s=\"5\"><v>45658.5</v></c><c r=\"D3\" s=\"4\"><v>1234.5</v></c><c r=\"E3\"><v>45658</v></c>"
        "<c r=\"F3\" s=\"1\" t=\"str\"><v>45658</v></c><c r=\"G3\" s=\"1\" t=\"e\"><v>#VALUE!</v></c>"
        "<c r=\"H3\" s=\"1\"><v>1E-3</v></c><c r=\"I3\" s=\"99\"><v>45658</v></c></row>"
        "</sheetData></worksheet>",
        NULL, styles_xml, &g, err, sizeof err, NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(buf_cstr(&g.text),
                        "1:1900-01-01|1900-02-28|1900-02-29|1900-03-01|2025-01-01|2025-01-01|2025-07-01\n"
                        "2:9999-12-31|2958466|2024-02-29|2025-07-01\n"
                        "3:0.5|45658.5|45658.5|1234.5|45658|45658|#VALUE!|1E-3|45658\n");
    buf_free(&g.text);
}

/* A workbook that uses what Excel's writers do and libxlsxwriter does not: a hidden first
 * sheet, absolute targets, the 1904 date system, prefixed element names, rich shared
 * strings with phonetic runs, _xHHHH_ escapes and every cell type. */
static void test_xlsx_handmade_workbook(void **state)
{
    (void)state;
    static const char workbook[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><workbookPr date1904=\"1\"/><sheets>"
        "<sheet name=\"Danh mục\" sheetId=\"1\" state=\"hidden\" r:id=\"rId7\"/>"
        "<sheet name=\"Dữ liệu\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>";
    static const char rels[] =
        "<Relationships xmlns=\"" PKG_REL_NS "\">"
        "<Relationship Id=\"rId7\" Type=\"" WS_TYPE "\" Target=\"/xl/worksheets/lists.xml\"/>"
        "<Relationship Id=\"rId8\" Type=\"" WS_TYPE "\" Target=\"/xl/worksheets/data.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"" REL_NS "/sharedStrings\" Target=\"strings/sst.xml\"/>"
        "<Relationship Id=\"rId10\" Type=\"" REL_NS "/styles\" Target=\"./styles.xml\"/>"
        "<Relationship Id=\"rId11\" Type=\"" REL_NS "/hyperlink\" Target=\"http://x\" TargetMode=\"External\"/>"
        "</Relationships>";
    static const char sst[] = "<sst xmlns=\"" MAIN_NS "\" count=\"4\" uniqueCount=\"4\">"
                              "<si><t>Xã Tam An</t></si>"
                              "<si><r><t xml:space=\"preserve\">Mô hình </t></r><r><rPr><b/></rPr><t>xanh</t></r>"
                              "<rPh sb=\"0\" eb=\"1\"><t>フリガナ</t></rPh><phoneticPr fontId=\"1\"/></si>"
                              "<si><t>dòng 1_x000D_dòng 2 _x005F_x0041_ _x0041_ _xZZ_</t></si>"
                              "<si><t/></si></sst>";
    static const char data[] =
        "<x:worksheet xmlns:x=\"" MAIN_NS "\"><x:sheetData>"
        "<x:row r=\"2\" spans=\"1:6\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B2\" t=\"s\"><x:v>1</x:v></x:c>"
        "<x:c r=\"C2\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"D2\" t=\"s\"><x:v>3</x:v></x:c></x:row>"
        "<x:row r=\"5\"><x:c r=\"A5\" s=\"1\"><x:v>0</x:v></x:c><x:c r=\"B5\" s=\"1\"><x:v>44196</x:v></x:c>"
        "<x:c r=\"C5\" t=\"b\"><x:v>0</x:v></x:c><x:c r=\"D5\" t=\"e\"><x:v>#N/A</x:v></x:c>"
        "<x:c r=\"E5\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>ax</x:v></x:c>"
        "<x:c r=\"F5\" t=\"d\"><x:v>2025-07-01T00:00:00</x:v></x:c>"
        "<x:c r=\"G5\" t=\"inlineStr\"><x:is><x:r><x:t>a</x:t></x:r><x:r><x:t>b</x:t></x:r></x:is></x:c></x:row>"
        /* cells out of order and written twice: placed by reference, the last wins; a cell
         * with no reference follows the one before it */
        "<x:row r=\"6\"><x:c r=\"C6\"><x:v>3</x:v></x:c><x:c r=\"A6\"><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c>"
        "<x:c r=\"C6\"><x:v>33</x:v></x:c></x:row>"
        "<x:row><x:c r=\"B7\"><x:v>next row</x:v></x:c></x:row>"
        "</x:sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"A2:D2\"/></x:mergeCells></x:worksheet>";
    const char *parts[] = {"[Content_Types].xml",
                           content_types,
                           "_rels/.rels",
                           root_rels,
                           "xl/workbook.xml",
                           workbook,
                           "xl/_rels/workbook.xml.rels",
                           rels,
                           "xl/worksheets/lists.xml",
                           "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>hidden"
                           "</t></is></c></row></sheetData></worksheet>",
                           "xl/worksheets/data.xml",
                           data,
                           "xl/strings/sst.xml",
                           sst,
                           "xl/styles.xml",
                           styles_xml,
                           NULL};
    char *path = make_zip(parts);
    struct got g = {.text = BUF_INIT};
    char err[256];
    assert_int_equal(read_path(path, &g, err, sizeof err), 0);
    assert_string_equal(buf_cstr(&g.text), "2:Xã Tam An|Mô hình xanh|dòng 1\rdòng 2 _x0041_ A _xZZ_\n"
                                           "5:1904-01-01|2025-01-01|FALSE|#N/A|ax|2025-07-01|ab\n"
                                           "6:1|2|33\n"
                                           "7:|next row\n");
    buf_free(&g.text);
    drop(path);
}

static void expect_fail(const char *sheet, const char *sst, const struct sheet_limits *lim, const char *sentence,
                        const char *detail)
{
    struct got g = {.text = BUF_INIT};
    char err[256] = "";
    assert_int_equal(read_sheet_xml(sheet, sst, NULL, &g, err, sizeof err, lim), -1);
    if (!starts_with(err, sentence) || !strstr(err, detail))
        fail_msg("err \"%s\" is not \"%s\" with \"%s\"", err, sentence, detail);
    buf_free(&g.text);
}

#define SHEET(rows) "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>" rows "</sheetData></worksheet>"

static void test_xlsx_broken(void **state)
{
    (void)state;
    char err[256];
    struct got g = {.text = BUF_INIT};

    /* starts like a zip, is not one */
    static const char fake[] = "PK\3\4 this is not a zip at all";
    char *path = write_temp(fake, sizeof fake - 1, ".xlsx");
    assert_int_equal(sheet_sniff(path), SHEET_XLSX);
    assert_int_equal(read_path(path, &g, err, sizeof err), -1);
    assert_true(starts_with(err, SHEET_E_XLSX " ("));
    drop(path);

    /* a zip, but no workbook in it */
    const char *notes[] = {"notes.txt", "hello", NULL};
    path = make_zip(notes);
    assert_int_equal(read_path(path, &g, err, sizeof err), -1);
    assert_string_equal(err, SHEET_E_XLSX " (the archive has no xl/workbook.xml)");
    drop(path);

    /* an OpenDocument spreadsheet is named as such */
    const char *ods[] = {"mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>", NULL};
    path = make_zip(ods);
    assert_int_equal(read_path(path, &g, err, sizeof err), -1);
    assert_string_equal(err, SHEET_E_ODS);
    drop(path);

    /* a workbook whose worksheet is missing */
    const char *nosheet[] = {"xl/workbook.xml", one_sheet_workbook, "xl/_rels/workbook.xml.rels", one_sheet_rels, NULL};
    path = make_zip(nosheet);
    assert_int_equal(read_path(path, &g, err, sizeof err), -1);
    assert_string_equal(err, SHEET_E_XLSX " (the workbook has no worksheet)");
    drop(path);
    assert_int_equal(g.rows, 0);

    /* malformed XML: expat's message and line; rows before the fault were delivered */
    assert_int_equal(read_sheet_xml(SHEET("<row><c><v>1</v></c></row>\n<row><c><v>1</v></row>"), NULL, NULL, &g, err,
                                    sizeof err, NULL),
                     -1);
    assert_string_equal(err, SHEET_E_XLSX " (xl/worksheets/sheet1.xml line 2: mismatched tag)");
    assert_string_equal(buf_cstr(&g.text), "1:1\n");
    buf_free(&g.text);

    expect_fail("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaa\">]><worksheet>&a;</worksheet>", NULL, NULL,
                SHEET_E_XLSX, "DOCTYPE");
    expect_fail(SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"), NULL, NULL, SHEET_E_XLSX,
                "cell XFE1 is beyond column 16384");
    expect_fail(SHEET("<row r=\"0\"/>"), NULL, NULL, SHEET_E_XLSX, "row number \"0\"");
    /* rows out of order, or one row number twice (found by fuzz/xlsx.c) */
    expect_fail(SHEET("<row r=\"5\"><c><v>1</v></c></row><row r=\"5\"><c><v>2</v></c></row>"), NULL, NULL, SHEET_E_XLSX,
                "row 5 comes after row 5");
    expect_fail(SHEET("<row r=\"3\"/><row r=\"2\"/>"), NULL, NULL, SHEET_E_XLSX, "row 2 comes after row 3");
    expect_fail(SHEET("<row/><row/><row r=\"2\"/>"), NULL, NULL, SHEET_E_XLSX, "row 2 comes after row 2");
    expect_fail(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row>"),
                "<sst xmlns=\"" MAIN_NS "\"><si><t>only one</t></si></sst>", NULL, SHEET_E_XLSX,
                "cell A1 refers to shared string \"1\"");
    expect_fail(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), NULL, NULL, SHEET_E_XLSX,
                "shared string \"0\"");
}

static void test_xlsx_limits(void **state)
{
    (void)state;
    struct sheet_limits lim = sheet_default_limits;
    struct buf big = BUF_INIT;

    /* a cell over the cell limit (1 MiB by default) */
    buf_puts(&big, "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row><c t=\"inlineStr\"><is><t>");
    for (int i = 0; i < 1100; i++)
        buf_puts(&big, "Dân vận khéo — một nghìn byte chữ, lặp lại cho đủ dài. ");
    buf_puts(&big, "</t></is></c></row></sheetData></worksheet>");
    lim.cell_bytes = 32 * 1024;
    expect_fail(big.p, NULL, &lim, SHEET_E_LARGE, "cell A1 holds more than 32 KiB of text");
    lim = sheet_default_limits;
    lim.row_bytes = 16 * 1024;
    expect_fail(big.p, NULL, &lim, SHEET_E_LARGE, "row 1 holds more than 16 KiB of text");

    /* a worksheet over the size limit, refused from its zip header */
    lim = sheet_default_limits;
    lim.sheet_bytes = 4096;
    expect_fail(big.p, NULL, &lim, SHEET_E_LARGE, "KiB uncompressed; at most 4 KiB can be read");

    /* one endless tag: expat would buffer all of it */
    buf_reset(&big);
    buf_puts(&big, "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\" x=\"");
    for (int i = 0; i < 300 * 1024 / 16; i++)
        buf_puts(&big, "0123456789abcdef");
    buf_puts(&big, "\"/></sheetData></worksheet>");
    lim = sheet_default_limits;
    lim.token_bytes = 128 * 1024;
    expect_fail(big.p, NULL, &lim, SHEET_E_XLSX, "of XML without the end of a tag");

    /* shared strings: too many, too much text */
    lim = sheet_default_limits;
    lim.sst_count = 2;
    static const char three[] = "<sst xmlns=\"" MAIN_NS "\"><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>";
    expect_fail(SHEET(""), three, &lim, SHEET_E_LARGE, "more than 2 shared strings");
    lim = sheet_default_limits;
    lim.sst_bytes = 5;
    expect_fail(SHEET(""), three, &lim, SHEET_E_LARGE, "more than 5 bytes of shared strings");
    buf_free(&big);
}

/* A worksheet whose zip headers claim it is small: the bytes inflated are what counts. */
static void test_xlsx_lying_header(void **state)
{
    (void)state;
    struct buf sheet = BUF_INIT;
    buf_puts(&sheet, "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>");
    for (int i = 1; i <= 20000; i++)
        buf_printf(&sheet, "<row r=\"%d\"><c><v>%d</v></c></row>", i, i);
    buf_puts(&sheet, "</sheetData></worksheet>");
    const char *parts[] = {"xl/workbook.xml",
                           one_sheet_workbook,
                           "xl/_rels/workbook.xml.rels",
                           one_sheet_rels,
                           "xl/worksheets/sheet1.xml",
                           sheet.p,
                           NULL};
    char *path = make_zip(parts);

    /* patch the uncompressed size of the sheet in its local and central headers */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    struct buf zipb = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&zipb, chunk, n);
    const char *name = "xl/worksheets/sheet1.xml";
    size_t nlen = strlen(name);
    int patched = 0;
    for (size_t i = 0; i + 46 + nlen <= zipb.len; i++) {
        unsigned char *p = (unsigned char *)zipb.p + i;
        size_t size_at = 0;
        if (memcmp(p, "PK\3\4", 4) == 0 && memcmp(p + 30, name, nlen) == 0)
            size_at = 22;
        else if (memcmp(p, "PK\1\2", 4) == 0 && memcmp(p + 46, name, nlen) == 0)
            size_at = 24;
        if (size_at) {
            memcpy(p + size_at, "\x00\x10\x00\x00", 4); /* 4096 bytes */
            patched++;
        }
    }
    assert_int_equal(patched, 2);
    rewind(f);
    assert_int_equal(fwrite(zipb.p, 1, zipb.len, f), zipb.len);
    fclose(f);

    struct got g = {.text = BUF_INIT, .quiet = true};
    char err[256];
    assert_int_equal(read_path(path, &g, err, sizeof err), -1);
    assert_true(starts_with(err, SHEET_E_XLSX " (xl/worksheets/sheet1.xml line "));
    assert_true(g.rows < 20000);
    buf_free(&zipb);
    buf_free(&sheet);
    drop(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_bom_comma),
        cmocka_unit_test(test_csv_semicolon),
        cmocka_unit_test(test_csv_tab_and_spaces),
        cmocka_unit_test(test_csv_crlf_quotes_blank_lines),
        cmocka_unit_test(test_csv_title_block),
        cmocka_unit_test(test_csv_ragged),
        cmocka_unit_test(test_csv_nul_byte),
        cmocka_unit_test(test_csv_empty),
        cmocka_unit_test(test_csv_large_streams),
        cmocka_unit_test(test_csv_stop),
        cmocka_unit_test(test_csv_refused),
        cmocka_unit_test(test_xlsx_libxlsxwriter),
        cmocka_unit_test(test_xlsx_number_flags),
        cmocka_unit_test(test_xlsx_constant_memory),
        cmocka_unit_test(test_xlsx_large_streams),
        cmocka_unit_test(test_xlsx_minimal),
        cmocka_unit_test(test_xlsx_dates_1900),
        cmocka_unit_test(test_xlsx_handmade_workbook),
        cmocka_unit_test(test_xlsx_broken),
        cmocka_unit_test(test_xlsx_limits),
        cmocka_unit_test(test_xlsx_lying_header),
    };
    return cmocka_run_group_tests_name("sheet", tests, NULL, NULL);
}
