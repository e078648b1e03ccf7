/* Pins the repacking of libharu's output (src/render/pdfpack.c): a document comes out
 * as PDF 1.5 with its plain objects in an object stream and an xref stream, which an
 * independent reader (qpdf --check, pdftotext) accepts and reads back; anything not
 * laid out as libharu writes is refused, not mangled. */
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
#include "../../src/render/pdfpack.h"
#include "../../src/util/fileio.h"

static char tmp_root[64];

static int setup(void **state)
{
    (void)state;
    return tmpdir_make(tmp_root, sizeof tmp_root, "pdfpack");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove(tmp_root);
}

static void test_saved_documents_are_packed(void **state)
{
    (void)state;
    struct pdf *pdf = pdf_new(SOURCE_DIR "/fonts", NULL);
    assert_non_null(pdf);
    for (int i = 0; i < 3; i++) {
        struct pdf_page *page = pdf_add_page(pdf);
        char line[64];
        snprintf(line, sizeof line, "Page %d : Ærø, Łukasz", i + 1);
        pdf_text(pdf, page, 72, 700, i % 2 ? STYLE_BOLD : STYLE_REGULAR, 12, line, strlen(line));
        pdf_rect(page, 72, 600, 100, 50, 1, 0.5f, -1);
    }
    size_t len;
    unsigned char *bytes = pdf_save(pdf, &len, NULL);
    pdf_free(pdf);
    assert_non_null(bytes);
    assert_memory_equal(bytes, "%PDF-1.5", 8);
    assert_non_null(memmem(bytes, len, "/Type /ObjStm", 13));
    assert_non_null(memmem(bytes, len, "/Type /XRef", 11));
    /* No plain object is left outside the object stream but the streams themselves. */
    assert_null(memmem(bytes, len, "/Type /Page\n", 12));
    assert_null(memmem(bytes, len, "\ntrailer\n", 9));
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/packed.pdf", tmp_root);
    assert_true(file_write_atomic(path, bytes, len));
    free(bytes);
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "pdftotext -q '%s' '%s/packed.txt'", path, tmp_root);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/packed.txt", tmp_root);
    char *text = file_read_all(path, 1 << 20, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "Page 3 : Ærø, Łukasz"));
    free(text);
}

static void test_other_layouts_refused(void **state)
{
    (void)state;
    size_t len;
    static const char not_pdf[] = "Hello, this is not a PDF file at all, but it is long enough.....";
    assert_null(pdfpack((const unsigned char *)not_pdf, sizeof not_pdf - 1, &len));
    /* A PDF whose xref does not point at its objects. */
    static const char lying[] =
        "%PDF-1.3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        "xref\n0 2\n0000000000 65535 f\r\n0000000003 00000 n\r\n"
        "trailer\n<<\n/Root 1 0 R\n/Info 1 0 R\n/Size 2\n>>\nstartxref\n44\n%%EOF\n";
    assert_null(pdfpack((const unsigned char *)lying, sizeof lying - 1, &len));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_documents_are_packed),
        cmocka_unit_test(test_other_layouts_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
