/* A dossier's documents in print order, into one PDF (paper) or one per document. */
#include "dossier.h"
#include "documents.h"
#include "../util/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*document_fn)(struct render_ctx *ctx);

struct document {
    const char *file_prefix;    /* demat file name: PREFIX-N.pdf */
    const char *title_key;
    document_fn render;
    bool paper_only;
    bool needs_joined_piece;    /* omitted when no file is supplied */
};

static const struct document documents[] = {
    { "bordereau", "doc.bordereau", render_bordereau, true, false },
    { "formulaire", "doc.formulaire", render_formulaire, false, false },
    { "cgu", "doc.cgu", render_cgu, false, false },
    { "pieces", "doc.pieces", render_pieces_list, false, false },
    { "jointes", "doc.jointes", render_attachments, false, true },
};

static bool has_joined_piece(const struct plan *plan)
{
    for (size_t i = 0; i < plan->piece_count; i++)
        if (plan->pieces[i].joined)
            return true;
    return false;
}

static void problem(struct request *r, const char *code, const char *message)
{
    diag_add(&r->problems, code, NULL, request_record_loc(r), "%s", message);
}

/* One PDF holding DOCS[first..last); false with a problem added to R on failure.
 * COMPACT asks the formulaire for its fallback order (see render_formulaire);
 * *RETRY_COMPACT says the normal order missed its page-2 promise. */
static bool render_pdf_once(const struct render_setup *s, struct request *r, struct plan *plan,
                            struct arena *scratch, size_t first, size_t last, const char *title,
                            bool compact, bool *retry_compact, struct rendered_file *out)
{
    struct pdf pdf;
    const char *why = NULL;
    if (!pdf_open(&pdf, s->fonts_dir, &why)) {
        problem(r, "render.font", why);
        return false;
    }
    const struct authority *a = &s->catalogue->authority;
    struct layout layout;
    layout_init(&layout, &pdf, a->name,
                *a->address ? arena_printf(scratch, "%s, %s %s — %s — %s", a->address, a->postcode, a->city,
                                           a->phone, a->website) : NULL);
    struct render_ctx ctx = {
        .layout = &layout, .plan = plan, .request = r, .catalogue = s->catalogue,
        .texts = s->texts, .arena = scratch, .fonts_dir = s->fonts_dir, .compact = compact,
    };
    render_ctx_prepare(&ctx, s->date);
    out->pages = 0;
    out->documents = 0;
    /* A document can find a problem only it can see (an attached file that is not
     * a readable image): the record is then rejected. */
    size_t problems_before = r->problems.count;
    for (size_t i = first; i < last; i++) {
        if (documents[i].paper_only && !plan->paper)
            continue;
        int pages = documents[i].render(&ctx);
        out->pages += pages;
        out->documents += pages > 0;
    }
    const char *subject = arena_printf(scratch, "Demande n° %s — %s", ctx.numero,
                                       request_get(r, F_ORG_DENOMINATION));
    pdf_set_info(&pdf, ctx_fill(&ctx, title), subject, a->name, s->creator, s->date);
    bool ok = r->problems.count == problems_before;
    *retry_compact = ok && ctx.page2_missed && !compact;
    if (*retry_compact)
        ok = false;
    if (ok && layout.problems) {
        problem(r, "render.layout", "mise en page impossible : un texte ne tient pas dans son cadre");
        ok = false;
    }
    if (ok) {
        out->data = pdf_save(&pdf, &out->len);
        if (!out->data) {
            char msg[160];
            snprintf(msg, sizeof msg, "écriture du PDF impossible (libharu : erreur 0x%04X, détail %u)",
                     (unsigned)pdf.error, (unsigned)pdf.error_detail);
            problem(r, "render.pdf", msg);
            ok = false;
        }
    }
    layout_release(&layout);
    pdf_close(&pdf);
    return ok;
}

static bool render_pdf(const struct render_setup *s, struct request *r, struct plan *plan,
                       struct arena *scratch, size_t first, size_t last, const char *title,
                       struct rendered_file *out)
{
    bool retry = false;
    if (render_pdf_once(s, r, plan, scratch, first, last, title, false, &retry, out))
        return true;
    /* Rare: values so long that page 1 overflowed. Lay the whole PDF out again with
     * the formulaire's fallback order rather than break the page-2 promise. */
    return retry && render_pdf_once(s, r, plan, scratch, first, last, title, true, &retry, out);
}

bool dossier_render(const struct render_setup *s, struct request *r, bool paper, struct rendered *out)
{
    memset(out, 0, sizeof *out);
    /* Everything made while rendering (plan, filled texts, captions) goes when the
     * PDFs are done: a batch of thousands keeps only the records themselves. */
    struct arena *scratch = arena_new();
    struct plan *plan = arena_alloc(scratch, sizeof *plan);
    plan_make(plan, r, s->catalogue, paper, tx(s->texts, "pieces.id"), tx(s->texts, "pieces.delegation"));
    const char *numero = request_get(r, F_NUMERO);
    size_t n = sizeof documents / sizeof *documents;
    if (paper) {
        struct rendered_file *f = &out->files[out->count];
        snprintf(f->name, sizeof f->name, "dossier-%s.pdf", numero);
        if (!render_pdf(s, r, plan, scratch, 0, n, tx(s->texts, "dossier.titre"), f))
            goto fail;
        out->count++;
    } else {
        for (size_t i = 0; i < n; i++) {
            if (documents[i].paper_only || (documents[i].needs_joined_piece && !has_joined_piece(plan)))
                continue;
            struct rendered_file *f = &out->files[out->count];
            snprintf(f->name, sizeof f->name, "%s-%s.pdf", documents[i].file_prefix, numero);
            const char *title = arena_printf(scratch, "%s — demande n° %s", tx(s->texts, documents[i].title_key), numero);
            if (!render_pdf(s, r, plan, scratch, i, i + 1, title, f))
                goto fail;
            out->count++;
        }
    }
    for (size_t i = 0; i < out->count; i++)
        out->pages += out->files[i].pages;
    for (size_t i = 0; i < out->count; i++)
        out->documents += out->files[i].documents;
    arena_free(scratch);
    return true;
fail:
    arena_free(scratch);
    rendered_release(out);
    return false;
}

void rendered_release(struct rendered *out)
{
    for (size_t i = 0; i < out->count; i++)
        free(out->files[i].data);
    memset(out, 0, sizeof *out);
}
