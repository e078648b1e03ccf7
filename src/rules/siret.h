/* SIREN and SIRET checks: length, digits, Luhn key, La Poste's exception. */
#ifndef DOSSIER_SIRET_H
#define DOSSIER_SIRET_H

#include <stdbool.h>

enum siret_status {
    SIRET_OK,
    SIRET_LENGTH,       /* wrong number of digits */
    SIRET_DIGITS,       /* a character that is not a digit */
    SIRET_LUHN          /* the key does not match */
};

/* Luhn check of a string of digits (any length). */
bool luhn_is_valid(const char *digits);

/* TEXT may contain spaces between digit groups ("433 702 479"); they are ignored. */
enum siret_status siren_check(const char *text);
enum siret_status siret_check(const char *text);

/* SIREN of La Poste: its establishments' SIRETs follow a sum-of-digits rule
 * (multiple of 5) instead of Luhn, as INSEE documents. */
#define SIREN_LA_POSTE "356000000"

/* Copies TEXT without its spaces into OUT, a buffer of SIZE bytes; false when the
 * digits and their terminating NUL do not fit (then OUT holds a cut copy). */
bool siret_compact(const char *text, char *out, unsigned size);

#endif
