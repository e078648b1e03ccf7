/* Code page tables (generated from libharu) and lookups. */
#include "codepage.h"
#include "text.h"

#include <string.h>

#include "codepage_tables.h"

unsigned char codepage_encode(int e, int32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return (unsigned char)cp;
    if (cp <= 0 || cp > 0xFFFF)
        return 0;
    /* Most code pages keep Latin-1's letters at their own values (é is 0xE9 in
     * CP1252): one look before the search. */
    if (cp >= 0x80 && cp <= 0xFF && codepage_high[e][cp - 0x80] == cp)
        return (unsigned char)cp;
    for (int i = 0; i < 128; i++)
        if (codepage_high[e][i] == cp)
            return (unsigned char)(0x80 + i);
    return 0;
}

int32_t codepage_decode(int e, unsigned char byte)
{
    if (byte >= 0x20 && byte < 0x7F)
        return byte;
    if (byte < 0x80)
        return 0;
    return codepage_high[e][byte - 0x80];
}

int codepage_for(int32_t cp)
{
    for (int e = 0; e < CODEPAGE_COUNT; e++)
        if (codepage_encode(e, cp))
            return e;
    return -1;
}

int32_t codepage_substitute(int32_t cp)
{
    switch (cp) {
    case 0x202F: /* narrow no-break space (French « ») */
    case 0x2007: /* figure space */
        return 0x00A0;
    case 0x2009: /* thin space */
    case 0x200A: /* hair space */
    case 0x2002: /* en space */
    case 0x2003: /* em space */
    case '\t':
        return ' ';
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2212: /* minus sign */
        return '-';
    default:
        return cp;
    }
}

bool text_is_printable(const char *text, int32_t *bad)
{
    const char *p = text, *end = text + strlen(text);
    while (p < end) {
        int32_t cp = utf8_next(&p, end);
        if (cp == '\n')
            continue;
        if (cp < 0 || codepage_for(codepage_substitute(cp)) < 0) {
            *bad = cp;
            return false;
        }
    }
    return true;
}
