/* libharu's output repacked as PDF 1.5: every object that is not a stream (pages,
 * fonts and their /Widths and /Differences, descriptors, lengths, catalog, info) in
 * one deflated object stream, and the cross-reference table as a deflated xref
 * stream. libharu 2.3.0 writes neither; on a light 12-page dossier they were about
 * 9 KB of plain text. Streams are copied as they are. */
#ifndef DOSSIER_PDFPACK_H
#define DOSSIER_PDFPACK_H

#include <stddef.h>

/* The repacked document (malloc'd, *OUT_LEN), or NULL when PDF[0..LEN) is not laid
 * out as libharu writes it (the caller then keeps it as it is). */
unsigned char *pdfpack(const unsigned char *pdf, size_t len, size_t *out_len);

#endif
