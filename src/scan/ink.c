/* Ink in a box, net of what the dossier printed there. */
#include "ink.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Search range of the correction, in measuring pixels (each side): what remains of
 * misregistration after the QR code's corners, far from the code. */
#define SEARCH 20
/* Printed pixels are grown by this much before they are left out. */
#define GROW 3
/* Inset of the measured area from the box's frame, in points. */
#define INSET 2.5
/* Darker than the paper by this much is ink (0..255). */
#define INK_DARKNESS 80

void ink_measure(const struct gray *scan, const struct affine *map, const struct gray *reference, double x, double y,
                 double w, double h, struct ink_result *out)
{
    memset(out, 0, sizeof *out);
    const double k = INK_PX_PER_PT;
    int pw = reference->w, ph = reference->h;
    int sw = pw + 2 * SEARCH, sh = ph + 2 * SEARCH;
    struct gray s;
    if (!gray_alloc(&s, sw, sh))
        return;
    /* The scan in page space, around the box and the search range. */
    double left = x - INK_MARGIN_PT, top = y + h + INK_MARGIN_PT;
    for (int j = 0; j < sh; j++) {
        for (int i = 0; i < sw; i++) {
            double px = left + (i - SEARCH + 0.5) / k, py = top - (j - SEARCH + 0.5) / k, sx, sy;
            affine_apply(map, px, py, &sx, &sy);
            double v = gray_sample(scan, sx, sy);
            s.px[(size_t)j * (size_t)sw + (size_t)i] = (uint8_t)lrint(v);
        }
    }
    /* The paper's white: the 90th percentile of the patch (most of a box is paper). */
    size_t n = (size_t)sw * (size_t)sh, histogram[256] = { 0 };
    for (size_t i = 0; i < n; i++)
        histogram[s.px[i]]++;
    int white = 0;
    for (size_t below = 0; white < 255 && (below += histogram[white]) < n * 9 / 10;)
        white++;
    if (white < 120)
        white = 120;
    /* Darkness of the scan: 0 paper, up to 255. */
    for (size_t i = 0; i < n; i++)
        s.px[i] = (uint8_t)(s.px[i] >= white ? 0 : white - s.px[i]);

    /* The correction: where the printed frame and caption best meet the scan's dark. */
    int *ix = malloc(sizeof(int) * (size_t)pw * (size_t)ph), *wt = malloc(sizeof(int) * (size_t)pw * (size_t)ph);
    size_t m = 0;
    double total = 0;
    for (int j = 0; j < ph; j++)
        for (int i = 0; i < pw; i++) {
            int r = 255 - reference->px[(size_t)j * (size_t)pw + (size_t)i];
            if (r > 40 && ix && wt) {
                ix[m] = (j + SEARCH) * sw + i + SEARCH;
                wt[m++] = r;
                total += r * 255.0;
            }
        }
    int best_dx = 0, best_dy = 0;
    double best = -1;
    for (int step = 2; step >= 1; step--) {
        int cx = best_dx, cy = best_dy, range = step == 2 ? SEARCH : 2;
        for (int dy = cy - range; dy <= cy + range; dy += step)
            for (int dx = cx - range; dx <= cx + range; dx += step) {
                if (abs(dx) > SEARCH || abs(dy) > SEARCH)
                    continue;
                long off = (long)dy * sw + dx;
                double score = 0;
                for (size_t q = 0; q < m; q++)
                    score += (double)wt[q] * s.px[ix[q] + off];
                if (score > best) {
                    best = score;
                    best_dx = dx;
                    best_dy = dy;
                }
            }
    }
    free(ix);
    free(wt);
    out->shift_x = best_dx / k;
    out->shift_y = -best_dy / k;
    out->match = total > 0 ? best / total : 0;

    /* What the dossier printed, grown, is left out. */
    uint8_t *printed = calloc((size_t)pw * (size_t)ph, 1);
    if (!printed) {
        gray_free(&s);
        return;
    }
    for (int j = 0; j < ph; j++)
        for (int i = 0; i < pw; i++) {
            if (reference->px[(size_t)j * (size_t)pw + (size_t)i] >= 230)
                continue;
            for (int b = j - GROW; b <= j + GROW; b++)
                for (int a = i - GROW; a <= i + GROW; a++)
                    if (a >= 0 && b >= 0 && a < pw && b < ph)
                        printed[(size_t)b * (size_t)pw + (size_t)a] = 1;
        }
    int i0 = (int)ceil((INK_MARGIN_PT + INSET) * k), i1 = (int)floor((INK_MARGIN_PT + w - INSET) * k);
    int j0 = (int)ceil((INK_MARGIN_PT + INSET) * k), j1 = (int)floor((INK_MARGIN_PT + h - INSET) * k);
    long free_px = 0, inked = 0;
    for (int j = j0; j < j1 && j < ph; j++)
        for (int i = i0; i < i1 && i < pw; i++) {
            if (printed[(size_t)j * (size_t)pw + (size_t)i])
                continue;
            free_px++;
            size_t at = (size_t)(j + SEARCH + best_dy) * (size_t)sw + (size_t)(i + SEARCH + best_dx);
            if (s.px[at] < INK_DARKNESS)
                continue;
            /* A stroke, not a speck of noise: two of its eight neighbours dark too. */
            int near = 0;
            for (int b = -1; b <= 1; b++)
                for (int a = -1; a <= 1; a++)
                    near += (a || b) && s.px[(long)at + (long)b * sw + a] >= INK_DARKNESS;
            inked += near >= 2;
        }
    free(printed);
    gray_free(&s);
    out->ink = free_px ? (double)inked / (double)free_px : 0;
    out->filled = out->ink >= INK_FILLED;
}
