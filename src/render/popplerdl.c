/* poppler-glib through dlopen, one user at a time. */
#include "popplerdl.h"

#include <dlfcn.h>
#include <pthread.h>

/* Recursive: check-scan renders a container's page while reading a scanned PDF. */
static pthread_mutex_t lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static bool tried, loaded;
static struct poppler_api api;

/* Called with the lock held. The library stays loaded until exit. */
static bool load(void)
{
    if (tried)
        return loaded;
    tried = true;
    void *h = dlopen("libpoppler-glib.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return false;
    /* dlsym on the handle also finds glib's and gobject's symbols: they are its
     * dependencies. */
#define SYM(field, name) (*(void **)&api.field = dlsym(h, name)) != NULL
    loaded = SYM(bytes_new_static, "g_bytes_new_static") && SYM(bytes_unref, "g_bytes_unref") &&
             SYM(clear_error, "g_clear_error") && SYM(object_unref, "g_object_unref") &&
             SYM(list_free, "g_list_free") && SYM(error_quark, "poppler_error_quark") &&
             SYM(document_new_from_bytes, "poppler_document_new_from_bytes") &&
             SYM(document_get_n_pages, "poppler_document_get_n_pages") &&
             SYM(document_get_page, "poppler_document_get_page") &&
             SYM(document_get_attachments, "poppler_document_get_attachments") &&
             SYM(attachment_save_to_callback, "poppler_attachment_save_to_callback") &&
             SYM(page_get_size, "poppler_page_get_size") && SYM(page_render, "poppler_page_render");
#undef SYM
    return loaded;
}

const struct poppler_api *poppler_acquire(void)
{
    pthread_mutex_lock(&lock);
    if (load())
        return &api;
    pthread_mutex_unlock(&lock);
    return NULL;
}

void poppler_release(void)
{
    pthread_mutex_unlock(&lock);
}
