/* The batch report: report.json and report.csv, one row per record. */
#ifndef DOSSIER_REPORT_H
#define DOSSIER_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <dossier.h>

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
    const dossier_piece *pieces;    /* the pieces list (accepted records) */
    size_t piece_count;
};

struct report_meta {
    const char *tool_version;
    const char *date;           /* the dossier date, ISO 8601 */
    const char *seal;           /* subject of the seal certificate, NULL if none */
    bool demo_seal;
    bool validate_only;
    const char *stopped;        /* why the batch stopped before its end; NULL when complete */
    /* What shaped every dossier of the batch, compared by --resume and report-merge. */
    const char *seal_sha256;    /* the seal certificate's SHA-256, NULL if none */
    const char *code_key;       /* id of the key signing the codes, NULL: unsigned */
    const char *data_digest;    /* SHA-256 of the templates and fonts */
    int flow;                   /* the flow imposed (dossier_flow) */
    unsigned slice, slices;     /* --shard K/N; 0/0: the whole batch */
    const char *input_sha256;   /* SHA-256 of the input files, in order */
};

/* Both reports are written atomically into DIR. False on an I/O error (errno). */
bool report_write(const char *dir, const struct report_meta *meta,
                  const struct record_result *results, size_t count);

/* The JSON and CSV texts, malloc'd (exposed for tests). */
char *report_json(const struct report_meta *meta, const struct record_result *results, size_t count);
char *report_csv(const struct record_result *results, size_t count);

/* The same, a row at a time, for reports written as a stream: the head (COUNT rows, OK
 * of them accepted), each row (FIRST for the first), the tail. */
struct strbuf;
void report_json_head(struct strbuf *sb, const struct report_meta *meta, size_t count, size_t ok);
void report_json_row(struct strbuf *sb, const struct record_result *r, bool first);
void report_json_tail(struct strbuf *sb);
void report_csv_head(struct strbuf *sb);
void report_csv_row(struct strbuf *sb, const struct record_result *r);

/* The journal: one line a row, appended as records are done, from which the reports
 * are written and a batch is resumed. Texts are escaped (\\ \t \n \r; \0 for none). */
struct arena;
/* Appends the line of row R at POSITION, for the input FINGERPRINT (hex SHA-256 of the
 * batch's settings and the record's fields) and PIECES ("field=sha256;..." of the
 * attached files, "" when none). */
void journal_format(struct strbuf *sb, size_t position, const char *fingerprint, const char *pieces,
                    const struct record_result *r);
/* The header line of a run (each run, resumed or not, writes its own): what the
 * reports' head says. */
void journal_format_meta(struct strbuf *sb, const struct report_meta *meta);
/* The end line of a run that went to its end (STOPPED NULL) or was stopped. */
void journal_format_end(struct strbuf *sb, const char *stopped);
/* Parses one line (without its newline) into R, strings and problems in ARENA; false
 * when it is not a well-formed row line. *PIECES may be NULL. */
bool journal_parse(const char *line, size_t len, struct arena *arena, size_t *position, char fingerprint[65],
                   const char **pieces, struct record_result *r);
bool journal_parse_meta(const char *line, size_t len, struct arena *arena, struct report_meta *meta);
/* An end line: *STOPPED NULL when the run went to its end. */
bool journal_parse_end(const char *line, size_t len, struct arena *arena, const char **stopped);

#endif
