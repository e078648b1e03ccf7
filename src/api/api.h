/* What lies behind the public handles of dossier.h. */
#ifndef DOSSIER_API_INTERNAL_H
#define DOSSIER_API_INTERNAL_H

#include <dossier.h>
#include <libxml/xmlschemas.h>

#include "../input/input.h"
#include "../model/request.h"
#include "../package/codekey.h"
#include "../package/seal.h"
#include "../render/flate.h"
#include "../render/texts.h"
#include "../rules/catalogue.h"

struct dossier_ctx {
    struct arena *arena;            /* owns the paths and the loaded templates' copies */
    unsigned open;                  /* DOSSIER_OPEN_* actually loaded */
    const char *templates_dir;
    const char *fonts_dir;
    const char *demo_dir;
    bool date_set;
    time_t date;
    dossier_flow flow;
    struct input_options input;     /* readers: schema, pieces root, unknown columns */
    struct catalogue *catalogue;
    struct render_templates *texts;
    xmlSchemaPtr request_schema;
    xmlSchemaPtr manifest_schema;
    struct seal seal;
    bool has_seal;
    struct code_key code_key;       /* signs the codes (BUILD); key NULL: unsigned codes */
    struct code_key code_pub;       /* checks them (CODES); key NULL: none */
    bool code_pub_given;            /* code_pub is the caller's, not the demo key */
    unsigned output_mode;           /* of the reports; 0: FILE_OUTPUT_MODE */
    char data_digest[65];           /* SHA-256 of the templates and fonts in use */
    char demo_sha256[65];           /* the demo seal certificate's, "" if none (verify) */
    char *pin_sha256;               /* the seal a verified container must carry, */
    char *pin_subject;        /* when the caller pins it (normalised hex) */
    struct flate_cache *page_cache; /* BUILD: page bodies deflated once (render/flate.h) */
};

struct dossier_record {
    struct request *request;        /* owns everything of the record, this too */
    /* Problems before any check (the reader's, an unknown field set): a re-check
     * starts from them, not from the last check's. */
    size_t input_problems;
    unsigned checked;               /* 0, or CHECKED | the flags it was checked with */
    char piece_sha256[PIECE_FIELD_COUNT][65];   /* of each attached file, "" if none */
    dossier_piece *pieces;          /* the pieces list, once checked (in the request's arena) */
    size_t piece_count;
};

/* The pieces list of an accepted, checked record, into RECORD->pieces. */
void record_list_pieces(const dossier_ctx *ctx, dossier_record *record);

/* A record around R (which it then owns). */
dossier_record *record_wrap(struct request *r);

/* Results: at most a container and a print PDF. */
#define RESULT_MAX_FILES 2
dossier_result *result_new(bool paper);
/* Hands DATA (malloc'd) over to RES as the file NAME; its SHA-256 is computed here. */
void result_add(dossier_result *res, const char *name, unsigned char *data, size_t size);
void result_set_counts(dossier_result *res, int pages, int documents);

/* The folder the library was built to find its data in: $(PREFIX)/share/dossier. */
const char *api_default_datadir(void);

#define CHECKED 0x8000u
/* Forgets what the last check found (problems, pieces list, checked flags): the record
 * changed, or is checked again. */
void record_invalidate(dossier_record *record);
/* The SHA-256 of each attached file of a checked record, into piece_sha256. False
 * (with a problem of the record) when one cannot be read. */
bool record_hash_pieces(dossier_record *record);

/* A date dossier_open accepts (1980-2099). */
bool api_date_in_range(time_t date);
/* TEXT, a SHA-256 written with or without colons, any case, rewritten in place as 64
 * lower-case hex digits; false when it is not one. */
bool pin_normalise(char *text);
/* SHA-256 of the templates (every file of TEMPLATES_DIR) and, unless FONTS_DIR is NULL,
 * of the fonts, as hex; false with a problem when one is not a readable regular file. */
bool data_digest(const char *templates_dir, const char *fonts_dir, char out[65], dossier_problems *problems);

#endif
