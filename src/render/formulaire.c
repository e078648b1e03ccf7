/* The formulaire d'abonnement: the record in the portal's sections, the pieces on
 * page 2, the commitments and the signature blocks on the last page. */
#include "documents.h"
#include "../util/arena.h"
#include "../util/french.h"

#include <stdio.h>
#include <string.h>

/* Every label comes from templates/textes.xml ("libelle.*"). */
#define L(ctx, key) ctx_text((ctx), (key))

static const char *yes_no(struct render_ctx *ctx, bool b)
{
    return b ? L(ctx, "libelle.oui") : L(ctx, "libelle.non");
}

static void subheading(struct layout *l, const char *text)
{
    layout_ensure(l, 4 * SIZE_BODY * LEADING);
    l->y -= 3;
    layout_paragraph(l, text, STYLE_BOLD, SIZE_BODY + 0.5f, 0);
}

static void section_organisation(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct plan *p = ctx->plan;
    const struct plan_organisation *o = &p->org;
    layout_field(l, L(ctx, "libelle.denomination"), o->denomination);
    layout_field_pair(l, L(ctx, "libelle.siren"), o->siren, L(ctx, "libelle.nic"), o->nic);
    /* INSEE's label of the category, then the pieces rule it falls under. */
    layout_field(l, L(ctx, "libelle.type_organisation"), ctx_fill(ctx, "{categorie}"));
    layout_field(l, L(ctx, "libelle.regle"), p->rule->label);
    layout_field(l, L(ctx, "libelle.etablissement"), o->etablissement);
    /* The address in the order of NF Z 10-011: building, street, lieu-dit or BP. */
    layout_field(l, L(ctx, "libelle.complement"), o->complement);
    layout_field(l, L(ctx, "libelle.adresse"), o->adresse);
    layout_field(l, L(ctx, "libelle.lieu_dit"), o->lieu_dit);
    layout_field_pair(l, L(ctx, "libelle.code_postal"), o->code_postal, L(ctx, "libelle.ville"), o->ville);
    layout_field(l, L(ctx, "libelle.telephone"), o->telephone);
}

static void section_certificat(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct plan *p = ctx->plan;
    layout_field(l, L(ctx, "libelle.produit"), p->product->label);
    layout_field(l, L(ctx, "libelle.paiement"), p->payment->label);
    layout_field(l, L(ctx, "libelle.support"), p->support ? p->support->label : NULL);
    layout_checkbox(l, true, ctx_fill(ctx, p->prerequisites));
    layout_paragraph(l, ctx_text(ctx, p->paper ? "formulaire.flux_papier" : "formulaire.flux_demat"),
                     STYLE_REGULAR, SIZE_SMALL + 0.5f, 0);
}

static void person_rows(struct render_ctx *ctx, const struct person *s, bool full)
{
    struct layout *l = ctx->layout;
    layout_field_pair(l, L(ctx, "libelle.prenom"), s->prenom, L(ctx, "libelle.nom"), s->nom);
    layout_field(l, L(ctx, "libelle.email"), s->email);
    if (!full)
        return;
    layout_field_pair(l, L(ctx, "libelle.fonction"), s->fonction, L(ctx, "libelle.service"), s->service);
    layout_field_pair(l, L(ctx, "libelle.tel_bureau"), s->tel_bureau, L(ctx, "libelle.tel_portable"), s->tel_portable);
}

static void section_personnes(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct plan *p = ctx->plan;
    if (p->product->family == FAMILY_PERSON) {
        subheading(l, ctx_text(ctx, "formulaire.titulaire"));
        person_rows(ctx, &p->holder, true);
        layout_field(l, L(ctx, "libelle.est_rl"), yes_no(ctx, p->holder_is_rl));
    } else {
        subheading(l, ctx_text(ctx, "formulaire.service_applicatif"));
        layout_field(l, L(ctx, p->product->family == FAMILY_SEAL ? "libelle.sa_nom" : "libelle.sa_fqdn"),
                     p->service_name);
        layout_field(l, L(ctx, "libelle.sa_email"), p->service_email);
        subheading(l, ctx_text(ctx, "formulaire.responsable"));
        person_rows(ctx, &p->holder, true);
    }
    subheading(l, ctx_gendered(ctx, "formulaire.rl", &p->rl));
    if (p->holder_is_rl) {
        const struct fill who[] = { { "personne", p->holder.name }, { "role_rl", role_label(ctx, &p->rl) } };
        const char *key = p->product->family == FAMILY_PERSON ? "formulaire.rl_est_titulaire"
                                                               : "formulaire.rl_est_responsable";
        layout_paragraph(l, tx_fill(ctx->arena, ctx_text(ctx, key), who, 2), STYLE_REGULAR, SIZE_BODY, 0);
    } else {
        person_rows(ctx, &p->rl, false);
    }
    layout_field(l, L(ctx, "libelle.delegataire"), yes_no(ctx, p->has_delegate));
    if (p->has_delegate) {
        subheading(l, ctx_text(ctx, "formulaire.delegataire"));
        if (p->holder_is_delegate) {
            const struct fill who = { "personne", p->holder.name };
            const char *key = p->product->family == FAMILY_PERSON ? "formulaire.delegataire_est_titulaire"
                                                                   : "formulaire.delegataire_est_responsable";
            layout_paragraph(l, tx_fill(ctx->arena, ctx_text(ctx, key), &who, 1), STYLE_REGULAR, SIZE_BODY, 0);
        } else {
            person_rows(ctx, &p->delegate, false);
        }
    }
    if (p->demandeur)
        layout_field(l, L(ctx, "libelle.demandeur"), p->demandeur);
}

/* The office's address in the order of NF Z 10-011: the building above the street. */
static void office_rows(struct render_ctx *ctx, const char *label, const struct office *o)
{
    const char *text = arena_printf(ctx->arena, "%s\n%s%s%s\n%s %s\n%s — %s", o->name, o->complement,
                                    *o->complement ? "\n" : "", o->address, o->postcode, o->city,
                                    o->phone, o->email);
    layout_field(ctx->layout, label, text);
}

static void section_modalites(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct plan *p = ctx->plan;
    subheading(l, ctx_text(ctx, "formulaire.bureaux"));
    office_rows(ctx, L(ctx, "libelle.bureau_envoi"), p->send_office);
    office_rows(ctx, L(ctx, "libelle.bureau_retrait"), p->pickup_office);
    /* A qualified certificate is handed over in person, against the original ID. */
    if (p->product->face_to_face)
        layout_paragraph(l, ctx_text(ctx, "formulaire.face_a_face"), STYLE_REGULAR, SIZE_BODY, 0);
    subheading(l, ctx_text(ctx, "formulaire.facturation"));
    const struct plan_billing *b = &p->billing;
    layout_field_pair(l, L(ctx, "libelle.bon_commande"), b->bon_commande, L(ctx, "libelle.ej"), b->engagement_juridique);
    layout_field(l, L(ctx, "libelle.code_service"), b->code_service);
    if (!b->other) {
        layout_field(l, L(ctx, "libelle.adresse_facturation"), ctx_text(ctx, "formulaire.facturation_etablissement"));
        return;
    }
    layout_field(l, L(ctx, "libelle.adresse_facturation"), L(ctx, "libelle.facturation_autre"));
    layout_field(l, L(ctx, "libelle.destinataire"), b->destinataire);
    layout_field(l, L(ctx, "libelle.raison_sociale"), b->raison_sociale);
    layout_field(l, L(ctx, "libelle.complement_identite"), b->complement);
    layout_field(l, L(ctx, "libelle.voie"), b->voie);
    layout_field(l, L(ctx, "libelle.mentions"), b->mentions);
    layout_field(l, L(ctx, "libelle.lieu_dit_facturation"), b->lieu_dit);
    layout_field_pair(l, L(ctx, "libelle.code_postal"), b->code_postal, L(ctx, "libelle.ville"), b->ville);
    layout_field(l, L(ctx, "libelle.pays"), b->pays);
}

/* "La titulaire, représentante légale"; "Le délégataire" then "par délégation de
 * signature d'Anne-Sophie Lefèvre, représentante légale". In the dematerialised flow
 * the blocks are numbered: the order is the order of signing. */
static const char *signature_heading(struct render_ctx *ctx, const struct person *s, size_t rank)
{
    static const char *const keys[] = {
        [ROLE_HOLDER] = "signature.titulaire", [ROLE_MANAGER] = "signature.responsable",
        [ROLE_RL] = "signature.rl", [ROLE_DELEGATE] = "signature.delegataire",
    };
    const char *heading = ctx_gendered(ctx, keys[s->role], s);
    if (ctx->plan->holder_is_rl && s == &ctx->plan->holder)
        heading = arena_printf(ctx->arena, "%s, %s", heading, ctx_gendered(ctx, "role.rl", s));
    if (ctx->plan->holder_is_delegate && s == &ctx->plan->holder)
        heading = arena_printf(ctx->arena, "%s, %s", heading, ctx_gendered(ctx, "role.delegataire", s));
    return ctx->plan->paper ? heading : arena_printf(ctx->arena, "%zu. %s", rank, heading);
}

static void signature_block(struct render_ctx *ctx, const struct person *s, size_t rank, float x, float w, float top)
{
    struct layout *l = ctx->layout;
    float y = top;
    layout_gray(l, 0);
    y -= layout_draw_wrapped(l, x, y, w, STYLE_BOLD, SIZE_BODY + 0.5f, signature_heading(ctx, s, rank));
    y -= layout_draw_wrapped(l, x, y, w, STYLE_REGULAR, SIZE_BODY, s->name);
    if (s->role == ROLE_DELEGATE || (ctx->plan->holder_is_delegate && s == &ctx->plan->holder)) {
        const struct fill rl = { "de_rl", fr_de(ctx->arena, person_role(ctx, &ctx->plan->rl)) };
        layout_gray(l, 0.3f);
        y -= layout_draw_wrapped(l, x, y, w, STYLE_REGULAR, SIZE_SMALL + 0.5f,
                                 tx_fill(ctx->arena, ctx_text(ctx, "signature.par_delegation"), &rl, 1));
        layout_gray(l, 0);
    }
    y -= 6;
    if (!ctx->plan->paper) {
        /* The dematerialised flow is signed through the portal, after this document is
         * made: no place, date or handwritten mention, but the signatory, how they will
         * sign, and where the signing service will put the visible signature. */
        const struct fill who[] = { { "personne", s->name }, { "email", s->email } };
        y -= layout_draw_wrapped(l, x, y, w, STYLE_BOLD, SIZE_BODY, ctx_text(ctx, "signature.electronique"));
        layout_gray(l, 0.3f);
        y -= layout_draw_wrapped(l, x, y, w, STYLE_REGULAR, SIZE_SMALL,
                                 tx_fill(ctx->arena, ctx_text(ctx, "signature.electronique_mode"), who, 2));
        layout_gray(l, 0);
        y -= 4;
        float box = MM(30);
        layout_rect(l, x, y - box, w, box, 0.96f, true);
        layout_gray(l, 0.45f);
        layout_draw_wrapped(l, x + 4, y - 3, w - 8, STYLE_REGULAR, SIZE_SMALL, ctx_text(ctx, "signature.zone_electronique"));
        layout_gray(l, 0);
        return;
    }
    y -= layout_draw_wrapped(l, x, y, w, STYLE_REGULAR, SIZE_BODY, ctx_text(ctx, "signature.lieu"));
    layout_line(l, x + 40, y + 3, x + w, y + 3, 0.5f);
    y -= 6;
    y -= layout_draw_wrapped(l, x, y, w, STYLE_REGULAR, SIZE_BODY, ctx_text(ctx, "signature.date"));
    layout_line(l, x + 40, y + 3, x + w, y + 3, 0.5f);
    y -= 6;
    layout_gray(l, 0.3f);
    y -= layout_draw_wrapped(l, x, y, w, STYLE_REGULAR, SIZE_SMALL, ctx_text(ctx, "signature.mention"));
    layout_gray(l, 0);
    y -= 4;
    float box = MM(38);
    layout_rect(l, x, y - box, w, box, -1, true);
    layout_mark_here(l, MARK_SIGNATURE, s->name, role_key(s->role) + 5, x, y - box, w, box);
    layout_gray(l, 0.45f);
    layout_draw_wrapped(l, x + 4, y - 3, w - 8, STYLE_REGULAR, SIZE_SMALL, ctx_text(ctx, "signature.zone"));
    layout_gray(l, 0);
}

/* The dematerialised flow's next steps, in the future: who signs first and second,
 * how, and what follows. A step may hold only with a second signatory, or for a
 * product handed over in person. */
static void section_follow_up(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct plan *p = ctx->plan;
    const struct person *second = p->signatories[1] ? p->signatories[1] : p->signatories[0];
    const struct fill who[] = {
        { "signataire1", person_role(ctx, p->signatories[0]) }, { "email1", p->signatories[0]->email },
        { "signataire2", person_role(ctx, second) }, { "email2", second->email },
    };
    layout_section_begin(l, ctx_text(ctx, "formulaire.suite"), 40);
    size_t n = 0;
    for (size_t i = 0; i < ctx->texts->follow_up_count; i++) {
        const struct text_entry *step = &ctx->texts->follow_up[i];
        if ((strcmp(step->key, "second") == 0 && !p->signatories[1]) ||
            (strcmp(step->key, "face-a-face") == 0 && !p->product->face_to_face))
            continue;
        char number[32];
        snprintf(number, sizeof number, "%zu. ", ++n);
        layout_paragraph_lead(l, number, tx_fill(ctx->arena, ctx_fill(ctx, step->value), who, 4), SIZE_BODY, 0);
    }
    layout_section_end(l);
}

static void section_signatures(struct render_ctx *ctx, const char *title)
{
    struct layout *l = ctx->layout;
    const struct plan *p = ctx->plan;
    layout_section_begin(l, title, 60);
    for (size_t i = 0; i < ctx->texts->commitment_count; i++)
        layout_paragraph(l, ctx_fill(ctx, ctx->texts->commitments[i]), STYLE_REGULAR, SIZE_BODY, 0);
    layout_section_end(l);
    if (!p->paper)
        section_follow_up(ctx);
    float block_height = p->paper ? MM(80) : MM(66);
    layout_ensure(l, block_height);
    float x = l->left, w = (l->right - l->left - MM(10)) / 2;
    signature_block(ctx, p->signatories[0], 1, x, w, l->y);
    if (p->signatories[1])
        signature_block(ctx, p->signatories[1], 2, x + w + MM(10), w, l->y);
    l->y -= block_height;
}

static void draw_section(struct render_ctx *ctx, const char *ref, const char *title, bool first)
{
    struct layout *l = ctx->layout;
    if (strcmp(ref, "signatures") == 0) {
        /* The signature page stands alone: it carries no initialling boxes. */
        layout_new_page(l);
        layout_mark_signature_page(l);
        section_signatures(ctx, title);
        return;
    }
    if (strcmp(ref, "pieces") == 0) {
        /* The required pieces open page 2, where the portal's guide sends users. */
        if (l->page_count - l->doc_first == 1 && !first)
            layout_new_page(l);
        layout_section_begin(l, title, 40);
        if (l->page_count - l->doc_first > 2)
            ctx->page2_missed = true;
        layout_paragraph(l, ctx_text(ctx, ctx->plan->paper ? "formulaire.pieces_intro.papier"
                                                           : "formulaire.pieces_intro.demat"),
                         STYLE_REGULAR, SIZE_BODY, 0);
        render_pieces_table(ctx);
        layout_section_end(l);
        return;
    }
    layout_section_begin(l, title, 30);
    if (strcmp(ref, "organisation") == 0)
        section_organisation(ctx);
    else if (strcmp(ref, "certificat") == 0)
        section_certificat(ctx);
    else if (strcmp(ref, "personnes") == 0)
        section_personnes(ctx);
    else if (strcmp(ref, "modalites") == 0)
        section_modalites(ctx);
    layout_section_end(l);
}

/* The sections in print order: the template's. In the compact order (a retry when
 * very long values pushed the pieces past page 2), only the first two sections stay
 * before the pieces; the others that preceded them follow them. */
static size_t section_order(const struct render_templates *t, bool compact, size_t *order)
{
    size_t n = 0, pieces = t->section_count;
    for (size_t i = 0; i < t->section_count; i++)
        if (strcmp(t->sections[i].key, "pieces") == 0)
            pieces = i;
    if (!compact || pieces <= 2 || pieces == t->section_count) {
        for (size_t i = 0; i < t->section_count; i++)
            order[n++] = i;
        return n;
    }
    order[n++] = 0;
    order[n++] = 1;
    order[n++] = pieces;
    for (size_t i = 2; i < t->section_count; i++)
        if (i != pieces)
            order[n++] = i;
    return n;
}

int render_formulaire(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct render_templates *t = ctx->texts;
    struct doc_frame frame;
    /* Initialling boxes are for paper: the dematerialised flow is signed electronically. */
    ctx_frame(ctx, &frame, "FOR", "doc.formulaire", NULL, ctx->plan->paper);
    layout_begin_document(l, &frame.furniture);
    layout_title(l, ctx_text(ctx, "formulaire.titre"), ctx_text(ctx, "formulaire.sous_titre"));
    size_t order[16];
    size_t n = section_order(t, ctx->compact, order);
    for (size_t k = 0; k < n; k++) {
        const struct text_entry *sec = &t->sections[order[k]];
        draw_section(ctx, sec->key, ctx_fill(ctx, sec->value), k == 0);
    }
    return layout_end_document(l);
}
