/* PDF canvas on libharu: fonts from fonts/, UTF-8 text in single-byte encodings with
 * a ToUnicode map each, shapes, images, metadata, saving to memory. */
#ifndef DOSSIER_PDF_H
#define DOSSIER_PDF_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum font_style { STYLE_REGULAR, STYLE_BOLD, STYLE_COUNT };

struct pdf {
    HPDF_Doc doc;
    HPDF_STATUS error;          /* first libharu error, 0 if none */
    HPDF_STATUS error_detail;
    const char *font_name[STYLE_COUNT];
    HPDF_Font fonts[STYLE_COUNT][8];    /* per code page, made on first use */
};

/* Page size (A4) in points. */
#define PAGE_WIDTH 595.276f
#define PAGE_HEIGHT 841.890f
#define MM(x) ((float)(x) * 72.0f / 25.4f)

/* A document with the fonts of FONTS_DIR (LiberationSans-Regular.ttf and -Bold.ttf).
 * False (and *WHY set) when libharu or the fonts fail. */
bool pdf_open(struct pdf *pdf, const char *fonts_dir, const char **why);
void pdf_close(struct pdf *pdf);

/* True when the fonts of FONTS_DIR load (checked once before a batch). */
bool pdf_fonts_usable(const char *fonts_dir, const char **why);

/* Title, subject, author and fixed dates (creation = modification = DATE). */
void pdf_set_info(struct pdf *pdf, const char *title, const char *subject, const char *author,
                  const char *creator, time_t date);

/* Width in points of UTF-8 TEXT (first LEN bytes) in STYLE at SIZE. */
float pdf_text_width(struct pdf *pdf, enum font_style style, float size, const char *text, size_t len);

/* Draws UTF-8 TEXT with its baseline at (X, Y). */
void pdf_text(struct pdf *pdf, HPDF_Page page, float x, float y, enum font_style style,
              float size, const char *text, size_t len);

/* The document's bytes (malloc'd); NULL on failure. */
unsigned char *pdf_save(struct pdf *pdf, size_t *len);

#endif
