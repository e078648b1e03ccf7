/* Pins the CSV reader (src/input/csv.c): delimiters, encodings, RFC 4180 quoting, line
 * numbers, header problems and per-record problems. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpdir.h"
#include "../../src/input/input.h"

static char tmp_root[64];

static int make_tmp(void **state)
{
    (void)state;
    return tmpdir_make(tmp_root, sizeof tmp_root, "csv");
}

static int remove_tmp(void **state)
{
    (void)state;
    return tmpdir_remove(tmp_root);
}

/* Writes LEN bytes to tmp_root/NAME; returns a static path. */
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

static void load(const char *path, const struct input_options *options, struct request_list *out)
{
    static const struct input_options defaults = { false, NULL, NULL };
    assert_true(request_load_csv(path, options ? options : &defaults, out));
}

/* True when R has a problem CODE (on FIELD unless FIELD is NULL). */
static bool has_problem(const struct request *r, const char *code, const char *field)
{
    for (size_t i = 0; i < r->problems.count; i++) {
        const struct dossier_problem *d = &r->problems.items[i];
        if (strcmp(d->code, code) == 0 && (!field || (d->field && strcmp(d->field, field) == 0)))
            return true;
    }
    return false;
}

static void assert_text(const struct request *r, enum field_id f, const char *want)
{
    const char *got = request_get(r, f);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

static void test_semicolon_delimiter(void **state)
{
    (void)state;
    const char *path = write_file("semi.csv",
        "numero;titulaire.prenom;titulaire.nom;organisation.denomination\n"
        "1;Jeanne;Martin;Brindille, Cie\n"
        "2;Marc;Dubreuil;Autre\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 2);
    struct request *r = list.items[0];
    assert_int_equal(r->problems.count, 0);
    assert_false(r->whole_file);
    assert_string_equal(r->file, path);
    assert_string_equal(r->root, tmp_root);
    assert_int_equal(r->line, 2);
    assert_text(r, F_NUMERO, "1");
    assert_text(r, F_TIT_PRENOM, "Jeanne");
    assert_text(r, F_TIT_NOM, "Martin");
    assert_text(r, F_ORG_DENOMINATION, "Brindille, Cie");
    assert_text(r, F_TIT_EMAIL, NULL);
    assert_text(list.items[1], F_NUMERO, "2");
    assert_int_equal(list.items[1]->line, 3);
    request_list_release(&list);
}

static void test_comma_delimiter(void **state)
{
    (void)state;
    const char *path = write_file("comma.csv",
        "numero,titulaire.prenom,organisation.denomination\r\n"
        "1,Jeanne,\"Brindille; Cie\"\r\n"
        "2,Marc,Autre;Nom\r\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_TIT_PRENOM, "Jeanne");
    assert_text(list.items[0], F_ORG_DENOMINATION, "Brindille; Cie");
    assert_text(list.items[1], F_ORG_DENOMINATION, "Autre;Nom");
    assert_int_equal(list.items[1]->line, 3);
    request_list_release(&list);
}

static void test_utf8_bom(void **state)
{
    (void)state;
    const char *path = write_file("bom.csv",
        "\xEF\xBB\xBFnumero;titulaire.prenom;titulaire.nom\n"
        "1;Chlo\xC3\xA9;M\xC3\xBCller\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 1);
    /* The BOM is not part of the first column's name. */
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_NUMERO, "1");
    assert_text(list.items[0], F_TIT_PRENOM, "Chlo\xC3\xA9");
    assert_text(list.items[0], F_TIT_NOM, "M\xC3\xBCller");
    request_list_release(&list);
}

static void test_utf8_without_bom(void **state)
{
    (void)state;
    const char *path = write_file("utf8.csv",
        "numero;titulaire.prenom;titulaire.nom\n"
        "1;\xC5\x81ukasz;\xC8\x98tefan \xE2\x82\xAC \xC5\x93\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_TIT_PRENOM, "\xC5\x81ukasz");
    assert_text(list.items[0], F_TIT_NOM, "\xC8\x98tefan \xE2\x82\xAC \xC5\x93");
    request_list_release(&list);
}

static void test_windows_1252(void **state)
{
    (void)state;
    const char *path = write_file("cp1252.csv",
        "numero;titulaire.nom;organisation.denomination;titulaire.fonction\n"
        "1;Lef\xE8vre;\x80 et \x9C" "uvre;Tr\xE9sori\xE8re \x96 \x93" "chef\x94\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_TIT_NOM, "Lef\xC3\xA8vre");
    assert_text(list.items[0], F_ORG_DENOMINATION, "\xE2\x82\xAC et \xC5\x93uvre");
    assert_text(list.items[0], F_TIT_FONCTION,
                "Tr\xC3\xA9sori\xC3\xA8re \xE2\x80\x93 \xE2\x80\x9C" "chef\xE2\x80\x9D");
    request_list_release(&list);
}

/* A bad cell is a bad record: it is rejected at its line, the others are read. */
static void expect_bad_record(const char *path, size_t count, size_t bad, int line, const char *words)
{
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, count);
    for (size_t i = 0; i < count; i++) {
        struct request *r = list.items[i];
        assert_false(r->whole_file);
        if (i != bad) {
            assert_int_equal(r->problems.count, 0);
            continue;
        }
        assert_int_equal(r->problems.count, 1);
        assert_string_equal(r->problems.items[0].code, "csv.encoding");
        assert_int_equal(r->problems.items[0].line, line);
        if (!strstr(r->problems.items[0].message, words))
            fail_msg("« %s » sans « %s »", r->problems.items[0].message, words);
        /* The bad cell's bytes never reach the values (nor, through them, messages and
         * reports); the clean ones are read, so the record is named in messages. */
        assert_null(request_get(r, F_TIT_NOM));
        assert_non_null(request_get(r, F_NUMERO));
    }
    request_list_release(&list);
}

static void test_windows_1252_undefined_byte(void **state)
{
    (void)state;
    /* 0x81 is neither UTF-8 nor Windows-1252. */
    const char *path = write_file("bad1252.csv",
        "numero;titulaire.nom\n1;Lef\xE8vre\n2;X\x81Y\n3;Dubreuil\n");
    expect_bad_record(path, 3, 1, 3, "0x81");
}

static void test_windows_1252_with_utf8_sequence(void **state)
{
    (void)state;
    /* A Windows-1252 file (0xE8 alone is no UTF-8) with, in one cell, the two bytes
     * of a UTF-8 "é": that record is refused, the rest read; "Ã" or "©" alone, or
     * followed by a letter, are Windows-1252 text. */
    const char *path = write_file("mixed.csv",
        "numero;titulaire.nom\n1;Lef\xE8vre\n2;Ren\xC3\xA9\n3;\xC3 \xA9 \xC3t\xE9\n");
    expect_bad_record(path, 3, 1, 3, "« é » d'un texte UTF-8");
}

static void test_utf8_bom_with_invalid_bytes(void **state)
{
    (void)state;
    /* A BOM promises UTF-8: a row that breaks the promise is refused, never read as
     * values carrying malformed UTF-8 into messages and reports. */
    const char *path = write_file("bombad.csv",
        "\xEF\xBB\xBFnumero;titulaire.nom\n1;Lef\xE8vre\n2;Martin\n");
    expect_bad_record(path, 2, 0, 2, "0xE8");
}

static void test_nul_byte(void **state)
{
    (void)state;
    static const char data[] = "numero;titulaire.nom\n0;Martin\n1;A\0B\n2;Dubreuil\n";
    const char *path = write_bytes("nul.csv", data, sizeof data - 1);
    expect_bad_record(path, 3, 1, 3, "octet nul");
}

static void test_utf16_refused(void **state)
{
    (void)state;
    static const char le[] = "\xFF\xFEn\0u\0m\0e\0r\0o\0\n\0" "1\0\n\0";
    static const char be[] = "\xFE\xFF\0n\0u\0m\0e\0r\0o\0\n\0" "1\0\n";
    const char *names[] = { "le.csv", "be.csv" };
    const char *data[] = { le, be };
    const size_t sizes[] = { sizeof le - 1, sizeof be - 1 };
    for (int i = 0; i < 2; i++) {
        const char *path = write_bytes(names[i], data[i], sizes[i]);
        struct request_list list = { 0 };
        struct input_options options = { false, NULL, NULL };
        /* request_load_file must not mistake it for XML either. */
        assert_true(request_load_file(path, &options, &list));
        assert_int_equal(list.count, 1);
        assert_true(list.items[0]->whole_file);
        assert_int_equal(list.items[0]->problems.count, 1);
        assert_string_equal(list.items[0]->problems.items[0].code, "csv.encoding");
        assert_non_null(strstr(list.items[0]->problems.items[0].message, "UTF-16"));
        request_list_release(&list);
    }
}

static void test_doubled_quotes(void **state)
{
    (void)state;
    const char *path = write_file("quotes.csv",
        "numero;organisation.denomination;titulaire.fonction\n"
        "1;\"Brindille \"\"& Cie\"\"\";\"\"\n"
        "2;\"\"\"\";\"a;b\"\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_ORG_DENOMINATION, "Brindille \"& Cie\"");
    assert_text(list.items[0], F_TIT_FONCTION, NULL);
    assert_int_equal(list.items[1]->problems.count, 0);
    assert_text(list.items[1], F_ORG_DENOMINATION, "\"");
    assert_text(list.items[1], F_TIT_FONCTION, "a;b");
    request_list_release(&list);
}

static void test_quote_inside_unquoted_cell(void **state)
{
    (void)state;
    const char *path = write_file("inch.csv",
        "numero;titulaire.fonction\n1;Écran 12\" technicien\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_TIT_FONCTION, "Écran 12\" technicien");
    request_list_release(&list);
}

static void test_embedded_line_break(void **state)
{
    (void)state;
    const char *path = write_file("multiline.csv",
        "numero;organisation.adresse;organisation.ville\r\n"
        "1;\"18 rue des Tanneurs\r\nB\xC3\xA2timent B\";Lyon\r\n"
        "2;\"a\nb\rc\";Paris\r\n"
        "3;simple;Marseille\r\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 3);
    struct request *r = list.items[0];
    assert_int_equal(r->problems.count, 0);
    /* CR LF and lone CR inside quotes become one '\n' (no control character). */
    assert_text(r, F_ORG_ADRESSE, "18 rue des Tanneurs\nB\xC3\xA2timent B");
    assert_int_equal(r->line, 2);
    assert_int_equal(r->values[F_NUMERO].line, 2);
    assert_int_equal(r->values[F_ORG_ADRESSE].line, 2);
    /* The cell after the break starts on the next line. */
    assert_int_equal(r->values[F_ORG_VILLE].line, 3);
    r = list.items[1];
    assert_int_equal(r->line, 4);
    assert_text(r, F_ORG_ADRESSE, "a\nb\nc");
    assert_int_equal(r->values[F_ORG_VILLE].line, 6);
    r = list.items[2];
    assert_int_equal(r->line, 7);
    assert_int_equal(r->values[F_ORG_VILLE].line, 7);
    assert_text(r, F_ORG_VILLE, "Marseille");
    request_list_release(&list);
}

static void test_line_numbers_and_blank_lines(void **state)
{
    (void)state;
    const char *path = write_file("lines.csv",
        "numero;titulaire.nom\n"
        "\n"
        "1;A\n"
        "   \n"
        " ; \n"           /* an emptied spreadsheet row */
        "2;B\r"            /* a lone CR ends a row too */
        "3;C");            /* no final line break */
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 3);
    assert_int_equal(list.items[0]->line, 3);
    assert_int_equal(list.items[0]->values[F_TIT_NOM].line, 3);
    assert_int_equal(list.items[1]->line, 6);
    assert_int_equal(list.items[2]->line, 7);
    assert_text(list.items[2], F_TIT_NOM, "C");
    /* Fields never given have no line. */
    assert_int_equal(list.items[0]->values[F_TIT_PRENOM].line, 0);
    request_list_release(&list);
}

static void test_ragged_row(void **state)
{
    (void)state;
    const char *path = write_file("ragged.csv",
        "numero;titulaire.prenom;titulaire.nom\n"
        "1;Jeanne;Martin\n"
        "2;Marc;Dubreuil;en trop\n"
        "3;Chlo\xC3\xA9\n"
        "4;Anne;Lef\xC3\xA8vre\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 4);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_int_equal(list.items[1]->problems.count, 1);
    assert_true(has_problem(list.items[1], "csv.ragged", NULL));
    assert_int_equal(list.items[1]->problems.items[0].line, 3);
    assert_false(list.items[1]->whole_file);
    assert_int_equal(list.items[2]->problems.count, 1);
    assert_true(has_problem(list.items[2], "csv.ragged", NULL));
    assert_int_equal(list.items[2]->problems.items[0].line, 4);
    assert_int_equal(list.items[3]->problems.count, 0);
    assert_text(list.items[3], F_TIT_NOM, "Lef\xC3\xA8vre");
    request_list_release(&list);
}

static void test_unknown_column(void **state)
{
    (void)state;
    const char *csv = "numero;titulaire.prenom;couleur_preferee\n1;Jeanne;bleu\n2;Marc;vert\n";
    const char *path = write_file("unknown.csv", csv);
    struct request_list list = { 0 };
    load(path, NULL, &list);
    /* A header problem spoils the whole file: one record stands for it. */
    assert_int_equal(list.count, 1);
    struct request *r = list.items[0];
    assert_true(r->whole_file);
    assert_int_equal(r->problems.count, 1);
    assert_string_equal(r->problems.items[0].code, "csv.unknown_column");
    assert_string_equal(r->problems.items[0].field, "couleur_preferee");
    assert_int_equal(r->problems.items[0].line, 1);
    assert_non_null(strstr(r->problems.items[0].message, "colonne 3"));
    request_list_release(&list);

    struct input_options ignore = { true, NULL, NULL };
    load(path, &ignore, &list);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_TIT_PRENOM, "Jeanne");
    assert_text(list.items[1], F_TIT_PRENOM, "Marc");
    request_list_release(&list);
}

static void test_duplicate_column(void **state)
{
    (void)state;
    const char *path = write_file("dup.csv",
        "numero;titulaire.nom;Titulaire.Nom \n1;A;B\n");
    struct request_list list = { 0 };
    struct input_options ignore = { true, NULL, NULL };
    load(path, &ignore, &list);
    assert_int_equal(list.count, 1);
    assert_true(list.items[0]->whole_file);
    assert_int_equal(list.items[0]->problems.count, 1);
    assert_string_equal(list.items[0]->problems.items[0].code, "csv.duplicate_column");
    assert_string_equal(list.items[0]->problems.items[0].field, "titulaire.nom");
    request_list_release(&list);
}

static void test_column_order_free(void **state)
{
    (void)state;
    const char *a = write_file("order_a.csv",
        "numero;titulaire.prenom;titulaire.nom;certificat.produit\n7;Jeanne;Martin;signature\n");
    struct request_list la = { 0 };
    load(a, NULL, &la);
    const char *b = write_file("order_b.csv",
        " CERTIFICAT.PRODUIT ;titulaire.nom;numero;titulaire.prenom\nsignature;Martin;7;Jeanne\n");
    struct request_list lb = { 0 };
    load(b, NULL, &lb);
    assert_int_equal(la.count, 1);
    assert_int_equal(lb.count, 1);
    assert_int_equal(lb.items[0]->problems.count, 0);
    for (int f = 0; f < FIELD_COUNT; f++) {
        const char *x = request_get(la.items[0], (enum field_id)f);
        const char *y = request_get(lb.items[0], (enum field_id)f);
        if (!x || !y)
            assert_true(x == y);
        else
            assert_string_equal(x, y);
    }
    request_list_release(&la);
    request_list_release(&lb);
}

static void test_empty_file(void **state)
{
    (void)state;
    const char *inputs[] = { "", "\xEF\xBB\xBF", "\n\n", "  \r\n" };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        const char *path = write_file("empty.csv", inputs[i]);
        struct request_list list = { 0 };
        load(path, NULL, &list);
        assert_int_equal(list.count, 1);
        assert_true(list.items[0]->whole_file);
        assert_int_equal(list.items[0]->problems.count, 1);
        assert_string_equal(list.items[0]->problems.items[0].code, "csv.header");
        request_list_release(&list);
    }
}

static void test_header_only(void **state)
{
    (void)state;
    const char *path = write_file("header.csv", "numero;titulaire.nom\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 0);
    request_list_release(&list);
}

static void test_text_after_closing_quote(void **state)
{
    (void)state;
    const char *path = write_file("badquote.csv",
        "numero;titulaire.nom;titulaire.prenom\n"
        "1;\"Martin\"x;Jeanne\n"
        "2;\"Dubreuil\"  ;Marc\n"
        "3;\"jamais ferm\xC3\xA9;Z\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 3);
    assert_true(has_problem(list.items[0], "csv.quote", NULL));
    assert_int_equal(list.items[0]->problems.count, 1);
    assert_int_equal(list.items[0]->problems.items[0].line, 2);
    /* Blanks after the closing quote are harmless. */
    assert_int_equal(list.items[1]->problems.count, 0);
    assert_text(list.items[1], F_TIT_NOM, "Dubreuil");
    /* An unterminated quote swallows the rest of the file: still reported. */
    assert_true(has_problem(list.items[2], "csv.quote", NULL));
    request_list_release(&list);
}

static void test_values_trimmed(void **state)
{
    (void)state;
    const char *path = write_file("trim.csv",
        "  numero ; titulaire.nom ;titulaire.prenom\n"
        "  42 ;\t Martin  ;\"  Jeanne \"\n"
        "43;   ;\"\"\n");
    struct request_list list = { 0 };
    load(path, NULL, &list);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_NUMERO, "42");
    assert_text(list.items[0], F_TIT_NOM, "Martin");
    assert_text(list.items[0], F_TIT_PRENOM, "Jeanne");
    /* Blank cells are absent values. */
    assert_text(list.items[1], F_TIT_NOM, NULL);
    assert_text(list.items[1], F_TIT_PRENOM, NULL);
    request_list_release(&list);
}

static void test_pieces_dir_and_missing_file(void **state)
{
    (void)state;
    const char *path = write_file("root.csv", "numero\n1\n");
    struct request_list list = { 0 };
    struct input_options options = { false, "/srv/pieces", NULL };
    load(path, &options, &list);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0]->root, "/srv/pieces");
    request_list_release(&list);

    char missing[256];
    snprintf(missing, sizeof missing, "%s/absent.csv", tmp_root);
    errno = 0;
    assert_false(request_load_csv(missing, &options, &list));
    assert_int_equal(errno, ENOENT);
    assert_int_equal(list.count, 0);
}

static void test_load_file_picks_csv(void **state)
{
    (void)state;
    const char *path = write_file("demandes.xml", "numero;titulaire.nom\n1;<b>\n");
    struct request_list list = { 0 };
    struct input_options options = { false, NULL, NULL };
    /* The content decides, not the extension. */
    assert_true(request_load_file(path, &options, &list));
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0]->problems.count, 0);
    assert_text(list.items[0], F_TIT_NOM, "<b>");
    request_list_release(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semicolon_delimiter),
        cmocka_unit_test(test_comma_delimiter),
        cmocka_unit_test(test_utf8_bom),
        cmocka_unit_test(test_utf8_without_bom),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_windows_1252_undefined_byte),
        cmocka_unit_test(test_windows_1252_with_utf8_sequence),
        cmocka_unit_test(test_utf8_bom_with_invalid_bytes),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_utf16_refused),
        cmocka_unit_test(test_doubled_quotes),
        cmocka_unit_test(test_quote_inside_unquoted_cell),
        cmocka_unit_test(test_embedded_line_break),
        cmocka_unit_test(test_line_numbers_and_blank_lines),
        cmocka_unit_test(test_ragged_row),
        cmocka_unit_test(test_unknown_column),
        cmocka_unit_test(test_duplicate_column),
        cmocka_unit_test(test_column_order_free),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_header_only),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_values_trimmed),
        cmocka_unit_test(test_pieces_dir_and_missing_file),
        cmocka_unit_test(test_load_file_picks_csv),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
