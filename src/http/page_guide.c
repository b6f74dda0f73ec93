/* page_guide.c: the user guide, /guide: docs/user-guide.vi.md (or .en.md) made into HTML at
 * build time (tools/md2html.awk) and compiled in. Open to everyone, linked from every page. */
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/embed.h"

int page_guide(struct rq *r)
{
    /* Vietnamese for Vietnamese, English otherwise (there is no Swedish guide) */
    bool vi = r->lang == LANG_VI;
    const struct embedded_file *f = embed_find(guide_files, vi ? "guide-vi.html" : "guide-en.html");
    if (!f)
        return page_error(r, 404, N_("Page not found."));
    page_begin(r, N_("User guide"), NULL);
    hf(r, "<div class=\"guide\" lang=\"%s\">", vi ? "vi" : "en");
    /* the fragment was escaped by md2html.awk from the repository's own guide: %R is right here */
    hf(r, "%R", (const char *)f->data);
    hf(r, "</div>");
    return page_end(r, 200);
}
