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

/* An in-memory SQLite store with the migrations and the demo data (svc_demo_load), made
 * once per process; each call first puts it back exactly as loaded, so an input that
 * wrote cannot change what the next one sees. Aborts when it cannot be made. */
struct store *fuzz_store(void);

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

/* Writes data to this process's scratch file (under $TMPDIR) and returns its path; the
 * file is rewritten by the next call and removed at exit. suffix: ".csv", ".xlsx"… */
const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix);

/* Aborts with msg when ok is false: a property the code promises did not hold
 * (libFuzzer then saves the input as a crash). */
void fuzz_check(int ok, const char *msg);

#endif
