/* Validation: every rule of SPEC sections 1 and 2, all problems of a record at once. */
#ifndef DOSSIER_VALIDATE_H
#define DOSSIER_VALIDATE_H

#include "../model/request.h"
#include "catalogue.h"

/* Longest text accepted in a free-text field, in characters. */
#define TEXT_MAX_CHARS 300

/* Checks R; each problem is appended to R->problems (code, field, place, French
 * message). When none is found, R->facts holds the derived values. */
void request_validate(struct request *r, const struct catalogue *catalogue);

/* Batch rule: a numero appears once. Later duplicates are rejected. */
void requests_check_unique(struct request_list *list);

#endif
