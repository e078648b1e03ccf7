/* Templates' placeholders: {name} replaced by its value. */
#include "fill.h"
#include "arena.h"

#include <stdbool.h>
#include <string.h>

char *tx_fill(struct arena *arena, const char *text, const struct fill *vars, size_t n)
{
    size_t cap = strlen(text) + 1;
    for (size_t i = 0; i < n; i++)
        cap += (vars[i].value ? strlen(vars[i].value) : 0) * 4;
    char *out = arena_alloc(arena, cap);
    char *o = out;
    for (const char *s = text; *s;) {
        if (*s == '{') {
            const char *close = strchr(s, '}');
            bool done = false;
            for (size_t i = 0; close && i < n && !done; i++) {
                size_t nl = strlen(vars[i].name);
                if ((size_t)(close - s - 1) == nl && strncmp(s + 1, vars[i].name, nl) == 0) {
                    const char *v = vars[i].value ? vars[i].value : "";
                    size_t vl = strlen(v);
                    if ((size_t)(o - out) + vl + strlen(close) >= cap)
                        break;
                    memcpy(o, v, vl);
                    o += vl;
                    s = close + 1;
                    done = true;
                }
            }
            if (done)
                continue;
        }
        *o++ = *s++;
    }
    *o = '\0';
    return out;
}
