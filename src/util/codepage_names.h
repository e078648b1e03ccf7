/* The single-byte encodings text is typeset in, in order of preference: Western
 * European first (most French text stays in one font), then Central European,
 * Romanian, Baltic, Turkish, Maltese, Cyrillic and Greek. */
#ifndef DOSSIER_CODEPAGE_NAMES_H
#define DOSSIER_CODEPAGE_NAMES_H

#define CODEPAGE_COUNT 8

static const char *const codepage_names[CODEPAGE_COUNT] = {
    "CP1252", "CP1250", "ISO8859-16", "CP1257", "CP1254", "ISO8859-3", "CP1251", "CP1253",
};

#endif
