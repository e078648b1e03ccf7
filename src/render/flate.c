/* Content streams as joined raw deflate parts, the common ones cached (see flate.h).
 * Each part is deflated on its own and ends on a sync flush (byte-aligned, not
 * final), so a part's bytes do not depend on what comes before or after it: the
 * stream is the zlib header, the parts, an empty final block and the Adler-32 of
 * all the raw bytes. */
#include "flate.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FLATE_LEVEL 6
/* A page is a few kilobytes: a 4,096-entry hash table finds its matches as well as
 * the default 32,768 does, and costs an eighth to clear for every part. */
#define FLATE_MEMLEVEL 5
#define SLOTS 64            /* a batch repeats a few pages (the CGU's): a small table */
#define WAYS 4              /* an entry lives in one of 4 neighbouring slots */
#define SEEN 256            /* hashes seen once: a part is kept when seen again */

struct entry {
    uint64_t hash;
    char *raw;              /* NULL: free slot */
    size_t raw_len;
    unsigned char *z;
    size_t z_len;
    uint32_t adler;
    size_t number;          /* a blob's number (flate_cache_keep_blob) */
    bool blob;              /* keyed by a caller's key, not by the raw bytes */
    unsigned long hits;
};

struct flate_cache {
    pthread_mutex_t lock;
    struct entry slots[SLOTS];
    uint64_t seen[SEEN];
    struct flate_cache_stats stats;
};

struct flate_cache *flate_cache_new(void)
{
    struct flate_cache *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void flate_cache_free(struct flate_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SLOTS; i++) {
        free(c->slots[i].raw);
        free(c->slots[i].z);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void flate_cache_stats(struct flate_cache *c, struct flate_cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    *out = c->stats;
    pthread_mutex_unlock(&c->lock);
}

/* Word-at-a-time mixing: the lookup must cost far less than the deflate it saves;
 * a match is confirmed byte for byte. */
static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001B3ull;
    return h ^ (h >> 29);
}

struct out {
    unsigned char *data;
    size_t len, cap;
};

static void out_reserve(struct out *o, size_t extra)
{
    if (o->len + extra <= o->cap)
        return;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->len + extra)
        cap *= 2;
    o->data = realloc(o->data, cap);
    if (!o->data)
        abort();
    o->cap = cap;
}

static void out_append(struct out *o, const void *data, size_t len)
{
    out_reserve(o, len);
    memcpy(o->data + o->len, data, len);
    o->len += len;
}

/* DATA deflated raw onto O, ending on a sync flush. */
static void deflate_part(z_stream *z, const char *data, size_t len, struct out *o)
{
    deflateReset(z);
    z->next_in = (Bytef *)(uintptr_t)data;
    z->avail_in = (uInt)len;
    out_reserve(o, deflateBound(z, (uLong)len) + 16);
    for (;;) {
        z->next_out = o->data + o->len;
        z->avail_out = (uInt)(o->cap - o->len);
        int rc = deflate(z, Z_SYNC_FLUSH);
        o->len = o->cap - z->avail_out;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            abort();
        if (z->avail_in == 0 && z->avail_out > 0)
            return;
        out_reserve(o, o->cap);   /* full: grow and go on */
    }
}

static struct entry *find(struct flate_cache *c, uint64_t hash, const char *raw, size_t len, bool blob)
{
    for (size_t w = 0; w < WAYS; w++) {
        struct entry *e = &c->slots[(hash + w) % SLOTS];
        if (e->raw && e->blob == blob && e->hash == hash && e->raw_len == len && memcmp(e->raw, raw, len) == 0)
            return e;
    }
    return NULL;
}

/* Keeps a part seen for the second time, in the free or least used of its slots. */
static void store(struct flate_cache *c, uint64_t hash, const struct flate_part *p, const unsigned char *z,
                  size_t z_len, uint32_t adler, bool blob, size_t number)
{
    uint64_t *seen = &c->seen[hash % SEEN];
    if (*seen != hash) {
        *seen = hash;
        return;
    }
    struct entry *victim = NULL;
    for (size_t w = 0; w < WAYS; w++) {
        struct entry *e = &c->slots[(hash + w) % SLOTS];
        if (!victim || !e->raw || (victim->raw && e->hits < victim->hits))
            victim = e;
        if (!e->raw)
            break;
    }
    free(victim->raw);
    free(victim->z);
    *victim = (struct entry){ hash, malloc(p->len ? p->len : 1), p->len, malloc(z_len ? z_len : 1), z_len, adler,
                              number, blob, 0 };
    if (!victim->raw || !victim->z)
        abort();
    memcpy(victim->raw, p->data, p->len);
    memcpy(victim->z, z, z_len);
    c->stats.stored++;
}

/* One part onto O; its Adler-32 in *ADLER. */
static void join_part(struct flate_cache *c, z_stream *z, const struct flate_part *p, struct out *o,
                      uint32_t *adler)
{
    uint64_t hash = 0;
    if (c && p->cacheable) {
        hash = hash_bytes(p->data, p->len);
        pthread_mutex_lock(&c->lock);
        struct entry *e = find(c, hash, p->data, p->len, false);
        if (e) {
            e->hits++;
            c->stats.hits++;
            out_append(o, e->z, e->z_len);
            *adler = e->adler;
            pthread_mutex_unlock(&c->lock);
            return;
        }
        c->stats.misses++;
        pthread_mutex_unlock(&c->lock);
    }
    size_t start = o->len;
    deflate_part(z, p->data, p->len, o);
    *adler = (uint32_t)adler32(adler32(0, Z_NULL, 0), (const Bytef *)p->data, (uInt)p->len);
    if (c && p->cacheable) {
        pthread_mutex_lock(&c->lock);
        if (!find(c, hash, p->data, p->len, false))
            store(c, hash, p, o->data + start, o->len - start, *adler, false, 0);
        pthread_mutex_unlock(&c->lock);
    }
}

unsigned char *flate_join(struct flate_cache *cache, const struct flate_part *parts, size_t count, size_t *len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, FLATE_LEVEL, Z_DEFLATED, -15, FLATE_MEMLEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    struct out o = { 0 };
    static const unsigned char header[2] = { 0x78, 0x9C };
    out_append(&o, header, sizeof header);
    uint32_t adler = (uint32_t)adler32(0, Z_NULL, 0);
    for (size_t i = 0; i < count; i++) {
        uint32_t part_adler;
        join_part(cache, &z, &parts[i], &o, &part_adler);
        adler = (uint32_t)adler32_combine(adler, part_adler, (z_off_t)parts[i].len);
    }
    deflateEnd(&z);
    /* An empty final block (fixed Huffman: BFINAL, BTYPE 01, end-of-block), then the
     * checksum, big-endian. */
    const unsigned char tail[6] = { 0x03, 0x00, (unsigned char)(adler >> 24), (unsigned char)(adler >> 16),
                                    (unsigned char)(adler >> 8), (unsigned char)adler };
    out_append(&o, tail, sizeof tail);
    *len = o.len;
    return o.data;
}

unsigned char *flate_cache_blob(struct flate_cache *c, const void *key, size_t key_len, size_t *len, size_t *number)
{
    if (!c)
        return NULL;
    uint64_t hash = hash_bytes(key, key_len);
    unsigned char *copy = NULL;
    pthread_mutex_lock(&c->lock);
    struct entry *e = find(c, hash, key, key_len, true);
    if (e) {
        e->hits++;
        c->stats.hits++;
        copy = malloc(e->z_len ? e->z_len : 1);
        if (!copy)
            abort();
        memcpy(copy, e->z, e->z_len);
        *len = e->z_len;
        *number = e->number;
    } else {
        c->stats.misses++;
    }
    pthread_mutex_unlock(&c->lock);
    return copy;
}

void flate_cache_keep_blob(struct flate_cache *c, const void *key, size_t key_len, const unsigned char *z,
                           size_t len, size_t number)
{
    if (!c)
        return;
    uint64_t hash = hash_bytes(key, key_len);
    const struct flate_part part = { key, key_len, 1 };
    pthread_mutex_lock(&c->lock);
    if (!find(c, hash, key, key_len, true))
        store(c, hash, &part, z, len, 0, true, number);
    pthread_mutex_unlock(&c->lock);
}
