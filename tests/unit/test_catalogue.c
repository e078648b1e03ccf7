/* Pins the catalogue (src/rules/catalogue.c): products, offices, pieces rules by
 * INSEE category, and broken templates refused with a located problem. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "problems.h"
#include "tmpdir.h"
#include "../../src/rules/catalogue.h"
#include "../../src/util/arena.h"

static struct catalogue *catalogue;
static char tmp_root[64];

static int setup(void **state)
{
    (void)state;
    TEST_PROBLEMS(problems);
    catalogue = catalogue_load(SOURCE_DIR "/templates", &problems);
    if (!catalogue || problems.count)
        return -1;
    return tmpdir_make(tmp_root, sizeof tmp_root, "catalogue");
}

static int teardown(void **state)
{
    (void)state;
    catalogue_free(catalogue);
    return tmpdir_remove(tmp_root);
}

static void test_products(void **state)
{
    (void)state;
    const struct product *p = catalogue_product(catalogue, "signature");
    assert_non_null(p);
    assert_int_equal(p->family, FAMILY_PERSON);
    assert_true(p->support_required);
    /* Codes ignore case: spreadsheets capitalise cells. */
    assert_ptr_equal(catalogue_product(catalogue, "Signature"), p);
    assert_non_null(product_payment(p, "COMPTANT-1AN"));
    assert_non_null(product_support(p, "cle-usb"));
    assert_null(product_support(p, "disquette"));
    assert_null(catalogue_product(catalogue, "inconnu"));
    assert_null(catalogue_product(catalogue, NULL));
    assert_int_equal(catalogue_product(catalogue, "cachet")->family, FAMILY_SEAL);
    assert_int_equal(catalogue_product(catalogue, "serveur")->family, FAMILY_SERVER);
    struct arena *a = arena_new();
    assert_string_equal(catalogue_product_codes(a, catalogue), "signature, cachet, serveur");
    assert_non_null(strstr(catalogue_office_codes(a, catalogue), "lyon"));
    arena_free(a);
}

static void test_offices(void **state)
{
    (void)state;
    const struct office *o = catalogue_office(catalogue, "LYON");
    assert_non_null(o);
    assert_string_equal(o->code, "lyon");
    assert_true(*o->name && *o->address && *o->city);
    assert_null(catalogue_office(catalogue, "lille"));
}

/* The rule of a category: its own code, else its 2-digit then 1-digit prefix, else
 * the default. */
static void test_pieces_rule_longest_prefix(void **state)
{
    (void)state;
    assert_string_equal(catalogue_pieces_rule(catalogue, "5710")->code, "5710");
    assert_string_equal(catalogue_pieces_rule(catalogue, "5785")->code, "57");
    assert_string_equal(catalogue_pieces_rule(catalogue, "5306")->code, "5");
    assert_string_equal(catalogue_pieces_rule(catalogue, "0000")->code, "");
    assert_string_equal(catalogue_pieces_rule(catalogue, NULL)->code, "");
    assert_true(catalogue_pieces_rule(catalogue, "5710")->act_count >= 1);
}

static void write_template(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_non_null(tmpdir_write(dir, name, text, strlen(text)));
}

/* A copy of the templates folder with FILE replaced by TEXT. */
static const char *broken_copy(const char *file, const char *text)
{
    static char dir[128];
    static int n;
    snprintf(dir, sizeof dir, "%s/t%d", tmp_root, n++);
    assert_int_equal(mkdir(dir, 0755), 0);
    static const char *const names[] = { "produits.xml", "bureaux.xml", "pieces.xml", "autorite.xml" };
    for (size_t i = 0; i < 4; i++) {
        char src[256];
        snprintf(src, sizeof src, SOURCE_DIR "/templates/%s", names[i]);
        FILE *in = fopen(src, "rb");
        assert_non_null(in);
        static char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf, in);
        fclose(in);
        if (strcmp(names[i], file) == 0)
            write_template(dir, names[i], text);
        else
            assert_non_null(tmpdir_write(dir, names[i], buf, len));
    }
    return dir;
}

static void expect_refused(const char *file, const char *text, const char *code, int line)
{
    TEST_PROBLEMS(problems);
    struct catalogue *c = catalogue_load(broken_copy(file, text), &problems);
    assert_null(c);
    assert_true(problems.count >= 1);
    assert_string_equal(problems.items[0].code, code);
    assert_non_null(strstr(problems.items[0].file, file));
    assert_int_equal(problems.items[0].line, line);
}

static void test_broken_templates(void **state)
{
    (void)state;
    expect_refused("pieces.xml", "<pieces><regle code=\"57\"><libelle>SAS</libelle></regle><defaut/></pieces>",
                   "template.pieces", 1);
    expect_refused("pieces.xml", "<pieces>\n<regle code=\"5A\"><libelle>x</libelle><acte>y</acte></regle>\n"
                   "<defaut><libelle>d</libelle><acte>a</acte></defaut></pieces>", "template.pieces", 2);
    expect_refused("produits.xml", "<produits><produit code=\"x\" famille=\"robot\">"
                   "<paiement code=\"p\">P</paiement></produit></produits>", "template.produit", 1);
    expect_refused("bureaux.xml", "<bureaux>\n\n<bureau code=\"x\"><nom>N</nom></bureau></bureaux>",
                   "template.bureau", 3);
    expect_refused("autorite.xml", "<autre/>", "template.root", 0);
    expect_refused("autorite.xml", "<autorite>", "template.xml", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_products),
        cmocka_unit_test(test_offices),
        cmocka_unit_test(test_pieces_rule_longest_prefix),
        cmocka_unit_test(test_broken_templates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
