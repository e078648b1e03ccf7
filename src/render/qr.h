/* QR tracking codes with libqrencode, drawn as vector squares on a PDF page. */
#ifndef DOSSIER_QR_H
#define DOSSIER_QR_H

#include <stdbool.h>

struct pdf_page;

/* Quiet zone, in modules, left white around the symbol (ISO/IEC 18004 asks for 4). */
#define QR_QUIET_MODULES 4

/* Side in points of the symbol of TEXT (quiet zone included) at MODULE points per
 * module; 0 when TEXT cannot be encoded. */
float qr_size(const char *text, float module);

/* Draws TEXT's QR code (error correction M) with its lower-left quiet-zone corner at
 * (X, Y); returns its side in points, quiet zone included (qr_size's), or 0 when
 * libqrencode fails. */
float qr_draw(struct pdf_page *page, float x, float y, float module, const char *text);

#endif
