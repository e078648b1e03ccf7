/* Tracking codes: the parser (DSR1 and DSR2) and the signed-code verifier. */
#include "fuzz.h"
#include "../src/package/codekey.h"
#include "../src/render/track.h"
#include "../src/util/diag.h"

#include <string.h>

static struct code_key key;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    unsigned char pub[32];
    memset(pub, 0x42, sizeof pub);
    /* Not every 32 bytes are a point of the curve: fall back to no key. */
    if (!codekey_from_raw(&key, pub))
        memset(&key, 0, sizeof key);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[1024];
    if (size >= sizeof text)
        size = sizeof text - 1;
    memcpy(text, data, size);
    text[size] = '\0';
    struct dossier_problems problems;
    diag_list_init(&problems, NULL);
    struct track_code code;
    if (track_code_parse(text, &code, &problems) && code.is_signed)
        (void)track_code_verify(&code, key.key ? &key : NULL);
    diag_list_release(&problems);
    return 0;
}
