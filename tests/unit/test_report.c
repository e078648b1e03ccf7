/* Pins report.json / report.csv (src/batch/report.c) and the problem lines they carry
 * (src/util/diag.c): valid JSON, escaping, CSV quoting, atomic writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpdir.h"
#include "../../src/batch/report.h"
#include "../../src/model/request.h"
#include "../../src/util/arena.h"
#include "../../src/util/strbuf.h"
#include "../../src/util/text.h"

static char tmp_root[64];

static int make_tmp(void **state)
{
    (void)state;
    return tmpdir_make(tmp_root, sizeof tmp_root, "report");
}

static int remove_tmp(void **state)
{
    (void)state;
    return tmpdir_remove(tmp_root);
}

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_root, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Runs python3 CODE with the file PATH as sys.argv[1]; true when it exits 0. */
static bool python_accepts(const char *code, const char *path)
{
    char target[256];
    snprintf(target, sizeof target, "%s", path);    /* write_file reuses its buffer */
    const char *script = write_file("check.py", code);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "python3 '%s' '%s'", script, target);
    return system(cmd) == 0;
}

struct fixture {
    struct request *rejected, *accepted, *whole_file;
    struct record_result results[3];
};

/* The report row of R, as dossier_report_add makes it. */
static struct record_result row_of(const struct request *r)
{
    return (struct record_result){ .numero = request_get(r, F_NUMERO), .file = r->file, .line = r->line,
                                   .problems = &r->problems };
}

static void make_fixture(struct fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    struct request *r = request_new("in/demandes;2.csv", "in");
    r->line = 3;
    request_set(r, F_NUMERO, "600102", 6, 3, NULL);
    /* Messages quote user values: quotes, line breaks, controls, delimiters. */
    diag_add(&r->problems, "email.syntax", "titulaire.email", request_loc(r, F_NUMERO),
             "adresse « %s » invalide", "jeanne\"martin;\n\x01\t\\@exemple");
    diag_add(&r->problems, "siret.luhn", "organisation.nic", request_loc(r, F_NUMERO),
             "clé incorrecte");
    fx->rejected = r;

    r = request_new("in/demandes.xml", "in");
    r->line = 20;
    r->xml_path = "/demandes/demande[2]";
    request_set(r, F_NUMERO, "600103", 6, 21, "/demandes/demande[2]/numero");
    fx->accepted = r;

    r = request_new("in/vide.csv", "in");
    r->line = 1;
    r->whole_file = true;
    diag_add(&r->problems, "csv.header", NULL, request_record_loc(r), "fichier vide");
    diag_add(&r->problems, "csv.header", NULL, request_record_loc(r), "sans en-tête");
    fx->whole_file = r;

    fx->results[0] = row_of(fx->rejected);
    struct record_result *ok = &fx->results[1];
    *ok = row_of(fx->accepted);
    ok->accepted = true;
    ok->flow = "papier";
    ok->pages = 9;
    ok->files[0] = (struct output_file){ "600103.zip", "", 1234 };
    ok->files[1] = (struct output_file){ "600103.pdf", "", 5678 };
    memset(ok->files[0].sha256, 'a', 64);
    memset(ok->files[1].sha256, 'b', 64);
    ok->file_count = 2;
    static const dossier_piece pieces[] = {
        { "id_titulaire", "Pièce d'identité", "Jeanne Martin (titulaire)", "joint" },
        { "id_rl", "Pièce d'identité", "Marc Dubreuil (représentant légal)", "a_fournir" },
        { "kbis|sirene", "L'un des documents suivants :\n– Extrait K\n– Avis SIRENE", "Brindille & Cie", "a_fournir" },
        { "domaine", "Contrôle du domaine", "Brindille & Cie", "etape" },
    };
    ok->pieces = pieces;
    ok->piece_count = 4;
    fx->results[2] = row_of(fx->whole_file);
}

static void free_fixture(struct fixture *fx)
{
    request_free(fx->rejected);
    request_free(fx->accepted);
    request_free(fx->whole_file);
}

static const char check_json[] =
    "import json, sys\n"
    "d = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "assert d['records'] == 3 and d['accepted'] == 1 and d['rejected'] == 2, d\n"
    "assert d['command'] == 'build' and d['demo_seal'] is True\n"
    "r = d['results']\n"
    "assert [x['status'] for x in r] == ['rejected', 'ok', 'rejected']\n"
    "assert [x['numero'] for x in r] == ['600102', '600103', '']\n"
    "bad, ok, whole = r\n"
    "assert [e['code'] for e in bad['errors']] == ['email.syntax', 'siret.luhn']\n"
    "e = bad['errors'][0]\n"
    "assert e['field'] == 'titulaire.email' and e['line'] == 3, e\n"
    "assert e['message'] == 'adresse \\u00ab jeanne\"martin;\\n\\x01\\t\\\\@exemple \\u00bb invalide', repr(e['message'])\n"
    "assert bad['flow'] is None and bad['files'] == [] and 'xml_path' not in e\n"
    "assert bad['source'] == 'in/demandes;2.csv:3'\n"
    "assert ok['errors'] == [] and ok['flow'] == 'papier' and ok['pages'] == 9\n"
    "assert ok['files'] == [{'name': '600103.zip', 'bytes': 1234, 'sha256': 'a' * 64},\n"
    "                       {'name': '600103.pdf', 'bytes': 5678, 'sha256': 'b' * 64}], ok['files']\n"
    "assert whole['errors'][0]['field'] is None and whole['errors'][0]['code'] == 'csv.header'\n"
    "assert [p['status'] for p in ok['pieces']] == ['joint', 'a_fournir', 'a_fournir', 'etape'], ok['pieces']\n"
    "assert ok['pieces'][2]['label'].startswith(\"L'un des documents suivants :\\n\"), ok['pieces'][2]\n"
    "assert bad['pieces'] == [] and whole['pieces'] == []\n";

static void test_json_parses(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx);
    struct report_meta meta = { .tool_version = "dossier 1.0", .date = "2026-11-24T00:00:00Z",
                                .seal = "CN=DEMO \"cachet\"", .demo_seal = true };
    char *json = report_json(&meta, fx.results, 3);
    /* The escapes themselves, not just something a parser tolerates. */
    assert_non_null(strstr(json, "jeanne\\\"martin;\\n\\u0001\\t\\\\@exemple"));
    assert_null(strchr(json, '\x01'));
    assert_non_null(strstr(json, "\"seal\": \"CN=DEMO \\\"cachet\\\"\""));
    assert_true(utf8_is_valid(json, strlen(json)));
    const char *path = write_file("report.json", json);
    assert_true(python_accepts(check_json, path));
    free(json);

    /* validate: no seal keys, an empty batch is still a document. */
    meta.validate_only = true;
    json = report_json(&meta, fx.results, 0);
    assert_null(strstr(json, "seal"));
    path = write_file("empty.json", json);
    assert_true(python_accepts("import json, sys\n"
                               "d = json.load(open(sys.argv[1]))\n"
                               "assert d['command'] == 'validate' and d['results'] == [] and d['records'] == 0\n",
                               path));
    free(json);
    free_fixture(&fx);
}

static void test_json_xml_path(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx);
    diag_add(&fx.accepted->problems, "xml.schema", "titulaire.couleur", request_loc(fx.accepted, F_NUMERO), "x");
    fx.results[1].accepted = false;
    struct report_meta meta = { .tool_version = "dossier 1.0", .date = "2026-11-24T00:00:00Z", .validate_only = true };
    char *json = report_json(&meta, fx.results, 2);
    const char *path = write_file("xml.json", json);
    assert_true(python_accepts("import json, sys\n"
                               "d = json.load(open(sys.argv[1]))\n"
                               "e = d['results'][1]['errors'][0]\n"
                               "assert e['xml_path'] == '/demandes/demande[2]/numero' and e['line'] == 21, e\n"
                               "assert d['accepted'] == 0\n",
                               path));
    free(json);
    free_fixture(&fx);
}

static const char check_csv[] =
    "import csv, sys\n"
    "raw = open(sys.argv[1], 'rb').read()\n"
    "assert raw.startswith(b'\\xef\\xbb\\xbf'), raw[:10]\n"
    "rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline=''), delimiter=';'))\n"
    "assert rows[0] == ['numero', 'source', 'statut', 'flux', 'pages', 'fichiers', 'sha256', 'a_fournir', 'codes', 'erreurs'], rows[0]\n"
    "assert len(rows) == 4, rows\n"
    "bad, ok, whole = rows[1:]\n"
    "assert bad[0] == '600102' and bad[1] == 'in/demandes;2.csv:3' and bad[2] == 'rejected', bad\n"
    "assert bad[7] == '' and bad[8] == 'email.syntax siret.luhn', bad[7:9]\n"
    "lines = bad[9].split('\\n')\n"
    "assert lines[0] == 'in/demandes;2.csv:3: titulaire.email: adresse \\u00ab jeanne\"martin;', lines\n"
    "assert lines[1] == '\\x01\\t\\\\@exemple \\u00bb invalide', lines\n"
    "assert lines[2] == 'in/demandes;2.csv:3: organisation.nic: cl\\u00e9 incorrecte', lines\n"
    "assert ok[2:7] == ['ok', 'papier', '9', '600103.zip 600103.pdf', 'a' * 64 + ' ' + 'b' * 64], ok\n"
    "assert ok[7] == 'id_rl kbis|sirene' and ok[8] == '' and ok[9] == '', ok\n"
    "assert whole[0] == '' and whole[8] == 'csv.header csv.header', whole\n"
    "assert whole[9] == 'in/vide.csv:1: fichier vide\\nin/vide.csv:1: sans en-t\u00eate', whole\n";

static void test_csv_quoting(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx);
    char *csv = report_csv(fx.results, 3);
    /* Quoted cells, doubled quotes, CRLF row ends. */
    assert_non_null(strstr(csv, "\"in/demandes;2.csv:3\""));
    assert_non_null(strstr(csv, "jeanne\"\"martin;\n"));
    assert_non_null(strstr(csv, "\r\n600103;in/demandes.xml:20;ok;papier;9;"));
    /* A line break alone is reason enough to quote. */
    assert_non_null(strstr(csv, ";\"in/vide.csv:1: fichier vide\nin/vide.csv:1: sans en-t\xC3\xAAte\"\r\n"));
    const char *path = write_file("report.csv", csv);
    assert_true(python_accepts(check_csv, path));
    free(csv);
    free_fixture(&fx);
}

/* Texts that come from input never reach a spreadsheet as a formula. */
static void test_csv_formula_neutralised(void **state)
{
    (void)state;
    struct request *r = request_new("=HYPERLINK(\"http://x\").csv", ".");
    r->line = 2;
    request_set(r, F_NUMERO, "+33", 3, 2, NULL);
    diag_add(&r->problems, "numero.syntax", "numero", request_record_loc(r), "chiffres attendus");
    struct record_result res = row_of(r);
    char *csv = report_csv(&res, 1);
    assert_non_null(strstr(csv, "\r\n'+33;\"'=HYPERLINK(\"\"http://x\"\").csv:2\";"));
    assert_null(strstr(csv, ";=HYPERLINK"));
    assert_null(strstr(csv, ";\"=HYPERLINK"));
    free(csv);
    request_free(r);
}

static void test_write_atomic(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/out", tmp_root);
    assert_int_equal(mkdir(dir, 0755), 0);
    struct report_meta meta = { .tool_version = "dossier 1.0", .date = "2026-11-24T00:00:00Z", .validate_only = true };
    assert_true(report_write(dir, &meta, fx.results, 3));
    /* Exactly the two reports: no temp file left behind. */
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    bool json = false, csv = false;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        n++;
        json = json || strcmp(e->d_name, "report.json") == 0;
        csv = csv || strcmp(e->d_name, "report.csv") == 0;
    }
    closedir(d);
    assert_int_equal(n, 2);
    assert_true(json && csv);
    char path[256];
    snprintf(path, sizeof path, "%s/report.json", dir);
    assert_true(python_accepts("import json, sys; json.load(open(sys.argv[1]))", path));

    snprintf(dir, sizeof dir, "%s/absent/out", tmp_root);
    assert_false(report_write(dir, &meta, fx.results, 3));
    free_fixture(&fx);
}

/* A journal line gives back the row it was made of: the same JSON and CSV rows,
 * for every kind of text the rows carry; a cut line or a stray escape is refused. */
static void test_journal_round_trip(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx);
    for (size_t i = 0; i < 3; i++) {
        struct strbuf line = { 0 };
        journal_format(&line, 40 + i, "ab12", "pieces.kbis=cd34;", &fx.results[i]);
        assert_int_equal(line.data[line.len - 1], '\n');
        assert_null(memchr(line.data, '\n', line.len - 1));     /* one line, whatever the texts */
        struct arena *a = arena_new();
        size_t position;
        char fingerprint[65];
        struct record_result back;
        const char *pieces = NULL;
        assert_true(journal_parse(line.data, line.len - 1, a, &position, fingerprint, &pieces, &back));
        assert_int_equal(position, 40 + i);
        assert_string_equal(fingerprint, "ab12");
        assert_string_equal(pieces, "pieces.kbis=cd34;");
        struct strbuf want = { 0 }, got = { 0 };
        report_json_row(&want, &fx.results[i], true);
        report_json_row(&got, &back, true);
        assert_string_equal(got.data, want.data);
        report_csv_row(&want, &fx.results[i]);
        report_csv_row(&got, &back);
        assert_string_equal(got.data, want.data);
        for (size_t cut = 2; cut + 1 < line.len; cut += 5) {
            struct record_result partial;
            if (journal_parse(line.data, cut, a, &position, fingerprint, NULL, &partial))
                fail_msg("ligne coupée à %zu acceptée", cut);
        }
        diag_list_release((struct dossier_problems *)back.problems);
        sb_release(&want);
        sb_release(&got);
        sb_release(&line);
        arena_free(a);
    }
    struct arena *a = arena_new();
    size_t position;
    char fingerprint[65];
    struct record_result r;
    assert_false(journal_parse("R1\t1\tx\\q", 9, a, &position, fingerprint, NULL, &r));
    assert_false(journal_parse("H1\tx", 5, a, &position, fingerprint, NULL, &r));
    /* The header and the end line of a run come back as written. */
    struct report_meta meta = { .tool_version = "dossier 1.0", .date = "2026-11-24T00:00:00Z", .seal = "CN=x",
                                .seal_sha256 = "ef56", .code_key = "0A0B0C0D", .data_digest = "9f",
                                .flow = 2, .slice = 3, .slices = 4, .input_sha256 = "77" }, back;
    struct strbuf sb = { 0 };
    journal_format_meta(&sb, &meta);
    assert_true(journal_parse_meta(sb.data, sb.len - 1, a, &back));
    assert_string_equal(back.seal_sha256, "ef56");
    assert_string_equal(back.code_key, "0A0B0C0D");
    assert_string_equal(back.input_sha256, "77");
    assert_int_equal(back.slice, 3);
    assert_int_equal(back.slices, 4);
    assert_int_equal(back.flow, 2);
    assert_false(journal_parse_meta(sb.data, sb.len - 3, a, &back));
    sb.len = 0;
    const char *stopped = "x";
    journal_format_end(&sb, NULL);
    assert_true(journal_parse_end(sb.data, sb.len - 1, a, &stopped));
    assert_null(stopped);
    sb.len = 0;
    journal_format_end(&sb, "arrêt demandé (signal SIGHUP)");
    assert_true(journal_parse_end(sb.data, sb.len - 1, a, &stopped));
    assert_string_equal(stopped, "arrêt demandé (signal SIGHUP)");
    assert_false(journal_parse_end(sb.data, sb.len - 4, a, &stopped));
    sb_release(&sb);
    arena_free(a);
    free_fixture(&fx);
}

static void test_diag_format(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct dossier_problems list;
    diag_list_init(&list, a);
    struct source_loc csv = { "demandes.csv", 12, NULL };
    struct source_loc xml = { "demandes.xml", 40, "/demandes/demande[3]/titulaire/email" };
    struct source_loc file = { "vide.csv", 0, NULL };
    diag_add(&list, "email.syntax", "titulaire.email", csv, "adresse %s invalide", "x@");
    diag_add(&list, "email.syntax", "titulaire.email", xml, "adresse invalide");
    diag_add(&list, "csv.header", NULL, file, "fichier vide");
    assert_int_equal(list.count, 3);
    assert_string_equal(diag_format(a, &list.items[0]), "demandes.csv:12: titulaire.email: adresse x@ invalide");
    assert_string_equal(diag_format(a, &list.items[1]),
                        "demandes.xml:40: /demandes/demande[3]/titulaire/email: titulaire.email: adresse invalide");
    assert_string_equal(diag_format(a, &list.items[2]), "vide.csv: fichier vide");

    /* A message cut to the buffer never ends inside a character. */
    char big[3000];
    for (int shift = 0; shift < 4; shift++) {
        size_t o = 0;
        for (int i = 0; i < shift; i++)
            big[o++] = 'x';
        while (o < sizeof big - 8)
            o += utf8_put(big + o, shift % 2 ? 0x20AC : 0x1F600);
        big[o] = '\0';
        diag_add(&list, "text.too_long", NULL, csv, "%s", big);
        const char *m = list.items[list.count - 1].message;
        assert_true(strlen(m) > 1000);
        assert_true(utf8_is_valid(m, strlen(m)));
    }
    diag_list_release(&list);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parses),
        cmocka_unit_test(test_json_xml_path),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_formula_neutralised),
        cmocka_unit_test(test_write_atomic),
        cmocka_unit_test(test_journal_round_trip),
        cmocka_unit_test(test_diag_format),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
