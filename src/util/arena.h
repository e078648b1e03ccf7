/* Region allocator: everything made for one request or one batch lives in one arena. */
#ifndef DOSSIER_ARENA_H
#define DOSSIER_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *arena);
void *arena_alloc(struct arena *arena, size_t size);          /* zeroed, aligned */
char *arena_strdup(struct arena *arena, const char *text);
char *arena_strndup(struct arena *arena, const char *text, size_t len);
char *arena_printf(struct arena *arena, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
size_t arena_used(const struct arena *arena);

#endif
