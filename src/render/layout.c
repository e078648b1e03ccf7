/* Layout engine on the PDF canvas: flow, wrapping, sections, tables, page furniture. */
#include "layout.h"
#include "../util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN_X LAYOUT_MARGIN_X
#define CONTENT_TOP (PAGE_HEIGHT - MM(25))
#define CONTENT_BOTTOM MM(35)
#define BOX_PAD 6.0f
#define TITLE_BAR 16.0f
#define LABEL_SHARE 0.36f
/* Inside a table cell, each side: wide enough that text extraction (pdftotext) does
 * not read a full line and the next column's as one line. */
#define CELL_PAD 6.0f

void layout_init(struct layout *l, struct pdf *pdf)
{
    memset(l, 0, sizeof *l);
    l->pdf = pdf;
    l->left = MARGIN_X;
    l->right = PAGE_WIDTH - MARGIN_X;
    l->top = CONTENT_TOP;
    l->bottom = CONTENT_BOTTOM;
}

void layout_release(struct layout *l)
{
    for (size_t i = 0; i < l->page_count; i++)
        free(l->pages[i].code);
    free(l->marks);
    free(l->pages);
    l->pages = NULL;
}

static float content_left(const struct layout *l)
{
    return l->box_open ? l->left + BOX_PAD : l->left;
}

static float content_right(const struct layout *l)
{
    return l->box_open ? l->right - BOX_PAD : l->right;
}

void layout_rect(struct layout *l, float x, float y, float w, float h, float gray_fill, bool stroke)
{
    pdf_rect(l->page, x, y, w, h, 0.6f, stroke || gray_fill < 0 ? GRAY_RULE : -1, gray_fill);
}

void layout_line(struct layout *l, float x1, float y1, float x2, float y2, float width)
{
    pdf_line(l->page, x1, y1, x2, y2, width, GRAY_RULE);
}

void layout_gray(struct layout *l, float gray)
{
    pdf_fill_gray(l->page, gray);
}

static void set_gray(struct layout *l, float g)
{
    layout_gray(l, g);
}

/* --- wrapping ---------------------------------------------------------- */

struct lines {
    struct line_span *items;
    size_t count, capacity;
};

static void push_line(struct lines *ls, size_t start, size_t len)
{
    if (ls->count == ls->capacity) {
        ls->capacity = ls->capacity ? ls->capacity * 2 : 8;
        ls->items = realloc(ls->items, ls->capacity * sizeof *ls->items);
        if (!ls->items)
            abort();
    }
    ls->items[ls->count++] = (struct line_span){ start, len };
}

/* Longest prefix (in bytes, at a character boundary) of TEXT[0..LEN) within WIDTH;
 * at least one character so that the flow always advances. */
static size_t fitting_prefix(struct pdf *pdf, enum font_style style, float size, const char *text,
                             size_t len, float width)
{
    const char *p = text, *end = text + len;
    size_t best = 0;
    while (p < end) {
        const char *before = p;
        utf8_next(&p, end);
        size_t n = (size_t)(p - text);
        if (pdf_text_width(pdf, style, size, text, n) > width)
            return best ? best : (size_t)(p - before);
        best = n;
    }
    return best;
}

size_t layout_wrap(struct pdf *pdf, enum font_style style, float size, const char *text,
                   float width, struct line_span **out)
{
    struct lines ls = { 0 };
    size_t len = strlen(text);
    float space = pdf_text_width(pdf, style, size, " ", 1);
    size_t para = 0;
    while (para <= len) {
        size_t para_end = para;
        while (para_end < len && text[para_end] != '\n')
            para_end++;
        /* one paragraph: words separated by ASCII spaces */
        size_t line_start = para, line_end = para;
        float line_width = 0;
        bool line_empty = true;
        size_t i = para;
        while (i < para_end) {
            while (i < para_end && text[i] == ' ')
                i++;
            if (i >= para_end)
                break;
            size_t w = i;
            while (w < para_end && text[w] != ' ')
                w++;
            float ww = pdf_text_width(pdf, style, size, text + i, w - i);
            if (!line_empty && line_width + space + ww <= width) {
                line_width += space + ww;
                line_end = w;
            } else if (line_empty && ww <= width) {
                line_start = i;
                line_end = w;
                line_width = ww;
                line_empty = false;
            } else {
                if (!line_empty)
                    push_line(&ls, line_start, line_end - line_start);
                line_empty = true;
                line_width = 0;
                /* a word wider than the line is cut where it must be */
                size_t k = i;
                while (k < w) {
                    float rest = pdf_text_width(pdf, style, size, text + k, w - k);
                    if (rest <= width) {
                        line_start = k;
                        line_end = w;
                        line_width = rest;
                        line_empty = false;
                        break;
                    }
                    size_t cut = fitting_prefix(pdf, style, size, text + k, w - k, width);
                    push_line(&ls, k, cut);
                    k += cut;
                }
            }
            i = w;
        }
        if (!line_empty)
            push_line(&ls, line_start, line_end - line_start);
        else if (para_end == para || ls.count == 0)
            push_line(&ls, para, 0);    /* an empty paragraph still takes a line */
        para = para_end + 1;
    }
    *out = ls.items;
    return ls.count;
}

float layout_text_height(struct layout *l, enum font_style style, float size, const char *text, float width)
{
    struct line_span *lines;
    size_t n = layout_wrap(l->pdf, style, size, text, width, &lines);
    free(lines);
    return (float)n * size * LEADING;
}

float layout_draw_wrapped(struct layout *l, float x, float top, float width, enum font_style style,
                          float size, const char *text)
{
    struct line_span *lines;
    size_t n = layout_wrap(l->pdf, style, size, text, width, &lines);
    float lead = size * LEADING;
    for (size_t i = 0; i < n; i++) {
        float baseline = top - (float)i * lead - size;
        /* Keep the check honest: a line must never overflow its column. */
        if (pdf_text_width(l->pdf, style, size, text + lines[i].start, lines[i].len) > width + 0.01f)
            l->problems++;
        pdf_text(l->pdf, l->page, x, baseline, style, size, text + lines[i].start, lines[i].len);
    }
    free(lines);
    return (float)n * lead;
}

/* --- pages -------------------------------------------------------------- */

static void close_box_fragment(struct layout *l)
{
    float bottom = l->y - 2;
    layout_rect(l, l->left, bottom, l->right - l->left, l->box_top - bottom, -1, true);
}

static void draw_title_bar(struct layout *l, const char *title)
{
    float h = TITLE_BAR;
    layout_rect(l, l->left, l->y - h, l->right - l->left, h, 0.88f, true);
    set_gray(l, 0);
    pdf_text(l->pdf, l->page, l->left + BOX_PAD, l->y - h + 4.6f, STYLE_BOLD, SIZE_SECTION, title, strlen(title));
    l->y -= h + 5;
}

void layout_new_page(struct layout *l)
{
    if (l->box_open && l->page)
        close_box_fragment(l);
    if (l->page_count == l->page_capacity) {
        l->page_capacity = l->page_capacity ? l->page_capacity * 2 : 16;
        l->pages = realloc(l->pages, l->page_capacity * sizeof *l->pages);
        if (!l->pages)
            abort();
    }
    l->page = pdf_add_page(l->pdf);
    l->pages[l->page_count++] = (struct layout_page){ .page = l->page };
    l->y = l->top;
    if (l->box_open) {
        char title[400];
        snprintf(title, sizeof title, "%s (suite)", l->box_title);
        l->box_top = l->y;
        draw_title_bar(l, title);
    }
}

void layout_mark_signature_page(struct layout *l)
{
    l->pages[l->page_count - 1].no_paraphe = true;
}

float layout_remaining(const struct layout *l)
{
    return l->y - l->bottom - (l->box_open ? BOX_PAD : 0);
}

void layout_ensure(struct layout *l, float height)
{
    if (layout_remaining(l) < height)
        layout_new_page(l);
}

void layout_space(struct layout *l, float height)
{
    if (layout_remaining(l) < height)
        layout_new_page(l);
    else
        l->y -= height;
}

void layout_begin_document(struct layout *l, const struct page_furniture *furniture)
{
    l->furniture = furniture;
    l->doc_first = l->page_count;
    l->box_open = false;
    layout_new_page(l);
}

void layout_mark(struct layout *l, size_t page, enum mark_kind kind, const char *person, const char *role,
                 float x, float y, float w, float h)
{
    if (l->mark_count == l->mark_capacity) {
        l->mark_capacity = l->mark_capacity ? 2 * l->mark_capacity : 16;
        l->marks = realloc(l->marks, l->mark_capacity * sizeof *l->marks);
        if (!l->marks)
            abort();
    }
    l->marks[l->mark_count++] = (struct layout_mark){ page, kind, person, role, x, y, w, h };
}

void layout_mark_here(struct layout *l, enum mark_kind kind, const char *person, const char *role,
                      float x, float y, float w, float h)
{
    layout_mark(l, l->page_count - 1, kind, person, role, x, y, w, h);
}

void layout_page_code(struct layout *l, size_t page, const char *document, int index, int count,
                      const char *code, float qr_x, float qr_y, float qr_side, int qr_modules)
{
    struct layout_page *lp = &l->pages[page];
    free(lp->code);
    lp->code = strdup(code);
    if (!lp->code)
        abort();
    lp->document = document;
    lp->index = index;
    lp->count = count;
    lp->qr_x = qr_x;
    lp->qr_y = qr_y;
    lp->qr_side = qr_side;
    lp->qr_modules = qr_modules;
}

int layout_end_document(struct layout *l)
{
    if (l->box_open)
        layout_section_end(l);
    int count = (int)(l->page_count - l->doc_first);
    for (int i = 0; l->furniture && i < count; i++) {
        const struct layout_page *lp = &l->pages[l->doc_first + (size_t)i];
        pdf_begin_furniture(lp->page);
        l->furniture->draw(l, lp->page, i + 1, count, lp->no_paraphe, l->furniture->data);
    }
    return count;
}

/* --- blocks ------------------------------------------------------------- */

void layout_title(struct layout *l, const char *title, const char *subtitle)
{
    float w = content_right(l) - content_left(l);
    float h = layout_text_height(l, STYLE_BOLD, SIZE_TITLE, title, w);
    layout_ensure(l, h + 30);
    set_gray(l, 0);
    l->y -= layout_draw_wrapped(l, content_left(l), l->y, w, STYLE_BOLD, SIZE_TITLE, title);
    if (subtitle) {
        l->y -= 2;
        set_gray(l, GRAY_TEXT);
        l->y -= layout_draw_wrapped(l, content_left(l), l->y, w, STYLE_REGULAR, SIZE_BODY, subtitle);
        set_gray(l, 0);
    }
    l->y -= 8;
}

/* Draws wrapped text line by line, breaking pages between lines; keeps at least two
 * lines together at a page end (no orphan line). */
static void flow_lines(struct layout *l, float x, float width, enum font_style style, float size,
                       const char *text)
{
    struct line_span *lines;
    size_t n = layout_wrap(l->pdf, style, size, text, width, &lines);
    float lead = size * LEADING;
    size_t first = n >= 2 ? 2 : n;
    layout_ensure(l, (float)first * lead);
    for (size_t i = 0; i < n; i++) {
        /* The last line does not go alone to the next page either. */
        float need = (i + 2 == n) ? 2 * lead : lead;
        if (layout_remaining(l) < need && i > 0)
            layout_new_page(l);
        set_gray(l, 0);
        if (pdf_text_width(l->pdf, style, size, text + lines[i].start, lines[i].len) > width + 0.01f)
            l->problems++;
        pdf_text(l->pdf, l->page, x, l->y - size, style, size, text + lines[i].start, lines[i].len);
        l->y -= lead;
    }
    free(lines);
}

void layout_paragraph(struct layout *l, const char *text, enum font_style style, float size, float indent)
{
    float x = content_left(l) + indent;
    flow_lines(l, x, content_right(l) - x, style, size, text);
    l->y -= size * 0.45f;
}

void layout_paragraph_lead(struct layout *l, const char *lead, const char *text, float size, float indent)
{
    /* The lead-in is set bold on the first line; the rest flows after it. */
    float x = content_left(l) + indent;
    float width = content_right(l) - x;
    float lw = pdf_text_width(l->pdf, STYLE_BOLD, size, lead, strlen(lead));
    float lh = size * LEADING;
    if (lw > width * 0.6f) {
        flow_lines(l, x, width, STYLE_BOLD, size, lead);
        layout_paragraph(l, text, STYLE_REGULAR, size, indent);
        return;
    }
    struct line_span *first;
    size_t n = layout_wrap(l->pdf, STYLE_REGULAR, size, text, width - lw, &first);
    /* Take from TEXT the words that fit after the lead-in on the first line. */
    size_t split = n > 0 ? first[0].start + first[0].len : 0;
    free(first);
    layout_ensure(l, 2 * lh);
    set_gray(l, 0);
    pdf_text(l->pdf, l->page, x, l->y - size, STYLE_BOLD, size, lead, strlen(lead));
    pdf_text(l->pdf, l->page, x + lw, l->y - size, STYLE_REGULAR, size, text, split);
    l->y -= lh;
    while (text[split] == ' ')
        split++;
    if (text[split])
        flow_lines(l, x, width, STYLE_REGULAR, size, text + split);
    l->y -= size * 0.45f;
}

void layout_bullet(struct layout *l, const char *lead, const char *text, float indent)
{
    float x = content_left(l) + indent;
    layout_ensure(l, 2 * SIZE_BODY * LEADING);
    set_gray(l, 0);
    pdf_text(l->pdf, l->page, x, l->y - SIZE_BODY, STYLE_REGULAR, SIZE_BODY, "–", strlen("–"));
    if (lead)
        layout_paragraph_lead(l, lead, text, SIZE_BODY, indent + 10);
    else
        layout_paragraph(l, text, STYLE_REGULAR, SIZE_BODY, indent + 10);
}

void layout_section_begin(struct layout *l, const char *title, float min_body)
{
    if (l->box_open)
        layout_section_end(l);
    layout_ensure(l, TITLE_BAR + 5 + min_body + BOX_PAD);
    l->box_open = true;
    l->box_title = title;
    l->box_top = l->y;
    draw_title_bar(l, title);
}

void layout_section_end(struct layout *l)
{
    if (!l->box_open)
        return;
    l->y -= 2;
    close_box_fragment(l);
    l->box_open = false;
    l->y -= 10;
}

static const char *or_dash(const char *value)
{
    return value && *value ? value : "—";
}

void layout_field(struct layout *l, const char *label, const char *value)
{
    float x = content_left(l), right = content_right(l);
    float lw = (right - x) * LABEL_SHARE;
    float vx = x + lw + 6;
    float vw = right - vx;
    value = or_dash(value);
    float hl = layout_text_height(l, STYLE_REGULAR, SIZE_BODY - 0.5f, label, lw);
    float hv = layout_text_height(l, STYLE_REGULAR, SIZE_BODY, value, vw);
    float h = hl > hv ? hl : hv;
    if (h > l->top - l->bottom - 60) {
        /* Taller than a page: let the value flow line by line. */
        layout_ensure(l, hl);
        set_gray(l, GRAY_TEXT);
        layout_draw_wrapped(l, x, l->y, lw, STYLE_REGULAR, SIZE_BODY - 0.5f, label);
        flow_lines(l, vx, vw, STYLE_REGULAR, SIZE_BODY, value);
        l->y -= 2.5f;
        return;
    }
    layout_ensure(l, h + 2.5f);
    set_gray(l, GRAY_TEXT);
    layout_draw_wrapped(l, x, l->y, lw, STYLE_REGULAR, SIZE_BODY - 0.5f, label);
    set_gray(l, 0);
    layout_draw_wrapped(l, vx, l->y, vw, STYLE_REGULAR, SIZE_BODY, value);
    l->y -= h + 2.5f;
}

/* True when no word of TEXT is wider than WIDTH (so it wraps without cutting a word). */
static bool words_fit(struct pdf *pdf, enum font_style style, float size, const char *text, float width)
{
    const char *s = text;
    while (*s) {
        while (*s == ' ' || *s == '\n')
            s++;
        const char *e = s;
        while (*e && *e != ' ' && *e != '\n')
            e++;
        if (e > s && pdf_text_width(pdf, style, size, s, (size_t)(e - s)) > width)
            return false;
        s = e;
    }
    return true;
}

void layout_field_pair(struct layout *l, const char *label1, const char *value1,
                       const char *label2, const char *value2)
{
    /* The first value lines up with the value column of single rows. */
    float x = content_left(l), width = content_right(l) - x;
    const float starts[4] = { 0, LABEL_SHARE, 0.63f, 0.80f };
    const float ends[4] = { LABEL_SHARE - 0.01f, 0.61f, 0.79f, 1.0f };
    const char *text[4] = { label1, or_dash(value1), label2, or_dash(value2) };
    /* A word too long for its half-row column gets a full row rather than a cut. */
    for (int i = 1; i < 4; i += 2) {
        if (!words_fit(l->pdf, STYLE_REGULAR, SIZE_BODY, text[i], (ends[i] - starts[i]) * width - 6)) {
            layout_field(l, label1, value1);
            layout_field(l, label2, value2);
            return;
        }
    }
    float h = 0;
    for (int i = 0; i < 4; i++) {
        float size = i % 2 ? SIZE_BODY : SIZE_BODY - 0.5f;
        float ch = layout_text_height(l, STYLE_REGULAR, size, text[i], (ends[i] - starts[i]) * width);
        h = ch > h ? ch : h;
    }
    layout_ensure(l, h + 2.5f);
    for (int i = 0; i < 4; i++) {
        float size = i % 2 ? SIZE_BODY : SIZE_BODY - 0.5f;
        set_gray(l, i % 2 ? 0 : GRAY_TEXT);
        layout_draw_wrapped(l, x + starts[i] * width + (i == 1 ? 6 : 0), l->y,
                            (ends[i] - starts[i]) * width - (i == 1 ? 6 : 0), STYLE_REGULAR, size, text[i]);
    }
    set_gray(l, 0);
    l->y -= h + 2.5f;
}

void layout_checkbox(struct layout *l, bool ticked, const char *text)
{
    float x = content_left(l), right = content_right(l);
    float box = 8.5f;
    float tx = x + box + 6;
    float h = layout_text_height(l, STYLE_REGULAR, SIZE_BODY, text, right - tx);
    layout_ensure(l, (h > box ? h : box) + 3);
    pdf_rect(l->page, x, l->y - box - 0.5f, box, box, 0.7f, 0.2f, -1);
    if (ticked) {
        const float tick[6] = {
            x + 1.8f, l->y - box / 2 - 0.5f, x + box / 2 - 0.5f, l->y - box + 1.5f, x + box - 1.2f, l->y - 1.5f,
        };
        pdf_polyline(l->page, tick, 3, 1.2f, 0.2f);
    }
    set_gray(l, 0);
    layout_draw_wrapped(l, tx, l->y, right - tx, STYLE_REGULAR, SIZE_BODY, text);
    l->y -= (h > box ? h : box) + 3;
}

/* --- tables --------------------------------------------------------------- */

static float table_row_height(struct layout *l, const struct table *t, const char *const *cells,
                              const enum font_style *styles, float width)
{
    float h = 0;
    for (size_t c = 0; c < t->columns; c++) {
        float cw = t->widths[c] * width - 2 * CELL_PAD;
        float ch = layout_text_height(l, styles ? styles[c] : STYLE_REGULAR, SIZE_BODY, or_dash(cells[c]), cw);
        h = ch > h ? ch : h;
    }
    return h + 7;
}

static void table_draw_row(struct layout *l, const struct table *t, const char *const *cells,
                           const enum font_style *styles, float fill)
{
    float x = content_left(l), width = content_right(l) - x;
    float h = table_row_height(l, t, cells, styles, width);
    layout_rect(l, x, l->y - h, width, h, fill, true);
    float cx = x;
    for (size_t c = 0; c < t->columns; c++) {
        float cw = t->widths[c] * width;
        if (c > 0)
            layout_line(l, cx, l->y, cx, l->y - h, 0.6f);
        set_gray(l, 0);
        layout_draw_wrapped(l, cx + CELL_PAD, l->y - 3.5f, cw - 2 * CELL_PAD, styles ? styles[c] : STYLE_REGULAR,
                            SIZE_BODY, or_dash(cells[c]));
        cx += cw;
    }
    l->y -= h;
}

void layout_table_header(struct layout *l, const struct table *t)
{
    /* One style per column, however many columns the table has. */
    enum font_style *bold = malloc((t->columns + 1) * sizeof *bold);
    if (!bold)
        abort();
    for (size_t c = 0; c < t->columns; c++)
        bold[c] = STYLE_BOLD;
    float width = content_right(l) - content_left(l);
    layout_ensure(l, table_row_height(l, t, t->header, bold, width) + 3 * SIZE_BODY * LEADING);
    table_draw_row(l, t, t->header, bold, 0.90f);
    free(bold);
}

void layout_table_row(struct layout *l, const struct table *t, const char *const *cells,
                      const enum font_style *styles)
{
    float width = content_right(l) - content_left(l);
    float h = table_row_height(l, t, cells, styles, width);
    if (layout_remaining(l) < h) {
        layout_new_page(l);
        layout_table_header(l, t);
    }
    table_draw_row(l, t, cells, styles, -1);
}
