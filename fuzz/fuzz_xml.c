/* The XML reader: prolog scan (encodings, DOCTYPE refused), schema, records. */
#include "fuzz.h"
#include "../src/input/reader.h"
#include "../src/util/diag.h"

#include <libxml/parser.h>

static struct input_options options;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    xmlInitParser();
    options.schema = xml_schema_load(SOURCE_DIR "/templates/demande.xsd", NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct request_list list = { 0 };
    xml_load_buffer("fuzz.xml", (const char *)data, size, &options, ".", &list);
    request_list_release(&list);
    return 0;
}
