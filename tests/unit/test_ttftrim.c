/* Pins the trimming of a font subset's metrics (src/render/ttftrim.c): the kept
 * glyphs' metrics are untouched, the others zero, and the font's checksums hold. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/render/ttftrim.h"
#include "../../src/util/fileio.h"

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t sum(const unsigned char *p, size_t len)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 4 <= len; i += 4)
        s += be32(p + i);
    return s;
}

static const unsigned char *table(const unsigned char *ttf, const char *tag, size_t *len)
{
    unsigned n = (unsigned)ttf[4] << 8 | ttf[5];
    for (unsigned i = 0; i < n; i++)
        if (memcmp(ttf + 12 + 16 * i, tag, 4) == 0) {
            *len = be32(ttf + 12 + 16 * i + 12);
            return ttf + be32(ttf + 12 + 16 * i + 8);
        }
    fail_msg("table %s absente", tag);
    return NULL;
}

static void test_trim(void **state)
{
    (void)state;
    size_t len;
    unsigned char *ttf = (unsigned char *)file_read_all(SOURCE_DIR "/fonts/DossierSans-Regular.ttf", 1 << 20, &len);
    assert_non_null(ttf);
    unsigned char *before = malloc(len);
    memcpy(before, ttf, len);
    size_t hhea_len, hmtx_len, maxp_len;
    const unsigned char *hhea = table(ttf, "hhea", &hhea_len);
    const unsigned char *maxp = table(ttf, "maxp", &maxp_len);
    size_t glyphs = (size_t)maxp[4] << 8 | maxp[5], long_metrics = (size_t)hhea[34] << 8 | hhea[35];
    unsigned char *used = calloc(glyphs, 1);
    used[5] = used[36] = 1;
    assert_true(ttf_trim_metrics(ttf, len, used, glyphs));
    const unsigned char *hmtx = table(ttf, "hmtx", &hmtx_len);
    const unsigned char *old = table(before, "hmtx", &hmtx_len);
    assert_true(long_metrics > 36);
    assert_memory_equal(hmtx, old, 4);              /* .notdef kept */
    assert_memory_equal(hmtx + 4 * 5, old + 4 * 5, 4);
    assert_memory_equal(hmtx + 4 * 36, old + 4 * 36, 4);
    static const unsigned char zero[4];
    assert_memory_equal(hmtx + 4 * 6, zero, 4);
    assert_true(memcmp(old + 4 * 6, zero, 4) != 0);
    /* The whole font sums to the magic number; the hmtx entry's checksum is right. */
    if (len % 4 == 0)
        assert_int_equal(sum(ttf, len), 0xB1B0AFBAu);
    size_t n = (size_t)ttf[4] << 8 | ttf[5];
    for (size_t i = 0; i < n; i++)
        if (memcmp(ttf + 12 + 16 * i, "hmtx", 4) == 0 && hmtx_len % 4 == 0)
            assert_int_equal(be32(ttf + 12 + 16 * i + 4), sum(hmtx, hmtx_len));
    /* Not a font: refused, untouched. */
    unsigned char junk[64] = { 0, 1, 0, 0, 0, 9 };
    assert_false(ttf_trim_metrics(junk, sizeof junk, used, glyphs));
    free(used);
    free(before);
    free(ttf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
