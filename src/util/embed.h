/* embed.h: files compiled into the binary by tools/embed.c (migrations, web assets, demo data, the user guides). */
#ifndef DVK_EMBED_H
#define DVK_EMBED_H
#include <stddef.h>

struct embedded_file {
    const char *name;          /* base name, e.g. "001_init.sql" */
    const unsigned char *data; /* NUL-terminated for convenience; len excludes it */
    size_t len;
    const char *hashed;        /* the name with a hash of the content: "app.0123456789ab.css" */
};

extern const struct embedded_file migrations_files[], pg_migrations_files[], assets_files[], demo_files[], guide_files[];
extern const size_t migrations_count, pg_migrations_count, assets_count, demo_count, guide_count;

/* Returns the embedded file called name in table, or NULL. */
const struct embedded_file *embed_find(const struct embedded_file *table, const char *name);
/* Returns the embedded file whose hashed name is name, or NULL. */
const struct embedded_file *embed_find_hashed(const struct embedded_file *table, const char *name);

#endif
