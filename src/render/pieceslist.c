/* The liste des pièces justificatives: what this organisation must provide, each
 * marked "joint" or "à fournir". */
#include "documents.h"

int render_pieces_list(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct plan *p = ctx->plan;
    struct doc_frame frame;
    ctx_frame(ctx, &frame, "LPJ", "doc.pieces", NULL, false);
    layout_begin_document(l, &frame.furniture);
    layout_title(l, ctx_text(ctx, "pieces.titre"), ctx_text(ctx, "pieces.sous_titre"));
    layout_paragraph(l, ctx_text(ctx, "pieces.intro"), STYLE_REGULAR, SIZE_BODY, 0);
    l->y -= 4;
    render_pieces_table(ctx);
    if (p->rule->note)
        layout_paragraph(l, ctx_fill(ctx, p->rule->note), STYLE_REGULAR, SIZE_BODY, 0);
    /* From when "de moins de trois mois" counts, and which nomination counts. */
    layout_paragraph(l, ctx_text(ctx, "pieces.validite"), STYLE_REGULAR, SIZE_BODY, 0);
    layout_paragraph(l, ctx_text(ctx, p->paper ? "pieces.note_papier" : "pieces.note_demat"),
                     STYLE_REGULAR, SIZE_BODY, 0);
    l->y -= 6;
    layout_paragraph(l, ctx_text(ctx, "pieces.version"), STYLE_REGULAR, SIZE_SMALL, 0);
    return layout_end_document(l);
}
