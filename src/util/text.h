/* text.h: UTF-8 checks, NFC normalization, search folding and Vietnamese order (utf8proc).
 * All returned strings are malloc'd and owned by the caller. */
#ifndef DVK_TEXT_H
#define DVK_TEXT_H
#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF) with no NUL and no control characters (C0, DEL, C1) other
 * than tab, CR and LF. */
bool text_valid(const char *s, size_t len);

/* NFC form of a valid UTF-8 string. A Vietnamese hat or breve typed after the tone
 * mark is put first, so "a" + acute + circumflex becomes "ấ". "" for invalid input. */
char *text_nfc(const char *s);

/* text_nfc(), with leading and trailing white space (Unicode spaces, zero-width
 * space, BOM) trimmed. */
char *text_nfc_trim(const char *s);

/* Search key: decomposed (compatibility), case-folded, marks stripped, đ→d,
 * invisible format characters dropped, runs of white space and punctuation
 * collapsed to one space. "Đường Dân vận Khéo!" gives "duong dan van kheo".
 * Returns "" for invalid input. */
char *text_fold(const char *s);
/* The same, character by character through utf8proc: what text_fold's table is made of,
 * and what it does beyond the table; tests compare the two. */
char *text_fold_reference(const char *s);

/* A key that sorts names in Vietnamese dictionary order under plain byte comparison:
 * word by word, each by its letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư
 * v x y (f j w z in their Latin places, numbers first and by value: "Thôn 2" < "Thôn 10"),
 * a word before longer words ("Nam" < "Nam Định"), then by its tone (ngang, huyền,
 * hỏi, ngã, sắc, nặng); lower case before upper case last, over the whole name.
 * Decomposed and composed input give the same key; so do the two tone-mark
 * placements ("Hoà", "Hòa"). Printable ASCII, never empty; malloc'd. */
char *text_sort_key(const char *s);
/* The same through utf8proc's decomposition of the whole text: what text_sort_key's table is
 * made of, and what it does for texts beyond the table; tests compare the two. */
char *text_sort_key_reference(const char *s);

/* Makes s valid text in place: each byte that does not start a well-formed UTF-8 character,
 * and each control character, becomes '?'; a character cut at the end goes. For showing
 * bytes that came from a file (messages, names). */
void text_sanitize(char *s);

/* Copies src into dst (size bytes, NUL included), cutting a longer text at a character
 * boundary so that the copy of valid text stays valid. Returns the bytes copied. */
size_t text_copy(char *dst, size_t size, const char *src);

/* The value of a hexadecimal digit (either case), or -1. */
int text_hex_digit(int c);

/* Upper case of a valid UTF-8 string, character by character ("Tỉnh ủy" gives "TỈNH ỦY");
 * "" for invalid input. */
char *text_upper(const char *s);

/* Number of code points (for length limits that users see). */
size_t text_chars(const char *s);

/* ---- search matches ----------------------------------------------------------------
 * A word of a text matches a folded query (text_fold output: words separated by single
 * spaces) when its folded form starts with one of the query's words: the rule of the
 * search itself, so what is marked is why a model was found. */

/* A byte range [start, end) of the original text. */
struct text_span {
    size_t start, end;
};
/* The parts of s that match q_fold: for each word of s that starts with a query word,
 * the characters of s that make up the longest such prefix (a whole character with its
 * combining marks, never half of one). Spans are in order; neighbours with only white
 * space between them are merged ("Dân vận khéo" is one span). Writes at most max spans
 * to out and returns how many. */
int text_match_spans(const char *s, const char *q_fold, struct text_span *out, int max);

/* An excerpt of s of about max_chars code points around its first match of q_fold (or
 * its start), cut at word boundaries, with "…" where it was cut. malloc'd. */
char *text_snippet(const char *s, const char *q_fold, size_t max_chars);

/* The code point offset of byte offset `byte` of s (for APIs that count characters). */
size_t text_cp_offset(const char *s, size_t byte);

#endif
