/* The ASiC manifest schema for the container tests, compiled once like a context
 * does: SCHEMA. Include after cmocka.h and problems.h. */
#ifndef TEST_MANIFEST_SCHEMA_H
#define TEST_MANIFEST_SCHEMA_H

#include "../../src/input/input.h"

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif
#define SCHEMA_PATH SOURCE_DIR "/templates/asic-manifest.xsd"
#define SCHEMA manifest_schema()

static xmlSchemaPtr manifest_schema(void)
{
    static xmlSchemaPtr schema;
    if (!schema) {
        TEST_PROBLEMS(problems);
        schema = xml_schema_load(SCHEMA_PATH, &problems);
        assert_non_null(schema);
    }
    return schema;
}

#endif
