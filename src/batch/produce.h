/* Producing one accepted record's outputs: render the documents, then package them. */
#ifndef DOSSIER_PRODUCE_H
#define DOSSIER_PRODUCE_H

#include <time.h>

#include "batch.h"
#include "report.h"
#include "../rules/catalogue.h"

struct produce_context {
    const struct catalogue *catalogue;
    const struct render_templates *templates;
    const struct seal *seal;
    const char *fonts_dir;
    const char *out_dir;
    time_t date;
    enum flow_override flow;
};

/* Writes the outputs of R into the output folder and fills RESULT (files, digests,
 * pages). Any failure becomes a problem of R (the record is then rejected) and
 * leaves no file behind. Safe to call from several threads at once. */
void dossier_produce(const struct produce_context *context, struct request *r,
                     struct record_result *result);

/* "papier" or "dematerialise" for R under CONTEXT's override. */
bool dossier_is_paper(const struct produce_context *context, const struct request *r);

#endif
