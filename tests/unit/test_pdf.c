/* Pins the PDF canvas (src/render/pdf.c) as viewers see it: every letter of the code
 * pages prints (rendered by poppler, not only extracted), the text extracts back, the
 * fonts are the embedded Dossier Sans subsets. */
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
#include "../../src/util/fileio.h"

static char tmp_root[64];

static int setup(void **state)
{
    (void)state;
    return tmpdir_make(tmp_root, sizeof tmp_root, "pdf");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove(tmp_root);
}

/* Dark pixels of a binary PGM (P5, 8-bit) at PATH. */
static long dark_pixels(const char *path)
{
    size_t len;
    char *pgm = file_read_all(path, 1 << 24, &len);
    assert_non_null(pgm);
    int w, h, max, used = 0;
    assert_int_equal(sscanf(pgm, "P5 %d %d %d%n", &w, &h, &max, &used), 3);
    const unsigned char *px = (const unsigned char *)pgm + used + 1;
    assert_true((size_t)(used + 1) + (size_t)w * (size_t)h <= len);
    long dark = 0;
    for (long i = 0; i < (long)w * h; i++)
        dark += px[i] < 128;
    free(pgm);
    return dark;
}

/* Letters whose glyph names viewers once read as another character, whose glyph
 * was not embedded: they printed as nothing (Ț ț μ Δ Ω), and others for company. */
static void test_every_letter_prints(void **state)
{
    (void)state;
    static const char *const letters[] = { "Ț", "ț", "Ţ", "ţ", "μ", "µ", "Δ", "Ω", "Ș", "ș", "Ł", "€", "Ж", "ğ", "ħ" };
    const size_t n = sizeof letters / sizeof *letters;
    char path[128], cmd[512];
    /* One letter a document, alone: its page is blank if its glyph is missing (in a
     * document of several letters, another's glyph could stand in for it). */
    for (size_t i = 0; i < n; i++) {
        struct pdf *pdf = pdf_new(SOURCE_DIR "/fonts", NULL);
        assert_non_null(pdf);
        struct pdf_page *page = pdf_add_page(pdf);
        pdf_text(pdf, page, 100, 600, i % 2 ? STYLE_BOLD : STYLE_REGULAR, 120, letters[i], strlen(letters[i]));
        size_t len;
        unsigned char *bytes = pdf_save(pdf, &len, NULL);
        assert_non_null(bytes);
        pdf_free(pdf);
        snprintf(path, sizeof path, "%s/letter-%02zu.pdf", tmp_root, i);
        assert_true(file_write_atomic(path, bytes, len));
        free(bytes);
        snprintf(cmd, sizeof cmd, "pdftoppm -r 20 -gray '%s' '%s/page-%02zu'", path, tmp_root, i);
        assert_int_equal(system(cmd), 0);
        snprintf(path, sizeof path, "%s/page-%02zu-1.pgm", tmp_root, i);
        long dark = dark_pixels(path);
        if (dark < 30)
            fail_msg("« %s » ne s'imprime pas (%ld pixels sombres)", letters[i], dark);
    }
    /* All of them in one document read back as written. */
    struct pdf *pdf = pdf_new(SOURCE_DIR "/fonts", NULL);
    struct pdf_page *page = pdf_add_page(pdf);
    for (size_t i = 0; i < n; i++)
        pdf_text(pdf, page, 50 + 30 * (float)i, 600, STYLE_REGULAR, 20, letters[i], strlen(letters[i]));
    size_t len;
    unsigned char *bytes = pdf_save(pdf, &len, NULL);
    pdf_free(pdf);
    snprintf(path, sizeof path, "%s/letters.pdf", tmp_root);
    assert_true(file_write_atomic(path, bytes, len));
    free(bytes);
    /* And the text reads back as written. */
    snprintf(cmd, sizeof cmd, "pdftotext '%s/letters.pdf' '%s/letters.txt'", tmp_root, tmp_root);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/letters.txt", tmp_root);
    char *text = file_read_all(path, 1 << 16, &len);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        assert_non_null(strstr(text, letters[i]));
    free(text);
}

static void test_fonts_embedded(void **state)
{
    (void)state;
    struct pdf *pdf = pdf_new(SOURCE_DIR "/fonts", NULL);
    struct pdf_page *page = pdf_add_page(pdf);
    pdf_text(pdf, page, 50, 700, STYLE_REGULAR, 12, "Brindille & Cie", 15);
    pdf_text(pdf, page, 50, 680, STYLE_BOLD, 12, "Łukasz", strlen("Łukasz"));
    size_t len;
    unsigned char *bytes = pdf_save(pdf, &len, NULL);
    pdf_free(pdf);
    /* Two small subsets, not the 400 KB originals. */
    assert_true(len < 20000);
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/fonts.pdf", tmp_root);
    assert_true(file_write_atomic(path, bytes, len));
    free(bytes);
    snprintf(cmd, sizeof cmd, "pdffonts '%s' > '%s/fonts.txt'", path, tmp_root);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/fonts.txt", tmp_root);
    char *out = file_read_all(path, 1 << 16, &len);
    assert_non_null(strstr(out, "DossierSans-Regular"));
    assert_non_null(strstr(out, "DossierSans-Bold"));
    assert_null(strstr(out, "Liberation"));
    assert_null(strstr(out, " no "));       /* every font embedded, with a Unicode map */
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_letter_prints),
        cmocka_unit_test(test_fonts_embedded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
