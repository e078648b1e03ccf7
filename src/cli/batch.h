/* The batch command line: records streamed from the inputs, checked, built by worker
 * processes, written, reported. A client of libdossier (dossier.h) and of nothing else. */
#ifndef DOSSIER_CLI_BATCH_H
#define DOSSIER_CLI_BATCH_H

#include <stdbool.h>

#include <dossier.h>

struct batch_options {
    dossier_options lib;        /* templates, seal, date, flow, pieces root... */
    const char *out_dir;        /* NULL: validate without writing reports */
    int jobs;                   /* worker processes */
    bool quiet;
    bool validate_only;
    bool resume;                /* skip the records the output folder's journal proves done */
    unsigned shard, shards;     /* this run takes slice SHARD (1..SHARDS); 0: all */
    unsigned timeout;           /* seconds a record may take before its worker is stopped */
    char **inputs;
    int input_count;
};

/* Exit codes of SPEC section 6, and one more for a batch stopped before its end. */
enum {
    EXIT_ALL_DONE = 0,
    EXIT_SOME_REJECTED = 1,
    EXIT_USAGE = 2,
    EXIT_STOPPED = 3            /* signal, full disk, output folder unwritable: see the report */
};

/* Prints each problem of LIST on stderr as "dossier: PROBLEM [code]". */
void print_config_problems(const dossier_problems *list);

/* Runs the batch and returns the exit code. Messages go to stdout/stderr. */
int batch_run(const struct batch_options *options);

/* `build --stdout`: the one record of INPUT (a file, or "-" for standard input) built
 * in this process, its print PDF (or, with ZIP, its container) on standard output. */
int batch_stdout(const struct batch_options *options, const char *input, bool zip);

/* `report-merge -o DIR SHARD_DIR...`. */
int batch_merge(const char *out_dir, char **dirs, int count);

#endif
