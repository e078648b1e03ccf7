/* SIREN / SIRET validation (INSEE rules). */
#include "siret.h"

#include <string.h>

bool luhn_is_valid(const char *digits)
{
    size_t len = strlen(digits);
    if (len == 0)
        return false;
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(digits[len - 1 - i] - '0');
        if (d > 9)
            return false;
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

bool siret_compact(const char *text, char *out, unsigned size)
{
    unsigned n = 0;
    for (const char *s = text; *s; s++) {
        if (*s == ' ')
            continue;
        if (n + 1 >= size)
            return false;
        out[n++] = *s;
    }
    out[n] = '\0';
    return true;
}

static enum siret_status check_number(const char *text, size_t want)
{
    char digits[32];
    if (!siret_compact(text, digits, sizeof digits))
        return SIRET_LENGTH;
    for (const char *s = digits; *s; s++)
        if (*s < '0' || *s > '9')
            return SIRET_DIGITS;
    if (strlen(digits) != want)
        return SIRET_LENGTH;
    /* The head office, 356 000 000 00048, keeps the Luhn key. */
    if (want == 14 && strncmp(digits, SIREN_LA_POSTE, 9) == 0 &&
        strcmp(digits, SIREN_LA_POSTE "00048") != 0) {
        unsigned sum = 0;
        for (const char *s = digits; *s; s++)
            sum += (unsigned)(*s - '0');
        return sum % 5 == 0 ? SIRET_OK : SIRET_LUHN;
    }
    return luhn_is_valid(digits) ? SIRET_OK : SIRET_LUHN;
}

enum siret_status siren_check(const char *text)
{
    return check_number(text, 9);
}

enum siret_status siret_check(const char *text)
{
    return check_number(text, 14);
}
