/* The documents of a dossier (SPEC section 3), each drawn from the plan through the
 * layout engine. */
#ifndef DOSSIER_DOCUMENTS_H
#define DOSSIER_DOCUMENTS_H

#include "furniture.h"
#include "layout.h"
#include "texts.h"
#include "../rules/plan.h"

struct render_ctx {
    struct layout *layout;
    const struct plan *plan;
    const struct render_templates *texts;
    struct arena *arena;            /* scratch, freed when the dossier is done */
    const char *fonts_dir;          /* the watermark of attached pieces uses its font */
    struct dossier_problems *problems;  /* what only rendering can find (an attached
                                           file that is not a readable image) */
    struct fill vars[16];
    size_t var_count;
    const struct code_key *code_key;    /* signs the pages' codes; NULL: unsigned (DSR1) */
    const char *code_date;          /* AAAAMMJJ of the plan's date, for the codes */
    const char *siren;              /* the SIREN's digits, for the codes */
    struct flate_cache *cache;      /* the context's: CGU page bodies kept (may be NULL) */
    bool compact;                   /* formulaire: fallback order, see render_formulaire */
    bool page2_missed;              /* formulaire: the pieces did not open page 2 */
    int tight;                      /* bordereau: fit level, 0 to BORDEREAU_TIGHTEST */
    int bordereau_pages;            /* bordereau: its page count (one is the aim) */
};

/* Fills CTX's placeholder values from its plan and templates. */
void render_ctx_prepare(struct render_ctx *ctx);

/* TEXT of KEY with its placeholders filled. */
const char *ctx_text(struct render_ctx *ctx, const char *key);
const char *ctx_fill(struct render_ctx *ctx, const char *text);

/* The bordereau's tightest fit level (smallest type): past it, it may take two pages. */
#define BORDEREAU_TIGHTEST 3

/* Each draws one document (starting on a new page) and returns its page count. */
int render_bordereau(struct render_ctx *ctx);
int render_formulaire(struct render_ctx *ctx);
int render_cgu(struct render_ctx *ctx);
int render_pieces_list(struct render_ctx *ctx);
/* The supplied files (none: nothing drawn, 0 pages). A file that cannot be read as
 * an image adds a problem to CTX->problems. */
int render_attachments(struct render_ctx *ctx);

/* The key of the text saying STATUS ("pieces.joint", "pieces.a_fournir", ...). */
const char *piece_status_key(enum piece_status status);
/* Shared by the formulaire and the pieces list: the table of required pieces. */
void render_pieces_table(struct render_ctx *ctx);
/* The form of KEY for P's gender (see tx_gendered), placeholders filled. */
const char *ctx_gendered(struct render_ctx *ctx, const char *key, const struct person *p);
/* P's role, in P's gender: "représentante légale". */
const char *role_label(struct render_ctx *ctx, const struct person *p);
/* "Anne-Sophie Lefèvre, représentante légale": no parentheses, so that an inclusive
 * form ("représentant(e) légal(e)") never ends up nested in them. */
const char *person_role(struct render_ctx *ctx, const struct person *p);
/* The frame of a document: tracking code CODE, name, header note; with the
 * signatories' initialling boxes when PARAPHES. */
void ctx_frame(struct render_ctx *ctx, struct doc_frame *frame, const char *code, const char *name_key,
               const char *header_note, bool paraphes);

#endif
