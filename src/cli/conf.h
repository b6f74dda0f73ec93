/* conf.h: settings files of `key = value` lines, read with inih (dvk serve --config).
 *
 * A line is `key = value`, a comment (starting with # or ;) or blank. Spaces around the
 * key and the value are dropped; a value may hold any other text, `=` included (a URL's
 * query). Sections, a key given twice, a key not in the caller's list, an empty value and
 * a line longer than inih takes (199 bytes and its newline, as Debian builds it) are errors,
 * each reported as FILE:LINE; a long line is refused, never cut. */
#ifndef DVK_CONF_H
#define DVK_CONF_H
#include <stdbool.h>
#include <stddef.h>

struct conf_item {
    const char *key; /* one of the caller's keys (not a copy) */
    char *value;     /* owned by the conf */
    int line;
};

struct conf {
    char *path;      /* as given; owned */
    bool world_readable; /* any user of the machine may read the file */
    int n;
    struct conf_item *items; /* in the file's order; owned */
};

/* Reads the file at path, accepting only the keys of keys[] (NULL-terminated). Returns 0 and
 * fills *c (free it with conf_free), or -1 with a message in lang in err, starting with
 * "PATH:LINE: " when a line is at fault (nothing to free then). */
int conf_read(const char *path, const char *const *keys, int lang, struct conf *c, char *err, size_t errsz);
/* The item of key, or NULL when the file does not give it. */
const struct conf_item *conf_get(const struct conf *c, const char *key);
void conf_free(struct conf *c);

#endif
