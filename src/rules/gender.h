/* The grammatical gender of a person's role ("la représentante légale"), from the
 * civilité keyed in, else from the first name (templates/prenoms.xml), else unknown:
 * the documents then use the inclusive forms ("représentant(e) légal(e)"). */
#ifndef DOSSIER_GENDER_H
#define DOSSIER_GENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/diag.h"

struct arena;

enum gender { GENDER_UNKNOWN, GENDER_FEMININE, GENDER_MASCULINE };

/* First names whose gender is certain, folded to lower case. */
struct first_names {
    const char **feminine, **masculine;
    size_t feminine_count, masculine_count;
};

/* Reads DIR/prenoms.xml into NAMES (strings in ARENA); a name in both lists is a
 * configuration error (problems to DIAGS). */
bool first_names_load(struct first_names *names, struct arena *arena, const char *dir,
                      struct dossier_problems *diags);

/* "Madame", "Mme", "Monsieur", "M." (any case) into *GENDER; false for anything else. */
bool civility_parse(const char *text, enum gender *gender);

/* The gender CIVILITY says, when given; else the one of FIRST_NAME's first part
 * ("Anne-Sophie": Anne); else GENDER_UNKNOWN. */
enum gender gender_of(const struct first_names *names, const char *civility, const char *first_name);

#endif
