/* The catalogue: products, registration offices, pieces rules and the authority,
 * read once per batch from templates/ and never changed afterwards. */
#ifndef DOSSIER_CATALOGUE_H
#define DOSSIER_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/diag.h"
#include "categories.h"
#include "gender.h"

struct arena;

enum product_family { FAMILY_PERSON, FAMILY_SEAL, FAMILY_SERVER };

struct choice {
    const char *code;
    const char *label;
};

/* Something the CA does itself for a product (check the domain, receive the CSR): a
 * line of the pieces list, not a file to attach. */
struct step {
    const char *code;
    const char *label;          /* {fqdn} is filled in */
    bool by_applicant;          /* the applicant's step (the CSR), not the CA's */
};

struct product {
    const char *code;
    const char *label;
    const char *description;
    enum product_family family;
    bool support_required;
    bool face_to_face;          /* handed over in person, against the original ID */
    const char *prerequisites;  /* the box the applicant ticked; {fqdn} is filled in */
    struct choice *payments;
    size_t payment_count;
    struct choice *supports;
    size_t support_count;
    struct step *steps;
    size_t step_count;
};

struct office {
    const char *code, *name, *service, *address, *complement, *postcode, *city;
    const char *phone, *email;
};

/* An act to attach; the field pieces.<code> supplies its file. */
struct act {
    const char *code;           /* kbis, sirene, statuts, publication, nomination, registre */
    const char *label;
    const char *if_needed;      /* an act needed only in this case ("si ..."), or NULL */
};

/* A line of a rule: one act, or a choice of acts one file satisfies. */
struct rule_line {
    struct act *acts;
    size_t act_count;
    bool choice;
};

/* What an organisation of a legal category must prove. */
struct pieces_rule {
    const char *code;       /* 1, 2 or 4 digits; "" for the default */
    const char *label;      /* the category's name */
    struct rule_line *lines;
    size_t line_count;
    const char *proof;      /* the act proving the RL's powers: pieces.acte_nomination's */
    const char *refusal;    /* the category cannot request here: why ({contact} filled) */
    const char *note;       /* may be NULL */
};

/* The act of RULE with CODE (and its line in *LINE when not NULL), or NULL. */
const struct act *pieces_rule_act(const struct pieces_rule *rule, const char *code, const struct rule_line **line);

/* The wording of the délégation de signature for the categories starting with one of
 * PREFIXES (public law: an arrêté or a décision), or for all others (PREFIXES NULL). */
struct delegation_wording {
    const char **prefixes;
    size_t prefix_count;
    const char *label;
};

struct authority {
    const char *name, *legal_name, *address, *postcode, *city, *phone, *email, *website;
    const char *legal_notice;
};

struct catalogue {
    struct arena *arena;
    const char *dir;
    struct product *products;
    size_t product_count;
    struct office *offices;
    size_t office_count;
    struct pieces_rule *rules;
    size_t rule_count;
    const char *pieces_version;
    struct delegation_wording *delegations;
    size_t delegation_count;
    struct categories categories;
    struct first_names first_names;
    struct authority authority;
};

/* Reads produits.xml, bureaux.xml, pieces.xml, categories.xml, prenoms.xml and
 * autorite.xml from DIR. Problems go
 * to DIAGS (a broken template is a configuration error); NULL when any file fails. */
struct catalogue *catalogue_load(const char *dir, struct dossier_problems *diags);
void catalogue_free(struct catalogue *catalogue);

/* Lookups by code ignore case: spreadsheets capitalise cells ("Lyon", "Signature"). */
const struct product *catalogue_product(const struct catalogue *c, const char *code);
const struct choice *product_payment(const struct product *p, const char *code);
const struct choice *product_support(const struct product *p, const char *code);
const struct office *catalogue_office(const struct catalogue *c, const char *code);

/* The rule for a 4-digit INSEE category: exact code, else its 2-digit then 1-digit
 * prefix, else the default. Never NULL once loaded. */
const struct pieces_rule *catalogue_pieces_rule(const struct catalogue *c, const char *category);

/* The délégation de signature's wording for a category (never NULL once loaded). */
const char *catalogue_delegation(const struct catalogue *c, const char *category);

/* Comma-separated codes, for messages ("lyon, paris, marseille"). */
char *catalogue_codes(struct arena *arena, const struct choice *options, size_t count);
char *catalogue_product_codes(struct arena *arena, const struct catalogue *c);
char *catalogue_office_codes(struct arena *arena, const struct catalogue *c);

#endif
