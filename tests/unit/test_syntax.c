/* Pins the syntax of single values (src/rules/syntax.c): e-mail, FQDN, French phone
 * numbers, dates, postcodes, digits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/rules/syntax.h"

/* N copies of C followed by TAIL, in BUF. */
static char *repeat(char *buf, size_t size, char c, size_t n, const char *tail)
{
    assert_true(n + strlen(tail) < size);
    memset(buf, c, n);
    strcpy(buf + n, tail);
    return buf;
}

static void test_digits_only(void **state)
{
    (void)state;
    assert_true(digits_only("0123456789"));
    assert_false(digits_only(""));
    assert_false(digits_only("12 3"));
    assert_false(digits_only("12a"));
    assert_false(digits_only("-1"));
}

static void test_email_valid(void **state)
{
    (void)state;
    assert_true(email_is_valid("jeanne.martin@brindille-et-cie.example"));
    assert_true(email_is_valid("a@b.fr"));
    assert_true(email_is_valid("prenom.nom+tag@sous.domaine.gouv.fr"));
    assert_true(email_is_valid("o'brien@example.ie"));
    assert_true(email_is_valid("x_y-z@a-b.example"));
}

static void test_email_at_signs(void **state)
{
    (void)state;
    assert_false(email_is_valid("jeanne.martin.example.fr"));
    assert_false(email_is_valid("@example.fr"));
    assert_false(email_is_valid("jeanne@"));
    assert_false(email_is_valid("a@b@example.fr"));
    assert_false(email_is_valid("a@@example.fr"));
}

static void test_email_dots(void **state)
{
    (void)state;
    assert_false(email_is_valid(".jeanne@example.fr"));
    assert_false(email_is_valid("jeanne.@example.fr"));
    assert_false(email_is_valid("jeanne..martin@example.fr"));
    assert_false(email_is_valid("jeanne@example..fr"));
    assert_false(email_is_valid("jeanne@.example.fr"));
    assert_false(email_is_valid("jeanne@example.fr."));
}

static void test_email_lengths(void **state)
{
    (void)state;
    char buf[400];
    assert_true(email_is_valid(repeat(buf, sizeof buf, 'a', 64, "@example.fr")));
    assert_false(email_is_valid(repeat(buf, sizeof buf, 'a', 65, "@example.fr")));

    /* 254 bytes is the longest address; 255 is one too many. */
    char domain[300];
    const char *label = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij."; /* 63 */
    strcpy(domain, "@");
    for (int i = 0; i < 3; i++)
        strcat(domain, label);
    strcat(domain, "fr");                       /* 1 + 3 * 63 + 2 = 192 */
    repeat(buf, sizeof buf, 'a', 62, domain);
    assert_int_equal(strlen(buf), 254);
    assert_true(email_is_valid(buf));
    repeat(buf, sizeof buf, 'a', 63, domain);
    assert_int_equal(strlen(buf), 255);
    assert_false(email_is_valid(buf));
}

static void test_email_domain(void **state)
{
    (void)state;
    assert_false(email_is_valid("jeanne@localhost"));
    assert_false(email_is_valid("jeanne@-example.fr"));
    assert_false(email_is_valid("jeanne@example-.fr"));
    assert_false(email_is_valid("jeanne@exa_mple.fr"));
    assert_false(email_is_valid("jeanne@example.123"));
    assert_false(email_is_valid("jeanne martin@example.fr"));
    assert_false(email_is_valid("jeanne@exemple.fr "));
    assert_false(email_is_valid("jéanne@example.fr"));
    assert_false(email_is_valid("\"jeanne\"@example.fr"));
    assert_false(email_is_valid(""));
}

static void test_fqdn(void **state)
{
    (void)state;
    char buf[400];
    assert_true(fqdn_is_valid("factures.mairie-montfleury-les-vignes.fr"));
    assert_true(fqdn_is_valid("www.example.fr."));
    assert_true(fqdn_is_valid("a1.b2.example"));
    assert_true(fqdn_is_valid("123.example.fr"));
    assert_false(fqdn_is_valid("localhost"));
    assert_false(fqdn_is_valid("localhost."));
    assert_false(fqdn_is_valid(""));
    assert_false(fqdn_is_valid("."));
    assert_false(fqdn_is_valid("www..example.fr"));
    assert_false(fqdn_is_valid(".example.fr"));
    assert_false(fqdn_is_valid("ex_ample.fr"));
    assert_false(fqdn_is_valid("-www.example.fr"));
    assert_false(fqdn_is_valid("www-.example.fr"));
    assert_false(fqdn_is_valid("example.123"));
    assert_false(fqdn_is_valid("192.168.1.1"));
    assert_false(fqdn_is_valid("www.exemple.fr/chemin"));
    assert_false(fqdn_is_valid("www.exémple.fr"));

    assert_true(fqdn_is_valid(repeat(buf, sizeof buf, 'a', 63, ".fr")));
    assert_false(fqdn_is_valid(repeat(buf, sizeof buf, 'a', 64, ".fr")));

    /* 253 bytes at most, not counting an optional final dot. */
    char name[300] = "";
    for (int i = 0; i < 3; i++) {
        strcat(name, repeat(buf, sizeof buf, 'a', 63, "."));
    }
    strcat(name, repeat(buf, sizeof buf, 'b', 61, ""));     /* 3 * 64 + 61 = 253 */
    assert_int_equal(strlen(name), 253);
    assert_true(fqdn_is_valid(name));
    strcat(name, ".");
    assert_true(fqdn_is_valid(name));
    name[253] = 'b';
    name[254] = '\0';
    assert_int_equal(strlen(name), 254);
    assert_false(fqdn_is_valid(name));
}

static void test_phone_valid(void **state)
{
    (void)state;
    assert_true(phone_fr_is_valid("04 72 00 00 01"));
    assert_true(phone_fr_is_valid("0472000001"));
    assert_true(phone_fr_is_valid("+33 4 72 00 00 01"));
    assert_true(phone_fr_is_valid("+33472000001"));
    assert_true(phone_fr_is_valid("+33 (0)4 72 00 00 01"));
    assert_true(phone_fr_is_valid("0033472000001"));
    assert_true(phone_fr_is_valid("0033 4 72 00 00 01"));
    assert_true(phone_fr_is_valid("04.72.00.00.01"));
    assert_true(phone_fr_is_valid("04-72-00-00-01"));
    assert_true(phone_fr_is_valid("06 39 98 10 01"));
    /* Overseas departments: national forms, and their own country codes. */
    assert_true(phone_fr_is_valid("02 62 12 34 56"));          /* La Réunion */
    assert_true(phone_fr_is_valid("0692 12 34 56"));
    assert_true(phone_fr_is_valid("+262 262 12 34 56"));
    assert_true(phone_fr_is_valid("+262 639 12 34 56"));       /* Mayotte, mobile */
    assert_true(phone_fr_is_valid("00262 269 61 00 00"));
    assert_true(phone_fr_is_valid("+590 590 12 34 56"));       /* Guadeloupe */
    assert_true(phone_fr_is_valid("0690 12 34 56"));
    assert_true(phone_fr_is_valid("+594 594 12 34 56"));       /* Guyane */
    assert_true(phone_fr_is_valid("0694 12 34 56"));
    assert_true(phone_fr_is_valid("+596 596 12 34 56"));       /* Martinique */
    assert_true(phone_fr_is_valid("0696 12 34 56"));
    assert_true(phone_fr_is_valid("+269 269 61 00 00"));       /* Mayotte's former code */
}

static void test_phone_invalid(void **state)
{
    (void)state;
    assert_false(phone_fr_is_valid("04 72 00 00 0"));        /* 9 digits */
    assert_false(phone_fr_is_valid("047200000"));
    assert_false(phone_fr_is_valid("04 72 00 00 01 2"));     /* 11 digits */
    assert_false(phone_fr_is_valid("00 00 00 00 00"));
    assert_false(phone_fr_is_valid("0072000001"));
    assert_false(phone_fr_is_valid("4 72 00 00 01 0"));      /* no leading 0 */
    assert_false(phone_fr_is_valid("+44 20 7946 0000"));
    assert_false(phone_fr_is_valid("+263 262 12 34 56"));      /* not a French code */
    assert_false(phone_fr_is_valid("+262 262 12 34 5"));       /* 8 digits */
    assert_false(phone_fr_is_valid("+590 0590 12 34 56"));
    assert_false(phone_fr_is_valid("+33 04 72 00 00 01"));   /* 0 after +33 without brackets */
    assert_false(phone_fr_is_valid("+33 4 72 00 00"));
    assert_false(phone_fr_is_valid("0044 4 72 00 00 01"));
    assert_false(phone_fr_is_valid("04 72 OO OO 01"));        /* letters O */
    assert_false(phone_fr_is_valid("tel 0472000001"));
    assert_false(phone_fr_is_valid("04  72 00 00 01"));       /* double separators */
    assert_false(phone_fr_is_valid("04..72.00.00.01"));
    assert_false(phone_fr_is_valid("04 -72 00 00 01"));
    assert_false(phone_fr_is_valid("04.72.00.00.01."));
    assert_false(phone_fr_is_valid("04/72/00/00/01"));
    assert_false(phone_fr_is_valid(""));
    assert_false(phone_fr_is_valid("+33"));
}

static void test_date_valid(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_true(date_parse("2026-11-02", &y, &m, &d));
    assert_int_equal(y, 2026);
    assert_int_equal(m, 11);
    assert_int_equal(d, 2);
    assert_true(date_parse("03/11/2026", &y, &m, &d));
    assert_int_equal(y, 2026);
    assert_int_equal(m, 11);
    assert_int_equal(d, 3);
    assert_true(date_parse("29/02/2024", &y, &m, &d));
    assert_int_equal(d, 29);
    assert_true(date_parse("2000-02-29", &y, &m, &d));
    assert_true(date_parse("31/12/2199", &y, &m, &d));
    assert_true(date_parse("1900-01-01", &y, &m, &d));
    assert_true(date_parse("30/04/2026", &y, &m, &d));
}

static void test_date_invalid(void **state)
{
    (void)state;
    int y = -1, m = -1, d = -1;
    assert_false(date_parse("29/02/2023", &y, &m, &d));    /* not a leap year */
    assert_false(date_parse("1900-02-29", &y, &m, &d));    /* century, not leap */
    assert_false(date_parse("2100-02-29", &y, &m, &d));
    assert_false(date_parse("31/04/2026", &y, &m, &d));
    assert_false(date_parse("2026-13-01", &y, &m, &d));
    assert_false(date_parse("2026-00-10", &y, &m, &d));
    assert_false(date_parse("00/01/2026", &y, &m, &d));
    assert_false(date_parse("32/01/2026", &y, &m, &d));
    assert_false(date_parse("2026-11-02x", &y, &m, &d));   /* trailing garbage */
    assert_false(date_parse("2026-11-02 ", &y, &m, &d));
    assert_false(date_parse("03/11/2026 10:00", &y, &m, &d));
    assert_false(date_parse("2026-1-2", &y, &m, &d));
    assert_false(date_parse("2026/11/02", &y, &m, &d));
    assert_false(date_parse("02-11-2026", &y, &m, &d));
    assert_false(date_parse("2026-11- 2", &y, &m, &d));
    assert_false(date_parse("2026-+1-02", &y, &m, &d));
    assert_false(date_parse("1899-12-31", &y, &m, &d));
    assert_false(date_parse("2200-01-01", &y, &m, &d));
    assert_false(date_parse("", &y, &m, &d));
    /* Nothing written on failure. */
    assert_int_equal(y, -1);
    assert_int_equal(m, -1);
    assert_int_equal(d, -1);
}

static void test_postcode(void **state)
{
    (void)state;
    assert_true(postcode_fr_is_valid("69002"));
    assert_true(postcode_fr_is_valid("01000"));
    assert_true(postcode_fr_is_valid("20000"));
    assert_true(postcode_fr_is_valid("95880"));
    assert_true(postcode_fr_is_valid("97400"));
    assert_true(postcode_fr_is_valid("98000"));
    assert_false(postcode_fr_is_valid("00100"));
    assert_false(postcode_fr_is_valid("96000"));
    assert_false(postcode_fr_is_valid("99000"));
    assert_false(postcode_fr_is_valid("6900"));
    assert_false(postcode_fr_is_valid("690022"));
    assert_false(postcode_fr_is_valid("2A004"));
    assert_false(postcode_fr_is_valid("69 02"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digits_only),
        cmocka_unit_test(test_email_valid),
        cmocka_unit_test(test_email_at_signs),
        cmocka_unit_test(test_email_dots),
        cmocka_unit_test(test_email_lengths),
        cmocka_unit_test(test_email_domain),
        cmocka_unit_test(test_fqdn),
        cmocka_unit_test(test_phone_valid),
        cmocka_unit_test(test_phone_invalid),
        cmocka_unit_test(test_date_valid),
        cmocka_unit_test(test_date_invalid),
        cmocka_unit_test(test_postcode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
