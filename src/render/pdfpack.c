/* Object and xref streams over libharu's output (see pdfpack.h). libharu writes
 * "N 0 obj\n...\nendobj\n" objects in number order, a classic xref table and a
 * trailer with /Root, /Info and /Size; anything else is left alone. */
#include "pdfpack.h"
#include "flate.h"
#include "../util/strbuf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct object {
    size_t start, end;          /* "N 0 obj" up to the end of "endobj" */
    size_t body, body_end;      /* what lies between "obj\n" and "\nendobj" */
    bool stream;
};

static const unsigned char *find(const unsigned char *from, const unsigned char *end, const char *what)
{
    size_t n = strlen(what);
    if ((size_t)(end - from) < n)
        return NULL;
    return memmem(from, (size_t)(end - from), what, n);
}

/* The value of KEY ("/Root") in the trailer, as "N 0 R", into OUT. */
static bool trailer_ref(const unsigned char *trailer, const unsigned char *end, const char *key, char *out,
                        size_t size)
{
    const unsigned char *p = find(trailer, end, key);
    if (!p)
        return false;
    p += strlen(key);
    unsigned num, gen;
    if (sscanf((const char *)p, " %u %u R", &num, &gen) != 2 || gen != 0)
        return false;
    snprintf(out, size, "%u 0 R", num);
    return true;
}

/* OBJECTS[1..COUNT) from the xref table at XREF; false unless the objects come in
 * number order, each starting "N 0 obj" and ending where the next one starts with
 * "endobj" (a stream's bytes are never searched). */
static bool read_objects(const unsigned char *pdf, size_t len, const unsigned char *xref, struct object *objects,
                         size_t count)
{
    const unsigned char *end = pdf + len;
    const unsigned char *p = (const unsigned char *)memchr(xref, '\n', (size_t)(end - xref));
    if (!p || !(p = memchr(p + 1, '\n', (size_t)(end - p - 1))))
        return false;
    p++;    /* the entries: 20 bytes each, object 0 first */
    if ((size_t)(end - p) < 20 * count)
        return false;
    size_t xref_at = (size_t)(xref - pdf);
    for (size_t i = 1; i < count; i++) {
        const unsigned char *e = p + 20 * i;
        if (e[17] != 'n')
            return false;
        size_t off = (size_t)strtoul((const char *)e, NULL, 10);
        char head[32];
        int n = snprintf(head, sizeof head, "%zu 0 obj\n", i);
        if (off >= xref_at || xref_at - off < (size_t)n || memcmp(pdf + off, head, (size_t)n) != 0 ||
            (i > 1 && off <= objects[i - 1].start))
            return false;
        objects[i] = (struct object){ off, 0, off + (size_t)n, 0, false };
    }
    for (size_t i = 1; i < count; i++) {
        size_t stop = i + 1 < count ? objects[i + 1].start : xref_at;
        if (stop - objects[i].body < 8 || memcmp(pdf + stop - 8, "\nendobj\n", 8) != 0)
            return false;
        objects[i].end = stop;
        objects[i].body_end = stop - 8;
        const unsigned char *dict_end = find(pdf + objects[i].body, pdf + objects[i].body_end, ">>\nstream\r\n");
        objects[i].stream = dict_end != NULL;
    }
    return true;
}

static void put_be(struct strbuf *sb, uint64_t v, int bytes)
{
    char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (char)(v >> (8 * (bytes - 1 - i)));
    sb_append(sb, b, (size_t)bytes);
}

unsigned char *pdfpack(const unsigned char *pdf, size_t len, size_t *out_len)
{
    const unsigned char *end = pdf + len;
    if (len < 64 || memcmp(pdf, "%PDF-1.", 7) != 0)
        return NULL;
    /* The last "xref" of the file: libharu writes one, at its end. */
    const unsigned char *xref = NULL;
    for (const unsigned char *p = pdf; (p = find(p, end, "\nxref\n")) != NULL; p++)
        xref = p + 1;
    const unsigned char *trailer = xref ? find(xref, end, "trailer\n") : NULL;
    if (!trailer)
        return NULL;
    unsigned first, count;
    char root[32], info[32];
    if (sscanf((const char *)xref, "xref\n%u %u", &first, &count) != 2 || first != 0 || count < 2 ||
        count > 1000000 || !trailer_ref(trailer, end, "/Root", root, sizeof root) ||
        !trailer_ref(trailer, end, "/Info", info, sizeof info))
        return NULL;
    struct object *objects = calloc(count, sizeof *objects);
    if (!objects)
        abort();
    if (!read_objects(pdf, len, xref, objects, count)) {
        free(objects);
        return NULL;
    }

    /* The object stream: "num offset" pairs, then the objects' bodies. */
    size_t packed = 0;
    struct strbuf index = { 0 }, bodies = { 0 };
    for (size_t i = 1; i < count; i++) {
        if (objects[i].stream)
            continue;
        sb_printf(&index, "%zu %zu ", i, bodies.len);
        sb_append(&bodies, (const char *)pdf + objects[i].body, objects[i].body_end - objects[i].body);
        sb_append(&bodies, "\n", 1);
        packed++;
    }
    sb_append(&index, bodies.data ? bodies.data : "", bodies.len);
    const struct flate_part part = { index.data, index.len, 0 };
    size_t z_len;
    unsigned char *z = flate_join(NULL, &part, 1, &z_len);
    size_t first_offset = index.len - bodies.len;

    struct strbuf out = { 0 };
    /* Same header, version 1.5 (object streams), and libharu's binary comment. */
    const unsigned char *body_start = find(pdf, end, "\n");
    sb_puts(&out, "%PDF-1.5");
    sb_append(&out, (const char *)body_start, objects[1].start - (size_t)(body_start - pdf));
    uint64_t *offsets = calloc(count + 2, sizeof *offsets);
    size_t *slot = calloc(count, sizeof *slot);
    if (!offsets || !slot)
        abort();
    size_t k = 0;
    for (size_t i = 1; i < count; i++) {
        if (!objects[i].stream) {
            slot[i] = k++;
            continue;
        }
        offsets[i] = out.len;
        sb_append(&out, (const char *)pdf + objects[i].start, objects[i].end - objects[i].start);
    }
    size_t objstm = count, xrefstm = count + 1;
    offsets[objstm] = out.len;
    sb_printf(&out, "%zu 0 obj\n<< /Type /ObjStm /N %zu /First %zu /Filter /FlateDecode /Length %zu >>\nstream\r\n",
              objstm, packed, first_offset, z_len);
    sb_append(&out, (const char *)z, z_len);
    sb_puts(&out, "\nendstream\nendobj\n");

    /* The xref stream: type, offset or object stream, index or generation. */
    struct strbuf rows = { 0 };
    for (size_t i = 0; i < count + 2; i++) {
        if (i == 0) {
            put_be(&rows, 0, 1), put_be(&rows, 0, 4), put_be(&rows, 0xFFFF, 2);
        } else if (i < count && !objects[i].stream) {
            put_be(&rows, 2, 1), put_be(&rows, objstm, 4), put_be(&rows, slot[i], 2);
        } else {
            uint64_t off = i == xrefstm ? out.len : offsets[i];
            put_be(&rows, 1, 1), put_be(&rows, off, 4), put_be(&rows, 0, 2);
        }
    }
    const struct flate_part xpart = { rows.data, rows.len, 0 };
    size_t xz_len;
    unsigned char *xz = flate_join(NULL, &xpart, 1, &xz_len);
    size_t xref_offset = out.len;
    sb_printf(&out, "%zu 0 obj\n<< /Type /XRef /Size %zu /W [ 1 4 2 ] /Root %s /Info %s /Filter /FlateDecode "
                    "/Length %zu >>\nstream\r\n", xrefstm, (size_t)count + 2, root, info, xz_len);
    sb_append(&out, (const char *)xz, xz_len);
    sb_printf(&out, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref_offset);

    bool fits = out.len < ((uint64_t)1 << 32) && packed < 0xFFFF;
    free(xz);
    free(z);
    sb_release(&rows);
    sb_release(&index);
    sb_release(&bodies);
    free(offsets);
    free(slot);
    free(objects);
    if (!fits) {
        sb_release(&out);
        return NULL;
    }
    *out_len = out.len;
    return (unsigned char *)sb_take(&out);
}
