/* Text helpers: UTF-8 decoding and validation, NFC composition, Windows-1252, the
 * PDF code pages and their substitutions. */
#include "fuzz.h"
#include "../src/util/arena.h"
#include "../src/util/codepage.h"
#include "../src/util/text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    bool valid = utf8_is_valid(text, size);
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    if (valid && strlen(copy) == size) {
        /* What the readers do with a valid cell: compose it, check it prints. */
        (void)utf8_length(copy);
        utf8_compose(copy);
        int32_t bad;
        (void)text_is_printable(copy, &bad);
        const char *p = copy, *end = copy + strlen(copy);
        while (p < end) {
            int32_t cp = utf8_next(&p, end);
            if (cp < 0)
                break;
            int e = codepage_for(cp);
            if (e >= 0)
                (void)codepage_decode(e, codepage_encode(e, cp));
            (void)codepage_substitute(cp);
        }
    }
    struct arena *a = arena_new();
    long bad_offset;
    (void)cp1252_to_utf8(a, text, size, &bad_offset);
    arena_free(a);
    free(copy);
    return 0;
}
