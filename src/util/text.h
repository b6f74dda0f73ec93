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

/* Number of code points (for length limits that users see). */
size_t text_chars(const char *s);

#endif
