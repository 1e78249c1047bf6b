/* strtoul: a number in decimal, or in hexadecimal after 0x (base 0), or
 * in the base given; *end, when asked, points past the digits. */
#include <stdlib.h>

static int digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    while (*s == ' ')
        s++;
    if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        base = 16;
    }
    if (base == 0)
        base = 10;
    unsigned long v = 0;
    for (; digit(*s) < base; s++)
        v = v * (unsigned long)base + (unsigned long)digit(*s);
    if (end)
        *end = (char *)s;
    return v;
}
