/* libzbar and libtiff through dlopen. */
#include "scanlibs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static struct zbar_api zbar;
static struct tiff_api tiff;
static bool zbar_ok, tiff_ok;
static pthread_once_t zbar_once = PTHREAD_ONCE_INIT, tiff_once = PTHREAD_ONCE_INIT;

#define SYM(api, h, field, name) ((*(void **)&api.field = dlsym(h, name)) != NULL)

static void zbar_load(void)
{
    void *h = dlopen("libzbar.so.0", RTLD_NOW | RTLD_LOCAL);
    zbar_ok = h && SYM(zbar, h, scanner_create, "zbar_image_scanner_create") &&
              SYM(zbar, h, scanner_destroy, "zbar_image_scanner_destroy") &&
              SYM(zbar, h, scanner_set_config, "zbar_image_scanner_set_config") &&
              SYM(zbar, h, image_create, "zbar_image_create") && SYM(zbar, h, image_destroy, "zbar_image_destroy") &&
              SYM(zbar, h, image_set_format, "zbar_image_set_format") &&
              SYM(zbar, h, image_set_size, "zbar_image_set_size") &&
              SYM(zbar, h, image_set_data, "zbar_image_set_data") && SYM(zbar, h, scan_image, "zbar_scan_image") &&
              SYM(zbar, h, image_first_symbol, "zbar_image_first_symbol") &&
              SYM(zbar, h, symbol_next, "zbar_symbol_next") && SYM(zbar, h, symbol_get_type, "zbar_symbol_get_type") &&
              SYM(zbar, h, symbol_get_data, "zbar_symbol_get_data") &&
              SYM(zbar, h, symbol_get_data_length, "zbar_symbol_get_data_length") &&
              SYM(zbar, h, symbol_get_loc_size, "zbar_symbol_get_loc_size") &&
              SYM(zbar, h, symbol_get_loc_x, "zbar_symbol_get_loc_x") &&
              SYM(zbar, h, symbol_get_loc_y, "zbar_symbol_get_loc_y");
}

static void tiff_load(void)
{
    void *h = dlopen("libtiff.so.6", RTLD_NOW | RTLD_LOCAL);
    tiff_ok = h && SYM(tiff, h, client_open, "TIFFClientOpen") && SYM(tiff, h, close, "TIFFClose") &&
              SYM(tiff, h, get_field, "TIFFGetField") && SYM(tiff, h, read_directory, "TIFFReadDirectory") &&
              SYM(tiff, h, read_rgba_oriented, "TIFFReadRGBAImageOriented") &&
              SYM(tiff, h, set_error_handler, "TIFFSetErrorHandler") &&
              SYM(tiff, h, set_warning_handler, "TIFFSetWarningHandler");
}

const struct zbar_api *zbar_lib(void)
{
    pthread_once(&zbar_once, zbar_load);
    return zbar_ok ? &zbar : NULL;
}

const struct tiff_api *tiff_lib(void)
{
    pthread_once(&tiff_once, tiff_load);
    return tiff_ok ? &tiff : NULL;
}
