/* Region allocator: a chain of blocks, freed all at once with its owner. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_MIN 16384

struct block {
    struct block *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

struct arena {
    struct block *head;
    size_t total;
};

static void out_of_memory(void)
{
    /* Nothing sensible can continue without memory, and a library does not print:
     * stop, as GLib and libxml2's callers do. */
    abort();
}

struct arena *arena_new(void)
{
    struct arena *arena = calloc(1, sizeof *arena);
    if (!arena)
        out_of_memory();
    return arena;
}

void arena_free(struct arena *arena)
{
    if (!arena)
        return;
    struct block *b = arena->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(arena);
}

void *arena_alloc(struct arena *arena, size_t size)
{
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    struct block *b = arena->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > ARENA_BLOCK_MIN ? size : ARENA_BLOCK_MIN;
        b = malloc(sizeof *b + cap);
        if (!b)
            out_of_memory();
        b->size = cap;
        b->used = 0;
        /* A big one-off allocation goes behind the current block so the
         * current block's free space is not wasted. */
        if (arena->head && size > ARENA_BLOCK_MIN) {
            b->next = arena->head->next;
            arena->head->next = b;
        } else {
            b->next = arena->head;
            arena->head = b;
        }
        arena->total += cap;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(struct arena *arena, const char *text, size_t len)
{
    char *copy = arena_alloc(arena, len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}

char *arena_strdup(struct arena *arena, const char *text)
{
    return text ? arena_strndup(arena, text, strlen(text)) : NULL;
}

char *arena_printf(struct arena *arena, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int len = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    if (len < 0)
        return arena_strdup(arena, "");
    char *out = arena_alloc(arena, (size_t)len + 1);
    va_start(ap, format);
    vsnprintf(out, (size_t)len + 1, format, ap);
    va_end(ap);
    return out;
}

size_t arena_used(const struct arena *arena)
{
    return arena->total;
}
