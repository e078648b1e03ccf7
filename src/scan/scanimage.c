/* Reading scanned pages: poppler for PDF, turbojpeg, cairo (PNG), libtiff. */
#include "scanimage.h"
#include "scanlibs.h"
#include "../render/popplerdl.h"
#include "../render/raster.h"
#include "../util/diag.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

bool gray_alloc(struct gray *g, int w, int h)
{
    g->w = w;
    g->h = h;
    g->px = w > 0 && h > 0 ? malloc((size_t)w * (size_t)h) : NULL;
    return g->px != NULL;
}

void gray_free(struct gray *g)
{
    free(g->px);
    g->px = NULL;
    g->w = g->h = 0;
}

bool gray_shrink(struct gray *g, double factor)
{
    int w = (int)fmax(1, floor(g->w / factor)), h = (int)fmax(1, floor(g->h / factor));
    struct gray out;
    if (!gray_alloc(&out, w, h))
        return false;
    /* Each output pixel averages the source pixels whose centres fall in its area. */
    int *x0 = malloc(sizeof(int) * (size_t)(w + 1));
    if (!x0) {
        gray_free(&out);
        return false;
    }
    for (int x = 0; x <= w; x++)
        x0[x] = x == w ? g->w : (int)(x * factor);
    for (int y = 0; y < h; y++) {
        int ya = (int)(y * factor), yb = y == h - 1 ? g->h : (int)((y + 1) * factor);
        if (yb <= ya)
            yb = ya + 1;
        for (int x = 0; x < w; x++) {
            int xa = x0[x], xb = x0[x + 1] > xa ? x0[x + 1] : xa + 1;
            unsigned sum = 0, n = 0;
            for (int yy = ya; yy < yb && yy < g->h; yy++) {
                const uint8_t *row = g->px + (size_t)yy * (size_t)g->w;
                for (int xx = xa; xx < xb && xx < g->w; xx++) {
                    sum += row[xx];
                    n++;
                }
            }
            out.px[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)(n ? (sum + n / 2) / n : 255);
        }
    }
    free(x0);
    free(g->px);
    *g = out;
    return true;
}

double gray_sample(const struct gray *g, double x, double y)
{
    x -= 0.5;
    y -= 0.5;
    int ix = (int)floor(x), iy = (int)floor(y);
    double fx = x - ix, fy = y - iy;
    double v[4];
    for (int k = 0; k < 4; k++) {
        int px = ix + (k & 1), py = iy + (k >> 1);
        v[k] = px < 0 || py < 0 || px >= g->w || py >= g->h ? 255.0 : g->px[(size_t)py * (size_t)g->w + (size_t)px];
    }
    return (v[0] * (1 - fx) + v[1] * fx) * (1 - fy) + (v[2] * (1 - fx) + v[3] * fx) * fy;
}

/* Pages larger than an A4 page at SCAN_DPI (a 300 or 600 dpi scan) are shrunk to it. */
static bool normalise(struct gray *g)
{
    int longest = g->w > g->h ? g->w : g->h;
    double factor = (double)longest / SCAN_A4_LONG_PX;
    return factor < 1.25 || gray_shrink(g, factor);
}

#define WHY(...) do { diag_add(problems, "scan.unreadable", NULL, (struct source_loc){ name, 0, NULL }, __VA_ARGS__); return false; } while (0)

bool gray_from_surface(cairo_surface_t *s, struct gray *g)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    if (!d || !gray_alloc(g, w, h))
        return false;
    bool alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(d + (size_t)y * (size_t)stride);
        uint8_t *out = g->px + (size_t)y * (size_t)w;
        if (!alpha) {
            /* Luma in fixed point (Rec. 601 weights, out of 256). */
            for (int x = 0; x < w; x++) {
                uint32_t p = row[x];
                out[x] = (uint8_t)((((p >> 16) & 255) * 77 + ((p >> 8) & 255) * 150 + (p & 255) * 29) >> 8);
            }
            continue;
        }
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            unsigned a = p >> 24;
            /* Premultiplied: flatten onto white. */
            unsigned r = ((p >> 16) & 255) + 255 - a, gr = ((p >> 8) & 255) + 255 - a, b = (p & 255) + 255 - a;
            unsigned v = (r * 77 + gr * 150 + b * 29) >> 8;
            out[x] = (uint8_t)(v > 255 ? 255 : v);
        }
    }
    return true;
}

cairo_surface_t *gray_to_surface(const struct gray *g)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, g->w, g->h);
    unsigned char *data = cairo_image_surface_get_data(s);
    if (!data)
        return s;
    int stride = cairo_image_surface_get_stride(s);
    cairo_surface_flush(s);
    for (int y = 0; y < g->h; y++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < g->w; x++) {
            uint32_t v = g->px[(size_t)y * (size_t)g->w + (size_t)x];
            row[x] = v << 16 | v << 8 | v;
        }
    }
    cairo_surface_mark_dirty(s);
    return s;
}

/* --- PDF: what scanners write, one image per page ---------------------------- */

static bool read_pdf(const unsigned char *data, size_t len, const char *name, scan_page_fn fn, void *user,
                     struct dossier_problems *problems)
{
    const struct poppler_api *pp = poppler_acquire();
    if (!pp)
        WHY("bibliothèque poppler-glib introuvable : impossible de lire les PDF (paquet libpoppler-glib8)");
    GBytes *bytes = pp->bytes_new_static(data, len);
    GError *gerr = NULL;
    PopplerDocument *doc = pp->document_new_from_bytes(bytes, NULL, &gerr);
    pp->bytes_unref(bytes);
    if (!doc) {
        pp->clear_error(&gerr);
        poppler_release();
        WHY("PDF illisible ou endommagé");
    }
    int n = pp->document_get_n_pages(doc);
    bool ok = n >= 1 && n <= SCAN_MAX_PAGES, go = true;
    if (!ok)
        diag_add(problems, "scan.unreadable", NULL, (struct source_loc){ name, 0, NULL },
                 "PDF de %d pages (de 1 à %d pages attendues)", n, SCAN_MAX_PAGES);
    for (int i = 0; ok && go && i < n; i++) {
        PopplerPage *page = pp->document_get_page(doc, i);
        double pw = 0, ph = 0;
        if (page)
            pp->page_get_size(page, &pw, &ph);
        double scale = SCAN_DPI / 72.0;
        if (!page || !(pw >= 10 && ph >= 10 && pw <= RASTER_MAX_PAGE_PT && ph <= RASTER_MAX_PAGE_PT) ||
            pw * ph * scale * scale > RASTER_MAX_PIXELS) {
            if (page)
                pp->object_unref(page);
            diag_add(problems, "scan.unreadable", NULL, (struct source_loc){ name, 0, NULL },
                     "page %d du PDF illisible ou de taille invalide", i + 1);
            ok = false;
            break;
        }
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(pw * scale),
                                                        (int)ceil(ph * scale));
        cairo_t *cr = cairo_create(s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, scale, scale);
        pp->page_render(page, cr);
        cairo_destroy(cr);
        pp->object_unref(page);
        struct gray g = { 0 };
        ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && gray_from_surface(s, &g) && normalise(&g);
        cairo_surface_destroy(s);
        if (!ok) {
            gray_free(&g);
            diag_add(problems, "scan.unreadable", NULL, (struct source_loc){ name, 0, NULL },
                     "page %d du PDF impossible à afficher", i + 1);
            break;
        }
        go = fn(user, &g, i + 1);
        gray_free(&g);
    }
    pp->object_unref(doc);
    poppler_release();
    return ok;
}

/* --- JPEG --------------------------------------------------------------------- */

static bool read_jpeg(const unsigned char *data, size_t len, const char *name, scan_page_fn fn, void *user,
                      struct dossier_problems *problems)
{
    tjhandle tj = tjInitDecompress();
    int w, h, subsamp, colorspace;
    if (!tj)
        WHY("décodeur JPEG indisponible");
    if (tjDecompressHeader3(tj, data, (unsigned long)len, &w, &h, &subsamp, &colorspace) != 0) {
        tjDestroy(tj);
        WHY("JPEG illisible");
    }
    if ((uint64_t)w * (uint64_t)h > RASTER_MAX_PIXELS || w > (int)RASTER_MAX_SIDE || h > (int)RASTER_MAX_SIDE) {
        tjDestroy(tj);
        WHY("image de %d x %d pixels : trop grande (au plus %u mégapixels)", w, h, RASTER_MAX_PIXELS / 1000000u);
    }
    if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
        tjDestroy(tj);
        WHY("JPEG en CMJN : numérisez en niveaux de gris ou en couleur (RVB)");
    }
    /* A 300 or 600 dpi scan is decoded at a power-of-two DCT scale near SCAN_DPI. */
    int longest = w > h ? w : h, denom = 1;
    while (denom < 8 && longest / (denom * 2) >= SCAN_A4_LONG_PX * 0.8)
        denom *= 2;
    tjscalingfactor f = { 1, denom };
    int sw = TJSCALED(w, f), sh = TJSCALED(h, f);
    struct gray g;
    if (!gray_alloc(&g, sw, sh)) {
        tjDestroy(tj);
        WHY("mémoire insuffisante");
    }
    int rc = tjDecompress2(tj, data, (unsigned long)len, g.px, sw, sw, sh, TJPF_GRAY, 0);
    bool fatal = rc != 0 && tjGetErrorCode(tj) == TJERR_FATAL;
    tjDestroy(tj);
    if (fatal) {
        gray_free(&g);
        WHY("JPEG illisible ou tronqué");
    }
    bool ok = normalise(&g);
    if (ok)
        fn(user, &g, 1);
    gray_free(&g);
    return ok;
}

/* --- PNG ---------------------------------------------------------------------- */

struct mem_reader {
    const unsigned char *data;
    size_t len, pos;
};

static cairo_status_t png_read(void *closure, unsigned char *buf, unsigned int length)
{
    struct mem_reader *r = closure;
    if (r->len - r->pos < length)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(buf, r->data + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

static bool read_png(const unsigned char *data, size_t len, const char *name, scan_page_fn fn, void *user,
                     struct dossier_problems *problems)
{
    uint32_t w, h;
    if (!raster_png_size(data, len, &w, &h))
        WHY("PNG illisible");
    if ((uint64_t)w * h > RASTER_MAX_PIXELS || w > RASTER_MAX_SIDE || h > RASTER_MAX_SIDE)
        WHY("image de %u x %u pixels : trop grande (au plus %u mégapixels)", w, h, RASTER_MAX_PIXELS / 1000000u);
    struct mem_reader r = { data, len, 0 };
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &r);
    struct gray g = { 0 };
    bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && gray_from_surface(s, &g) && normalise(&g);
    cairo_surface_destroy(s);
    if (!ok) {
        gray_free(&g);
        WHY("PNG illisible ou tronqué");
    }
    fn(user, &g, 1);
    gray_free(&g);
    return true;
}

/* --- TIFF: one page per directory --------------------------------------------- */

static tmsize_t tiff_read(thandle_t h, void *buf, tmsize_t size)
{
    struct mem_reader *r = h;
    size_t n = r->len - r->pos < (size_t)size ? r->len - r->pos : (size_t)size;
    memcpy(buf, r->data + r->pos, n);
    r->pos += n;
    return (tmsize_t)n;
}

static tmsize_t tiff_write(thandle_t h, void *buf, tmsize_t size)
{
    (void)h, (void)buf, (void)size;
    return -1;
}

static toff_t tiff_seek(thandle_t h, toff_t off, int whence)
{
    struct mem_reader *r = h;
    uint64_t base = whence == SEEK_CUR ? r->pos : whence == SEEK_END ? r->len : 0;
    if (off > UINT64_MAX - base || base + off > r->len)
        return (toff_t)-1;
    r->pos = (size_t)(base + off);
    return r->pos;
}

static int tiff_close(thandle_t h)
{
    (void)h;
    return 0;
}

static toff_t tiff_size(thandle_t h)
{
    return ((struct mem_reader *)h)->len;
}

static int tiff_map(thandle_t h, void **base, toff_t *size)
{
    (void)h, (void)base, (void)size;
    return 0;
}

static void tiff_unmap(thandle_t h, void *base, toff_t size)
{
    (void)h, (void)base, (void)size;
}

static void tiff_quiet(const char *module, const char *fmt, va_list ap)
{
    (void)module, (void)fmt, (void)ap;
}

static bool read_tiff(const unsigned char *data, size_t len, const char *name, scan_page_fn fn, void *user,
                      struct dossier_problems *problems)
{
    const struct tiff_api *t = tiff_lib();
    if (!t)
        WHY("bibliothèque libtiff introuvable : impossible de lire les TIFF (paquet libtiff6)");
    t->set_error_handler(tiff_quiet);
    t->set_warning_handler(tiff_quiet);
    struct mem_reader r = { data, len, 0 };
    TIFF *tif = t->client_open(name, "rm", &r, tiff_read, tiff_write, tiff_seek, tiff_close, tiff_size, tiff_map,
                               tiff_unmap);
    if (!tif)
        WHY("TIFF illisible");
    bool ok = true, go = true;
    int index = 0;
    do {
        uint32_t w = 0, h = 0;
        t->get_field(tif, TIFFTAG_IMAGEWIDTH, &w);
        t->get_field(tif, TIFFTAG_IMAGELENGTH, &h);
        if (++index > SCAN_MAX_PAGES || w == 0 || h == 0 || (uint64_t)w * h > RASTER_MAX_PIXELS ||
            w > RASTER_MAX_SIDE || h > RASTER_MAX_SIDE) {
            diag_add(problems, "scan.unreadable", NULL, (struct source_loc){ name, 0, NULL },
                     "page %d du TIFF de taille invalide (%u x %u pixels)", index, w, h);
            ok = false;
            break;
        }
        uint32_t *rgba = malloc((size_t)w * h * sizeof *rgba);
        struct gray g = { 0 };
        if (!rgba || !t->read_rgba_oriented(tif, w, h, rgba, ORIENTATION_TOPLEFT, 0) ||
            !gray_alloc(&g, (int)w, (int)h)) {
            free(rgba);
            gray_free(&g);
            diag_add(problems, "scan.unreadable", NULL, (struct source_loc){ name, 0, NULL },
                     "page %d du TIFF illisible", index);
            ok = false;
            break;
        }
        for (size_t i = 0; i < (size_t)w * h; i++) {
            uint32_t p = rgba[i];
            unsigned a = TIFFGetA(p);
            unsigned v = (TIFFGetR(p) * 299 + TIFFGetG(p) * 587 + TIFFGetB(p) * 114 + 500) / 1000;
            /* Not premultiplied: flatten onto white. */
            v = (v * a + 255 * (255 - a) + 127) / 255;
            g.px[i] = (uint8_t)v;
        }
        free(rgba);
        if (!normalise(&g)) {
            gray_free(&g);
            ok = false;
            break;
        }
        go = fn(user, &g, index);
        gray_free(&g);
    } while (go && t->read_directory(tif));
    t->close(tif);
    return ok;
}

bool scan_read_file(const unsigned char *data, size_t len, const char *name, scan_page_fn fn, void *user,
                    struct dossier_problems *problems)
{
    if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return read_pdf(data, len, name, fn, user, problems);
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return read_jpeg(data, len, name, fn, user, problems);
    if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return read_png(data, len, name, fn, user, problems);
    if (len >= 4 && (memcmp(data, "II*\0", 4) == 0 || memcmp(data, "MM\0*", 4) == 0))
        return read_tiff(data, len, name, fn, user, problems);
    WHY("ni PDF, ni JPEG, ni PNG, ni TIFF : format de numérisation non reconnu");
}
