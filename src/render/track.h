/* Tracking codes printed (and QR-encoded) on every page: format, parse, check. */
#ifndef DOSSIER_TRACK_H
#define DOSSIER_TRACK_H

#include <stdbool.h>
#include <stddef.h>

struct dossier_problems;

/* Format tag and version. */
#define TRACK_FORMAT "DSR1"

struct track_code {
    char format[8];
    char numero[24];
    char document[8];
    int page;
    int pages;
    unsigned long check;
};

/* "DSR1:600101:FOR:2/6:1A2B3C4D": the check is the CRC-32 (zlib, IEEE 802.3) of
 * everything before the last colon, as 8 upper-case hex digits. Only characters of
 * the QR alphanumeric set, so the code stays small and can be typed back. */
void track_code_format(char *out, size_t size, const char *numero, const char *document,
                       int page, int pages);

/* Parses and checks TEXT (case-insensitive); on failure a "track.invalid" problem
 * in PROBLEMS says what is wrong. */
bool track_code_parse(const char *text, struct track_code *code, struct dossier_problems *problems);

/* French name of a document code ("FOR" -> "formulaire d'abonnement"), or NULL. */
const char *track_document_name(const char *code);

#endif
