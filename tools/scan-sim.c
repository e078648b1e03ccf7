/* scan-sim: makes a scanned paper dossier, as the bureau d'enregistrement would get
 * it back by post, for the tests and the scan benchmark of check-scan.
 *
 *   scan-sim [options] -o SCAN --truth TRUTH.json CONTAINER.zip...
 *
 * For each container: its sealed PDF is rendered page by page; handwriting-like
 * strokes (cairo curves of varying width, in pen blue or black) go into the boxes
 * chosen to be filled (the page map attached to the PDF says where they are); each
 * page is then turned (up to +-5 degrees, some upside down), shifted, scaled, blurred
 * (a Gaussian of 0.06-0.12 mm, as a scanner's optics),
 * speckled with noise, turned to grey or kept in colour, JPEG-compressed; the pages
 * are shuffled, one is dropped, one of another dossier slipped in (--foreign). The
 * truth (which page is where, which box was filled) is written beside the scan.
 *
 * Options:
 *   -o FILE          the scan: FILE.pdf (one JPEG per page, as scanners write),
 *                    FILE.tif (multi-page TIFF) or a folder of JPEG/PNG files
 *                    (--pages-as jpeg|png)
 *   --truth FILE     JSON: every page's place and every box's state
 *   --seed N         random seed (default 1): the same seed gives the same scan
 *   --dpi N          scan resolution (default: 200; 0 = random among 150, 200, 300)
 *   --fill P         share of boxes filled, 0..1 (default 0.8)
 *   --drop N         pages dropped from each dossier (default 1)
 *   --upside-down N  pages turned upside down in each dossier (default 1)
 *   --foreign FILE   a container whose page 2 is slipped into the scan
 *   --blank-code N   pages whose QR code is smeared (unreadable), in all (default 0)
 *   --colour         keep colour (default: grey)
 *   --quality Q      JPEG quality (default 70)
 *   --pages-as FMT   pdf (default), tiff, jpeg, png
 *   --tamper NUMERO  the first kept page's QR code is redrawn with NUMERO in place of
 *                    its request number, the signature kept (a forged page)
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <turbojpeg.h>
#include <zip.h>

#include "../src/render/pagemap.h"
#include "../src/scan/reference.h"
#include "../src/util/diag.h"

static unsigned long long rng_state = 1;

static double rnd(void)     /* uniform in [0, 1) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static double uniform(double a, double b)
{
    return a + (b - a) * rnd();
}

struct options {
    const char *out, *truth, *foreign, *pages_as, *tamper;
    double dpi, fill;
    int drop, upside, blank_code, quality;
    bool colour;
};

struct dossier {
    const char *path;
    unsigned char *pdf;
    size_t pdf_len;
    struct reference_pdf *ref;
    struct pagemap map;
};

static bool load(const char *path, struct dossier *d)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &err);
    if (!za)
        return false;
    zip_int64_t n = zip_get_num_entries(za, 0);
    char numero[64] = "";
    for (zip_int64_t i = 0; i < n && !d->pdf; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || sscanf(st.name, "dossier-%63[0-9].pdf", numero) != 1)
            continue;
        zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
        d->pdf = malloc(st.size);
        d->pdf_len = st.size;
        if (!f || zip_fread(f, d->pdf, st.size) != (zip_int64_t)st.size)
            return false;
        zip_fclose(f);
    }
    zip_close(za);
    if (!d->pdf || !(d->ref = reference_open(d->pdf, d->pdf_len)))
        return false;
    char name[96];
    snprintf(name, sizeof name, PAGEMAP_NAME_FORMAT, numero);
    size_t len;
    char *xml = reference_attachment(d->ref, name, &len);
    bool ok = xml && pagemap_read(xml, len, path, &d->map, NULL);
    free(xml);
    return ok;
}

/* The page rendered at DPI onto a white RGB canvas. */
static cairo_surface_t *render_page(struct dossier *d, int index, double dpi)
{
    double k = dpi / 72.0;
    const struct pagemap_page *p = &d->map.pages[index];
    struct gray g;
    if (!reference_render(d->ref, index, 0, 0, p->width, p->height, 0, k, &g))
        return NULL;
    cairo_surface_t *s = gray_to_surface(&g);
    gray_free(&g);
    return s;
}

/* Handwriting: a few connected curves across the box, the pen's width varying. */
static void scribble(cairo_t *cr, double x, double y, double w, double h, double k, enum mark_kind kind)
{
    double ink = uniform(0, 1);
    if (ink < 0.5)
        cairo_set_source_rgb(cr, 0.08, 0.12, 0.45);    /* blue pen */
    else if (ink < 0.85)
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);       /* black pen */
    else
        cairo_set_source_rgb(cr, 0.35, 0.35, 0.38);    /* a lighter pen */
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    /* Initials are small; a signature spreads. */
    double span = kind == MARK_PARAPHE ? uniform(0.3, 0.6) : uniform(0.45, 0.8);
    /* Written in the box's free space, under its caption; the pen stays in the box. */
    double cx = x + w * uniform(0.3, 0.7), cy = y + h * uniform(0.5, 0.7);
    cairo_save(cr);
    cairo_rectangle(cr, x * k, y * k, w * k, h * k);
    cairo_clip(cr);
    double sw = w * span, sh = h * span * 0.7;
    int strokes = 1 + (int)uniform(0, kind == MARK_PARAPHE ? 2.99 : 3.99);
    for (int s = 0; s < strokes; s++) {
        double px = cx + uniform(-0.5, 0.5) * sw, py = cy + uniform(-0.5, 0.5) * sh;
        int segments = 2 + (int)uniform(0, 4);
        for (int i = 0; i < segments; i++) {
            double nx = cx + uniform(-0.5, 0.5) * sw, ny = cy + uniform(-0.5, 0.5) * sh;
            /* A pen of 0.3 to 0.6 mm, pressing harder or lighter along the way. */
            cairo_set_line_width(cr, uniform(0.3, 0.6) / 25.4 * 72 * k);
            cairo_move_to(cr, px * k, py * k);
            cairo_curve_to(cr, (px + uniform(-0.4, 0.4) * sw) * k, (py + uniform(-0.6, 0.6) * sh) * k,
                           (nx + uniform(-0.4, 0.4) * sw) * k, (ny + uniform(-0.6, 0.6) * sh) * k, nx * k, ny * k);
            cairo_stroke(cr);
            px = nx;
            py = ny;
        }
    }
    cairo_restore(cr);
}

/* A speck of dust or toner, too small to be a mark. */
static void speck(cairo_t *cr, double x, double y, double w, double h, double k)
{
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_arc(cr, (x + w * uniform(0.2, 0.8)) * k, (y + h * uniform(0.2, 0.8)) * k, uniform(0.3, 0.8), 0, 2 * M_PI);
    cairo_fill(cr);
}

/* Redraws the page's QR code with TEXT, over the printed one (white first). */
static void redraw_qr(cairo_t *cr, const struct pagemap_page *p, const char *text, double k)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return;
    double module = p->qr_side / q->width, left = p->qr_x, top = p->height - p->qr_y - p->qr_side;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, (left - 4 * module) * k, (top - 4 * module) * k, (p->qr_side + 8 * module) * k,
                    (p->qr_side + 8 * module) * k);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                cairo_rectangle(cr, (left + x * module) * k, (top + y * module) * k, module * k, module * k);
    cairo_fill(cr);
    QRcode_free(q);
}

struct sim_page {
    cairo_surface_t *surface;   /* the scanned page, RGB */
    double dpi;
    char desc[512];             /* its truth, JSON */
};


/* Turns, shifts, scales SRC as a scanner would, then blurs and adds noise. */
static cairo_surface_t *scan_like(cairo_surface_t *src, double dpi, bool upside, bool colour, double *angle)
{
    int pw = cairo_image_surface_get_width(src), ph = cairo_image_surface_get_height(src);
    /* The scanner's glass is larger than the sheet: a margin all round. */
    int w = pw + pw / 16, h = ph + ph / 16;
    cairo_surface_t *dst = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(dst);
    /* The scanner's lid: slightly off-white paper. */
    double paper = uniform(0.9, 0.98);
    if (colour)
        cairo_set_source_rgb(cr, paper, paper * uniform(0.97, 1.0), paper * uniform(0.9, 0.98));
    else
        cairo_set_source_rgb(cr, paper, paper, paper);
    cairo_paint(cr);
    *angle = uniform(-5, 5) + (upside ? 180 : 0);
    double scale = uniform(0.97, 1.03), dx = uniform(-0.015, 0.015) * w, dy = uniform(-0.015, 0.015) * h;
    cairo_translate(cr, w / 2.0 + dx, h / 2.0 + dy);
    cairo_rotate(cr, *angle * M_PI / 180);
    cairo_scale(cr, scale, scale);
    cairo_translate(cr, -pw / 2.0, -ph / 2.0);
    cairo_set_source_surface(cr, src, 0, 0);
    /* Paper is not transparent: multiply the page onto the lid's colour. */
    cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(dst);
    /* The optics' blur: a Gaussian of 0.06 to 0.12 mm, so the same paper scanned at
     * 150 dpi is blurred less in pixels than at 300 dpi; then the sensor's noise. One
     * plane per channel (one for grey), in fixed point. */
    unsigned char *d = cairo_image_surface_get_data(dst);
    int stride = cairo_image_surface_get_stride(dst);
    double blur = uniform(0.06, 0.12) / 25.4 * dpi;
    int radius = (int)ceil(3 * blur);
    if (radius > 15)
        radius = 15;
    int kernel[31], total = 0;
    for (int i = -radius; i <= radius; i++)
        total += kernel[i + radius] = (int)lrint(1024 * exp(-(double)(i * i) / (2 * blur * blur)));
    double sigma = uniform(3, 8);
    int planes = colour ? 3 : 1;
    uint8_t *plane = malloc((size_t)w * (size_t)h), *tmp = malloc((size_t)w * (size_t)h);
    for (int c = 0; c < planes; c++) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                plane[(size_t)y * (size_t)w + (size_t)x] = d[(size_t)y * (size_t)stride + (size_t)x * 4 + (size_t)(colour ? c : 1)];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sum = 0;
                for (int i = -radius; i <= radius; i++) {
                    int xx = x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i;
                    sum += kernel[i + radius] * plane[(size_t)y * (size_t)w + (size_t)xx];
                }
                tmp[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)(sum / total);
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sum = 0;
                for (int i = -radius; i <= radius; i++) {
                    int yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
                    sum += kernel[i + radius] * tmp[(size_t)yy * (size_t)w + (size_t)x];
                }
                /* Noise: the sum of four uniforms, near enough a Gaussian. */
                double n = (rnd() + rnd() + rnd() + rnd() - 2.0) * 1.732 * sigma;
                double v = (double)sum / total + n;
                uint8_t out = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
                for (int k = colour ? c : 0; k < (colour ? c + 1 : 3); k++)
                    d[(size_t)y * (size_t)stride + (size_t)x * 4 + (size_t)k] = out;
            }
    }
    free(plane);
    free(tmp);
    cairo_surface_mark_dirty(dst);
    return dst;
}

static unsigned char *encode_jpeg(cairo_surface_t *s, bool colour, int quality, unsigned long *len)
{
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    cairo_surface_flush(s);
    unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    if (colour) {
        tjCompress2(tj, d, w, stride, h, TJPF_BGRX, &jpeg, len, TJSAMP_420, quality, 0);
    } else {
        unsigned char *g = malloc((size_t)w * (size_t)h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                const unsigned char *p = d + (size_t)y * (size_t)stride + (size_t)x * 4;
                g[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)((p[2] * 299 + p[1] * 587 + p[0] * 114) / 1000);
            }
        tjCompress2(tj, g, w, w, h, TJPF_GRAY, &jpeg, len, TJSAMP_GRAY, quality, 0);
        free(g);
    }
    tjDestroy(tj);
    return jpeg;
}

static void free_jpeg(void *p)
{
    tjFree(p);
}

/* A page decoded back from its JPEG, as the scanner's file holds it. */
static cairo_surface_t *decode_jpeg(const unsigned char *jpeg, unsigned long len)
{
    tjhandle tj = tjInitDecompress();
    int w, h, ss, cs;
    tjDecompressHeader3(tj, jpeg, len, &w, &h, &ss, &cs);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(s);
    tjDecompress2(tj, jpeg, len, cairo_image_surface_get_data(s), w, cairo_image_surface_get_stride(s), h, TJPF_BGRX,
                  0);
    cairo_surface_mark_dirty(s);
    tjDestroy(tj);
    return s;
}

static int usage(void)
{
    fputs("usage : scan-sim [options] -o SCAN --truth TRUTH.json CONTENEUR.zip... (voir l'en-tête de tools/scan-sim.c)\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct options o = { .dpi = 200, .fill = 0.8, .drop = 1, .upside = 1, .quality = 70, .pages_as = "pdf" };
    int first = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "-o") == 0 && has)
            o.out = argv[++i];
        else if (strcmp(a, "--truth") == 0 && has)
            o.truth = argv[++i];
        else if (strcmp(a, "--seed") == 0 && has)
            rng_state = strtoull(argv[++i], NULL, 10) * 2654435761ull + 88172645463325252ull;
        else if (strcmp(a, "--dpi") == 0 && has)
            o.dpi = atof(argv[++i]);
        else if (strcmp(a, "--fill") == 0 && has)
            o.fill = atof(argv[++i]);
        else if (strcmp(a, "--drop") == 0 && has)
            o.drop = atoi(argv[++i]);
        else if (strcmp(a, "--upside-down") == 0 && has)
            o.upside = atoi(argv[++i]);
        else if (strcmp(a, "--foreign") == 0 && has)
            o.foreign = argv[++i];
        else if (strcmp(a, "--blank-code") == 0 && has)
            o.blank_code = atoi(argv[++i]);
        else if (strcmp(a, "--colour") == 0)
            o.colour = true;
        else if (strcmp(a, "--quality") == 0 && has)
            o.quality = atoi(argv[++i]);
        else if (strcmp(a, "--tamper") == 0 && has)
            o.tamper = argv[++i];
        else if (strcmp(a, "--pages-as") == 0 && has)
            o.pages_as = argv[++i];
        else if (a[0] == '-')
            return usage();
        else {
            first = i;
            break;
        }
    }
    if (!o.out || !o.truth || first >= argc)
        return usage();
    for (int i = 0; i < 3; i++)
        rnd();

    size_t cap = 64, count = 0;
    struct sim_page *pages = calloc(cap, sizeof *pages);
    FILE *truth = fopen(o.truth, "w");
    if (!truth)
        return 2;
    fprintf(truth, "{\"dossiers\": [");
    for (int a = first; a < argc; a++) {
        struct dossier d;
        if (!load(argv[a], &d)) {
            fprintf(stderr, "scan-sim: %s : conteneur ou mise en page illisible\n", argv[a]);
            return 2;
        }
        int n = (int)d.map.count;
        /* Which pages go missing, which come upside down. */
        int *fate = calloc((size_t)n, sizeof *fate);     /* 0 kept, 1 dropped, 2 upside down */
        for (int k = 0; k < o.drop && k < n - 1; k++) {
            int p;
            do
                p = (int)uniform(0, n);
            while (fate[p]);
            fate[p] = 1;
        }
        for (int k = 0; k < o.upside; k++) {
            int p, tries = 0;
            do
                p = (int)uniform(0, n);
            while (fate[p] && ++tries < 50);
            if (!fate[p])
                fate[p] = 2;
        }
        double dpi = o.dpi > 0 ? o.dpi : (double[]){ 150, 200, 200, 300 }[(int)uniform(0, 4)];
        fprintf(truth, "%s\n  {\"numero\": \"%s\", \"container\": \"%s\", \"dpi\": %.0f, \"pages\": [", a > first ? "," : "",
                d.map.numero, argv[a], dpi);
        for (int p = 0; p < n; p++) {
            const struct pagemap_page *mp = &d.map.pages[p];
            fprintf(truth, "%s\n    {\"document\": \"%s\", \"page\": %d, \"of\": %d, \"dropped\": %s, \"boxes\": [",
                    p ? "," : "", mp->document, mp->index, mp->count, fate[p] == 1 ? "true" : "false");
            cairo_surface_t *s = render_page(&d, p, dpi);
            cairo_t *cr = cairo_create(s);
            double k = dpi / 72.0;
            for (size_t b = 0; b < mp->box_count; b++) {
                const struct pagemap_box *box = &mp->boxes[b];
                bool filled = rnd() < o.fill;
                /* Cairo's y runs down the page. */
                double top = mp->height - box->y - box->h;
                if (filled)
                    scribble(cr, box->x, top, box->w, box->h, k, box->kind);
                else if (rnd() < 0.3)
                    speck(cr, box->x, top, box->w, box->h, k);
                fprintf(truth, "%s{\"kind\": \"%s\", \"person\": \"%s\", \"filled\": %s}", b ? ", " : "",
                        mark_kind_name(box->kind), box->person, filled ? "true" : "false");
            }
            bool tampered = false;
            if (o.tamper && fate[p] != 1) {
                /* DSR2:NUMERO:...: the request number swapped, all else kept. */
                char forged[512];
                const char *rest = strchr(mp->code + 5, ':');
                snprintf(forged, sizeof forged, "DSR2:%s%s", o.tamper, rest ? rest : "");
                redraw_qr(cr, mp, forged, k);
                o.tamper = NULL;
                tampered = true;
            }
            cairo_destroy(cr);
            fprintf(truth, "]}");
            if (fate[p] == 1) {
                cairo_surface_destroy(s);
                continue;
            }
            double angle;
            cairo_surface_t *scanned = scan_like(s, dpi, fate[p] == 2, o.colour, &angle);
            cairo_surface_destroy(s);
            if (count == cap) {
                cap *= 2;
                pages = realloc(pages, cap * sizeof *pages);
            }
            pages[count].surface = scanned;
            pages[count].dpi = dpi;
            snprintf(pages[count].desc, sizeof pages[count].desc,
                     "{\"numero\": \"%s\", \"document\": \"%s\", \"page\": %d, \"of\": %d, \"angle\": %.2f, \"dpi\": %.0f%s}",
                     d.map.numero, mp->document, mp->index, mp->count, angle, dpi, tampered ? ", \"tampered\": true" : "");
            count++;
        }
        fprintf(truth, "]}");
        free(fate);
        reference_close(d.ref);
        pagemap_release(&d.map);
        free(d.pdf);
    }
    fprintf(truth, "],\n \"foreign\": [");
    if (o.foreign) {
        struct dossier f;
        if (!load(o.foreign, &f) || f.map.count < 2) {
            fprintf(stderr, "scan-sim: %s : conteneur étranger illisible\n", o.foreign);
            return 2;
        }
        cairo_surface_t *s = render_page(&f, 1, o.dpi > 0 ? o.dpi : 200);
        double angle;
        pages[count].surface = scan_like(s, o.dpi > 0 ? o.dpi : 200, false, o.colour, &angle);
        pages[count].dpi = o.dpi > 0 ? o.dpi : 200;
        cairo_surface_destroy(s);
        snprintf(pages[count].desc, sizeof pages[count].desc,
                 "{\"numero\": \"%s\", \"document\": \"%s\", \"page\": %d, \"of\": %d, \"foreign\": true}", f.map.numero,
                 f.map.pages[1].document, f.map.pages[1].index, f.map.pages[1].count);
        fprintf(truth, "\"%s\"", f.map.numero);
        count++;
        reference_close(f.ref);
        pagemap_release(&f.map);
        free(f.pdf);
    }
    /* Smeared codes: a blot over the QR code's corner of some pages. */
    for (int b = 0; b < o.blank_code && b < (int)count; b++) {
        struct sim_page *p = &pages[(size_t)uniform(0, (double)count)];
        cairo_t *cr = cairo_create(p->surface);
        int w = cairo_image_surface_get_width(p->surface), h = cairo_image_surface_get_height(p->surface);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_rectangle(cr, 0, h * 0.8, w * 0.25, h * 0.2);
        cairo_rectangle(cr, w * 0.75, 0, w * 0.25, h * 0.2);
        cairo_fill(cr);
        cairo_destroy(cr);
        size_t l = strlen(p->desc);
        snprintf(p->desc + l - 1, sizeof p->desc - l + 1, ", \"smeared\": true}");
    }
    /* Shuffled, as a pile of paper falls. */
    for (size_t i = count; i > 1; i--) {
        size_t j = (size_t)uniform(0, (double)i);
        struct sim_page t = pages[i - 1];
        pages[i - 1] = pages[j];
        pages[j] = t;
    }
    fprintf(truth, "],\n \"scan\": [");
    bool pdf = strcmp(o.pages_as, "pdf") == 0, tiff = strcmp(o.pages_as, "tiff") == 0;
    cairo_surface_t *doc = pdf ? cairo_pdf_surface_create(o.out, 595.276, 841.89) : NULL;
    TIFF *tif = tiff ? TIFFOpen(o.out, "w") : NULL;
    if (!pdf && !tiff)
        mkdir(o.out, 0755);
    for (size_t i = 0; i < count; i++) {
        fprintf(truth, "%s\n  %s", i ? "," : "", pages[i].desc);
        unsigned long len = 0;
        unsigned char *jpeg = encode_jpeg(pages[i].surface, o.colour, o.quality, &len);
        cairo_surface_t *back = decode_jpeg(jpeg, len);
        int w = cairo_image_surface_get_width(back), h = cairo_image_surface_get_height(back);
        if (pdf) {
            /* The page's JPEG itself goes into the PDF, as a scanner writes it. */
            cairo_surface_set_mime_data(back, CAIRO_MIME_TYPE_JPEG, jpeg, len, free_jpeg, jpeg);
            jpeg = NULL;
            /* The page as large as the scanned area, at the scan's resolution. */
            double pt_w = w * 72.0 / pages[i].dpi, pt_h = h * 72.0 / pages[i].dpi;
            cairo_pdf_surface_set_size(doc, pt_w, pt_h);
            cairo_t *cr = cairo_create(doc);
            cairo_scale(cr, pt_w / w, pt_h / h);
            cairo_set_source_surface(cr, back, 0, 0);
            cairo_paint(cr);
            cairo_show_page(cr);
            cairo_destroy(cr);
        } else if (tiff) {
            TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
            TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)h);
            TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
            TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
            TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
            TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
            TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
            TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 64);
            TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
            TIFFSetField(tif, TIFFTAG_PAGENUMBER, (uint16_t)i, (uint16_t)count);
            unsigned char *row = malloc((size_t)w);
            const unsigned char *d = cairo_image_surface_get_data(back);
            int stride = cairo_image_surface_get_stride(back);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    const unsigned char *p = d + (size_t)y * (size_t)stride + (size_t)x * 4;
                    row[x] = (unsigned char)((p[2] * 299 + p[1] * 587 + p[0] * 114) / 1000);
                }
                TIFFWriteScanline(tif, row, (uint32_t)y, 0);
            }
            free(row);
            TIFFWriteDirectory(tif);
        } else {
            char path[4096];
            bool png = strcmp(o.pages_as, "png") == 0;
            snprintf(path, sizeof path, "%s/page-%03zu.%s", o.out, i + 1, png ? "png" : "jpg");
            if (png) {
                cairo_surface_write_to_png(back, path);
            } else {
                FILE *f = fopen(path, "wb");
                fwrite(jpeg, 1, len, f);
                fclose(f);
            }
        }
        if (jpeg)
            tjFree(jpeg);
        cairo_surface_destroy(back);
        cairo_surface_destroy(pages[i].surface);
    }
    if (doc) {
        cairo_surface_finish(doc);
        cairo_surface_destroy(doc);
    }
    if (tif)
        TIFFClose(tif);
    fprintf(truth, "]}\n");
    fclose(truth);
    free(pages);
    return 0;
}
