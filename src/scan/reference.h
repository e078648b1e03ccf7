/* The dossier as it was sent: its sealed PDF, opened with poppler, gives the page
 * map attached to it and what was printed in each box (so that the caption of a box
 * is not taken for ink). */
#ifndef DOSSIER_REFERENCE_H
#define DOSSIER_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "scanimage.h"

struct reference_pdf;

/* Opens the PDF of LEN bytes at DATA (kept by the caller while it is open); NULL
 * when poppler is missing or the PDF unreadable. */
struct reference_pdf *reference_open(const unsigned char *data, size_t len);
void reference_close(struct reference_pdf *pdf);

/* The attached file NAME (malloc'd, *LEN bytes), or NULL. */
char *reference_attachment(struct reference_pdf *pdf, const char *name, size_t *len);

/* Renders the rectangle (X, Y, W, H) of page INDEX (0-based; points, origin bottom
 * left) grown by MARGIN on each side, at K pixels per point, into OUT (row 0 at the
 * top). */
bool reference_render(struct reference_pdf *pdf, int index, double x, double y, double w, double h, double margin,
                      double k, struct gray *out);

#endif
