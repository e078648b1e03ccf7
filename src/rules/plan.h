/* The plan of a dossier: everything its documents show, decided once by the rules
 * from an accepted request and the catalogue — which documents and files, which
 * pieces and their status, who signs, every value to print. Renderers read the plan
 * and nothing else. */
#ifndef DOSSIER_PLAN_H
#define DOSSIER_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../model/piece_type.h"
#include "../util/diag.h"
#include "catalogue.h"
#include "gender.h"

struct arena;
struct request;

enum role { ROLE_HOLDER, ROLE_MANAGER, ROLE_RL, ROLE_DELEGATE };

/* The key of a role's name in textes.xml ("role.titulaire"...). */
const char *role_key(enum role role);

struct person {
    enum role role;
    enum gender gender;         /* of the role's wording: la représentante légale */
    const char *prenom, *nom, *email, *fonction, *service, *tel_bureau, *tel_portable;
    const char *name;           /* "Prénom Nom", exactly as keyed in */
};

/* The documents of SPEC section 3, in print order. */
enum doc_kind { DOC_BORDEREAU, DOC_FORMULAIRE, DOC_CGU, DOC_PIECES, DOC_JOINTES, DOC_KIND_COUNT };

enum attachment_kind { ATTACH_IDENTITY, ATTACH_DELEGATION, ATTACH_ACT };

/* An ID copy in one file (both sides, or a passport), or its recto and verso in two. */
enum id_side { SIDE_WHOLE, SIDE_RECTO, SIDE_VERSO };

/* A supplied file, and the pieces it stands for (one acte may cover several acts). */
struct attachment {
    enum attachment_kind kind;
    const struct person *whom;  /* NULL for the organisation */
    const char *labels;         /* the pieces it stands for, "; "-separated */
    const char *title;          /* for an act: the act's own label (what the page proves) */
    enum id_side side;          /* an ID copy: which side(s) the file shows */
    bool conforme;              /* paper flow ID copy: certified on the copy, by hand */
    const char *path;           /* resolved real path */
    enum piece_type type;
    const char *given;          /* the path as keyed in */
    const char *field;          /* "pieces.id_titulaire": where problems are reported */
    struct source_loc loc;
};

/* What a line of the pieces list says of its piece. */
enum piece_status {
    PIECE_JOINED,               /* its file is attached */
    PIECE_MISSING,              /* to be provided */
    PIECE_IF_NEEDED,            /* needed only in a case the rule names; not attached */
    PIECE_STEP,                 /* done by the CA itself: nothing to attach */
    PIECE_APPLICANT_STEP        /* done by the applicant later (the CSR): nothing to attach */
};

/* A line of the pieces list. */
struct planned_piece {
    const char *code;           /* id_titulaire, delegation, an act code, "kbis|sirene" for a
                                   choice, a CA step's code */
    const char *label;          /* what the piece is (a choice: every act, one a line) */
    const struct person *whom;  /* who it concerns, NULL for the organisation */
    enum piece_status status;
    bool identity;              /* an ID copy ("certifié conforme" in the paper flow) */
    const struct attachment *file;  /* the file attached for it, or NULL */
};

/* One PDF file of the dossier and the documents it holds. */
struct planned_file {
    const char *name;           /* "dossier-600101.pdf", "formulaire-600101.pdf" */
    size_t first, count;        /* its documents: PLAN->documents[first .. first + count) */
};

struct plan {
    const char *numero;
    const char *request_date;           /* JJ/MM/AAAA */
    const char *dossier_date;           /* JJ/MM/AAAA, of DATE */
    time_t date;
    bool paper;
    const char *demandeur;              /* may be NULL */

    struct plan_organisation {
        const char *denomination, *siren, *nic, *categorie, *etablissement, *adresse,
            *complement, *lieu_dit, *code_postal, *ville, *telephone;
        const char *categorie_label;    /* INSEE's label of the category */
    } org;

    const struct product *product;
    const struct choice *payment;
    const struct choice *support;       /* NULL when none */
    const char *service_name;           /* cachet: its name; serveur: its FQDN; else NULL */
    const char *service_email;
    const char *prerequisites;          /* the product's box, {fqdn} filled in */

    struct person holder;               /* titulaire, or responsable for seal/server */
    struct person rl;                   /* equals the holder's identity when holder_is_rl */
    struct person delegate;
    bool has_delegate;
    bool holder_is_rl;                  /* one person, one ID copy, one signature */
    bool holder_is_delegate;            /* likewise, the holder signs by delegation */
    const struct person *signatories[2];    /* holder, then RL or délégataire */

    const struct office *send_office;
    const struct office *pickup_office;
    struct plan_billing {
        const char *bon_commande, *engagement_juridique, *code_service;
        bool other;                     /* an address other than the establishment's */
        const char *destinataire, *raison_sociale, *complement, *voie, *mentions,
            *lieu_dit, *pays, *code_postal, *ville;
    } billing;

    const struct authority *authority;
    const struct pieces_rule *rule;
    const char *pieces_version;
    struct planned_piece *pieces;
    size_t piece_count;
    struct attachment *attachments;
    size_t attachment_count;

    enum doc_kind documents[DOC_KIND_COUNT];    /* of this flow, in print order */
    size_t document_count;
    struct planned_file files[DOC_KIND_COUNT];  /* paper: one; demat: one per document */
    size_t file_count;
};

/* Labels the plan takes from the document texts (the délégation's comes from the
 * pieces rules: it depends on the organisation's sector). */
struct plan_labels {
    const char *id;             /* "Pièce d'identité" */
    const char *choice;         /* "L'un des documents suivants :" */
};

/* Plans the accepted request R (facts set by validation) for the paper flow or the
 * dematerialised one, dated DATE; strings live in ARENA or in R and C. */
void plan_make(struct plan *plan, struct arena *arena, const struct request *r, const struct catalogue *c,
               const struct plan_labels *labels, bool paper, time_t date);

#endif
