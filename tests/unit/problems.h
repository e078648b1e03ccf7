/* Tests' view of the one error model: a problem list with a target to report into,
 * released when it goes out of scope. */
#ifndef TEST_PROBLEMS_H
#define TEST_PROBLEMS_H

#include "../../src/util/diag.h"

struct test_err {
    struct dossier_problems list;
    struct diag_target target;
};

static inline void test_err_release(struct test_err *e)
{
    diag_list_release(&e->list);
}

/* Declares NAME, a const struct diag_target * whose problems are read back with
 * ERR_CODE(NAME) and ERR_MESSAGE(NAME) (the first problem's; NULL, or "" for the message, when none). */
#define TEST_ERR(name)                                                                   \
    __attribute__((cleanup(test_err_release))) struct test_err name##_store;            \
    diag_list_init(&name##_store.list, NULL);                                            \
    name##_store.target = (struct diag_target){ &name##_store.list, NULL, { 0 }, NULL }; \
    const struct diag_target *name = &name##_store.target

#define ERR_CODE(name) ((name)->list->count ? (name)->list->items[0].code : NULL)
#define ERR_MESSAGE(name) ((name)->list->count ? (name)->list->items[0].message : "")

/* A problem list released when it goes out of scope. */
#define TEST_PROBLEMS(name)                                                              \
    __attribute__((cleanup(diag_list_release))) struct dossier_problems name;           \
    diag_list_init(&name, NULL)

#endif
