/* conf.c: settings files of `key = value` lines, parsed by inih (Debian's libinih). */
#include "cli/conf.h"
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "http/i18n.h"
#include "util/buf.h"

/* inih is given one line at a time through read_line(), which counts them: inih's handler
 * does not learn the line number (INI_HANDLER_LINENO is off in Debian's build), and its
 * own count is only returned for the first error. */
struct parse {
    FILE *f;
    int line;
    int lang;
    const char *const *keys;
    struct conf *c;
    int err_line;   /* the first line a message was written for; 0: none */
    char *err;
    size_t errsz;
};

static void fail(struct parse *p, int line, const char *fmt, const char *arg)
{
    if (p->err_line && p->err_line <= line)
        return; /* keep the first */
    p->err_line = line;
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    snprintf(p->err, p->errsz, "%s:%d: %s", p->c->path, line, msg);
}

static char *read_line(char *str, int num, void *stream)
{
    struct parse *p = stream;
    if (!fgets(str, num, p->f))
        return NULL;
    p->line++;
    size_t n = strlen(str);
    if (n > 0 && str[n - 1] != '\n') {
        int ch = fgetc(p->f);
        if (ch == EOF || ch == '\n')
            return str; /* the line fitted exactly */
        /* longer than inih takes: refused whole, never cut into a shorter value */
        while ((ch = fgetc(p->f)) != EOF && ch != '\n')
            ;
        char most[16];
        snprintf(most, sizeof most, "%d", num - 1);
        fail(p, p->line, T(p->lang, "the line is longer than %s bytes"), most);
        str[0] = 0;
    }
    return str;
}

static int on_item(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    if (section[0]) {
        fail(p, p->line, T(p->lang, "sections such as [%s] are not used: write key = value lines only"), section);
        return 0;
    }
    const char *key = NULL;
    for (int i = 0; p->keys[i]; i++)
        if (strcmp(p->keys[i], name) == 0)
            key = p->keys[i];
    if (!key) {
        fail(p, p->line, T(p->lang, "unknown setting \"%s\""), name);
        return 0;
    }
    if (conf_get(p->c, key)) {
        /* also an indented line, which inih reads as the continuation of the one above */
        fail(p, p->line, T(p->lang, "%s is given twice (a line starting with a space continues the one above)"), key);
        return 0;
    }
    if (!value[0]) {
        fail(p, p->line, T(p->lang, "%s has no value"), key);
        return 0;
    }
    p->c->items = xrealloc(p->c->items, (size_t)(p->c->n + 1) * sizeof *p->c->items);
    p->c->items[p->c->n++] = (struct conf_item){.key = key, .value = xstrdup(value), .line = p->line};
    return 1;
}

int conf_read(const char *path, const char *const *keys, int lang, struct conf *c, char *err, size_t errsz)
{
    memset(c, 0, sizeof *c);
    err[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "%s: %s (%s)", path, T(lang, "cannot read the settings file"), strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errsz, "%s: %s", path, T(lang, "not a settings file (a regular file is needed)"));
        fclose(f);
        return -1;
    }
    c->path = xstrdup(path);
    c->world_readable = (sb.st_mode & S_IROTH) != 0;
    struct parse p = {.f = f, .lang = lang, .keys = keys, .c = c, .err = err, .errsz = errsz};
    int rc = ini_parse_stream(read_line, &p, on_item, &p);
    fclose(f);
    if (rc > 0 && (!p.err_line || rc < p.err_line))
        fail(&p, rc, T(lang, "expected key = value, a comment (#) or a blank line"), NULL);
    if (rc < 0 || p.err_line) {
        if (rc < 0 && !p.err_line)
            snprintf(err, errsz, "%s: %s", path, T(lang, "cannot read the settings file"));
        conf_free(c);
        return -1;
    }
    return 0;
}

const struct conf_item *conf_get(const struct conf *c, const char *key)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->items[i].key, key) == 0)
            return &c->items[i];
    return NULL;
}

void conf_free(struct conf *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->items[i].value);
    free(c->items);
    free(c->path);
    memset(c, 0, sizeof *c);
}
