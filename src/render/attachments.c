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

/* One supplied file and the planned pieces it stands for: one file may cover
 * several of them (an acte de nomination for each act the rules list). */
struct attachment {
    int field;                          /* F_PCE_... */
    const struct planned_piece *piece;  /* the first it stands for: whom, identity */
    const char *labels;                 /* the labels of all, "; "-separated */
};

/* True when a planned piece before the Ith has the same field and label. */
static bool label_seen(const struct plan *p, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (p->pieces[j].field == p->pieces[i].field && strcmp(p->pieces[j].label, p->pieces[i].label) == 0)
            return true;
    return false;
}

/* The attachments in plan order, each field once; returns their count. */
static size_t collect_attachments(struct render_ctx *ctx, struct attachment *out)
{
    const struct plan *p = ctx->plan;
    size_t n = 0;
    for (size_t i = 0; i < p->piece_count; i++) {
        const struct planned_piece *pc = &p->pieces[i];
        if (!pc->joined)
            continue;
        size_t k = 0;
        while (k < n && out[k].field != pc->field)
            k++;
        if (k == n)
            out[n++] = (struct attachment){ pc->field, pc, pc->label };
        else if (!label_seen(p, i))
            out[k].labels = arena_printf(ctx->arena, "%s ; %s", out[k].labels, pc->label);
    }
    return n;
}

static const char *kind_of(struct render_ctx *ctx, int field)
{
    switch (field) {
    case F_PCE_ID_TITULAIRE:
    case F_PCE_ID_RL:
    case F_PCE_ID_DELEGATAIRE:
        return ctx_text(ctx, "jointes.type.identite");
    case F_PCE_DELEGATION:
        return ctx_text(ctx, "jointes.type.delegation");
    default:
        return ctx_text(ctx, "jointes.type.acte");
    }
}

/* "Pièce d’identité — Chloé Müller (titulaire)"; the acte's kind already says whose. */
static const char *caption_of(struct render_ctx *ctx, const struct attachment *a)
{
    const struct person *whom = a->piece->whom;
    if (!whom)
        return arena_printf(ctx->arena, "%s — %s", kind_of(ctx, a->field),
                            request_get(ctx->request, F_ORG_DENOMINATION));
    const char *name = person_name(ctx->arena, whom);
    if (a->field == F_PCE_ACTE_NOMINATION)
        return arena_printf(ctx->arena, "%s — %s", kind_of(ctx, a->field), name);
    return arena_printf(ctx->arena, "%s — %s (%s)", kind_of(ctx, a->field), name, role_label(ctx, whom));
}

static const char *file_line(struct render_ctx *ctx, const struct attachment *a, size_t page, size_t count)
{
    const char *rel = request_get(ctx->request, (enum field_id)a->field);
    const char *slash = rel ? strrchr(rel, '/') : NULL;
    const char *base = slash ? slash + 1 : rel ? rel : "";
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
    HPDF_Page_SetGrayFill(l->page, 0);
    l->y -= layout_draw_wrapped(l, l->left, l->y, w, STYLE_BOLD, CAPTION_SIZE, c->title) + 2;
    HPDF_Page_SetGrayFill(l->page, GRAY_NOTE);
    l->y -= layout_draw_wrapped(l, l->left, l->y, w, STYLE_REGULAR, SIZE_SMALL, c->detail);
    l->y -= layout_draw_wrapped(l, l->left, l->y, w, STYLE_REGULAR, SIZE_SMALL, c->file);
    HPDF_Page_SetGrayFill(l->page, 0);
    l->y -= IMAGE_GAP;
}

/* Paper flow: the person certifies the copy by hand, on the copy itself. */
static const char *signature_label(struct render_ctx *ctx, const struct person *who)
{
    return arena_printf(ctx->arena, "%s\n%s (%s)", ctx_text(ctx, "jointes.signature"),
                        person_name(ctx->arena, who), role_label(ctx, who));
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
    HPDF_Page_SetGrayFill(l->page, 0);
    y -= layout_draw_wrapped(l, l->left, y, content_width(l), STYLE_BOLD, SIZE_BODY,
                             ctx_text(ctx, "jointes.conforme"));
    y -= 6;
    layout_rect(l, l->left, y - SIGNATURE_BOX_H, SIGNATURE_BOX_W, SIGNATURE_BOX_H, -1, true);
    HPDF_Page_SetGrayFill(l->page, GRAY_NOTE);
    layout_draw_wrapped(l, l->left + 4, y - 3, SIGNATURE_BOX_W - 8, STYLE_REGULAR, SIZE_SMALL,
                        signature_label(ctx, who));
    HPDF_Page_SetGrayFill(l->page, 0);
}

static void add_problem(struct render_ctx *ctx, int field, const char *code, const char *message)
{
    /* The request is the caller's to reject: render_pdf fails once a problem is added. */
    struct request *r = (struct request *)ctx->request;
    diag_add(&r->problems, code, field_table[field].name, request_loc(r, (enum field_id)field), "« %s » : %s",
             request_get(r, (enum field_id)field), message);
}

/* Draws IMAGE fitted in the box from TOP down to BOTTOM, centred across; at the top
 * of the box when something follows it, else centred in it. Returns its bottom. */
static float place_image(struct layout *l, HPDF_Image image, const struct raster_page *rp, float top,
                         float bottom, bool at_top)
{
    float box_w = content_width(l), box_h = top - bottom;
    float scale = box_w / (float)rp->width_px;
    if ((float)rp->height_px * scale > box_h)
        scale = box_h / (float)rp->height_px;
    float w = (float)rp->width_px * scale, h = (float)rp->height_px * scale;
    float x = l->left + (box_w - w) / 2;
    float y = at_top ? top - h : top - (box_h - h) / 2 - h;
    HPDF_Page_DrawImage(l->page, image, x, y, w, h);
    layout_rect(l, x, y, w, h, -1, true);
    return y;
}

/* The pages of one file; a file that cannot be rasterised adds a problem. */
static void render_attachment(struct render_ctx *ctx, const struct attachment *a, bool *page_free)
{
    struct layout *l = ctx->layout;
    const struct request *r = ctx->request;
    size_t slot = (size_t)(a->field - F_PCE_ID_TITULAIRE);
    const char *path = r->facts.piece_path[slot];
    if (!path) {
        add_problem(ctx, a->field, "piece.missing", "fichier non résolu par la validation");
        return;
    }
    bool conforme = ctx->plan->paper && a->piece->identity && a->piece->whom;
    const char *detail = arena_printf(ctx->arena, "%s : %s", ctx_text(ctx, "jointes.demandee"), a->labels);
    /* The box is sized with the longest file line the pages can have. */
    struct caption c = {
        caption_of(ctx, a), detail, file_line(ctx, a, RASTER_MAX_PAGES, RASTER_MAX_PAGES),
    };
    float reserve = conforme ? conforme_height(ctx) : 0;
    float box_h = (l->top - l->bottom) - caption_height(l, &c) - reserve;
    /* Captions come from the record: however long, the copy keeps a readable size
     * (and a positive one) or the record is refused rather than overprinted. */
    if (box_h < MM(60)) {
        add_problem(ctx, a->field, "render.layout", "légende trop longue : la copie de la pièce ne tient plus sur la page");
        return;
    }

    struct raster_options options = {
        .watermark = ctx_text(ctx, "jointes.filigrane"),
        .fonts_dir = ctx->fonts_dir,
        .max_width_pt = content_width(l),
        .max_height_pt = box_h,
    };
    struct raster_pages pages;
    struct raster_error err;
    if (!raster_load_piece(path, r->facts.piece_type[slot], &options, &pages, &err)) {
        add_problem(ctx, a->field, err.code, err.message);
        return;
    }
    for (size_t i = 0; i < pages.count; i++) {
        if (!*page_free)
            layout_new_page(l);
        *page_free = false;
        c.file = file_line(ctx, a, i + 1, pages.count);
        draw_caption(l, &c);
        const struct raster_page *rp = &pages.pages[i];
        /* libharu copies the bytes into the image's own stream (2.3.0,
         * HPDF_Image_LoadJpegImageFromMem): they can be freed before saving. */
        HPDF_Image image = HPDF_LoadJpegImageFromMem(l->pdf->doc, rp->jpeg, (HPDF_UINT)rp->jpeg_len);
        if (!image) {
            add_problem(ctx, a->field, "render.image", "image impossible à incorporer au PDF (libharu)");
            break;
        }
        float bottom = place_image(l, image, rp, l->y, l->bottom + reserve, conforme);
        if (conforme)
            draw_conforme(ctx, a->piece->whom, bottom);
    }
    raster_pages_release(&pages);
}

int render_attachments(struct render_ctx *ctx)
{
    struct attachment attachments[PLAN_MAX_PIECES];
    size_t n = collect_attachments(ctx, attachments);
    if (n == 0)
        return 0;
    struct layout *l = ctx->layout;
    struct doc_frame frame = { ctx->numero, "PJ", ctx_text(ctx, "doc.jointes"), NULL, { NULL, NULL } };
    layout_begin_document(l, &frame);
    bool page_free = true;      /* the document's first page is still empty */
    for (size_t i = 0; i < n; i++)
        render_attachment(ctx, &attachments[i], &page_free);
    return layout_end_document(l);
}
