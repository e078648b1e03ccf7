/* The "Pièces jointes" document: every supplied file, page by page, upright and
 * watermarked, fitted to its own PDF page under a caption saying what it is and
 * whose; in the paper flow, a "certifié conforme" line and a signature box under
 * each identity copy. */
#include "documents.h"
#include "raster.h"
#include "../util/arena.h"

#include <string.h>

#define CAPTION_SIZE SIZE_SECTION
#define IMAGE_GAP 8.0f          /* between the caption and the image */
#define CONFORME_GAP 12.0f      /* between the image and the "certifié conforme" line */
#define SIGNATURE_BOX_W MM(85)
#define SIGNATURE_BOX_H MM(24)
#define GRAY_NOTE 0.35f

static const char *kind_of(struct render_ctx *ctx, const struct attachment *a)
{
    static const char *const sides[] = {
        [SIDE_WHOLE] = "jointes.type.identite", [SIDE_RECTO] = "jointes.type.recto", [SIDE_VERSO] = "jointes.type.verso",
    };
    return ctx_text(ctx, a->kind == ATTACH_IDENTITY ? sides[a->side] : "jointes.type.delegation");
}

/* "Pièce d’identité, verso — Chloé Müller, titulaire"; an act's page names the act
 * itself, and whom it concerns ("Extrait Kbis de moins de trois mois — Brindille & Cie"). */
static const char *caption_of(struct render_ctx *ctx, const struct attachment *a)
{
    if (a->kind == ATTACH_ACT)
        return arena_printf(ctx->arena, "%s — %s", a->title, a->whom ? a->whom->name : ctx->plan->org.denomination);
    if (!a->whom)
        return arena_printf(ctx->arena, "%s — %s", kind_of(ctx, a), ctx->plan->org.denomination);
    return arena_printf(ctx->arena, "%s — %s", kind_of(ctx, a), person_role(ctx, a->whom));
}

static const char *file_line(struct render_ctx *ctx, const struct attachment *a, size_t page, size_t count)
{
    const char *slash = strrchr(a->given, '/');
    const char *base = slash ? slash + 1 : a->given;
    if (count <= 1)
        return arena_printf(ctx->arena, "%s : %s", ctx_text(ctx, "jointes.fichier"), base);
    return arena_printf(ctx->arena, "%s : %s — page %zu / %zu", ctx_text(ctx, "jointes.fichier"), base, page, count);
}

struct caption {
    const char *title, *detail, *file;
};

static float content_width(const struct layout *l)
{
    return l->right - l->left;
}

static float caption_height(struct layout *l, const struct caption *c)
{
    float w = content_width(l);
    return layout_text_height(l, STYLE_BOLD, CAPTION_SIZE, c->title, w) + 2 +
           layout_text_height(l, STYLE_REGULAR, SIZE_SMALL, c->detail, w) +
           layout_text_height(l, STYLE_REGULAR, SIZE_SMALL, c->file, w) + IMAGE_GAP;
}

static void draw_caption(struct layout *l, const struct caption *c)
{
    float w = content_width(l);
    layout_gray(l, 0);
    l->y -= layout_draw_wrapped(l, l->left, l->y, w, STYLE_BOLD, CAPTION_SIZE, c->title) + 2;
    layout_gray(l, GRAY_NOTE);
    l->y -= layout_draw_wrapped(l, l->left, l->y, w, STYLE_REGULAR, SIZE_SMALL, c->detail);
    l->y -= layout_draw_wrapped(l, l->left, l->y, w, STYLE_REGULAR, SIZE_SMALL, c->file);
    layout_gray(l, 0);
    l->y -= IMAGE_GAP;
}

/* Paper flow: the person certifies the copy by hand, on the copy itself. */
static const char *signature_label(struct render_ctx *ctx, const struct person *who)
{
    return arena_printf(ctx->arena, "%s\n%s", ctx_text(ctx, "jointes.signature"), person_role(ctx, who));
}

static float conforme_height(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    return CONFORME_GAP + layout_text_height(l, STYLE_BOLD, SIZE_BODY, ctx_text(ctx, "jointes.conforme"),
                                             content_width(l)) + 6 + SIGNATURE_BOX_H;
}

static void draw_conforme(struct render_ctx *ctx, const struct person *who, float top)
{
    struct layout *l = ctx->layout;
    float y = top - CONFORME_GAP;
    layout_gray(l, 0);
    y -= layout_draw_wrapped(l, l->left, y, content_width(l), STYLE_BOLD, SIZE_BODY,
                             ctx_text(ctx, "jointes.conforme"));
    y -= 6;
    layout_rect(l, l->left, y - SIGNATURE_BOX_H, SIGNATURE_BOX_W, SIGNATURE_BOX_H, -1, true);
    layout_mark_here(l, MARK_CERTIFIE, who->name, role_key(who->role) + 5, l->left, y - SIGNATURE_BOX_H,
                     SIGNATURE_BOX_W, SIGNATURE_BOX_H);
    layout_gray(l, GRAY_NOTE);
    layout_draw_wrapped(l, l->left + 4, y - 3, SIGNATURE_BOX_W - 8, STYLE_REGULAR, SIZE_SMALL,
                        signature_label(ctx, who));
    layout_gray(l, 0);
}

/* Problems of a file go to the record, at the piece field that named it. */
static struct diag_target target_of(struct render_ctx *ctx, const struct attachment *a)
{
    return (struct diag_target){ ctx->problems, a->field, a->loc, a->given };
}

/* Draws IMAGE fitted in the box from TOP down to BOTTOM, centred across; at the top
 * of the box when something follows it, else centred in it. Returns its bottom. */
static float place_image(struct layout *l, const struct raster_page *rp, float top, float bottom, bool at_top,
                         bool *ok)
{
    float box_w = content_width(l), box_h = top - bottom;
    float scale = box_w / (float)rp->width_px;
    if ((float)rp->height_px * scale > box_h)
        scale = box_h / (float)rp->height_px;
    float w = (float)rp->width_px * scale, h = (float)rp->height_px * scale;
    float x = l->left + (box_w - w) / 2;
    float y = at_top ? top - h : top - (box_h - h) / 2 - h;
    *ok = pdf_image_jpeg(l->pdf, l->page, rp->jpeg, rp->jpeg_len, x, y, w, h);
    layout_rect(l, x, y, w, h, -1, true);
    return y;
}

/* The pages of one file; a file that cannot be rasterised adds a problem. */
static void render_attachment(struct render_ctx *ctx, const struct attachment *a, bool *page_free,
                              struct raster_watermark *watermark)
{
    struct layout *l = ctx->layout;
    struct diag_target target = target_of(ctx, a);
    const char *detail = arena_printf(ctx->arena, "%s : %s", ctx_text(ctx, "jointes.demandee"), a->labels);
    /* The box is sized with the longest file line the pages can have. */
    struct caption c = {
        caption_of(ctx, a), detail, file_line(ctx, a, RASTER_MAX_PAGES, RASTER_MAX_PAGES),
    };
    float reserve = a->conforme ? conforme_height(ctx) : 0;
    float box_h = (l->top - l->bottom) - caption_height(l, &c) - reserve;
    /* Captions come from the record: however long, the copy keeps a readable size
     * (and a positive one) or the record is refused rather than overprinted. */
    if (box_h < MM(60)) {
        diag_report(&target, "render.layout", "légende trop longue : la copie de la pièce ne tient plus sur la page");
        return;
    }

    struct raster_options options = {
        .watermark = ctx_text(ctx, "jointes.filigrane"),
        .fonts_dir = ctx->fonts_dir,
        .max_width_pt = content_width(l),
        .max_height_pt = box_h,
        .kept = watermark,
    };
    struct raster_pages pages;
    if (!raster_load_piece(a->path, a->type, &options, &pages, &target))
        return;
    for (size_t i = 0; i < pages.count; i++) {
        if (!*page_free)
            layout_new_page(l);
        *page_free = false;
        c.file = file_line(ctx, a, i + 1, pages.count);
        draw_caption(l, &c);
        bool ok;
        float bottom = place_image(l, &pages.pages[i], l->y, l->bottom + reserve, a->conforme, &ok);
        if (!ok) {
            diag_report(&target, "render.image", "image impossible à incorporer au PDF (libharu)");
            break;
        }
        if (a->conforme)
            draw_conforme(ctx, a->whom, bottom);
    }
    raster_pages_release(&pages);
}

int render_attachments(struct render_ctx *ctx)
{
    const struct plan *p = ctx->plan;
    if (p->attachment_count == 0)
        return 0;
    struct layout *l = ctx->layout;
    struct doc_frame frame;
    ctx_frame(ctx, &frame, "PJ", "doc.jointes", NULL, false);
    layout_begin_document(l, &frame.furniture);
    bool page_free = true;      /* the document's first page is still empty */
    struct raster_watermark watermark = { 0 };  /* the same text on every piece */
    for (size_t i = 0; i < p->attachment_count; i++)
        render_attachment(ctx, &p->attachments[i], &page_free, &watermark);
    raster_watermark_release(&watermark);
    return layout_end_document(l);
}
