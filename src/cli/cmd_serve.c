/* cmd_serve.c: dvk serve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "http/server.h"

int cmd_serve(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            puts("usage: dvk serve --db PATH [--listen ADDR] [--port N] [--threads N] [--data DIR]\n"
                 "Serves the pages and the JSON API (default 127.0.0.1:8080, one event loop per core).\n"
                 "Attachments are kept under --data (default: the folder \"files\" beside the database).\n"
                 "The database may also be given in the DVK_DB environment variable.");
            return 0;
        }
    struct server_opts o = {.listen = "127.0.0.1", .port = 8080};
    const char *port = opt(argc, argv, "--port"), *listen = opt(argc, argv, "--listen"),
               *threads = opt(argc, argv, "--threads");
    o.datadir = opt(argc, argv, "--data");
    o.db = opt(argc, argv, "--db");
    if (leftovers(argc, argv, "serve"))
        return 2;
    if (!o.db)
        o.db = getenv("DVK_DB");
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
    return server_run(&o) == 0 ? 0 : 1;
}
