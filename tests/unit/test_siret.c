/* Pins SIREN / SIRET checks (src/rules/siret.c): length, digits, Luhn key, La Poste's rule,
 * with python-stdnum's fr.siren / fr.siret edge cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/rules/siret.h"

static void test_luhn(void **state)
{
    (void)state;
    assert_true(luhn_is_valid("552008443"));
    assert_true(luhn_is_valid("0"));
    assert_false(luhn_is_valid("552008444"));
    assert_false(luhn_is_valid(""));
    assert_false(luhn_is_valid("55200844a"));
}

static void test_siren_valid(void **state)
{
    (void)state;
    assert_int_equal(siren_check("552008443"), SIRET_OK);
    assert_int_equal(siren_check("732829320"), SIRET_OK);
    assert_int_equal(siren_check("952018349"), SIRET_OK);
    assert_int_equal(siren_check(SIREN_LA_POSTE), SIRET_OK);
    /* stdnum's compact() removes the spaces between groups. */
    assert_int_equal(siren_check("552 008 443"), SIRET_OK);
    assert_int_equal(siren_check(" 552 008 443 "), SIRET_OK);
}

static void test_siren_wrong_key(void **state)
{
    (void)state;
    assert_int_equal(siren_check("404833047"), SIRET_LUHN);
    assert_int_equal(siren_check("552008444"), SIRET_LUHN);
    assert_int_equal(siren_check("552 008 442"), SIRET_LUHN);
    /* One digit changed anywhere breaks the key. */
    char s[] = "552008443";
    for (size_t i = 0; i < 9; i++) {
        char saved = s[i];
        s[i] = (char)(saved == '9' ? '0' : saved + 1);
        assert_int_equal(siren_check(s), SIRET_LUHN);
        s[i] = saved;
    }
}

static void test_siren_wrong_length(void **state)
{
    (void)state;
    assert_int_equal(siren_check("55200844"), SIRET_LENGTH);     /* 8 */
    assert_int_equal(siren_check("5520084430"), SIRET_LENGTH);   /* 10 */
    assert_int_equal(siren_check(""), SIRET_LENGTH);
    assert_int_equal(siren_check("   "), SIRET_LENGTH);
    assert_int_equal(siren_check("73282932000074"), SIRET_LENGTH); /* a SIRET is not a SIREN */
    assert_int_equal(siren_check("1234567890123456789012345678901234567890"), SIRET_LENGTH);
}

static void test_siren_non_digits(void **state)
{
    (void)state;
    assert_int_equal(siren_check("55200844A"), SIRET_DIGITS);
    assert_int_equal(siren_check("552-008-443"), SIRET_DIGITS);
    assert_int_equal(siren_check("552.008.443"), SIRET_DIGITS);
    assert_int_equal(siren_check("552\t008443"), SIRET_DIGITS);
    assert_int_equal(siren_check("X"), SIRET_DIGITS);
}

static void test_siret_valid_and_invalid(void **state)
{
    (void)state;
    assert_int_equal(siret_check("73282932000074"), SIRET_OK);
    assert_int_equal(siret_check("732 829 320 00074"), SIRET_OK);
    assert_int_equal(siret_check("40483304800022"), SIRET_OK);
    assert_int_equal(siret_check("95201834900011"), SIRET_OK);
    assert_int_equal(siret_check("73282932000075"), SIRET_LUHN);
    assert_int_equal(siret_check("7328293200007"), SIRET_LENGTH);    /* 13 */
    assert_int_equal(siret_check("732829320000745"), SIRET_LENGTH);  /* 15 */
    assert_int_equal(siret_check("7328293200007A"), SIRET_DIGITS);
    assert_int_equal(siret_check("552008443"), SIRET_LENGTH);
}

static void test_siret_la_poste(void **state)
{
    (void)state;
    /* Establishments of La Poste: digit sum a multiple of 5, whatever Luhn says. */
    assert_int_equal(siret_check("35600000049837"), SIRET_OK);
    assert_false(luhn_is_valid("35600000049837"));
    assert_int_equal(siret_check("356 000 000 49837"), SIRET_OK);
    assert_int_equal(siret_check("35600000049838"), SIRET_LUHN);
    /* Luhn-valid but digit sum 3+5+6+1+4 = 19: not a La Poste SIRET. */
    assert_true(luhn_is_valid("35600000000014"));
    assert_int_equal(siret_check("35600000000014"), SIRET_LUHN);
    /* The head office keeps its Luhn key (digit sum 26). */
    assert_int_equal(siret_check("35600000000048"), SIRET_OK);
    assert_int_equal(siret_check("356 000 000 00048"), SIRET_OK);
    assert_int_equal(siret_check("35600000000049"), SIRET_LUHN);
}

static void test_siret_compact(void **state)
{
    (void)state;
    char out[15];
    assert_true(siret_compact("732 829 320 00074", out, sizeof out));
    assert_string_equal(out, "73282932000074");
    assert_false(siret_compact("732829320000745", out, sizeof out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luhn),
        cmocka_unit_test(test_siren_valid),
        cmocka_unit_test(test_siren_wrong_key),
        cmocka_unit_test(test_siren_wrong_length),
        cmocka_unit_test(test_siren_non_digits),
        cmocka_unit_test(test_siret_valid_and_invalid),
        cmocka_unit_test(test_siret_la_poste),
        cmocka_unit_test(test_siret_compact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
