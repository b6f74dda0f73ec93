/* text.c: fuzz target for the text layer (util/text.c) with any bytes: validation, NFC,
 * trimming, search folding, the Vietnamese sort key, sanitizing, search matches and
 * snippets. Input: the text, then optionally a NUL byte and a search query.
 * Beside "no crash", it checks what text.h promises. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "util/text.h"

static bool ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void check_spans(const char *s, const char *q, bool valid)
{
    struct text_span sp[8];
    int n = text_match_spans(s, q, sp, 8);
    fuzz_check(n >= 0 && n <= 8, "text_match_spans: count out of range");
    size_t len = strlen(s), prev = 0;
    for (int i = 0; i < n; i++) {
        fuzz_check(sp[i].start < sp[i].end && sp[i].end <= len && sp[i].start >= prev, "text_match_spans: span out of order");
        prev = sp[i].end;
        /* whole characters: a span never starts or ends inside one (in valid text, which is
         * what is stored and shown) */
        if (valid)
            fuzz_check(((unsigned char)s[sp[i].start] & 0xc0) != 0x80 &&
                           (sp[i].end == len || ((unsigned char)s[sp[i].end] & 0xc0) != 0x80),
                       "text_match_spans: a span cuts a character");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* text_valid takes a length: NUL bytes and all */
    bool raw_valid = text_valid((const char *)data, size);
    const uint8_t *nul = memchr(data, 0, size);
    size_t slen = nul ? (size_t)(nul - data) : size;
    char *s = xstrndup((const char *)data, slen);
    char *q = nul ? xstrndup((const char *)nul + 1, size - slen - 1) : xstrdup("");
    bool valid = text_valid(s, slen);
    fuzz_check(!raw_valid || (valid && !nul), "text_valid: accepted a NUL byte");

    char *nfc = text_nfc(s);
    char *trim = text_nfc_trim(s);
    char *fold = text_fold(s);
    char *key = text_sort_key(s);
    if (valid) {
        fuzz_check(text_valid(nfc, strlen(nfc)), "text_nfc: result is not valid text");
        char *again = text_nfc(nfc);
        fuzz_check(strcmp(again, nfc) == 0, "text_nfc: not idempotent");
        free(again);
        fuzz_check(text_valid(trim, strlen(trim)), "text_nfc_trim: result is not valid text");
        size_t tl = strlen(trim);
        fuzz_check(tl == 0 || (!ascii_space(trim[0]) && !ascii_space(trim[tl - 1])), "text_nfc_trim: not trimmed");
        fuzz_check(text_valid(fold, strlen(fold)), "text_fold: result is not valid text");
        size_t fl = strlen(fold);
        fuzz_check(fl == 0 || (fold[0] != ' ' && fold[fl - 1] != ' ' && !strstr(fold, "  ")),
                   "text_fold: spaces not collapsed");
        /* the same key for the composed and decomposed forms */
        char *key2 = text_sort_key(nfc);
        fuzz_check(strcmp(key, key2) == 0, "text_sort_key: NFC and the input give different keys");
        free(key2);
        fuzz_check(text_cp_offset(s, slen) == text_chars(s), "text_cp_offset: disagrees with text_chars");
    }
    fuzz_check(key[0] != 0, "text_sort_key: empty key");
    for (const char *c = key; *c; c++)
        fuzz_check(*c >= 0x20 && *c < 0x7f, "text_sort_key: not printable ASCII");

    char *qf = text_fold(q);
    check_spans(s, qf, valid);
    check_spans(s, q, valid); /* unfolded queries too: the function must not trust its input */
    if (valid) {
        char *snip = text_snippet(s, qf, 1 + slen % 60);
        fuzz_check(text_valid(snip, strlen(snip)), "text_snippet: result is not valid text");
        free(snip);
    }

    char *san = xstrdup(s);
    text_sanitize(san);
    fuzz_check(text_valid(san, strlen(san)), "text_sanitize: result is not valid text");

    for (int c = 0; c < 256; c += 1 + (int)(slen % 7))
        (void)text_hex_digit(c);

    free(san);
    free(qf);
    free(key);
    free(fold);
    free(trim);
    free(nfc);
    free(q);
    free(s);
    return 0;
}
