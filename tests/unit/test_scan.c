/* check-scan's logic on synthetic pages: the page map written and read back, the
 * page-to-scan map from a code's corners, the ink of a box net of what was printed
 * (a caption is not ink, a shifted frame is found again, specks are not marks), the
 * shrinking of large scans, and the reading of each scan format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "problems.h"
#include "../../src/render/pagemap.h"
#include "../../src/scan/ink.h"
#include "../../src/scan/locate.h"
#include "../../src/scan/scanimage.h"

static void test_pagemap_round_trip(void **state)
{
    (void)state;
    struct layout l;
    memset(&l, 0, sizeof l);
    struct layout_page pages[2] = { { .document = "FOR", .index = 1, .count = 2 },
                                    { .document = "FOR", .index = 2, .count = 2 } };
    pages[0].code = strdup("DSR1:600101:FOR:1/2:00000000");
    pages[1].code = strdup("DSR1:600101:FOR:2/2:11111111");
    pages[0].qr_x = pages[1].qr_x = 51.02f;
    pages[0].qr_y = pages[1].qr_y = 22.68f;
    pages[0].qr_side = pages[1].qr_side = 58.11f;
    pages[0].qr_modules = pages[1].qr_modules = 41;
    l.pages = pages;
    l.page_count = 2;
    struct layout_mark marks[3] = {
        { 0, MARK_PARAPHE, "Jeanne Martin", "titulaire", 360, 19.84f, 87.87f, 53.86f },
        { 0, MARK_PARAPHE, "Łukasz <Nowak> & \"fils\"", "rl", 456.38f, 19.84f, 87.87f, 53.86f },
        { 1, MARK_SIGNATURE, "Jeanne Martin", "titulaire", 51.02f, 421.26f, 232.44f, 107.72f },
    };
    l.marks = marks;
    l.mark_count = 3;
    size_t len;
    char *xml = pagemap_write(&l, "600101", "dossier-600101.pdf", NULL, &len);
    assert_int_equal(strlen(xml), len);
    struct pagemap map;
    TEST_PROBLEMS(why);
    assert_true(pagemap_read(xml, len, "map.xml", &map, &why));
    assert_string_equal(map.numero, "600101");
    assert_string_equal(map.pdf, "dossier-600101.pdf");
    assert_false(map.has_key);
    assert_int_equal(map.count, 2);
    assert_string_equal(map.pages[1].code, "DSR1:600101:FOR:2/2:11111111");
    assert_int_equal(map.pages[0].qr_modules, 41);
    assert_true(fabsf(map.pages[0].qr_side - 58.11f) < 0.01f);
    assert_int_equal(map.pages[0].box_count, 2);
    assert_int_equal(map.pages[1].box_count, 1);
    assert_string_equal(map.pages[0].boxes[1].person, "Łukasz <Nowak> & \"fils\"");
    assert_int_equal(map.pages[1].boxes[0].kind, MARK_SIGNATURE);
    assert_true(fabsf(map.pages[1].boxes[0].h - 107.72f) < 0.01f);
    pagemap_release(&map);

    /* Broken maps are refused with a problem, not half read. */
    char *bad = strdup(xml);
    char *at = strstr(bad, "modules=\"41\"");
    memcpy(at, "modules=\"4x\"", 12);
    assert_false(pagemap_read(bad, strlen(bad), "map.xml", &map, &why));
    assert_int_equal(why.count, 1);
    assert_string_equal(why.items[0].code, "scan.pagemap");
    assert_false(pagemap_read("<mise-en-page/>", 15, "map.xml", &map, &why));
    assert_false(pagemap_read("pas du XML", 10, "map.xml", &map, &why));
    const char *doctype = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"e\">]>"
                          "<mise-en-page xmlns=\"" PAGEMAP_NS "\"><page/></mise-en-page>";
    assert_false(pagemap_read(doctype, strlen(doctype), "map.xml", &map, &why));
    /* Two codes on one page (found by fuzzing: the first leaked). */
    char *twice = malloc(len + 200);
    const char *qr = strstr(xml, "<qr ");
    const char *qr_end = strstr(qr, "</qr>") + 5;
    int head = (int)(qr_end - xml);
    sprintf(twice, "%.*s%.*s%s", head, xml, (int)(qr_end - qr), qr, qr_end);
    assert_false(pagemap_read(twice, strlen(twice), "map.xml", &map, &why));
    free(twice);
    free(bad);
    free(xml);
    free(pages[0].code);
    free(pages[1].code);
}

static void test_affine(void **state)
{
    (void)state;
    /* A page turned by 3 degrees, scaled 2.7 pixels per point, upside down or not. */
    for (int upside = 0; upside < 2; upside++) {
        double angle = (3.0 + 180.0 * upside) * M_PI / 180, scale = 2.7;
        struct affine truth = { scale * cos(angle), scale * sin(angle), 120, scale * sin(angle),
                                -scale * cos(angle), 2300 };
        double px[4] = { 51, 51, 109, 109 }, py[4] = { 80, 22, 22, 80 }, sx[4], sy[4];
        for (int i = 0; i < 4; i++)
            affine_apply(&truth, px[i], py[i], &sx[i], &sy[i]);
        struct affine fit;
        assert_true(affine_fit(px, py, sx, sy, 4, &fit));
        double x, y, tx, ty;
        affine_apply(&fit, 500, 800, &x, &y);
        affine_apply(&truth, 500, 800, &tx, &ty);
        assert_true(fabs(x - tx) < 1e-6 && fabs(y - ty) < 1e-6);
        assert_true(fabs(affine_scale(&fit) - scale) < 1e-9);
    }
    /* Three points on a line: no map. */
    double px[3] = { 0, 1, 2 }, py[3] = { 0, 1, 2 }, s[3] = { 0, 1, 2 };
    struct affine fit;
    assert_false(affine_fit(px, py, s, s, 3, &fit));
}

#define K INK_PX_PER_PT

/* A box's frame and caption, as render would print them, at K px per point, with
 * INK_MARGIN_PT around: the reference. */
static cairo_surface_t *box_surface(double w, double h, double scale)
{
    double m = INK_MARGIN_PT;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil((w + 2 * m) * scale),
                                                    (int)ceil((h + 2 * m) * scale));
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, 0.6);
    cairo_rectangle(cr, m, m, w, h);
    cairo_stroke(cr);
    /* The caption: a few dark bars standing for "Paraphe / du titulaire". */
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_rectangle(cr, m + 3, m + 3, 24, 5);
    cairo_rectangle(cr, m + 3, m + 10, 40, 5);
    cairo_fill(cr);
    cairo_destroy(cr);
    return s;
}

static void to_gray(cairo_surface_t *s, struct gray *g)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    assert_true(gray_alloc(g, w, h));
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            g->px[(size_t)y * (size_t)w + (size_t)x] = d[(size_t)y * (size_t)stride + (size_t)x * 4 + 1];
}

/* A "scan" of the box: the same drawing at SCALE px per point, placed at (OX, OY)
 * pixels, with STROKES drawn in it and SPECKS; MAP is its exact page-to-scan map for a
 * box whose page rectangle is (X, Y, W, H). */
static void scan_of(double w, double h, double scale, double ox, double oy, int strokes, int specks,
                    struct gray *g)
{
    cairo_surface_t *box = box_surface(w, h, scale);
    int sw = cairo_image_surface_get_width(box) + 120, sh = cairo_image_surface_get_height(box) + 120;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sw, sh);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.94, 0.94, 0.94);
    cairo_paint(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
    cairo_set_source_surface(cr, box, ox, oy);
    cairo_paint(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    double m = INK_MARGIN_PT * scale;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.4);
    cairo_set_line_width(cr, 1.2 * scale);
    for (int i = 0; i < strokes; i++) {
        cairo_move_to(cr, ox + m + (10 + 8 * i) * scale, oy + m + (h - 8) * scale);
        cairo_curve_to(cr, ox + m + (20 + 8 * i) * scale, oy + m + 22 * scale, ox + m + (40 + 5 * i) * scale,
                       oy + m + (h - 2) * scale, ox + m + (60 + 4 * i) * scale, oy + m + 26 * scale);
        cairo_stroke(cr);
    }
    for (int i = 0; i < specks; i++) {
        cairo_arc(cr, ox + m + (15 + 9 * i) * scale, oy + m + (h - 12) * scale, 0.5, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    to_gray(s, g);
    cairo_surface_destroy(s);
    cairo_surface_destroy(box);
}

static void measure(double shift_px, int strokes, int specks, struct ink_result *r)
{
    /* The box at (100, 200) on the page, 88 x 54 points; the scan at 200 dpi. */
    double x = 100, y = 200, w = 88, h = 54, scale = 200.0 / 72;
    cairo_surface_t *ref_s = box_surface(w, h, K);
    struct gray ref, scan;
    to_gray(ref_s, &ref);
    cairo_surface_destroy(ref_s);
    double ox = 60, oy = 60;
    scan_of(w, h, scale, ox + shift_px, oy - shift_px / 2, strokes, specks, &scan);
    /* The map as the QR code would give it, missing the true place by SHIFT_PX. */
    double left = x - INK_MARGIN_PT, top = y + h + INK_MARGIN_PT;
    struct affine map = { scale, 0, ox - left * scale, 0, -scale, oy + top * scale };
    ink_measure(&scan, &map, &ref, x, y, w, h, r);
    gray_free(&ref);
    gray_free(&scan);
}

static void test_ink(void **state)
{
    (void)state;
    struct ink_result r;
    /* Empty: the frame and the caption are not ink, even a little off register. */
    for (int shift = 0; shift <= 24; shift += 8) {
        measure(shift, 0, 0, &r);
        if (r.filled || r.ink > 0.001)
            fail_msg("case vide comptée remplie (décalage %d px, encre %.4f)", shift, r.ink);
        assert_true(r.match > 0.5);
    }
    /* The correction found is the shift (200 dpi pixels to points). */
    measure(16, 0, 0, &r);
    assert_true(fabs(r.shift_x - 16 * 72.0 / 200) < 1.0);
    /* Specks of dust are not a mark. */
    measure(4, 0, 6, &r);
    assert_false(r.filled);
    /* One stroke is. */
    for (int strokes = 1; strokes <= 3; strokes++) {
        measure(8, strokes, 0, &r);
        if (!r.filled)
            fail_msg("case remplie (%d traits) comptée vide (encre %.4f)", strokes, r.ink);
    }
    measure(0, 3, 0, &r);
    double three = r.ink;
    measure(0, 1, 0, &r);
    assert_true(three > r.ink);
}

static void test_shrink_and_sample(void **state)
{
    (void)state;
    struct gray g;
    assert_true(gray_alloc(&g, 600, 400));
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 600; x++)
            g.px[y * 600 + x] = (uint8_t)((x / 3 + y / 3) % 2 ? 255 : 0);
    assert_true(gray_shrink(&g, 3.0));
    assert_int_equal(g.w, 200);
    assert_int_equal(g.h, 133);
    /* 3x3 blocks average to their own colour. */
    assert_int_equal(g.px[0], 0);
    assert_int_equal(g.px[1], 255);
    assert_true(gray_shrink(&g, 1.5));
    assert_int_equal(g.w, 133);
    /* Outside the image is paper. */
    assert_true(gray_sample(&g, -10, 5) == 255.0);
    gray_free(&g);
}

struct pages_seen {
    int count;
    int w[4], h[4];
};

static bool count_page(void *user, struct gray *page, int index)
{
    struct pages_seen *p = user;
    assert_int_equal(index, p->count + 1);
    if (p->count < 4) {
        p->w[p->count] = page->w;
        p->h[p->count] = page->h;
    }
    p->count++;
    return true;
}

static cairo_status_t to_buffer(void *closure, const unsigned char *data, unsigned int length)
{
    struct { unsigned char *d; size_t len; } *b = closure;
    b->d = realloc(b->d, b->len + length);
    memcpy(b->d + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

static void test_read_formats(void **state)
{
    (void)state;
    /* A PNG of an A4 page at 300 dpi: shrunk to about 200 dpi. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 2480, 3508);
    struct { unsigned char *d; size_t len; } png = { NULL, 0 };
    cairo_surface_write_to_png_stream(s, to_buffer, &png);
    cairo_surface_destroy(s);
    struct pages_seen seen = { 0 };
    TEST_PROBLEMS(why);
    assert_true(scan_read_file(png.d, png.len, "page.png", count_page, &seen, &why));
    assert_int_equal(seen.count, 1);
    assert_true(seen.h[0] <= SCAN_A4_LONG_PX && seen.h[0] >= SCAN_A4_LONG_PX - 2);
    /* Cut short, or not an image at all: refused, with the file named. */
    assert_false(scan_read_file(png.d, png.len / 2, "page.png", count_page, &seen, &why));
    assert_false(scan_read_file((const unsigned char *)"GIF89a......", 12, "page.gif", count_page, &seen, &why));
    assert_true(why.count >= 2);
    assert_string_equal(why.items[0].code, "scan.unreadable");
    assert_string_equal(why.items[0].file, "page.png");
    free(png.d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pagemap_round_trip),
        cmocka_unit_test(test_affine),
        cmocka_unit_test(test_ink),
        cmocka_unit_test(test_shrink_and_sample),
        cmocka_unit_test(test_read_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
