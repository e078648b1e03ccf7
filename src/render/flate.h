/* Page content streams deflated in two parts, the part that is the same in every
 * dossier of a batch (a CGU page's body) deflated once per context and reused, the
 * part that varies (footer, code, page number) deflated per dossier: the parts are
 * raw deflate blocks joined into one zlib stream, so the bytes are exactly those of
 * the parts deflated anew, whatever the cache holds (reproducible for any -j). */
#ifndef DOSSIER_FLATE_H
#define DOSSIER_FLATE_H

#include <stddef.h>
#include <stdint.h>

/* Deflated parts kept between dossiers; shared by the threads of a context. */
struct flate_cache;

struct flate_cache *flate_cache_new(void);
void flate_cache_free(struct flate_cache *cache);

/* What the cache did, for tests and the benchmark. */
struct flate_cache_stats {
    unsigned long hits, misses, stored;
};
void flate_cache_stats(struct flate_cache *cache, struct flate_cache_stats *out);

/* Deflates PARTS[0..COUNT) (raw bytes each) into one zlib stream (malloc'd, *LEN).
 * CACHEABLE[i] says the part is worth looking up in CACHE (may be NULL). */
struct flate_part {
    const char *data;
    size_t len;
    int cacheable;
};
unsigned char *flate_join(struct flate_cache *cache, const struct flate_part *parts, size_t count, size_t *len);

/* Deflated bytes too costly to make again (a font program cut to a set of glyphs),
 * kept under KEY once met twice: a malloc'd copy of them and the NUMBER stored with
 * them (the raw length), or NULL. */
unsigned char *flate_cache_blob(struct flate_cache *cache, const void *key, size_t key_len, size_t *len,
                                size_t *number);
void flate_cache_keep_blob(struct flate_cache *cache, const void *key, size_t key_len, const unsigned char *z,
                           size_t len, size_t number);

#endif
