/* Layout engine: text flow with wrapping, field rows, boxed sections, tick boxes,
 * tables, pagination with keep-together, headers and footers with "page i / n". */
#ifndef DOSSIER_LAYOUT_H
#define DOSSIER_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "pdf.h"

struct layout;

/* What every page of a document gets once the document's page count is known
 * (header, footer, tracking code, initialling boxes): supplied by the document,
 * drawn by DRAW on each page; the layout only says which page it is. */
struct page_furniture {
    void (*draw)(struct layout *l, struct pdf_page *page, int index, int count,
                 bool signature_page, const void *data);
    const void *data;
};

/* What a returned paper dossier is checked for (dossier check-scan): the boxes a
 * person must fill by hand. */
enum mark_kind { MARK_PARAPHE, MARK_SIGNATURE, MARK_CERTIFIE };

/* A box to be filled by hand, in points on page PAGE (index in layout.pages). */
struct layout_mark {
    size_t page;
    enum mark_kind kind;
    const char *person;         /* who fills it ("Jeanne Martin"); outlives the layout */
    const char *role;           /* "titulaire", "rl", "delegataire", "responsable" */
    float x, y, w, h;
};

struct layout_page {
    struct pdf_page *page;
    bool no_paraphe;            /* the signature page */
    /* Set by the page furniture: the document, the page's place in it, and its QR code
     * (text, and the square of its dark modules in points, quiet zone excluded). */
    const char *document;
    int index, count;
    char *code;                 /* malloc'd */
    float qr_x, qr_y, qr_side;
    int qr_modules;
};

struct line_span {
    size_t start, len;
};

struct layout {
    struct pdf *pdf;
    const struct page_furniture *furniture;
    struct pdf_page *page;
    float left, right, top, bottom;
    float y;                    /* top of the next thing to place */
    struct layout_page *pages;
    size_t page_count, page_capacity;
    size_t doc_first;           /* index of the current document's first page */
    /* open boxed section */
    bool box_open;
    float box_top;
    const char *box_title;
    int problems;               /* text that could not be placed (should stay 0) */
    struct layout_mark *marks;  /* the hand-filled boxes, in drawing order */
    size_t mark_count, mark_capacity;
};

/* Type sizes used throughout, in points. */
#define SIZE_BODY 9.0f
#define SIZE_SMALL 7.5f
#define SIZE_TITLE 15.0f
#define SIZE_SECTION 10.0f
#define LEADING 1.32f

void layout_init(struct layout *l, struct pdf *pdf);
void layout_release(struct layout *l);

/* A document starts on a new page; its end has FURNITURE drawn on each of its pages,
 * now that their number is known. Returns the document's page count. */
void layout_begin_document(struct layout *l, const struct page_furniture *furniture);
int layout_end_document(struct layout *l);

void layout_new_page(struct layout *l);
/* Marks the current page as the signature page (no initialling boxes). */
void layout_mark_signature_page(struct layout *l);
/* Starts a new page unless HEIGHT points still fit. */
void layout_ensure(struct layout *l, float height);
void layout_space(struct layout *l, float height);
float layout_remaining(const struct layout *l);

/* Breaks TEXT into lines no wider than WIDTH: at spaces, at explicit line breaks,
 * and inside a word longer than the line. *LINES is malloc'd; returns the count. */
size_t layout_wrap(struct pdf *pdf, enum font_style style, float size, const char *text,
                   float width, struct line_span **lines);
/* Height of TEXT wrapped to WIDTH. */
float layout_text_height(struct layout *l, enum font_style style, float size, const char *text, float width);
/* Draws TEXT wrapped into WIDTH from (X, TOP) down; returns the height used. */
float layout_draw_wrapped(struct layout *l, float x, float top, float width, enum font_style style,
                          float size, const char *text);

void layout_title(struct layout *l, const char *title, const char *subtitle);
void layout_paragraph(struct layout *l, const char *text, enum font_style style, float size, float indent);
/* A paragraph starting with a bold lead-in ("Article 3 – ", "Terme : "). */
void layout_paragraph_lead(struct layout *l, const char *lead, const char *text, float size, float indent);
void layout_bullet(struct layout *l, const char *lead, const char *text, float indent);

/* A boxed section with a title bar; keeps the title with at least MIN_BODY points of
 * what follows. Continues on the next page with "(suite)" when it breaks. */
void layout_section_begin(struct layout *l, const char *title, float min_body);
void layout_section_end(struct layout *l);

/* "Label : value" rows, the value wrapped in its column; empty values print "—". */
void layout_field(struct layout *l, const char *label, const char *value);
void layout_field_pair(struct layout *l, const char *label1, const char *value1,
                       const char *label2, const char *value2);
/* A tick box (ticked or not) followed by wrapped TEXT. */
void layout_checkbox(struct layout *l, bool ticked, const char *text);

/* Tables: a header row repeated on each page, cells wrapped in their column. */
struct table {
    size_t columns;
    const float *widths;        /* fractions of the content width */
    const char *const *header;
};
void layout_table_header(struct layout *l, const struct table *t);
void layout_table_row(struct layout *l, const struct table *t, const char *const *cells,
                      const enum font_style *styles);

/* Records a box to be filled by hand on page PAGE (index in l->pages), or on the
 * current page (layout_mark_here). */
void layout_mark(struct layout *l, size_t page, enum mark_kind kind, const char *person, const char *role,
                 float x, float y, float w, float h);
void layout_mark_here(struct layout *l, enum mark_kind kind, const char *person, const char *role,
                      float x, float y, float w, float h);
/* Records PAGE's tracking code and where its QR code's modules are. */
void layout_page_code(struct layout *l, size_t page, const char *document, int index, int count,
                      const char *code, float qr_x, float qr_y, float qr_side, int qr_modules);

/* Low-level shapes on the current page, in the layout's rule grey. */
void layout_rect(struct layout *l, float x, float y, float w, float h, float gray_fill, bool stroke);
void layout_line(struct layout *l, float x1, float y1, float x2, float y2, float width);
/* The grey of the text that follows. */
void layout_gray(struct layout *l, float gray);

/* Where the layout puts things, for the page furniture. */
#define LAYOUT_MARGIN_X MM(18)
#define GRAY_TEXT 0.30f
#define GRAY_RULE 0.55f

#endif
