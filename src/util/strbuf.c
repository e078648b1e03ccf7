/* Growable byte buffer with JSON, CSV and XML escaping. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(struct strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *data = realloc(sb->data, cap);
    if (!data)
        abort();
    sb->data = data;
    sb->cap = cap;
}

void sb_append(struct strbuf *sb, const char *data, size_t len)
{
    reserve(sb, len);
    memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *text)
{
    sb_append(sb, text, strlen(text));
}

void sb_printf(struct strbuf *sb, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int len = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    if (len <= 0)
        return;
    reserve(sb, (size_t)len);
    va_start(ap, format);
    vsnprintf(sb->data + sb->len, (size_t)len + 1, format, ap);
    va_end(ap);
    sb->len += (size_t)len;
}

void sb_json_string(struct strbuf *sb, const char *text)
{
    sb_puts(sb, "\"");
    for (const unsigned char *s = (const unsigned char *)(text ? text : ""); *s; s++) {
        switch (*s) {
        case '"': sb_puts(sb, "\\\""); break;
        case '\\': sb_puts(sb, "\\\\"); break;
        case '\n': sb_puts(sb, "\\n"); break;
        case '\r': sb_puts(sb, "\\r"); break;
        case '\t': sb_puts(sb, "\\t"); break;
        default:
            if (*s < 0x20)
                sb_printf(sb, "\\u%04x", *s);
            else
                sb_append(sb, (const char *)s, 1);
        }
    }
    sb_puts(sb, "\"");
}

void sb_csv_cell(struct strbuf *sb, const char *text, char delim)
{
    text = text ? text : "";
    if (!strchr(text, delim) && !strchr(text, '"') && !strchr(text, '\n') && !strchr(text, '\r')) {
        sb_puts(sb, text);
        return;
    }
    sb_puts(sb, "\"");
    for (const char *s = text; *s; s++) {
        if (*s == '"')
            sb_puts(sb, "\"");
        sb_append(sb, s, 1);
    }
    sb_puts(sb, "\"");
}

void sb_xml_text(struct strbuf *sb, const char *text)
{
    for (const char *s = text ? text : ""; *s; s++) {
        switch (*s) {
        case '&': sb_puts(sb, "&amp;"); break;
        case '<': sb_puts(sb, "&lt;"); break;
        case '>': sb_puts(sb, "&gt;"); break;
        case '"': sb_puts(sb, "&quot;"); break;
        default: sb_append(sb, s, 1);
        }
    }
}

char *sb_take(struct strbuf *sb)
{
    char *data = sb->data;
    if (!data) {
        data = malloc(1);
        if (!data)
            abort();
        data[0] = '\0';
    }
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return data;
}

void sb_release(struct strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}
