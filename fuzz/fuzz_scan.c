/* check-scan's page reader: scanned JPEG, PNG and TIFF pages (PDF scans go through
 * poppler, fuzzed by its own project), then the code search on what was read. */
#include "fuzz.h"
#include "../src/scan/locate.h"
#include "../src/scan/scanimage.h"
#include "../src/util/diag.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

static bool on_page(void *user, struct gray *page, int index)
{
    (void)user, (void)index;
    /* Small pages only: the search on a full page is zbar's work, not ours. */
    if (page->w <= 256 && page->h <= 256) {
        struct found_code codes[2];
        (void)locate_codes(page, codes, 2);
    }
    return index < 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 4 && memcmp(data, "%PDF", 4) == 0)
        return 0;
    struct dossier_problems problems;
    diag_list_init(&problems, NULL);
    (void)scan_read_file(data, size, "fuzz", on_page, NULL, &problems);
    diag_list_release(&problems);
    return 0;
}
