/* cache.c: one event loop's kept answers (cache.h). A chained hash table of entries,
 * all of one database generation. */
#include <stdlib.h>
#include <string.h>
#include "http/cache.h"
#include "util/buf.h"

#define BUCKETS 1024 /* a power of two */

struct rcache {
    struct rcache_entry *bucket[BUCKETS];
    uint64_t gen;
    size_t bytes, max_bytes;
    int n;
};

struct rcache *rcache_new(size_t max_bytes)
{
    struct rcache *c = xcalloc(1, sizeof *c);
    c->max_bytes = max_bytes;
    return c;
}

static void entry_free(struct rcache_entry *e)
{
    free(e->key);
    free(e->content_type);
    for (int i = 0; i < e->nheaders; i++) {
        free(e->headers[i].name);
        free(e->headers[i].value);
    }
    free(e->headers);
    free(e->body);
    free(e->gz);
    free(e);
}

static void empty(struct rcache *c)
{
    for (int i = 0; i < BUCKETS; i++) {
        for (struct rcache_entry *e = c->bucket[i], *next; e; e = next) {
            next = e->next;
            entry_free(e);
        }
        c->bucket[i] = NULL;
    }
    c->bytes = 0;
    c->n = 0;
}

void rcache_free(struct rcache *c)
{
    if (!c)
        return;
    empty(c);
    free(c);
}

/* The slot holding key's entry, or the end of its chain. */
static struct rcache_entry **find(struct rcache *c, const char *key, size_t key_len, uint64_t hash)
{
    struct rcache_entry **p = &c->bucket[hash & (BUCKETS - 1)];
    while (*p && !((*p)->hash == hash && (*p)->key_len == key_len && memcmp((*p)->key, key, key_len) == 0))
        p = &(*p)->next;
    return p;
}

static void unlink_entry(struct rcache *c, struct rcache_entry **p)
{
    struct rcache_entry *e = *p;
    *p = e->next;
    c->bytes -= e->bytes;
    c->n--;
    entry_free(e);
}

struct rcache_entry *rcache_get(struct rcache *c, const char *key, size_t key_len, uint64_t gen, int64_t now_ms)
{
    if (gen != c->gen) {
        empty(c);
        c->gen = gen;
        return NULL;
    }
    struct rcache_entry **p = find(c, key, key_len, hash_bytes(key, key_len, HASH_START));
    if (!*p)
        return NULL;
    if (now_ms - (*p)->born_ms >= RCACHE_TTL_MS || now_ms < (*p)->born_ms) {
        unlink_entry(c, p);
        return NULL;
    }
    return *p;
}

void rcache_put(struct rcache *c, struct rcache_entry *e, uint64_t gen, int64_t now_ms)
{
    e->hash = hash_bytes(e->key, e->key_len, HASH_START);
    e->born_ms = now_ms;
    e->bytes = sizeof *e + e->key_len + e->len + e->gz_len + (e->content_type ? strlen(e->content_type) : 0);
    for (int i = 0; i < e->nheaders; i++)
        e->bytes += sizeof e->headers[i] + strlen(e->headers[i].name) + strlen(e->headers[i].value);
    if (gen != c->gen) {
        empty(c);
        c->gen = gen;
    }
    if (e->bytes > c->max_bytes / 4 || e->len > RCACHE_MAX_ENTRY) {
        entry_free(e);
        return;
    }
    struct rcache_entry **p = find(c, e->key, e->key_len, e->hash);
    if (*p)
        unlink_entry(c, p);
    if (c->bytes + e->bytes > c->max_bytes)
        empty(c); /* what was asked since will be asked again and come back */
    p = &c->bucket[e->hash & (BUCKETS - 1)];
    e->next = *p;
    *p = e;
    c->bytes += e->bytes;
    c->n++;
}

void rcache_set_gz(struct rcache *c, struct rcache_entry *e, char *gz, size_t gz_len)
{
    free(e->gz);
    c->bytes += gz_len - e->gz_len;
    e->bytes += gz_len - e->gz_len;
    e->gz = gz;
    e->gz_len = gz_len;
}

void rcache_stats(const struct rcache *c, int *n, size_t *bytes)
{
    *n = c->n;
    *bytes = c->bytes;
}
