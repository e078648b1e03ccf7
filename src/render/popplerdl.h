/* poppler-glib, loaded with dlopen on first use: it and the ~50 libraries behind it
 * (glib, NSS, libstdc++, ...) would cost every run, even a single dossier without
 * PDF pieces, tens of milliseconds of dynamic loading if they were linked. */
#ifndef DOSSIER_POPPLERDL_H
#define DOSSIER_POPPLERDL_H

#include <poppler.h>
#include <stdbool.h>

struct poppler_api {
    __typeof__(g_bytes_new_static) *bytes_new_static;
    __typeof__(g_bytes_unref) *bytes_unref;
    __typeof__(g_clear_error) *clear_error;
    __typeof__(g_object_unref) *object_unref;
    __typeof__(g_list_free) *list_free;
    __typeof__(poppler_error_quark) *error_quark;
    __typeof__(poppler_document_new_from_bytes) *document_new_from_bytes;
    __typeof__(poppler_document_get_n_pages) *document_get_n_pages;
    __typeof__(poppler_document_get_page) *document_get_page;
    __typeof__(poppler_document_get_attachments) *document_get_attachments;
    __typeof__(poppler_attachment_save_to_callback) *attachment_save_to_callback;
    __typeof__(poppler_page_get_size) *page_get_size;
    __typeof__(poppler_page_render) *page_render;
};

/* poppler-glib sets up its global parameters lazily on first use and shares font
 * state between documents without a lock of its own: one user at a time. Takes
 * the lock and returns the API, loading it on first use; NULL (lock not held) when
 * the library cannot be loaded. */
const struct poppler_api *poppler_acquire(void);
void poppler_release(void);

#endif
