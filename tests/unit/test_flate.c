/* Pins the joined deflate parts (src/render/flate.c): the stream inflates to the
 * parts in order, and its bytes do not depend on what the cache holds — cold, warm,
 * or shared by another document — which is what keeps outputs identical for any -j. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../src/render/flate.h"

/* TEXT repeated to about LEN bytes, with N mixed in: compressible, and distinct. */
static char *sample(size_t len, int n)
{
    char *s = malloc(len + 1);
    assert_non_null(s);
    size_t o = 0;
    while (o < len) {
        int k = snprintf(s + o, len + 1 - o, "BT 0 -11.62 Td (ligne %d de la page %d)Tj ET\n", (int)o, n);
        o += (size_t)k;
    }
    s[len] = '\0';
    return s;
}

static void assert_inflates_to(const unsigned char *z, size_t z_len, const char *expected, size_t len)
{
    unsigned char *out = malloc(len + 16);
    assert_non_null(out);
    uLongf got = len + 16;
    /* uncompress checks the zlib header and the Adler-32 of the whole. */
    assert_int_equal(uncompress(out, &got, z, z_len), Z_OK);
    assert_int_equal(got, len);
    assert_memory_equal(out, expected, len);
    free(out);
}

static void test_parts_join(void **state)
{
    (void)state;
    char *body = sample(9000, 1), *furniture = sample(700, 2);
    const struct flate_part parts[] = {
        { body, strlen(body), 1 }, { "", 0, 0 }, { furniture, strlen(furniture), 0 },
    };
    size_t len;
    unsigned char *z = flate_join(NULL, parts, 3, &len);
    char *both = malloc(strlen(body) + strlen(furniture) + 1);
    strcpy(both, body);
    strcat(both, furniture);
    assert_inflates_to(z, len, both, strlen(both));
    assert_true(len < strlen(both) / 3);
    free(z);
    /* No part at all: still a valid, empty stream. */
    z = flate_join(NULL, parts, 0, &len);
    assert_inflates_to(z, len, "", 0);
    free(z);
    free(both);
    free(body);
    free(furniture);
}

/* PARTS joined through CACHE give the bytes they give without it. */
static void assert_as_uncached(struct flate_cache *cache, const struct flate_part *parts, size_t count)
{
    size_t len, plain_len;
    unsigned char *z = flate_join(cache, parts, count, &len);
    unsigned char *plain = flate_join(NULL, parts, count, &plain_len);
    assert_int_equal(len, plain_len);
    assert_memory_equal(z, plain, len);
    free(z);
    free(plain);
}

static void test_cache_keeps_bytes(void **state)
{
    (void)state;
    struct flate_cache *cache = flate_cache_new();
    char *body = sample(12000, 3);
    size_t reference_len;
    const struct flate_part alone[] = { { body, strlen(body), 1 }, { "0 g\n", 4, 0 } };
    unsigned char *reference = flate_join(NULL, alone, 2, &reference_len);
    /* Seen once (remembered), twice (kept), then taken from the cache: the same bytes
     * each time, whatever follows the body. */
    for (int round = 0; round < 4; round++) {
        char tail[32];
        int n = snprintf(tail, sizeof tail, "(page %d)Tj\n", round);
        const struct flate_part parts[] = { { body, strlen(body), 1 }, { tail, (size_t)n, 0 } };
        assert_as_uncached(cache, parts, 2);
    }
    size_t len;
    unsigned char *z = flate_join(cache, alone, 2, &len);
    assert_int_equal(len, reference_len);
    assert_memory_equal(z, reference, len);
    struct flate_cache_stats stats;
    flate_cache_stats(cache, &stats);
    assert_int_equal(stats.stored, 1);
    assert_int_equal(stats.hits, 3);
    /* A body differing by one byte is not mistaken for the kept one. */
    body[100] ^= 1;
    const struct flate_part changed[] = { { body, strlen(body), 1 } };
    assert_as_uncached(cache, changed, 1);
    free(z);
    free(reference);
    free(body);
    flate_cache_free(cache);
}

static void test_blobs(void **state)
{
    (void)state;
    struct flate_cache *cache = flate_cache_new();
    size_t len, number;
    assert_null(flate_cache_blob(cache, "key", 3, &len, &number));
    const unsigned char value[] = { 1, 2, 3, 4 };
    flate_cache_keep_blob(cache, "key", 3, value, sizeof value, 11454);
    /* Kept only when met a second time: a one-off font subset does not fill memory. */
    assert_null(flate_cache_blob(cache, "key", 3, &len, &number));
    flate_cache_keep_blob(cache, "key", 3, value, sizeof value, 11454);
    unsigned char *got = flate_cache_blob(cache, "key", 3, &len, &number);
    assert_non_null(got);
    assert_int_equal(len, sizeof value);
    assert_int_equal(number, 11454);
    assert_memory_equal(got, value, len);
    free(got);
    assert_null(flate_cache_blob(cache, "kez", 3, &len, &number));
    assert_null(flate_cache_blob(NULL, "key", 3, &len, &number));
    flate_cache_free(cache);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_join),
        cmocka_unit_test(test_cache_keeps_bytes),
        cmocka_unit_test(test_blobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
