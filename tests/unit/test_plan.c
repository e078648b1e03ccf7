/* Pins the plan (src/rules/plan.c): what a dossier holds, decided once from an
 * accepted request — documents and files per flow, signatories, pieces and the files
 * that carry them, every value the documents print. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "problems.h"
#include "../../src/model/request.h"
#include "../../src/rules/plan.h"
#include "../../src/rules/validate.h"
#include "../../src/util/arena.h"

#define DATE ((time_t)1795478400)   /* 2026-11-24 */

static struct catalogue *catalogue;
static const struct plan_labels labels = { "Pièce d'identité", "L'un des documents suivants :" };

static int setup(void **state)
{
    (void)state;
    TEST_PROBLEMS(problems);
    catalogue = catalogue_load(SOURCE_DIR "/templates", &problems);
    return catalogue ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    catalogue_free(catalogue);
    return 0;
}

static void set(struct request *r, enum field_id f, const char *v)
{
    request_set(r, f, v, strlen(v), 2, NULL);
}

/* A délégataire signs: PRENOM NOM, with a civilité when CIVILITY is not NULL. */
static void add_delegate(struct request *r, const char *prenom, const char *nom, const char *civility)
{
    set(r, F_DEL_PRESENT, "oui");
    set(r, F_DEL_PRENOM, prenom);
    set(r, F_DEL_NOM, nom);
    set(r, F_DEL_EMAIL, "delegataire@brindille.example");
    if (civility)
        set(r, F_DEL_CIVILITE, civility);
}

/* A valid signature request of a SAS, pieces from samples/pieces. */
static struct request *sample(void)
{
    struct request *r = request_new("demandes.csv", SOURCE_DIR "/samples");
    r->line = 2;
    static const struct { enum field_id f; const char *v; } values[] = {
        { F_NUMERO, "600101" }, { F_DATE, "02/11/2026" }, { F_PAPIER, "oui" },
        { F_ORG_SIREN, "952018349" }, { F_ORG_DENOMINATION, "Brindille & Cie" }, { F_ORG_CATEGORIE, "5710" },
        { F_ORG_NIC, "00011" }, { F_ORG_ADRESSE, "18 rue des Tanneurs" }, { F_ORG_CODE_POSTAL, "69002" },
        { F_ORG_VILLE, "Lyon" }, { F_CERT_PRODUIT, "signature" }, { F_CERT_PAIEMENT, "comptant-3ans" },
        { F_CERT_SUPPORT, "cle-usb" }, { F_CERT_PREREQUIS, "oui" }, { F_TIT_PRENOM, "Jeanne" },
        { F_TIT_NOM, "Martin" }, { F_TIT_EMAIL, "jeanne.martin@brindille.example" },
        { F_TIT_FONCTION, "Directrice" }, { F_TIT_SERVICE, "Direction" }, { F_RL_PRENOM, "Marc" },
        { F_RL_NOM, "Dubreuil" }, { F_RL_EMAIL, "marc@brindille.example" }, { F_MOD_BUREAU_ENVOI, "lyon" },
        { F_MOD_BUREAU_RETRAIT, "paris" }, { F_PCE_ID_TITULAIRE, "pieces/cni-jeanne-martin.jpg" },
        { F_PCE_ACTE_NOMINATION, "pieces/kbis-specimen.pdf" },
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        set(r, values[i].f, values[i].v);
    return r;
}

/* Validates R (which must be accepted) and plans it into PLAN, strings in ARENA. */
static void plan_of(struct request *r, bool paper, struct arena *arena, struct plan *plan)
{
    request_validate(r, catalogue);
    for (size_t i = 0; i < r->problems.count; i++)
        print_message("%s: %s\n", r->problems.items[i].code, r->problems.items[i].message);
    assert_int_equal(r->problems.count, 0);
    plan_make(plan, arena, r, catalogue, &labels, paper, DATE);
}

static void test_values(void **state)
{
    (void)state;
    struct request *r = sample();
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, true, a, &p);
    assert_string_equal(p.numero, "600101");
    assert_string_equal(p.request_date, "02/11/2026");
    assert_string_equal(p.dossier_date, "24/11/2026");
    assert_string_equal(p.org.denomination, "Brindille & Cie");
    assert_string_equal(p.org.siren, "952018349");
    assert_null(p.org.telephone);
    assert_string_equal(p.product->code, "signature");
    assert_string_equal(p.payment->code, "comptant-3ans");
    assert_string_equal(p.support->code, "cle-usb");
    assert_null(p.service_name);
    assert_string_equal(p.send_office->code, "lyon");
    assert_string_equal(p.pickup_office->code, "paris");
    assert_string_equal(p.rule->code, "5710");
    assert_non_null(p.authority->name);
    assert_string_equal(p.holder.name, "Jeanne Martin");
    assert_int_equal(p.holder.role, ROLE_HOLDER);
    assert_string_equal(p.rl.name, "Marc Dubreuil");
    /* The holder, then the legal representative, sign. */
    assert_ptr_equal(p.signatories[0], &p.holder);
    assert_ptr_equal(p.signatories[1], &p.rl);
    assert_false(p.billing.other);
    arena_free(a);
    request_free(r);
}

static void test_documents_per_flow(void **state)
{
    (void)state;
    struct request *r = sample();
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, true, a, &p);
    /* Paper: the bordereau first, everything in one print-ready file. */
    assert_int_equal(p.document_count, 5);
    assert_int_equal(p.documents[0], DOC_BORDEREAU);
    assert_int_equal(p.documents[4], DOC_JOINTES);
    assert_int_equal(p.file_count, 1);
    assert_string_equal(p.files[0].name, "dossier-600101.pdf");
    assert_int_equal(p.files[0].count, 5);
    /* Dematerialised: no bordereau, one file per document. */
    plan_make(&p, a, r, catalogue, &labels, false, DATE);
    assert_int_equal(p.document_count, 4);
    assert_int_equal(p.documents[0], DOC_FORMULAIRE);
    assert_int_equal(p.file_count, 4);
    assert_string_equal(p.files[0].name, "formulaire-600101.pdf");
    assert_string_equal(p.files[3].name, "jointes-600101.pdf");
    assert_int_equal(p.files[2].first, 2);
    assert_int_equal(p.files[2].count, 1);
    arena_free(a);
    request_free(r);

    /* Nothing attached: no attached-pieces document. */
    r = sample();
    r->values[F_PCE_ID_TITULAIRE].text = NULL;
    r->values[F_PCE_ACTE_NOMINATION].text = NULL;
    a = arena_new();
    plan_of(r, false, a, &p);
    assert_int_equal(p.attachment_count, 0);
    assert_int_equal(p.document_count, 3);
    for (size_t i = 0; i < p.document_count; i++)
        assert_int_not_equal(p.documents[i], DOC_JOINTES);
    arena_free(a);
    request_free(r);
}

static void test_pieces_and_files(void **state)
{
    (void)state;
    struct request *r = sample();
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, true, a, &p);
    /* ID of the holder (joined), ID of the RL (missing), the Kbis (joined, given as the
     * portal's single upload, which is the SAS's proof), the PV of a new representative
     * and the statuts (if needed). */
    assert_int_equal(p.piece_count, 5);
    assert_string_equal(p.pieces[0].code, "id_titulaire");
    assert_int_equal(p.pieces[0].status, PIECE_JOINED);
    assert_true(p.pieces[0].identity);
    assert_ptr_equal(p.pieces[0].whom, &p.holder);
    assert_string_equal(p.pieces[1].code, "id_rl");
    assert_int_equal(p.pieces[1].status, PIECE_MISSING);
    assert_null(p.pieces[1].file);
    assert_ptr_equal(p.pieces[1].whom, &p.rl);
    assert_string_equal(p.pieces[2].code, "kbis");
    assert_int_equal(p.pieces[2].status, PIECE_JOINED);
    assert_null(p.pieces[2].whom);      /* the organisation's */
    assert_string_equal(p.pieces[3].code, "nomination");
    assert_int_equal(p.pieces[3].status, PIECE_IF_NEEDED);
    assert_string_equal(p.pieces[4].code, "statuts");
    assert_int_equal(p.pieces[4].status, PIECE_IF_NEEDED);
    assert_int_equal(p.attachment_count, 2);
    const struct attachment *id = &p.attachments[0], *act = &p.attachments[1];
    assert_ptr_equal(p.pieces[0].file, id);
    assert_ptr_equal(p.pieces[2].file, act);
    assert_int_equal(id->kind, ATTACH_IDENTITY);
    assert_true(id->conforme);      /* paper flow: certified by hand on the copy */
    assert_int_equal(id->type, PIECE_JPEG);
    assert_string_equal(id->given, "pieces/cni-jeanne-martin.jpg");
    assert_string_equal(id->field, "pieces.id_titulaire");
    assert_int_equal(id->loc.line, 2);
    assert_non_null(strstr(id->path, "/samples/pieces/cni-jeanne-martin.jpg"));
    assert_int_equal(act->kind, ATTACH_ACT);
    assert_string_equal(act->field, "pieces.acte_nomination");
    assert_string_equal(act->title, "Extrait Kbis de moins de trois mois");   /* the page names its act */
    assert_false(act->conforme);
    assert_int_equal(act->type, PIECE_PDF);
    /* Dematerialised: no hand certification. */
    plan_make(&p, a, r, catalogue, &labels, false, DATE);
    assert_false(p.attachments[0].conforme);
    arena_free(a);
    request_free(r);
}

/* An association with its statuts only: that line joined, the others to provide. An
 * association owes the avis SIRENE (or a Kbis) and the act naming its representative;
 * the statuts and their récépissé only if the act does not give the powers. */
static void test_each_line_tells_the_truth(void **state)
{
    (void)state;
    struct request *r = sample();
    set(r, F_ORG_CATEGORIE, "9220");
    r->values[F_PCE_ACTE_NOMINATION].text = NULL;
    set(r, F_PCE_STATUTS, "pieces/statuts-association-specimen.pdf");
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, true, a, &p);
    static const char *const codes[] = { "id_titulaire", "id_rl", "sirene|kbis", "nomination", "statuts", "publication" };
    static const enum piece_status want[] = { PIECE_JOINED, PIECE_MISSING, PIECE_MISSING, PIECE_MISSING, PIECE_JOINED,
                                              PIECE_IF_NEEDED };
    assert_int_equal(p.piece_count, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(p.pieces[i].code, codes[i]);
        assert_int_equal(p.pieces[i].status, want[i]);
    }
    assert_ptr_equal(p.pieces[3].whom, &p.rl);     /* the nomination concerns the RL */
    arena_free(a);
    request_free(r);

    /* Every act attached: nothing left to provide. */
    r = sample();
    set(r, F_ORG_CATEGORIE, "9220");
    r->values[F_PCE_ACTE_NOMINATION].text = NULL;
    set(r, F_PCE_ID_RL, "pieces/cni-marc-olivier-dubreuil.jpg");
    set(r, F_PCE_STATUTS, "pieces/statuts-association-specimen.pdf");
    set(r, F_PCE_PUBLICATION, "pieces/delegation-specimen.pdf");
    set(r, F_PCE_NOMINATION, "pieces/kbis-specimen.pdf");
    set(r, F_PCE_SIRENE, "pieces/kbis-specimen.pdf");
    a = arena_new();
    plan_of(r, true, a, &p);
    for (size_t i = 0; i < p.piece_count; i++)
        assert_int_equal(p.pieces[i].status, PIECE_JOINED);
    assert_int_equal(p.attachment_count, 6);
    arena_free(a);
    request_free(r);

    /* An entrepreneur with the avis SIRENE only: the choice is satisfied. */
    r = sample();
    set(r, F_ORG_CATEGORIE, "1000");
    set(r, F_TIT_EST_RL, "oui");
    r->values[F_RL_PRENOM].text = r->values[F_RL_NOM].text = r->values[F_RL_EMAIL].text = NULL;
    r->values[F_PCE_ACTE_NOMINATION].text = NULL;
    set(r, F_PCE_SIRENE, "pieces/kbis-specimen.pdf");
    a = arena_new();
    plan_of(r, true, a, &p);
    assert_int_equal(p.piece_count, 2);
    assert_string_equal(p.pieces[1].code, "kbis|sirene");
    assert_int_equal(p.pieces[1].status, PIECE_JOINED);
    assert_non_null(strstr(p.pieces[1].label, "L'un des documents suivants :\n– Extrait K"));
    assert_string_equal(p.pieces[1].file->field, "pieces.sirene");
    arena_free(a);
    request_free(r);
}

/* A rule of many lines: every line is kept (the plan once stopped at 24). */
static void test_many_lines(void **state)
{
    (void)state;
    struct pieces_rule *rule = (struct pieces_rule *)catalogue_pieces_rule(catalogue, "5710");
    struct rule_line *saved = rule->lines;
    size_t saved_count = rule->line_count;
    static struct act acts[40];
    static struct rule_line lines[40];
    static char names[40][32];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "Acte %d", i);
        acts[i] = (struct act){ i == 0 ? "kbis" : "statuts", names[i], NULL };
        lines[i] = (struct rule_line){ &acts[i], 1, false };
    }
    rule->lines = lines;
    rule->line_count = 40;
    struct request *r = sample();
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, true, a, &p);
    rule->lines = saved;
    rule->line_count = saved_count;
    assert_int_equal(p.piece_count, 2 + 40);
    assert_string_equal(p.pieces[2 + 39].label, "Acte 39");
    assert_int_equal(p.pieces[2].status, PIECE_JOINED);
    arena_free(a);
    request_free(r);
}

static void test_delegate_and_holder_rl(void **state)
{
    (void)state;
    struct request *r = sample();
    add_delegate(r, "Zoé", "Dahl", NULL);
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, true, a, &p);
    /* The délégataire signs for the organisation, with her ID and the délégation, in
     * the words of private law (a SAS). */
    assert_ptr_equal(p.signatories[1], &p.delegate);
    assert_string_equal(p.delegate.name, "Zoé Dahl");
    assert_int_equal(p.piece_count, 7);      /* 3 IDs, délégation, Kbis, PV and statuts if needed */
    assert_string_equal(p.pieces[3].label,
                        "Délégation de signature datée et signée par le représentant légal et le délégataire");
    arena_free(a);
    request_free(r);

    /* The holder is the délégataire: one signatory, no separate délégataire's ID, the
     * délégation still listed. */
    r = sample();
    add_delegate(r, "Jeanne", "Martin", NULL);
    set(r, F_DEL_EMAIL, "jeanne.martin@brindille.example");
    a = arena_new();
    plan_of(r, true, a, &p);
    assert_true(p.holder_is_delegate);
    assert_null(p.signatories[1]);
    assert_int_equal(p.delegate.role, ROLE_DELEGATE);
    assert_string_equal(p.pieces[2].code, "delegation");
    assert_ptr_equal(p.pieces[2].whom, &p.delegate);
    for (size_t i = 0; i < p.piece_count; i++)
        assert_string_not_equal(p.pieces[i].code, "id_delegataire");
    arena_free(a);
    request_free(r);

    /* The holder is the RL: one signatory, no separate RL ID. */
    r = sample();
    set(r, F_TIT_EST_RL, "oui");
    r->values[F_RL_PRENOM].text = r->values[F_RL_NOM].text = r->values[F_RL_EMAIL].text = NULL;
    a = arena_new();
    plan_of(r, true, a, &p);
    assert_null(p.signatories[1]);
    assert_string_equal(p.rl.name, "Jeanne Martin");
    assert_int_equal(p.rl.role, ROLE_RL);
    assert_int_equal(p.piece_count, 4);      /* one ID, Kbis, PV and statuts if needed */
    arena_free(a);
    request_free(r);
}

static void test_server_service(void **state)
{
    (void)state;
    struct request *r = sample();
    for (int f = F_TIT_PRENOM; f <= F_TIT_EST_RL; f++)
        r->values[f].text = NULL;
    r->values[F_CERT_SUPPORT].text = NULL;
    r->values[F_PCE_ID_TITULAIRE].text = NULL;
    set(r, F_CERT_PRODUIT, "serveur");
    set(r, F_SA_FQDN, "portail.brindille.example");
    set(r, F_SA_FQDN_CONF, "portail.brindille.example");
    set(r, F_SA_EMAIL, "web@brindille.example");
    set(r, F_RESP_PRENOM, "Luc");
    set(r, F_RESP_NOM, "Bernard");
    set(r, F_RESP_EMAIL, "luc@brindille.example");
    set(r, F_RESP_FONCTION, "DSI");
    set(r, F_RESP_SERVICE, "Informatique");
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, false, a, &p);
    assert_string_equal(p.service_name, "portail.brindille.example");
    assert_string_equal(p.service_email, "web@brindille.example");
    assert_int_equal(p.holder.role, ROLE_MANAGER);
    assert_string_equal(p.holder.name, "Luc Bernard");
    /* The CA's own steps: domain control and CSR, for this server, nothing to attach. */
    const struct planned_piece *last = &p.pieces[p.piece_count - 1];
    assert_string_equal(last[-1].code, "domaine");
    assert_string_equal(last->code, "csr");
    assert_int_equal(last[-1].status, PIECE_STEP);
    assert_int_equal(last->status, PIECE_APPLICANT_STEP);    /* the CSR is the applicant's */
    assert_non_null(strstr(last[-1].label, "portail.brindille.example"));
    /* The prerequisites box names the server; no face-to-face for a server. */
    assert_non_null(strstr(p.prerequisites, "le serveur portail.brindille.example"));
    assert_null(strstr(p.prerequisites, "titulaire"));
    assert_false(p.product->face_to_face);
    /* A responsable who is also the representative: one person, one ID, one signature. */
    set(r, F_RL_PRENOM, "luc");
    set(r, F_RL_NOM, "BERNARD");
    set(r, F_RL_EMAIL, "luc@brindille.example");
    plan_of(r, false, a, &p);
    assert_true(p.holder_is_rl);
    assert_null(p.signatories[1]);
    for (size_t i = 0; i < p.piece_count; i++)
        assert_string_not_equal(p.pieces[i].code, "id_rl");
    arena_free(a);
    request_free(r);
}

/* What the documents name: INSEE's label of the category, the rule's, the gender of
 * each role, the délégation in the words of the sector. */
static void test_labels_and_genders(void **state)
{
    (void)state;
    struct request *r = sample();
    set(r, F_ORG_CATEGORIE, "5485");
    add_delegate(r, "Camille", "Roux", NULL);
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, true, a, &p);
    assert_string_equal(p.org.categorie_label, "Société d’exercice libéral à responsabilité limitée");
    assert_string_equal(p.rule->code, "54");
    assert_true(p.product->face_to_face);
    assert_int_equal(p.holder.gender, GENDER_FEMININE);     /* Jeanne */
    assert_int_equal(p.rl.gender, GENDER_MASCULINE);        /* Marc */
    assert_int_equal(p.delegate.gender, GENDER_UNKNOWN);    /* Camille: either */
    arena_free(a);
    request_free(r);

    /* The civilité wins over the first name; a commune delegates by arrêté. */
    r = sample();
    set(r, F_ORG_CATEGORIE, "7210");
    r->values[F_PCE_ACTE_NOMINATION].text = NULL;
    set(r, F_RL_CIVILITE, "Madame");
    add_delegate(r, "Anne-Sophie", "Roux", "Mme");
    a = arena_new();
    plan_of(r, true, a, &p);
    assert_int_equal(p.rl.gender, GENDER_FEMININE);
    assert_int_equal(p.delegate.gender, GENDER_FEMININE);
    assert_string_equal(p.pieces[3].code, "delegation");
    assert_string_equal(p.pieces[3].label, "Arrêté ou décision de délégation de signature, exécutoire");
    arena_free(a);
    request_free(r);
}

/* An ID's verso, in a file of its own, follows its recto; the line is one. */
static void test_verso(void **state)
{
    (void)state;
    struct request *r = sample();
    set(r, F_PCE_ID_TITULAIRE_VERSO, "pieces/cni-marc-olivier-dubreuil.jpg");
    struct arena *a = arena_new();
    struct plan p;
    plan_of(r, true, a, &p);
    assert_int_equal(p.attachment_count, 3);
    assert_int_equal(p.attachments[0].side, SIDE_RECTO);
    assert_int_equal(p.attachments[1].side, SIDE_VERSO);
    assert_string_equal(p.attachments[1].field, "pieces.id_titulaire_verso");
    assert_ptr_equal(p.attachments[1].whom, &p.holder);
    assert_true(p.attachments[1].conforme);
    assert_int_equal(p.attachments[2].side, SIDE_WHOLE);
    assert_ptr_equal(p.pieces[0].file, &p.attachments[0]);
    assert_string_equal(p.pieces[1].code, "id_rl");
    arena_free(a);
    request_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_documents_per_flow),
        cmocka_unit_test(test_pieces_and_files),
        cmocka_unit_test(test_each_line_tells_the_truth),
        cmocka_unit_test(test_many_lines),
        cmocka_unit_test(test_delegate_and_holder_rl),
        cmocka_unit_test(test_server_service),
        cmocka_unit_test(test_labels_and_genders),
        cmocka_unit_test(test_verso),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
