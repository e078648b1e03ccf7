/* dossier_problems: the one error model, as the public API shows it. */
#include "api.h"
#include "../util/arena.h"

#include <stdlib.h>
#include <string.h>

dossier_problems *dossier_problems_new(void)
{
    dossier_problems *list = calloc(1, sizeof *list);
    if (!list)
        abort();
    diag_list_init(list, NULL);
    return list;
}

void dossier_problems_free(dossier_problems *list)
{
    if (!list)
        return;
    diag_list_release(list);
    free(list);
}

size_t dossier_problems_count(const dossier_problems *list)
{
    return list ? list->count : 0;
}

const dossier_problem *dossier_problems_get(const dossier_problems *list, size_t index)
{
    return list && index < list->count ? &list->items[index] : NULL;
}

char *dossier_problem_format(const dossier_problem *problem)
{
    struct arena *a = arena_new();
    char *out = strdup(diag_format(a, problem));
    arena_free(a);
    if (!out)
        abort();
    return out;
}

const char *dossier_version(void)
{
    return DOSSIER_VERSION_TEXT;
}
