/* mkxlsx.c: writes an .xlsx workbook from a JSON description, for the import tests
 * (node has no XLSX writer, and the files must be made for the purpose, not copied).
 *
 *   build/tests/mkxlsx OUT.xlsx < description.json
 *
 * The description:
 *   {"sheets": [{"name": "Sheet1", "hidden": false,
 *                "rows": [[cell, ...], ...],          row 0 is the spreadsheet's row 1
 *                "merges": [[r1, c1, r2, c2], ...]}]} 0-based, inclusive
 * A cell is null (nothing written), a string, a number, true/false, or an object:
 *   {"date": "2024-03-15", "format": "dd/mm/yyyy"}   a date cell (a number styled as a date)
 *   {"number": 1234.5, "format": "#,##0.00"}         a number with a display format
 *   {"formula": "=SUM(A1:A2)", "value": 3}           a formula and its cached result
 * A merged range takes the value of its top-left cell (a string or nothing); the cells
 * it covers are left empty, as Excel leaves them.
 * Exits 0 when written, 1 with a message on stderr otherwise. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static int fail(const char *what, const char *detail)
{
    fprintf(stderr, "mkxlsx: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 1;
}

/* A format with num_format fmt, made once per distinct code (a workbook holds few). */
static lxw_format *format_for(lxw_workbook *wb, const char *fmt)
{
    static struct {
        char code[64];
        lxw_format *f;
    } made[32];
    static int n;
    for (int i = 0; i < n; i++)
        if (strcmp(made[i].code, fmt) == 0)
            return made[i].f;
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, fmt);
    if (n < 32) {
        snprintf(made[n].code, sizeof made[n].code, "%s", fmt);
        made[n++].f = f;
    }
    return f;
}

static bool covered(json_t *merges, size_t r, size_t c, bool *top_left)
{
    size_t i;
    json_t *m;
    *top_left = false;
    json_array_foreach(merges, i, m)
    {
        size_t r1 = (size_t)json_integer_value(json_array_get(m, 0)), c1 = (size_t)json_integer_value(json_array_get(m, 1)),
               r2 = (size_t)json_integer_value(json_array_get(m, 2)), c2 = (size_t)json_integer_value(json_array_get(m, 3));
        if (r >= r1 && r <= r2 && c >= c1 && c <= c2) {
            *top_left = r == r1 && c == c1;
            return true;
        }
    }
    return false;
}

static int write_cell(lxw_workbook *wb, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v)
{
    lxw_error e = LXW_NO_ERROR;
    if (json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        e = worksheet_write_string(ws, r, c, json_string_value(v), NULL);
    } else if (json_is_number(v)) {
        e = worksheet_write_number(ws, r, c, json_number_value(v), NULL);
    } else if (json_is_boolean(v)) {
        e = worksheet_write_boolean(ws, r, c, json_is_true(v), NULL);
    } else if (json_is_object(v)) {
        const char *fmt = json_string_value(json_object_get(v, "format"));
        json_t *d = json_object_get(v, "date"), *n = json_object_get(v, "number"), *f = json_object_get(v, "formula");
        if (d) {
            int y, mo, dd;
            if (!json_is_string(d) || sscanf(json_string_value(d), "%4d-%2d-%2d", &y, &mo, &dd) != 3)
                return fail("a date is not YYYY-MM-DD", json_string_value(d));
            lxw_datetime dt = {y, mo, dd, 0, 0, 0};
            e = worksheet_write_datetime(ws, r, c, &dt, format_for(wb, fmt ? fmt : "dd/mm/yyyy"));
        } else if (n) {
            e = worksheet_write_number(ws, r, c, json_number_value(n), fmt ? format_for(wb, fmt) : NULL);
        } else if (f) {
            e = worksheet_write_formula_num(ws, r, c, json_string_value(f), NULL,
                                            json_number_value(json_object_get(v, "value")));
        } else {
            return fail("a cell object needs date, number or formula", NULL);
        }
    } else {
        return fail("a cell must be null, a string, a number, a boolean or an object", NULL);
    }
    return e == LXW_NO_ERROR ? 0 : fail("cannot write a cell", lxw_strerror(e));
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return fail("usage", "mkxlsx OUT.xlsx < description.json");
    json_error_t je;
    json_t *doc = json_loadf(stdin, 0, &je);
    if (!doc)
        return fail("the description is not JSON", je.text);
    json_t *sheets = json_object_get(doc, "sheets");
    if (!json_is_array(sheets) || json_array_size(sheets) == 0) {
        json_decref(doc);
        return fail("the description has no sheets", NULL);
    }
    lxw_workbook *wb = workbook_new(argv[1]);
    if (!wb) {
        json_decref(doc);
        return fail("cannot create", argv[1]);
    }
    int rc = 0;
    bool active = false; /* Excel shows the first visible sheet; a hidden one may not be active */
    lxw_worksheet **made = calloc(json_array_size(sheets), sizeof *made);
    size_t nmade = 0;
    size_t si;
    json_t *sh;
    json_array_foreach(sheets, si, sh)
    {
        lxw_worksheet *ws = workbook_add_worksheet(wb, json_string_value(json_object_get(sh, "name")));
        if (!ws) {
            rc = fail("cannot add a worksheet (a duplicate or invalid name?)", NULL);
            break;
        }
        made[nmade++] = ws;
        if (!json_is_true(json_object_get(sh, "hidden")) && !active) {
            worksheet_activate(ws);
            worksheet_set_first_sheet(ws);
            active = true;
        }
        json_t *rows = json_object_get(sh, "rows"), *merges = json_object_get(sh, "merges");
        size_t ri, ci;
        json_t *row, *cell;
        json_array_foreach(rows, ri, row) json_array_foreach(row, ci, cell)
        {
            bool top_left;
            if (covered(merges, ri, ci, &top_left))
                continue;
            if (rc == 0)
                rc = write_cell(wb, ws, (lxw_row_t)ri, (lxw_col_t)ci, cell);
        }
        json_t *m;
        json_array_foreach(merges, ri, m)
        {
            lxw_row_t r1 = (lxw_row_t)json_integer_value(json_array_get(m, 0));
            lxw_col_t c1 = (lxw_col_t)json_integer_value(json_array_get(m, 1));
            json_t *v = json_array_get(json_array_get(rows, r1), c1);
            lxw_error e = worksheet_merge_range(ws, r1, c1, (lxw_row_t)json_integer_value(json_array_get(m, 2)),
                                                (lxw_col_t)json_integer_value(json_array_get(m, 3)),
                                                json_is_string(v) ? json_string_value(v) : "", NULL);
            if (e != LXW_NO_ERROR && rc == 0)
                rc = fail("cannot merge", lxw_strerror(e));
        }
    }
    /* hidden only now: a sheet hidden before another was made active would stay active */
    for (size_t i = 0; i < nmade; i++)
        if (json_is_true(json_object_get(json_array_get(sheets, i), "hidden")))
            worksheet_hide(made[i]);
    free(made);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR && rc == 0)
        rc = fail("cannot write the workbook", lxw_strerror(e));
    json_decref(doc);
    return rc;
}
