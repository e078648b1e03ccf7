/* A dossier's documents in print order, into one PDF (paper) or one per document. */
#include "render.h"
#include "documents.h"
#include "pagemap.h"
#include "../util/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*document_fn)(struct render_ctx *ctx);

static const struct document {
    const char *title_key;
    document_fn render;
} documents[DOC_KIND_COUNT] = {
    [DOC_BORDEREAU] = { "doc.bordereau", render_bordereau },
    [DOC_FORMULAIRE] = { "doc.formulaire", render_formulaire },
    [DOC_CGU] = { "doc.cgu", render_cgu },
    [DOC_PIECES] = { "doc.pieces", render_pieces_list },
    [DOC_JOINTES] = { "doc.jointes", render_attachments },
};

/* How the documents were asked to fit: the formulaire's fallback order (see
 * render_formulaire), the bordereau's type size (see render_bordereau). */
struct fit {
    bool compact;
    int tight;
};

/* One PDF holding the plan's documents [FIRST, FIRST + COUNT), laid out as FIT says.
 * *RETRY says a promise was missed (the pieces past page 2 of the formulaire, a
 * bordereau on two sheets) and FIT now says how to keep it. */
static bool render_pdf_once(const struct render_setup *s, const struct plan *plan, struct arena *scratch,
                            size_t first, size_t count, const char *title, struct fit *fit, bool *retry,
                            bool pagemap, struct rendered_file *out, struct dossier_problems *problems)
{
    struct pdf *pdf = pdf_new(s->fonts_dir, problems);
    if (!pdf)
        return false;
    pdf_set_cache(pdf, s->cache);
    struct layout layout;
    layout_init(&layout, pdf);
    struct dossier_problems found;
    diag_list_init(&found, scratch);
    struct render_ctx ctx = {
        .layout = &layout, .plan = plan, .texts = s->texts, .arena = scratch, .fonts_dir = s->fonts_dir,
        .problems = &found, .compact = fit->compact, .tight = fit->tight, .code_key = s->code_key,
        .cache = s->cache,
    };
    render_ctx_prepare(&ctx);
    out->pages = 0;
    out->documents = 0;
    for (size_t i = first; i < first + count; i++) {
        int pages = documents[plan->documents[i]].render(&ctx);
        out->pages += pages;
        out->documents += pages > 0;
        /* A bordereau on two sheets is laid out again: the rest can wait for that. */
        if (ctx.bordereau_pages > 1 && fit->tight < BORDEREAU_TIGHTEST)
            break;
    }
    const char *subject = arena_printf(scratch, "Demande n° %s — %s", plan->numero, plan->org.denomination);
    pdf_set_info(pdf, ctx_fill(&ctx, title), subject, plan->authority->name, s->creator, plan->date);
    /* A document can find a problem only it can see (an attached file that is not
     * a readable image): the dossier is then refused. */
    bool ok = found.count == 0;
    diag_append(problems, &found);
    *retry = false;
    if (ok && ctx.page2_missed && !fit->compact)
        *retry = fit->compact = true;
    else if (ok && ctx.bordereau_pages > 1 && fit->tight < BORDEREAU_TIGHTEST) {
        fit->tight++;
        *retry = true;
    }
    if (*retry)
        ok = false;
    if (ok && layout.problems) {
        diag_add(problems, "render.layout", NULL, (struct source_loc){ 0 },
                 "mise en page impossible : un texte ne tient pas dans son cadre");
        ok = false;
    }
    if (ok && pagemap) {
        /* The page map travels inside the PDF it describes, so the seal covers it and
         * a check needs the container alone. */
        size_t map_len;
        char *map = pagemap_write(&layout, plan->numero, plan->files[0].name, s->code_key, &map_len);
        char map_name[64];
        snprintf(map_name, sizeof map_name, PAGEMAP_NAME_FORMAT, plan->numero);
        ok = pdf_attach(pdf, map_name, map, map_len, "Mise en page du dossier (dossier check-scan)");
        free(map);
        if (!ok)
            diag_add(problems, "render.pagemap", NULL, (struct source_loc){ 0 },
                     "mise en page impossible à joindre au PDF (libharu)");
    }
    if (ok)
        ok = (out->data = pdf_save(pdf, &out->len, problems)) != NULL;
    diag_list_release(&found);
    layout_release(&layout);
    pdf_free(pdf);
    return ok;
}

static bool render_pdf(const struct render_setup *s, const struct plan *plan, struct arena *scratch,
                       size_t first, size_t count, const char *title, bool pagemap, struct rendered_file *out,
                       struct dossier_problems *problems)
{
    /* Rare: values so long that page 1 of the formulaire overflowed, or a list of
     * pieces so long that the bordereau took a second sheet. Lay the whole PDF out
     * again, the formulaire in its fallback order, the bordereau in smaller type,
     * rather than break the promise. */
    struct fit fit = { false, 0 };
    bool retry;
    do {
        if (render_pdf_once(s, plan, scratch, first, count, title, &fit, &retry, pagemap, out, problems))
            return true;
    } while (retry);
    return false;
}

bool render_dossier(const struct render_setup *s, const struct plan *plan, struct rendered *out,
                    struct dossier_problems *problems)
{
    memset(out, 0, sizeof *out);
    /* Everything made while rendering (filled texts, captions) goes when the PDFs
     * are done. */
    struct arena *scratch = arena_new();
    bool ok = true;
    for (size_t i = 0; ok && i < plan->file_count; i++) {
        const struct planned_file *pf = &plan->files[i];
        struct rendered_file *f = &out->files[out->count];
        f->name = pf->name;
        const char *title = plan->paper
            ? tx(s->texts, "dossier.titre")
            : arena_printf(scratch, "%s — demande n° %s", tx(s->texts, documents[plan->documents[pf->first]].title_key),
                           plan->numero);
        /* A paper dossier comes back by post: its page map lets check-scan read it. */
        ok = render_pdf(s, plan, scratch, pf->first, pf->count, title, plan->paper, f, problems);
        if (ok) {
            out->count++;
            out->pages += f->pages;
            out->documents += f->documents;
        }
    }
    arena_free(scratch);
    if (!ok)
        rendered_release(out);
    return ok;
}

bool render_print(const struct render_setup *s, const struct plan *plan, const char *name,
                  struct rendered_file *out, struct dossier_problems *problems)
{
    memset(out, 0, sizeof *out);
    out->name = name;
    struct arena *scratch = arena_new();
    bool ok = render_pdf(s, plan, scratch, 0, plan->document_count, tx(s->texts, "dossier.titre"), plan->paper,
                         out, problems);
    arena_free(scratch);
    return ok;
}

void rendered_release(struct rendered *out)
{
    for (size_t i = 0; i < out->count; i++)
        free(out->files[i].data);
    memset(out, 0, sizeof *out);
}
