/* The XML readers: prolog scan (encodings, DOCTYPE refused), whole document and
 * stream, schema, records. */
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
    /* The whole-document reader (UTF-16 and other encodings)... */
    struct request_list list = { 0 };
    xml_load_buffer("fuzz.xml", (const char *)data, size, &options, ".", &list);
    request_list_release(&list);
    /* ... and the stream (UTF-8), behind the prolog check, as input files are read. */
    struct input_reader *reader = input_open_memory("fuzz.xml", data, size, &options);
    struct request *r;
    for (int n = 0; reader && n < 10000 && (r = input_next(reader)) != NULL; n++)
        request_free(r);
    input_close(reader);
    return 0;
}
