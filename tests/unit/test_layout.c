/* Line breaking of the layout engine: nothing wider than its column, words kept whole
 * when they fit, long words cut, explicit breaks honoured, all text kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/render/layout.h"
#include "../../src/render/track.h"

static int setup(void **state)
{
    struct pdf *pdf = pdf_new(SOURCE_DIR "/fonts", NULL);
    *state = pdf;
    return pdf ? 0 : -1;
}

static int teardown(void **state)
{
    pdf_free(*state);
    return 0;
}

/* Wraps TEXT to WIDTH and checks every line fits; returns the line count and the
 * lines joined back with single spaces in OUT. */
static size_t wrap_checked(struct pdf *pdf, const char *text, float width, char *out, size_t size)
{
    struct line_span *lines;
    size_t n = layout_wrap(pdf, STYLE_REGULAR, 9, text, width, &lines);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        float w = pdf_text_width(pdf, STYLE_REGULAR, 9, text + lines[i].start, lines[i].len);
        assert_true(w <= width + 0.01f);
        if (i)
            strncat(out, " ", size - strlen(out) - 1);
        strncat(out, text + lines[i].start, lines[i].len < size - strlen(out) - 1 ? lines[i].len : size - strlen(out) - 1);
    }
    free(lines);
    return n;
}

static void test_short_text_one_line(void **state)
{
    char out[256];
    assert_int_equal(wrap_checked(*state, "Jeanne Martin", 200, out, sizeof out), 1);
    assert_string_equal(out, "Jeanne Martin");
}

static void test_wraps_at_spaces(void **state)
{
    const char *text = "Résidence des Tilleuls Argentés, bâtiment C, escalier 4, porte 12, zone d'activités "
                       "économiques des Grandes Prairies du Val-de-Saône";
    char out[512];
    size_t n = wrap_checked(*state, text, 120, out, sizeof out);
    assert_true(n >= 3);
    assert_string_equal(out, text);    /* breaks only at spaces, nothing lost */
}

static void test_long_word_is_cut(void **state)
{
    const char *word = "Anticonstitutionnellement-Łukasz-Ștefan-Ærøskøbing-Dahl-Intergouvernementalisation";
    struct line_span *lines;
    struct pdf *pdf = *state;
    size_t n = layout_wrap(pdf, STYLE_REGULAR, 9, word, 60, &lines);
    assert_true(n >= 3);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(lines[i].len > 0);
        assert_true(pdf_text_width(pdf, STYLE_REGULAR, 9, word + lines[i].start, lines[i].len) <= 60.01f);
        assert_int_equal(lines[i].start, total);   /* contiguous: no byte dropped */
        total += lines[i].len;
    }
    assert_int_equal(total, strlen(word));
    free(lines);
}

static void test_explicit_line_breaks(void **state)
{
    struct line_span *lines;
    size_t n = layout_wrap(*state, STYLE_REGULAR, 9, "ligne un\nligne deux\n\nligne quatre", 400, &lines);
    assert_int_equal(n, 4);
    assert_int_equal(lines[2].len, 0);
    free(lines);
}

static void test_empty_text_takes_a_line(void **state)
{
    struct line_span *lines;
    assert_int_equal(layout_wrap(*state, STYLE_REGULAR, 9, "", 100, &lines), 1);
    free(lines);
}

static void test_width_grows_with_text(void **state)
{
    struct pdf *pdf = *state;
    float a = pdf_text_width(pdf, STYLE_REGULAR, 10, "Ștefan", strlen("Ștefan"));
    float b = pdf_text_width(pdf, STYLE_REGULAR, 10, "Ștefan Popescu", strlen("Ștefan Popescu"));
    float bold = pdf_text_width(pdf, STYLE_BOLD, 10, "Ștefan", strlen("Ștefan"));
    assert_true(a > 10 && b > a && bold > a);
    /* The Romanian letter comes from ISO 8859-16, not a '?' fallback: width of a real S. */
    float s = pdf_text_width(pdf, STYLE_REGULAR, 10, "S", 1);
    float s_comma = pdf_text_width(pdf, STYLE_REGULAR, 10, "Ș", strlen("Ș"));
    assert_true(s_comma > s - 0.01f && s_comma < s + 0.01f);
}

/* A header row of ten columns is set in bold in every column: the styles were once
 * kept for eight columns only, and the ninth and tenth read past them. */
static void test_table_of_ten_columns(void **state)
{
    struct pdf *pdf = *state;
    struct layout l;
    layout_init(&l, pdf);
    layout_begin_document(&l, NULL);
    float widths[10];
    for (int i = 0; i < 10; i++)
        widths[i] = 0.1f;
    float cell = (l.right - l.left) * 0.1f - 8;
    /* A word on one line in regular type but on two in bold. */
    char word[64] = "";
    for (size_t n = 1; n < sizeof word - 1; n++) {
        memset(word, 'i', n);   /* narrow in regular type, wider in bold */
        word[n] = '\0';
        if (pdf_text_width(pdf, STYLE_BOLD, SIZE_BODY, word, n) > cell)
            break;
    }
    assert_true(pdf_text_width(pdf, STYLE_REGULAR, SIZE_BODY, word, strlen(word)) <= cell);
    const char *header[10] = { "a", "b", "c", "d", "e", "f", "g", "h", word, word };
    struct table t = { 10, widths, header };
    float before = l.y;
    layout_table_header(&l, &t);
    /* Two lines of bold text, and the row's padding. */
    assert_float_equal(before - l.y, 2 * SIZE_BODY * LEADING + 7, 0.01);
    assert_int_equal(l.problems, 0);
    layout_end_document(&l);
    layout_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_text_one_line),
        cmocka_unit_test(test_wraps_at_spaces),
        cmocka_unit_test(test_long_word_is_cut),
        cmocka_unit_test(test_explicit_line_breaks),
        cmocka_unit_test(test_empty_text_takes_a_line),
        cmocka_unit_test(test_width_grows_with_text),
        cmocka_unit_test(test_table_of_ten_columns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
