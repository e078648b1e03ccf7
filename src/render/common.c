/* Helpers shared by the documents: placeholders, roles, frames, pieces table. */
#include "documents.h"
#include "../util/arena.h"
#include "../util/french.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void render_ctx_prepare(struct render_ctx *ctx)
{
    struct arena *a = ctx->arena;
    const struct plan *p = ctx->plan;
    const struct office *o = p->send_office;
    const char *signers = p->signatories[1]
        ? arena_printf(a, "%s et %s", p->signatories[0]->name, p->signatories[1]->name)
        : p->signatories[0]->name;
    /* INSEE's label beside the code; the rule's name is {regle}. */
    const char *category = p->org.categorie_label
        ? arena_printf(a, "%s — %s", p->org.categorie, p->org.categorie_label) : p->org.categorie;
    const struct fill vars[] = {
        { "numero", p->numero },
        { "date", p->request_date },
        { "autorite", p->authority->name },
        { "cgu_version", ctx->texts->cgu.version },
        { "bureau", arena_printf(a, "%s, %s, %s", o->name, o->phone, o->email) },
        { "organisation", p->org.denomination },
        { "categorie", category },
        { "regle", p->rule->label },
        { "bureau_retrait", p->pickup_office->name },
        { "titulaire", p->holder.name },
        { "signataires", signers },
        { "produit", p->product->label },
        { "version", p->pieces_version },
        { "date_dossier", p->dossier_date },
    };
    _Static_assert(sizeof vars <= sizeof ctx->vars, "render_ctx.vars too small");
    ctx->var_count = sizeof vars / sizeof *vars;
    memcpy(ctx->vars, vars, sizeof vars);
    struct tm tm;
    gmtime_r(&p->date, &tm);
    ctx->code_date = arena_printf(a, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    char *siren = arena_printf(a, "%s", p->org.siren ? p->org.siren : "");
    size_t n = 0;
    for (const char *c = siren; *c && n < 14; c++)
        if (*c >= '0' && *c <= '9')
            siren[n++] = *c;
    siren[n] = '\0';
    ctx->siren = siren;
}

const char *ctx_fill(struct render_ctx *ctx, const char *text)
{
    return tx_fill(ctx->arena, text, ctx->vars, ctx->var_count);
}

const char *ctx_text(struct render_ctx *ctx, const char *key)
{
    return ctx_fill(ctx, tx(ctx->texts, key));
}

const char *ctx_gendered(struct render_ctx *ctx, const char *key, const struct person *p)
{
    return ctx_fill(ctx, tx_gendered(ctx->texts, key, p->gender));
}

const char *role_label(struct render_ctx *ctx, const struct person *p)
{
    return ctx_gendered(ctx, role_key(p->role), p);
}

const char *person_role(struct render_ctx *ctx, const struct person *p)
{
    return arena_printf(ctx->arena, "%s, %s", p->name, role_label(ctx, p));
}

void ctx_frame(struct render_ctx *ctx, struct doc_frame *frame, const char *code, const char *name_key,
               const char *header_note, bool paraphes)
{
    const struct authority *a = ctx->plan->authority;
    *frame = (struct doc_frame){
        .authority = a->name,
        .authority_line = *a->address ? arena_printf(ctx->arena, "%s, %s %s — %s — %s", a->address, a->postcode,
                                                     a->city, a->phone, a->website) : NULL,
        .numero = ctx->plan->numero,
        .code = code,
        .name = ctx_text(ctx, name_key),
        .header_note = header_note,
        .paraphe_word = ctx_text(ctx, "paraphe"),
    };
    /* Each box names whose initials it waits for: name and role. */
    for (int i = 0; paraphes && i < 2; i++) {
        const struct person *s = ctx->plan->signatories[i];
        frame->paraphes[i] = s ? role_label(ctx, s) : NULL;
        frame->paraphe_people[i] = s ? s->name : NULL;
        frame->paraphe_roles[i] = s ? role_key(s->role) + 5 : NULL;
    }
    frame->code_key = ctx->code_key;
    frame->code_date = ctx->code_date;
    frame->siren = ctx->siren;
    frame_bind(frame);
}

const char *piece_status_key(enum piece_status status)
{
    switch (status) {
    case PIECE_JOINED: return "pieces.joint";
    case PIECE_IF_NEEDED: return "pieces.si_besoin";
    case PIECE_STEP: return "pieces.etape";
    case PIECE_APPLICANT_STEP: return "pieces.etape_demandeur";
    default: return "pieces.a_fournir";
    }
}

void render_pieces_table(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    static const float widths[3] = { 0.55f, 0.30f, 0.15f };
    const char *header[3] = {
        ctx_text(ctx, "pieces.col.piece"), ctx_text(ctx, "pieces.col.concerne"), ctx_text(ctx, "pieces.col.statut"),
    };
    struct table t = { 3, widths, header };
    layout_table_header(l, &t);
    const struct plan *p = ctx->plan;
    for (size_t i = 0; i < p->piece_count; i++) {
        const struct planned_piece *pc = &p->pieces[i];
        const char *whom = pc->whom ? person_role(ctx, pc->whom) : p->org.denomination;
        const char *cells[3] = { pc->label, whom, ctx_text(ctx, piece_status_key(pc->status)) };
        /* What is still to be provided stands out. */
        const enum font_style styles[3] = {
            STYLE_REGULAR, STYLE_REGULAR, pc->status == PIECE_MISSING ? STYLE_BOLD : STYLE_REGULAR,
        };
        layout_table_row(l, &t, cells, styles);
    }
    l->y -= 6;
}
