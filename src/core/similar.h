/* similar.h: when two model titles are alike enough to warn of a duplicate (no I/O).
 *
 * Titles are compared by their significant words: the folded words (text_fold) without
 * the phrases every registration repeats ("mô hình", "xây dựng", "dân vận khéo", …) and
 * small function words ("và", "của", …). Two titles are similar when they share most of
 * those words: a Dice coefficient 2·|A∩B| / (|A| + |B|) of at least SIMILAR_MIN_SCORE
 * percent, with at least two shared words unless one title has only one. */
#ifndef DVK_SIMILAR_H
#define DVK_SIMILAR_H
#include <stdbool.h>

#define SIMILAR_MAX_WORDS 16
#define SIMILAR_WORD_BYTES 48
#define SIMILAR_MIN_SCORE 60

struct title_words {
    int n;
    char w[SIMILAR_MAX_WORDS][SIMILAR_WORD_BYTES];
};

/* The significant words of a folded title, each once, in their order (at most
 * SIMILAR_MAX_WORDS; longer words are cut to SIMILAR_WORD_BYTES - 1 bytes). */
void similar_words(const char *title_fold, struct title_words *out);
/* The Dice coefficient of a and b in percent (0 when either is empty). */
int similar_score(const struct title_words *a, const struct title_words *b);
/* Whether a and b are similar (the rule above). */
bool similar_enough(const struct title_words *a, const struct title_words *b);

#endif
