/* sheet.h: reads CSV and XLSX files row by row, streaming (memory stays flat as files grow,
 * apart from an XLSX file's shared-string table).
 *
 * Cells are delivered as the text the file stores, not validated: a CSV file's bytes
 * as they are (a NUL byte becomes 0x1A, SUB, which text_valid() rejects, so a bad
 * cell is still reported by row and column), an XLSX number as the text of its <v>
 * ("1234.5", "1E-3", flagged in sheet_row.number), except that a number styled as a date
 * comes out as "YYYY-MM-DD".
 * Booleans are "TRUE"/"FALSE", errors their text ("#N/A"). Nothing is trimmed. */
#ifndef DVK_SHEET_H
#define DVK_SHEET_H
#include <stddef.h>
#include <stdint.h>

struct sheet_row {
    int64_t row;        /* 1-based row number as the user sees it (spreadsheet row; CSV line record number) */
    int n;              /* number of cells: last non-empty column + 1 (0 for a blank row) */
    const char **cells; /* n strings, "" for an empty cell; valid only during the callback */
    /* n flags: 1 for an XLSX number cell (not styled as a date), whose text is the file's
     * "1234.5" or "1E-3", '.' the decimal point in every locale; 0 for text (always in CSV),
     * which a caller reads in the user's conventions ("1.234" is a thousand in Vietnam). */
    const unsigned char *number;
};
/* Return nonzero from the callback to stop reading (sheet_read then returns that value). */
typedef int (*sheet_row_fn)(void *ctx, const struct sheet_row *r);
/* Progress: bytes of input consumed so far and the total (file size; for xlsx the worksheet's
 * uncompressed size). May be NULL. */
typedef void (*sheet_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* The sentences that begin sheet_read's messages (msgids, to be translated by the caller). */
#define SHEET_E_OPEN "The file could not be opened."
#define SHEET_E_READ "The file could not be read."
#define SHEET_E_XLS "The file is an old .xls workbook or a password-protected one; save it as .xlsx or CSV UTF-8."
#define SHEET_E_ODS "The file is an OpenDocument spreadsheet; save it as .xlsx or CSV UTF-8."
#define SHEET_E_UTF16 "The file is saved as UTF-16 text; save it as CSV UTF-8."
#define SHEET_E_CSV "The file is not a readable CSV file."
#define SHEET_E_XLSX "The file is not a readable XLSX workbook."
#define SHEET_E_LARGE "The file is too large to read."

enum sheet_format { SHEET_UNKNOWN, SHEET_CSV, SHEET_XLSX };
/* Sniffs content: "PK\3\4" zip magic → XLSX; otherwise CSV. SHEET_UNKNOWN when the file
 * cannot be opened or is an OLE2 compound file (an old .xls, or a password-protected
 * workbook), which sheet_read refuses with a message saying so. */
enum sheet_format sheet_sniff(const char *path);
/* Reads path (format from sheet_sniff). Returns 0 when all rows were read, the callback's
 * nonzero value when it stopped, or -1 on an unreadable file with a message in err.
 *
 * The message is one fixed English sentence (a msgid, e.g. "The file is not a readable
 * XLSX workbook."), then, where useful, a space and a parenthesised detail that names the
 * part and line: "The file is not a readable XLSX workbook. (xl/worksheets/sheet1.xml
 * line 3: mismatched tag)". The sentences are the SHEET_E_* above. Rows before a fault
 * have already been delivered: a caller that must be all-or-nothing keeps its work
 * uncommitted until sheet_read returns 0.
 *
 * CSV: UTF-8 with or without a BOM; the delimiter (',' ';' or tab) is guessed from the
 * first lines; blank lines are delivered with n == 0 and counted in row numbers.
 * XLSX: the first visible worksheet; rows absent from the XML (Excel leaves out empty
 * rows) are not delivered, and rows out of order (or a row number given twice) make the
 * file unreadable; merged ranges carry their value in the top-left cell only.
 * Limits (sheet_default_limits): a cell 1 MiB, a row 64 MiB, 16384 columns, a worksheet
 * 2 GiB uncompressed, shared strings 64 MiB and 10 million; past one, -1 with a message. */
int sheet_read(const char *path, sheet_row_fn fn, sheet_progress_fn progress, void *ctx, char *err, size_t errsz);

#endif
