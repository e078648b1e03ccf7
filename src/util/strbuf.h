/* Growable byte buffer. */
#ifndef DOSSIER_STRBUF_H
#define DOSSIER_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *data;
    size_t len, cap;
};

void sb_append(struct strbuf *sb, const char *data, size_t len);
void sb_puts(struct strbuf *sb, const char *text);
void sb_printf(struct strbuf *sb, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Appends TEXT as a JSON string literal, quotes included. */
void sb_json_string(struct strbuf *sb, const char *text);
/* Appends TEXT as a CSV cell for DELIM, quoted when needed. */
void sb_csv_cell(struct strbuf *sb, const char *text, char delim);
/* Appends TEXT escaped for XML character data or attribute values. */
void sb_xml_text(struct strbuf *sb, const char *text);
/* Hands the buffer over (NUL-terminated, never NULL) and resets SB. */
char *sb_take(struct strbuf *sb);
void sb_release(struct strbuf *sb);

#endif
