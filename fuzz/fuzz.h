/* fuzz.h: what the libFuzzer targets in fuzz/ share (fuzz/common.c).
 *
 * Each target is one file with LLVMFuzzerTestOneInput that calls dvk's own code (the
 * objects of src/, built with clang and the sanitizers). The helpers give a target a
 * database with the demo data, the same for every input; a request context that
 * handlers accept without a server; and a scratch file for readers that take a path.
 * Everything they allocate per input is freed per input: the leak checker is on. */
#ifndef DVK_FUZZ_H
#define DVK_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include "http/http.h"
#include "service/service.h"

/* Declared here so that -Wmissing-prototypes holds for every target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A SQLite store with the migrations and the demo data (svc_demo_load), made once per
 * process, in an outer transaction; fuzz_store_end undoes what the input wrote, so that
 * every input sees the demo exactly as loaded. Aborts when it cannot be made. */
struct store *fuzz_store(void);
/* Ends an input's use of the store; fails the input when it left a transaction open. */
void fuzz_store_end(struct store *st);

/* Actors: the system (an administrator over everything), or one of the demo's users
 * scoped to a unit — which = 0 staff of a 2024 province, 1 an officer of a 2024 commune,
 * 2 an appraiser of a 2025 province, 3 a viewer of a 2025 commune. */
void fuzz_actor(struct store *st, int which, struct actor *a);

/* A request context for calling handlers without h2o: its memory pool, no headers. */
struct fuzz_rq;
struct rq *fuzz_rq_new(struct store *st, const struct actor *a, int lang);
/* Adds a request header (rq_header finds it). */
void fuzz_rq_header(struct rq *r, const char *name, const char *value);
void fuzz_rq_free(struct rq *r);

/* Checks what a handler answered: a status in range and not 500 (a request must never
 * make an internal error), a JSON reply that parses, and valid UTF-8 text. */
void fuzz_check_reply(struct rq *r, int status);

/* Writes data to this process's scratch file (under $TMPDIR, else /dev/shm) and returns its path; the
 * file is rewritten by the next call and removed at exit. suffix: ".csv", ".xlsx"… */
const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix);

/* An .xlsx workbook made from data, written to the scratch file: its path.
 * data is a list of zip entries separated by the two bytes "\x00\x01", each its entry name
 * (a line: "xl/workbook.xml\n") and then its content, so that the fuzzer mutates the XML
 * and not the zip structure around it. Data that begins with "PK" is taken as the zip
 * itself. NULL when libzip cannot write it. */
const char *fuzz_xlsx(const uint8_t *data, size_t size);

/* Small reader limits (sheet_read_limited) that inputs can reach: a 4 KiB cell, 64 KiB
 * row, 300 columns, 4 MiB worksheet, 1 MiB parts and shared strings. */
struct sheet_limits;
const struct sheet_limits *fuzz_sheet_limits(void);
/* A sheet_read callback that checks the row contract of sheet.h under those limits:
 * rows in order, cells present and within the limit, the last cell not empty, and for
 * CSV no cell flagged as a number. ctx is a struct fuzz_rows, zeroed but for csv. */
struct fuzz_rows {
    bool csv;
    int64_t last_row, rows;
};
struct sheet_row;
int fuzz_sheet_row(void *ctx, const struct sheet_row *r);

/* Aborts with msg when ok is false: a property the code promises did not hold
 * (libFuzzer then saves the input as a crash). */
void fuzz_check(int ok, const char *msg);

#endif
