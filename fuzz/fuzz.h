/* What every fuzz target shares: libFuzzer's entry point, and SOURCE_DIR (the
 * checkout, for templates) given by the Makefile. */
#ifndef DOSSIER_FUZZ_H
#define DOSSIER_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif

#endif
