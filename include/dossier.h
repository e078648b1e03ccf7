/* libdossier — electronic-certificate request dossiers.
 *
 * Checks a certificate request, builds its dossier (formulaire d'abonnement, CGU,
 * pieces list, watermarked ID copies, a QR tracking code on every page) as a print
 * PDF and as a sealed ASiC-E container, verifies such a container and decodes a
 * page's tracking code.
 *
 * Conventions:
 * - every type is opaque but dossier_problem, dossier_file and the option and info
 *   structures; every name starts with dossier_ / DOSSIER_;
 * - every call that can fail returns a dossier_status and appends what went wrong to
 *   a dossier_problems list (a record keeps its own list): one error model, the one
 *   the command line prints;
 * - no global state: a dossier_ctx, once open, is read-only and may be shared by any
 *   number of threads, each with its own records and results;
 * - the library never prints and never exits (it aborts only when memory runs out).
 *
 * Link with `pkg-config --cflags --libs dossier`. */
#ifndef DOSSIER_H
#define DOSSIER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DOSSIER_API __attribute__((visibility("default")))
#else
#define DOSSIER_API
#endif

#define DOSSIER_VERSION_MAJOR 1
#define DOSSIER_VERSION_MINOR 0
#define DOSSIER_VERSION_PATCH 0
#define DOSSIER_VERSION_TEXT "1.0.0"

/* The library's version, "1.0.0" (may differ from the header's). */
DOSSIER_API const char *dossier_version(void);

/* ---- Errors ------------------------------------------------------------------- */

typedef enum dossier_status {
    DOSSIER_OK = 0,             /* done */
    DOSSIER_REJECTED = 1,       /* the input is wrong (a record, a container, a code):
                                   its problems say why */
    DOSSIER_ERROR = 2           /* configuration or environment: templates, fonts, seal,
                                   files that cannot be read or written */
} dossier_status;

/* One problem. Strings belong to the list that holds the problem. */
typedef struct dossier_problem {
    const char *code;           /* stable, for scripts: "siret.luhn", "digest.mismatch" */
    const char *field;          /* "organisation.nic", or NULL */
    const char *file;           /* input file, template, container, or NULL */
    int line;                   /* 1-based; 0 when unknown */
    const char *xml_path;       /* "/demandes/demande[2]/titulaire/email", or NULL */
    const char *message;        /* French, for office staff */
} dossier_problem;

typedef struct dossier_problems dossier_problems;

DOSSIER_API dossier_problems *dossier_problems_new(void);
DOSSIER_API void dossier_problems_free(dossier_problems *list);
DOSSIER_API size_t dossier_problems_count(const dossier_problems *list);
DOSSIER_API const dossier_problem *dossier_problems_get(const dossier_problems *list, size_t index);

/* "FILE:LINE: /xml/path: champ: message", as the command line prints it (the code
 * is not included). malloc'd: free() it. */
DOSSIER_API char *dossier_problem_format(const dossier_problem *problem);

/* ---- Context ------------------------------------------------------------------ */

typedef struct dossier_ctx dossier_ctx;

/* What a context loads when it opens (and checks then, so that nothing fails later
 * for a reason known at start-up). 0 means CHECK | BUILD | VERIFY | CODES. */
enum dossier_open_flags {
    DOSSIER_OPEN_CHECK = 1,     /* rules: catalogue, pieces rules, request schema, texts */
    DOSSIER_OPEN_BUILD = 2,     /* documents: fonts, the seal (implies CHECK) */
    DOSSIER_OPEN_VERIFY = 4,    /* containers: the ASiC manifest schema */
    DOSSIER_OPEN_CODES = 8,     /* tracking codes: the public key that checks them
                                   (code_pubkey; with DEMO, else the demo key) */
    /* Opt-in, never implied by 0: without seal_key, seal with the demo seal (self-signed,
     * worthless) made in demo_dir, sign codes with the demo code key, and check codes
     * with its public key. Without this flag and without seal_key, BUILD fails
     * (seal.missing): a portal never ships demo-sealed dossiers by mistake. Alone, it
     * means the four loads above with the demo. */
    DOSSIER_OPEN_DEMO = 16
};

typedef enum dossier_flow {
    DOSSIER_FLOW_RECORD = 0,    /* each record's own "papier" field decides */
    DOSSIER_FLOW_PAPER,         /* printed, initialled and signed by hand, mailed */
    DOSSIER_FLOW_DEMAT          /* signed electronically through the portal */
} dossier_flow;

/* The layout of dossier_options this header describes: dossier_options_init stamps it
 * (with the struct's size) and dossier_open refuses a struct of another layout, so that
 * a program built against another header fails cleanly instead of reading garbage. */
#define DOSSIER_OPTIONS_VERSION 2

typedef struct dossier_options {
    unsigned version;           /* set by dossier_options_init: DOSSIER_OPTIONS_VERSION */
    size_t size;                /* set by dossier_options_init: sizeof (dossier_options) */
    unsigned open;              /* DOSSIER_OPEN_* flags; 0: all */
    /* Data: templates/ and fonts/. NULL: $DOSSIER_DATADIR, else the folder the
     * library was installed with ($(PREFIX)/share/dossier). */
    const char *datadir;
    const char *templates_dir;  /* NULL: DATADIR/templates */
    const char *fonts_dir;      /* NULL: DATADIR/fonts */
    /* The seal (PEM files). seal_key NULL: with DOSSIER_OPEN_DEMO, the demo seal,
     * self-signed, made on first use in demo_dir (NULL: $DOSSIER_DEMO_DIR, else
     * $XDG_DATA_HOME/dossier/demo-seal); without it, no seal (BUILD fails). The
     * certificate must be fit for sealing (keyUsage digitalSignature or
     * nonRepudiation, not a CA, not a TLS-only or personal signing certificate). */
    const char *seal_key;
    const char *seal_cert;
    const char *seal_chain;     /* intermediate certificates to embed; may be NULL */
    const char *seal_pass_file; /* first line is the key's passphrase; NULL:
                                   $DOSSIER_SEAL_PASS, else none */
    const char *demo_dir;
    /* The dossiers' date (PDF dates, watermark, container times, signing-time), from
     * 1980-01-01 to 2099-12-31 (what a ZIP entry's DOS time can hold). Without it,
     * each build uses the time it runs. */
    bool date_set;
    time_t date;
    dossier_flow flow;          /* imposed on every record, or DOSSIER_FLOW_RECORD */
    /* Root of the attached files' relative paths. NULL: the folder of the input file a
     * record was read from; for records set field by field, the current folder. */
    const char *pieces_dir;
    bool ignore_unknown;        /* unknown CSV columns are skipped instead of refused */
    /* The Ed25519 key (PEM) that signs every page's tracking code (DSR2). NULL: with
     * the demo seal, the demo code key made beside it; with a real seal, BUILD fails
     * (codekey.missing) unless unsigned_codes says that unsigned codes (DSR1: a
     * check value anyone can compute) are wanted. An encrypted key takes the seal's
     * passphrase. */
    const char *code_key;
    bool unsigned_codes;
    /* The public key (PEM) that checks signed codes (track, check-scan). NULL: with
     * DOSSIER_OPEN_DEMO, the demo key when the demo folder has one; else none. */
    const char *code_pubkey;
    /* Mode of the reports written (report.json, report.csv, the journal); 0: 0640. */
    unsigned output_mode;
    /* A seal key, code key or passphrase file readable by other users is refused
     * unless this is set. */
    bool allow_open_key;
    /* Who may have sealed the containers verified (dossier_verify, check-scan): the
     * SHA-256 of the seal certificate (64 hex digits, colons allowed), or the
     * certificate itself (a PEM file), and/or its subject exactly as
     * dossier_verify_info.signer or .signer_rfc2253 gives it (openssl x509 -noout
     * -subject -nameopt RFC2253,-esc_msb). NULL: any certificate fit for sealing
     * whose chain holds. A CA issues certificates to its customers too: pin the seal. */
    const char *seal_pin_sha256;
    const char *seal_pin_cert;
    const char *seal_pin_subject;
} dossier_options;

/* Fills OPTIONS with the defaults above. Call it before setting any member. A macro
 * (as zlib's deflateInit): it stamps the layout this program was compiled with. */
#define dossier_options_init(options) \
    dossier_options_init_version((options), DOSSIER_OPTIONS_VERSION, sizeof (dossier_options))
/* What the macro calls; bindings (ctypes...) call it with the layout they declare. An
 * unknown VERSION or SIZE leaves OPTIONS marked invalid: dossier_open then refuses it
 * (options.version). */
DOSSIER_API void dossier_options_init_version(dossier_options *options, unsigned version, size_t size);

/* Loads what OPTIONS->open asks for, once: templates, schemas, fonts, the seal.
 * DOSSIER_ERROR (with the problems) when any of it is unusable; *CTX is then NULL. */
DOSSIER_API dossier_status dossier_open(const dossier_options *options, dossier_ctx **ctx,
                                        dossier_problems *problems);
DOSSIER_API void dossier_close(dossier_ctx *ctx);

/* One-line subject of the seal certificate, or NULL when the context has no seal. */
DOSSIER_API const char *dossier_seal_subject(const dossier_ctx *ctx);
/* True when the seal is the demo seal (worthless outside tests and demos): the one
 * DOSSIER_OPEN_DEMO made, whatever its subject says. */
DOSSIER_API bool dossier_seal_is_demo(const dossier_ctx *ctx);
/* The folder the demo seal (and its CA, demo-ca.pem) lives in. */
DOSSIER_API const char *dossier_demo_dir(const dossier_ctx *ctx);

/* ---- Records ------------------------------------------------------------------ */

typedef struct dossier_record dossier_record;

/* An empty record, to be filled field by field (a portal's database row). */
DOSSIER_API dossier_record *dossier_record_new(const dossier_ctx *ctx);
DOSSIER_API void dossier_record_free(dossier_record *record);

/* Sets FIELD ("titulaire.prenom": the CSV header, the XML path with dots) to VALUE
 * (UTF-8; blanks around it are dropped; NULL or blank: absent). An unknown field is a
 * problem of the record (DOSSIER_REJECTED). */
DOSSIER_API dossier_status dossier_record_set(dossier_record *record, const char *field,
                                              const char *value);
/* The value of FIELD, or NULL when absent or unknown. */
DOSSIER_API const char *dossier_record_get(const dossier_record *record, const char *field);

/* Where the record came from, for messages ("demandes.csv", line 3). */
DOSSIER_API void dossier_record_set_source(dossier_record *record, const char *file, int line);
DOSSIER_API const char *dossier_record_file(const dossier_record *record);
DOSSIER_API int dossier_record_line(const dossier_record *record);

/* Every problem found in the record so far (reading, checking, building). */
DOSSIER_API const dossier_problems *dossier_record_problems(const dossier_record *record);

/* Adds a problem found by the caller (a duplicate number in a batch, say) so that it
 * is reported with the others; the record is then rejected. */
DOSSIER_API void dossier_record_add_problem(dossier_record *record, const char *code,
                                            const char *field, const char *message);

/* ---- Reading request files ----------------------------------------------------- */

typedef struct dossier_reader dossier_reader;

/* Opens a file of requests, CSV or XML (told apart by content). DOSSIER_ERROR when
 * the file cannot be read at all. A problem of the whole file (encoding, header, XML
 * syntax or schema) is not an error here: it comes back as a record holding only
 * that problem, reported like any rejected record. */
DOSSIER_API dossier_status dossier_reader_open(const dossier_ctx *ctx, const char *path,
                                               dossier_reader **reader, dossier_problems *problems);
/* The same over SIZE bytes at DATA (standard input, an upload), named NAME in
 * messages; attached files are relative to the context's pieces_dir, else the current
 * folder. DATA is not copied: it must outlive the reader. */
DOSSIER_API dossier_status dossier_reader_open_memory(const dossier_ctx *ctx, const char *name, const void *data,
                                                      size_t size, dossier_reader **reader);
/* The next record (the caller frees it), or NULL after the last. CSV files are read as
 * a stream: memory does not grow with the number of records. */
DOSSIER_API dossier_record *dossier_reader_next(dossier_reader *reader);
DOSSIER_API void dossier_reader_close(dossier_reader *reader);

/* ---- Checking ------------------------------------------------------------------ */

enum dossier_check_flags {
    /* Also decode every attached file (corrupt, truncated, too many pages...): what
     * a build would refuse, found without building. */
    DOSSIER_CHECK_PIECES = 1
};

/* Applies every rule to RECORD; its problems are added to the record's list.
 * DOSSIER_OK when it can be built, DOSSIER_REJECTED otherwise. */
DOSSIER_API dossier_status dossier_check(const dossier_ctx *ctx, dossier_record *record,
                                         unsigned flags);

/* After a successful check: "papier" or "dematerialise" (with the context's flow
 * imposed, if any); NULL before. */
DOSSIER_API const char *dossier_record_flow(const dossier_ctx *ctx, const dossier_record *record);

/* A line of the record's pieces list, as its dossier prints it. */
typedef struct dossier_piece {
    const char *code;           /* "id_titulaire", "delegation", an act ("kbis", "nomination",
                                   ...), "kbis|sirene" for a choice, a CA step ("domaine") */
    const char *label;          /* what the piece is */
    const char *who;            /* "Jeanne Martin (titulaire)", or the organisation */
    const char *status;         /* "joint", "a_fournir", "si_necessaire" or "etape" */
} dossier_piece;

/* After a successful check: the record's pieces list (dossier_record_piece_count is
 * 0 before). A kit is complete when no line says "a_fournir". */
DOSSIER_API size_t dossier_record_piece_count(const dossier_record *record);
DOSSIER_API const dossier_piece *dossier_record_piece(const dossier_record *record, size_t index);

/* ---- Building ------------------------------------------------------------------ */

enum dossier_outputs {
    DOSSIER_OUTPUT_CONTAINER = 1,   /* N.zip: the sealed ASiC-E container */
    DOSSIER_OUTPUT_PRINT = 2,       /* N.pdf: every document of the dossier, in print order */
    DOSSIER_OUTPUT_PRINT_PAPER = 4  /* N.pdf, for the paper flow only */
};
/* What a batch writes: the container, and the print PDF of a paper dossier. */
#define DOSSIER_OUTPUT_DEFAULT (DOSSIER_OUTPUT_CONTAINER | DOSSIER_OUTPUT_PRINT_PAPER)

typedef struct dossier_result dossier_result;

typedef struct dossier_file {
    const char *name;           /* "600101.zip", "600101.pdf" */
    const unsigned char *data;
    size_t size;
    const char *sha256;         /* hex */
} dossier_file;

/* Checks RECORD if not done yet, then renders and packages its dossier into memory.
 * OUTPUTS: DOSSIER_OUTPUT_* flags (0: DOSSIER_OUTPUT_DEFAULT). DOSSIER_REJECTED when
 * the record has problems (an attached file that cannot be decoded is found here).
 * *RESULT is NULL unless DOSSIER_OK. */
DOSSIER_API dossier_status dossier_build(const dossier_ctx *ctx, dossier_record *record,
                                         unsigned outputs, dossier_result **result);

DOSSIER_API size_t dossier_result_count(const dossier_result *result);
DOSSIER_API const dossier_file *dossier_result_file(const dossier_result *result, size_t index);
DOSSIER_API int dossier_result_pages(const dossier_result *result);       /* of the dossier */
DOSSIER_API int dossier_result_documents(const dossier_result *result);   /* bordereau, ... */
DOSSIER_API const char *dossier_result_flow(const dossier_result *result);
DOSSIER_API void dossier_result_free(dossier_result *result);

/* Writes every file of RESULT into the folder DIR, each through a temporary file
 * (0600) renamed into place (readers never see half a file), mode 0640: dossiers hold
 * personal data. On failure nothing of RESULT is left in DIR, and the problem goes to
 * RECORD's list (the record is then rejected): DOSSIER_ERROR. */
DOSSIER_API dossier_status dossier_result_save(const dossier_result *result, const char *dir,
                                               dossier_record *record);
/* The same with the files' mode MODE (e.g. 0644, 0600). */
DOSSIER_API dossier_status dossier_result_save_mode(const dossier_result *result, const char *dir, unsigned mode,
                                                    dossier_record *record);

/* ---- Records and results as bytes -------------------------------------------------- */

/* A record (its fields, where it came from, its problems) or a result (its files) as
 * bytes, to hand to another process or a queue: malloc'd into *DATA, free() them.
 * Unpacking checks every length: NULL for bytes that are not a pack. An unpacked
 * record is checked again before it is built. */
DOSSIER_API dossier_status dossier_record_pack(const dossier_record *record, unsigned char **data, size_t *size);
DOSSIER_API dossier_record *dossier_record_unpack(const dossier_ctx *ctx, const void *data, size_t size);
DOSSIER_API dossier_status dossier_result_pack(const dossier_result *result, unsigned char **data, size_t *size);
DOSSIER_API dossier_result *dossier_result_unpack(const void *data, size_t size);

/* ---- Batch reports ------------------------------------------------------------- */

/* report.json and report.csv: one row per record, in input order — numero, source,
 * status, flow, files with their size and SHA-256, problems. Rows are appended to a
 * journal, DIR/report.journal, as they are added: a batch stopped at any point (even
 * by kill -9) leaves what it did, and can be resumed; the two reports are written from
 * the journal, in bounded memory, by dossier_report_write. */
typedef struct dossier_report dossier_report;

/* What a batch is: its input files (whose SHA-256 the report carries), the slice it
 * builds, whether it only validates or goes on with an earlier run. */
typedef struct dossier_batch {
    bool validate_only;         /* a run that builds nothing */
    bool resume;                /* go on with DIR's journal: see dossier_report_done */
    unsigned slice, slices;     /* --shard K/N: slice K of N; 0, 0: the whole batch */
    const char *const *inputs;  /* the input files, in order (may be NULL) */
    size_t input_count;
} dossier_batch;

/* A report for the folder DIR, which it locks for this process until
 * dossier_report_free (DOSSIER_ERROR, output.busy, when another batch holds it:
 * nothing is written then). A new run starts a journal of its own; a resumed one
 * goes on with the old, unless the batch's settings changed since (seal, code key,
 * templates and fonts, date, flow, version): then every record is made again and
 * dossier_report_resume_note says why. */
DOSSIER_API dossier_status dossier_report_open(const dossier_ctx *ctx, const char *dir, const dossier_batch *batch,
                                               dossier_report **report, dossier_problems *problems);
/* Why a resumed run set the earlier journal aside ("le cachet a changé..."), or NULL. */
DOSSIER_API const char *dossier_report_resume_note(const dossier_report *report);
/* Resuming: true when the journal proves RECORD (checked), at POSITION, done by an
 * earlier run — accepted, from the same fields and settings, each attached file with
 * the same SHA-256, its files in DIR with the recorded size and SHA-256 — and then adds
 * its row again; false when it must be done again, with *WHY (may be NULL) saying why
 * in French ("pièce jointe modifiée...") or NULL when the earlier run did not do it. */
DOSSIER_API bool dossier_report_done(dossier_report *report, size_t position, dossier_record *record,
                                     const char **why);
/* Adds RECORD's row: accepted when it has no problem and, unless validate-only, when
 * RESULT (NULL if not built) was made and saved. POSITION is the record's rank in the
 * input: rows are written in that order, whatever the order of the calls; any thread
 * may add a row at any time. Keeps nothing of either: both may be freed. */
DOSSIER_API void dossier_report_add(dossier_report *report, size_t position, const dossier_record *record,
                                    const dossier_result *result);
/* Ends the run in the journal (gone to its end, or STOPPED with why) and writes
 * report.json and report.csv, each atomically, with the rows of this run. STOPPED,
 * when not NULL, says why the batch stopped before its end (the report then says it is
 * incomplete). DOSSIER_ERROR, with the problem, when the journal or the reports could
 * not be written. */
DOSSIER_API dossier_status dossier_report_write(dossier_report *report, const char *stopped,
                                                dossier_problems *problems);
/* Releases the report and the folder's lock. */
DOSSIER_API void dossier_report_free(dossier_report *report);

/* The reports of a batch run in N slices (--shard K/N, one output folder each, DIRS)
 * as if run whole: rows in input order, written into OUT_DIR. DOSSIER_ERROR (nothing
 * written) when the slices are not of one batch (another input, another N, other
 * settings) or a slice is given twice; DOSSIER_REJECTED, the report written with
 * "complete": false, when a slice is missing or did not go to its end (stopped,
 * killed): a scheduler retries it; DOSSIER_OK when the batch is whole. */
DOSSIER_API dossier_status dossier_report_merge(const char *out_dir, const char *const *dirs, size_t n,
                                                dossier_problems *problems);

/* ---- Verifying a sealed container ---------------------------------------------- */

typedef struct dossier_verify_info {
    size_t documents;           /* PDF documents in the container */
    char signer[512];           /* the seal certificate's subject, "" if unknown */
    char signer_rfc2253[512];   /* the same subject in RFC 2253 form (UTF-8) */
    char signer_sha256[65];     /* its SHA-256 (hex, of the DER), "" if unknown */
    char signing_time[64];
    bool chain_checked;         /* CA_FILE was given and the chain verified */
    bool pinned;                /* the seal is the one the context pins */
    bool demo;                  /* sealed with this machine's demo seal */
} dossier_verify_info;

/* Checks SIZE bytes of a container: structure (every entry covered by the manifest,
 * the ZIP's records consistent, nothing hidden), mimetype, manifest (schema), every
 * document's digest, the CAdES seal, a seal certificate fit for sealing, its chain up
 * to the certificates of CA_FILE (NULL: the chain is not checked) and, when the
 * context pins one (seal_pin_sha256, seal_pin_subject), that it is that certificate.
 * Needs DOSSIER_OPEN_VERIFY. DOSSIER_REJECTED with the problems found; INFO (may be
 * NULL) is filled either way. Only a chain checked against the authority's CA and a
 * pinned seal prove who sealed. */
DOSSIER_API dossier_status dossier_verify(const dossier_ctx *ctx, const void *data, size_t size,
                                          const char *ca_file, dossier_verify_info *info,
                                          dossier_problems *problems);
/* The same for a file: DOSSIER_ERROR when it cannot be read. */
DOSSIER_API dossier_status dossier_verify_file(const dossier_ctx *ctx, const char *path,
                                               const char *ca_file, dossier_verify_info *info,
                                               dossier_problems *problems);

/* ---- Tracking codes ------------------------------------------------------------ */

typedef struct dossier_track_info {
    char format[8];             /* "DSR1" (check digits) or "DSR2" (signed) */
    char numero[24];            /* request number */
    char document[8];           /* "FOR" */
    const char *document_name;  /* "formulaire d'abonnement" */
    int page, pages;
    /* Signed codes (DSR2) */
    bool is_signed;
    char date[11];              /* the dossier's date, "2026-11-24" */
    char siren[16];             /* the organisation's SIREN (may be empty) */
    char key_id[9];             /* id of the key that signed it */
    bool authentic;             /* the signature was checked with the context's public
                                   key and holds */
    bool demo_key;              /* ... and that key is the demo key */
} dossier_track_info;

/* Decodes and checks the text of a page's QR code ("DSR1:600101:FOR:2/6:1A2B3C4D", or
 * a signed "DSR2:..."). DOSSIER_REJECTED when malformed or altered (track.invalid)
 * and, when the context has a public key (DOSSIER_OPEN_CODES: code_pubkey, or the demo
 * key with DOSSIER_OPEN_DEMO), a signed code unless signed by that very key with a
 * valid signature: another key (track.unknown_key), a bad signature (track.signature);
 * with code_pubkey given, an unsigned code too (track.unsigned). Otherwise a
 * well-formed code is DOSSIER_OK with INFO->authentic false: decoded, not
 * authenticated. CTX may be NULL (no key). */
DOSSIER_API dossier_status dossier_track(const dossier_ctx *ctx, const char *code,
                                         dossier_track_info *info, dossier_problems *problems);

/* ---- Checking a returned paper dossier (check-scan) ----------------------------- */

/* A paper dossier comes back by post, initialled, signed, its ID copies certified.
 * A scan check identifies each scanned page by its QR code, against the sealed
 * containers the dossiers were sent with (their page map: dossier_build records it),
 * and calls every paraphe, signature and "certifié conforme" box filled or empty. */
typedef struct dossier_scan dossier_scan;

enum dossier_scan_flags {
    DOSSIER_SCAN_THUMBNAILS = 1     /* keep a thumbnail of each page (for the HTML report) */
};

/* A check on CTX (DOSSIER_OPEN_VERIFY for the containers). */
DOSSIER_API dossier_scan *dossier_scan_new(const dossier_ctx *ctx, unsigned flags);
DOSSIER_API void dossier_scan_free(dossier_scan *scan);

/* Adds a paper dossier's sealed container: verified first (structure, digests, seal;
 * its chain up to CA_FILE when given), then its page map read. Add every container
 * before the scans. DOSSIER_REJECTED (with the problems) when it cannot serve. */
DOSSIER_API dossier_status dossier_scan_add_container(dossier_scan *scan, const char *path, const char *ca_file,
                                                      dossier_problems *problems);

/* Reads the scanned file at PATH (a PDF as scanners write it, JPEG, PNG or TIFF,
 * several pages allowed) and checks each page: its code, then its boxes.
 * DOSSIER_ERROR when the file cannot be read. */
DOSSIER_API dossier_status dossier_scan_add_file(dossier_scan *scan, const char *path, dossier_problems *problems);

/* True when every dossier added has all its pages, and every box is filled. */
DOSSIER_API bool dossier_scan_complete(const dossier_scan *scan);

/* The findings, malloc'd (free them): plain French text for the bureau's staff; JSON
 * ({"dossiers":[{"numero","complete","pages":[{"document","page","of","found",
 * "boxes":[{"kind","person","filled","ink"}]}],"missing":[{"document","page"}]}],
 * ...}); one self-contained HTML page (thumbnails need DOSSIER_SCAN_THUMBNAILS). */
DOSSIER_API char *dossier_scan_text(const dossier_scan *scan);
DOSSIER_API char *dossier_scan_json(const dossier_scan *scan);
DOSSIER_API char *dossier_scan_html(const dossier_scan *scan);

#ifdef __cplusplus
}
#endif

#endif
