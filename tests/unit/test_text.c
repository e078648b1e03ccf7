/* Pins UTF-8 decoding, Windows-1252 conversion and printability (src/util/text.c,
 * src/util/codepage.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/util/arena.h"
#include "../../src/util/codepage.h"
#include "../../src/util/text.h"

/* Decodes LEN bytes at S once; *USED gets the bytes consumed. */
static int32_t decode(const char *s, size_t len, size_t *used)
{
    const char *p = s;
    int32_t cp = utf8_next(&p, s + len);
    *used = (size_t)(p - s);
    return cp;
}

static void test_utf8_next_valid(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        int32_t cp;
    } cases[] = {
        { "A", 'A' },
        { "\x7F", 0x7F },
        { "\xC2\x80", 0x80 },
        { "\xC3\xA9", 0xE9 },
        { "\xDF\xBF", 0x7FF },
        { "\xE0\xA0\x80", 0x800 },
        { "\xE2\x82\xAC", 0x20AC },
        { "\xED\x9F\xBF", 0xD7FF },
        { "\xEE\x80\x80", 0xE000 },
        { "\xEF\xBF\xBD", 0xFFFD },
        { "\xF0\x90\x80\x80", 0x10000 },
        { "\xF0\x9F\x98\x80", 0x1F600 },
        { "\xF4\x8F\xBF\xBF", 0x10FFFF },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i].bytes), used;
        assert_int_equal(decode(cases[i].bytes, len, &used), cases[i].cp);
        assert_int_equal(used, len);
        char out[4];
        assert_int_equal(utf8_put(out, cases[i].cp), len);
        assert_memory_equal(out, cases[i].bytes, len);
    }
    size_t used;
    /* NUL is a character when it is within the bounds. */
    assert_int_equal(decode("\0", 1, &used), 0);
    assert_int_equal(used, 1);
}

static void test_utf8_next_malformed(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "\xC0\x80",             /* overlong NUL */
        "\xC1\xBF",             /* overlong 0x7F */
        "\xE0\x80\x80",         /* overlong 3-byte */
        "\xE0\x9F\xBF",         /* overlong 0x7FF */
        "\xF0\x80\x80\x80",     /* overlong 4-byte */
        "\xF0\x8F\xBF\xBF",     /* overlong 0xFFFF */
        "\xED\xA0\x80",         /* surrogate D800 */
        "\xED\xBF\xBF",         /* surrogate DFFF */
        "\xF4\x90\x80\x80",     /* above U+10FFFF */
        "\xF5\x80\x80\x80",
        "\xFF",
        "\xFE",
        "\x80",                 /* lone continuation */
        "\xBF",
        "\xC3",                 /* truncated */
        "\xE2\x82",
        "\xF0\x9F\x98",
        "\xC3\x41",             /* continuation missing */
        "\xE2\x28\xA1",
        "\xF0\x9F\x28\x80",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i]), used;
        assert_int_equal(decode(cases[i], len, &used), -1);
        /* One byte is skipped, so a scan always moves on. */
        assert_int_equal(used, 1);
        assert_false(utf8_is_valid(cases[i], len));
    }
    /* Bounds are honoured even when the bytes go on. */
    size_t used;
    assert_int_equal(decode("\xE2\x82\xAC", 2, &used), -1);
    assert_int_equal(decode("", 0, &used), -1);
    assert_int_equal(used, 0);
}

static void test_utf8_validity_and_length(void **state)
{
    (void)state;
    const char *s = "\xC5\x81ukasz \xC8\x98tefan \xC3\x86r\xC3\xB8 \xE2\x82\xAC \xF0\x9F\x98\x80";
    assert_true(utf8_is_valid(s, strlen(s)));
    assert_int_equal(utf8_length(s), 21);
    assert_int_equal(utf8_length(""), 0);
    assert_true(utf8_is_valid("", 0));
    assert_false(utf8_is_valid("abc\xE9", 4));
    /* A valid prefix of a longer string. */
    assert_true(utf8_is_valid("abc\xE9", 3));
}

static void test_cp1252(void **state)
{
    (void)state;
    static const unsigned char undefined[] = { 0x81, 0x8D, 0x8F, 0x90, 0x9D };
    for (size_t i = 0; i < sizeof undefined; i++)
        assert_int_equal(cp1252_to_unicode(undefined[i]), -1);
    int defined = 0;
    for (int b = 0x80; b <= 0x9F; b++)
        defined += cp1252_to_unicode((unsigned char)b) > 0;
    assert_int_equal(defined, 27);
    assert_int_equal(cp1252_to_unicode(0x80), 0x20AC);
    assert_int_equal(cp1252_to_unicode(0x8C), 0x0152);
    assert_int_equal(cp1252_to_unicode(0x9C), 0x0153);
    assert_int_equal(cp1252_to_unicode(0x9F), 0x0178);
    assert_int_equal(cp1252_to_unicode(0xA0), 0xA0);
    assert_int_equal(cp1252_to_unicode(0xE8), 0xE8);
    assert_int_equal(cp1252_to_unicode('A'), 'A');

    struct arena *a = arena_new();
    long bad = 0;
    const char *in = "Lef\xE8vre \x80 \x9C \x85 \xFF";
    char *out = cp1252_to_utf8(a, in, strlen(in), &bad);
    assert_int_equal(bad, -1);
    assert_string_equal(out, "Lef\xC3\xA8vre \xE2\x82\xAC \xC5\x93 \xE2\x80\xA6 \xC3\xBF");

    for (size_t i = 0; i < sizeof undefined; i++) {
        char input[] = "ab?cd\x81";
        input[2] = (char)undefined[i];
        out = cp1252_to_utf8(a, input, strlen(input), &bad);
        /* The first undefined byte is reported; the output stays UTF-8. */
        assert_int_equal(bad, 2);
        assert_string_equal(out, "ab\xEF\xBF\xBD" "cd\xEF\xBF\xBD");
    }
    out = cp1252_to_utf8(a, "", 0, &bad);
    assert_string_equal(out, "");
    assert_int_equal(bad, -1);
    arena_free(a);
}

static void test_printable(void **state)
{
    (void)state;
    int32_t bad = 0;
    assert_true(text_is_printable("\xC5\x81ukasz \xC8\x98tefan \xC3\x86r\xC3\xB8 \xC2\xAB \xC2\xBB \xE2\x82\xAC \xC5\x93", &bad));
    /* Narrow no-break space, thin space, non-breaking hyphen, tab, line break. */
    assert_true(text_is_printable("\xC2\xAB\xE2\x80\xAF" "a\xE2\x80\x89" "b\xE2\x80\x91" "c\td\ne", &bad));
    assert_true(text_is_printable("\xC4\x9E \xD0\x96 \xCE\xA9 \xC4\xA6", &bad));   /* Ğ Ж Ω Ħ */
    assert_true(text_is_printable("", &bad));

    assert_false(text_is_printable("ok \xF0\x9F\x98\x80", &bad));
    assert_int_equal(bad, 0x1F600);
    assert_false(text_is_printable("\xE4\xB8\xAD", &bad));
    assert_int_equal(bad, 0x4E2D);
    assert_false(text_is_printable("a\x01", &bad));
    assert_int_equal(bad, 1);
    assert_false(text_is_printable("a\xE9", &bad));
    assert_int_equal(bad, -1);
}

static void test_codepages(void **state)
{
    (void)state;
    assert_int_equal(codepage_for('A'), 0);
    assert_int_equal(codepage_for(0x20AC), 0);         /* € in CP1252 */
    assert_int_equal(codepage_for(0x0141), 1);         /* Ł in CP1250 */
    assert_int_equal(codepage_for(0x0218), 2);         /* Ș in ISO 8859-16 */
    assert_int_equal(codepage_for(0x1F600), -1);
    assert_int_equal(codepage_for(0), -1);
    assert_int_equal(codepage_encode(0, 0xE9), 0xE9);
    assert_int_equal(codepage_encode(0, 0x20AC), 0x80);
    assert_int_equal(codepage_encode(0, 0x0141), 0);
    assert_int_equal(codepage_decode(0, 0x80), 0x20AC);
    assert_int_equal(codepage_decode(0, 'z'), 'z');
    assert_int_equal(codepage_decode(0, 0x81), 0);
    for (int e = 0; e < CODEPAGE_COUNT; e++)
        for (int b = 0x80; b < 0x100; b++) {
            int32_t cp = codepage_decode(e, (unsigned char)b);
            if (cp)
                assert_int_equal(codepage_decode(e, codepage_encode(e, cp)), cp);
        }
    assert_int_equal(codepage_substitute(0x202F), 0xA0);
    assert_int_equal(codepage_substitute(0x2011), '-');
    assert_int_equal(codepage_substitute('\t'), ' ');
    assert_int_equal(codepage_substitute(0xE9), 0xE9);
}

/* Decomposed accents (NFD) are composed back; what has no precomposed form, or is
 * not UTF-8, is left as it is. */
static void test_compose(void **state)
{
    (void)state;
    char a[64] = "Lefe\xCC\x80vre Zoe\xCC\x88 S\xCC\xA6tefan L\xC3\xA9" "a";   /* è ë Ș, é already NFC */
    utf8_compose(a);
    assert_string_equal(a, "Lef\xC3\xA8vre Zo\xC3\xAB \xC8\x98tefan L\xC3\xA9" "a");
    int32_t bad;
    assert_true(text_is_printable(a, &bad));
    char b[32] = "q\xCC\x81x";          /* q + acute: no such letter, stays decomposed */
    utf8_compose(b);
    assert_string_equal(b, "q\xCC\x81x");
    assert_false(text_is_printable(b, &bad));
    char c[32] = "e\xCC\x81\xFF" "e\xCC\x81";   /* invalid byte: the rest is kept verbatim */
    utf8_compose(c);
    assert_string_equal(c, "\xC3\xA9\xFF" "e\xCC\x81");
    char d[8] = "\xCC\x81" "a";            /* a mark with no base before it */
    utf8_compose(d);
    assert_string_equal(d, "\xCC\x81" "a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_next_valid),
        cmocka_unit_test(test_utf8_next_malformed),
        cmocka_unit_test(test_utf8_validity_and_length),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_printable),
        cmocka_unit_test(test_codepages),
        cmocka_unit_test(test_compose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
