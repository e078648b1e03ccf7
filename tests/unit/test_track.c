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
#include "../../src/package/codekey.h"
#include "../../src/render/track.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

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

/* A fresh Ed25519 key, in a code_key that can sign. */
static void new_key(struct code_key *k)
{
    memset(k, 0, sizeof *k);
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_non_null(pkey);
    unsigned char pub[32];
    size_t len = sizeof pub;
    assert_int_equal(EVP_PKEY_get_raw_public_key(pkey, pub, &len), 1);
    /* The id and the raw key come from the public half, as a verifier computes them. */
    struct code_key pub_only;
    assert_true(codekey_from_raw(&pub_only, pub));
    *k = pub_only;
    EVP_PKEY_free(k->key);
    k->key = pkey;
    k->can_sign = true;
}

static void test_signed_round_trip(void **state)
{
    (void)state;
    struct code_key key, other;
    new_key(&key);
    new_key(&other);
    char text[TRACK_CODE_MAX];
    assert_true(track_code_format_signed(text, sizeof text, "600101", "FOR", 2, 6, "20261124", "952018349", &key));
    char want[96];
    snprintf(want, sizeof want, "DSR2:600101:FOR:2/6:20261124:952018349:%s:", key.id);
    assert_int_equal(strncmp(text, want, strlen(want)), 0);
    assert_int_equal(strlen(text), strlen(want) + TRACK_SIGNATURE_DIGITS);
    assert_int_equal(strspn(text + strlen(want), "0123456789"), TRACK_SIGNATURE_DIGITS);
    assert_int_equal(strspn(text, qr_alphanumeric), strlen(text));
    /* Deterministic: the same page gives the same code. */
    char again[TRACK_CODE_MAX];
    assert_true(track_code_format_signed(again, sizeof again, "600101", "FOR", 2, 6, "20261124", "952018349", &key));
    assert_string_equal(again, text);

    struct track_code code;
    TEST_PROBLEMS(why);
    assert_true(track_code_parse(text, &code, &why));
    assert_true(code.is_signed);
    assert_string_equal(code.format, "DSR2");
    assert_string_equal(code.numero, "600101");
    assert_string_equal(code.document, "FOR");
    assert_int_equal(code.page, 2);
    assert_int_equal(code.pages, 6);
    assert_string_equal(code.date, "20261124");
    assert_string_equal(code.siren, "952018349");
    assert_string_equal(code.key_id, key.id);
    assert_true(track_code_verify(&code, &key));
    assert_false(track_code_verify(&code, &other));
    assert_false(track_code_verify(&code, NULL));

    /* A public key alone verifies; it cannot sign. */
    struct code_key pub;
    assert_true(codekey_from_raw(&pub, key.pub));
    assert_string_equal(pub.id, key.id);
    assert_true(track_code_verify(&code, &pub));
    assert_false(track_code_format_signed(again, sizeof again, "600101", "FOR", 2, 6, "20261124", "", &pub));
    /* Too small a buffer. */
    char small[100];
    assert_false(track_code_format_signed(small, sizeof small, "600101", "FOR", 2, 6, "20261124", "", &key));

    /* Without a SIREN: an empty field, still signed and parsed. */
    assert_true(track_code_format_signed(text, sizeof text, "7", "PJ", 1, 1, "20270101", "", &key));
    assert_true(track_code_parse(text, &code, &why));
    assert_string_equal(code.siren, "");
    assert_true(track_code_verify(&code, &key));
    codekey_release(&key);
    codekey_release(&other);
    codekey_release(&pub);
}

/* Every digit of the signed part changed: the signature no longer holds (or the code
 * no longer parses); every digit of the signature changed: the same. */
static void test_signed_every_digit_altered(void **state)
{
    (void)state;
    struct code_key key;
    new_key(&key);
    char text[TRACK_CODE_MAX];
    assert_true(track_code_format_signed(text, sizeof text, "600101", "CGU", 3, 7, "20261124", "952018349", &key));
    size_t len = strlen(text), tried = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)text[i]))
            continue;
        char altered[TRACK_CODE_MAX];
        memcpy(altered, text, len + 1);
        altered[i] = (char)('0' + (text[i] - '0' + 1) % 10);
        struct track_code code;
        TEST_PROBLEMS(why);
        if (track_code_parse(altered, &code, &why) && track_code_verify(&code, &key))
            fail_msg("« %s » accepté (position %zu)", altered, i);
        tried++;
    }
    assert_true(tried > TRACK_SIGNATURE_DIGITS + 20);
    codekey_release(&key);
}

static void test_signed_structure(void **state)
{
    (void)state;
    char digits[TRACK_SIGNATURE_DIGITS + 1];
    memset(digits, '1', TRACK_SIGNATURE_DIGITS);
    digits[TRACK_SIGNATURE_DIGITS] = '\0';
    char text[TRACK_CODE_MAX];
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:20261124:952018349:1A2B3C4D:%s", digits);
    assert_true(parses(text));   /* well formed; its signature is another matter */
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:2026112:952018349:1A2B3C4D:%s", digits);
    assert_false(parses(text));  /* date */
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:20261124:95201834X:1A2B3C4D:%s", digits);
    assert_false(parses(text));  /* SIREN */
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:20261124:952018349:1A2B3C4:%s", digits);
    assert_false(parses(text));  /* key id */
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:20261124:952018349:1A2B3C4D:%s1", digits);
    assert_false(parses(text));  /* 156 digits */
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:20261124:952018349:1A2B3C4D:%.154s", digits);
    assert_false(parses(text));  /* 154 digits */
    /* 155 digits above 2^512: no 64-byte signature. */
    memset(digits, '9', TRACK_SIGNATURE_DIGITS);
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:20261124:952018349:1A2B3C4D:%s", digits);
    assert_false(parses(text));
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:20261124:952018349:1A2B3C4D");
    assert_false(parses(text));  /* no signature */
    snprintf(text, sizeof text, "DSR2:600101:FOR:2/6:20261124:952018349:1A2B3C4D:1:2");
    assert_false(parses(text));  /* a field too many */
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
        cmocka_unit_test(test_signed_round_trip),
        cmocka_unit_test(test_signed_every_digit_altered),
        cmocka_unit_test(test_signed_structure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
