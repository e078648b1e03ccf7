/* libzbar and libtiff, loaded with dlopen by check-scan only: zbar alone brings
 * dbus, X11 and video4linux, which no build or verification should pay for. */
#ifndef DOSSIER_SCANLIBS_H
#define DOSSIER_SCANLIBS_H

#include <stdbool.h>
#include <tiffio.h>
#include <zbar.h>

struct zbar_api {
    __typeof__(zbar_image_scanner_create) *scanner_create;
    __typeof__(zbar_image_scanner_destroy) *scanner_destroy;
    __typeof__(zbar_image_scanner_set_config) *scanner_set_config;
    __typeof__(zbar_image_create) *image_create;
    __typeof__(zbar_image_destroy) *image_destroy;
    __typeof__(zbar_image_set_format) *image_set_format;
    __typeof__(zbar_image_set_size) *image_set_size;
    __typeof__(zbar_image_set_data) *image_set_data;
    __typeof__(zbar_scan_image) *scan_image;
    __typeof__(zbar_image_first_symbol) *image_first_symbol;
    __typeof__(zbar_symbol_next) *symbol_next;
    __typeof__(zbar_symbol_get_type) *symbol_get_type;
    __typeof__(zbar_symbol_get_data) *symbol_get_data;
    __typeof__(zbar_symbol_get_data_length) *symbol_get_data_length;
    __typeof__(zbar_symbol_get_loc_size) *symbol_get_loc_size;
    __typeof__(zbar_symbol_get_loc_x) *symbol_get_loc_x;
    __typeof__(zbar_symbol_get_loc_y) *symbol_get_loc_y;
};

struct tiff_api {
    __typeof__(TIFFClientOpen) *client_open;
    __typeof__(TIFFClose) *close;
    __typeof__(TIFFGetField) *get_field;
    __typeof__(TIFFReadDirectory) *read_directory;
    __typeof__(TIFFReadRGBAImageOriented) *read_rgba_oriented;
    __typeof__(TIFFSetErrorHandler) *set_error_handler;
    __typeof__(TIFFSetWarningHandler) *set_warning_handler;
};

/* The API, loaded on first use (thread-safe); NULL when the library is missing. */
const struct zbar_api *zbar_lib(void);
const struct tiff_api *tiff_lib(void);

#endif
