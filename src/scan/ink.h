/* Is a box filled? The scan is sampled in the page's own coordinates around the box,
 * matched against what the dossier printed there (the box's frame and caption, from
 * the sealed PDF) to correct the last pixels of misregistration, and the ink is what
 * the scan has that the dossier did not print. */
#ifndef DOSSIER_INK_H
#define DOSSIER_INK_H

#include <stdbool.h>

#include "locate.h"
#include "scanimage.h"

/* Measuring resolution: 150 dpi, in pixels per point. */
#define INK_PX_PER_PT (150.0 / 72.0)
/* Margin of page rendered around each box, in points. */
#define INK_MARGIN_PT 6.0
/* A box is filled from this share of its free area inked. */
#define INK_FILLED 0.004

struct ink_result {
    double ink;                 /* share of the box's free area inked, 0..1 */
    bool filled;
    double shift_x, shift_y;    /* correction found, in points of the page */
    double match;               /* how well the printed frame was found, 0..1 */
};

/* Measures the box (X, Y, W, H) (points) of the page mapped onto SCAN by MAP;
 * REFERENCE is the page's rendering of that box grown by INK_MARGIN_PT, at
 * INK_PX_PER_PT (reference_render). */
void ink_measure(const struct gray *scan, const struct affine *map, const struct gray *reference, double x, double y,
                 double w, double h, struct ink_result *out);

#endif
