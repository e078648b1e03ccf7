/* Unused glyphs' metrics zeroed in an embedded TrueType subset (see ttftrim.h). */
#include "ttftrim.h"

#include <stdint.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* The OpenType checksum: the sum of big-endian 32-bit words, the last one padded. */
static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        sum += be32(p + i);
    if (i < len) {
        unsigned char last[4] = { 0 };
        memcpy(last, p + i, len - i);
        sum += be32(last);
    }
    return sum;
}

/* The directory entry of TAG, or NULL; its table must lie inside the file. */
static unsigned char *table(unsigned char *ttf, size_t len, const char *tag, size_t *off, size_t *size)
{
    unsigned n = be16(ttf + 4);
    if (len < 12 + 16 * (size_t)n)
        return NULL;
    for (unsigned i = 0; i < n; i++) {
        unsigned char *e = ttf + 12 + 16 * i;
        if (memcmp(e, tag, 4) != 0)
            continue;
        *off = be32(e + 8);
        *size = be32(e + 12);
        return *off <= len && *size <= len - *off ? e : NULL;
    }
    return NULL;
}

bool ttf_trim_metrics(unsigned char *ttf, size_t len, const unsigned char *used, size_t glyphs)
{
    if (len < 12)
        return false;
    size_t hmtx_off, hmtx_len, hhea_off, hhea_len, head_off, head_len;
    unsigned char *hmtx = table(ttf, len, "hmtx", &hmtx_off, &hmtx_len);
    unsigned char *hhea = table(ttf, len, "hhea", &hhea_off, &hhea_len);
    unsigned char *head = table(ttf, len, "head", &head_off, &head_len);
    if (!hmtx || !hhea || !head || hhea_len < 36 || head_len < 12)
        return false;
    size_t long_metrics = be16(ttf + hhea_off + 34);   /* numberOfHMetrics */
    if (long_metrics == 0 || long_metrics > glyphs || 4 * long_metrics + 2 * (glyphs - long_metrics) > hmtx_len)
        return false;
    unsigned char *m = ttf + hmtx_off;
    for (size_t g = 1; g < glyphs; g++) {
        if (used[g])
            continue;
        if (g < long_metrics)
            memset(m + 4 * g, 0, 4);
        else
            memset(m + 4 * long_metrics + 2 * (g - long_metrics), 0, 2);
    }
    put32(hmtx + 4, checksum(m, hmtx_len));
    /* head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA. */
    put32(ttf + head_off + 8, 0);
    put32(ttf + head_off + 8, 0xB1B0AFBAu - checksum(ttf, len));
    return true;
}
