/* QR codes as filled rectangles: one per horizontal run of dark modules. */
#include "qr.h"
#include "pdf.h"

#include <qrencode.h>

static QRcode *encode(const char *text)
{
    /* Error correction M (15 %), mode chosen by libqrencode (alphanumeric here). */
    return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
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
    /* In module units from the lower-left corner of the quiet zone; row 0 on top. */
    /* The quiet zone must be white even over a tinted background. */
    pdf_fill_begin(page, 1, x, y, module);
    pdf_fill_add(page, 0, 0, (float)side, (float)side);
    pdf_fill_end(page);
    pdf_fill_begin(page, 0, x, y, module);
    for (int row = 0; row < w; row++) {
        const unsigned char *line = qr->data + row * w;
        for (int col = 0; col < w;) {
            if (!(line[col] & 1)) {
                col++;
                continue;
            }
            int start = col;
            while (col < w && (line[col] & 1))
                col++;
            pdf_fill_add(page, (float)(QR_QUIET_MODULES + start), (float)(side - QR_QUIET_MODULES - row - 1),
                         (float)(col - start), 1);
        }
    }
    pdf_fill_end(page);
    QRcode_free(qr);
    return (float)side * module;
}
