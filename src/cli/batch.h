/* The batch command line: reads every input, checks, builds with workers, reports.
 * A client of libdossier (dossier.h) and of nothing else. */
#ifndef DOSSIER_CLI_BATCH_H
#define DOSSIER_CLI_BATCH_H

#include <stdbool.h>

#include <dossier.h>

struct batch_options {
    dossier_options lib;        /* templates, seal, date, flow, pieces root... */
    const char *out_dir;        /* NULL: validate without writing reports */
    int jobs;
    bool quiet;
    bool validate_only;
    char **inputs;
    int input_count;
};

/* Exit codes of SPEC section 6. */
enum { EXIT_ALL_DONE = 0, EXIT_SOME_REJECTED = 1, EXIT_USAGE = 2 };

/* Prints each problem of LIST on stderr as "dossier: PROBLEM [code]". */
void print_config_problems(const dossier_problems *list);

/* Runs the batch and returns the exit code. Messages go to stdout/stderr. */
int batch_run(const struct batch_options *options);

#endif
