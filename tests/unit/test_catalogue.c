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
/* The rules read: codes, proof, choices, acts needed only in some case, refusals. */
static void test_pieces_rules(void **state)
{
    (void)state;
    const struct pieces_rule *ei = catalogue_pieces_rule(catalogue, "1000");
    assert_string_equal(ei->code, "1");
    assert_string_equal(ei->proof, "kbis");
    assert_int_equal(ei->line_count, 1);
    assert_true(ei->lines[0].choice);
    assert_int_equal(ei->lines[0].act_count, 2);
    const struct rule_line *line;
    assert_non_null(pieces_rule_act(ei, "sirene", &line));
    assert_ptr_equal(line, &ei->lines[0]);
    assert_null(pieces_rule_act(ei, "statuts", NULL));
    const struct pieces_rule *sas = catalogue_pieces_rule(catalogue, "5710");
    assert_null(pieces_rule_act(sas, "kbis", NULL)->if_needed);
    assert_non_null(pieces_rule_act(sas, "statuts", NULL)->if_needed);
    const struct pieces_rule *army = catalogue_pieces_rule(catalogue, "7150");
    assert_non_null(army->refusal);
    assert_non_null(strstr(army->refusal, "{contact}"));
    assert_null(catalogue_pieces_rule(catalogue, "9220")->refusal);
    /* The server product's steps, done by the CA. */
    const struct product *server = catalogue_product(catalogue, "serveur");
    assert_int_equal(server->step_count, 2);
    assert_string_equal(server->steps[0].code, "domaine");
    assert_non_null(strstr(server->steps[0].label, "{fqdn}"));
    assert_int_equal(catalogue_product(catalogue, "signature")->step_count, 0);
}

/* INSEE's text of a label, in the typography of categories.xml: typographic
 * apostrophes, no space after one, single ordinary spaces. */
static void typeset(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (const char *s = in; *s && n + 4 < size; s++) {
        if (*s == '\'') {
            memcpy(out + n, "’", 3);
            n += 3;
            while (s[1] == ' ')
                s++;
        } else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
            s++;
            if (n && out[n - 1] != ' ')
                out[n++] = ' ';
        } else if (*s != ' ' || (n && out[n - 1] != ' ')) {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
}

/* templates/categories.xml says what INSEE's nomenclature says: each level-III code,
 * with INSEE's label. */
static void test_insee_labels(void **state)
{
    (void)state;
    FILE *in = fopen(SOURCE_DIR "/tests/data/insee/categories-juridiques.csv", "r");
    assert_non_null(in);
    char line[512];
    size_t level3 = 0;
    assert_non_null(fgets(line, sizeof line, in));      /* header */
    while (fgets(line, sizeof line, in)) {
        char code[8], label[400], want[600];
        int level;
        line[strcspn(line, "\n")] = '\0';
        assert_int_equal(sscanf(line, "%7[0-9];%d;%399[^\n]", code, &level, label), 3);
        if (level != 3)
            continue;
        level3++;
        typeset(label, want, sizeof want);
        const char *got = categories_label(&catalogue->categories, code);
        if (!got || strcmp(got, want) != 0)
            fail_msg("catégorie %s : « %s » au lieu de « %s »", code, got ? got : "(absente)", want);
    }
    fclose(in);
    assert_int_equal(catalogue->categories.count, level3);
    assert_string_equal(categories_label(&catalogue->categories, "7346"), "Communauté de communes");
    assert_null(categories_label(&catalogue->categories, "5720"));
}

/* INSEE's list of catégories juridiques (tests/data/insee/): every code gets a rule
 * that says something, no rule names a code INSEE does not have, and a sample of
 * codes gets the rule written for it. */
static void test_insee_coverage(void **state)
{
    (void)state;
    FILE *in = fopen(SOURCE_DIR "/tests/data/insee/categories-juridiques.csv", "r");
    assert_non_null(in);
    static char codes[400][8];
    size_t n = 0, level3 = 0;
    char line[512];
    assert_non_null(fgets(line, sizeof line, in));      /* header */
    while (fgets(line, sizeof line, in) && n < 400) {
        char code[8];
        int level;
        assert_int_equal(sscanf(line, "%7[0-9];%d;", code, &level), 2);
        snprintf(codes[n++], sizeof codes[0], "%s", code);
        if (level != 3)
            continue;
        level3++;
        const struct pieces_rule *rule = catalogue_pieces_rule(catalogue, code);
        assert_non_null(rule);
        if (rule->line_count == 0 && !rule->refusal)
            fail_msg("catégorie %s : règle « %s » sans pièce ni refus", code, rule->code);
        /* The most precise rule: its code is a prefix of the category's. */
        assert_int_equal(strncmp(rule->code, code, strlen(rule->code)), 0);
    }
    fclose(in);
    assert_int_equal(level3, 260);
    for (size_t r = 0; r + 1 < catalogue->rule_count; r++) {
        bool known = false;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp(codes[i], catalogue->rules[r].code) == 0;
        if (!known)
            fail_msg("la règle %s (%s) ne correspond à aucune catégorie INSEE", catalogue->rules[r].code,
                     catalogue->rules[r].label);
    }
    static const struct { const char *category, *rule; } expected[] = {
        { "8410", "8410" }, { "8420", "8420" }, { "8450", "8450" }, { "8470", "84" }, { "5485", "54" },
        { "1000", "1" }, { "5710", "5710" }, { "5499", "54" }, { "5202", "52" }, { "9220", "92" },
        { "9221", "92" }, { "9230", "9230" }, { "9240", "9240" }, { "9260", "9260" }, { "7210", "7210" },
        { "7150", "7150" }, { "7450", "7450" }, { "8310", "83" }, { "8311", "83" }, { "3205", "3205" },
        { "3210", "3210" }, { "3220", "3" }, { "3120", "31" }, { "4110", "4" }, { "6540", "65" },
        { "7346", "73" }, { "7120", "7120" }, { "7113", "71" }, { "7410", "74" }, { "9300", "93" },
        { "2110", "21" }, { "0000", "" }, { "9900", "9" },
    };
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        const char *got = catalogue_pieces_rule(catalogue, expected[i].category)->code;
        if (strcmp(got, expected[i].rule) != 0)
            fail_msg("catégorie %s : règle « %s » au lieu de « %s »", expected[i].category, got, expected[i].rule);
    }
    /* What French CAs ask of associations, communes, public bodies and State services. */
    static const char *const sirene[] = { "9220", "7210", "7346", "7120", "7389", "9240", "4110" };
    for (size_t i = 0; i < sizeof sirene / sizeof *sirene; i++)
        if (!pieces_rule_act(catalogue_pieces_rule(catalogue, sirene[i]), "sirene", NULL))
            fail_msg("catégorie %s : pas d'avis de situation SIRENE", sirene[i]);
}

static void test_pieces_rule_longest_prefix(void **state)
{
    (void)state;
    assert_string_equal(catalogue_pieces_rule(catalogue, "5710")->code, "5710");
    assert_string_equal(catalogue_pieces_rule(catalogue, "5785")->code, "57");
    assert_string_equal(catalogue_pieces_rule(catalogue, "5306")->code, "5");
    assert_string_equal(catalogue_pieces_rule(catalogue, "0000")->code, "");
    assert_string_equal(catalogue_pieces_rule(catalogue, NULL)->code, "");
    assert_true(catalogue_pieces_rule(catalogue, "5710")->line_count >= 1);
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
    static const char *const names[] = {
        "produits.xml", "bureaux.xml", "pieces.xml", "autorite.xml", "categories.xml", "prenoms.xml",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
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
    /* An act whose code is no piece field, a proof that is not one of the rule's acts,
     * a choice of one act, an act twice. */
    expect_refused("pieces.xml", "<pieces>\n<regle code=\"57\" preuve=\"kbis\"><libelle>SAS</libelle>\n"
                   "<acte code=\"bilan\">Bilan</acte></regle><defaut preuve=\"statuts\"><libelle>d</libelle>"
                   "<acte code=\"statuts\">S</acte></defaut></pieces>", "template.pieces", 3);
    expect_refused("pieces.xml", "<pieces>\n<regle code=\"57\" preuve=\"nomination\"><libelle>SAS</libelle>"
                   "<acte code=\"kbis\">K</acte></regle><defaut preuve=\"statuts\"><libelle>d</libelle>"
                   "<acte code=\"statuts\">S</acte></defaut></pieces>", "template.pieces", 2);
    expect_refused("pieces.xml", "<pieces>\n<regle code=\"1\" preuve=\"kbis\"><libelle>EI</libelle>\n<choix>"
                   "<acte code=\"kbis\">K</acte></choix></regle><defaut preuve=\"statuts\"><libelle>d</libelle>"
                   "<acte code=\"statuts\">S</acte></defaut></pieces>", "template.pieces", 3);
    expect_refused("pieces.xml", "<pieces>\n<regle code=\"1\" preuve=\"kbis\"><libelle>EI</libelle>"
                   "<acte code=\"kbis\">K</acte><acte code=\"kbis\">K2</acte></regle><defaut preuve=\"statuts\">"
                   "<libelle>d</libelle><acte code=\"statuts\">S</acte></defaut></pieces>", "template.pieces", 2);
    /* A product without the box its applicant ticks, a step done by nobody known. */
    expect_refused("produits.xml", "<produits>\n<produit code=\"x\" famille=\"personne\">"
                   "<paiement code=\"p\">P</paiement></produit></produits>", "template.produit", 2);
    expect_refused("produits.xml", "<produits><produit code=\"x\" famille=\"serveur\"><prerequis>P</prerequis>"
                   "<paiement code=\"p\">P</paiement>\n\n<etape code=\"csr\" par=\"client\">CSR</etape>"
                   "</produit></produits>", "template.produit", 3);
    /* A rule or a délégation for a code INSEE does not have; no délégation for the
     * other categories. */
    expect_refused("pieces.xml", "<pieces><delegation>D</delegation>\n<regle code=\"5720\" preuve=\"kbis\">"
                   "<libelle>SASU</libelle><acte code=\"kbis\">K</acte></regle><defaut preuve=\"statuts\">"
                   "<libelle>d</libelle><acte code=\"statuts\">S</acte></defaut></pieces>", "template.pieces", 0);
    expect_refused("pieces.xml", "<pieces><delegation categories=\"7 59\">A</delegation><delegation>D</delegation>"
                   "<defaut preuve=\"statuts\"><libelle>d</libelle><acte code=\"statuts\">S</acte></defaut></pieces>",
                   "template.pieces", 0);
    expect_refused("pieces.xml", "<pieces><delegation categories=\"7\">A</delegation>"
                   "<defaut preuve=\"statuts\"><libelle>d</libelle><acte code=\"statuts\">S</acte></defaut></pieces>",
                   "template.pieces", 0);
    /* INSEE's categories: a code twice, a code of three digits. */
    expect_refused("categories.xml", "<categories><categorie code=\"5710\">SAS</categorie>\n"
                   "<categorie code=\"5710\">SAS</categorie></categories>", "template.categories", 2);
    expect_refused("categories.xml", "<categories>\n<categorie code=\"571\">SAS</categorie></categories>",
                   "template.categories", 2);
    /* A first name of both genders must be in neither list. */
    expect_refused("prenoms.xml", "<prenoms><feminin>Anne Camille</feminin><masculin>Paul CAMILLE</masculin></prenoms>",
                   "template.prenoms", 0);
    expect_refused("autorite.xml", "<autre/>", "template.root", 0);
    expect_refused("autorite.xml", "<autorite>", "template.xml", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_products),
        cmocka_unit_test(test_offices),
        cmocka_unit_test(test_pieces_rule_longest_prefix),
        cmocka_unit_test(test_pieces_rules),
        cmocka_unit_test(test_insee_coverage),
        cmocka_unit_test(test_insee_labels),
        cmocka_unit_test(test_broken_templates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
