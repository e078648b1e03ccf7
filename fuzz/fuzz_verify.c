/* The container verifier on arbitrary bytes: ZIP structure, names, manifest, CMS. */
#include "fuzz.h"
#include "../src/input/input.h"
#include "../src/package/verify.h"
#include "../src/util/diag.h"

#include <libxml/parser.h>

static xmlSchemaPtr schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    xmlInitParser();
    schema = xml_schema_load(SOURCE_DIR "/templates/asic-manifest.xsd", NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dossier_problems problems;
    diag_list_init(&problems, NULL);
    struct verify_result r = { .problems = &problems, .file = "fuzz.zip" };
    verify_container(data, size, schema, NULL, &r);
    diag_list_release(&problems);
    return 0;
}
