/* Finding the dossier's QR codes on a scanned page, and the page's geometry from
 * them: zbar gives each symbol's four corners in the symbol's own order, so the
 * code's known place on the page gives where every box of the page is in the scan,
 * whatever the page's turn (upside down included), shift and scale. */
#ifndef DOSSIER_LOCATE_H
#define DOSSIER_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

#include "scanimage.h"
#include "../render/track.h"

struct found_code {
    char text[TRACK_CODE_MAX];
    /* Corners of the symbol (modules, no quiet zone) in scan pixels: top left, bottom
     * left, bottom right, top right, as the symbol reads. */
    double x[4], y[4];
};

/* Finds the dossier codes (text starting "DSR") of PAGE, the page's corners first
 * (bottom left, or top right when upside down), then the whole page. Returns how
 * many, at most MAX; -1 when zbar cannot be loaded. */
int locate_codes(const struct gray *page, struct found_code *out, int max);

/* Maps page points (origin bottom left, y up) to scan pixels. */
struct affine {
    double a, b, c, d, e, f;    /* x' = a x + b y + c; y' = d x + e y + f */
};

/* The least-squares affine map of N >= 3 points (PX, PY) onto (SX, SY); false when
 * they are degenerate. */
bool affine_fit(const double *px, const double *py, const double *sx, const double *sy, int n, struct affine *out);
void affine_apply(const struct affine *m, double x, double y, double *ox, double *oy);
/* Scale (scan pixels per point) and turn (degrees) of M, for reports. */
double affine_scale(const struct affine *m);
double affine_angle(const struct affine *m);

#endif
