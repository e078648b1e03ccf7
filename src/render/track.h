/* Tracking codes printed (and QR-encoded) on every page: format, parse, check. */
#ifndef DOSSIER_TRACK_H
#define DOSSIER_TRACK_H

#include <stdbool.h>
#include <stddef.h>

struct dossier_problems;
struct code_key;

/* Format tags and versions: DSR1 carries a CRC-32 (a mistyped code is caught), DSR2 an
 * Ed25519 signature (a forged one is caught by whoever holds the public key). */
#define TRACK_FORMAT "DSR1"
#define TRACK_FORMAT_SIGNED "DSR2"
/* The 64-byte signature as one big-endian number in decimal, zero-padded: QR numeric
 * mode packs 3 digits in 10 bits, the densest form zbar hands back as text. */
#define TRACK_SIGNATURE_DIGITS 155
/* Longest code text, terminator included. */
#define TRACK_CODE_MAX 256

struct track_code {
    char format[8];
    char numero[24];
    char document[8];
    int page;
    int pages;
    unsigned long check;        /* DSR1 */
    /* DSR2 */
    bool is_signed;
    char date[9];               /* AAAAMMJJ, the dossier's date (UTC) */
    char siren[16];             /* the organisation's SIREN, digits only; may be empty */
    char key_id[9];             /* the signing key's id (see code_key.id) */
    unsigned char signature[64];
    char text[TRACK_CODE_MAX];  /* the code as parsed (upper case, trimmed) */
    size_t signed_len;          /* TEXT[0, SIGNED_LEN) is what the signature covers */
};

/* "DSR1:600101:FOR:2/6:1A2B3C4D": the check is the CRC-32 (zlib, IEEE 802.3) of
 * everything before the last colon, as 8 upper-case hex digits. Only characters of
 * the QR alphanumeric set, so the code stays small and can be typed back. */
void track_code_format(char *out, size_t size, const char *numero, const char *document,
                       int page, int pages);

/* "DSR2:600101:FOR:2/6:20261124:123456782:1A2B3C4D:<155 digits>": request, document,
 * page/pages, the dossier's date (AAAAMMJJ), the SIREN (digits; empty when none), the
 * key id, then the Ed25519 signature of everything before the last colon. False when
 * KEY cannot sign or OUT is too small. */
bool track_code_format_signed(char *out, size_t size, const char *numero, const char *document,
                              int page, int pages, const char *date, const char *siren,
                              const struct code_key *key);

/* Parses TEXT (case-insensitive) and, for DSR1, checks its CRC; on failure a
 * "track.invalid" problem in PROBLEMS says what is wrong. A DSR2 code's signature is
 * checked by track_code_verify. */
bool track_code_parse(const char *text, struct track_code *code, struct dossier_problems *problems);

/* True when CODE is signed, by KEY (same id), and the signature holds. */
bool track_code_verify(const struct track_code *code, const struct code_key *key);

/* French name of a document code ("FOR" -> "formulaire d'abonnement"), or NULL. */
const char *track_document_name(const char *code);

#endif
