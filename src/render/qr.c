/* QR codes as 1-bit stencils: each module a square of pixels, painted black. */
#include "qr.h"
#include "pdf.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

/* Pixels a module side in the stencil: a viewer that smooths scaled images blurs
 * half a module's edge at most, and the code takes about 400 bytes a page (vector
 * squares took 1.2 KB, a third of a light page). */
#define PIXELS_PER_MODULE 2

/* The mask pattern of every code. libqrencode scores all eight masks of every symbol
 * (ISO/IEC 18004 §7.8.3), which was most of its time; any mask makes a valid symbol,
 * and this one reads back at 150 dpi on every page of the test dossiers (t_qr). */
#define QR_MASK 2

/* libqrencode 4.1 exports these two without declaring them in qrencode.h: they are
 * what QRcode_encodeString calls, with the mask left to the scoring (-1). */
extern int Split_splitStringToQRinput(const char *string, QRinput *input, QRencodeMode hint, int casesensitive);
extern QRcode *QRcode_encodeMask(QRinput *input, int mask);

static QRcode *encode(const char *text)
{
    /* Error correction M (15 %), modes chosen by libqrencode (alphanumeric, and
     * numeric for a signature's digits), the smallest version that holds TEXT. */
    QRinput *input = QRinput_new2(0, QR_ECLEVEL_M);
    if (!input)
        return NULL;
    QRcode *qr = NULL;
    if (Split_splitStringToQRinput(text, input, QR_MODE_8, 1) == 0)
        qr = QRcode_encodeMask(input, QR_MASK);
    QRinput_free(input);
    return qr;
}

float qr_size(const char *text, float module)
{
    QRcode *qr = encode(text);
    if (!qr)
        return 0;
    float size = (float)(qr->width + 2 * QR_QUIET_MODULES) * module;
    QRcode_free(qr);
    return size;
}

float qr_draw(struct pdf_page *page, float x, float y, float module, const char *text)
{
    QRcode *qr = encode(text);
    if (!qr)
        return 0;
    int w = qr->width;
    int side = w + 2 * QR_QUIET_MODULES;
    /* The quiet zone must be white even over a tinted background. */
    pdf_rect(page, x, y, (float)side * module, (float)side * module, 0, -1, 1);
    int px = w * PIXELS_PER_MODULE;
    size_t stride = ((size_t)px + 7) / 8;
    unsigned char *bits = calloc((size_t)px, stride);
    if (!bits)
        abort();
    for (int row = 0; row < w; row++) {
        unsigned char *line = bits + (size_t)row * PIXELS_PER_MODULE * stride;
        for (int col = 0; col < w; col++) {
            if (!(qr->data[row * w + col] & 1))
                continue;
            for (int k = 0; k < PIXELS_PER_MODULE; k++) {
                int bit = col * PIXELS_PER_MODULE + k;
                line[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
            }
        }
        for (int k = 1; k < PIXELS_PER_MODULE; k++)
            memcpy(line + (size_t)k * stride, line, stride);
    }
    float quiet = QR_QUIET_MODULES * module;
    pdf_stencil(page, 0, x + quiet, y + quiet, (float)w * module, (float)w * module, px, px, bits, stride);
    free(bits);
    QRcode_free(qr);
    return (float)side * module;
}
