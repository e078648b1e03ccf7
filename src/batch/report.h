/* The batch report: report.json and report.csv, one row per record. */
#ifndef DOSSIER_REPORT_H
#define DOSSIER_REPORT_H

#include <stdbool.h>
#include <stddef.h>

struct dossier_problems;

struct output_file {
    const char *name;           /* relative to the output folder */
    char sha256[65];
    unsigned long long bytes;
};

#define RECORD_MAX_FILES 2

/* One row. */
struct record_result {
    const char *numero;         /* NULL when the record has none */
    const char *file;           /* where the record was read */
    int line;
    bool accepted;              /* no problem found and every output written */
    const char *flow;           /* "papier" / "dematerialise", NULL if rejected early */
    const struct dossier_problems *problems;
    int pages;
    int documents;              /* bordereau, formulaire, CGU, ... */
    struct output_file files[RECORD_MAX_FILES];
    size_t file_count;
};

struct report_meta {
    const char *tool_version;
    const char *date;           /* the dossier date, ISO 8601 */
    const char *seal;           /* subject of the seal certificate, NULL if none */
    bool demo_seal;
    bool validate_only;
};

/* Both reports are written atomically into DIR. False on an I/O error (errno). */
bool report_write(const char *dir, const struct report_meta *meta,
                  const struct record_result *results, size_t count);

/* The JSON and CSV texts, malloc'd (exposed for tests). */
char *report_json(const struct report_meta *meta, const struct record_result *results, size_t count);
char *report_csv(const struct record_result *results, size_t count);

#endif
