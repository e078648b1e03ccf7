/* Helpers shared by the documents: placeholders, roles, pieces table. */
#include "documents.h"
#include "../util/arena.h"

#include <stdio.h>
#include <string.h>

void render_ctx_prepare(struct render_ctx *ctx, time_t dossier_date)
{
    const struct request *r = ctx->request;
    struct arena *a = ctx->arena;
    ctx->numero = request_get(r, F_NUMERO);
    ctx->request_date = arena_printf(a, "%02d/%02d/%04d", r->facts.day, r->facts.month, r->facts.year);
    struct tm tm;
    gmtime_r(&dossier_date, &tm);
    ctx->dossier_date = arena_printf(a, "%02d/%02d/%04d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
    const struct plan *p = ctx->plan;
    const struct office *o = p->send_office;
    const char *category = arena_printf(a, "%s (%s)", request_get(r, F_ORG_CATEGORIE), p->rule->label);
    const struct fill vars[] = {
        { "numero", ctx->numero },
        { "date", ctx->request_date },
        { "autorite", ctx->catalogue->authority.name },
        { "cgu_version", ctx->texts->cgu.version },
        { "bureau", arena_printf(a, "%s, %s, %s", o->name, o->phone, o->email) },
        { "organisation", request_get(r, F_ORG_DENOMINATION) },
        { "categorie", category },
        { "produit", p->product->label },
        { "version", ctx->catalogue->pieces_version },
        { "date_dossier", ctx->dossier_date },
    };
    ctx->var_count = sizeof vars / sizeof *vars;
    memcpy(ctx->vars, vars, sizeof vars);
}

const char *ctx_fill(struct render_ctx *ctx, const char *text)
{
    return tx_fill(ctx->arena, text, ctx->vars, ctx->var_count);
}

const char *ctx_text(struct render_ctx *ctx, const char *key)
{
    return ctx_fill(ctx, tx(ctx->texts, key));
}

const char *role_label(struct render_ctx *ctx, const struct person *p)
{
    static const char *const keys[] = {
        [ROLE_HOLDER] = "role.titulaire", [ROLE_MANAGER] = "role.responsable",
        [ROLE_RL] = "role.rl", [ROLE_DELEGATE] = "role.delegataire",
    };
    return ctx_text(ctx, keys[p->role]);
}

void ctx_paraphes(struct render_ctx *ctx, struct doc_frame *frame)
{
    static const char *const keys[] = {
        [ROLE_HOLDER] = "paraphe.titulaire", [ROLE_MANAGER] = "paraphe.responsable",
        [ROLE_RL] = "paraphe.rl", [ROLE_DELEGATE] = "paraphe.delegataire",
    };
    for (int i = 0; i < 2; i++) {
        const struct person *s = ctx->plan->signatories[i];
        frame->paraphes[i] = s ? ctx_text(ctx, keys[s->role]) : NULL;
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
        const char *whom = pc->whom
            ? arena_printf(ctx->arena, "%s (%s)", person_name(ctx->arena, pc->whom), role_label(ctx, pc->whom))
            : request_get(ctx->request, F_ORG_DENOMINATION);
        const char *cells[3] = {
            pc->label, whom, ctx_text(ctx, pc->joined ? "pieces.joint" : "pieces.a_fournir"),
        };
        const enum font_style styles[3] = { STYLE_REGULAR, STYLE_REGULAR, pc->joined ? STYLE_REGULAR : STYLE_BOLD };
        layout_table_row(l, &t, cells, styles);
    }
    l->y -= 6;
}
