/* The bordereau d'envoi (paper flow): address for a window envelope, summary,
 * checklist of what goes in the envelope, and the steps to follow, on one page. */
#include "documents.h"
#include "../util/arena.h"
#include "../util/french.h"

#include <stdio.h>
#include <string.h>

/* Address block for a DL envelope with a right-hand window (French usage): 110 mm
 * from the left edge, 50 mm from the top, 85 x 35 mm. */
#define WINDOW_X MM(110)
#define WINDOW_TOP (PAGE_HEIGHT - MM(50))
#define WINDOW_W MM(85)

static float address_lines(struct layout *l, float x, float top, float w, float size,
                           const char *const *lines, size_t n, enum font_style first_style)
{
    float y = top;
    for (size_t i = 0; i < n; i++) {
        if (!lines[i] || !*lines[i])
            continue;
        y -= layout_draw_wrapped(l, x, y, w, i == 0 ? first_style : STYLE_REGULAR, size, lines[i]);
    }
    return top - y;
}

static float address_height(struct layout *l, float w, float size, const char *const *lines, size_t n,
                            enum font_style first_style)
{
    float h = 0;
    for (size_t i = 0; i < n; i++)
        if (lines[i] && *lines[i])
            h += layout_text_height(l, i == 0 ? first_style : STYLE_REGULAR, size, lines[i], w);
    return h;
}

/* The largest size (9 pt down to 7 pt) at which LINES fit in HEIGHT; 0 if none. */
static float address_size(struct layout *l, float w, float height, const char *const *lines, size_t n)
{
    for (float size = SIZE_BODY; size >= 7.0f; size -= 0.5f)
        if (address_height(l, w, size, lines, n, STYLE_BOLD) <= height)
            return size;
    return 0;
}

/* Type size of the checklist and steps at fit level TIGHT: the bordereau is one
 * sheet, so a long list takes smaller type rather than a second page. */
static float body_size(int tight)
{
    return SIZE_BODY - 0.5f * (float)tight;
}

/* A tick box, TEXT, and the piece's STATUS in a column of its own at the right. */
static void checklist_row(struct render_ctx *ctx, const char *text, const char *status, bool missing)
{
    struct layout *l = ctx->layout;
    float size = body_size(ctx->tight), box = size - 0.5f;
    float x = l->left + 6, right = l->right - 6;
    float status_w = status ? MM(24) : 0;
    float tx = x + box + 5, tw = right - status_w - tx;
    float h = layout_text_height(l, STYLE_REGULAR, size, text, tw);
    float row = (h > box ? h : box) + 3 - 0.5f * (float)ctx->tight;
    layout_ensure(l, row);
    pdf_rect(l->page, x, l->y - box - 0.5f, box, box, 0.7f, 0.2f, -1);
    layout_gray(l, 0);
    layout_draw_wrapped(l, tx, l->y, tw, STYLE_REGULAR, size, text);
    if (status) {
        enum font_style style = missing ? STYLE_BOLD : STYLE_REGULAR;
        float sw = pdf_text_width(l->pdf, style, size, status, strlen(status));
        pdf_text(l->pdf, l->page, right - sw, l->y - size, style, size, status, strlen(status));
    }
    l->y -= row;
}

/* The checklist line of piece PC: an ID copy names its person ("de la pièce d'identité
 * d'Odile Garnier, représentante légale"); an act is the organisation's own. */
static const char *checklist_text(struct render_ctx *ctx, const struct planned_piece *pc)
{
    if (!pc->identity)
        return pc->label;
    const struct fill person = { "de_personne", fr_de(ctx->arena, person_role(ctx, pc->whom)) };
    return tx_fill(ctx->arena, tx(ctx->texts, "bordereau.piece_id"), &person, 1);
}

/* Who signs: "Chloé Müller, titulaire, et Ștefan Popescu, délégataire". */
static const char *signers_text(struct render_ctx *ctx)
{
    const struct plan *p = ctx->plan;
    if (!p->signatories[1])
        return arena_printf(ctx->arena, "%s, %s", person_role(ctx, p->signatories[0]),
                            ctx_gendered(ctx, p->holder_is_rl ? "role.rl" : "role.delegataire", p->signatories[0]));
    return arena_printf(ctx->arena, "%s, et %s", person_role(ctx, p->signatories[0]), person_role(ctx, p->signatories[1]));
}

int render_bordereau(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct plan *p = ctx->plan;
    struct arena *a = ctx->arena;
    struct doc_frame frame;
    ctx_frame(ctx, &frame, "BOR", "doc.bordereau", NULL, false);
    layout_begin_document(l, &frame.furniture);

    /* Sender, top left. */
    const char *sender_label = ctx_text(ctx, "bordereau.expediteur");
    float y = l->y - layout_text_height(l, STYLE_REGULAR, SIZE_SMALL, sender_label, MM(80));
    /* Address lines in the order of NF Z 10-011: the building (complement) above the
     * street, the lieu-dit or BP below it. */
    const char *sender[] = {
        p->org.denomination, p->org.etablissement, p->org.complement, p->org.adresse, p->org.lieu_dit,
        arena_printf(a, "%s %s", p->org.code_postal, p->org.ville),
    };
    size_t n_sender = sizeof sender / sizeof *sender;
    /* The sender keeps the space above the title; a long one takes the title's place
     * (the title then goes below the window), smaller type if need be, and never
     * runs into what follows. */
    float title_top = PAGE_HEIGHT - MM(55), window_bottom = PAGE_HEIGHT - MM(86);
    float size = address_size(l, MM(80), y - title_top - 2, sender, n_sender);
    bool title_beside = size > 0;
    if (!title_beside)
        size = address_size(l, MM(80), y - window_bottom, sender, n_sender);
    /* Beyond that (pathologically long address lines), it flows below the window. */
    bool sender_below = size == 0;
    if (!sender_below) {
        layout_gray(l, 0.3f);
        layout_draw_wrapped(l, l->left, l->y, MM(80), STYLE_REGULAR, SIZE_SMALL, sender_label);
        layout_gray(l, 0);
        address_lines(l, l->left, y, MM(80), size, sender, n_sender, STYLE_BOLD);
    }

    /* Recipient: the bureau d'envoi, in the envelope window. */
    const struct office *o = p->send_office;
    layout_gray(l, 0.3f);
    layout_draw_wrapped(l, WINDOW_X, WINDOW_TOP + 11, WINDOW_W, STYLE_REGULAR, SIZE_SMALL,
                        ctx_text(ctx, "bordereau.destinataire"));
    layout_gray(l, 0);
    const char *recipient[] = {
        p->authority->name, o->name, o->service, o->complement, o->address,
        arena_printf(a, "%s %s", o->postcode, o->city),
    };
    address_lines(l, WINDOW_X, WINDOW_TOP, WINDOW_W, 10, recipient, sizeof recipient / sizeof *recipient, STYLE_BOLD);

    l->y = PAGE_HEIGHT - MM(87);
    if (title_beside) {
        /* The title sits left of the window, in space the envelope leaves free. */
        float ty = title_top;
        ty -= layout_draw_wrapped(l, l->left, ty, MM(85), STYLE_BOLD, SIZE_TITLE, ctx_text(ctx, "bordereau.titre"));
        layout_gray(l, 0.3f);
        layout_draw_wrapped(l, l->left, ty - 2, MM(85), STYLE_REGULAR, SIZE_BODY, ctx_text(ctx, "bordereau.sous_titre"));
        layout_gray(l, 0);
    } else {
        layout_title(l, ctx_text(ctx, "bordereau.titre"), ctx_text(ctx, "bordereau.sous_titre"));
    }
    if (sender_below) {
        layout_paragraph(l, sender_label, STYLE_REGULAR, SIZE_SMALL, 0);
        for (size_t i = 0; i < n_sender; i++)
            if (sender[i] && *sender[i])
                layout_paragraph(l, sender[i], i == 0 ? STYLE_BOLD : STYLE_REGULAR, SIZE_BODY, 0);
        l->y -= 6;
    }

    layout_section_begin(l, ctx_text(ctx, "bordereau.recapitulatif"), 40);
    layout_field(l, ctx_text(ctx, "bordereau.organisation"), p->org.denomination);
    layout_field(l, ctx_text(ctx, "bordereau.siret"), arena_printf(a, "%s %s", p->org.siren, p->org.nic));
    layout_field(l, ctx_text(ctx, "bordereau.produit"), arena_printf(a, "%s — %s", p->product->label, p->payment->label));
    if (p->product->family == FAMILY_PERSON)
        layout_field(l, ctx_text(ctx, "bordereau.titulaire"), p->holder.name);
    else
        layout_field(l, ctx_text(ctx, "bordereau.service_applicatif"),
                     arena_printf(a, "%s — %s : %s", p->service_name, ctx_text(ctx, "bordereau.responsable"),
                                  p->holder.name));
    layout_field(l, ctx_text(ctx, "bordereau.signataires"), signers_text(ctx));
    /* A qualified certificate is handed over in person, against the original ID. */
    if (p->product->face_to_face)
        layout_field(l, ctx_text(ctx, "bordereau.retrait"), ctx_text(ctx, "bordereau.face_a_face"));
    else
        layout_field(l, ctx_text(ctx, "bordereau.bureau_retrait"), p->pickup_office->name);
    layout_section_end(l);

    layout_section_begin(l, ctx_text(ctx, "bordereau.liste"), 40);
    checklist_row(ctx, ctx_text(ctx, "bordereau.formulaire"), NULL, false);
    checklist_row(ctx, ctx_text(ctx, "bordereau.cgu"), NULL, false);
    /* Every piece of the pieces list, with what the list says of it: the envelope is
     * checked against the same lines. Steps (the CA's, the CSR) put nothing in it. */
    for (size_t i = 0; i < p->piece_count; i++) {
        const struct planned_piece *pc = &p->pieces[i];
        if (pc->status == PIECE_STEP || pc->status == PIECE_APPLICANT_STEP)
            continue;
        checklist_row(ctx, checklist_text(ctx, pc), ctx_text(ctx, piece_status_key(pc->status)),
                      pc->status == PIECE_MISSING);
    }
    layout_section_end(l);

    layout_section_begin(l, ctx_text(ctx, "bordereau.etapes"), 40);
    for (size_t i = 0; i < ctx->texts->step_count; i++) {
        char number[32];
        snprintf(number, sizeof number, "%zu. ", i + 1);
        layout_paragraph_lead(l, number, ctx_fill(ctx, ctx->texts->steps[i]), body_size(ctx->tight), 0);
    }
    layout_paragraph(l, ctx_text(ctx, "bordereau.rappel"), STYLE_BOLD, SIZE_SMALL + 0.5f, 0);
    layout_section_end(l);
    ctx->bordereau_pages = layout_end_document(l);
    return ctx->bordereau_pages;
}
