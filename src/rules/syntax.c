/* Syntax checks of single values. */
#include "syntax.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool digits_only(const char *text)
{
    if (!*text)
        return false;
    for (const char *s = text; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool is_ldh(char c)
{
    return isascii((unsigned char)c) && (isalnum((unsigned char)c) || c == '-');
}

bool fqdn_is_valid(const char *text)
{
    size_t len = strlen(text);
    if (len > 0 && text[len - 1] == '.')
        len--;
    if (len == 0 || len > 253)
        return false;
    size_t labels = 0, start = 0;
    bool tld_all_digits = true;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '.') {
            if (!is_ldh(text[i]))
                return false;
            continue;
        }
        size_t l = i - start;
        if (l == 0 || l > 63 || text[start] == '-' || text[i - 1] == '-')
            return false;
        tld_all_digits = true;
        for (size_t k = start; k < i; k++)
            if (!isdigit((unsigned char)text[k]))
                tld_all_digits = false;
        labels++;
        start = i + 1;
    }
    return labels >= 2 && !tld_all_digits;
}

static bool is_atext(char c)
{
    return (isascii((unsigned char)c) && isalnum((unsigned char)c)) ||
           strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

bool email_is_valid(const char *text)
{
    size_t len = strlen(text);
    if (len > 254)
        return false;
    const char *at = strrchr(text, '@');
    if (!at)
        return false;
    size_t local = (size_t)(at - text);
    if (local == 0 || local > 64)
        return false;
    bool previous_dot = true;   /* no dot first */
    for (size_t i = 0; i < local; i++) {
        char c = text[i];
        if (c == '.') {
            if (previous_dot)
                return false;
            previous_dot = true;
            continue;
        }
        if (!is_atext(c))
            return false;
        previous_dot = false;
    }
    if (previous_dot)
        return false;
    const char *domain = at + 1;
    if (*domain == '\0')
        return false;
    if (domain[strlen(domain) - 1] == '.')
        return false;   /* a final dot is legal in DNS but never in an address */
    return fqdn_is_valid(domain);
}

/* Country codes of France and of the overseas departments, whose numbers have 9
 * digits after the code like metropolitan ones: La Réunion and Mayotte (262),
 * Guadeloupe, Saint-Martin and Saint-Barthélemy (590), Guyane (594), Martinique (596),
 * Mayotte's former code (269). */
static const char *const country_codes[] = { "33", "262", "590", "594", "596", "269" };

bool phone_fr_is_valid(const char *text)
{
    char d[32];
    size_t n = 0;
    const char *s = text;
    bool international = false;
    const char *digits = s[0] == '+' ? s + 1 : strncmp(s, "00", 2) == 0 ? s + 2 : NULL;
    if (digits) {
        for (size_t i = 0; i < sizeof country_codes / sizeof *country_codes && !international; i++) {
            size_t len = strlen(country_codes[i]);
            if (strncmp(digits, country_codes[i], len) == 0) {
                international = true;
                s = digits + len;
            }
        }
        if (!international && s[0] == '+')
            return false;
    }
    if (international) {
        while (*s == ' ')
            s++;
        if (strncmp(s, "(0)", 3) == 0)
            s += 3;
    }
    char previous = ' ';
    for (; *s; s++) {
        if (isdigit((unsigned char)*s)) {
            if (n + 1 >= sizeof d)
                return false;
            d[n++] = *s;
        } else if (*s == ' ' || *s == '.' || *s == '-') {
            /* separators only between digits, never two in a row */
            if (previous == ' ' || previous == '.' || previous == '-')
                if (n > 0)
                    return false;
        } else {
            return false;
        }
        previous = *s;
    }
    if (previous == '.' || previous == '-')
        return false;
    d[n] = '\0';
    if (international)
        return n == 9 && d[0] != '0';
    return n == 10 && d[0] == '0' && d[1] != '0';
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool date_parse(const char *text, int *year, int *month, int *day)
{
    int y, m, d, used = 0;
    size_t len = strlen(text);
    if (len == 10 && text[4] == '-' && text[7] == '-') {
        if (sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3)
            return false;
    } else if (len == 10 && text[2] == '/' && text[5] == '/') {
        if (sscanf(text, "%2d/%2d/%4d%n", &d, &m, &y, &used) != 3)
            return false;
    } else {
        return false;
    }
    if ((size_t)used != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)text[i]) && text[i] != '-' && text[i] != '/')
            return false;
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
        return false;
    int max = days[m - 1] + (m == 2 && is_leap(y));
    if (d > max)
        return false;
    *year = y;
    *month = m;
    *day = d;
    return true;
}

bool postcode_fr_is_valid(const char *text)
{
    if (strlen(text) != 5 || !digits_only(text))
        return false;
    int dept = (text[0] - '0') * 10 + (text[1] - '0');
    return (dept >= 1 && dept <= 95) || dept == 97 || dept == 98;
}
