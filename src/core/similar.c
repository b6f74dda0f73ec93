/* similar.c: significant title words and the duplicate rule (see similar.h). */
#include <stdio.h>
#include <string.h>
#include "core/similar.h"

/* Phrases nearly every title carries, folded. Longest first where one starts another. */
static const char *const filler[] = {
    "dan van kheo", "dan van", "mo hinh", "xay dung", "phong trao", "thi dua", "thuc hien", "trien khai",
    "nang cao", "hieu qua", "gop phan", "tang cuong", "day manh",
};

/* Function words that say nothing about what a model does. */
static const char *const stop[] = {
    "va", "cua", "cho", "voi", "cac", "nhung", "mot", "trong", "tai", "tren", "la", "de", "theo", "ve", "o", "so",
};

/* Does the word list starting at p begin with phrase (whole words)? Returns its length in bytes, or 0. */
static size_t starts_phrase(const char *p, const char *phrase)
{
    size_t n = strlen(phrase);
    if (strncmp(p, phrase, n) != 0 || (p[n] != ' ' && p[n] != 0))
        return 0;
    return n;
}

void similar_words(const char *title_fold, struct title_words *out)
{
    out->n = 0;
    const char *p = title_fold ? title_fold : "";
    while (*p && out->n < SIMILAR_MAX_WORDS) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t skip = 0;
        for (size_t i = 0; i < sizeof filler / sizeof filler[0] && !skip; i++)
            skip = starts_phrase(p, filler[i]);
        if (skip) {
            p += skip;
            continue;
        }
        size_t n = strcspn(p, " ");
        bool drop = false;
        for (size_t i = 0; i < sizeof stop / sizeof stop[0] && !drop; i++)
            drop = strlen(stop[i]) == n && strncmp(p, stop[i], n) == 0;
        char w[SIMILAR_WORD_BYTES];
        snprintf(w, sizeof w, "%.*s", (int)n, p);
        for (int i = 0; i < out->n && !drop; i++)
            drop = strcmp(out->w[i], w) == 0;
        if (!drop)
            memcpy(out->w[out->n++], w, sizeof w);
        p += n;
    }
}

static int shared(const struct title_words *a, const struct title_words *b)
{
    int k = 0;
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n; j++)
            if (strcmp(a->w[i], b->w[j]) == 0) {
                k++;
                break;
            }
    return k;
}

int similar_score(const struct title_words *a, const struct title_words *b)
{
    if (a->n == 0 || b->n == 0)
        return 0;
    return 200 * shared(a, b) / (a->n + b->n);
}

bool similar_enough(const struct title_words *a, const struct title_words *b)
{
    int k = shared(a, b);
    int need = a->n == 1 || b->n == 1 ? 1 : 2;
    return k >= need && similar_score(a, b) >= SIMILAR_MIN_SCORE;
}
