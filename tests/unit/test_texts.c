/* Pins the documents' wording (src/render/texts.c): the template filler and the
 * check that every key the documents use is in textes.xml. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "problems.h"
#include "tmpdir.h"
#include "../../src/render/texts.h"
#include "../../src/util/arena.h"

static void test_fill(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const struct fill vars[] = { { "numero", "600101" }, { "autorite", "Autorité « Démo »" }, { "vide", NULL } };
    assert_string_equal(tx_fill(a, "Demande n° {numero} — {autorite}", vars, 3),
                        "Demande n° 600101 — Autorité « Démo »");
    /* Unknown names, lone braces and unterminated ones are kept as they are. */
    assert_string_equal(tx_fill(a, "{inconnu} {numero", vars, 3), "{inconnu} {numero");
    assert_string_equal(tx_fill(a, "}{}{numero}{", vars, 3), "}{}600101{");
    /* A value absent is empty; a value repeated is put in each time. */
    assert_string_equal(tx_fill(a, "[{vide}]", vars, 3), "[]");
    assert_string_equal(tx_fill(a, "{numero}{numero}{numero}{numero}{numero}", vars, 3),
                        "600101600101600101600101600101");
    assert_string_equal(tx_fill(a, "", vars, 3), "");
    /* Values that hold braces are not filled again. */
    const struct fill tricky[] = { { "a", "{b}" }, { "b", "non" } };
    assert_string_equal(tx_fill(a, "{a}", tricky, 2), "{b}");
    arena_free(a);
}

static void test_templates_complete(void **state)
{
    (void)state;
    TEST_PROBLEMS(problems);
    struct render_templates *t = render_templates_load(SOURCE_DIR "/templates", &problems);
    assert_non_null(t);
    assert_int_equal(problems.count, 0);
    assert_true(strlen(tx(t, "doc.formulaire")) > 0);
    assert_string_equal(tx(t, "pas.une.cle"), "");
    assert_non_null(t->cgu.version);
    assert_true(t->cgu.article_count >= 10);
    assert_true(t->section_count == 6);
    render_templates_free(t);
}

/* A textes.xml missing a key the documents use is refused at start-up, naming it. */
static void test_missing_key(void **state)
{
    (void)state;
    char dir[64];
    assert_int_equal(tmpdir_make(dir, sizeof dir, "texts"), 0);
    FILE *in = fopen(SOURCE_DIR "/templates/textes.xml", "rb");
    assert_non_null(in);
    static char buf[1 << 17];
    size_t len = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[len] = '\0';
    char *key = strstr(buf, "cle=\"bordereau.rappel\"");
    assert_non_null(key);
    memcpy(key, "cle=\"bordereau.rappeX\"", 22);
    assert_non_null(tmpdir_write(dir, "textes.xml", buf, len));
    in = fopen(SOURCE_DIR "/templates/cgu.xml", "rb");
    len = fread(buf, 1, sizeof buf, in);
    fclose(in);
    assert_non_null(tmpdir_write(dir, "cgu.xml", buf, len));
    TEST_PROBLEMS(problems);
    assert_null(render_templates_load(dir, &problems));
    assert_int_equal(problems.count, 1);
    assert_string_equal(problems.items[0].code, "template.texte");
    assert_non_null(strstr(problems.items[0].message, "bordereau.rappel"));
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fill),
        cmocka_unit_test(test_templates_complete),
        cmocka_unit_test(test_missing_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
