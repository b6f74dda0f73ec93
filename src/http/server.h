/* server.h: the HTTP server: one h2o event loop per core, each with its own store connection. */
#ifndef DVK_SERVER_H
#define DVK_SERVER_H
#include <stdbool.h>
#include <stdint.h>

struct server_opts {
    const char *db;     /* store URL or path */
    const char *db_read; /* a replica for the lists and reports (routes with R_READ); NULL: db */
    const char *listen; /* address, e.g. "127.0.0.1" */
    int port;
    int threads;        /* 0: one per core */
    const char *datadir; /* attachments; NULL: "files" beside the database */
    int64_t max_db_mb;  /* the database's size cap in MB; 0: none */
    bool read_only;     /* refuse every write (maintenance, a copy being checked) */
    int max_conns;      /* open connections at once; above it new ones are closed at once */
    int timeout;        /* seconds: a request head must arrive, an idle connection is closed, within this */
    int cache_mb;       /* memory for kept answers, shared out among the loops; -1: the default, 0: none */
    int db_cache_mb;    /* the database's pages kept in memory, all connections together; -1: the default, 0: no cap */
};

/* Defaults of dvk serve (docs/operations.md, "Limits and timeouts"). */
#define SERVER_MAX_CONNS 1024
#define SERVER_TIMEOUT 30
/* dvk's memory stays near 50 MB (issue 8: a tenth of the no-code platform's) */
#define SERVER_CACHE_MB 8
#define SERVER_DB_CACHE_MB 24

/* Runs until SIGINT or SIGTERM. Returns 0 on a clean stop, -1 if it could not start. */
int server_run(const struct server_opts *o);

#endif
