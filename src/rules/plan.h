/* The plan of a dossier: which documents, which pieces, which signatories. */
#ifndef DOSSIER_PLAN_H
#define DOSSIER_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/request.h"
#include "catalogue.h"

enum role { ROLE_HOLDER, ROLE_MANAGER, ROLE_RL, ROLE_DELEGATE };

struct person {
    enum role role;
    const char *prenom, *nom, *email, *fonction, *service, *tel_bureau, *tel_portable;
};

struct planned_piece {
    const char *label;          /* what the piece is */
    const struct person *whom;  /* who it concerns, NULL for the organisation */
    int field;                  /* piece field (F_PCE_...) that supplies it */
    bool joined;                /* a file was supplied */
    bool identity;              /* an ID copy ("certifié conforme" in the paper flow) */
};

#define PLAN_MAX_PIECES 24

struct plan {
    const struct request *request;
    const struct product *product;
    const struct option *payment;
    const struct option *support;       /* NULL when none */
    const struct office *send_office;
    const struct office *pickup_office;
    const struct pieces_rule *rule;
    bool paper;
    struct person holder;               /* titulaire, or responsable for seal/server */
    struct person rl;                   /* equals the holder's identity when est_rl */
    struct person delegate;
    bool has_delegate;
    bool holder_is_rl;
    const struct person *signatories[2];    /* holder, then RL or délégataire */
    struct planned_piece pieces[PLAN_MAX_PIECES];
    size_t piece_count;
};

/* Plans an accepted request. ID_LABEL and DELEGATION_LABEL name those pieces. */
void plan_make(struct plan *plan, const struct request *r, const struct catalogue *c, bool paper,
               const char *id_label, const char *delegation_label);

/* "Prénom Nom", as keyed in. */
char *person_name(struct arena *arena, const struct person *p);

#endif
