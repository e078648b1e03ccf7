/* Pins the XML reader (src/input/xml.c): fields and their paths and lines, schema problems
 * kept to their record, whole-file problems, and the refusal of DTDs (XXE, entity bombs). */
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
#include <sys/resource.h>
#include <time.h>

#include "tmpdir.h"
#include "../../src/input/input.h"

#define SCHEMA SOURCE_DIR "/templates/demande.xsd"
#define MARKER "SECRET-MARKER-7f3a9c"

static char tmp_root[64];
static struct input_options options = { false, NULL, NULL };

static int make_tmp(void **state)
{
    (void)state;
    xmlInitParser();
    /* Compiled once, as a context does. */
    struct dossier_problems problems;
    diag_list_init(&problems, NULL);
    options.schema = xml_schema_load(SCHEMA, &problems);
    diag_list_release(&problems);
    if (!options.schema)
        return -1;
    return tmpdir_make(tmp_root, sizeof tmp_root, "xml");
}

static int remove_tmp(void **state)
{
    (void)state;
    xmlSchemaFree(options.schema);
    xmlCleanupParser();
    return tmpdir_remove(tmp_root);
}

static const char *write_bytes(const char *name, const char *data, size_t len)
{
    const char *path = tmpdir_write(tmp_root, name, data, len);
    assert_non_null(path);
    return path;
}

static const char *write_file(const char *name, const char *text)
{
    return write_bytes(name, text, strlen(text));
}

static void load(const char *path, struct request_list *out)
{
    assert_true(request_load_xml(path, &options, out));
}

static size_t count_code(const struct request *r, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < r->problems.count; i++)
        n += strcmp(r->problems.items[i].code, code) == 0;
    return n;
}

/* The only record is a whole-file problem CODE; returns its diagnostic. */
static const struct dossier_problem *whole_file_problem(const struct request_list *list, const char *code)
{
    assert_int_equal(list->count, 1);
    const struct request *r = list->items[0];
    assert_true(r->whole_file);
    assert_int_equal(r->problems.count, 1);
    assert_string_equal(r->problems.items[0].code, code);
    return &r->problems.items[0];
}

/* True when no value nor message of LIST contains TEXT. */
static bool appears_nowhere(const struct request_list *list, const char *text)
{
    for (size_t i = 0; i < list->count; i++) {
        const struct request *r = list->items[i];
        for (int f = 0; f < FIELD_COUNT; f++)
            if (r->values[f].text && strstr(r->values[f].text, text))
                return false;
        for (size_t p = 0; p < r->problems.count; p++)
            if (strstr(r->problems.items[p].message, text) ||
                (r->problems.items[p].field && strstr(r->problems.items[p].field, text)))
                return false;
    }
    return true;
}

static const char two_requests[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"             /* 1 */
    "<demandes>\n"                                            /* 2 */
    "  <demande>\n"                                           /* 3 */
    "    <numero>600101</numero>\n"                           /* 4 */
    "    <organisation>\n"                                    /* 5 */
    "      <denomination>Brindille &amp; Cie</denomination>\n" /* 6 */
    "    </organisation>\n"                                   /* 7 */
    "  </demande>\n"                                          /* 8 */
    "  <demande>\n"                                           /* 9 */
    "    <numero> 600102 </numero>\n"                         /* 10 */
    "    <titulaire>\n"                                       /* 11 */
    "      <nom>Nowak</nom>\n"                                /* 12 */
    "      <prenom>\xC5\x81ukasz</prenom>\n"                  /* 13 */
    "    </titulaire>\n"                                      /* 14 */
    "    <pieces><id_titulaire>pieces/cni.jpg</id_titulaire></pieces>\n" /* 15 */
    "    <rl><prenom/></rl>\n"                                /* 16 */
    "  </demande>\n"                                          /* 17 */
    "</demandes>\n";

static void test_valid_nested_groups(void **state)
{
    (void)state;
    const char *path = write_file("ok.xml", two_requests);
    struct request_list list = { 0 };
    load(path, &list);
    assert_int_equal(list.count, 2);

    struct request *a = list.items[0];
    assert_int_equal(a->problems.count, 0);
    assert_false(a->whole_file);
    assert_int_equal(a->line, 3);
    assert_string_equal(a->xml_path, "/demandes/demande[1]");
    assert_string_equal(a->root, tmp_root);
    assert_string_equal(request_get(a, F_NUMERO), "600101");
    assert_string_equal(request_get(a, F_ORG_DENOMINATION), "Brindille & Cie");
    assert_int_equal(a->values[F_ORG_DENOMINATION].line, 6);
    assert_string_equal(a->values[F_ORG_DENOMINATION].xml_path,
                        "/demandes/demande[1]/organisation/denomination");

    struct request *b = list.items[1];
    assert_int_equal(b->problems.count, 0);
    assert_int_equal(b->line, 9);
    assert_string_equal(b->xml_path, "/demandes/demande[2]");
    assert_string_equal(request_get(b, F_NUMERO), "600102");
    assert_int_equal(b->values[F_NUMERO].line, 10);
    assert_string_equal(request_get(b, F_TIT_PRENOM), "\xC5\x81ukasz");
    assert_string_equal(b->values[F_TIT_PRENOM].xml_path, "/demandes/demande[2]/titulaire/prenom");
    assert_int_equal(b->values[F_TIT_PRENOM].line, 13);
    assert_int_equal(b->values[F_TIT_NOM].line, 12);
    assert_string_equal(request_get(b, F_PCE_ID_TITULAIRE), "pieces/cni.jpg");
    assert_int_equal(b->values[F_PCE_ID_TITULAIRE].line, 15);
    /* An empty element is an absent value. */
    assert_null(request_get(b, F_RL_PRENOM));
    assert_null(request_get(b, F_ORG_DENOMINATION));

    /* An absent field is reported at its record. */
    struct source_loc loc = request_loc(b, F_TIT_EMAIL);
    assert_int_equal(loc.line, 9);
    assert_string_equal(loc.xml_path, "/demandes/demande[2]");
    request_list_release(&list);
}

static void test_load_file_picks_xml(void **state)
{
    (void)state;
    /* A BOM, or blanks, before '<' still mean XML, whatever the extension. */
    char data[sizeof two_requests + 8] = "\xEF\xBB\xBF";
    strcat(data, two_requests);
    const char *path = write_file("demandes.csv", data);
    struct request_list list = { 0 };
    assert_true(request_load_file(path, &options, &list));
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[1]->problems.count, 0);
    assert_string_equal(request_get(list.items[1], F_TIT_NOM), "Nowak");
    request_list_release(&list);

    strcpy(data, "\r\n\t ");
    strcat(data, strchr(two_requests, '\n') + 1);     /* no XML declaration */
    path = write_file("demandes.txt", data);
    assert_true(request_load_file(path, &options, &list));
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[1]->problems.count, 0);
    assert_int_equal(list.items[1]->values[F_TIT_NOM].line, 12);
    request_list_release(&list);
}

static void test_schema_problem_stays_in_its_record(void **state)
{
    (void)state;
    const char *path = write_file("schema.xml",
        "<?xml version=\"1.0\"?>\n"
        "<demandes>\n"
        "  <demande><numero>1</numero></demande>\n"
        "  <demande>\n"
        "    <numero>2</numero>\n"
        "    <titulaire><prenom>A</prenom><couleur>bleu</couleur></titulaire>\n"
        "  </demande>\n"
        "  <demande><numero>3</numero><numero>3</numero></demande>\n"
        "  <demande><numero>4</numero></demande>\n"
        "</demandes>\n");
    struct request_list list = { 0 };
    load(path, &list);
    assert_int_equal(list.count, 4);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_int_equal(list.items[3]->problems.count, 0);

    struct request *bad = list.items[1];
    assert_false(bad->whole_file);
    /* One problem, said once (not again as an unknown field). */
    assert_int_equal(bad->problems.count, 1);
    const struct dossier_problem *d = &bad->problems.items[0];
    assert_string_equal(d->code, "xml.schema");
    assert_int_equal(d->line, 6);
    assert_string_equal(d->field, "titulaire.couleur");
    assert_string_equal(d->xml_path, "/demandes/demande[2]/titulaire/couleur");
    assert_non_null(strstr(d->message, "élément inconnu"));
    /* The rest of the record is still read. */
    assert_string_equal(request_get(bad, F_TIT_PRENOM), "A");

    /* Each field at most once. */
    assert_int_equal(list.items[2]->problems.count, 1);
    assert_int_equal(count_code(list.items[2], "xml.schema"), 1);
    assert_int_equal(list.items[2]->problems.items[0].line, 8);
    request_list_release(&list);
}

static void test_schema_problem_outside_requests(void **state)
{
    (void)state;
    const char *path = write_file("outside.xml",
        "<demandes>\n  <demande><numero>1</numero></demande>\n  <intrus/>\n</demandes>\n");
    struct request_list list = { 0 };
    load(path, &list);
    /* Read as a stream: the record before the stray element is read as usual, the
     * stray element is a problem of the file at its line. */
    assert_int_equal(list.count, 2);
    assert_false(list.items[0]->whole_file);
    assert_string_equal(request_get(list.items[0], F_NUMERO), "1");
    assert_true(list.items[1]->whole_file);
    assert_int_equal(list.items[1]->problems.count, 1);
    assert_string_equal(list.items[1]->problems.items[0].code, "xml.schema");
    assert_int_equal(list.items[1]->problems.items[0].line, 3);
    request_list_release(&list);
}

static void test_malformed(void **state)
{
    (void)state;
    const char *path = write_file("malformed.xml",
        "<?xml version=\"1.0\"?>\n<demandes>\n  <demande>\n    <numero>1</nombre>\n  </demande>\n</demandes>\n");
    struct request_list list = { 0 };
    load(path, &list);
    const struct dossier_problem *d = whole_file_problem(&list, "xml.syntax");
    assert_int_equal(d->line, 4);
    assert_non_null(strstr(d->message, "XML mal formé"));
    request_list_release(&list);

    path = write_file("truncated.xml", "<demandes><demande><numero>1</numero>");
    load(path, &list);
    whole_file_problem(&list, "xml.syntax");
    request_list_release(&list);

    path = write_file("badchar.xml", "<demandes><demande><numero>1 & 2</numero></demande></demandes>");
    load(path, &list);
    whole_file_problem(&list, "xml.syntax");
    request_list_release(&list);
}

static void test_wrong_root(void **state)
{
    (void)state;
    const char *path = write_file("root.xml",
        "<?xml version=\"1.0\"?>\n\n<demande><numero>1</numero></demande>\n");
    struct request_list list = { 0 };
    load(path, &list);
    const struct dossier_problem *d = whole_file_problem(&list, "xml.root");
    assert_int_equal(d->line, 3);
    assert_non_null(strstr(d->message, "<demandes>"));
    request_list_release(&list);
}

static void test_missing_schema(void **state)
{
    (void)state;
    const char *path = write_file("noschema.xml", two_requests);
    struct input_options bad = { false, NULL, NULL };
    struct request_list list = { 0 };
    assert_true(request_load_xml(path, &bad, &list));
    whole_file_problem(&list, "xml.schema_missing");
    request_list_release(&list);
}

static void test_xxe_refused(void **state)
{
    (void)state;
    char secret[256];
    snprintf(secret, sizeof secret, "%s/secret.txt", tmp_root);
    FILE *f = fopen(secret, "w");
    assert_non_null(f);
    fputs(MARKER "\n", f);
    fclose(f);

    char xml[1024];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE d [<!ENTITY x SYSTEM \"file://%s\">]>\n"
             "<demandes><demande><numero>1</numero>"
             "<titulaire><nom>&x;</nom></titulaire></demande></demandes>\n", secret);
    const char *path = write_file("xxe.xml", xml);
    struct request_list list = { 0 };
    load(path, &list);
    const struct dossier_problem *d = whole_file_problem(&list, "xml.dtd");
    assert_int_equal(d->line, 2);
    assert_non_null(strstr(d->message, "DOCTYPE"));
    assert_true(appears_nowhere(&list, MARKER));
    request_list_release(&list);

    /* Hidden behind a comment and a processing instruction, or as an external DTD. */
    snprintf(xml, sizeof xml,
             "\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- <demandes/> --><?pi x?>\n\n"
             "<!DOCTYPE demandes SYSTEM \"file://%s\">\n<demandes/>\n", secret);
    path = write_file("xxe2.xml", xml);
    load(path, &list);
    d = whole_file_problem(&list, "xml.dtd");
    assert_int_equal(d->line, 3);
    assert_true(appears_nowhere(&list, MARKER));
    request_list_release(&list);
}

static void test_xxe_in_utf16_refused(void **state)
{
    (void)state;
    /* The same attack encoded in UTF-16 (no BOM: libxml2 detects "<\0?\0"). */
    char secret[256], xml[1024], wide[2048];
    snprintf(secret, sizeof secret, "%s/secret.txt", tmp_root);
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
             "<!DOCTYPE demandes [<!ENTITY x SYSTEM \"file://%s\">]>\n"
             "<demandes><demande><numero>1</numero>"
             "<titulaire><nom>&x;</nom></titulaire></demande></demandes>\n", secret);
    size_t n = strlen(xml);
    for (size_t i = 0; i < n; i++) {
        wide[2 * i] = xml[i];
        wide[2 * i + 1] = '\0';
    }
    const char *path = write_bytes("xxe16.xml", wide, 2 * n);
    struct request_list list = { 0 };
    assert_true(request_load_file(path, &options, &list));
    assert_int_equal(list.count, 1);
    assert_true(list.items[0]->whole_file);
    assert_int_equal(count_code(list.items[0], "xml.dtd"), 1);
    assert_true(appears_nowhere(&list, MARKER));
    request_list_release(&list);
}

static void test_xxe_in_utf7_refused(void **state)
{
    (void)state;
    /* UTF-7 spells '<' as "+ADw-": no byte scan sees the DOCTYPE, the parser does. */
    char secret[256], xml[1024];
    snprintf(secret, sizeof secret, "%s/secret.txt", tmp_root);
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n"
             "+ADw-!DOCTYPE demandes +AFs-+ADw-!ENTITY x SYSTEM +ACI-file://%s+ACI-+AD4-+AF0-+AD4-\n"
             "+ADw-demandes+AD4-+ADw-demande+AD4-+ADw-titulaire+AD4-+ADw-nom+AD4-+ACY-x+ADs-"
             "+ADw-/nom+AD4-+ADw-/titulaire+AD4-+ADw-/demande+AD4-+ADw-/demandes+AD4-\n", secret);
    const char *path = write_file("xxe7.xml", xml);
    struct request_list list = { 0 };
    load(path, &list);
    const struct dossier_problem *d = whole_file_problem(&list, "xml.dtd");
    assert_int_equal(d->line, 2);
    assert_true(appears_nowhere(&list, MARKER));
    request_list_release(&list);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_billion_laughs_refused_quickly(void **state)
{
    (void)state;
    char xml[4096] = "<?xml version=\"1.0\"?>\n<!DOCTYPE demandes [\n"
                     "<!ENTITY e0 \"ha\">\n";
    for (int level = 1; level < 10; level++) {
        char line[256];
        int w = snprintf(line, sizeof line, "<!ENTITY e%d \"", level);
        for (int k = 0; k < 10; k++)
            w += snprintf(line + w, sizeof line - (size_t)w, "&e%d;", level - 1);
        snprintf(line + w, sizeof line - (size_t)w, "\">\n");
        strcat(xml, line);
    }
    strcat(xml, "]>\n<demandes><demande><numero>1</numero>"
                "<titulaire><nom>&e9;</nom></titulaire></demande></demandes>\n");
    const char *path = write_file("lol.xml", xml);

    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct request_list list = { 0 };
    load(path, &list);
    double elapsed = seconds_since(&t0);
    getrusage(RUSAGE_SELF, &after);

    whole_file_problem(&list, "xml.dtd");
    assert_true(elapsed < 0.2);
    assert_true(after.ru_maxrss - before.ru_maxrss < 32 * 1024);  /* KiB */
    assert_true(appears_nowhere(&list, "hahaha"));
    request_list_release(&list);
}

static void test_iso_8859_1(void **state)
{
    (void)state;
    const char *path = write_file("latin1.xml",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        "<demandes>\n"
        "  <demande>\n"
        "    <titulaire><nom>Lef\xE8vre</nom><prenom>Zo\xE9</prenom></titulaire>\n"
        "    <organisation><ville>V\xE9nissieux</ville></organisation>\n"
        "  </demande>\n"
        "</demandes>\n");
    struct request_list list = { 0 };
    load(path, &list);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_string_equal(request_get(list.items[0], F_TIT_NOM), "Lef\xC3\xA8vre");
    assert_string_equal(request_get(list.items[0], F_TIT_PRENOM), "Zo\xC3\xA9");
    assert_string_equal(request_get(list.items[0], F_ORG_VILLE), "V\xC3\xA9nissieux");
    request_list_release(&list);
}

static void test_utf16_with_bom(void **state)
{
    (void)state;
    /* Notepad's "Unicode": UTF-16 LE with a BOM, read as XML, not refused as CSV. */
    const char *body = strchr(two_requests, '\n') + 1;
    size_t n = strlen(body);
    char *wide = malloc(2 * n + 2);
    assert_non_null(wide);
    wide[0] = '\xFF';
    wide[1] = '\xFE';
    for (size_t i = 0; i < n; i++) {
        wide[2 + 2 * i] = body[i];
        wide[3 + 2 * i] = '\0';
    }
    /* Ł (U+0141) is one UTF-16 unit, 0x41 0x01 in little-endian. */
    const char *l = strstr(body, "\xC5\x81");
    size_t at = (size_t)(l - body);
    wide[2 + 2 * at] = '\x41';
    wide[3 + 2 * at] = '\x01';
    memmove(wide + 4 + 2 * at, wide + 6 + 2 * at, 2 * (n - at - 2));
    const char *path = write_bytes("utf16.xml", wide, 2 * n);
    free(wide);
    struct request_list list = { 0 };
    assert_true(request_load_file(path, &options, &list));
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[1]->problems.count, 0);
    assert_string_equal(request_get(list.items[1], F_TIT_PRENOM), "\xC5\x81ukasz");
    assert_int_equal(list.items[1]->values[F_TIT_PRENOM].line, 12);
    request_list_release(&list);
}

static void test_samples_file(void **state)
{
    (void)state;
    /* The shipped samples are valid against the schema, every record problem-free. */
    struct request_list list = { 0 };
    load(SOURCE_DIR "/samples/demandes.xml", &list);
    assert_true(list.count >= 12);
    for (size_t i = 0; i < list.count; i++)
        assert_int_equal(list.items[i]->problems.count, 0);
    request_list_release(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_nested_groups),
        cmocka_unit_test(test_load_file_picks_xml),
        cmocka_unit_test(test_schema_problem_stays_in_its_record),
        cmocka_unit_test(test_schema_problem_outside_requests),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_wrong_root),
        cmocka_unit_test(test_missing_schema),
        cmocka_unit_test(test_xxe_refused),
        cmocka_unit_test(test_xxe_in_utf16_refused),
        cmocka_unit_test(test_xxe_in_utf7_refused),
        cmocka_unit_test(test_billion_laughs_refused_quickly),
        cmocka_unit_test(test_iso_8859_1),
        cmocka_unit_test(test_utf16_with_bom),
        cmocka_unit_test(test_samples_file),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
