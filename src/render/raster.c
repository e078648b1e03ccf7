/* Attached pieces turned into upright, watermarked JPEG images for the PDF: decode,
 * orient, flatten, watermark and re-encode with cairo (see raster.h). */
#include "raster.h"
#include "../rules/piece.h"
#include "../util/diag.h"
#include "../util/fileio.h"

#include <cairo.h>
#include <cairo-ft.h>
#include <errno.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include "popplerdl.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

/* cairo's RGB24 pixels are native-endian 32-bit words 0xXXRRGGBB. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CAIRO_TJ_FORMAT TJPF_BGRX
#else
#define CAIRO_TJ_FORMAT TJPF_XRGB
#endif

/* The copies' JPEG settings, chosen by looking at the pages at 200 and 300 dpi: at
 * quality 60, 4:2:0, the ID specimens' smallest print and the watermark read as at
 * 85, and a page's image is 45 % smaller (so are the PDF, its digests and its
 * writing). The fast DCT costs nothing visible at that quality. */
#define JPEG_QUALITY 60
/* The piece is resampled and re-encoded after decoding: libjpeg-turbo's fast
 * integer DCT and plain upsampling lose nothing that survives that. */
#define DECODE_FLAGS (TJFLAG_FASTDCT | TJFLAG_FASTUPSAMPLE)
#define WATERMARK_FONT "DossierSans-Bold.ttf"
#define WATERMARK_ANGLE (-M_PI / 6.0)      /* -30° */
#define WATERMARK_ALPHA 0.26
#define WATERMARK_MIN_PT 7.0
#define WATERMARK_MAX_PT 16.0

struct size {
    int w, h;
};

__attribute__((format(printf, 3, 4)))
static bool fail(const struct diag_target *err, const char *code, const char *format, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    return diag_report(err, code, "%s", message);
}

/* --- EXIF orientation ------------------------------------------------------ */

static unsigned read16(const unsigned char *p, bool big_endian)
{
    return big_endian ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

static uint32_t read32(const unsigned char *p, bool big_endian)
{
    return big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                      : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Tag 0x0112 of IFD0 in the TIFF structure T[0..SIZE) that follows "Exif\0\0";
 * 0 when absent or malformed. Every offset is checked against SIZE before use. */
static int tiff_orientation(const unsigned char *t, size_t size)
{
    if (size < 8)
        return 0;
    bool big;
    if (t[0] == 'M' && t[1] == 'M')
        big = true;
    else if (t[0] == 'I' && t[1] == 'I')
        big = false;
    else
        return 0;
    if (read16(t + 2, big) != 42)
        return 0;
    uint32_t ifd = read32(t + 4, big);
    if (ifd > size || size - ifd < 2)
        return 0;
    size_t count = read16(t + ifd, big);
    size_t room = (size - ifd - 2) / 12;
    if (count > room)
        count = room;
    for (size_t i = 0; i < count; i++) {
        const unsigned char *e = t + ifd + 2 + 12 * i;
        if (read16(e, big) != 0x0112)
            continue;
        /* SHORT (3), at least one value, stored in the first two bytes of the field. */
        if (read16(e + 2, big) != 3 || read32(e + 4, big) < 1)
            return 0;
        unsigned v = read16(e + 8, big);
        return v >= 1 && v <= 8 ? (int)v : 0;
    }
    return 0;
}

int raster_exif_orientation(const unsigned char *jpeg, size_t len)
{
    if (!jpeg || len < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        return 1;
    size_t pos = 2;
    while (len - pos >= 4) {
        if (jpeg[pos] != 0xFF)
            return 1;
        unsigned char marker = jpeg[pos + 1];
        if (marker == 0xFF) {           /* fill byte before a marker */
            pos++;
            continue;
        }
        /* Exif comes before the image data; past SOS or EOI there is none. */
        if (marker == 0xDA || marker == 0xD9)
            return 1;
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;                   /* markers without a length */
            continue;
        }
        size_t seg = (size_t)jpeg[pos + 2] << 8 | jpeg[pos + 3];
        if (seg < 2 || seg > len - pos - 2)
            return 1;
        const unsigned char *data = jpeg + pos + 4;
        size_t data_len = seg - 2;
        if (marker == 0xE1 && data_len >= 6 && memcmp(data, "Exif\0\0", 6) == 0) {
            int o = tiff_orientation(data + 6, data_len - 6);
            return o ? o : 1;
        }
        pos += 2 + seg;
    }
    return 1;
}

/* --- sizes ---------------------------------------------------------------- */

bool raster_png_size(const unsigned char *png, size_t len, uint32_t *width, uint32_t *height)
{
    /* signature, then the IHDR chunk: length 13, type, width, height, ... , CRC */
    if (!png || len < 33 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0)
        return false;
    if (read32(png + 8, true) != 13 || memcmp(png + 12, "IHDR", 4) != 0)
        return false;
    *width = read32(png + 16, true);
    *height = read32(png + 20, true);
    return true;
}

/* Refuses a declared size before any pixel is allocated (decompression bombs). */
static bool check_pixels(uint64_t w, uint64_t h, const struct diag_target *err)
{
    if (w == 0 || h == 0)
        return fail(err, "piece.corrupt", "image de taille nulle (%llu x %llu pixels)",
                    (unsigned long long)w, (unsigned long long)h);
    if (w > RASTER_MAX_SIDE || h > RASTER_MAX_SIDE || w * h > RASTER_MAX_PIXELS)
        return fail(err, "piece.too_large_image",
                    "image trop grande : %llu x %llu pixels (limite : %u pixels de côté, %u millions de pixels)",
                    (unsigned long long)w, (unsigned long long)h, RASTER_MAX_SIDE, RASTER_MAX_PIXELS / 1000000u);
    return true;
}

static double dpi_of(const struct raster_options *o)
{
    return o->dpi > 0 ? o->dpi : RASTER_DEFAULT_DPI;
}

/* Pixel size at which an upright W x H image fills the options' box at their dpi:
 * what the page shows, no more (a 24-megapixel scan of a card needs far less). */
static struct size fitted_size(double w, double h, const struct raster_options *o)
{
    double box_w = o->max_width_pt > 0 ? o->max_width_pt : 480.0;
    double box_h = o->max_height_pt > 0 ? o->max_height_pt : 680.0;
    double scale = fmin(box_w / w, box_h / h) * dpi_of(o) / 72.0;
    double tw = fmin(fmax(round(w * scale), 1), RASTER_MAX_SIDE);
    double th = fmin(fmax(round(h * scale), 1), RASTER_MAX_SIDE);
    return (struct size){ (int)tw, (int)th };
}

/* --- canvas --------------------------------------------------------------- */

/* An opaque image, white unless what is painted on it will cover it whole (WHITE
 * false): painting on white flattens any alpha, so no soft mask ever reaches the PDF. */
static cairo_surface_t *canvas_new(struct size s, bool white, const struct diag_target *err)
{
    cairo_surface_t *c = cairo_image_surface_create(CAIRO_FORMAT_RGB24, s.w, s.h);
    if (cairo_surface_status(c) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(c);
        fail(err, "render.image", "mémoire insuffisante pour une image de %d x %d pixels", s.w, s.h);
        return NULL;
    }
    if (!white)
        return c;
    cairo_t *cr = cairo_create(c);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_destroy(cr);
    return c;
}

/* Maps the stored W x H image to its upright position for EXIF ORIENTATION
 * (x' = xx x + xy y + x0, y' = yx x + yy y + y0). */
static void orientation_matrix(int orientation, double w, double h, cairo_matrix_t *m)
{
    switch (orientation) {
    case 2: cairo_matrix_init(m, -1, 0, 0, 1, w, 0); break;    /* mirrored */
    case 3: cairo_matrix_init(m, -1, 0, 0, -1, w, h); break;   /* 180° */
    case 4: cairo_matrix_init(m, 1, 0, 0, -1, 0, h); break;    /* upside-down mirror */
    case 5: cairo_matrix_init(m, 0, 1, 1, 0, 0, 0); break;     /* transpose */
    case 6: cairo_matrix_init(m, 0, 1, -1, 0, h, 0); break;    /* 90° clockwise */
    case 7: cairo_matrix_init(m, 0, -1, -1, 0, h, w); break;   /* transverse */
    case 8: cairo_matrix_init(m, 0, -1, 1, 0, 0, w); break;    /* 90° counter-clockwise */
    default: cairo_matrix_init_identity(m); break;
    }
}

/* SRC turned upright and scaled to the fitted size, on white. */
static cairo_surface_t *compose_upright(cairo_surface_t *src, int orientation,
                                        const struct raster_options *o, const struct diag_target *err)
{
    double w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
    bool swap = orientation >= 5;
    double uw = swap ? h : w, uh = swap ? w : h;
    struct size t = fitted_size(uw, uh, o);
    /* An opaque source (JPEG, PNG without alpha) covers the canvas whole: it is copied
     * rather than blended over white, a pass less over the pixels. */
    bool opaque = cairo_image_surface_get_format(src) == CAIRO_FORMAT_RGB24;
    cairo_surface_t *canvas = canvas_new(t, !opaque, err);
    if (!canvas)
        return NULL;
    cairo_t *cr = cairo_create(canvas);
    if (opaque)
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_scale(cr, t.w / uw, t.h / uh);
    cairo_matrix_t m;
    orientation_matrix(orientation, w, h, &m);
    cairo_transform(cr, &m);
    cairo_set_source_surface(cr, src, 0, 0);
    /* PAD keeps the edges from fading into the white while resampling. Bilinear is
     * right down to half size (JPEGs arrive there by DCT scaling) and twice as fast
     * as GOOD on a turned image; GOOD averages properly below that. */
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    bool shrink = t.w < uw / 2 || t.h < uh / 2;
    cairo_pattern_set_filter(cairo_get_source(cr), shrink ? CAIRO_FILTER_GOOD : CAIRO_FILTER_BILINEAR);
    cairo_paint(cr);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(canvas);
        fail(err, "render.image", "cairo : %s", cairo_status_to_string(status));
        return NULL;
    }
    return canvas;
}

/* --- watermark ------------------------------------------------------------- */

/* The FreeType library and face behind a cairo font face. cairo may keep the font
 * face (in its font caches) after we drop it, so both are released from its
 * user-data destroy callback, as cairo_ft_font_face_create_for_ft_face asks. One
 * library per face keeps worker threads from sharing a FT_Library. */
struct ft_owner {
    FT_Library library;
    FT_Face face;
};

static const cairo_user_data_key_t ft_owner_key;

static void ft_owner_release(void *data)
{
    struct ft_owner *owner = data;
    if (owner->face)
        FT_Done_Face(owner->face);
    FT_Done_FreeType(owner->library);
    free(owner);
}

/* The project's own font file, so the output does not depend on installed fonts. */
static cairo_font_face_t *watermark_font(const char *fonts_dir, const struct diag_target *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", fonts_dir ? fonts_dir : "fonts", WATERMARK_FONT);
    struct ft_owner *owner = calloc(1, sizeof *owner);
    if (!owner || FT_Init_FreeType(&owner->library) != 0) {
        free(owner);
        fail(err, "render.watermark", "FreeType : initialisation impossible");
        return NULL;
    }
    if (FT_New_Face(owner->library, path, 0, &owner->face) != 0) {
        owner->face = NULL;
        ft_owner_release(owner);
        fail(err, "render.watermark", "police du filigrane introuvable ou illisible : %s", path);
        return NULL;
    }
    cairo_font_face_t *face = cairo_ft_font_face_create_for_ft_face(owner->face, 0);
    if (cairo_font_face_status(face) != CAIRO_STATUS_SUCCESS ||
        cairo_font_face_set_user_data(face, &ft_owner_key, owner, ft_owner_release) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(face);
        ft_owner_release(owner);
        fail(err, "render.watermark", "cairo : police du filigrane inutilisable");
        return NULL;
    }
    return face;
}

/* TEXT in rows at -30° over a W x H image, as coverage (the alpha of a transparent
 * image: cairo draws glyphs into ARGB32 four times faster than into A8): any crop of
 * the copy still carries it, and the document under it stays readable. The middle
 * row holds the whole sentence once, centred. */
static cairo_surface_t *watermark_mask(int width, int height, const char *text, const struct raster_options *o,
                                       const struct diag_target *err)
{
    cairo_font_face_t *face = watermark_font(o->fonts_dir, err);
    if (!face)
        return NULL;
    cairo_surface_t *mask = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    double w = width, h = height;
    double px_per_pt = dpi_of(o) / 72.0;
    cairo_t *cr = cairo_create(mask);
    cairo_set_font_face(cr, face);
    cairo_set_font_size(cr, 100);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text, &ext);
    /* Longest -30° line through the centre that stays inside the image. */
    double span = fmin(w / cos(WATERMARK_ANGLE), h / -sin(WATERMARK_ANGLE));
    double size = ext.x_advance > 0 ? 100 * 0.9 * span / ext.x_advance : WATERMARK_MAX_PT * px_per_pt;
    size = fmin(fmax(size, WATERMARK_MIN_PT * px_per_pt), WATERMARK_MAX_PT * px_per_pt);
    cairo_set_font_size(cr, size);
    cairo_text_extents(cr, text, &ext);
    double step_x = ext.x_advance + 3 * size, step_y = 3.5 * size;
    double radius = hypot(w, h) / 2;
    cairo_translate(cr, w / 2, h / 2);
    cairo_rotate(cr, WATERMARK_ANGLE);
    int rows = (int)ceil(radius / step_y) + 1;
    for (int j = -rows; j <= rows; j++) {
        /* Every other row is shifted by half a repeat, like bricks. */
        double x0 = -ext.x_advance / 2 + (j & 1 ? step_x / 2 : 0);
        double y = j * step_y + size / 3;
        int k0 = (int)floor((-radius - x0) / step_x) - 1, k1 = (int)ceil((radius - x0) / step_x);
        for (int k = k0; k <= k1; k++) {
            cairo_move_to(cr, x0 + k * step_x, y);
            cairo_show_text(cr, text);
        }
    }
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_font_face_destroy(face);
    if (status != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(mask);
        fail(err, "render.watermark", "cairo : %s", cairo_status_to_string(status));
        return NULL;
    }
    return mask;
}

/* The watermark burned into CANVAS's pixels, semi-transparent. Its mask is drawn
 * once for a size and text and kept in O->kept: the ID copies of a dossier share it
 * (drawing the glyphs was a fifth of a copy's time; applying a mask is a single pass). */
static bool watermark_draw(cairo_surface_t *canvas, const char *text, const struct raster_options *o,
                           const struct diag_target *err)
{
    if (!text || !*text)
        return true;
    int w = cairo_image_surface_get_width(canvas), h = cairo_image_surface_get_height(canvas);
    struct raster_watermark own = { 0 }, *kept = o->kept ? o->kept : &own;
    if (!kept->mask || kept->width != w || kept->height != h || strcmp(kept->text, text) != 0) {
        raster_watermark_release(kept);
        kept->mask = watermark_mask(w, h, text, o, err);
        kept->text = strdup(text);
        if (!kept->text)
            abort();
        kept->width = w;
        kept->height = h;
        if (!kept->mask) {
            raster_watermark_release(kept);
            return false;
        }
    }
    cairo_t *cr = cairo_create(canvas);
    cairo_set_source_rgba(cr, 0.20, 0.20, 0.24, WATERMARK_ALPHA);
    cairo_mask_surface(cr, kept->mask, 0, 0);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    raster_watermark_release(&own);
    if (status != CAIRO_STATUS_SUCCESS)
        return fail(err, "render.watermark", "cairo : %s", cairo_status_to_string(status));
    return true;
}

void raster_watermark_release(struct raster_watermark *w)
{
    if (w->mask)
        cairo_surface_destroy(w->mask);
    free(w->text);
    memset(w, 0, sizeof *w);
}

/* --- output ----------------------------------------------------------------- */

/* The canvas as a baseline JPEG. The piece's own JPEG bytes cannot be passed
 * through to the PDF untouched: the watermark must be in the pixels, and the
 * orientation applied to them. */
static bool canvas_encode(cairo_surface_t *canvas, struct raster_page *page, const struct diag_target *err)
{
    cairo_surface_flush(canvas);
    int w = cairo_image_surface_get_width(canvas), h = cairo_image_surface_get_height(canvas);
    tjhandle tj = tjInitCompress();
    if (!tj)
        return fail(err, "render.image", "libturbojpeg : initialisation impossible");
    unsigned char *jpeg = NULL;
    unsigned long jpeg_len = 0;
    int rc = tjCompress2(tj, cairo_image_surface_get_data(canvas), w, cairo_image_surface_get_stride(canvas),
                         h, CAIRO_TJ_FORMAT, &jpeg, &jpeg_len, TJSAMP_420, JPEG_QUALITY, TJFLAG_FASTDCT);
    if (rc != 0) {
        fail(err, "render.image", "encodage JPEG impossible (%s)", tjGetErrorStr2(tj));
        tjFree(jpeg);
        tjDestroy(tj);
        return false;
    }
    tjDestroy(tj);
    *page = (struct raster_page){ jpeg, jpeg_len, w, h };
    return true;
}

static bool pages_push(struct raster_pages *out, const struct raster_page *page)
{
    struct raster_page *grown = realloc(out->pages, (out->count + 1) * sizeof *grown);
    if (!grown)
        return false;
    out->pages = grown;
    out->pages[out->count++] = *page;
    return true;
}

/* Watermark, encode, append to OUT; CANVAS is consumed. */
static bool canvas_finish(cairo_surface_t *canvas, const struct raster_options *o, struct raster_pages *out,
                          const struct diag_target *err)
{
    struct raster_page page;
    bool ok = watermark_draw(canvas, o->watermark, o, err) && canvas_encode(canvas, &page, err);
    cairo_surface_destroy(canvas);
    if (!ok)
        return false;
    if (!pages_push(out, &page)) {
        tjFree(page.jpeg);
        return fail(err, "render.image", "mémoire insuffisante");
    }
    return true;
}

void raster_pages_release(struct raster_pages *pages)
{
    for (size_t i = 0; i < pages->count; i++)
        tjFree(pages->pages[i].jpeg);   /* allocated by tjCompress2 */
    free(pages->pages);
    pages->pages = NULL;
    pages->count = 0;
}

/* --- JPEG ------------------------------------------------------------------- */

/* The smallest DCT scaling factor (never above 1) that still decodes W x H to at
 * least NEED_W x NEED_H: a large scan is decoded at a fraction of its size. */
static tjscalingfactor dct_factor(int w, int h, int need_w, int need_h)
{
    tjscalingfactor best = { 1, 1 };
    int n = 0;
    tjscalingfactor *f = tjGetScalingFactors(&n);
    for (int i = 0; f && i < n; i++) {
        /* Only the power-of-two factors have SIMD code in libjpeg-turbo: 7/8 is slower
         * than decoding whole and resampling. */
        if (f[i].num != 1 || (f[i].denom != 1 && f[i].denom != 2 && f[i].denom != 4 && f[i].denom != 8))
            continue;
        int sw = TJSCALED(w, f[i]), sh = TJSCALED(h, f[i]);
        if (sw >= need_w && sh >= need_h && (double)sw * sh < (double)TJSCALED(w, best) * TJSCALED(h, best))
            best = f[i];
    }
    return best;
}

static bool jpeg_failed(tjhandle tj, const struct diag_target *err)
{
    /* A truncated file only raises a warning in libjpeg (the rest is painted
     * grey): a copy of an identity document must be whole, so warnings fail too. */
    return fail(err, "piece.corrupt", "image JPEG illisible ou tronquée (%s%s)",
                tjGetErrorCode(tj) == TJERR_WARNING ? "libjpeg, avertissement : " : "libjpeg : ",
                tjGetErrorStr2(tj));
}

/* Adobe's CMYK JPEGs (the only common ones) store inverted inks: 255 = no ink. */
static void cmyk_to_cairo(const unsigned char *cmyk, int w, int h, cairo_surface_t *s)
{
    unsigned char *row = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++, row += stride) {
        uint32_t *px = (uint32_t *)(void *)row;
        for (int x = 0; x < w; x++, cmyk += 4) {
            uint32_t k = cmyk[3];
            px[x] = 0xFF000000u | (cmyk[0] * k / 255) << 16 | (cmyk[1] * k / 255) << 8 | (cmyk[2] * k / 255);
        }
    }
}

/* True when an end-of-image marker closes the data (trailing padding allowed). */
static bool jpeg_has_eoi(const unsigned char *data, size_t len)
{
    size_t from = len > 4096 ? len - 4096 : 0;
    for (size_t i = len; i-- > from + 1;)
        if (data[i - 1] == 0xFF && data[i] == 0xD9)
            return true;
    return false;
}

/* libjpeg warns about harmless oddities of camera files (extraneous bytes before a
 * marker) as well as about truncation; only a file that reaches its end marker is
 * accepted despite a warning, so a truncated scan is still refused. */
static bool jpeg_decode_ok(tjhandle tj, int rc, const unsigned char *data, size_t len)
{
    return rc == 0 || (tjGetErrorCode(tj) == TJERR_WARNING && jpeg_has_eoi(data, len));
}

static cairo_surface_t *jpeg_decode(tjhandle tj, const unsigned char *data, size_t len, int w, int h,
                                    int colorspace, struct size need, const struct diag_target *err)
{
    tjscalingfactor f = dct_factor(w, h, need.w, need.h);
    int sw = TJSCALED(w, f), sh = TJSCALED(h, f);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sw, sh);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        fail(err, "render.image", "mémoire insuffisante pour une image de %d x %d pixels", sw, sh);
        return NULL;
    }
    int rc;
    if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
        /* libjpeg-turbo does not convert CMYK to RGB itself. */
        unsigned char *cmyk = malloc((size_t)sw * (size_t)sh * 4);
        if (!cmyk) {
            cairo_surface_destroy(s);
            fail(err, "render.image", "mémoire insuffisante pour une image de %d x %d pixels", sw, sh);
            return NULL;
        }
        rc = tjDecompress2(tj, data, (unsigned long)len, cmyk, sw, 0, sh, TJPF_CMYK, DECODE_FLAGS);
        if (jpeg_decode_ok(tj, rc, data, len))
            cmyk_to_cairo(cmyk, sw, sh, s);
        free(cmyk);
    } else {
        cairo_surface_flush(s);
        rc = tjDecompress2(tj, data, (unsigned long)len, cairo_image_surface_get_data(s), sw,
                           cairo_image_surface_get_stride(s), sh, CAIRO_TJ_FORMAT, DECODE_FLAGS);
    }
    if (!jpeg_decode_ok(tj, rc, data, len)) {
        cairo_surface_destroy(s);
        jpeg_failed(tj, err);
        return NULL;
    }
    cairo_surface_mark_dirty(s);
    return s;
}

static bool jpeg_load(const unsigned char *data, size_t len, const struct raster_options *o,
                      struct raster_pages *out, const struct diag_target *err)
{
    tjhandle tj = tjInitDecompress();
    if (!tj)
        return fail(err, "render.image", "libturbojpeg : initialisation impossible");
    int w = 0, h = 0, subsamp = 0, colorspace = 0;
    if (tjDecompressHeader3(tj, data, (unsigned long)len, &w, &h, &subsamp, &colorspace) != 0) {
        jpeg_failed(tj, err);
        tjDestroy(tj);
        return false;
    }
    if (!check_pixels((uint64_t)w, (uint64_t)h, err)) {
        tjDestroy(tj);
        return false;
    }
    int orientation = raster_exif_orientation(data, len);
    bool swap = orientation >= 5;
    struct size t = fitted_size(swap ? h : w, swap ? w : h, o);
    struct size need = swap ? (struct size){ t.h, t.w } : t;
    cairo_surface_t *src = jpeg_decode(tj, data, len, w, h, colorspace, need, err);
    tjDestroy(tj);
    if (!src)
        return false;
    cairo_surface_t *canvas = compose_upright(src, orientation, o, err);
    cairo_surface_destroy(src);
    return canvas && canvas_finish(canvas, o, out, err);
}

/* --- PNG -------------------------------------------------------------------- */

struct png_reader {
    const unsigned char *data;
    size_t len, pos;
};

static cairo_status_t png_read(void *closure, unsigned char *buf, unsigned int length)
{
    struct png_reader *r = closure;
    if (length > r->len - r->pos)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(buf, r->data + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

/* cairo decodes every PNG kind (palette, grey, 16-bit, interlaced, tRNS) to 8-bit
 * ARGB32 or RGB24; the size is checked from the IHDR before cairo allocates. */
static bool png_load(const unsigned char *data, size_t len, const struct raster_options *o,
                     struct raster_pages *out, const struct diag_target *err)
{
    uint32_t w, h;
    if (!raster_png_size(data, len, &w, &h))
        return fail(err, "piece.corrupt", "image PNG illisible (en-tête IHDR absent ou invalide)");
    if (!check_pixels(w, h, err))
        return false;
    struct png_reader reader = { data, len, 0 };
    cairo_surface_t *src = cairo_image_surface_create_from_png_stream(png_read, &reader);
    cairo_status_t status = cairo_surface_status(src);
    if (status != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(src);
        /* cairo reports any libpng error as NO_MEMORY; the size was checked above. */
        bool data_error = status == CAIRO_STATUS_READ_ERROR || status == CAIRO_STATUS_NO_MEMORY;
        return fail(err, "piece.corrupt", "image PNG illisible ou tronquée (%s)",
                    data_error ? "données incomplètes ou corrompues" : cairo_status_to_string(status));
    }
    cairo_surface_t *canvas = compose_upright(src, 1, o, err);
    cairo_surface_destroy(src);
    return canvas && canvas_finish(canvas, o, out, err);
}

/* --- PDF -------------------------------------------------------------------- */

/* Set while the poppler lock is held (popplerdl.h). */
static const struct poppler_api *pp;

static bool pdf_page_load(PopplerDocument *doc, int index, int count, const struct raster_options *o,
                          struct raster_pages *out, const struct diag_target *err)
{
    PopplerPage *page = pp->document_get_page(doc, index);
    if (!page)
        return fail(err, "piece.corrupt", "document PDF illisible : page %d / %d absente", index + 1, count);
    double pw = 0, ph = 0;
    pp->page_get_size(page, &pw, &ph);
    if (!(pw >= 1 && ph >= 1 && pw <= RASTER_MAX_PAGE_PT && ph <= RASTER_MAX_PAGE_PT)) {
        pp->object_unref(page);
        return fail(err, "piece.too_large_image",
                    "page %d / %d du PDF de taille invalide : %.0f x %.0f points (limite : %.0f points de côté)",
                    index + 1, count, pw, ph, RASTER_MAX_PAGE_PT);
    }
    struct size t = fitted_size(pw, ph, o);
    cairo_surface_t *canvas = canvas_new(t, true, err);
    if (!canvas) {
        pp->object_unref(page);
        return false;
    }
    cairo_t *cr = cairo_create(canvas);
    cairo_scale(cr, t.w / pw, t.h / ph);
    pp->page_render(page, cr);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    pp->object_unref(page);
    if (status != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(canvas);
        return fail(err, "piece.corrupt", "page %d / %d du PDF impossible à afficher (%s)", index + 1, count,
                    cairo_status_to_string(status));
    }
    return canvas_finish(canvas, o, out, err);
}

static bool pdf_load_locked(const unsigned char *data, size_t len, const struct raster_options *o,
                            struct raster_pages *out, const struct diag_target *err)
{
    if (len > INT32_MAX)
        return fail(err, "piece.too_large", "document PDF trop volumineux");
    GBytes *bytes = pp->bytes_new_static(data, len);
    GError *gerr = NULL;
    PopplerDocument *doc = pp->document_new_from_bytes(bytes, NULL, &gerr);
    pp->bytes_unref(bytes);
    if (!doc) {
        bool encrypted = gerr && gerr->domain == pp->error_quark() && gerr->code == POPPLER_ERROR_ENCRYPTED;
        if (encrypted)
            fail(err, "piece.encrypted",
                 "document PDF protégé par un mot de passe : joignez une copie non protégée");
        else
            fail(err, "piece.corrupt", "document PDF illisible ou endommagé (%s)",
                 gerr ? gerr->message : "poppler");
        pp->clear_error(&gerr);
        return false;
    }
    int max = o->max_pages > 0 ? o->max_pages : RASTER_MAX_PAGES;
    int n = pp->document_get_n_pages(doc);
    bool ok;
    if (n < 1)
        ok = fail(err, "piece.corrupt", "document PDF illisible ou endommagé (aucune page)");
    else if (n > max)
        ok = fail(err, "piece.too_many_pages", "document PDF de %d pages : au plus %d pages par pièce jointe",
                  n, max);
    else
        ok = true;
    for (int i = 0; ok && i < n; i++)
        ok = pdf_page_load(doc, i, n, o, out, err);
    pp->object_unref(doc);
    return ok;
}

static bool pdf_load(const unsigned char *data, size_t len, const struct raster_options *o,
                     struct raster_pages *out, const struct diag_target *err)
{
    if (!(pp = poppler_acquire()))
        return fail(err, "render.poppler", "bibliothèque poppler-glib introuvable : impossible de lire les pièces PDF "
                                           "(paquet libpoppler-glib8)");
    bool ok = pdf_load_locked(data, len, o, out, err);
    pp = NULL;
    poppler_release();
    return ok;
}

/* --- entry points ----------------------------------------------------------- */

bool raster_load_buffer(const unsigned char *data, size_t len, enum piece_type type,
                        const struct raster_options *options, struct raster_pages *out,
                        const struct diag_target *err)
{
    memset(out, 0, sizeof *out);
    if (!data || len == 0)
        return fail(err, "piece.empty", "fichier vide (0 octet)");
    /* The content decides, whatever the caller or the file name claims. */
    enum piece_type actual = piece_sniff(data, len);
    if (actual == PIECE_NONE)
        return fail(err, "piece.type", "le contenu n'est ni du JPEG, ni du PNG, ni du PDF");
    if (type != PIECE_NONE && actual != type)
        return fail(err, "piece.type", "le contenu est du %s et non du %s", piece_type_name(actual),
                    piece_type_name(type));
    bool ok;
    switch (actual) {
    case PIECE_JPEG: ok = jpeg_load(data, len, options, out, err); break;
    case PIECE_PNG: ok = png_load(data, len, options, out, err); break;
    default: ok = pdf_load(data, len, options, out, err); break;
    }
    if (!ok)
        raster_pages_release(out);
    return ok;
}

bool raster_load_piece(const char *path, enum piece_type type, const struct raster_options *options,
                       struct raster_pages *out, const struct diag_target *err)
{
    memset(out, 0, sizeof *out);
    size_t len = 0;
    char *data = file_read_all(path, PIECE_MAX_BYTES, &len);
    if (!data) {
        if (errno == EFBIG)
            return fail(err, "piece.too_large", "fichier au-delà de la limite de %u Mo",
                        PIECE_MAX_BYTES / (1024u * 1024u));
        return fail(err, "piece.unreadable", "lecture impossible (%s)", strerror(errno));
    }
    bool ok = raster_load_buffer((const unsigned char *)data, len, type, options, out, err);
    free(data);
    return ok;
}

bool raster_check_piece(const char *path, enum piece_type type, const struct diag_target *err)
{
    /* A one-inch box at 72 dpi: JPEG decodes at 1/8 scale, PDF pages render tiny. */
    const struct raster_options thumbnail = { NULL, NULL, 72.0f, 72.0f, 72.0f, 0, NULL };
    struct raster_pages pages;
    if (!raster_load_piece(path, type, &thumbnail, &pages, err))
        return false;
    raster_pages_release(&pages);
    return true;
}
