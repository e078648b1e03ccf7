/* The bordereau d'envoi (paper flow): address for a window envelope, summary,
 * checklist of what goes in the envelope, and the steps to follow. */
#include "documents.h"
#include "../util/arena.h"

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
    const char *sender[] = {
        p->org.denomination, p->org.etablissement, p->org.adresse, p->org.complement, p->org.lieu_dit,
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
        p->authority->name, o->name, o->service, o->address, o->complement,
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
        layout_field(l, ctx_text(ctx, "bordereau.titulaire"), (&p->holder)->name);
    else
        layout_field(l, ctx_text(ctx, "bordereau.service_applicatif"),
                     arena_printf(a, "%s — %s : %s",
                                  p->service_name,
                                  ctx_text(ctx, "bordereau.responsable"), (&p->holder)->name));
    const char *signers = p->signatories[1]
        ? arena_printf(a, "%s (%s) et %s (%s)", (p->signatories[0])->name, role_label(ctx, p->signatories[0]),
                       (p->signatories[1])->name, role_label(ctx, p->signatories[1]))
        : arena_printf(a, "%s (%s, %s)", (p->signatories[0])->name, role_label(ctx, p->signatories[0]),
                       ctx_text(ctx, "role.rl"));
    layout_field(l, ctx_text(ctx, "bordereau.signataires"), signers);
    layout_field(l, ctx_text(ctx, "bordereau.bureau_retrait"), p->pickup_office->name);
    layout_section_end(l);

    layout_section_begin(l, ctx_text(ctx, "bordereau.liste"), 40);
    layout_checkbox(l, false, ctx_text(ctx, "bordereau.formulaire"));
    layout_checkbox(l, false, ctx_text(ctx, "bordereau.cgu"));
    /* Every piece of the pieces list, with what the list says of it: the envelope is
     * checked against the same lines. The CA's own steps put nothing in it. */
    for (size_t i = 0; i < p->piece_count; i++) {
        const struct planned_piece *pc = &p->pieces[i];
        if (pc->status == PIECE_STEP)
            continue;
        const char *who = pc->whom ? arena_printf(a, "%s (%s)", pc->whom->name, role_label(ctx, pc->whom))
                                   : p->org.denomination;
        const char *text;
        if (pc->identity) {
            const struct fill person = { "personne", who };
            text = tx_fill(a, tx(ctx->texts, "bordereau.piece_id"), &person, 1);
        } else {
            text = arena_printf(a, "%s — %s", pc->label, who);
        }
        text = arena_printf(a, "%s [%s]", text, ctx_text(ctx, piece_status_key(pc->status)));
        layout_checkbox(l, false, text);
    }
    layout_section_end(l);

    layout_section_begin(l, ctx_text(ctx, "bordereau.etapes"), 40);
    for (size_t i = 0; i < ctx->texts->step_count; i++) {
        char number[32];
        snprintf(number, sizeof number, "%zu. ", i + 1);
        layout_paragraph_lead(l, number, ctx_fill(ctx, ctx->texts->steps[i]), SIZE_BODY, 0);
    }
    layout_paragraph(l, ctx_text(ctx, "bordereau.rappel"), STYLE_BOLD, SIZE_SMALL + 0.5f, 0);
    layout_section_end(l);
    return layout_end_document(l);
}
