/* UTF-8 and Windows-1252 helpers shared by the readers, the rules and the renderer. */
#ifndef DOSSIER_TEXT_H
#define DOSSIER_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Decodes one code point at *P (advancing it); returns -1 on a malformed sequence
 * (and skips one byte). Overlongs, surrogates and values above U+10FFFF are malformed. */
int32_t utf8_next(const char **p, const char *end);

/* True when the LEN bytes are well-formed UTF-8. */
bool utf8_is_valid(const char *text, size_t len);

/* Number of code points of a valid UTF-8 string. */
size_t utf8_length(const char *text);

/* Appends the UTF-8 form of CP to OUT (at least 4 bytes free); returns bytes written. */
size_t utf8_put(char *out, int32_t cp);

/* Composes, in place, a base letter followed by a combining mark into the
 * precomposed character when the code pages we print have it ("e" + U+0301 -> "é"):
 * text exported in decomposed form (NFD) prints like any other. TEXT must be valid
 * UTF-8; the result is never longer. */
void utf8_compose(char *text);

/* Code point of a Windows-1252 byte, or -1 for the five undefined bytes. */
int32_t cp1252_to_unicode(unsigned char byte);

/* Converts Windows-1252 text to UTF-8; *BAD_OFFSET gets the first undefined byte's
 * offset, or -1. */
char *cp1252_to_utf8(struct arena *arena, const char *text, size_t len, long *bad_offset);

#endif
