/* Pins the page tracking codes (src/render/track.c): round trip, and every mistyped or
 * altered code rejected. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "problems.h"
#include "../../src/render/track.h"

/* The QR code alphanumeric mode's character set. */
static const char qr_alphanumeric[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static bool parses(const char *text)
{
    struct track_code code;
    TEST_PROBLEMS(why);
    bool ok = track_code_parse(text, &code, &why);
    /* A refusal always says why, in one problem with its code. */
    assert_int_equal(why.count, ok ? 0 : 1);
    if (!ok) {
        assert_string_equal(why.items[0].code, "track.invalid");
        assert_true(why.items[0].message[0] != '\0');
    }
    return ok;
}

static void test_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *numero, *document;
        int page, pages;
    } cases[] = {
        { "600101", "FOR", 2, 6 },
        { "600101", "BOR", 1, 1 },
        { "1", "CGU", 3, 3 },
        { "12345678901234567890", "LPJ", 9999, 9999 },
        { "42", "PJ", 1, 12 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[96];
        track_code_format(text, sizeof text, cases[i].numero, cases[i].document,
                          cases[i].page, cases[i].pages);
        /* Only QR alphanumeric characters: the code stays small and typeable. */
        assert_int_equal(strspn(text, qr_alphanumeric), strlen(text));
        struct track_code code;
        TEST_PROBLEMS(why);
        assert_true(track_code_parse(text, &code, &why));
        assert_string_equal(code.format, TRACK_FORMAT);
        assert_string_equal(code.numero, cases[i].numero);
        assert_string_equal(code.document, cases[i].document);
        assert_int_equal(code.page, cases[i].page);
        assert_int_equal(code.pages, cases[i].pages);
        const char *last = strrchr(text, ':');
        assert_int_equal(code.check, crc32(0L, (const Bytef *)text, (uInt)(last - text)));
    }
}

static void test_documented_form(void **state)
{
    (void)state;
    char text[96];
    track_code_format(text, sizeof text, "600101", "FOR", 2, 6);
    /* "DSR1:600101:FOR:2/6:" then the CRC-32 as 8 upper-case hex digits. */
    assert_int_equal(strncmp(text, "DSR1:600101:FOR:2/6:", 20), 0);
    assert_int_equal(strlen(text), 28);
    assert_int_equal(strspn(text + 20, "0123456789ABCDEF"), 8);
    unsigned long crc = crc32(0L, (const Bytef *)"DSR1:600101:FOR:2/6", 19);
    char want[96];
    snprintf(want, sizeof want, "DSR1:600101:FOR:2/6:%08lX", crc);
    assert_string_equal(text, want);
}

static void test_typed_back(void **state)
{
    (void)state;
    char text[96];
    track_code_format(text, sizeof text, "600101", "CGU", 1, 4);
    /* Lower case and surrounding blanks, as someone types it back. */
    char typed[100];
    snprintf(typed, sizeof typed, "  %s \n", text);
    for (char *s = typed; *s; s++)
        *s = (char)tolower((unsigned char)*s);
    assert_true(parses(typed));
}

static void test_every_substitution_rejected(void **state)
{
    (void)state;
    char text[96];
    track_code_format(text, sizeof text, "600101", "FOR", 2, 6);
    size_t len = strlen(text), tried = 0;
    for (size_t i = 0; i < len; i++) {
        for (const char *c = qr_alphanumeric; *c; c++) {
            if (*c == text[i])
                continue;
            char altered[96];
            memcpy(altered, text, len + 1);
            altered[i] = *c;
            if (parses(altered))
                fail_msg("« %s » accepté (position %zu)", altered, i);
            tried++;
        }
    }
    assert_int_equal(tried, len * (sizeof qr_alphanumeric - 2));
}

static void test_swapped_neighbours_rejected(void **state)
{
    (void)state;
    char text[96];
    track_code_format(text, sizeof text, "600101", "LPJ", 12, 34);
    size_t len = strlen(text);
    for (size_t i = 0; i + 1 < len; i++) {
        if (text[i] == text[i + 1])
            continue;
        char altered[96];
        memcpy(altered, text, len + 1);
        altered[i] = text[i + 1];
        altered[i + 1] = text[i];
        assert_false(parses(altered));
    }
}

/* TEXT with its check recomputed, so only the structure can be wrong. */
static const char *with_check(const char *body)
{
    static char text[128];
    snprintf(text, sizeof text, "%s:%08lX", body,
             crc32(0L, (const Bytef *)body, (uInt)strlen(body)));
    return text;
}

static void test_structure(void **state)
{
    (void)state;
    assert_true(parses(with_check("DSR1:600101:FOR:2/6")));
    /* Wrong field count. */
    assert_false(parses(with_check("DSR1:600101:FOR")));
    assert_false(parses(with_check("DSR1:600101:FOR:2/6:X")));
    assert_false(parses(with_check("DSR1:600101:2/6")));
    assert_false(parses("DSR1:600101:FOR:2/6"));
    assert_false(parses("DSR1"));
    assert_false(parses(""));
    assert_false(parses("   "));
    /* Unknown format, document; bad numbers and pages. */
    assert_false(parses(with_check("DSR2:600101:FOR:2/6")));
    assert_false(parses(with_check("DSR1:600101:XYZ:2/6")));
    assert_false(parses(with_check("DSR1:600101:FORM:2/6")));
    assert_false(parses(with_check("DSR1:60A101:FOR:2/6")));
    assert_false(parses(with_check("DSR1:123456789012345678901234:FOR:2/6")));
    assert_false(parses(with_check("DSR1:600101:FOR:7/6")));
    assert_false(parses(with_check("DSR1:600101:FOR:0/6")));
    assert_false(parses(with_check("DSR1:600101:FOR:-1/6")));
    assert_false(parses(with_check("DSR1:600101:FOR:2/6x")));
    assert_false(parses(with_check("DSR1:600101:FOR:2")));
    assert_false(parses(with_check("DSR1:600101:FOR:1/10000")));
    /* A check that is not 8 hex digits. */
    assert_false(parses("DSR1:600101:FOR:2/6:1A2B3C4"));
    assert_false(parses("DSR1:600101:FOR:2/6:1A2B3C4D5"));
    assert_false(parses("DSR1:600101:FOR:2/6:1A2B3C4G"));
    /* Far too long. */
    char longer[200];
    memset(longer, '1', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_false(parses(longer));
}

static void test_document_names(void **state)
{
    (void)state;
    static const char *const codes[] = { "BOR", "FOR", "CGU", "LPJ", "PJ" };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        assert_non_null(track_document_name(codes[i]));
    assert_string_equal(track_document_name("FOR"), "formulaire d'abonnement");
    assert_null(track_document_name("for"));
    assert_null(track_document_name("XYZ"));
    assert_null(track_document_name(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_documented_form),
        cmocka_unit_test(test_typed_back),
        cmocka_unit_test(test_every_substitution_rejected),
        cmocka_unit_test(test_swapped_neighbours_rejected),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_document_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
