/* ZIP structure walk: local records against the central directory, every byte accounted for. */
#include "zipwalk.h"
#include "asice.h"
#include "verify.h"
#include "../util/text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SIG_LOCAL 0x04034b50UL
#define SIG_CENTRAL 0x02014b50UL
#define SIG_END 0x06054b50UL
#define SIG_DESCRIPTOR 0x08074b50UL
#define SIG_ZIP64_LOCATOR 0x07064b50UL
#define LOCAL_LEN 30
#define CENTRAL_LEN 46
#define END_LEN 22
#define ZIP64_LOCATOR_LEN 20
#define FLAG_DESCRIPTOR 0x0008
/* Extra fields that change what a reader sees: ZIP64 sizes, and Info-ZIP's Unicode
 * path, which unzip and others take as the entry's name instead of the header's. */
#define EXTRA_ZIP64 0x0001
#define EXTRA_UNICODE_PATH 0x7075

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long le32(const unsigned char *p)
{
    return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

/* The fields a local header and its central record must agree on. */
struct record {
    const unsigned char *name;
    unsigned name_len;
    unsigned flags, method;
    unsigned long crc, comp_size, size;
};

struct walk {
    const unsigned char *d;
    struct verify_result *r;
};

/* An entry name fit for a message: control bytes, and bytes of invalid UTF-8, as '?'. */
static const char *printable(const unsigned char *name, size_t len, char *out, size_t size)
{
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(out, name, n);
    out[n] = '\0';
    bool utf8 = utf8_is_valid(out, n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f || (!utf8 && (unsigned char)out[i] >= 0x80))
            out[i] = '?';
    return out;
}

static void check_extra(struct walk *w, const unsigned char *extra, size_t len, const char *name, const char *where)
{
    size_t p = 0;
    while (p + 4 <= len) {
        unsigned id = le16(extra + p), size = le16(extra + p + 2);
        if (p + 4 + size > len)
            break;
        if (id == EXTRA_ZIP64)
            verify_problem(w->r, "zip.zip64", "« %s » : champ extra ZIP64 (%s) : refusé, un conteneur de dossier n'en a jamais besoin",
                 name, where);
        else if (id == EXTRA_UNICODE_PATH)
            verify_problem(w->r, "zip.extra", "« %s » : champ extra « Unicode Path » (%s) : certains décompresseurs lui donneraient un "
                 "autre nom que celui du répertoire central", name, where);
        p += 4 + size;
    }
    if (p != len)
        verify_problem(w->r, "zip.extra", "« %s » : champ extra mal formé (%s)", name, where);
}

/* Bytes FROM..TO that no listed entry covers, before NEXT (an entry's name or a part
 * of the ZIP): a whole local entry there is one the central directory hides. */
static void gap(struct walk *w, size_t from, size_t to, const char *next)
{
    const unsigned char *d = w->d;
    if (to - from >= LOCAL_LEN && le32(d + from) == SIG_LOCAL) {
        size_t name_len = le16(d + from + 26);
        char name[256] = "?";
        if (from + LOCAL_LEN + name_len <= to)
            printable(d + from + LOCAL_LEN, name_len, name, sizeof name);
        verify_problem(w->r, "zip.hidden_entry", "entrée « %s » cachée avant %s : absente du répertoire central, un décompresseur "
             "en flux l'extrairait sans qu'elle soit scellée", name, next);
    } else {
        verify_problem(w->r, "zip.hidden_data", "%zu octets cachés avant %s (à l'octet %zu), hors de toute entrée", to - from, next, from);
    }
}

/* Compares the local header at OFFSET (at most LIMIT, the central directory's start)
 * with central record C; returns where the local entry ends (after its data and
 * descriptor), or 0 when it cannot be read at all. */
static size_t check_local(struct walk *w, size_t offset, size_t limit, const struct record *c, const char *name)
{
    const unsigned char *d = w->d;
    if (limit - offset < LOCAL_LEN || le32(d + offset) != SIG_LOCAL) {
        verify_problem(w->r, "zip.corrupt", "« %s » : pas d'en-tête local à l'octet %zu, où le répertoire central le place", name, offset);
        return 0;
    }
    struct record l = {
        .name = d + offset + LOCAL_LEN, .name_len = le16(d + offset + 26),
        .flags = le16(d + offset + 6), .method = le16(d + offset + 8),
        .crc = le32(d + offset + 14), .comp_size = le32(d + offset + 18), .size = le32(d + offset + 22),
    };
    size_t extra_len = le16(d + offset + 28);
    size_t data = offset + LOCAL_LEN + l.name_len + extra_len;
    if (data > limit || limit - data < c->comp_size) {
        verify_problem(w->r, "zip.corrupt", "« %s » : l'entrée locale dépasse le début du répertoire central", name);
        return 0;
    }
    check_extra(w, d + offset + LOCAL_LEN + l.name_len, extra_len, name, "en-tête local");
    size_t end = data + c->comp_size;
    char diff[128] = "";
    if (l.name_len != c->name_len || memcmp(l.name, c->name, l.name_len) != 0)
        strcat(diff, ", nom");
    if (l.method != c->method)
        strcat(diff, ", méthode");
    if (l.flags != c->flags)
        strcat(diff, ", indicateurs");
    if (!(c->flags & FLAG_DESCRIPTOR)) {
        if (l.crc != c->crc)
            strcat(diff, ", CRC");
        if (l.comp_size != c->comp_size || l.size != c->size)
            strcat(diff, ", tailles");
    } else {
        /* Sizes and CRC follow the data (streamed writers): in the header they are
         * zero or the right ones; the descriptor, with or without its signature,
         * must hold the central ones. */
        if ((l.crc && l.crc != c->crc) || (l.comp_size && l.comp_size != c->comp_size) || (l.size && l.size != c->size))
            strcat(diff, ", CRC ou tailles");
        const unsigned char *q = d + end;
        size_t room = limit - end;
        bool sig = room >= 16 && le32(q) == SIG_DESCRIPTOR;
        size_t descriptor_len = sig ? 16 : 12;
        const unsigned char *v = sig ? q + 4 : q;
        if (room < descriptor_len || le32(v) != c->crc || le32(v + 4) != c->comp_size || le32(v + 8) != c->size)
            strcat(diff, ", descripteur de données");
        if (room >= descriptor_len)
            end += descriptor_len;
    }
    if (diff[0])
        verify_problem(w->r, "zip.local_mismatch", "« %s » : l'en-tête local ne correspond pas au répertoire central (%s) : deux "
             "lecteurs n'y verraient pas la même entrée", name, diff + 2);
    return end;
}

/* The end record: the last 22 bytes, unless something was put after it. */
static bool find_end(const unsigned char *d, size_t len, size_t *at)
{
    if (len < END_LEN)
        return false;
    size_t lowest = len - END_LEN > 0xFFFF + END_LEN ? len - END_LEN - 0xFFFF - END_LEN : 0;
    for (size_t p = len - END_LEN + 1; p-- > lowest;)
        if (le32(d + p) == SIG_END) {
            *at = p;
            return true;
        }
    return false;
}

enum zipwalk_status zipwalk_check(const unsigned char *d, size_t len, size_t max_entries, struct verify_result *r)
{
    struct walk w = { d, r };
    size_t before = r->count, end;
    if (!find_end(d, len, &end)) {
        verify_problem(r, "zip.corrupt", "conteneur ZIP illisible : fin du répertoire central introuvable");
        return ZIPWALK_UNREADABLE;
    }
    unsigned disk = le16(d + end + 4), cd_disk = le16(d + end + 6);
    unsigned disk_entries = le16(d + end + 8), entries = le16(d + end + 10), comment = le16(d + end + 20);
    unsigned long cd_size = le32(d + end + 12), cd_offset = le32(d + end + 16);
    if (comment)
        verify_problem(r, "zip.comment", "le conteneur porte un commentaire ZIP de %u octets : rien ne doit s'y ajouter hors du "
             "cachet", comment);
    size_t tail = len - end - END_LEN;
    if (tail > comment)
        verify_problem(r, "zip.trailing_data", "%zu octets après la fin du répertoire central (données ajoutées au conteneur)",
             tail - comment);
    if (entries == 0xFFFF || disk_entries == 0xFFFF || cd_size == 0xFFFFFFFFUL || cd_offset == 0xFFFFFFFFUL ||
        (end >= ZIP64_LOCATOR_LEN && le32(d + end - ZIP64_LOCATOR_LEN) == SIG_ZIP64_LOCATOR)) {
        /* libzip still has its say: it reads real ZIP64, and refuses the fakes. */
        verify_problem(r, "zip.zip64", "structure ZIP64 : refusée, un conteneur de dossier n'en a jamais besoin (au plus %d "
             "entrées et %llu Mo)", VERIFY_MAX_ENTRIES, VERIFY_MAX_BYTES >> 20);
        return ZIPWALK_FLAWED;
    }
    if (disk || cd_disk || disk_entries != entries) {
        verify_problem(r, "zip.corrupt", "conteneur ZIP en plusieurs volumes (non pris en charge)");
        return ZIPWALK_UNREADABLE;
    }
    if (entries > max_entries) {
        verify_problem(r, "zip.too_many_entries", "%u entrées (limite %zu)", entries, max_entries);
        return ZIPWALK_UNREADABLE;
    }
    if (cd_offset > end || end - cd_offset < cd_size) {
        verify_problem(r, "zip.corrupt", "conteneur ZIP illisible : répertoire central hors du fichier");
        return ZIPWALK_UNREADABLE;
    }
    size_t cd_end = cd_offset + cd_size, p = cd_offset, next = 0;
    for (unsigned i = 0; i < entries; i++) {
        if (cd_end - p < CENTRAL_LEN || le32(d + p) != SIG_CENTRAL) {
            verify_problem(r, "zip.corrupt", "conteneur ZIP illisible : entrée %u du répertoire central illisible", i + 1);
            return ZIPWALK_UNREADABLE;
        }
        struct record c = {
            .name = d + p + CENTRAL_LEN, .name_len = le16(d + p + 28),
            .flags = le16(d + p + 8), .method = le16(d + p + 10),
            .crc = le32(d + p + 16), .comp_size = le32(d + p + 20), .size = le32(d + p + 24),
        };
        size_t extra_len = le16(d + p + 30), comment_len = le16(d + p + 32);
        unsigned long offset = le32(d + p + 42);
        size_t record_len = CENTRAL_LEN + c.name_len + extra_len + comment_len;
        if (cd_end - p < record_len) {
            verify_problem(r, "zip.corrupt", "conteneur ZIP illisible : entrée %u du répertoire central tronquée", i + 1);
            return ZIPWALK_UNREADABLE;
        }
        char name[256];
        printable(c.name, c.name_len, name, sizeof name);
        if (c.comp_size == 0xFFFFFFFFUL || c.size == 0xFFFFFFFFUL || offset == 0xFFFFFFFFUL) {
            verify_problem(r, "zip.zip64", "« %s » : tailles ZIP64 : refusées, un conteneur de dossier n'en a jamais besoin", name);
            return ZIPWALK_FLAWED;
        }
        check_extra(&w, c.name + c.name_len, extra_len, name, "répertoire central");
        if (comment_len)
            verify_problem(r, "zip.comment", "« %s » porte un commentaire de %zu octets dans le répertoire central", name, comment_len);
        if (offset > cd_offset) {
            verify_problem(r, "zip.corrupt", "« %s » : en-tête local annoncé à l'octet %lu, hors des entrées", name, offset);
            return ZIPWALK_UNREADABLE;
        }
        char where[300];
        snprintf(where, sizeof where, "« %s »", name);
        if (offset < next)
            verify_problem(r, "zip.overlap", "« %s » commence à l'octet %lu, dans l'entrée précédente (entrées superposées, ou dans "
                 "un autre ordre que le répertoire central)", name, offset);
        else if (offset > next)
            gap(&w, next, offset, where);
        size_t entry_end = check_local(&w, offset, cd_offset, &c, name);
        if (!entry_end)
            return ZIPWALK_UNREADABLE;
        if (entry_end > next)
            next = entry_end;
        p += record_len;
    }
    if (next < cd_offset)
        gap(&w, next, cd_offset, "le répertoire central");
    if (p < cd_end)
        verify_problem(r, "zip.hidden_data", "%zu octets cachés dans le répertoire central, après ses %u entrées", cd_end - p, entries);
    if (cd_end < end)
        verify_problem(r, "zip.hidden_data", "%zu octets cachés entre le répertoire central et sa fin", end - cd_end);
    return r->count > before ? ZIPWALK_FLAWED : ZIPWALK_SOUND;
}

void zipwalk_check_mimetype(const unsigned char *d, size_t len, struct verify_result *r)
{
    size_t want = strlen(ASICE_MIMETYPE);
    if (len < LOCAL_LEN || le32(d) != SIG_LOCAL) {
        verify_problem(r, "zip.signature", "le fichier ne commence pas par une entrée ZIP");
        return;
    }
    unsigned name_len = le16(d + 26), extra_len = le16(d + 28);
    if (name_len != 8 || len < 38 || memcmp(d + 30, "mimetype", 8) != 0) {
        verify_problem(r, "mimetype.first", "la première entrée n'est pas « mimetype » (elle doit être placée en tête du conteneur)");
        return;
    }
    if (le16(d + 8) != 0)
        verify_problem(r, "mimetype.compressed", "l'entrée « mimetype » est compressée (méthode %u) : elle doit être stockée telle quelle", le16(d + 8));
    if (extra_len != 0)
        verify_problem(r, "mimetype.extra", "l'entrée « mimetype » porte un champ extra de %u octets (interdit)", extra_len);
    if (le16(d + 6) & FLAG_DESCRIPTOR)
        verify_problem(r, "mimetype.descriptor", "l'entrée « mimetype » utilise un descripteur de données (interdit)");
    size_t start = LOCAL_LEN + name_len + extra_len;
    if (le16(d + 8) == 0 && (le32(d + 18) != want || start + want > len || memcmp(d + start, ASICE_MIMETYPE, want) != 0))
        verify_problem(r, "mimetype.content", "le contenu de « mimetype » n'est pas exactement « %s »", ASICE_MIMETYPE);
}
