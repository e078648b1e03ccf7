/* QR tracking code drawn as vector squares with libqrencode. */
#ifndef DOSSIER_QR_H
#define DOSSIER_QR_H

#include <hpdf.h>
#include <stdbool.h>

/* Quiet zone, in modules, left white around the symbol (ISO/IEC 18004 asks for 4). */
#define QR_QUIET_MODULES 4

/* Side in points of the symbol of TEXT (quiet zone included) at MODULE points per
 * module; 0 when TEXT cannot be encoded. */
float qr_size(const char *text, float module);

/* Draws TEXT's QR code (error correction M) with its lower-left quiet-zone corner at
 * (X, Y). False when libqrencode fails. */
bool qr_draw(HPDF_Page page, float x, float y, float module, const char *text);

#endif
