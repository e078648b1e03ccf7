/* Pins the content-stream writer (src/render/pdfops.c): numbers to 1/100 without
 * trailing zeros, lines of a text object moved relatively without drift, state set
 * only when it changes, each layer starting from the page's initial state, strings
 * escaped, the QR stencil's data in hexadecimal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/render/pdfops.h"

static void assert_number(float value, const char *expected)
{
    struct strbuf sb = { 0 };
    ops_number(&sb, value);
    assert_string_equal(sb.data, expected);
    sb_release(&sb);
}

static void test_numbers(void **state)
{
    (void)state;
    assert_number(0, "0");
    assert_number(12.5f, "12.5");
    assert_number(-3, "-3");
    assert_number(0.07f, "0.07");
    assert_number(595.276f, "595.28");
    assert_number(-0.004f, "0");
    assert_number(-11.616f, "-11.62");
    assert_number(100.001f, "100");
}

static void test_text_lines(void **state)
{
    (void)state;
    struct pdf_ops o;
    ops_init(&o);
    /* Forty lines 11.616 pt apart: the sum of the written moves lands on the last
     * line's position to the hundredth. */
    float y = 700;
    for (int i = 0; i < 40; i++, y -= 11.616f) {
        ops_text_at(&o, 51.02362f, y);
        ops_show(&o, 0, 8.8f, "x", 1);
    }
    ops_end(&o);
    const char *s = o.layer[OPS_BODY].data;
    assert_int_equal(strncmp(s, "BT\n51.02 700 Td\n/F0 8.8 Tf\n(x)Tj\n", 32), 0);
    float sum = 0;
    int moves = 0;
    for (const char *p = s; (p = strstr(p, " Td\n")) != NULL; p++) {
        const char *line = p;
        while (line > s && line[-1] != '\n')
            line--;
        float dx, dy;
        assert_int_equal(sscanf(line, "%f %f", &dx, &dy), 2);
        sum += dy;
        moves++;
    }
    assert_int_equal(moves, 40);
    assert_true(sum - (y + 11.616f) < 0.006f && (y + 11.616f) - sum < 0.006f);
    /* The font is set once, the text object opened once. */
    assert_null(strstr(strstr(s, "Tf") + 2, "Tf"));
    assert_null(strstr(s + 1, "BT"));
    assert_true(o.fonts_used[OPS_BODY] == 1u);
    assert_true(o.drawn[OPS_BODY][0]['x' >> 3] == 1u << ('x' & 7));
    ops_release(&o);
}

static void test_layers_and_state(void **state)
{
    (void)state;
    struct pdf_ops o;
    ops_init(&o);
    /* Black is the initial fill: the body does not set it. */
    ops_fill_gray(&o, 0);
    ops_fill_gray(&o, 0.3f);
    ops_fill_gray(&o, 0.3f);
    ops_text_at(&o, 10, 10);
    ops_show(&o, 8, 9, "a(b)c\\d\r", 8);
    ops_layer(&o, OPS_FURNITURE);
    /* The furniture sets what it uses, whatever the body left. */
    ops_fill_gray(&o, 0.3f);
    ops_text_at(&o, 20, 20);
    ops_show(&o, 8, 9, "e", 1);
    ops_end(&o);
    assert_string_equal(o.layer[OPS_BODY].data, "0.3 g\nBT\n10 10 Td\n/F8 9 Tf\n(a\\(b\\)c\\\\d\\r)Tj\nET\n");
    assert_string_equal(o.layer[OPS_FURNITURE].data, "0.3 g\nBT\n20 20 Td\n/F8 9 Tf\n(e)Tj\nET\n");
    /* Each layer knows its own fonts and glyphs. */
    assert_true(o.fonts_used[OPS_BODY] == 1u << 8 && o.fonts_used[OPS_FURNITURE] == 1u << 8);
    assert_true(o.drawn[OPS_FURNITURE][8]['e' >> 3] & (1u << ('e' & 7)));
    assert_false(o.drawn[OPS_FURNITURE][8]['a' >> 3] & (1u << ('a' & 7)));
    assert_true(o.drawn[OPS_BODY][8]['a' >> 3] & (1u << ('a' & 7)));
    ops_release(&o);
}

static void test_stencil(void **state)
{
    (void)state;
    struct pdf_ops o;
    ops_init(&o);
    const unsigned char bits[2 * 2] = { 0xA5, 0x80, 0x0F, 0x00 };
    ops_stencil(&o, 0, 1, 2, 3, 4, 9, 2, bits, 2);
    assert_string_equal(o.layer[OPS_BODY].data,
                        "q 3 0 0 4 1 2 cm 0 g\nBI /W 9 /H 2 /IM true /D [1 0] /F /AHx ID\nA580\n0F00\n>\nEI Q\n");
    ops_release(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_text_lines),
        cmocka_unit_test(test_layers_and_state),
        cmocka_unit_test(test_stencil),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
