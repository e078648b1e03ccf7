/* From an accepted request to what its dossier holds. */
#include "plan.h"
#include "../util/arena.h"

#include <string.h>

static void person_from(struct person *p, const struct request *r, enum role role, enum field_id first)
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
}

static void add_piece(struct plan *plan, const char *label, const struct person *whom, int field,
                      bool identity)
{
    if (plan->piece_count == PLAN_MAX_PIECES)
        return;
    const struct request *r = plan->request;
    plan->pieces[plan->piece_count++] = (struct planned_piece){
        label, whom, field, request_get(r, (enum field_id)field) != NULL, identity };
}

void plan_make(struct plan *plan, const struct request *r, const struct catalogue *c, bool paper,
               const char *id_label, const char *delegation_label)
{
    memset(plan, 0, sizeof *plan);
    plan->request = r;
    plan->paper = paper;
    plan->product = catalogue_product(c, request_get(r, F_CERT_PRODUIT));
    plan->payment = product_payment(plan->product, request_get(r, F_CERT_PAIEMENT));
    plan->support = request_get(r, F_CERT_SUPPORT) ? product_support(plan->product, request_get(r, F_CERT_SUPPORT)) : NULL;
    plan->send_office = catalogue_office(c, request_get(r, F_MOD_BUREAU_ENVOI));
    plan->pickup_office = catalogue_office(c, request_get(r, F_MOD_BUREAU_RETRAIT));
    plan->rule = catalogue_pieces_rule(c, request_get(r, F_ORG_CATEGORIE));

    bool person = plan->product->family == FAMILY_PERSON;
    if (person)
        person_from(&plan->holder, r, ROLE_HOLDER, F_TIT_PRENOM);
    else
        person_from(&plan->holder, r, ROLE_MANAGER, F_RESP_PRENOM);
    plan->holder_is_rl = r->facts.holder_is_rl;
    if (plan->holder_is_rl) {
        plan->rl = plan->holder;
        plan->rl.role = ROLE_RL;
    } else {
        person_from(&plan->rl, r, ROLE_RL, F_RL_PRENOM);
    }
    plan->has_delegate = r->facts.has_delegate;
    if (plan->has_delegate)
        person_from(&plan->delegate, r, ROLE_DELEGATE, F_DEL_PRENOM);

    /* The holder signs; for the organisation, the délégataire if there is one,
     * otherwise the RL — unless the RL is the holder, who then signs once for both. */
    plan->signatories[0] = &plan->holder;
    if (plan->has_delegate)
        plan->signatories[1] = &plan->delegate;
    else if (!plan->holder_is_rl)
        plan->signatories[1] = &plan->rl;

    add_piece(plan, id_label, &plan->holder, F_PCE_ID_TITULAIRE, true);
    if (!plan->holder_is_rl)
        add_piece(plan, id_label, &plan->rl, F_PCE_ID_RL, true);
    if (plan->has_delegate) {
        add_piece(plan, id_label, &plan->delegate, F_PCE_ID_DELEGATAIRE, true);
        add_piece(plan, delegation_label, &plan->delegate, F_PCE_DELEGATION, false);
    }
    for (size_t i = 0; i < plan->rule->act_count; i++)
        add_piece(plan, plan->rule->acts[i], &plan->rl, F_PCE_ACTE_NOMINATION, false);
}

char *person_name(struct arena *arena, const struct person *p)
{
    /* Names are printed exactly as keyed in (no upper-casing): they must match the
     * identity documents character for character. */
    return arena_printf(arena, "%s %s", p->prenom ? p->prenom : "", p->nom ? p->nom : "");
}
