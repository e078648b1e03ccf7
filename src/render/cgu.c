/* The CGU: the general terms of use from templates/cgu.xml, version on every page. */
#include "documents.h"
#include "../util/arena.h"

#define CGU_SIZE 8.8f

int render_cgu(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct cgu *c = &ctx->texts->cgu;
    const char *note = arena_printf(ctx->arena, "Version %s du %s", c->version, c->date_words);
    struct doc_frame frame;
    ctx_frame(ctx, &frame, "CGU", "doc.cgu", note, ctx->plan->paper);
    layout_begin_document(l, &frame.furniture);
    layout_title(l, c->title, arena_printf(ctx->arena, "%s — %s", ctx->plan->authority->legal_name, note));
    for (size_t i = 0; i < c->preamble_count; i++)
        layout_paragraph(l, ctx_fill(ctx, c->preamble[i]), STYLE_REGULAR, CGU_SIZE, 0);
    for (size_t i = 0; i < c->article_count; i++) {
        const struct cgu_article *art = &c->articles[i];
        /* An article title never ends a page: it keeps three lines of its text. */
        layout_ensure(l, 10 * LEADING + 4 + 3 * CGU_SIZE * LEADING);
        l->y -= 4;
        layout_paragraph(l, arena_printf(ctx->arena, "Article %s – %s", art->number, art->title),
                         STYLE_BOLD, 10, 0);
        for (size_t b = 0; b < art->block_count; b++) {
            const struct cgu_block *blk = &art->blocks[b];
            if (!blk->item) {
                layout_paragraph(l, ctx_fill(ctx, blk->text), STYLE_REGULAR, CGU_SIZE, 0);
                continue;
            }
            /* "Terme : définition" keeps its space before the colon. */
            const char *lead = blk->term ? arena_printf(ctx->arena, "%s ", blk->term) : NULL;
            layout_bullet(l, lead, ctx_fill(ctx, blk->text), 8);
        }
    }
    return layout_end_document(l);
}
