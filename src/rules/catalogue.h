/* The catalogue: products, registration offices, pieces rules and the authority,
 * read once per batch from templates/ and never changed afterwards. */
#ifndef DOSSIER_CATALOGUE_H
#define DOSSIER_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/diag.h"

struct arena;

enum product_family { FAMILY_PERSON, FAMILY_SEAL, FAMILY_SERVER };

struct choice {
    const char *code;
    const char *label;
};

struct product {
    const char *code;
    const char *label;
    const char *description;
    enum product_family family;
    bool support_required;
    struct choice *payments;
    size_t payment_count;
    struct choice *supports;
    size_t support_count;
};

struct office {
    const char *code, *name, *service, *address, *complement, *postcode, *city;
    const char *phone, *email;
};

/* What proves the legal representative's appointment for a legal category. */
struct pieces_rule {
    const char *code;       /* 1, 2 or 4 digits; "" for the default */
    const char *label;      /* the category's name */
    const char **acts;
    size_t act_count;
    const char *note;       /* may be NULL */
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
    struct authority authority;
};

/* Reads produits.xml, bureaux.xml, pieces.xml and autorite.xml from DIR. Problems go
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

/* Comma-separated codes, for messages ("lyon, paris, marseille"). */
char *catalogue_codes(struct arena *arena, const struct choice *options, size_t count);
char *catalogue_product_codes(struct arena *arena, const struct catalogue *c);
char *catalogue_office_codes(struct arena *arena, const struct catalogue *c);

#endif
