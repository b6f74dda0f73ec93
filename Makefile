# Makefile: builds dvk, its tests and its generated tables.
# `make run` and `make test` are the two commands a newcomer needs (README.md).

PKGS      := libh2o-evloop openssl sqlite3 jansson libsodium libutf8proc gdlib libzip expat xlsxwriter zlib libpq inih
CC        ?= cc
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS    ?= -O2 -g
BASE_CFLAGS := -std=gnu11 $(WARN) -DH2O_USE_LIBUV=0 -D_GNU_SOURCE -Isrc -Ibuild/gen \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS      := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRC       := $(wildcard src/util/*.c src/core/*.c src/store/*.c src/service/*.c src/http/*.c src/cli/*.c)
GEN       := build/gen/migrations.c build/gen/pg_migrations.c build/gen/assets.c build/gen/i18n_table.c build/gen/demo.c build/gen/guide.c
LIBSRC    := $(filter-out src/cli/%,$(SRC))

OBJ       := $(patsubst %.c,build/rel/%.o,$(SRC) $(GEN))
SOBJ      := $(patsubst %.c,build/asan/%.o,$(SRC) $(GEN))
SLIBOBJ   := $(patsubst %.c,build/asan/%.o,$(LIBSRC) $(GEN))

UNIT_TESTS := $(patsubst tests/unit/%.c,build/asan/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all run test deps test-deps unit-tests test-tools clean format bench bench-pages bench-peer fuzz fuzz-targets crash soak guide-shots
all: build/dvk

deps:
	@sh tools/deps.sh build

test-deps:
	@sh tools/deps.sh test

# ---- generated tables --------------------------------------------------
build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

# the folders are prerequisites too: removing a file changes their time and rebuilds the table
build/gen/migrations.c: build/tools/embed src/store/migrations $(sort $(wildcard src/store/migrations/*.sql))
	@mkdir -p $(@D)
	build/tools/embed migrations $(sort $(wildcard src/store/migrations/*.sql)) > $@.tmp && mv $@.tmp $@

# PostgreSQL's twins (src/store/migrations/pg/, same names): the build stops when one engine
# has a migration the other lacks (tools/migrations-check.sh)
build/gen/pg_migrations.c: build/tools/embed tools/migrations-check.sh src/store/migrations src/store/migrations/pg \
		$(sort $(wildcard src/store/migrations/*.sql src/store/migrations/pg/*.sql))
	@mkdir -p $(@D)
	@sh tools/migrations-check.sh
	build/tools/embed pg_migrations $(sort $(wildcard src/store/migrations/pg/*.sql)) > $@.tmp && mv $@.tmp $@

# The web assets: web/static/* with app.css from tools/fonts.sh (which adds Be Vietnam Pro
# from the npm package when `npm ci` has put it in node_modules: make test does; without it
# pages use the system fonts), and the font files it copies into build/gen/static/.
FONT_PKG  := node_modules/@fontsource/be-vietnam-pro
FONT_SRC  := $(wildcard $(FONT_PKG)/files/be-vietnam-pro-*-[46]00-normal.woff2 $(FONT_PKG)/[46]00.css)
build/gen/static/app.css: web/static/app.css tools/fonts.sh build/tools/embed $(FONT_SRC)
	@mkdir -p $(@D)
	sh tools/fonts.sh build/tools/embed $(FONT_PKG) $(@D) web/static/app.css

# The guide's screenshots (docs/img/, made by `make guide-shots`) are web assets too: served
# under /static/ with their content-hashed names, kept a year like the CSS.
GUIDE_IMG := $(sort $(wildcard docs/img/*.webp docs/img/*.png))

build/gen/assets.c: build/tools/embed web/static $(sort $(wildcard web/static/*)) build/gen/static/app.css docs/img $(GUIDE_IMG)
	@mkdir -p $(@D)
	build/tools/embed assets build/gen/static/app.css $(filter-out web/static/app.css,$(sort $(wildcard web/static/*))) \
		$$(ls build/gen/static/*.woff2 build/gen/static/*.txt 2>/dev/null) $(GUIDE_IMG) > $@.tmp && mv $@.tmp $@

# the user guides (docs/user-guide.LANG.md) as HTML fragments for the /guide page; their
# pictures' hashed names and sizes from images.txt ("name hashed width height" a line)
build/gen/guide/images.txt: build/tools/embed docs/img $(GUIDE_IMG)
	@mkdir -p $(@D)
	: > $@.tmp $(if $(GUIDE_IMG),&& build/tools/embed --image $(GUIDE_IMG) > $@.tmp) && mv $@.tmp $@

build/gen/guide/guide-%.html: docs/user-guide.%.md tools/md2html.awk build/gen/guide/images.txt
	@mkdir -p $(@D)
	awk -v images=build/gen/guide/images.txt -f tools/md2html.awk $< > $@.tmp && mv $@.tmp $@

build/gen/guide.c: build/tools/embed build/gen/guide/guide-vi.html build/gen/guide/guide-en.html
	build/tools/embed guide build/gen/guide/guide-vi.html build/gen/guide/guide-en.html > $@.tmp && mv $@.tmp $@

build/gen/demo.c: build/tools/embed data/demo $(sort $(wildcard data/demo/*))
	@mkdir -p $(@D)
	build/tools/embed demo $(sort $(wildcard data/demo/*)) > $@.tmp && mv $@.tmp $@

build/gen/i18n_table.c: tools/po2c.awk $(wildcard web/po/*.po)
	@mkdir -p $(@D)
	msgfmt --check-format -o /dev/null web/po/vi.po
	msgfmt --check-format -o /dev/null web/po/sv.po
	awk -f tools/po2c.awk web/po/vi.po web/po/sv.po > $@

# ---- release build -----------------------------------------------------
build/rel/%.o: %.c $(GEN)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASE_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

build/dvk: $(OBJ)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

# ---- sanitizer build (used by make test) ---------------------------------
build/asan/%.o: %.c $(GEN)
	@mkdir -p $(@D)
	@echo "  CC-SAN  $<"
	@$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) -MMD -MP -c -o $@ $<

build/asan/dvk: $(SOBJ)
	@echo "  LD-SAN  $@"
	@$(CC) $(SAN) -o $@ $^ $(LIBS)

build/asan/tests/%: tests/unit/%.c $(SLIBOBJ)
	@mkdir -p $(@D)
	@echo "  LD-SAN  $@"
	@$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) -o $@ $^ $(LIBS) $(shell pkg-config --libs cmocka)

unit-tests: $(UNIT_TESTS)

# ---- fuzzing: libFuzzer targets in fuzz/ (docs/operations.md, "Reliability") -------------
# clang, since libFuzzer is clang's; the objects of src/ are built again in their own folder
# with coverage (fuzzer-no-link) and the sanitizers, and each target links them with
# fuzz/common.c. `make fuzz` runs each target FUZZ_SECONDS; make test replays the saved inputs.
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_SECONDS ?= 600
FUZZ_JOBS    ?= 1
FUZZ_NAMES   := $(filter-out common,$(patsubst fuzz/%.c,%,$(wildcard fuzz/*.c)))
FUZZ_BINS    := $(patsubst %,build/fuzz/%,$(FUZZ_NAMES))
FOBJ         := $(patsubst %.c,build/fuzz/obj/%.o,$(LIBSRC) $(GEN) fuzz/common.c)

build/fuzz/obj/%.o: %.c $(GEN)
	@mkdir -p $(@D)
	@echo "  CC-FUZZ $<"
	@$(FUZZ_CC) $(BASE_CFLAGS) -Ifuzz $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

build/fuzz/%: fuzz/%.c $(FOBJ)
	@mkdir -p $(@D)
	@echo "  LD-FUZZ $@"
	@$(FUZZ_CC) $(BASE_CFLAGS) -Ifuzz $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

fuzz-targets: $(FUZZ_BINS)

# the objects are shared by every target: keep them between builds
.SECONDARY: $(FOBJ)

# ---- test fixtures: tools the API tests run to make their files ------------------
# mkxlsx writes .xlsx workbooks from a JSON description (node has no XLSX writer).
TEST_TOOLS := build/tests/mkxlsx
build/tests/mkxlsx: tests/tools/mkxlsx.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) -std=gnu11 $(WARN) -O1 -g $(shell pkg-config --cflags xlsxwriter jansson) -o $@ $< \
		$(shell pkg-config --libs xlsxwriter jansson)

test-tools: $(TEST_TOOLS)

# ---- benchmark (bench/run.sh) ---------------------------------------------
RLIBOBJ   := $(patsubst %.c,build/rel/%.o,$(LIBSRC) $(GEN))
build/bench/gen: bench/gen.c $(RLIBOBJ)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	@$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $^ $(LIBS)

-include $(OBJ:.o=.d) $(SOBJ:.o=.d) $(FOBJ:.o=.d)

# ---- the two commands ----------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory build/dvk
	@mkdir -p var
	@if [ ! -f var/dvk.db ]; then ./build/dvk init --db var/dvk.db --demo; fi
	./build/dvk serve --db var/dvk.db --listen 127.0.0.1 --port 8080

test: deps test-deps
	@$(MAKE) --no-print-directory build/asan/dvk build/dvk unit-tests test-tools fuzz-targets
	@sh tests/run.sh

# The crash test on its own, longer: CRASH_KILLS kills of the release build (make test runs
# 20 kills of the sanitizer build inside tests/run.sh).
CRASH_KILLS ?= 200
crash: deps test-deps
	@$(MAKE) --no-print-directory build/dvk
	CRASH_KILLS=$(CRASH_KILLS) DVK_BIN=$${DVK_BIN:-build/dvk} node --test --test-reporter=spec tests/crash/

# Runs every fuzz target for FUZZ_SECONDS (default 600) on its saved corpus; new inputs go to
# build/fuzz/corpus/, crashes to build/fuzz/crashes/ (fuzz/run.sh).
fuzz: deps test-deps
	@$(MAKE) --no-print-directory fuzz-targets
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) sh fuzz/run.sh

bench: deps
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory build/dvk build/bench/gen
	@sh bench/run.sh
	@sh bench/import.sh
	@sh tools/deps.sh test
	@sh bench/engines.sh
	@DVK_BIN=$${DVK_BIN:-build/dvk} node bench/phone.mjs
	@DVK_BIN=$${DVK_BIN:-build/dvk} node bench/lighthouse.mjs

# only the pages on a phone (part of make bench): bench/phone.mjs and Lighthouse. DVK_BIN is
# set here: tests/lib/server.mjs reads it when imported, before the scripts' own default
# runs, so without it they measured the sanitizer build whenever one was there.
bench-pages: deps
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory build/dvk
	@DVK_BIN=$${DVK_BIN:-build/dvk} node bench/phone.mjs
	@DVK_BIN=$${DVK_BIN:-build/dvk} node bench/lighthouse.mjs

# The screenshots of the user guides (docs/img/vi-*.webp, en-*.webp): tools/guide-shots.mjs
# drives Debian's Chromium through the steps the guides describe, on a fresh demo database
# served by the release build. Commit the pictures it writes; the build embeds them.
guide-shots: deps
	@sh tools/deps.sh test
	@$(MAKE) --no-print-directory build/dvk
	@DVK_BIN=$${DVK_BIN:-build/dvk} node tools/guide-shots.mjs

# dvk beside Directus 12 (on SQLite) and nginx serving dvk's bytes, same rows, same questions
# (issue 8; docs/performance.md). tools/peer.sh installs nginx, wrk, Node 22 and Directus
# under build/peer the first time (minutes); PEER_MODELS, PEER_SECONDS: bench/peer.sh
bench-peer: deps
	@sh tools/peer.sh
	@$(MAKE) --no-print-directory build/dvk build/bench/gen
	@sh bench/peer.sh

# ten minutes of mixed reads and writes under wrk (SOAK_SECONDS, SOAK_MODELS): issue 8
soak: deps
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory build/dvk build/bench/gen
	@sh bench/soak.sh

# the lines changed since the last commit, laid out as .clang-format says (git clang-format):
# the tree is older than that file, and formatting it whole would rewrite 119 files
format:
	@command -v git-clang-format >/dev/null || { echo "make format needs clang-format: apt-get install clang-format"; exit 1; }
	@git clang-format --force --extensions c,h HEAD -- src tests/unit fuzz bench

clean:
	rm -rf build
