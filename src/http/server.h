/* server.h: the HTTP server: one h2o event loop per core, each with its own store connection. */
#ifndef DVK_SERVER_H
#define DVK_SERVER_H

struct server_opts {
    const char *db;     /* store URL or path */
    const char *listen; /* address, e.g. "127.0.0.1" */
    int port;
    int threads;        /* 0: one per core */
    const char *datadir; /* attachments; NULL: "files" beside the database */
};

/* Runs until SIGINT or SIGTERM. Returns 0 on a clean stop, -1 if it could not start. */
int server_run(const struct server_opts *o);

#endif
