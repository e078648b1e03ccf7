/* Syntax of single values: e-mail, FQDN, French phone numbers, dates, digits. */
#ifndef DOSSIER_SYNTAX_H
#define DOSSIER_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

bool digits_only(const char *text);

/* addr-spec with a dot-atom local part (RFC 5322, no quoted strings, no comments)
 * and a domain that is a FQDN; at most 254 bytes, local part at most 64. */
bool email_is_valid(const char *text);

/* Host name: 2+ labels of letters, digits and hyphens (no hyphen at either end),
 * 1-63 bytes each, 253 in all, an optional final dot, a TLD that is not all digits. */
bool fqdn_is_valid(const char *text);

/* French number: 0X XX XX XX XX (X non-zero), or +33 / 0033 — or an overseas
 * department's code, +262, +590, +594, +596, +269 — then 9 digits without the leading
 * 0 ("+33 (0)4 ..." tolerated); spaces, dots and hyphens between digits. */
bool phone_fr_is_valid(const char *text);

/* AAAA-MM-JJ or JJ/MM/AAAA, a real calendar date between 1900 and 2199. */
bool date_parse(const char *text, int *year, int *month, int *day);

/* Five digits, a department prefix that exists (01-95, 97, 98; 20 for Corsica). */
bool postcode_fr_is_valid(const char *text);

#endif
