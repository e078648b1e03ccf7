/* Header, footer, QR tracking code and initialling boxes of every page. */
#include "furniture.h"
#include "qr.h"
#include "track.h"

#include <stdio.h>
#include <string.h>

#define QR_MODULE MM(0.5)

static void draw_header(struct layout *l, struct pdf_page *page, const struct doc_frame *f)
{
    struct pdf *pdf = l->pdf;
    float y = PAGE_HEIGHT - MM(13);
    pdf_fill_gray(page, 0);
    pdf_text(pdf, page, l->left, y, STYLE_BOLD, 10, f->authority, strlen(f->authority));
    if (f->authority_line) {
        pdf_fill_gray(page, GRAY_TEXT);
        pdf_text(pdf, page, l->left, y - 10, STYLE_REGULAR, SIZE_SMALL, f->authority_line, strlen(f->authority_line));
    }
    const char *right = f->name;
    float w = pdf_text_width(pdf, STYLE_BOLD, 9, right, strlen(right));
    pdf_fill_gray(page, 0);
    pdf_text(pdf, page, l->right - w, y, STYLE_BOLD, 9, right, strlen(right));
    if (f->header_note) {
        const char *note = f->header_note;
        w = pdf_text_width(pdf, STYLE_REGULAR, SIZE_SMALL, note, strlen(note));
        pdf_fill_gray(page, GRAY_TEXT);
        pdf_text(pdf, page, l->right - w, y - 10, STYLE_REGULAR, SIZE_SMALL, note, strlen(note));
    }
    pdf_fill_gray(page, 0);
    pdf_line(page, l->left, PAGE_HEIGHT - MM(20), l->right, PAGE_HEIGHT - MM(20), 0.8f, GRAY_RULE);
}

/* TEXT at (X, Y) in at most WIDTH: a long name gets smaller type (down to 4.5 pt)
 * rather than running out of its box. */
static void fitted_text(struct layout *l, struct pdf_page *page, float x, float y, float width,
                        enum font_style style, float size, const char *text)
{
    size_t len = strlen(text);
    float w = pdf_text_width(l->pdf, style, size, text, len);
    if (w > width)
        size = size * width / w > 4.5f ? size * width / w : 4.5f;
    /* Past that, the name is cut, at a character's boundary. */
    while (len > 0 && pdf_text_width(l->pdf, style, size, text, len) > width)
        while (len > 0 && ((unsigned char)text[--len] & 0xC0) == 0x80)
            ;
    pdf_text(l->pdf, page, x, y, style, size, text, len);
}

/* Each box says whose initials it waits for: "Paraphe", the name, the role. */
static void draw_paraphes(struct layout *l, struct pdf_page *page, size_t page_index, const struct doc_frame *f)
{
    float bw = MM(31), bh = MM(19), gap = MM(3);
    int boxes = (f->paraphes[0] != NULL) + (f->paraphes[1] != NULL);
    float x = l->right - (float)boxes * bw - (float)(boxes - 1) * gap;
    for (int i = 0; i < 2; i++) {
        if (!f->paraphes[i])
            continue;
        pdf_rect(page, x, MM(7), bw, bh, 0.6f, 0.35f, -1);
        layout_mark(l, page_index, MARK_PARAPHE, f->paraphe_people[i], f->paraphe_roles[i], x, MM(7), bw, bh);
        pdf_fill_gray(page, GRAY_TEXT);
        float top = MM(7) + bh;
        pdf_text(l->pdf, page, x + 3, top - 8, STYLE_BOLD, 6.5f, f->paraphe_word, strlen(f->paraphe_word));
        fitted_text(l, page, x + 3, top - 15.5f, bw - 6, STYLE_REGULAR, 6.5f, f->paraphe_people[i]);
        fitted_text(l, page, x + 3, top - 22.5f, bw - 6, STYLE_REGULAR, 6, f->paraphes[i]);
        pdf_fill_gray(page, 0);
        x += bw + gap;
    }
}

static void draw_footer(struct layout *l, struct pdf_page *page, size_t page_index, const struct doc_frame *f,
                        int index, int count)
{
    struct pdf *pdf = l->pdf;
    char code[TRACK_CODE_MAX], line[256];
    /* What is printed under "Suivi" for people to read: a signed code without its
     * signature (155 digits nobody types). */
    size_t shown;
    if (f->code_key) {
        if (!track_code_format_signed(code, sizeof code, f->numero, f->code, index, count, f->code_date, f->siren,
                                      f->code_key))
            l->problems++;
        shown = (size_t)(strrchr(code, ':') - code);
    } else {
        track_code_format(code, sizeof code, f->numero, f->code, index, count);
        shown = strlen(code);
    }
    pdf_line(page, l->left, MM(32), l->right, MM(32), 0.8f, GRAY_RULE);

    /* The QR symbol's dark modules line up with the left margin. */
    float quiet = QR_QUIET_MODULES * QR_MODULE;
    float size = qr_draw(page, l->left - quiet, MM(6), QR_MODULE, code);
    if (size == 0)
        l->problems++;
    else
        layout_page_code(l, page_index, f->code, index, count, code, l->left, MM(6) + quiet, size - 2 * quiet,
                         (int)((size - 2 * quiet) / QR_MODULE + 0.5f));

    float tx = l->left - quiet + size + MM(2);
    pdf_fill_gray(page, 0);
    pdf_text(pdf, page, tx, MM(25), STYLE_BOLD, 8.5f, f->name, strlen(f->name));
    snprintf(line, sizeof line, "Demande n° %s — page %d / %d", f->numero, index, count);
    pdf_text(pdf, page, tx, MM(20.5), STYLE_REGULAR, 8.5f, line, strlen(line));
    pdf_fill_gray(page, GRAY_TEXT);
    snprintf(line, sizeof line, "Suivi : %.*s%s", (int)shown, code, f->code_key ? " (signé)" : "");
    pdf_text(pdf, page, tx, MM(16), STYLE_REGULAR, 6.5f, line, strlen(line));
    pdf_fill_gray(page, 0);
}

static void draw_frame(struct layout *l, struct pdf_page *page, int index, int count, bool signature_page,
                       const void *data)
{
    const struct doc_frame *f = data;
    size_t page_index = l->doc_first + (size_t)index - 1;
    draw_header(l, page, f);
    draw_footer(l, page, page_index, f, index, count);
    /* The signature page carries the signatures themselves: no initialling boxes. */
    if (!signature_page)
        draw_paraphes(l, page, page_index, f);
}

void frame_bind(struct doc_frame *frame)
{
    frame->furniture = (struct page_furniture){ draw_frame, frame };
}
