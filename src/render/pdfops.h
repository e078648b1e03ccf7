/* A page's content stream written directly, compactly: numbers to 1/100 pt, one text
 * object for consecutive lines with relative moves, font and grey set only when they
 * change. Two layers per page, the document's body and the page furniture, each
 * starting from a known state so that a body's bytes do not depend on the dossier
 * (see flate.h). Knows nothing of libharu: fonts and images are numbers. */
#ifndef DOSSIER_PDFOPS_H
#define DOSSIER_PDFOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/strbuf.h"

enum ops_layer { OPS_BODY, OPS_FURNITURE, OPS_LAYERS };

/* Fonts are numbered 0..OPS_FONTS-1 (/F0 ...). */
#define OPS_FONTS 32

struct pdf_ops {
    struct strbuf layer[OPS_LAYERS];
    enum ops_layer current;
    bool in_text;
    float line_x, line_y;       /* start of the last text line, inside BT */
    int font;                   /* font number in use, -1 none */
    float font_size;
    float fill;                 /* fill grey in force, -1 unknown */
    /* Per layer, what it draws: bit N of FONTS_USED, font /F<N>; DRAWN[layer][N], a
     * bit per byte drawn in font N (its glyphs go into the embedded subset). */
    uint32_t fonts_used[OPS_LAYERS];
    uint8_t drawn[OPS_LAYERS][OPS_FONTS][32];
};

void ops_init(struct pdf_ops *o);
void ops_release(struct pdf_ops *o);

/* Writes what follows into LAYER, which starts from the page's initial state. */
void ops_layer(struct pdf_ops *o, enum ops_layer layer);
/* Closes an open text object (before the page's bytes are taken). */
void ops_end(struct pdf_ops *o);

void ops_fill_gray(struct pdf_ops *o, float gray);
/* A text line at (X, Y); then runs of encoded BYTES in font FONT (< OPS_FONTS) at SIZE. */
void ops_text_at(struct pdf_ops *o, float x, float y);
void ops_show(struct pdf_ops *o, int font, float size, const char *bytes, size_t len);

/* Outlined in STROKE grey with LINE_WIDTH unless STROKE < 0, filled in FILL unless
 * FILL < 0; leaves the fill grey as it was. */
void ops_rect(struct pdf_ops *o, float x, float y, float w, float h, float line_width, float stroke,
              float fill);
void ops_polyline(struct pdf_ops *o, const float *xy, size_t n, float width, float gray);
/* A 1-bit stencil of PW x PH pixels (rows of STRIDE bytes, top row first, bit 7
 * leftmost; 1 paints) in the fill GRAY, stretched over the box (X, Y, W, H): an
 * inline image, in hexadecimal so that no reader mistakes a data byte for its end. */
void ops_stencil(struct pdf_ops *o, float gray, float x, float y, float w, float h, int pw, int ph,
                 const unsigned char *bits, size_t stride);
/* XObject /I<N> drawn into the box (X, Y, W, H). */
void ops_image(struct pdf_ops *o, int n, float x, float y, float w, float h);

/* NUMBER to 1/100, without trailing zeros ("12.5", "-3", "0.07"), onto SB. */
void ops_number(struct strbuf *sb, float number);

#endif
