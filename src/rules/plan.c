/* From an accepted request to what its dossier holds. */
#include "plan.h"
#include "../model/request.h"
#include "../util/fill.h"
#include "../util/arena.h"

#include <stdio.h>
#include <string.h>

static void person_from(struct person *p, struct arena *arena, const struct request *r, const struct catalogue *c,
                        enum role role, enum field_id first, enum field_id civility)
{
    p->role = role;
    p->gender = gender_of(&c->first_names, request_get(r, civility), request_get(r, first));
    p->prenom = request_get(r, first);
    p->nom = request_get(r, (enum field_id)(first + 1));
    p->email = request_get(r, (enum field_id)(first + 2));
    if (role == ROLE_HOLDER || role == ROLE_MANAGER) {
        p->fonction = request_get(r, (enum field_id)(first + 3));
        p->service = request_get(r, (enum field_id)(first + 4));
        p->tel_bureau = request_get(r, (enum field_id)(first + 5));
        p->tel_portable = request_get(r, (enum field_id)(first + 6));
    }
    /* Names are printed exactly as keyed in (no upper-casing): they must match the
     * identity documents character for character. */
    p->name = arena_printf(arena, "%s %s", p->prenom ? p->prenom : "", p->nom ? p->nom : "");
}

/* The attachment of the file FIELD supplied (made on first use: one per field, however
 * many lines it stands for), or NULL when FIELD supplied none. */
static struct attachment *attachment_of(struct plan *plan, const struct request *r, enum field_id field,
                                        enum attachment_kind kind, const struct person *whom, const char *title,
                                        enum id_side side)
{
    size_t slot = (size_t)(field - F_PCE_ID_TITULAIRE);
    if (!r->facts.piece_path[slot])
        return NULL;
    for (size_t i = 0; i < plan->attachment_count; i++)
        if (strcmp(plan->attachments[i].field, field_table[field].name) == 0)
            return &plan->attachments[i];
    struct attachment *a = &plan->attachments[plan->attachment_count++];
    *a = (struct attachment){
        .kind = kind,
        .whom = whom,
        .labels = NULL,
        .title = title,
        .side = side,
        .conforme = plan->paper && kind == ATTACH_IDENTITY && whom,
        .path = r->facts.piece_path[slot],
        .type = r->facts.piece_type[slot],
        .given = request_get(r, field),
        .field = field_table[field].name,
        .loc = request_loc(r, field),
    };
    return a;
}

/* Notes LABEL among what attachment A stands for (once, however often it is asked). */
static void attachment_stands_for(struct arena *arena, struct attachment *a, const char *label)
{
    if (!a->labels) {
        a->labels = label;
        return;
    }
    for (const char *at = strstr(a->labels, label); at; at = strstr(at + 1, label)) {
        size_t n = strlen(label);
        if ((at == a->labels || at[-1] == ' ') && (at[n] == '\0' || at[n] == ' '))
            return;
    }
    a->labels = arena_printf(arena, "%s ; %s", a->labels, label);
}

static struct planned_piece *add_line(struct plan *plan, const char *code, const char *label, const struct person *whom,
                                      enum piece_status status, bool identity, const struct attachment *file)
{
    struct planned_piece *p = &plan->pieces[plan->piece_count++];
    *p = (struct planned_piece){ code, label, whom, status, identity, file };
    return p;
}

static void add_person_piece(struct plan *plan, struct arena *arena, const struct request *r, const char *code,
                             const char *label, const struct person *whom, enum field_id field, bool identity)
{
    /* An ID's verso, when given in a file of its own, follows its recto (its field
     * comes right after the recto's in fields.def). */
    bool verso = identity && r->facts.piece_path[field + 1 - F_PCE_ID_TITULAIRE];
    struct attachment *a = attachment_of(plan, r, field, identity ? ATTACH_IDENTITY : ATTACH_DELEGATION, whom, NULL,
                                         verso ? SIDE_RECTO : SIDE_WHOLE);
    if (a)
        attachment_stands_for(arena, a, label);
    if (a && verso)
        attachment_stands_for(arena, attachment_of(plan, r, (enum field_id)(field + 1), ATTACH_IDENTITY, whom, NULL,
                                                   SIDE_VERSO), label);
    add_line(plan, code, label, whom, a ? PIECE_JOINED : PIECE_MISSING, identity, a);
}

/* The field that supplied the act CODE: pieces.CODE, or the portal's single upload
 * for the act that proves the representative's powers. */
static enum field_id act_field(const struct request *r, const struct pieces_rule *rule, const char *code)
{
    char name[64];
    snprintf(name, sizeof name, "pieces.%s", code);
    enum field_id f = (enum field_id)field_lookup(name);
    if (!r->facts.piece_path[f - F_PCE_ID_TITULAIRE] && strcmp(code, rule->proof) == 0 &&
        r->facts.piece_path[F_PCE_ACTE_NOMINATION - F_PCE_ID_TITULAIRE])
        return F_PCE_ACTE_NOMINATION;
    return f;
}

/* The act's attachment, or NULL. The nomination of the representative concerns the
 * representative; every other act, the organisation. */
static struct attachment *act_attachment(struct plan *plan, struct arena *arena, const struct request *r,
                                         const struct act *act, const char *line_label)
{
    const struct person *whom = strcmp(act->code, "nomination") == 0 ? &plan->rl : NULL;
    struct attachment *a = attachment_of(plan, r, act_field(r, plan->rule, act->code), ATTACH_ACT, whom, act->label,
                                         SIDE_WHOLE);
    if (a)
        attachment_stands_for(arena, a, line_label);
    return a;
}

/* The rule's lines: an act is joined when its own file is; a choice, when one of its
 * acts is; an act needed only in some case is not missing when absent. */
static void add_rule_lines(struct plan *plan, struct arena *arena, const struct request *r,
                           const struct plan_labels *labels)
{
    const struct pieces_rule *rule = plan->rule;
    for (size_t i = 0; i < rule->line_count; i++) {
        const struct rule_line *line = &rule->lines[i];
        if (!line->choice) {
            const struct act *act = &line->acts[0];
            const char *label = act->if_needed ? arena_printf(arena, "%s (%s)", act->label, act->if_needed) : act->label;
            struct attachment *a = act_attachment(plan, arena, r, act, label);
            add_line(plan, act->code, label, strcmp(act->code, "nomination") == 0 ? &plan->rl : NULL,
                     a ? PIECE_JOINED : act->if_needed ? PIECE_IF_NEEDED : PIECE_MISSING, false, a);
            continue;
        }
        char *code = arena_strdup(arena, ""), *label = arena_strdup(arena, labels->choice);
        const struct attachment *joined = NULL;
        for (size_t k = 0; k < line->act_count; k++) {
            code = arena_printf(arena, "%s%s%s", code, k ? "|" : "", line->acts[k].code);
            label = arena_printf(arena, "%s\n– %s", label, line->acts[k].label);
        }
        for (size_t k = 0; k < line->act_count; k++) {
            struct attachment *a = act_attachment(plan, arena, r, &line->acts[k], line->acts[k].label);
            if (a && !joined)
                joined = a;
        }
        add_line(plan, code, label, NULL, joined ? PIECE_JOINED : PIECE_MISSING, false, joined);
    }
}

/* What the CA does itself for the product (domain control, CSR): lines, not files. */
static void add_steps(struct plan *plan, struct arena *arena)
{
    for (size_t i = 0; i < plan->product->step_count; i++) {
        const struct step *st = &plan->product->steps[i];
        const struct fill fqdn = { "fqdn", plan->service_name };
        add_line(plan, st->code, tx_fill(arena, st->label, &fqdn, 1), NULL,
                 st->by_applicant ? PIECE_APPLICANT_STEP : PIECE_STEP, false, NULL);
    }
}

static const char *const file_prefixes[DOC_KIND_COUNT] = {
    [DOC_BORDEREAU] = "bordereau", [DOC_FORMULAIRE] = "formulaire", [DOC_CGU] = "cgu",
    [DOC_PIECES] = "pieces", [DOC_JOINTES] = "jointes",
};

/* The documents of the flow, and the files they go into. */
static void plan_documents(struct plan *plan, struct arena *arena)
{
    for (int k = 0; k < DOC_KIND_COUNT; k++) {
        if (k == DOC_BORDEREAU && !plan->paper)
            continue;       /* the bordereau goes with a paper dossier in its envelope */
        if (k == DOC_JOINTES && plan->attachment_count == 0)
            continue;
        plan->documents[plan->document_count++] = (enum doc_kind)k;
    }
    if (plan->paper) {
        plan->files[0] = (struct planned_file){
            arena_printf(arena, "dossier-%s.pdf", plan->numero), 0, plan->document_count };
        plan->file_count = 1;
        return;
    }
    for (size_t i = 0; i < plan->document_count; i++) {
        enum doc_kind k = plan->documents[i];
        plan->files[plan->file_count++] = (struct planned_file){
            arena_printf(arena, "%s-%s.pdf", file_prefixes[k], plan->numero), i, 1 };
    }
}

static const char *date_text(struct arena *arena, int year, int month, int day)
{
    return arena_printf(arena, "%02d/%02d/%04d", day, month, year);
}

void plan_make(struct plan *plan, struct arena *arena, const struct request *r, const struct catalogue *c,
               const struct plan_labels *labels, bool paper, time_t date)
{
    memset(plan, 0, sizeof *plan);
    plan->numero = request_get(r, F_NUMERO);
    plan->request_date = date_text(arena, r->facts.year, r->facts.month, r->facts.day);
    struct tm tm;
    gmtime_r(&date, &tm);
    plan->dossier_date = date_text(arena, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    plan->date = date;
    plan->paper = paper;
    plan->demandeur = request_get(r, F_DEMANDEUR);

    plan->org = (struct plan_organisation){
        request_get(r, F_ORG_DENOMINATION), request_get(r, F_ORG_SIREN), request_get(r, F_ORG_NIC),
        request_get(r, F_ORG_CATEGORIE), request_get(r, F_ORG_ETABLISSEMENT), request_get(r, F_ORG_ADRESSE),
        request_get(r, F_ORG_COMPLEMENT), request_get(r, F_ORG_LIEU_DIT), request_get(r, F_ORG_CODE_POSTAL),
        request_get(r, F_ORG_VILLE), request_get(r, F_ORG_TELEPHONE),
        categories_label(&c->categories, request_get(r, F_ORG_CATEGORIE)),
    };

    plan->product = r->facts.product;
    plan->payment = product_payment(plan->product, request_get(r, F_CERT_PAIEMENT));
    plan->support = request_get(r, F_CERT_SUPPORT) ? product_support(plan->product, request_get(r, F_CERT_SUPPORT)) : NULL;
    if (plan->product->family == FAMILY_SEAL)
        plan->service_name = request_get(r, F_SA_NOM);
    else if (plan->product->family == FAMILY_SERVER)
        plan->service_name = request_get(r, F_SA_FQDN);
    plan->service_email = request_get(r, F_SA_EMAIL);
    const struct fill fqdn = { "fqdn", plan->service_name };
    plan->prerequisites = tx_fill(arena, plan->product->prerequisites, &fqdn, 1);

    bool person = plan->product->family == FAMILY_PERSON;
    if (person)
        person_from(&plan->holder, arena, r, c, ROLE_HOLDER, F_TIT_PRENOM, F_TIT_CIVILITE);
    else
        person_from(&plan->holder, arena, r, c, ROLE_MANAGER, F_RESP_PRENOM, F_RESP_CIVILITE);
    plan->holder_is_rl = r->facts.holder_is_rl;
    if (plan->holder_is_rl) {
        plan->rl = plan->holder;
        plan->rl.role = ROLE_RL;
    } else {
        person_from(&plan->rl, arena, r, c, ROLE_RL, F_RL_PRENOM, F_RL_CIVILITE);
    }
    plan->has_delegate = r->facts.has_delegate;
    plan->holder_is_delegate = r->facts.holder_is_delegate;
    if (plan->holder_is_delegate) {
        plan->delegate = plan->holder;
        plan->delegate.role = ROLE_DELEGATE;
    } else if (plan->has_delegate) {
        person_from(&plan->delegate, arena, r, c, ROLE_DELEGATE, F_DEL_PRENOM, F_DEL_CIVILITE);
    }

    /* The holder signs; for the organisation, the délégataire if there is one,
     * otherwise the RL — unless the holder is the RL or the délégataire, who then signs
     * once for both. */
    plan->signatories[0] = &plan->holder;
    if (plan->has_delegate)
        plan->signatories[1] = plan->holder_is_delegate ? NULL : &plan->delegate;
    else if (!plan->holder_is_rl)
        plan->signatories[1] = &plan->rl;

    plan->send_office = catalogue_office(c, request_get(r, F_MOD_BUREAU_ENVOI));
    plan->pickup_office = catalogue_office(c, request_get(r, F_MOD_BUREAU_RETRAIT));
    plan->billing = (struct plan_billing){
        request_get(r, F_FAC_BON_COMMANDE), request_get(r, F_FAC_EJ), request_get(r, F_FAC_CODE_SERVICE),
        r->facts.billing_other,
        request_get(r, F_FAC_DESTINATAIRE), request_get(r, F_FAC_RAISON_SOCIALE), request_get(r, F_FAC_COMPLEMENT),
        request_get(r, F_FAC_VOIE), request_get(r, F_FAC_MENTIONS), request_get(r, F_FAC_LIEU_DIT),
        request_get(r, F_FAC_PAYS), request_get(r, F_FAC_CODE_POSTAL), request_get(r, F_FAC_VILLE),
    };

    plan->authority = &c->authority;
    plan->rule = catalogue_pieces_rule(c, plan->org.categorie);
    plan->pieces_version = c->pieces_version;
    /* Room for every line: ID copies, délégation, the rule's lines, the CA's steps. */
    size_t most = 4 + plan->rule->line_count + plan->product->step_count;
    plan->pieces = arena_alloc(arena, most * sizeof *plan->pieces);
    plan->attachments = arena_alloc(arena, PIECE_FIELD_COUNT * sizeof *plan->attachments);
    add_person_piece(plan, arena, r, "id_titulaire", labels->id, &plan->holder, F_PCE_ID_TITULAIRE, true);
    if (!plan->holder_is_rl)
        add_person_piece(plan, arena, r, "id_rl", labels->id, &plan->rl, F_PCE_ID_RL, true);
    if (plan->has_delegate) {
        if (!plan->holder_is_delegate)
            add_person_piece(plan, arena, r, "id_delegataire", labels->id, &plan->delegate, F_PCE_ID_DELEGATAIRE, true);
        add_person_piece(plan, arena, r, "delegation", catalogue_delegation(c, plan->org.categorie), &plan->delegate,
                         F_PCE_DELEGATION, false);
    }
    add_rule_lines(plan, arena, r, labels);
    add_steps(plan, arena);

    plan_documents(plan, arena);
}

const char *role_key(enum role role)
{
    static const char *const keys[] = {
        [ROLE_HOLDER] = "role.titulaire", [ROLE_MANAGER] = "role.responsable",
        [ROLE_RL] = "role.rl", [ROLE_DELEGATE] = "role.delegataire",
    };
    return keys[role];
}
