/* The request record: every SPEC field as text, each remembering where it came from. */
#ifndef DOSSIER_REQUEST_H
#define DOSSIER_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "piece_type.h"
#include "../util/diag.h"

struct product;
struct pieces_rule;

enum field_kind {
    FK_TEXT, FK_DIGITS, FK_DATE, FK_EMAIL, FK_PHONE, FK_BOOL, FK_CODE, FK_FQDN, FK_PATH, FK_CIVILITY
};

enum field_id {
#define X(id, name, kind, label) F_##id,
#include "fields.def"
#undef X
    FIELD_COUNT
};

struct field_info {
    const char *name;       /* CSV header, flattened XML path */
    enum field_kind kind;
    const char *label;      /* French, for messages and documents */
};

extern const struct field_info field_table[FIELD_COUNT];

/* Index of the field called NAME, or -1. */
int field_lookup(const char *name);

struct field_value {
    const char *text;       /* trimmed UTF-8; NULL when absent or empty */
    int line;
    const char *xml_path;   /* XML only */
};

#define PIECE_FIELD_COUNT (F_PCE_ACTE_NOMINATION - F_PCE_ID_TITULAIRE + 1)

/* Values derived by validation, meaningful only for an accepted record. */
struct request_facts {
    bool paper;
    bool holder_is_rl;
    bool has_delegate;
    bool holder_is_delegate;    /* the délégataire is the titulaire (or responsable) */
    bool billing_other;
    int year, month, day;
    const struct product *product;
    const struct pieces_rule *rule;     /* of the organisation's legal category */
    /* Resolved path and type of each piece field given. */
    const char *piece_path[PIECE_FIELD_COUNT];
    enum piece_type piece_type[PIECE_FIELD_COUNT];
};

struct request {
    struct arena *arena;    /* owns every string of this record */
    const char *file;       /* input file as given */
    const char *root;       /* folder the piece paths are relative to */
    int line;               /* first line of the record */
    const char *xml_path;   /* "/demandes/demande[3]" for XML */
    bool whole_file;        /* stands for a problem of the whole input file */
    struct field_value values[FIELD_COUNT];
    struct dossier_problems problems;  /* reader and rule problems; empty = accepted */
    struct request_facts facts;
};

struct request *request_new(const char *file, const char *root);
void request_free(struct request *request);

/* The value of FIELD, or NULL when it is absent or blank. */
const char *request_get(const struct request *request, enum field_id field);
void request_set(struct request *request, enum field_id field, const char *text,
                 size_t len, int line, const char *xml_path);
struct source_loc request_loc(const struct request *request, enum field_id field);
struct source_loc request_record_loc(const struct request *request);
/* Where problems about FIELD go: the record's list, quoting the field's value. */
struct diag_target request_target(struct request *request, enum field_id field);

/* oui/non, true/false, 1/0 (any case). False when TEXT is none of them. */
bool bool_parse(const char *text, bool *value);

/* A growable list of records read from one or more inputs. */
struct request_list {
    struct request **items;
    size_t count;
    size_t capacity;
};

void request_list_push(struct request_list *list, struct request *request);
void request_list_release(struct request_list *list);

#endif
