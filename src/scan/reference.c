/* Reference renderings of the sent dossier, with poppler-glib. */
#include "reference.h"
#include "../render/popplerdl.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct reference_pdf {
    PopplerDocument *doc;
};

struct reference_pdf *reference_open(const unsigned char *data, size_t len)
{
    const struct poppler_api *pp = poppler_acquire();
    if (!pp)
        return NULL;
    GBytes *bytes = pp->bytes_new_static(data, len);
    GError *gerr = NULL;
    PopplerDocument *doc = pp->document_new_from_bytes(bytes, NULL, &gerr);
    pp->bytes_unref(bytes);
    pp->clear_error(&gerr);
    poppler_release();
    if (!doc)
        return NULL;
    struct reference_pdf *pdf = malloc(sizeof *pdf);
    if (!pdf)
        abort();
    pdf->doc = doc;
    return pdf;
}

void reference_close(struct reference_pdf *pdf)
{
    if (!pdf)
        return;
    const struct poppler_api *pp = poppler_acquire();
    if (pp) {
        pp->object_unref(pdf->doc);
        poppler_release();
    }
    free(pdf);
}

struct sink {
    char *data;
    size_t len, cap;
};

static gboolean collect(const gchar *buf, gsize count, gpointer user, GError **error)
{
    (void)error;
    struct sink *s = user;
    if (s->len + count > 16u << 20)
        return FALSE;
    if (s->len + count + 1 > s->cap) {
        s->cap = (s->len + count + 1) * 2;
        s->data = realloc(s->data, s->cap);
        if (!s->data)
            abort();
    }
    memcpy(s->data + s->len, buf, count);
    s->len += count;
    s->data[s->len] = '\0';
    return TRUE;
}

char *reference_attachment(struct reference_pdf *pdf, const char *name, size_t *len)
{
    const struct poppler_api *pp = poppler_acquire();
    if (!pp)
        return NULL;
    struct sink sink = { 0 };
    bool found = false;
    GList *list = pp->document_get_attachments(pdf->doc);
    for (GList *l = list; l; l = l->next) {
        PopplerAttachment *a = l->data;
        if (!found && a->name && strcmp(a->name, name) == 0)
            found = pp->attachment_save_to_callback(a, collect, &sink, NULL);
        pp->object_unref(a);
    }
    pp->list_free(list);
    poppler_release();
    if (!found) {
        free(sink.data);
        return NULL;
    }
    *len = sink.len;
    return sink.data ? sink.data : strdup("");
}

bool reference_render(struct reference_pdf *pdf, int index, double x, double y, double w, double h, double margin,
                      double k, struct gray *out)
{
    int pw = (int)ceil((w + 2 * margin) * k), ph = (int)ceil((h + 2 * margin) * k);
    const struct poppler_api *pp = poppler_acquire();
    if (!pp)
        return false;
    PopplerPage *page = pp->document_get_page(pdf->doc, index);
    bool ok = page != NULL;
    if (ok) {
        double page_w, page_h;
        pp->page_get_size(page, &page_w, &page_h);
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
        cairo_t *cr = cairo_create(s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, k, k);
        cairo_translate(cr, -(x - margin), -(page_h - (y + h + margin)));
        pp->page_render(page, cr);
        cairo_destroy(cr);
        pp->object_unref(page);
        ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && gray_from_surface(s, out);
        cairo_surface_destroy(s);
    }
    poppler_release();
    return ok;
}
