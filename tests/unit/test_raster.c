/* Pins the raster work on attached pieces (src/render/raster.c): the EXIF orientation
 * parser on crafted and broken buffers, the eight orientations end to end, alpha
 * flattening, PDF pages, the watermark, and a clean failure for every bad file kind.
 * Every test image is made here in memory (libturbojpeg, cairo, libpng). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "../../src/render/raster.h"
#include "../../src/rules/piece.h"
#include "problems.h"

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif
#define FONTS_DIR SOURCE_DIR "/fonts"

/* --- byte buffers ----------------------------------------------------------- */

struct buf {
    unsigned char *data;
    size_t len;
};

static void buf_add(struct buf *b, const void *data, size_t len)
{
    b->data = realloc(b->data, b->len + len + 1);
    assert_non_null(b->data);
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

static void buf_u8(struct buf *b, unsigned v)
{
    unsigned char c = (unsigned char)v;
    buf_add(b, &c, 1);
}

static void buf_u16(struct buf *b, unsigned v, bool big)
{
    buf_u8(b, big ? v >> 8 : v & 0xFF);
    buf_u8(b, big ? v & 0xFF : v >> 8);
}

static void buf_u32(struct buf *b, uint32_t v, bool big)
{
    if (big) {
        buf_u16(b, v >> 16, true);
        buf_u16(b, v & 0xFFFF, true);
    } else {
        buf_u16(b, v & 0xFFFF, false);
        buf_u16(b, v >> 16, false);
    }
}

static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int len)
{
    buf_add(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* An exact-size heap copy of the first LEN bytes, so that ASan sees any over-read. */
static unsigned char *exact_copy(const unsigned char *data, size_t len)
{
    unsigned char *c = malloc(len ? len : 1);
    assert_non_null(c);
    memcpy(c, data, len);
    return c;
}

/* TIFF payload of an APP1 Exif segment: IFD0 with a dummy tag, then the orientation. */
static void tiff_with_orientation(struct buf *t, bool big, unsigned type, unsigned value)
{
    buf_add(t, big ? "MM" : "II", 2);
    buf_u16(t, 42, big);
    buf_u32(t, 8, big);
    buf_u16(t, 2, big);                 /* two entries */
    buf_u16(t, 0x010F, big);            /* Make, ASCII, 4 bytes inline */
    buf_u16(t, 2, big);
    buf_u32(t, 4, big);
    buf_add(t, "abc", 4);
    buf_u16(t, 0x0112, big);
    buf_u16(t, type, big);
    buf_u32(t, 1, big);
    buf_u16(t, value, big);
    buf_u16(t, 0, big);
    buf_u32(t, 0, big);                 /* no IFD1 */
}

static void add_segment(struct buf *j, unsigned marker, const struct buf *payload)
{
    buf_u8(j, 0xFF);
    buf_u8(j, marker);
    buf_u16(j, (unsigned)payload->len + 2, true);
    buf_add(j, payload->data, payload->len);
}

/* SOI, an optional XMP APP1, the Exif APP1, then SOS and EOI. */
static struct buf jpeg_with_exif(bool big, unsigned type, unsigned value, bool xmp_first)
{
    struct buf j = { 0 }, t = { 0 }, seg = { 0 };
    buf_u8(&j, 0xFF);
    buf_u8(&j, 0xD8);
    if (xmp_first) {
        struct buf x = { 0 };
        buf_add(&x, "http://ns.adobe.com/xap/1.0/\0<x/>", 33);
        add_segment(&j, 0xE1, &x);
        free(x.data);
    }
    tiff_with_orientation(&t, big, type, value);
    buf_add(&seg, "Exif\0\0", 6);
    buf_add(&seg, t.data, t.len);
    add_segment(&j, 0xE1, &seg);
    buf_add(&j, "\xFF\xDA\x00\x02\xFF\xD9", 6);
    free(t.data);
    free(seg.data);
    return j;
}

/* --- EXIF parser ------------------------------------------------------------ */

static void test_exif_all_orientations_both_orders(void **state)
{
    (void)state;
    for (int big = 0; big <= 1; big++)
        for (unsigned o = 1; o <= 8; o++) {
            struct buf j = jpeg_with_exif(big, 3, o, false);
            unsigned char *c = exact_copy(j.data, j.len);
            assert_int_equal(raster_exif_orientation(c, j.len), (int)o);
            free(c);
            free(j.data);
        }
}

static void test_exif_after_other_app1(void **state)
{
    (void)state;
    struct buf j = jpeg_with_exif(false, 3, 6, true);
    assert_int_equal(raster_exif_orientation(j.data, j.len), 6);
    free(j.data);
}

static void test_exif_invalid_values(void **state)
{
    (void)state;
    static const unsigned values[] = { 0, 9, 0xFFFF };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        struct buf j = jpeg_with_exif(true, 3, values[i], false);
        assert_int_equal(raster_exif_orientation(j.data, j.len), 1);
        free(j.data);
    }
    struct buf j = jpeg_with_exif(false, 4, 6, false);     /* LONG, not SHORT */
    assert_int_equal(raster_exif_orientation(j.data, j.len), 1);
    free(j.data);
}

static void test_exif_absent(void **state)
{
    (void)state;
    static const unsigned char none[] = { 0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9 };
    assert_int_equal(raster_exif_orientation(none, sizeof none), 1);
    assert_int_equal(raster_exif_orientation(none, 0), 1);
    assert_int_equal(raster_exif_orientation(NULL, 10), 1);
    static const unsigned char png[] = "\x89PNG\r\n\x1a\n";
    assert_int_equal(raster_exif_orientation(png, 8), 1);
}

static void test_exif_every_truncation(void **state)
{
    (void)state;
    for (int big = 0; big <= 1; big++) {
        struct buf j = jpeg_with_exif(big, 3, 8, true);
        for (size_t n = 0; n < j.len; n++) {
            unsigned char *c = exact_copy(j.data, n);
            int o = raster_exif_orientation(c, n);
            assert_true(o >= 1 && o <= 8);
            free(c);
        }
        free(j.data);
    }
}

/* Deterministic pseudo-random bytes (xorshift). */
static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_exif_garbage_never_crashes(void **state)
{
    (void)state;
    uint32_t seed = 0x2545F491u;
    struct buf base = jpeg_with_exif(false, 3, 6, false);
    for (int round = 0; round < 20000; round++) {
        size_t len = base.len;
        unsigned char *c = exact_copy(base.data, len);
        /* Mutate a few bytes of the segment header and the TIFF structure. */
        int flips = 1 + (int)(next_random(&seed) % 6);
        for (int k = 0; k < flips; k++)
            c[2 + next_random(&seed) % (len - 2)] = (unsigned char)next_random(&seed);
        size_t cut = next_random(&seed) % (len + 1);
        int o = raster_exif_orientation(c, cut);
        assert_true(o >= 1 && o <= 8);
        free(c);
    }
    /* Pure noise after SOI, including huge segment lengths and IFD offsets. */
    for (int round = 0; round < 5000; round++) {
        size_t len = 4 + next_random(&seed) % 200;
        unsigned char *c = malloc(len);
        assert_non_null(c);
        for (size_t k = 0; k < len; k++)
            c[k] = (unsigned char)next_random(&seed);
        c[0] = 0xFF;
        c[1] = 0xD8;
        if (len > 12) {
            memcpy(c + 2, "\xFF\xE1", 2);
            memcpy(c + 6, "Exif\0\0", 6);
        }
        int o = raster_exif_orientation(c, len);
        assert_true(o >= 1 && o <= 8);
        free(c);
    }
    free(base.data);
}

static void test_exif_huge_ifd_count(void **state)
{
    (void)state;
    /* IFD0 claims 65535 entries but the segment holds one: read only what is there. */
    struct buf t = { 0 }, seg = { 0 }, j = { 0 };
    buf_add(&t, "MM", 2);
    buf_u16(&t, 42, true);
    buf_u32(&t, 8, true);
    buf_u16(&t, 0xFFFF, true);
    buf_u16(&t, 0x0112, true);
    buf_u16(&t, 3, true);
    buf_u32(&t, 1, true);
    buf_u16(&t, 3, true);
    buf_u16(&t, 0, true);
    buf_add(&seg, "Exif\0\0", 6);
    buf_add(&seg, t.data, t.len);
    buf_add(&j, "\xFF\xD8", 2);
    add_segment(&j, 0xE1, &seg);
    unsigned char *c = exact_copy(j.data, j.len);
    assert_int_equal(raster_exif_orientation(c, j.len), 3);
    /* And an IFD offset past the end. */
    c[j.len - t.len + 4] = 0x7F;
    assert_int_equal(raster_exif_orientation(c, j.len), 1);
    free(c);
    free(t.data);
    free(seg.data);
    free(j.data);
}

/* --- PNG header ------------------------------------------------------------- */

static void png_chunk(struct buf *b, const char *type, const void *data, size_t len)
{
    buf_u32(b, (uint32_t)len, true);
    size_t start = b->len;
    buf_add(b, type, 4);
    if (len)
        buf_add(b, data, len);
    /* CRC-32 of type and data, as libpng checks it. */
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = start; i < b->len; i++) {
        crc ^= b->data[i];
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    buf_u32(b, crc ^ 0xFFFFFFFFu, true);
}

static struct buf png_declaring(uint32_t w, uint32_t h, const void *idat, size_t idat_len)
{
    struct buf b = { 0 }, ihdr = { 0 };
    buf_add(&b, "\x89PNG\r\n\x1a\n", 8);
    buf_u32(&ihdr, w, true);
    buf_u32(&ihdr, h, true);
    buf_add(&ihdr, "\x08\x02\x00\x00\x00", 5);
    png_chunk(&b, "IHDR", ihdr.data, ihdr.len);
    png_chunk(&b, "IDAT", idat, idat_len);
    png_chunk(&b, "IEND", NULL, 0);
    free(ihdr.data);
    return b;
}

static void test_png_size(void **state)
{
    (void)state;
    struct buf p = png_declaring(100000, 3, "x", 1);
    uint32_t w = 0, h = 0;
    assert_true(raster_png_size(p.data, p.len, &w, &h));
    assert_int_equal(w, 100000);
    assert_int_equal(h, 3);
    assert_false(raster_png_size(p.data, 32, &w, &h));
    p.data[12] = 'X';
    assert_false(raster_png_size(p.data, p.len, &w, &h));
    free(p.data);
}

/* --- test images ------------------------------------------------------------ */

#define UP_W 96
#define UP_H 64

/* The upright test card: white, red square top-left, blue top-right, green
 * bottom-left (each 16 x 16, 4 pixels from the edges). RGB, 3 bytes a pixel. */
static void upright_pixel(int x, int y, unsigned char *rgb)
{
    bool top = y >= 4 && y < 20, bottom = y >= UP_H - 20 && y < UP_H - 4;
    bool left = x >= 4 && x < 20, right = x >= UP_W - 20 && x < UP_W - 4;
    rgb[0] = rgb[1] = rgb[2] = 255;
    if (top && left)
        rgb[1] = rgb[2] = 0;
    else if (top && right)
        rgb[0] = rgb[1] = 0;
    else if (bottom && left)
        rgb[0] = rgb[2] = 0;
}

/* Where stored pixel (X, Y) of a W x H image shows once EXIF orientation O is
 * applied (TIFF 6.0 / Exif 2.3 definitions, written out independently). */
static void shown_at(int o, int x, int y, int w, int h, int *dx, int *dy)
{
    switch (o) {
    case 2: *dx = w - 1 - x; *dy = y; break;
    case 3: *dx = w - 1 - x; *dy = h - 1 - y; break;
    case 4: *dx = x; *dy = h - 1 - y; break;
    case 5: *dx = y; *dy = x; break;
    case 6: *dx = h - 1 - y; *dy = x; break;
    case 7: *dx = h - 1 - y; *dy = w - 1 - x; break;
    case 8: *dx = y; *dy = w - 1 - x; break;
    default: *dx = x; *dy = y; break;
    }
}

static struct buf jpeg_encode(const unsigned char *rgb, int w, int h, int quality)
{
    tjhandle tj = tjInitCompress();
    assert_non_null(tj);
    unsigned char *out = NULL;
    unsigned long len = 0;
    assert_int_equal(tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &out, &len, TJSAMP_444, quality, 0), 0);
    tjDestroy(tj);
    struct buf b = { 0 };
    buf_add(&b, out, len);
    tjFree(out);
    return b;
}

/* The test card stored so that orientation O shows it upright, as a JPEG carrying
 * that orientation in its Exif segment (inserted right after SOI). */
static struct buf card_jpeg(int o, bool big_endian)
{
    bool swap = o >= 5;
    int sw = swap ? UP_H : UP_W, sh = swap ? UP_W : UP_H;
    unsigned char *rgb = malloc((size_t)sw * sh * 3);
    assert_non_null(rgb);
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++) {
            int dx, dy;
            shown_at(o, x, y, sw, sh, &dx, &dy);
            upright_pixel(dx, dy, rgb + ((size_t)y * sw + x) * 3);
        }
    struct buf plain = jpeg_encode(rgb, sw, sh, 95);
    free(rgb);
    struct buf exif = jpeg_with_exif(big_endian, 3, (unsigned)o, false);
    /* exif = SOI APP1 SOS EOI: keep SOI APP1, then the plain JPEG after its SOI. */
    struct buf j = { 0 };
    buf_add(&j, exif.data, exif.len - 6);
    buf_add(&j, plain.data + 2, plain.len - 2);
    free(plain.data);
    free(exif.data);
    return j;
}

/* Decodes one output page to RGB. */
static unsigned char *page_rgb(const struct raster_page *p)
{
    tjhandle tj = tjInitDecompress();
    assert_non_null(tj);
    unsigned char *rgb = malloc((size_t)p->width_px * p->height_px * 3);
    assert_non_null(rgb);
    assert_int_equal(tjDecompress2(tj, p->jpeg, p->jpeg_len, rgb, p->width_px, 0, p->height_px, TJPF_RGB, 0), 0);
    tjDestroy(tj);
    return rgb;
}

static const unsigned char *pixel(const unsigned char *rgb, const struct raster_page *p, double fx, double fy)
{
    int x = (int)(fx * p->width_px), y = (int)(fy * p->height_px);
    return rgb + ((size_t)y * p->width_px + x) * 3;
}

/* Strong single colour: CHANNEL high, the two others low. */
static bool is_colour(const unsigned char *px, int channel)
{
    for (int c = 0; c < 3; c++)
        if (c == channel ? px[c] < 180 : px[c] > 90)
            return false;
    return true;
}

static struct raster_options plain_options(void)
{
    return (struct raster_options){ NULL, FONTS_DIR, 300, 300, 72, 0, NULL };
}

static void assert_card_upright(const struct raster_pages *pages)
{
    assert_int_equal(pages->count, 1);
    const struct raster_page *p = &pages->pages[0];
    assert_true(p->width_px > p->height_px);
    double ratio = (double)p->width_px / p->height_px;
    assert_true(ratio > 1.45 && ratio < 1.55);
    unsigned char *rgb = page_rgb(p);
    /* Centres of the markers: (12, 12), (84, 12), (12, 52) of 96 x 64. */
    assert_true(is_colour(pixel(rgb, p, 12.0 / UP_W, 12.0 / UP_H), 0));
    assert_true(is_colour(pixel(rgb, p, 84.0 / UP_W, 12.0 / UP_H), 2));
    assert_true(is_colour(pixel(rgb, p, 12.0 / UP_W, 52.0 / UP_H), 1));
    const unsigned char *white = pixel(rgb, p, 84.0 / UP_W, 52.0 / UP_H);
    assert_true(white[0] > 230 && white[1] > 230 && white[2] > 230);
    free(rgb);
}

/* --- decoding ----------------------------------------------------------------- */

static void test_jpeg_every_orientation_upright(void **state)
{
    (void)state;
    struct raster_options o = plain_options();
    for (int big = 0; big <= 1; big++)
        for (int orientation = 1; orientation <= 8; orientation++) {
            struct buf j = card_jpeg(orientation, big);
            assert_int_equal(raster_exif_orientation(j.data, j.len), orientation);
            struct raster_pages pages;
            TEST_ERR(err);
            bool ok = raster_load_buffer(j.data, j.len, PIECE_JPEG, &o, &pages, err);
            if (!ok)
                fail_msg("orientation %d: %s", orientation, ERR_MESSAGE(err));
            assert_card_upright(&pages);
            raster_pages_release(&pages);
            free(j.data);
        }
}

static void test_jpeg_fitted_size_and_dct_scaling(void **state)
{
    (void)state;
    int w = 2400, h = 1600;
    unsigned char *rgb = calloc((size_t)w * h * 3, 1);
    assert_non_null(rgb);
    struct buf j = jpeg_encode(rgb, w, h, 75);
    free(rgb);
    /* 360 pt wide at 100 dpi: 500 pixels, whatever the scan's resolution. */
    struct raster_options o = { NULL, FONTS_DIR, 360, 400, 100, 0, NULL };
    struct raster_pages pages;
    TEST_ERR(err);
    assert_true(raster_load_buffer(j.data, j.len, PIECE_JPEG, &o, &pages, err));
    assert_int_equal(pages.pages[0].width_px, 500);
    assert_int_equal(pages.pages[0].height_px, 333);
    raster_pages_release(&pages);
    free(j.data);
}

static struct buf png_from_surface(cairo_surface_t *s)
{
    struct buf b = { 0 };
    assert_int_equal(cairo_surface_write_to_png_stream(s, buf_write, &b), CAIRO_STATUS_SUCCESS);
    return b;
}

static void test_png_alpha_flattened_on_white(void **state)
{
    (void)state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, UP_W, UP_H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgba(cr, 0, 0, 0, 0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 1, 0, 0);
    cairo_rectangle(cr, 4, 4, 16, 16);
    cairo_fill(cr);
    cairo_destroy(cr);
    struct buf png = png_from_surface(s);
    cairo_surface_destroy(s);
    struct raster_options o = plain_options();
    struct raster_pages pages;
    TEST_ERR(err);
    assert_true(raster_load_buffer(png.data, png.len, PIECE_PNG, &o, &pages, err));
    unsigned char *rgb = page_rgb(&pages.pages[0]);
    assert_true(is_colour(pixel(rgb, &pages.pages[0], 12.0 / UP_W, 12.0 / UP_H), 0));
    /* Transparent became white, not black. */
    const unsigned char *bg = pixel(rgb, &pages.pages[0], 0.7, 0.7);
    assert_true(bg[0] > 245 && bg[1] > 245 && bg[2] > 245);
    free(rgb);
    raster_pages_release(&pages);
    free(png.data);
}

static void png_write_buf(png_structp png, png_bytep data, size_t len)
{
    buf_add(png_get_io_ptr(png), data, len);
}

static void png_flush_none(png_structp png)
{
    (void)png;
}

/* A 16-bit RGB PNG through libpng: blue top half, white bottom half. */
static struct buf png16(int w, int h)
{
    struct buf b = { 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(png);
    assert_non_null(info);
    png_set_write_fn(png, &b, png_write_buf, png_flush_none);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 16, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    unsigned char *row = malloc((size_t)w * 6);
    assert_non_null(row);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            bool blue = y < h / 2;
            unsigned char v = 0xFF, rg = blue ? 0 : 0xFF;
            unsigned char px[6] = { rg, rg, rg, rg, v, v };
            memcpy(row + x * 6, px, 6);
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return b;
}

static void test_png_16_bit(void **state)
{
    (void)state;
    struct buf p = png16(60, 40);
    struct raster_options o = plain_options();
    struct raster_pages pages;
    TEST_ERR(err);
    assert_true(raster_load_buffer(p.data, p.len, PIECE_PNG, &o, &pages, err));
    unsigned char *rgb = page_rgb(&pages.pages[0]);
    assert_true(is_colour(pixel(rgb, &pages.pages[0], 0.5, 0.2), 2));
    const unsigned char *w = pixel(rgb, &pages.pages[0], 0.5, 0.8);
    assert_true(w[0] > 240 && w[1] > 240 && w[2] > 240);
    free(rgb);
    raster_pages_release(&pages);
    free(p.data);
}

/* A PDF of COUNT A6 pages, page i filled with grey level i / COUNT. */
static struct buf pdf_pages(int count)
{
    struct buf b = { 0 };
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(buf_write, &b, 298, 420);
    cairo_t *cr = cairo_create(s);
    for (int i = 0; i < count; i++) {
        double g = (double)i / count;
        cairo_set_source_rgb(cr, g, g, g);
        cairo_rectangle(cr, 20, 20, 258, 380);
        cairo_fill(cr);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return b;
}

static void test_pdf_one_image_per_page(void **state)
{
    (void)state;
    struct buf p = pdf_pages(3);
    struct raster_options o = plain_options();
    struct raster_pages pages;
    TEST_ERR(err);
    assert_true(raster_load_buffer(p.data, p.len, PIECE_PDF, &o, &pages, err));
    assert_int_equal(pages.count, 3);
    for (size_t i = 0; i < pages.count; i++) {
        assert_true(pages.pages[i].height_px > pages.pages[i].width_px);
        unsigned char *rgb = page_rgb(&pages.pages[i]);
        const unsigned char *margin = pixel(rgb, &pages.pages[i], 0.01, 0.01);
        const unsigned char *inside = pixel(rgb, &pages.pages[i], 0.5, 0.5);
        assert_true(margin[0] > 245);           /* white background under the page */
        int want = (int)(255.0 * (double)i / 3);
        assert_true(abs(inside[0] - want) < 12);
        free(rgb);
    }
    raster_pages_release(&pages);
    free(p.data);
}

static void test_pdf_page_cap(void **state)
{
    (void)state;
    struct buf p = pdf_pages(RASTER_MAX_PAGES + 1);
    struct raster_options o = plain_options();
    struct raster_pages pages;
    TEST_ERR(err);
    assert_false(raster_load_buffer(p.data, p.len, PIECE_PDF, &o, &pages, err));
    assert_string_equal(ERR_CODE(err), "piece.too_many_pages");
    assert_non_null(strstr(ERR_MESSAGE(err), "11 pages"));
    assert_non_null(strstr(ERR_MESSAGE(err), "10 pages"));
    assert_int_equal(pages.count, 0);
    assert_null(pages.pages);
    free(p.data);
}

/* --- watermark ---------------------------------------------------------------- */

static size_t dark_pixels(const struct raster_page *p)
{
    unsigned char *rgb = page_rgb(p);
    size_t n = 0;
    for (size_t i = 0; i < (size_t)p->width_px * p->height_px; i++)
        if (rgb[i * 3] < 225)
            n++;
    free(rgb);
    return n;
}

static void test_watermark_in_pixels(void **state)
{
    (void)state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 260);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_destroy(cr);
    struct buf png = png_from_surface(s);
    cairo_surface_destroy(s);
    struct raster_options o = { "Copie destinée exclusivement à Ardoise — demande n° 1 — 01/01/2026",
                                FONTS_DIR, 400, 260, 144, 0, NULL };
    struct raster_pages marked, plain;
    TEST_ERR(err);
    assert_true(raster_load_buffer(png.data, png.len, PIECE_PNG, &o, &marked, err));
    o.watermark = NULL;
    assert_true(raster_load_buffer(png.data, png.len, PIECE_PNG, &o, &plain, err));
    size_t total = (size_t)marked.pages[0].width_px * marked.pages[0].height_px;
    size_t with = dark_pixels(&marked.pages[0]), without = dark_pixels(&plain.pages[0]);
    assert_int_equal(without, 0);
    /* Text over the whole image, yet most of it left clear. */
    assert_true(with > total / 50);
    assert_true(with < total / 3);
    raster_pages_release(&marked);
    raster_pages_release(&plain);

    /* The mask kept between the pieces of a dossier gives the pixels drawn anew; a
     * piece of another size or another text gets its own. */
    struct raster_watermark kept = { 0 };
    struct raster_pages again;
    o.watermark = "Copie destinée exclusivement à Ardoise — demande n° 1 — 01/01/2026";
    assert_true(raster_load_buffer(png.data, png.len, PIECE_PNG, &o, &marked, err));
    o.kept = &kept;
    assert_true(raster_load_buffer(png.data, png.len, PIECE_PNG, &o, &plain, err));
    assert_non_null(kept.mask);
    void *mask = kept.mask;
    assert_true(raster_load_buffer(png.data, png.len, PIECE_PNG, &o, &again, err));
    assert_ptr_equal(kept.mask, mask);
    assert_int_equal(marked.pages[0].jpeg_len, again.pages[0].jpeg_len);
    assert_memory_equal(marked.pages[0].jpeg, again.pages[0].jpeg, again.pages[0].jpeg_len);
    raster_pages_release(&again);
    raster_pages_release(&plain);
    o.watermark = "Copie destinée exclusivement à Ardoise — demande n° 2 — 01/01/2026";
    assert_true(raster_load_buffer(png.data, png.len, PIECE_PNG, &o, &again, err));
    assert_string_equal(kept.text, o.watermark);
    assert_int_not_equal(marked.pages[0].jpeg_len == again.pages[0].jpeg_len &&
                         memcmp(marked.pages[0].jpeg, again.pages[0].jpeg, again.pages[0].jpeg_len) == 0, 1);
    raster_watermark_release(&kept);
    raster_pages_release(&again);
    raster_pages_release(&marked);

    o.kept = NULL;
    o.watermark = "x";
    o.fonts_dir = "/nonexistent";
    assert_false(raster_load_buffer(png.data, png.len, PIECE_PNG, &o, &marked, err));
    assert_string_equal(ERR_CODE(err), "render.watermark");
    free(png.data);
}

/* --- bad files ------------------------------------------------------------------ */

static void expect_failure(const unsigned char *data, size_t len, int type, const char *code, const char *words)
{
    struct raster_options o = plain_options();
    o.watermark = "filigrane";
    struct raster_pages pages = { (struct raster_page *)&pages, 99 };
    TEST_ERR(err);
    unsigned char *c = exact_copy(data, len);
    bool ok = raster_load_buffer(c, len, type, &o, &pages, err);
    free(c);
    if (ok)
        fail_msg("accepted, expected %s", code);
    assert_string_equal(ERR_CODE(err), code);
    if (words && !strstr(ERR_MESSAGE(err), words))
        fail_msg("« %s » lacks « %s »", ERR_MESSAGE(err), words);
    assert_int_equal(pages.count, 0);
    assert_null(pages.pages);
}

static void test_bad_zero_bytes_and_text(void **state)
{
    (void)state;
    expect_failure((const unsigned char *)"", 0, PIECE_JPEG, "piece.empty", "vide");
    const char *text = "Ceci n'est pas une image.\n";
    expect_failure((const unsigned char *)text, strlen(text), PIECE_JPEG, "piece.type", "ni du JPEG");
}

static void test_bad_mislabelled(void **state)
{
    (void)state;
    struct buf j = card_jpeg(1, false);
    expect_failure(j.data, j.len, PIECE_PNG, "piece.type", "JPEG");
    expect_failure(j.data, j.len, PIECE_PDF, "piece.type", "JPEG");
    free(j.data);
}

static void test_bad_truncated_jpeg(void **state)
{
    (void)state;
    struct buf j = card_jpeg(6, true);
    expect_failure(j.data, j.len / 2, PIECE_JPEG, "piece.corrupt", "JPEG illisible ou tronquée");
    /* Every cut of the file fails cleanly (or, at the very end, may still decode). */
    for (size_t n = 3; n + 2 < j.len; n += 7) {
        struct raster_options o = plain_options();
        struct raster_pages pages;
        TEST_ERR(err);
        unsigned char *c = exact_copy(j.data, n);
        assert_false(raster_load_buffer(c, n, PIECE_JPEG, &o, &pages, err));
        assert_non_null(ERR_CODE(err));
        free(c);
    }
    free(j.data);
}

/* Camera files sometimes hold stray bytes before a marker: libjpeg warns
 * ("extraneous bytes before marker") yet the image is whole, and it is accepted;
 * a cut file, which never reaches its end marker, is still refused (above). */
static void test_jpeg_extraneous_bytes_accepted(void **state)
{
    (void)state;
    struct buf j = card_jpeg(1, false);
    assert_true(j.len > 4 && j.data[j.len - 2] == 0xFF && j.data[j.len - 1] == 0xD9);
    struct buf odd = { 0 };
    buf_add(&odd, j.data, j.len - 2);
    buf_add(&odd, "stray bytes from a camera firmware", 34);
    buf_add(&odd, "\xFF\xD9", 2);
    struct raster_options o = plain_options();
    struct raster_pages pages;
    TEST_ERR(err);
    assert_true(raster_load_buffer(odd.data, odd.len, PIECE_JPEG, &o, &pages, err));
    assert_card_upright(&pages);
    raster_pages_release(&pages);
    free(odd.data);
    free(j.data);
}

/* Patches the size in the SOF0 segment of a real JPEG. */
static void patch_sof(struct buf *j, unsigned w, unsigned h)
{
    for (size_t i = 2; i + 9 < j->len; i++)
        if (j->data[i] == 0xFF && (j->data[i + 1] == 0xC0 || j->data[i + 1] == 0xC2)) {
            j->data[i + 5] = (unsigned char)(h >> 8);
            j->data[i + 6] = (unsigned char)h;
            j->data[i + 7] = (unsigned char)(w >> 8);
            j->data[i + 8] = (unsigned char)w;
            return;
        }
    fail_msg("no SOF marker");
}

static void test_bad_jpeg_bomb(void **state)
{
    (void)state;
    struct buf j = card_jpeg(1, false);
    patch_sof(&j, 30000, 30000);
    expect_failure(j.data, j.len, PIECE_JPEG, "piece.too_large_image", "30000 x 30000");
    patch_sof(&j, 12001, 8);
    expect_failure(j.data, j.len, PIECE_JPEG, "piece.too_large_image", "12001 x 8");
    patch_sof(&j, 8000, 6000);                  /* 48 megapixels */
    expect_failure(j.data, j.len, PIECE_JPEG, "piece.too_large_image", "8000 x 6000");
    free(j.data);
}

static void test_bad_png(void **state)
{
    (void)state;
    struct buf bomb = png_declaring(100000, 100000, "\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
    expect_failure(bomb.data, bomb.len, PIECE_PNG, "piece.too_large_image", "100000 x 100000");
    free(bomb.data);
    struct buf corrupt = png_declaring(20, 20, "not zlib data at all", 20);
    expect_failure(corrupt.data, corrupt.len, PIECE_PNG, "piece.corrupt", "PNG illisible");
    free(corrupt.data);
    struct buf zero = png_declaring(0, 10, "x", 1);
    expect_failure(zero.data, zero.len, PIECE_PNG, "piece.corrupt", NULL);
    free(zero.data);
    expect_failure((const unsigned char *)"\x89PNG\r\n\x1a\n", 8, PIECE_PNG, "piece.corrupt", "IHDR");
    /* Every cut of a good PNG fails cleanly. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 30, 20);
    struct buf good = png_from_surface(s);
    cairo_surface_destroy(s);
    for (size_t n = 8; n < good.len; n += 3)
        expect_failure(good.data, n, PIECE_PNG, "piece.corrupt", NULL);
    free(good.data);
}

static void test_bad_pdf(void **state)
{
    (void)state;
    const char *garbage = "%PDF-1.4\ngarbage garbage garbage\n%%EOF\n";
    expect_failure((const unsigned char *)garbage, strlen(garbage), PIECE_PDF, "piece.corrupt", "PDF");
    struct buf p = pdf_pages(1);
    expect_failure(p.data, p.len / 3, PIECE_PDF, "piece.corrupt", "PDF");
    free(p.data);
}

static void test_file_errors(void **state)
{
    (void)state;
    struct raster_options o = plain_options();
    struct raster_pages pages;
    TEST_ERR(err);
    assert_false(raster_load_piece("/nonexistent/piece.jpg", PIECE_JPEG, &o, &pages, err));
    assert_string_equal(ERR_CODE(err), "piece.unreadable");
    assert_int_equal(pages.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exif_all_orientations_both_orders),
        cmocka_unit_test(test_exif_after_other_app1),
        cmocka_unit_test(test_exif_invalid_values),
        cmocka_unit_test(test_exif_absent),
        cmocka_unit_test(test_exif_every_truncation),
        cmocka_unit_test(test_exif_garbage_never_crashes),
        cmocka_unit_test(test_exif_huge_ifd_count),
        cmocka_unit_test(test_png_size),
        cmocka_unit_test(test_jpeg_every_orientation_upright),
        cmocka_unit_test(test_jpeg_fitted_size_and_dct_scaling),
        cmocka_unit_test(test_png_alpha_flattened_on_white),
        cmocka_unit_test(test_png_16_bit),
        cmocka_unit_test(test_pdf_one_image_per_page),
        cmocka_unit_test(test_pdf_page_cap),
        cmocka_unit_test(test_watermark_in_pixels),
        cmocka_unit_test(test_bad_zero_bytes_and_text),
        cmocka_unit_test(test_bad_mislabelled),
        cmocka_unit_test(test_bad_truncated_jpeg),
        cmocka_unit_test(test_jpeg_extraneous_bytes_accepted),
        cmocka_unit_test(test_bad_jpeg_bomb),
        cmocka_unit_test(test_bad_png),
        cmocka_unit_test(test_bad_pdf),
        cmocka_unit_test(test_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
