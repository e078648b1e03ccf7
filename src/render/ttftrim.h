/* The horizontal metrics of the glyphs a font subset leaves out, zeroed: libharu
 * copies every entry of the hmtx table into each embedded subset (490 glyphs of
 * Dossier Sans, about 1 KB deflated per font), though only the kept glyphs are ever
 * looked up (a simple font's widths come from the PDF's /Widths). */
#ifndef DOSSIER_TTFTRIM_H
#define DOSSIER_TTFTRIM_H

#include <stdbool.h>
#include <stddef.h>

/* In the TrueType font TTF[0..LEN), zeroes the hmtx entries of every glyph G with
 * !USED[G] (G < GLYPHS; glyph 0, .notdef, is kept) and fixes the table's checksum
 * and the font's checkSumAdjustment. False, TTF untouched, when the tables are not
 * where their directory says. */
bool ttf_trim_metrics(unsigned char *ttf, size_t len, const unsigned char *used, size_t glyphs);

#endif
