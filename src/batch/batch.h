/* A batch: read every input, validate, produce the dossiers with workers, report. */
#ifndef DOSSIER_BATCH_H
#define DOSSIER_BATCH_H

#include <stdbool.h>
#include <time.h>

#include "../input/input.h"

enum flow_override { FLOW_FROM_RECORD, FLOW_PAPER, FLOW_DEMAT };

struct seal_options {
    const char *key_path;
    const char *cert_path;
    const char *chain_path;
    const char *pass_file;
};

struct batch_options {
    struct input_options input;
    const char *templates_dir;
    const char *fonts_dir;
    const char *demo_dir;       /* where the demo seal lives */
    const char *out_dir;        /* NULL: validate without writing reports */
    int jobs;
    bool quiet;
    bool validate_only;
    time_t date;
    enum flow_override flow;
    struct seal_options seal;
    char **inputs;
    int input_count;
};

/* Exit codes of SPEC section 6. */
enum { EXIT_ALL_DONE = 0, EXIT_SOME_REJECTED = 1, EXIT_USAGE = 2 };

/* Runs the batch and returns the exit code. Messages go to stdout/stderr. */
int batch_run(const struct batch_options *options);

#endif
