/* cmd_serve.c: dvk serve. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "http/server.h"

/* True when s is a whole number in [lo, hi], stored in *out. */
static bool number(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int cmd_serve(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: dvk serve --db PATH [--listen ADDR] [--port N] [--threads N] [--data DIR]\n"
                   "                 [--read-only] [--max-db-mb N] [--max-connections N] [--timeout SECONDS]\n"
                   "                 [--cache-mb N] [--db-read URL]\n"
                   "Serves the pages and the JSON API (default 127.0.0.1:8080, one event loop per core).\n"
                   "Attachments are kept under --data (default: the folder \"files\" beside the database).\n"
                   "The database may also be given in the DVK_DB environment variable.\n"
                   "--read-only      refuse every write with 503 (maintenance); reads go on\n"
                   "--db-read URL    read the lists and reports from this replica (PostgreSQL streaming\n"
                   "                 replication; also DVK_DB_READ); everything else uses --db\n"
                   "--max-db-mb N    cap the database at N MB: past it writes fail with 507\n"
                   "--max-connections N  open connections at once (default %d); more are closed at once\n"
                   "--timeout S      a request must arrive, and an idle connection is closed, within S\n"
                   "                 seconds (default %d)\n"
                   "--cache-mb N     memory for answers kept while the data is unchanged (default %d;\n"
                   "                 0 turns the cache off)\n"
                   "--db-cache-mb N  memory for the database's pages, all connections together\n"
                   "                 (default %d; 0: 64 MB a connection)\n",
                   SERVER_MAX_CONNS, SERVER_TIMEOUT, SERVER_CACHE_MB, SERVER_DB_CACHE_MB);
            return 0;
        }
    struct server_opts o = {.listen = "127.0.0.1", .port = 8080, .cache_mb = -1, .db_cache_mb = -1};
    const char *port = opt(argc, argv, "--port"), *listen = opt(argc, argv, "--listen"),
               *threads = opt(argc, argv, "--threads"), *max_db = opt(argc, argv, "--max-db-mb"),
               *conns = opt(argc, argv, "--max-connections"), *timeout = opt(argc, argv, "--timeout"),
               *cache = opt(argc, argv, "--cache-mb"), *db_cache = opt(argc, argv, "--db-cache-mb");
    o.read_only = flag(argc, argv, "--read-only");
    o.datadir = opt(argc, argv, "--data");
    o.db = opt(argc, argv, "--db");
    o.db_read = opt(argc, argv, "--db-read");
    if (leftovers(argc, argv, "serve"))
        return 2;
    if (!o.db)
        o.db = getenv("DVK_DB");
    if (!o.db_read && getenv("DVK_DB_READ") && *getenv("DVK_DB_READ"))
        o.db_read = getenv("DVK_DB_READ");
    if (!o.db) {
        fprintf(stderr, "dvk serve: --db PATH is required\n");
        return 2;
    }
    if (listen)
        o.listen = listen;
    if (port) {
        char *end;
        long p = strtol(port, &end, 10);
        if (*end || p < 1 || p > 65535) {
            fprintf(stderr, "dvk serve: --port must be 1 to 65535\n");
            return 2;
        }
        o.port = (int)p;
    }
    if (threads) {
        o.threads = atoi(threads);
        if (o.threads < 1 || o.threads > 64) {
            fprintf(stderr, "dvk serve: --threads must be 1 to 64\n");
            return 2;
        }
    }
    if (max_db && !number(max_db, 1, 1 << 30, &o.max_db_mb)) {
        fprintf(stderr, "dvk serve: --max-db-mb must be a number of megabytes, 1 or more\n");
        return 2;
    }
    int64_t v;
    if (conns) {
        if (!number(conns, 16, 1000000, &v)) {
            fprintf(stderr, "dvk serve: --max-connections must be 16 to 1000000\n");
            return 2;
        }
        o.max_conns = (int)v;
    }
    if (timeout) {
        if (!number(timeout, 1, 3600, &v)) {
            fprintf(stderr, "dvk serve: --timeout must be 1 to 3600 seconds\n");
            return 2;
        }
        o.timeout = (int)v;
    }
    if (cache) {
        if (!number(cache, 0, 65536, &v)) {
            fprintf(stderr, "dvk serve: --cache-mb must be 0 to 65536 megabytes\n");
            return 2;
        }
        o.cache_mb = (int)v;
    }
    if (db_cache) {
        if (!number(db_cache, 0, 1 << 20, &v)) {
            fprintf(stderr, "dvk serve: --db-cache-mb must be 0 to 1048576 megabytes\n");
            return 2;
        }
        o.db_cache_mb = (int)v;
    }
    return server_run(&o) == 0 ? 0 : 1;
}
