/* Scanned pages: read from the files scanners write (a multi-page PDF, JPEG, PNG,
 * TIFF with one page per directory) as grey pixels at about SCAN_DPI. */
#ifndef DOSSIER_SCANIMAGE_H
#define DOSSIER_SCANIMAGE_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dossier_problems;

/* Working resolution: QR modules of 0.5 mm are 3.9 pixels wide. */
#define SCAN_DPI 200.0
/* Longest side of an A4 page at SCAN_DPI. */
#define SCAN_A4_LONG_PX 2339
#define SCAN_MAX_PAGES 2000

/* 8-bit grey, 0 black .. 255 white, rows of W bytes. */
struct gray {
    uint8_t *px;
    int w, h;
};

bool gray_alloc(struct gray *g, int w, int h);
void gray_free(struct gray *g);
/* Shrinks G by FACTOR (> 1) by averaging areas. */
bool gray_shrink(struct gray *g, double factor);
/* The grey of an RGB24 or ARGB32 surface (flattened onto white), in G; false when
 * out of memory. */
bool gray_from_surface(cairo_surface_t *s, struct gray *g);
/* G as an RGB24 surface (to draw on, or to write as PNG). */
cairo_surface_t *gray_to_surface(const struct gray *g);

/* Bilinear sample at (X, Y) (pixel centres at .5); white outside. */
double gray_sample(const struct gray *g, double x, double y);

/* Called for each page (1-based INDEX); the callee may keep PAGE's pixels (then it
 * sets PAGE->px to NULL). Returning false stops the reading. */
typedef bool (*scan_page_fn)(void *user, struct gray *page, int index);

/* Reads every page of DATA (PDF, JPEG, PNG or TIFF, told by its first bytes) and
 * calls FN for each, at about SCAN_DPI (images larger than an A4 page at that
 * resolution are shrunk to it). False, with a "scan.unreadable" problem naming NAME,
 * when the file cannot be read. */
bool scan_read_file(const unsigned char *data, size_t len, const char *name, scan_page_fn fn, void *user,
                    struct dossier_problems *problems);

#endif
