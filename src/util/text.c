/* UTF-8 decoding and Windows-1252 conversion, bounds-checked. */
#include "text.h"
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#include "compose_table.h"

int32_t utf8_next(const char **p, const char *end)
{
    const unsigned char *s = (const unsigned char *)*p;
    const unsigned char *e = (const unsigned char *)end;
    if (s >= e)
        return -1;
    unsigned char c = s[0];
    int32_t cp;
    int n;
    if (c < 0x80) {
        *p += 1;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        cp = c & 0x1F;
        n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        cp = c & 0x0F;
        n = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
        cp = c & 0x07;
        n = 3;
    } else {
        *p += 1;
        return -1;
    }
    if (e - s <= n) {
        *p += 1;
        return -1;
    }
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p += 1;
            return -1;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        *p += 1;
        return -1;
    }
    *p += n + 1;
    return cp;
}

bool utf8_is_valid(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end)
        if (utf8_next(&p, end) < 0)
            return false;
    return true;
}

size_t utf8_length(const char *text)
{
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++)
        if ((*s & 0xC0) != 0x80)
            n++;
    return n;
}

size_t utf8_put(char *out, int32_t cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* 0x80..0x9F of Windows-1252; -1 marks the undefined bytes. */
static const int32_t cp1252_high[32] = {
    0x20AC, -1,     0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, -1,     0x017D, -1,
    -1,     0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, -1,     0x017E, 0x0178,
};

int32_t cp1252_to_unicode(unsigned char byte)
{
    if (byte >= 0x80 && byte <= 0x9F)
        return cp1252_high[byte - 0x80];
    return byte;
}

char *cp1252_to_utf8(struct arena *arena, const char *text, size_t len, long *bad_offset)
{
    char *out = arena_alloc(arena, len * 3 + 1);
    char *o = out;
    *bad_offset = -1;
    for (size_t i = 0; i < len; i++) {
        int32_t cp = cp1252_to_unicode((unsigned char)text[i]);
        if (cp < 0) {
            if (*bad_offset < 0)
                *bad_offset = (long)i;
            cp = 0xFFFD;
        }
        o += utf8_put(o, cp);
    }
    *o = '\0';
    return out;
}

static int compare_pair(const void *key, const void *item)
{
    const struct compose_pair *a = key, *b = item;
    if (a->base != b->base)
        return a->base < b->base ? -1 : 1;
    return a->mark < b->mark ? -1 : a->mark > b->mark;
}

static int32_t composed(int32_t base, int32_t mark)
{
    if (base <= 0 || base > 0xFFFF || mark < 0x0300 || mark > 0x036F)
        return -1;
    struct compose_pair key = { (unsigned short)base, (unsigned short)mark, 0 };
    const struct compose_pair *hit = bsearch(&key, compose_table, sizeof compose_table / sizeof *compose_table,
                                             sizeof *compose_table, compare_pair);
    return hit ? hit->composed : -1;
}

void utf8_compose(char *text)
{
    const char *end = text + strlen(text);
    const char *p = text;
    char *out = text;
    char *last_start = NULL;        /* where the previous character was written */
    int32_t last = -1;
    while (p < end) {
        const char *before = p;
        int32_t cp = utf8_next(&p, end);
        if (cp < 0) {
            /* Not valid UTF-8: keep the rest as it is. */
            memmove(out, before, (size_t)(end - before) + 1);
            return;
        }
        int32_t c = composed(last, cp);
        if (c >= 0) {
            out = last_start;
            cp = c;
        }
        last_start = out;
        out += utf8_put(out, cp);
        last = cp;
    }
    *out = '\0';
}
