/* i18n.h: the translation catalogue (web/po, compiled in) and locale formats.
 * Message ids are the English text; Vietnamese is the default language. */
#ifndef DVK_I18N_H
#define DVK_I18N_H
#include <stdbool.h>
#include <stddef.h>

enum lang { LANG_VI, LANG_EN, LANG_SV, LANG_COUNT };
extern const char *const lang_codes[LANG_COUNT]; /* "vi", "en", "sv" */

struct tr_entry {
    const char *id, *vi, *sv;
};
extern const struct tr_entry tr_table[];
extern const unsigned tr_count;

/* Sorts the catalogue for lookups; call once before threads start. */
void i18n_init(void);
/* Translation of msgid into lang; msgid itself when there is none. */
const char *T(int lang, const char *msgid);
/* Marks a string for extraction without translating it here. */
#define N_(s) (s)
/* Language from a code such as "en", "sv-SE", "vi"; -1 when unknown. */
int lang_parse(const char *code, size_t len);
/* Language from an Accept-Language header value: the first supported one, else Vietnamese. */
int lang_from_accept(const char *h, size_t len);
/* 1234567.5 -> "1.234.567,5" (vi, sv use a space for thousands: "1 234 567,5"; en "1,234,567.5").
 * At most 2 decimals, trailing zeros dropped. */
void fmt_number(int lang, double v, char *out, size_t outsz);
/* A number as written in lang: "1.234.567,5" (vi), "1,234,567.5" (en), "1 234 567,5" (sv;
 * a no-break space too). Plain "1234.5" is read the same in every language only when it
 * cannot be a grouping (vi/sv: one dot followed by other than 3 digits). False when not a number. */
bool parse_number(int lang, const char *s, double *out);
/* YYYY-MM-DD -> dd/mm/yyyy (vi), yyyy-mm-dd (sv), dd/mm/yyyy (en). Anything else is copied,
 * cut to 10 bytes at a character boundary. */
void fmt_date(int lang, const char *iso, char out[11]);

#endif
