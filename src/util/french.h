/* French typography the documents need: elision of "de" before a name, dates in
 * words, and case folding of Latin letters for comparing names. */
#ifndef DOSSIER_FRENCH_H
#define DOSSIER_FRENCH_H

#include <stdbool.h>
#include <stdint.h>

struct arena;

/* Lower case of a Latin letter (ASCII, Latin-1, Latin Extended-A); other code points
 * unchanged. */
int32_t fr_fold(int32_t cp);

/* True when A and B are the same text but for the case of their letters. */
bool fr_equal_folded(const char *a, const char *b);

/* True when "de", "le" or "la" elide before WORD: it starts with a vowel, an h (first
 * names take the mute h: d'Hélène, d'Hervé) or a y before a consonant (d'Yves, but de
 * Yolande). */
bool fr_elides(const char *word);

/* "de NAME" or "d’NAME" (typographic apostrophe), in ARENA. */
const char *fr_de(struct arena *arena, const char *name);

/* "15 janvier 2026", "1er mars 2026" (the first of the month is "1er"), in ARENA; NULL
 * when MONTH is not 1 to 12. */
const char *fr_date_words(struct arena *arena, int year, int month, int day);

#endif
