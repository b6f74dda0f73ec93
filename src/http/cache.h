/* cache.h: answers kept while nothing has changed.
 *
 * Each event loop keeps the GET answers it sent (status 200, no cookie set) by who asked,
 * in which language, for which address. An answer is given again only while the
 * database's generation (store_ops.generation) is the one it was made in, for at most
 * RCACHE_TTL_MS (pages show today's date and default periods end today), so a list or a
 * report costs its queries once per change instead of once per request. The cache is
 * one loop's: no locks. When it outgrows its bytes it is emptied and fills again. */
#ifndef DVK_CACHE_H
#define DVK_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RCACHE_TTL_MS 5000
/* Larger answers (exports, attachments) are not kept. */
#define RCACHE_MAX_ENTRY (1024 * 1024)

struct rcache_header {
    char *name, *value;
};

struct rcache_entry {
    struct rcache_entry *next;
    uint64_t hash;
    char *key;
    size_t key_len;
    int64_t born_ms;
    char *content_type;
    struct rcache_header *headers;
    int nheaders;
    char *body;          /* as the handler wrote it */
    size_t len;
    char *gz;            /* gzip of body, made when a client first takes gzip; NULL until then */
    size_t gz_len;
    bool vary;           /* the answer differs by Accept-Encoding */
    bool zip;            /* worth compressing (text, within the sizes gzip is used for) */
    size_t bytes;        /* what this entry holds in memory */
};

struct rcache;

/* max_bytes 0: a cache that keeps nothing. */
struct rcache *rcache_new(size_t max_bytes);
void rcache_free(struct rcache *c);
/* The answer kept for key in generation gen, or NULL. A different gen empties the cache. */
struct rcache_entry *rcache_get(struct rcache *c, const char *key, size_t key_len, uint64_t gen, int64_t now_ms);
/* Keeps e (malloc'd, with its members) as made in generation gen, replacing what key had;
 * takes e in every case: it is freed at once when it is too large to keep. */
void rcache_put(struct rcache *c, struct rcache_entry *e, uint64_t gen, int64_t now_ms);
/* Gives the kept entry e (from rcache_get) its gzip (malloc'd, taken). */
void rcache_set_gz(struct rcache *c, struct rcache_entry *e, char *gz, size_t gz_len);
/* Answers kept, and their bytes (for tests and logs). */
void rcache_stats(const struct rcache *c, int *n, size_t *bytes);

#endif
