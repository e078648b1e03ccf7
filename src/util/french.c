/* French typography: elision, dates in words, case folding. */
#include "french.h"
#include "arena.h"
#include "text.h"

#include <string.h>

int32_t fr_fold(int32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    /* À to Þ, but the multiplication sign. */
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    /* Latin Extended-A pairs capitals and small letters: even then odd, except in
     * the runs Ĺ-Ň and Ź-Ž, where the capital is odd; İ and ı stand apart. */
    if ((cp >= 0x100 && cp <= 0x137 && cp != 0x130) || (cp >= 0x14A && cp <= 0x177))
        return cp % 2 == 0 ? cp + 1 : cp;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return cp % 2 == 1 ? cp + 1 : cp;
    if (cp == 0x178)
        return 0xFF;
    /* Romanian letters with a comma below (Ș, Ț). */
    if (cp >= 0x218 && cp <= 0x21B)
        return cp % 2 == 0 ? cp + 1 : cp;
    return cp;
}

bool fr_equal_folded(const char *a, const char *b)
{
    const char *ea = a + strlen(a), *eb = b + strlen(b);
    while (a < ea && b < eb)
        if (fr_fold(utf8_next(&a, ea)) != fr_fold(utf8_next(&b, eb)))
            return false;
    return a == ea && b == eb;
}

/* Vowels with or without accent, once folded. */
static bool is_vowel(int32_t cp)
{
    static const int32_t vowels[] = {
        'a', 'e', 'i', 'o', 'u', 0xE0, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE8, 0xE9, 0xEA, 0xEB,
        0xEC, 0xED, 0xEE, 0xEF, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0x153,
    };
    for (size_t i = 0; i < sizeof vowels / sizeof *vowels; i++)
        if (cp == vowels[i])
            return true;
    return false;
}

bool fr_elides(const char *word)
{
    const char *p = word, *end = word + strlen(word);
    if (p == end)
        return false;
    int32_t first = fr_fold(utf8_next(&p, end));
    if (is_vowel(first) || first == 'h')
        return true;
    if (first != 'y' || p == end)
        return false;
    /* A y before a vowel is a consonant (Yolande, Yann); before a consonant, a vowel. */
    return !is_vowel(fr_fold(utf8_next(&p, end)));
}

const char *fr_de(struct arena *arena, const char *name)
{
    return arena_printf(arena, fr_elides(name) ? "d’%s" : "de %s", name);
}

const char *fr_date_words(struct arena *arena, int year, int month, int day)
{
    static const char *const months[] = {
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    };
    if (month < 1 || month > 12)
        return NULL;
    if (day == 1)
        return arena_printf(arena, "1er %s %d", months[month - 1], year);
    return arena_printf(arena, "%d %s %d", day, months[month - 1], year);
}
