/* Pins the validation rules (src/rules/validate.c, piece.c): from a valid record of each
 * product, every single mutation gives exactly the expected codes on the expected fields. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpdir.h"
#include "../../src/model/request.h"
#include "../../src/rules/catalogue.h"
#include "../../src/rules/piece.h"
#include "../../src/rules/validate.h"
#include "../../src/util/arena.h"
#include "../../src/util/text.h"

enum product_kind { SIGNATURE, CACHET, SERVEUR };

static struct catalogue *catalogue;
static struct arena *catalogue_arena;
static char tmp_root[64];
static char pieces_root[128];

static void write_bytes(const char *dir, const char *name, const void *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (len)
        fwrite(data, 1, len, f);
    fclose(f);
}

/* tmp_root/outside.jpg, and the pieces root tmp_root/root with real headers and traps. */
static int setup(void **state)
{
    (void)state;
    xmlInitParser();
    struct dossier_problems diags;
    catalogue_arena = arena_new();
    diag_list_init(&diags, catalogue_arena);
    catalogue = catalogue_load(SOURCE_DIR "/templates", &diags);
    diag_list_release(&diags);
    if (!catalogue)
        return -1;

    if (tmpdir_make(tmp_root, sizeof tmp_root, "validate") != 0)
        return -1;
    snprintf(pieces_root, sizeof pieces_root, "%s/root", tmp_root);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/sous-dossier", pieces_root);
    if (mkdir(pieces_root, 0755) != 0 || mkdir(sub, 0755) != 0)
        return -1;
    static const unsigned char jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9 };
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1 };
    static const char pdf[] = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    write_bytes(pieces_root, "cni.jpg", jpeg, sizeof jpeg);
    write_bytes(pieces_root, "CNI-MAJ.JPEG", jpeg, sizeof jpeg);
    write_bytes(pieces_root, "scan-sans-extension", jpeg, sizeof jpeg);
    write_bytes(pieces_root, "passeport.png", png, sizeof png);
    write_bytes(pieces_root, "kbis.pdf", pdf, sizeof pdf - 1);
    write_bytes(sub, "delegation.pdf", pdf, sizeof pdf - 1);
    write_bytes(pieces_root, "vide.pdf", "", 0);
    write_bytes(pieces_root, "texte.jpg", "ceci n'est pas une image\n", 25);
    write_bytes(pieces_root, "image.pdf", png, sizeof png);
    write_bytes(tmp_root, "outside.jpg", jpeg, sizeof jpeg);
    char target[256], link[256];
    snprintf(target, sizeof target, "%s/outside.jpg", tmp_root);
    snprintf(link, sizeof link, "%s/lien-dehors.jpg", pieces_root);
    if (symlink(target, link) != 0)
        return -1;
    snprintf(link, sizeof link, "%s/lien-dedans.jpg", pieces_root);
    if (symlink("cni.jpg", link) != 0)
        return -1;
    snprintf(link, sizeof link, "%s/lien-dossier", pieces_root);
    if (symlink(tmp_root, link) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    catalogue_free(catalogue);
    arena_free(catalogue_arena);
    xmlCleanupParser();
    return tmpdir_remove(tmp_root);
}

/* Every value sits on line 2 of demandes.csv, like one CSV row. */
static void set(struct request *r, enum field_id f, const char *text)
{
    request_set(r, f, text, strlen(text), 2, NULL);
}

static void unset(struct request *r, enum field_id f)
{
    request_set(r, f, "", 0, 0, NULL);
}

static struct request *base(enum product_kind kind)
{
    struct request *r = request_new("demandes.csv", pieces_root);
    r->line = 2;
    set(r, F_NUMERO, "600101");
    set(r, F_DATE, "2026-11-02");
    set(r, F_DEMANDEUR, "jeanne.martin@brindille-et-cie.example");
    set(r, F_PAPIER, "oui");
    set(r, F_ORG_SIREN, "952018349");
    set(r, F_ORG_DENOMINATION, "Brindille & Cie");
    set(r, F_ORG_CATEGORIE, "5710");
    set(r, F_ORG_NIC, "00011");
    set(r, F_ORG_ADRESSE, "18 rue des Tanneurs Imaginaires");
    set(r, F_ORG_CODE_POSTAL, "69002");
    set(r, F_ORG_VILLE, "Lyon");
    set(r, F_ORG_TELEPHONE, "04 65 71 10 01");
    set(r, F_CERT_PAIEMENT, "comptant-3ans");
    set(r, F_CERT_PREREQUIS, "oui");
    set(r, F_RL_PRENOM, "Marc-Olivier");
    set(r, F_RL_NOM, "Dubreuil");
    set(r, F_RL_EMAIL, "mo.dubreuil@brindille-et-cie.example");
    set(r, F_DEL_PRESENT, "non");
    set(r, F_MOD_BUREAU_ENVOI, "lyon");
    set(r, F_MOD_BUREAU_RETRAIT, "paris");
    set(r, F_FAC_ADRESSE, "etablissement");
    if (kind == SIGNATURE) {
        set(r, F_CERT_PRODUIT, "signature");
        set(r, F_CERT_SUPPORT, "cle-usb");
        set(r, F_TIT_PRENOM, "Jeanne");
        set(r, F_TIT_NOM, "Martin");
        set(r, F_TIT_EMAIL, "jeanne.martin@brindille-et-cie.example");
        set(r, F_TIT_FONCTION, "Directrice générale");
        set(r, F_TIT_SERVICE, "Direction");
        set(r, F_TIT_TEL_BUREAU, "04 65 71 10 02");
        set(r, F_TIT_TEL_PORTABLE, "+33 6 39 98 10 01");
        set(r, F_TIT_EST_RL, "non");
        set(r, F_PCE_ID_TITULAIRE, "cni.jpg");
        set(r, F_PCE_ID_RL, "passeport.png");
        set(r, F_PCE_ACTE_NOMINATION, "kbis.pdf");
        return r;
    }
    set(r, F_CERT_PRODUIT, kind == CACHET ? "cachet" : "serveur");
    set(r, F_CERT_SUPPORT, "logiciel");
    if (kind == CACHET) {
        set(r, F_SA_NOM, "Factures électroniques");
        set(r, F_SA_NOM_CONF, "Factures électroniques");
    } else {
        set(r, F_SA_FQDN, "factures.mairie-montfleury.fr");
        set(r, F_SA_FQDN_CONF, "Factures.Mairie-Montfleury.fr");
    }
    set(r, F_SA_EMAIL, "teleservices@montfleury-les-vignes.example");
    set(r, F_RESP_PRENOM, "Karim");
    set(r, F_RESP_NOM, "Benali-Fournier");
    set(r, F_RESP_EMAIL, "k.benali-fournier@montfleury-les-vignes.example");
    set(r, F_RESP_FONCTION, "Responsable des systèmes d'information");
    set(r, F_RESP_SERVICE, "Direction du numérique");
    set(r, F_RESP_TEL_BUREAU, "04 65 71 40 12");
    return r;
}

static void print_problems(const struct request *r)
{
    for (size_t i = 0; i < r->problems.count; i++)
        print_message("  problem %zu: [%s] %s: %s\n", i, r->problems.items[i].code,
                      r->problems.items[i].field ? r->problems.items[i].field : "-",
                      r->problems.items[i].message);
}

/* Validates R (then frees it) and checks its problems are exactly the N pairs
 * "code", "field" given, in any order. */
static void expect(struct request *r, size_t n, ...)
{
    request_validate(r, catalogue);
    if (r->problems.count != n)
        print_problems(r);
    assert_int_equal(r->problems.count, n);
    bool used[64] = { false };
    va_list ap;
    va_start(ap, n);
    for (size_t k = 0; k < n; k++) {
        const char *code = va_arg(ap, const char *);
        const char *field = va_arg(ap, const char *);
        bool found = false;
        for (size_t i = 0; i < r->problems.count && !found; i++) {
            const struct dossier_problem *d = &r->problems.items[i];
            if (used[i] || strcmp(d->code, code) != 0)
                continue;
            if ((field == NULL) != (d->field == NULL) || (field && strcmp(field, d->field) != 0))
                continue;
            used[i] = found = true;
        }
        if (!found) {
            print_problems(r);
            print_message("missing: [%s] %s\n", code, field ? field : "-");
        }
        assert_true(found);
    }
    va_end(ap);
    request_free(r);
}

static void expect_ok(struct request *r)
{
    expect(r, 0);
}

static void expect_one(struct request *r, const char *code, enum field_id field)
{
    expect(r, 1, code, field_table[field].name);
}

static void test_bases_are_valid(void **state)
{
    (void)state;
    for (int kind = SIGNATURE; kind <= SERVEUR; kind++) {
        struct request *r = base((enum product_kind)kind);
        request_validate(r, catalogue);
        if (r->problems.count)
            print_problems(r);
        assert_int_equal(r->problems.count, 0);
        const struct product *p = r->facts.product;
        assert_non_null(p);
        assert_string_equal(p->code, request_get(r, F_CERT_PRODUIT));
        assert_true(r->facts.paper);
        assert_false(r->facts.holder_is_rl);
        assert_false(r->facts.has_delegate);
        assert_false(r->facts.billing_other);
        assert_int_equal(r->facts.year, 2026);
        assert_int_equal(r->facts.month, 11);
        assert_int_equal(r->facts.day, 2);
        request_free(r);
    }
}

static void test_required_fields(void **state)
{
    (void)state;
    static const enum field_id common[] = {
        F_NUMERO, F_DATE, F_ORG_SIREN, F_ORG_DENOMINATION, F_ORG_CATEGORIE, F_ORG_NIC,
        F_ORG_CODE_POSTAL, F_ORG_VILLE, F_CERT_PRODUIT, F_CERT_PAIEMENT, F_CERT_PREREQUIS,
        F_RL_PRENOM, F_RL_NOM, F_RL_EMAIL, F_MOD_BUREAU_ENVOI, F_MOD_BUREAU_RETRAIT,
    };
    static const enum field_id person[] = {
        F_TIT_PRENOM, F_TIT_NOM, F_TIT_EMAIL, F_TIT_FONCTION, F_TIT_SERVICE,
    };
    static const enum field_id service[] = {
        F_SA_EMAIL, F_RESP_PRENOM, F_RESP_NOM, F_RESP_EMAIL, F_RESP_FONCTION, F_RESP_SERVICE,
    };
    for (int kind = SIGNATURE; kind <= SERVEUR; kind++) {
        for (size_t i = 0; i < sizeof common / sizeof *common; i++) {
            struct request *r = base((enum product_kind)kind);
            unset(r, common[i]);
            /* Without a product, the titulaire's fields are not judged applicable or not. */
            expect_one(r, "field.required", common[i]);
        }
        const enum field_id *own = kind == SIGNATURE ? person : service;
        size_t own_count = kind == SIGNATURE ? 5 : 6;
        for (size_t i = 0; i < own_count; i++) {
            struct request *r = base((enum product_kind)kind);
            unset(r, own[i]);
            expect_one(r, "field.required", own[i]);
        }
    }
    struct request *r = base(CACHET);
    unset(r, F_SA_NOM);
    expect_one(r, "field.required", F_SA_NOM);
    r = base(CACHET);
    unset(r, F_SA_NOM_CONF);
    expect_one(r, "field.required", F_SA_NOM_CONF);
    r = base(SERVEUR);
    unset(r, F_SA_FQDN);
    expect_one(r, "field.required", F_SA_FQDN);
    r = base(SERVEUR);
    unset(r, F_SA_FQDN_CONF);
    expect_one(r, "field.required", F_SA_FQDN_CONF);
    /* Optional ones. */
    static const enum field_id optional[] = {
        F_DEMANDEUR, F_PAPIER, F_ORG_ADRESSE, F_ORG_TELEPHONE, F_TIT_TEL_BUREAU,
        F_TIT_TEL_PORTABLE, F_TIT_EST_RL, F_DEL_PRESENT, F_FAC_ADRESSE, F_PCE_ID_TITULAIRE,
    };
    for (size_t i = 0; i < sizeof optional / sizeof *optional; i++) {
        r = base(SIGNATURE);
        unset(r, optional[i]);
        expect_ok(r);
    }
}

static void test_required_location(void **state)
{
    (void)state;
    /* An absent field is reported at its record's line, named by its CSV header. */
    struct request *r = base(SIGNATURE);
    r->line = 7;
    unset(r, F_TIT_EMAIL);
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 1);
    assert_string_equal(r->problems.items[0].field, "titulaire.email");
    assert_int_equal(r->problems.items[0].line, 7);
    assert_string_equal(r->problems.items[0].file, "demandes.csv");
    request_free(r);
}

static void test_siren_and_siret(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_ORG_SIREN, "952018348");
    expect_one(r, "siren.luhn", F_ORG_SIREN);
    r = base(SIGNATURE);
    set(r, F_ORG_SIREN, "95201834");
    expect_one(r, "siren.length", F_ORG_SIREN);
    r = base(SIGNATURE);
    set(r, F_ORG_SIREN, "95201834A");
    expect_one(r, "siren.digits", F_ORG_SIREN);
    r = base(SIGNATURE);
    set(r, F_ORG_SIREN, "952 018 349");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_ORG_NIC, "00012");
    expect_one(r, "siret.luhn", F_ORG_NIC);
    r = base(SIGNATURE);
    set(r, F_ORG_NIC, "0011");
    expect_one(r, "nic.length", F_ORG_NIC);
    r = base(SIGNATURE);
    set(r, F_ORG_NIC, "000111");
    expect_one(r, "nic.length", F_ORG_NIC);
    r = base(SIGNATURE);
    set(r, F_ORG_NIC, "0001A");
    expect_one(r, "nic.digits", F_ORG_NIC);
    /* Spaces between groups, as in the SIREN: the NIC's too. */
    r = base(SIGNATURE);
    set(r, F_ORG_NIC, "000 11");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_ORG_NIC, "000 12");
    expect_one(r, "siret.luhn", F_ORG_NIC);
    /* La Poste: an establishment by the sum rule, and the head office by Luhn. */
    r = base(SIGNATURE);
    set(r, F_ORG_SIREN, "356000000");
    set(r, F_ORG_NIC, "49837");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_ORG_SIREN, "356 000 000");
    set(r, F_ORG_NIC, "00048");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_ORG_SIREN, "356000000");
    set(r, F_ORG_NIC, "00014");
    expect_one(r, "siret.luhn", F_ORG_NIC);
}

static void test_organisation_syntax(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_ORG_CATEGORIE, "571");
    expect_one(r, "categorie.syntax", F_ORG_CATEGORIE);
    r = base(SIGNATURE);
    set(r, F_ORG_CODE_POSTAL, "6900");
    expect_one(r, "code_postal.syntax", F_ORG_CODE_POSTAL);
    r = base(SIGNATURE);
    set(r, F_ORG_TELEPHONE, "04 65 71 10");
    expect_one(r, "phone.syntax", F_ORG_TELEPHONE);
}

static void test_value_syntax(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_TIT_EMAIL, "jeanne.martin.example.fr");
    expect_one(r, "email.syntax", F_TIT_EMAIL);
    r = base(SIGNATURE);
    set(r, F_DEMANDEUR, "jeanne@localhost");
    expect_one(r, "email.syntax", F_DEMANDEUR);
    r = base(SIGNATURE);
    set(r, F_RL_EMAIL, "a@@b.fr");
    expect_one(r, "email.syntax", F_RL_EMAIL);
    r = base(SIGNATURE);
    set(r, F_TIT_TEL_BUREAU, "04 72 00 00");
    expect_one(r, "phone.syntax", F_TIT_TEL_BUREAU);
    r = base(SIGNATURE);
    set(r, F_TIT_TEL_PORTABLE, "+44 20 7946 0000");
    expect_one(r, "phone.syntax", F_TIT_TEL_PORTABLE);
    r = base(SERVEUR);
    set(r, F_SA_FQDN, "factures_1.example.fr");
    set(r, F_SA_FQDN_CONF, "factures_1.example.fr");
    expect(r, 2, "fqdn.syntax", "service_applicatif.fqdn", "fqdn.syntax", "service_applicatif.fqdn_confirmation");
    r = base(SERVEUR);
    set(r, F_SA_FQDN, "localhost");
    set(r, F_SA_FQDN_CONF, "localhost");
    expect(r, 2, "fqdn.syntax", "service_applicatif.fqdn", "fqdn.syntax", "service_applicatif.fqdn_confirmation");
    r = base(SIGNATURE);
    set(r, F_PAPIER, "peut-être");
    expect_one(r, "bool.syntax", F_PAPIER);
    r = base(SIGNATURE);
    set(r, F_TIT_EST_RL, "2");
    expect_one(r, "bool.syntax", F_TIT_EST_RL);
    r = base(SIGNATURE);
    set(r, F_CERT_PREREQUIS, "vérifié");
    expect_one(r, "bool.syntax", F_CERT_PREREQUIS);
    r = base(SIGNATURE);
    set(r, F_DATE, "31/04/2026");
    expect_one(r, "date.syntax", F_DATE);
    r = base(SIGNATURE);
    set(r, F_DATE, "2026-11-02T10:00");
    expect_one(r, "date.syntax", F_DATE);
    r = base(SIGNATURE);
    set(r, F_DATE, "03/11/2026");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_NUMERO, "60A101");
    expect_one(r, "numero.syntax", F_NUMERO);
    r = base(SIGNATURE);
    set(r, F_NUMERO, "123456789012345678901");
    expect_one(r, "numero.syntax", F_NUMERO);
    r = base(SIGNATURE);
    set(r, F_NUMERO, "12345678901234567890");
    expect_ok(r);
}

static void test_booleans(void **state)
{
    (void)state;
    static const char *const yes[] = { "oui", "OUI", "true", "True", "1", "vrai", "yes" };
    static const char *const no[] = { "non", "Non", "false", "FALSE", "0", "faux", "no" };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        bool b = false;
        assert_true(bool_parse(yes[i], &b));
        assert_true(b);
        assert_true(bool_parse(no[i], &b));
        assert_false(b);
    }
    bool b = true;
    assert_false(bool_parse("o", &b));
    assert_false(bool_parse("", &b));
    assert_false(bool_parse(NULL, &b));
    assert_false(bool_parse("oui ", &b));
    assert_true(b);

    struct request *r = base(SIGNATURE);
    set(r, F_PAPIER, "Non");
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    assert_false(r->facts.paper);
    request_free(r);
    /* Absent: the dematerialised flow. */
    r = base(SIGNATURE);
    unset(r, F_PAPIER);
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    assert_false(r->facts.paper);
    request_free(r);
}

static void test_certificate_rules(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_CERT_PRODUIT, "horodatage");
    expect_one(r, "produit.unknown", F_CERT_PRODUIT);
    r = base(SIGNATURE);
    set(r, F_CERT_PAIEMENT, "credit-10ans");
    expect_one(r, "paiement.unknown", F_CERT_PAIEMENT);
    r = base(SERVEUR);
    set(r, F_CERT_PAIEMENT, "comptant-1an");
    expect_ok(r);
    r = base(SIGNATURE);
    unset(r, F_CERT_SUPPORT);
    expect_one(r, "support.required", F_CERT_SUPPORT);
    r = base(SIGNATURE);
    set(r, F_CERT_SUPPORT, "logiciel");
    expect_one(r, "support.unknown", F_CERT_SUPPORT);
    r = base(SERVEUR);
    set(r, F_CERT_SUPPORT, "cle-usb");
    expect_one(r, "support.unknown", F_CERT_SUPPORT);
    r = base(CACHET);
    unset(r, F_CERT_SUPPORT);
    expect_ok(r);
    r = base(CACHET);
    set(r, F_CERT_SUPPORT, "cle-usb");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_CERT_PREREQUIS, "non");
    expect_one(r, "prerequis.false", F_CERT_PREREQUIS);
    r = base(SIGNATURE);
    set(r, F_CERT_PREREQUIS, "0");
    expect_one(r, "prerequis.false", F_CERT_PREREQUIS);
}

static void test_confirmations(void **state)
{
    (void)state;
    struct request *r = base(CACHET);
    set(r, F_SA_NOM_CONF, "Factures electroniques");
    expect_one(r, "confirmation.mismatch", F_SA_NOM_CONF);
    r = base(SERVEUR);
    set(r, F_SA_FQDN_CONF, "facture.mairie-montfleury.fr");
    expect_one(r, "confirmation.mismatch", F_SA_FQDN_CONF);
}

static void test_not_applicable(void **state)
{
    (void)state;
    struct request *r = base(CACHET);
    set(r, F_TIT_PRENOM, "Jeanne");
    expect_one(r, "field.not_applicable", F_TIT_PRENOM);
    r = base(SERVEUR);
    set(r, F_TIT_EST_RL, "oui");
    expect_one(r, "field.not_applicable", F_TIT_EST_RL);
    r = base(SIGNATURE);
    set(r, F_SA_NOM, "Factures");
    set(r, F_RESP_NOM, "Benali");
    expect(r, 2, "field.not_applicable", "service_applicatif.nom", "field.not_applicable", "responsable.nom");
    r = base(CACHET);
    set(r, F_SA_FQDN, "factures.example.fr");
    expect_one(r, "field.not_applicable", F_SA_FQDN);
    r = base(SERVEUR);
    set(r, F_SA_NOM_CONF, "Factures");
    expect_one(r, "field.not_applicable", F_SA_NOM_CONF);
    r = base(SIGNATURE);
    set(r, F_DEL_NOM, "Popescu");
    expect_one(r, "field.not_applicable", F_DEL_NOM);
    r = base(SIGNATURE);
    unset(r, F_DEL_PRESENT);
    set(r, F_DEL_EMAIL, "stefan@example.fr");
    expect_one(r, "field.not_applicable", F_DEL_EMAIL);
    r = base(SIGNATURE);
    set(r, F_PCE_DELEGATION, "sous-dossier/delegation.pdf");
    expect_one(r, "field.not_applicable", F_PCE_DELEGATION);
    r = base(SIGNATURE);
    set(r, F_PCE_ID_DELEGATAIRE, "cni.jpg");
    expect_one(r, "field.not_applicable", F_PCE_ID_DELEGATAIRE);
    r = base(SIGNATURE);
    set(r, F_FAC_VILLE, "Lyon");
    expect_one(r, "field.not_applicable", F_FAC_VILLE);
}

/* The titulaire declared the RL: the rl.* fields and the RL's ID left out. */
static struct request *holder_is_rl(void)
{
    struct request *r = base(SIGNATURE);
    set(r, F_TIT_EST_RL, "oui");
    unset(r, F_RL_PRENOM);
    unset(r, F_RL_NOM);
    unset(r, F_RL_EMAIL);
    unset(r, F_PCE_ID_RL);
    return r;
}

static void test_legal_representative(void **state)
{
    (void)state;
    /* The titulaire is the RL: the rl.* fields may go. */
    struct request *r = holder_is_rl();
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    assert_true(r->facts.holder_is_rl);
    request_free(r);
    /* ... or repeat the titulaire's. */
    r = base(SIGNATURE);
    set(r, F_TIT_EST_RL, "oui");
    set(r, F_RL_PRENOM, "Jeanne");
    set(r, F_RL_NOM, "MARTIN");
    set(r, F_RL_EMAIL, "jeanne.martin@brindille-et-cie.example");
    unset(r, F_PCE_ID_RL);
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_TIT_EST_RL, "oui");
    unset(r, F_PCE_ID_RL);
    expect(r, 3, "rl.conflict", "rl.prenom", "rl.conflict", "rl.nom", "rl.conflict", "rl.email");
    r = base(SIGNATURE);
    set(r, F_TIT_EST_RL, "oui");
    unset(r, F_RL_PRENOM);
    unset(r, F_RL_NOM);
    unset(r, F_RL_EMAIL);
    expect_one(r, "field.not_applicable", F_PCE_ID_RL);
    /* Not the RL: the three are required. */
    r = base(SIGNATURE);
    unset(r, F_RL_PRENOM);
    unset(r, F_RL_NOM);
    unset(r, F_RL_EMAIL);
    expect(r, 3, "field.required", "rl.prenom", "field.required", "rl.nom", "field.required", "rl.email");
    /* Seals and servers have no titulaire: the RL is always needed. */
    r = base(CACHET);
    unset(r, F_RL_EMAIL);
    expect_one(r, "field.required", F_RL_EMAIL);
}

static void test_delegate(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_DEL_PRESENT, "oui");
    expect(r, 3, "field.required", "delegataire.prenom", "field.required", "delegataire.nom",
           "field.required", "delegataire.email");
    r = base(SIGNATURE);
    set(r, F_DEL_PRESENT, "oui");
    set(r, F_DEL_PRENOM, "Ștefan");
    set(r, F_DEL_NOM, "Popescu");
    set(r, F_DEL_EMAIL, "stefan.popescu@example.fr");
    set(r, F_PCE_DELEGATION, "sous-dossier/delegation.pdf");
    set(r, F_PCE_ID_DELEGATAIRE, "lien-dedans.jpg");
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    assert_true(r->facts.has_delegate);
    request_free(r);
    r = base(SIGNATURE);
    set(r, F_DEL_PRESENT, "oui");
    set(r, F_DEL_PRENOM, "Ștefan");
    set(r, F_DEL_NOM, "Popescu");
    set(r, F_DEL_EMAIL, "stefan.popescu");
    expect_one(r, "email.syntax", F_DEL_EMAIL);
}

static void test_offices_and_billing(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_MOD_BUREAU_ENVOI, "nantes");
    expect_one(r, "bureau.unknown", F_MOD_BUREAU_ENVOI);
    r = base(CACHET);
    set(r, F_MOD_BUREAU_RETRAIT, "Lyonn");
    expect_one(r, "bureau.unknown", F_MOD_BUREAU_RETRAIT);
    /* Codes ignore case: a spreadsheet capitalises "Lyon" and "Autre". */
    r = base(CACHET);
    set(r, F_MOD_BUREAU_RETRAIT, "Lyon");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_MOD_BUREAU_ENVOI, "marseille");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_FAC_ADRESSE, "ailleurs");
    expect_one(r, "facturation.adresse", F_FAC_ADRESSE);
    r = base(SIGNATURE);
    set(r, F_FAC_ADRESSE, "autre");
    expect(r, 4, "field.required", "facturation.destinataire", "field.required", "facturation.pays",
           "field.required", "facturation.code_postal", "field.required", "facturation.ville");
    r = base(SIGNATURE);
    set(r, F_FAC_ADRESSE, "autre");
    set(r, F_FAC_DESTINATAIRE, "Service des finances");
    set(r, F_FAC_PAYS, "FRANCE");
    set(r, F_FAC_CODE_POSTAL, "69998");
    set(r, F_FAC_VILLE, "Montfleury");
    set(r, F_FAC_LIEU_DIT, "BP 7");
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    assert_true(r->facts.billing_other);
    request_free(r);
    r = base(SIGNATURE);
    set(r, F_FAC_ADRESSE, "autre");
    set(r, F_FAC_DESTINATAIRE, "Service des finances");
    set(r, F_FAC_PAYS, "France");
    set(r, F_FAC_CODE_POSTAL, "6999");
    set(r, F_FAC_VILLE, "Montfleury");
    expect_one(r, "code_postal.syntax", F_FAC_CODE_POSTAL);
    /* A foreign postcode is the foreign post's business. */
    r = base(SIGNATURE);
    set(r, F_FAC_ADRESSE, "autre");
    set(r, F_FAC_DESTINATAIRE, "Siège européen");
    set(r, F_FAC_PAYS, "Belgique");
    set(r, F_FAC_CODE_POSTAL, "1000");
    set(r, F_FAC_VILLE, "Bruxelles");
    expect_ok(r);
}

static void test_text_rules(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_TIT_PRENOM, "Łukasz Ștefan Ærø « » € œ Ğ Ж Ω");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_TIT_NOM, "Martin \xF0\x9F\x98\x80");     /* emoji */
    expect_one(r, "text.unprintable", F_TIT_NOM);
    r = base(SIGNATURE);
    set(r, F_ORG_DENOMINATION, "Soci\xC3\xA9t\xC3\xA9 \xE4\xB8\xAD");   /* U+4E2D */
    expect_one(r, "text.unprintable", F_ORG_DENOMINATION);
    r = base(SIGNATURE);
    set(r, F_ORG_ADRESSE, "18 rue\x01 des Tanneurs");
    request_validate(r, catalogue);
    assert_true(r->problems.count >= 1);
    assert_string_equal(r->problems.items[0].code, "text.control");
    assert_string_equal(r->problems.items[0].field, "organisation.adresse");
    request_free(r);
    /* A line break inside an address is fine (quoted CSV cell). */
    r = base(SIGNATURE);
    set(r, F_ORG_ADRESSE, "18 rue des Tanneurs\nBâtiment B");
    expect_ok(r);

    /* 300 characters (not bytes) at most. */
    char text[1024];
    size_t o = 0;
    for (int i = 0; i < 300; i++)
        o += utf8_put(text + o, 0xE9);
    text[o] = '\0';
    r = base(SIGNATURE);
    set(r, F_TIT_FONCTION, text);
    expect_ok(r);
    o += utf8_put(text + o, 'x');
    text[o] = '\0';
    r = base(SIGNATURE);
    set(r, F_TIT_FONCTION, text);
    expect_one(r, "text.too_long", F_TIT_FONCTION);
    /* Line breaks: allowed in an address, not in a name. */
    r = base(SIGNATURE);
    set(r, F_ORG_ADRESSE, "12 rue des Archives\nBâtiment B");
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_TIT_PRENOM, "Jeanne\nMarie");
    expect_one(r, "text.newline", F_TIT_PRENOM);
}

static void test_messages_stay_utf8(void **state)
{
    (void)state;
    /* A long value quoted in a message is cut, never in the middle of a character. */
    char text[2100] = "a";
    size_t o = 1;
    for (int i = 0; i < 1000; i++)
        o += utf8_put(text + o, 0xE9);
    memcpy(text + o, "@example", 9);
    /* Both alignments of the two-byte characters against the cut. */
    for (int odd = 0; odd < 2; odd++) {
        struct request *r = base(SIGNATURE);
        set(r, F_TIT_EMAIL, text + odd);
        set(r, F_TIT_PRENOM, text + odd);
        request_validate(r, catalogue);
        assert_true(r->problems.count >= 1);
        for (size_t i = 0; i < r->problems.count; i++) {
            const char *m = r->problems.items[i].message;
            assert_true(utf8_is_valid(m, strlen(m)));
        }
        request_free(r);
    }
}

static void test_many_problems_at_once(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_ORG_SIREN, "952018348");
    set(r, F_DATE, "2026-02-30");
    unset(r, F_TIT_NOM);
    set(r, F_TIT_EMAIL, "jeanne@");
    set(r, F_MOD_BUREAU_ENVOI, "nantes");
    set(r, F_CERT_PREREQUIS, "non");
    set(r, F_PCE_ID_TITULAIRE, "../outside.jpg");
    expect(r, 7, "siren.luhn", "organisation.siren", "date.syntax", "date", "field.required", "titulaire.nom",
           "email.syntax", "titulaire.email", "bureau.unknown", "modalites.bureau_envoi",
           "prerequis.false", "certificat.prerequis_verifies", "piece.outside_root", "pieces.id_titulaire");
}

static void test_pieces(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *code;
    } cases[] = {
        { "/etc/passwd", "piece.absolute" },
        { "../outside.jpg", "piece.outside_root" },
        { "sous-dossier/../cni.jpg", "piece.outside_root" },
        { "..", "piece.outside_root" },
        { "lien-dehors.jpg", "piece.outside_root" },
        { "lien-dossier/outside.jpg", "piece.outside_root" },
        { "absente.jpg", "piece.missing" },
        { "sous-dossier/absente.pdf", "piece.missing" },
        { "vide.pdf", "piece.empty" },
        { "texte.jpg", "piece.type" },
        { "image.pdf", "piece.type_mismatch" },
        { "sous-dossier", "piece.not_file" },
        { "sous-dossier\\delegation.pdf", "piece.syntax" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct request *r = base(SIGNATURE);
        set(r, F_PCE_ACTE_NOMINATION, cases[i].path);
        expect_one(r, cases[i].code, F_PCE_ACTE_NOMINATION);
    }
    /* A missing root is not the file's fault but still stops the record. */
    struct request *r = base(SIGNATURE);
    r->root = "/nonexistent/pieces";
    expect(r, 3, "piece.root", "pieces.id_titulaire", "piece.root", "pieces.id_rl",
           "piece.root", "pieces.acte_nomination");
}

/* A file for an act the organisation's rule does not ask for is refused, naming the
 * rule; the portal's single upload may not come beside the act it stands for; a
 * protected category is refused with the portal's message. */
static void test_acts_and_rules(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);           /* a SAS: Kbis, statuts if needed */
    set(r, F_PCE_PUBLICATION, "kbis.pdf");
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 1);
    assert_string_equal(r->problems.items[0].code, "piece.not_asked");
    assert_string_equal(r->problems.items[0].field, "pieces.publication");
    assert_non_null(strstr(r->problems.items[0].message, "Société par actions simplifiée (SAS)"));
    request_free(r);
    r = base(SIGNATURE);
    set(r, F_PCE_STATUTS, "kbis.pdf");                /* asked, if needed */
    expect_ok(r);
    r = base(SIGNATURE);                            /* acte_nomination is the Kbis here */
    set(r, F_PCE_KBIS, "kbis.pdf");
    expect_one(r, "piece.duplicate", F_PCE_ACTE_NOMINATION);
    r = base(SIGNATURE);
    set(r, F_PCE_KBIS, "kbis.pdf");
    r->values[F_PCE_ACTE_NOMINATION].text = NULL;
    expect_ok(r);
    r = base(SIGNATURE);
    set(r, F_ORG_CATEGORIE, "7150");
    r->values[F_PCE_ACTE_NOMINATION].text = NULL;
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 1);
    assert_string_equal(r->problems.items[0].code, "categorie.refused");
    assert_non_null(strstr(r->problems.items[0].message, "SIREN protégé"));
    assert_non_null(strstr(r->problems.items[0].message, catalogue->authority.email));
    request_free(r);
}

/* A company's new representative, not yet on the Kbis, proves his powers with the PV
 * of his nomination: every company rule asks for it "si nécessaire". */
static void test_new_representative(void **state)
{
    (void)state;
    static const char *const companies[] = { "5202", "5485", "5499", "5599", "5699", "5710", "5785", "6220", "6540" };
    for (size_t i = 0; i < sizeof companies / sizeof *companies; i++) {
        struct request *r = base(SIGNATURE);
        set(r, F_ORG_CATEGORIE, companies[i]);
        set(r, F_PCE_NOMINATION, "sous-dossier/delegation.pdf");
        request_validate(r, catalogue);
        if (r->problems.count) {
            print_message("catégorie %s\n", companies[i]);
            print_problems(r);
        }
        assert_int_equal(r->problems.count, 0);
        request_free(r);
    }
}

/* A person's first name, name and e-mail, into the three fields from FIRST on. */
static void set_person(struct request *r, enum field_id first, const char *prenom, const char *nom, const char *email)
{
    set(r, first, prenom);
    set(r, (enum field_id)(first + 1), nom);
    set(r, (enum field_id)(first + 2), email);
}

/* One person, one role of each kind (issue 16, point 5). */
static void test_impossible_roles(void **state)
{
    (void)state;
    /* The titulaire is the RL, and a délégataire would sign in his name: refused. */
    struct request *r = holder_is_rl();
    set(r, F_DEL_PRESENT, "oui");
    set_person(r, F_DEL_PRENOM, "Ștefan", "Popescu", "stefan.popescu@example.fr");
    expect_one(r, "delegataire.conflict", F_DEL_PRESENT);
    /* The délégataire is the RL himself (the case of letters aside). */
    r = base(SIGNATURE);
    set(r, F_DEL_PRESENT, "oui");
    set_person(r, F_DEL_PRENOM, "MARC-OLIVIER", "dubreuil", "mo@example.fr");
    expect_one(r, "delegataire.conflict", F_DEL_PRENOM);
    /* est_rl says no, but the RL is the titulaire by name: say which. */
    r = base(SIGNATURE);
    set_person(r, F_RL_PRENOM, "Jeanne", "Martin", "jm@example.fr");
    expect_one(r, "rl.conflict", F_TIT_EST_RL);
    /* A seal's responsable who is the RL: one person, one ID, one signature. */
    static const char karim[] = "k.benali-fournier@montfleury-les-vignes.example";
    r = base(CACHET);
    set_person(r, F_RL_PRENOM, "Karim", "Benali-Fournier", "K.Benali-Fournier@montfleury-les-vignes.example");
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    assert_true(r->facts.holder_is_rl);
    request_free(r);
    r = base(CACHET);
    set_person(r, F_RL_PRENOM, "Karim", "Benali-Fournier", karim);
    set(r, F_PCE_ID_RL, "cni.jpg");
    expect_one(r, "field.not_applicable", F_PCE_ID_RL);
    /* The same name with another address: which is it? */
    r = base(SERVEUR);
    set_person(r, F_RL_PRENOM, "Karim", "Benali-Fournier", "maire@montfleury-les-vignes.example");
    expect_one(r, "rl.conflict", F_RL_EMAIL);
    /* The titulaire to whom the RL delegated: one person, whose ID is the titulaire's. */
    r = base(SIGNATURE);
    set(r, F_DEL_PRESENT, "oui");
    set_person(r, F_DEL_PRENOM, "jeanne", "MARTIN", "Jeanne.Martin@brindille-et-cie.example");
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    assert_true(r->facts.holder_is_delegate);
    request_free(r);
    r = base(SIGNATURE);
    set(r, F_DEL_PRESENT, "oui");
    set_person(r, F_DEL_PRENOM, "Jeanne", "Martin", "jeanne.martin@brindille-et-cie.example");
    set(r, F_PCE_ID_DELEGATAIRE, "cni.jpg");
    expect_one(r, "field.not_applicable", F_PCE_ID_DELEGATAIRE);
    r = base(SIGNATURE);
    set(r, F_DEL_PRESENT, "oui");
    set_person(r, F_DEL_PRENOM, "Jeanne", "Martin", "direction@brindille-et-cie.example");
    expect_one(r, "delegataire.conflict", F_DEL_EMAIL);
}

/* Civilités, INSEE codes and versos (issue 16, points 8 and 9). */
static void test_civility_category_verso(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_TIT_CIVILITE, "Madame");
    set(r, F_RL_CIVILITE, "M.");
    expect_ok(r);
    /* One value each, one problem each; a code INSEE does not have (5720 was removed)
     * is refused, not guessed. */
    static const struct {
        enum product_kind kind;
        enum field_id field;
        const char *value, *code;
    } cases[] = {
        { SIGNATURE, F_TIT_CIVILITE, "Mlle", "civilite.syntax" },
        { CACHET, F_TIT_CIVILITE, "Madame", "field.not_applicable" },
        { SIGNATURE, F_DEL_CIVILITE, "Madame", "field.not_applicable" },
        { SIGNATURE, F_ORG_CATEGORIE, "5720", "categorie.unknown" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        r = base(cases[i].kind);
        set(r, cases[i].field, cases[i].value);
        expect_one(r, cases[i].code, cases[i].field);
    }
    /* A verso goes with its recto. */
    r = base(SIGNATURE);
    set(r, F_PCE_ID_TITULAIRE_VERSO, "CNI-MAJ.JPEG");
    set(r, F_PCE_ID_RL_VERSO, "scan-sans-extension");
    expect_ok(r);
    r = base(SIGNATURE);
    unset(r, F_PCE_ID_RL);
    set(r, F_PCE_ID_RL_VERSO, "cni.jpg");
    expect_one(r, "piece.verso_alone", F_PCE_ID_RL_VERSO);
    r = holder_is_rl();
    set(r, F_PCE_ID_RL_VERSO, "cni.jpg");
    expect(r, 2, "field.not_applicable", "pieces.id_rl_verso", "piece.verso_alone", "pieces.id_rl_verso");
    r = base(SIGNATURE);
    set(r, F_PCE_ID_DELEGATAIRE_VERSO, "cni.jpg");
    expect(r, 2, "field.not_applicable", "pieces.id_delegataire_verso", "piece.verso_alone",
           "pieces.id_delegataire_verso");
}

static void test_pieces_accepted(void **state)
{
    (void)state;
    struct request *r = base(SIGNATURE);
    set(r, F_PCE_ID_TITULAIRE, "lien-dedans.jpg");
    set(r, F_PCE_ID_RL, "./passeport.png");
    set(r, F_PCE_ACTE_NOMINATION, "sous-dossier/delegation.pdf");
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    char want[512];
    snprintf(want, sizeof want, "%s/cni.jpg", pieces_root);
    char real[4096];
    assert_non_null(realpath(want, real));
    assert_string_equal(r->facts.piece_path[0], real);
    assert_int_equal(r->facts.piece_type[0], PIECE_JPEG);
    int rl = F_PCE_ID_RL - F_PCE_ID_TITULAIRE;
    assert_non_null(strstr(r->facts.piece_path[rl], "/root/passeport.png"));
    assert_int_equal(r->facts.piece_type[rl], PIECE_PNG);
    assert_null(r->facts.piece_path[F_PCE_ID_DELEGATAIRE - F_PCE_ID_TITULAIRE]);
    int acte = F_PCE_ACTE_NOMINATION - F_PCE_ID_TITULAIRE;
    assert_non_null(strstr(r->facts.piece_path[acte], "/root/sous-dossier/delegation.pdf"));
    assert_int_equal(r->facts.piece_type[acte], PIECE_PDF);
    request_free(r);

    /* Upper-case extension, or none: the content decides. */
    r = base(SIGNATURE);
    set(r, F_PCE_ID_TITULAIRE, "CNI-MAJ.JPEG");
    set(r, F_PCE_ID_RL, "scan-sans-extension");
    request_validate(r, catalogue);
    assert_int_equal(r->problems.count, 0);
    assert_int_equal(r->facts.piece_type[F_PCE_ID_RL - F_PCE_ID_TITULAIRE], PIECE_JPEG);
    request_free(r);
}

static void test_piece_sniff(void **state)
{
    (void)state;
    assert_int_equal(piece_sniff((const unsigned char *)"\xFF\xD8\xFF\xE1", 4), PIECE_JPEG);
    assert_int_equal(piece_sniff((const unsigned char *)"\xFF\xD8", 2), PIECE_NONE);
    assert_int_equal(piece_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n", 8), PIECE_PNG);
    assert_int_equal(piece_sniff((const unsigned char *)"\x89PNG\r\n\x1a", 7), PIECE_NONE);
    assert_int_equal(piece_sniff((const unsigned char *)"%PDF-1.7", 8), PIECE_PDF);
    assert_int_equal(piece_sniff((const unsigned char *)"%PDF", 4), PIECE_NONE);
    assert_int_equal(piece_sniff((const unsigned char *)"GIF89a", 6), PIECE_NONE);
    assert_string_equal(piece_type_name(PIECE_PDF), "PDF");
    assert_string_equal(piece_type_name(PIECE_NONE), "inconnu");
}

static void test_unique_numbers(void **state)
{
    (void)state;
    struct request_list list = { 0 };
    const char *numeros[] = { "600101", "600102", "600101", NULL, "600102", "600101" };
    for (int i = 0; i < 6; i++) {
        struct request *r = request_new("demandes.csv", pieces_root);
        r->line = i + 2;
        if (numeros[i])
            request_set(r, F_NUMERO, numeros[i], strlen(numeros[i]), i + 2, NULL);
        request_list_push(&list, r);
    }
    requests_check_unique(&list);
    size_t want[] = { 0, 0, 1, 0, 1, 1 };
    for (int i = 0; i < 6; i++) {
        assert_int_equal(list.items[i]->problems.count, want[i]);
        if (!want[i])
            continue;
        const struct dossier_problem *d = &list.items[i]->problems.items[0];
        assert_string_equal(d->code, "numero.duplicate");
        assert_string_equal(d->field, "numero");
        assert_int_equal(d->line, i + 2);
        /* Points at the first occurrence. */
        assert_non_null(strstr(d->message, strcmp(numeros[i], "600101") == 0 ? "demandes.csv:2" : "demandes.csv:3"));
    }
    request_list_release(&list);

    /* An empty batch and a batch without numbers are fine. */
    requests_check_unique(&list);
    struct request *r = request_new("x.csv", ".");
    request_list_push(&list, r);
    requests_check_unique(&list);
    assert_int_equal(r->problems.count, 0);
    request_list_release(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bases_are_valid),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_required_location),
        cmocka_unit_test(test_siren_and_siret),
        cmocka_unit_test(test_organisation_syntax),
        cmocka_unit_test(test_value_syntax),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_certificate_rules),
        cmocka_unit_test(test_confirmations),
        cmocka_unit_test(test_not_applicable),
        cmocka_unit_test(test_legal_representative),
        cmocka_unit_test(test_delegate),
        cmocka_unit_test(test_offices_and_billing),
        cmocka_unit_test(test_text_rules),
        cmocka_unit_test(test_messages_stay_utf8),
        cmocka_unit_test(test_many_problems_at_once),
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_pieces_accepted),
        cmocka_unit_test(test_acts_and_rules),
        cmocka_unit_test(test_new_representative),
        cmocka_unit_test(test_impossible_roles),
        cmocka_unit_test(test_civility_category_verso),
        cmocka_unit_test(test_piece_sniff),
        cmocka_unit_test(test_unique_numbers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
