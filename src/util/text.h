/* text.h: UTF-8 checks, NFC normalization and Vietnamese-aware folding (utf8proc).
 * All returned strings are malloc'd and owned by the caller. */
#ifndef DVK_TEXT_H
#define DVK_TEXT_H
#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 with no NUL and no control
 * characters other than tab, CR and LF. */
bool text_valid(const char *s, size_t len);

/* NFC form of a valid UTF-8 string, with leading and trailing white space trimmed. */
char *text_nfc_trim(const char *s);

/* Search key: NFC-decomposed, case-folded, marks stripped, đ→d, runs of
 * white space and punctuation collapsed to one space. "Đường Dân vận Khéo!"
 * gives "duong dan van kheo". Returns "" for invalid input. */
char *text_fold(const char *s);

/* A key that sorts names in Vietnamese alphabetical order under plain byte comparison:
 * a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z in their Latin
 * places, digits first), words before longer words, then tones (ngang, huyền, hỏi, ngã,
 * sắc, nặng), then lower case before upper case. Decomposed and composed input give
 * the same key. Printable ASCII; malloc'd. */
char *text_sort_key(const char *s);

/* Number of code points (for length limits that users see). */
size_t text_chars(const char *s);

#endif
