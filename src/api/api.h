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
    struct flate_cache *page_cache; /* BUILD: page bodies deflated once (render/flate.h) */
};

struct dossier_record {
    struct request *request;        /* owns everything of the record, this too */
    bool checked;
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

#endif
