/* The page map check-scan reads from a dossier's PDF. */
#include "fuzz.h"
#include "../src/render/pagemap.h"
#include "../src/util/diag.h"

#include <libxml/parser.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    xmlInitParser();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pagemap map;
    if (pagemap_read((const char *)data, size, "fuzz.xml", &map, NULL))
        pagemap_release(&map);
    return 0;
}
