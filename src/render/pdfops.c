/* Compact PDF content operators (see pdfops.h). */
#include "pdfops.h"

#include <math.h>
#include <string.h>

void ops_init(struct pdf_ops *o)
{
    memset(o, 0, sizeof *o);
    ops_layer(o, OPS_BODY);
}

void ops_release(struct pdf_ops *o)
{
    for (int i = 0; i < OPS_LAYERS; i++)
        sb_release(&o->layer[i]);
}

static struct strbuf *out(struct pdf_ops *o)
{
    return &o->layer[o->current];
}

static void put(struct pdf_ops *o, const char *text)
{
    sb_append(out(o), text, strlen(text));
}

/* An integer and a space, without printf. */
static void put_int(struct strbuf *sb, int v)
{
    char buf[16], *p = buf + sizeof buf;
    *--p = ' ';
    unsigned u = (unsigned)(v < 0 ? -v : v);
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    sb_append(sb, p, (size_t)(buf + sizeof buf - p));
}

void ops_number(struct strbuf *sb, float number)
{
    /* Hundredths of a point are far below what a printer or a viewer shows. */
    long v = lroundf(number * 100.0f);
    char buf[32], *p = buf + sizeof buf;
    bool negative = v < 0;
    unsigned long u = negative ? (unsigned long)-v : (unsigned long)v;
    unsigned long frac = u % 100, whole = u / 100;
    if (frac) {
        if (frac % 10)
            *--p = (char)('0' + frac % 10);
        *--p = (char)('0' + frac / 10);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (negative && (u != 0))
        *--p = '-';
    sb_append(sb, p, (size_t)(buf + sizeof buf - p));
}

/* NUMBER then a space. */
static void num(struct pdf_ops *o, float number)
{
    ops_number(out(o), number);
    sb_append(out(o), " ", 1);
}

void ops_layer(struct pdf_ops *o, enum ops_layer layer)
{
    ops_end(o);
    o->current = layer;
    /* Each layer assumes only the page's initial state: black fill, no font. */
    o->font = -1;
    o->font_size = 0;
    o->fill = layer == OPS_BODY ? 0 : -1;
}

void ops_end(struct pdf_ops *o)
{
    if (!o->in_text)
        return;
    put(o, "ET\n");
    o->in_text = false;
}

void ops_fill_gray(struct pdf_ops *o, float gray)
{
    if (o->fill == gray)
        return;
    num(o, gray);
    put(o, "g\n");
    o->fill = gray;
}

void ops_text_at(struct pdf_ops *o, float x, float y)
{
    /* Inside one text object, a line moves from the previous one: the same short
     * steps down a paragraph deflate to almost nothing. */
    if (!o->in_text) {
        put(o, "BT\n");
        o->in_text = true;
        o->line_x = 0;
        o->line_y = 0;
    }
    num(o, x - o->line_x);
    num(o, y - o->line_y);
    put(o, "Td\n");
    /* The viewer adds up the numbers as written: follow the same sums, so that the
     * rounding does not accumulate down a page. */
    o->line_x += roundf((x - o->line_x) * 100.0f) / 100.0f;
    o->line_y += roundf((y - o->line_y) * 100.0f) / 100.0f;
}

void ops_show(struct pdf_ops *o, int font, float size, const char *bytes, size_t len)
{
    if (font != o->font || size != o->font_size) {
        put(o, "/F");
        put_int(out(o), font);
        num(o, size);
        put(o, "Tf\n");
        o->font = font;
        o->font_size = size;
        o->fonts_used[o->current] |= 1u << font;
    }
    uint8_t *drawn = o->drawn[o->current][font];
    for (size_t i = 0; i < len; i++)
        drawn[(unsigned char)bytes[i] >> 3] |= (uint8_t)(1u << (bytes[i] & 7));
    /* Bytes as they are, but the three a literal string must escape and the line
     * ends a reader would normalise. */
    struct strbuf *sb = out(o);
    sb_append(sb, "(", 1);
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        char c = bytes[i];
        const char *esc = c == '(' ? "\\(" : c == ')' ? "\\)" : c == '\\' ? "\\\\" : c == '\r' ? "\\r"
                        : c == '\n' ? "\\n" : NULL;
        if (!esc)
            continue;
        sb_append(sb, bytes + from, i - from);
        sb_append(sb, esc, 2);
        from = i + 1;
    }
    sb_append(sb, bytes + from, len - from);
    sb_append(sb, ")Tj\n", 4);
}

void ops_rect(struct pdf_ops *o, float x, float y, float w, float h, float line_width, float stroke,
              float fill)
{
    ops_end(o);
    put(o, "q ");
    if (stroke >= 0) {
        num(o, line_width);
        put(o, "w ");
        num(o, stroke);
        put(o, "G ");
    }
    if (fill >= 0) {
        num(o, fill);
        put(o, "g ");
    }
    num(o, x);
    num(o, y);
    num(o, w);
    num(o, h);
    put(o, fill >= 0 && stroke >= 0 ? "re B Q\n" : fill >= 0 ? "re f Q\n" : "re S Q\n");
}

void ops_polyline(struct pdf_ops *o, const float *xy, size_t n, float width, float gray)
{
    if (n < 2)
        return;
    ops_end(o);
    put(o, "q ");
    num(o, width);
    put(o, "w ");
    num(o, gray);
    put(o, "G ");
    for (size_t i = 0; i < n; i++) {
        num(o, xy[2 * i]);
        num(o, xy[2 * i + 1]);
        put(o, i ? "l " : "m ");
    }
    put(o, "S Q\n");
}

/* Saves the state and maps the unit square onto the box (X, Y, W, H), as images are
 * drawn. */
static void unit_square_to(struct pdf_ops *o, float x, float y, float w, float h)
{
    ops_end(o);
    put(o, "q ");
    num(o, w);
    put(o, "0 0 ");
    num(o, h);
    num(o, x);
    num(o, y);
    put(o, "cm ");
}

void ops_image(struct pdf_ops *o, int n, float x, float y, float w, float h)
{
    unit_square_to(o, x, y, w, h);
    put(o, "/I");
    put_int(out(o), n);
    put(o, "Do Q\n");
}

void ops_stencil(struct pdf_ops *o, float gray, float x, float y, float w, float h, int pw, int ph,
                 const unsigned char *bits, size_t stride)
{
    unit_square_to(o, x, y, w, h);
    num(o, gray);
    put(o, "g\nBI /W ");
    put_int(out(o), pw);
    put(o, "/H ");
    put_int(out(o), ph);
    put(o, "/IM true /D [1 0] /F /AHx ID\n");
    static const char hex[] = "0123456789ABCDEF";
    size_t row_bytes = ((size_t)pw + 7) / 8;
    struct strbuf *sb = out(o);
    for (int r = 0; r < ph; r++) {
        const unsigned char *row = bits + (size_t)r * stride;
        char chunk[2 * 64 + 1];
        for (size_t i = 0; i < row_bytes;) {
            size_t n = 0;
            for (; i < row_bytes && n < 2 * 64; i++) {
                chunk[n++] = hex[row[i] >> 4];
                chunk[n++] = hex[row[i] & 15];
            }
            sb_append(sb, chunk, n);
        }
        sb_append(sb, "\n", 1);
    }
    put(o, ">\nEI Q\n");
}
