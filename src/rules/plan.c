/* From an accepted request to what its dossier holds. */
#include "plan.h"
#include "../model/request.h"
#include "../util/arena.h"

#include <stdio.h>
#include <string.h>

static void person_from(struct person *p, struct arena *arena, const struct request *r, enum role role,
                        enum field_id first)
{
    p->role = role;
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

/* Appends a line to the pieces list (room for every line was made beforehand) and,
 * when FIELD supplied a file, the attachment that carries it: one per field, however
 * many lines it stands for. */
static void add_piece(struct plan *plan, struct arena *arena, const struct request *r, const char *label,
                      const struct person *whom, enum field_id field, bool identity)
{
    size_t slot = (size_t)(field - F_PCE_ID_TITULAIRE);
    struct planned_piece *piece = &plan->pieces[plan->piece_count++];
    *piece = (struct planned_piece){ label, whom, r->facts.piece_path[slot] != NULL, identity, NULL };
    if (!piece->joined)
        return;
    for (size_t i = 0; i < plan->attachment_count; i++) {
        struct attachment *a = &plan->attachments[i];
        if (strcmp(a->field, field_table[field].name) != 0)
            continue;
        piece->file = a;
        /* The same label twice (two acts worded alike) is said once. */
        bool seen = false;
        for (const struct planned_piece *p = plan->pieces; p < piece && !seen; p++)
            seen = p->file == a && strcmp(p->label, label) == 0;
        if (!seen)
            a->labels = arena_printf(arena, "%s ; %s", a->labels, label);
        return;
    }
    enum attachment_kind kind = identity ? ATTACH_IDENTITY
                              : field == F_PCE_DELEGATION ? ATTACH_DELEGATION : ATTACH_ACT;
    struct attachment *a = &plan->attachments[plan->attachment_count++];
    *a = (struct attachment){
        .kind = kind,
        .whom = whom,
        .labels = label,
        .conforme = plan->paper && identity && whom,
        .path = r->facts.piece_path[slot],
        .type = r->facts.piece_type[slot],
        .given = request_get(r, field),
        .field = field_table[field].name,
        .loc = request_loc(r, field),
    };
    piece->file = a;
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
    };

    plan->product = r->facts.product;
    plan->payment = product_payment(plan->product, request_get(r, F_CERT_PAIEMENT));
    plan->support = request_get(r, F_CERT_SUPPORT) ? product_support(plan->product, request_get(r, F_CERT_SUPPORT)) : NULL;
    if (plan->product->family == FAMILY_SEAL)
        plan->service_name = request_get(r, F_SA_NOM);
    else if (plan->product->family == FAMILY_SERVER)
        plan->service_name = request_get(r, F_SA_FQDN);
    plan->service_email = request_get(r, F_SA_EMAIL);

    bool person = plan->product->family == FAMILY_PERSON;
    if (person)
        person_from(&plan->holder, arena, r, ROLE_HOLDER, F_TIT_PRENOM);
    else
        person_from(&plan->holder, arena, r, ROLE_MANAGER, F_RESP_PRENOM);
    plan->holder_is_rl = r->facts.holder_is_rl;
    if (plan->holder_is_rl) {
        plan->rl = plan->holder;
        plan->rl.role = ROLE_RL;
    } else {
        person_from(&plan->rl, arena, r, ROLE_RL, F_RL_PRENOM);
    }
    plan->has_delegate = r->facts.has_delegate;
    if (plan->has_delegate)
        person_from(&plan->delegate, arena, r, ROLE_DELEGATE, F_DEL_PRENOM);

    /* The holder signs; for the organisation, the délégataire if there is one,
     * otherwise the RL — unless the RL is the holder, who then signs once for both. */
    plan->signatories[0] = &plan->holder;
    if (plan->has_delegate)
        plan->signatories[1] = &plan->delegate;
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
    /* Room for every line the rules can ask for: ID copies, délégation, and each act. */
    size_t most = 4 + plan->rule->act_count;
    plan->pieces = arena_alloc(arena, most * sizeof *plan->pieces);
    plan->attachments = arena_alloc(arena, PIECE_FIELD_COUNT * sizeof *plan->attachments);
    add_piece(plan, arena, r, labels->id, &plan->holder, F_PCE_ID_TITULAIRE, true);
    if (!plan->holder_is_rl)
        add_piece(plan, arena, r, labels->id, &plan->rl, F_PCE_ID_RL, true);
    if (plan->has_delegate) {
        add_piece(plan, arena, r, labels->id, &plan->delegate, F_PCE_ID_DELEGATAIRE, true);
        add_piece(plan, arena, r, labels->delegation, &plan->delegate, F_PCE_DELEGATION, false);
    }
    for (size_t i = 0; i < plan->rule->act_count; i++)
        add_piece(plan, arena, r, plan->rule->acts[i], &plan->rl, F_PCE_ACTE_NOMINATION, false);

    plan_documents(plan, arena);
}
