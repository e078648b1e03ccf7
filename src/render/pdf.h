/* PDF canvas: the only user of libharu. Fonts from fonts/, UTF-8 text in
 * single-byte encodings with a ToUnicode map each, shapes, JPEG images, metadata,
 * saving to memory. Callers see opaque documents and pages, never libharu's types. */
#ifndef DOSSIER_PDF_H
#define DOSSIER_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct dossier_problems;
struct flate_cache;
struct strbuf;

enum font_style { STYLE_REGULAR, STYLE_BOLD, STYLE_COUNT };

struct pdf;         /* a document being made */
struct pdf_page;    /* one of its pages, valid until the document is freed */

/* Page size (A4) in points. */
#define PAGE_WIDTH 595.276f
#define PAGE_HEIGHT 841.890f
#define MM(x) ((float)(x) * 72.0f / 25.4f)

/* A document with the fonts of FONTS_DIR (DossierSans-Regular.ttf and -Bold.ttf).
 * NULL, with a problem in PROBLEMS, when libharu or the fonts fail. */
struct pdf *pdf_new(const char *fonts_dir, struct dossier_problems *problems);
void pdf_free(struct pdf *pdf);

/* Page bodies met before are taken deflated from CACHE (see flate.h); without one,
 * every stream is deflated anew. The bytes are the same either way. */
void pdf_set_cache(struct pdf *pdf, struct flate_cache *cache);

/* True when the fonts of FONTS_DIR load (checked once, when a context opens). */
bool pdf_fonts_usable(const char *fonts_dir, struct dossier_problems *problems);

/* Title, subject, author and fixed dates (creation = modification = DATE). */
void pdf_set_info(struct pdf *pdf, const char *title, const char *subject, const char *author,
                  const char *creator, time_t date);

/* Width in points of UTF-8 TEXT (first LEN bytes) in STYLE at SIZE. */
float pdf_text_width(struct pdf *pdf, enum font_style style, float size, const char *text, size_t len);

/* A new A4 page at the end of the document. */
struct pdf_page *pdf_add_page(struct pdf *pdf);
/* What is drawn on PAGE from now on is its furniture (header, footer, code): kept
 * apart from the body, whose bytes are then the same in every dossier that prints
 * the same body (a CGU page). */
void pdf_begin_furniture(struct pdf_page *page);

/* Draws UTF-8 TEXT with its baseline at (X, Y), in the current fill grey. */
void pdf_text(struct pdf *pdf, struct pdf_page *page, float x, float y, enum font_style style,
              float size, const char *text, size_t len);

/* The grey (0 black, 1 white) of the text and fills that follow on PAGE. */
void pdf_fill_gray(struct pdf_page *page, float gray);

/* A rectangle: outlined in STROKE_GRAY with LINE_WIDTH unless STROKE_GRAY < 0,
 * filled with FILL_GRAY unless FILL_GRAY < 0. Leaves the current grey as it was. */
void pdf_rect(struct pdf_page *page, float x, float y, float w, float h, float line_width,
              float stroke_gray, float fill_gray);
/* Open path through N points (XY holds x0, y0, x1, y1, ...). */
void pdf_polyline(struct pdf_page *page, const float *xy, size_t n, float width, float gray);
void pdf_line(struct pdf_page *page, float x1, float y1, float x2, float y2, float width, float gray);

/* Page bodies kept between documents (a CGU is the same for every dossier):
 * pdf_bodies_save appends the bodies of PAGES[0..COUNT) (what was drawn before their
 * furniture, with the fonts and glyphs it uses) to OUT; pdf_bodies_restore gives
 * COUNT new, empty pages of another document those bodies. The restored document's
 * bytes are those it would have had drawing them: only bodies drawn in the fonts
 * every document makes first (CP1252, both styles) and without images qualify
 * (pdf_bodies_cacheable). */
bool pdf_bodies_cacheable(const struct pdf *pdf, struct pdf_page *const *pages, size_t count);
bool pdf_bodies_save(struct pdf_page *const *pages, size_t count, struct strbuf *out);
size_t pdf_bodies_count(const char *data, size_t len);
bool pdf_bodies_restore(struct pdf *pdf, struct pdf_page *const *pages, size_t count, const char *data,
                        size_t len);

/* A 1-bit stencil (see ops_stencil in pdfops.h): PW x PH pixels, rows of STRIDE
 * bytes, bit 7 leftmost, 1 painted in GRAY, stretched over (X, Y, W, H). */
void pdf_stencil(struct pdf_page *page, float gray, float x, float y, float w, float h, int pw, int ph,
                 const unsigned char *bits, size_t stride);

/* Draws a baseline JPEG of LEN bytes into the box (X, Y, W, H); libharu copies the
 * bytes. False when it cannot be embedded. */
bool pdf_image_jpeg(struct pdf *pdf, struct pdf_page *page, const unsigned char *jpeg, size_t len,
                    float x, float y, float w, float h);

/* The document's bytes (malloc'd); NULL, with a problem in PROBLEMS, on failure. */
/* Embeds LEN bytes of DATA as the attached file NAME (the catalog's EmbeddedFiles),
 * described by DESCRIPTION. One attachment per document. */
bool pdf_attach(struct pdf *pdf, const char *name, const void *data, size_t len, const char *description);

unsigned char *pdf_save(struct pdf *pdf, size_t *len, struct dossier_problems *problems);

#endif
