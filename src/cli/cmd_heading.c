/* cmd_heading.c: `dvk heading set|show`, the heading block of a unit's report files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "http/i18n.h"
#include "service/report_service.h"

/* The usage, in lang (the locale's when < 0): the synopsis, then what it does, with the
 * heading drawn in Vietnamese as it is printed. */
static void usage(FILE *f, int lang)
{
    static const char *const desc[] = {
        N_("The heading of the report files of a unit (without --unit, the whole country), as in"),
        NULL};
    static const char *const more[] = {
        N_("--style state writes the state's motto and \"Số: 12/BC-...\" instead."),
        N_("Names are stored in capitals. Without a stored heading, show prints the one inferred from the unit's name."),
        NULL};
    cli_usage(f, lang,
              "dvk heading show --db PATH --hierarchy 2024|2025 [--unit CODE] [--lang vi|en|sv]\n"
              "       dvk heading set  --db PATH --hierarchy 2024|2025 [--unit CODE] --body TEXT --place TEXT\n"
              "                        [--superior TEXT] [--symbol SYM] [--style party|state]\n",
              desc);
    fputs("  TỈNH ỦY QUẢNG NAM (--superior)         ĐẢNG CỘNG SẢN VIỆT NAM (--style party)\n"
          "  BAN DÂN VẬN (--body)                   Tam Kỳ (--place), ngày .. tháng .. năm ....\n"
          "  Số 12-BC/BDVTU (--symbol)\n",
          f);
    for (int i = 0; more[i]; i++)
        fprintf(f, "%s\n", T(lang < 0 ? cli_lang(NULL) : lang, more[i]));
}

static void print_heading(const struct report_heading *h)
{
    printf("superior: %s\nbody: %s\nsymbol: %s\nplace: %s\nstyle: %s\n", h->superior, h->body, h->symbol, h->place,
           h->style == HEADING_STATE ? "state" : "party");
}

static int show(struct store *st, int hierarchy, const char *unit, int lang)
{
    struct report_heading h;
    bool stored = false;
    int rc = report_heading_of(st, hierarchy, unit, &h, &stored);
    if (rc == SVC_NOTFOUND) {
        fprintf(stderr, "dvk heading: --unit: %s\n", T(lang, "Unknown unit."));
        return 2;
    }
    if (rc)
        return 1;
    print_heading(&h);
    if (!stored)
        fprintf(stderr, "dvk heading: %s\n", T(lang, "Not stored: inferred from the unit's name."));
    return 0;
}

int cmd_heading(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout, -1);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    argv[1] = NULL;
    bool set = strcmp(sub, "set") == 0;
    if (!set && strcmp(sub, "show") != 0) {
        usage(stderr, -1);
        return 2;
    }
    const char *db = opt(argc, argv, "--db"), *h = opt(argc, argv, "--hierarchy"), *lang_s = opt(argc, argv, "--lang");
    struct report_heading_in in = {0};
    in.unit_code = opt(argc, argv, "--unit");
    if (set) {
        in.superior = opt(argc, argv, "--superior");
        in.body = opt(argc, argv, "--body");
        in.symbol = opt(argc, argv, "--symbol");
        in.place = opt(argc, argv, "--place");
        in.style = opt(argc, argv, "--style");
    }
    if (leftovers(argc, argv, "heading"))
        return 2;
    int lang = cli_lang(lang_s);
    if (!db || !h || lang < 0) {
        usage(stderr, lang);
        return 2;
    }
    i18n_init();
    in.hierarchy = atoi(h);
    if (strcmp(h, "2024") && strcmp(h, "2025")) {
        fprintf(stderr, "dvk heading: --hierarchy: %s\n", T(lang, "The hierarchy must be 2024 or 2025."));
        return 2;
    }
    struct store *st = store_open(db);
    if (!st)
        return 1;
    int rc;
    if (!set) {
        rc = show(st, in.hierarchy, in.unit_code, lang);
        st->ops->close(st);
        return rc;
    }
    struct actor sys;
    actor_system(&sys);
    struct report_heading out;
    struct verrs v = {0};
    rc = svc_heading_set(st, &sys, &in, &out, &v);
    st->ops->close(st);
    if (rc == SVC_NOTFOUND) {
        fprintf(stderr, "dvk heading: --unit: %s\n", T(lang, "Unknown unit."));
        return 2;
    }
    if (rc == SVC_INVALID) {
        for (int i = 0; i < v.n; i++)
            fprintf(stderr, "dvk heading: --%s: %s\n", v.e[i].field, T(lang, v.e[i].msg));
        return 2;
    }
    if (rc) {
        fprintf(stderr, "dvk heading: %s\n", T(lang, "Something went wrong; nothing was changed."));
        return 1;
    }
    print_heading(&out);
    return 0;
}
