/* The hand-written image header parsers (EXIF orientation, PNG size) and the decoding
 * of attached pieces (JPEG, PNG) with their limits. */
#include "fuzz.h"
#include "../src/render/raster.h"
#include "../src/util/diag.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)raster_exif_orientation(data, size);
    uint32_t w, h;
    (void)raster_png_size(data, size, &w, &h);
    /* PDF pieces are poppler's to fuzz; images are decoded here, small. */
    if (size >= 4 && memcmp(data, "%PDF", 4) == 0)
        return 0;
    struct dossier_problems problems;
    diag_list_init(&problems, NULL);
    struct diag_target err = { &problems, "pieces.id_titulaire", { "fuzz", 1, NULL }, "fuzz" };
    struct raster_options o = { .watermark = NULL, .max_width_pt = 200, .max_height_pt = 200, .dpi = 72 };
    struct raster_pages pages;
    if (raster_load_buffer(data, size, PIECE_NONE, &o, &pages, &err))
        raster_pages_release(&pages);
    diag_list_release(&problems);
    return 0;
}
