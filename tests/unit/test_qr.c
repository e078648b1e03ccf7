/* Pins the QR codes (src/render/qr.c): symbol size, quiet zone, and a drawn code that
 * an independent reader (pdftoppm + zbarimg at 150 dpi) decodes back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpdir.h"
#include "../../src/render/pdf.h"
#include "../../src/render/qr.h"
#include "../../src/render/track.h"
#include "../../src/util/fileio.h"

static void test_size(void **state)
{
    (void)state;
    /* Version v has 17 + 4v modules a side; plus 4 modules of quiet zone each side. */
    float s = qr_size("DSR1:600101:FOR:2/6:1A2B3C4D", 1);
    int modules = (int)s - 2 * QR_QUIET_MODULES;
    assert_true(modules >= 21 && (modules - 17) % 4 == 0);
    assert_true(qr_size("DSR1:600101:FOR:2/6:1A2B3C4D", MM(0.5)) == s * MM(0.5));
    /* More text, a bigger symbol; too much for any version, none. */
    char long_text[400];
    memset(long_text, 'A', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    assert_true(qr_size(long_text, 1) > s);
    static char huge[4000];
    memset(huge, 'x', sizeof huge - 1);
    assert_true(qr_size(huge, 1) == 0);
}

/* The fixed mask leaves the symbol the size libqrencode's own choice gives: a signed
 * code (DSR2, 155 digits of signature) is version 6, 41 modules, as README says. */
static void test_signed_code_size(void **state)
{
    (void)state;
    char code[TRACK_CODE_MAX];
    int n = snprintf(code, sizeof code, "DSR2:600101:FOR:2/3:20261124:952018349:95D4953C:");
    for (int i = 0; i < 155; i++)
        code[n++] = (char)('0' + (i * 7 + 3) % 10);
    code[n] = '\0';
    assert_int_equal((int)(qr_size(code, 1) + 0.5f) - 2 * QR_QUIET_MODULES, 41);
}

static void test_decodes(void **state)
{
    (void)state;
    char dir[64];
    assert_int_equal(tmpdir_make(dir, sizeof dir, "qr"), 0);
    struct pdf *pdf = pdf_new(SOURCE_DIR "/fonts", NULL);
    assert_non_null(pdf);
    struct pdf_page *page = pdf_add_page(pdf);
    char code[96];
    track_code_format(code, sizeof code, "600101", "CGU", 3, 7);
    /* Over a grey background: the quiet zone is painted white. */
    pdf_rect(page, 0, 0, PAGE_WIDTH, PAGE_HEIGHT, 0, -1, 0.7f);
    assert_true(qr_draw(page, MM(20), MM(20), MM(0.5), code) == qr_size(code, MM(0.5)));
    static char huge[4000];
    memset(huge, 'x', sizeof huge - 1);
    assert_true(qr_draw(page, 0, 0, 1, huge) == 0);
    size_t len;
    unsigned char *bytes = pdf_save(pdf, &len, NULL);
    assert_non_null(bytes);
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/qr.pdf", dir);
    assert_true(file_write_atomic(path, bytes, len));
    free(bytes);
    pdf_free(pdf);
    snprintf(cmd, sizeof cmd, "pdftoppm -r 150 -gray -png '%s' '%s/page' && zbarimg -q --raw '%s'/page*.png > '%s/out.txt' 2>/dev/null",
             path, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/out.txt", dir);
    char *text = file_read_all(path, 4096, &len);
    assert_non_null(text);
    text[strcspn(text, "\n")] = '\0';
    assert_string_equal(text, code);
    free(text);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_signed_code_size),
        cmocka_unit_test(test_decodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
