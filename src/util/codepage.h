/* Single-byte encodings for typesetting: which code page holds a character, and its byte. */
#ifndef DOSSIER_CODEPAGE_H
#define DOSSIER_CODEPAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "codepage_names.h"

/* Byte of CP in encoding E, or 0 when E lacks it. ASCII maps to itself everywhere. */
unsigned char codepage_encode(int e, int32_t cp);

/* Code point of BYTE in encoding E (0 when undefined). */
int32_t codepage_decode(int e, unsigned char byte);

/* First encoding (in preference order) that holds CP, or -1. */
int codepage_for(int32_t cp);

/* Typographic look-alikes printed as their nearest printable character
 * (narrow no-break space as no-break space, non-breaking hyphen as hyphen...). */
int32_t codepage_substitute(int32_t cp);

/* True when every character of the UTF-8 TEXT can be typeset; otherwise *BAD gets
 * the first one that cannot. */
bool text_is_printable(const char *text, int32_t *bad);

#endif
