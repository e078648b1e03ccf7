/* Attached pieces as images ready for the PDF: decoded (JPEG, PNG, or each page of a
 * PDF), turned upright, flattened onto white, watermarked in the pixels, JPEG-encoded.
 * Uses cairo, FreeType, libturbojpeg and poppler-glib; knows nothing of libharu. */
#ifndef DOSSIER_RASTER_H
#define DOSSIER_RASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/piece_type.h"

/* Decompression-bomb limits, checked from the header before any pixel is allocated. */
#define RASTER_MAX_PIXELS 40000000u
#define RASTER_MAX_SIDE 12000u
/* Largest PDF page accepted, in points (PDF's own limit: 200 inches). */
#define RASTER_MAX_PAGE_PT 14400.0
#define RASTER_MAX_PAGES 10
#define RASTER_DEFAULT_DPI 200.0f

/* One image: a baseline JPEG (malloc'd) of WIDTH_PX x HEIGHT_PX, upright. */
struct raster_page {
    unsigned char *jpeg;
    size_t jpeg_len;
    int width_px, height_px;
};

struct raster_pages {
    struct raster_page *pages;
    size_t count;
};

/* A watermark's coverage, drawn once for an image size and text and kept between
 * the pieces of a dossier (they share the text, and often the size). */
struct raster_watermark {
    int width, height;
    char *text;
    void *mask;                 /* cairo_surface_t (ARGB32, its alpha), NULL: none yet */
};
void raster_watermark_release(struct raster_watermark *w);

struct raster_options {
    const char *watermark;      /* text burned across the image; NULL or "" for none */
    const char *fonts_dir;      /* holds DossierSans-Bold.ttf, the watermark's font */
    float max_width_pt;         /* the box the image will be fitted into on the page */
    float max_height_pt;
    float dpi;                  /* resolution at that fitted size; 0: RASTER_DEFAULT_DPI */
    int max_pages;              /* PDF pieces; 0: RASTER_MAX_PAGES */
    struct raster_watermark *kept;  /* the caller's, kept between pieces; NULL: none */
};

/* Problems go to a diag_target (util/diag.h), with a stable code (piece.corrupt,
 * piece.too_large_image, piece.too_many_pages, piece.type, piece.unreadable,
 * render.watermark, render.image) and a French message for office staff. */
struct diag_target;

/* Reads the file at PATH, of TYPE (PIECE_NONE: any), into OUT: one
 * image per page. False with ERR filled (and OUT empty) on any failure. */
bool raster_load_piece(const char *path, enum piece_type type, const struct raster_options *options,
                       struct raster_pages *out, const struct diag_target *err);

/* The same from LEN bytes in memory. */
bool raster_load_buffer(const unsigned char *data, size_t len, enum piece_type type,
                        const struct raster_options *options, struct raster_pages *out,
                        const struct diag_target *err);

void raster_pages_release(struct raster_pages *pages);

/* Decodes the piece at PATH as a thumbnail: every check the rendering makes (type,
 * size limits, corrupt or truncated data, page cap) without its cost, so that
 * validation reports a bad file before anything is rendered. */
bool raster_check_piece(const char *path, enum piece_type type, const struct diag_target *err);

/* EXIF orientation (1..8) of a JPEG, from tag 0x0112 of IFD0 in its APP1 Exif
 * segment; 1 when there is none or it cannot be read. Never reads past LEN. */
int raster_exif_orientation(const unsigned char *jpeg, size_t len);

/* Width and height declared by a PNG's IHDR chunk; false unless it is well formed. */
bool raster_png_size(const unsigned char *png, size_t len, uint32_t *width, uint32_t *height);

#endif
