/* The CSV reader: encodings, quoting, header, limits, on arbitrary bytes. */
#include "fuzz.h"
#include "../src/input/reader.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input_options options = { .ignore_unknown = size % 2 == 0 };
    struct csv_reader *cr = csv_reader_open("fuzz.csv", -1, data, size, &options, ".");
    if (!cr)
        return 0;
    struct request *r;
    for (int n = 0; n < 10000 && (r = csv_reader_next(cr)) != NULL; n++)
        request_free(r);
    csv_reader_close(cr);
    return 0;
}
