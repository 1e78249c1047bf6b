// Names: path components checked against what FAT can store, 8.3 short
// names (the basis, the ~N tail, case), the long-name checksum.
#include "fat_internal.h"

#include <string.h>

// Whether c is one of set's characters (the runtime has no strchr).
static int in_set(const char *set, unsigned char c)
{
    while (*set && (unsigned char)*set != c)
        set++;
    return c && *set;
}

static int refused_anywhere(unsigned char c)
{
    return c < 0x20 || c == 0x7F || c >= 0x80 || in_set("\"*/:<>?\\|", c);
}

// One component: 1..255 bytes, none refused, not "." or "..", and not
// ending in a dot or space (FAT would drop them).
SCODE fat_check_component(const char *name, uint32_t len)
{
    if (len == 0)
        return FS_E_BAD_NAME;
    if (len > FAT_NAME_MAX)
        return FS_E_NAME_TOO_LONG;
    for (uint32_t i = 0; i < len; i++)
        if (refused_anywhere((unsigned char)name[i]))
            return FS_E_BAD_NAME;
    if (name[len - 1] == '.' || name[len - 1] == ' ')
        return FS_E_BAD_NAME;
    return S_OK;
}

// The next component of *PATH, checked; S_FALSE when none is left.
SCODE fat_next_component(const char **path, const char **name, uint32_t *len)
{
    const char *p = *path;
    if (*p == 0)
        return S_FALSE;
    uint32_t n = 0;
    while (p[n] && p[n] != '/')
        n++;
    SCODE sc = fat_check_component(p, n);
    if (FAILED(sc))
        return sc;
    *name = p;
    *len = n;
    *path = p[n] ? p + n + 1 : p + n;
    if (p[n] && !p[n + 1])
        return FS_E_BAD_NAME; // a trailing '/': an empty last component
    return S_OK;
}

uint8_t fat_lfn_checksum(const uint8_t short_name[11])
{
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + short_name[i]);
    return sum;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

int fat_names_equal(const char *a, uint32_t alen, const char *b)
{
    for (uint32_t i = 0; i < alen; i++)
        if (!b[i] || upper(a[i]) != upper(b[i]))
            return 0;
    return b[alen] == 0;
}

static int short_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || in_set("!#$%&'()-@^_`{}~", c);
}

// 1 if NAME is an 8.3 name as it stands (upper case): OUT is its entry
// name and it needs no long name.
int fat_fits_short(const char *name, uint32_t len, uint8_t out[11])
{
    uint32_t dot = len, i, j = 0;
    for (i = 0; i < len; i++)
        if (name[i] == '.')
            dot = i;
    if (dot == 0 || dot > 8 || (dot < len && len - dot - 1 > 3) || (dot == len && len > 8))
        return 0;
    memset(out, ' ', 11);
    for (i = 0; i < len; i++) {
        if (i == dot)
            continue;
        if (!short_char(name[i]))
            return 0;
        out[i < dot ? i : 8 + j++] = (uint8_t)name[i];
    }
    return 1;
}

// The basis of a generated short name: upper case, refused characters as
// '_', spaces and all but the last dot dropped, 8 + 3 at most.
static uint32_t basis_part(const char *name, uint32_t from, uint32_t to, uint8_t *out,
                           uint32_t room)
{
    uint32_t n = 0;
    for (uint32_t i = from; i < to && n < room; i++) {
        char c = upper(name[i]);
        if (c != ' ' && c != '.')
            out[n++] = (uint8_t)(short_char(c) ? c : '_');
    }
    return n;
}

void fat_short_basis(const char *name, uint32_t len, uint8_t out[11])
{
    uint32_t dot = len;
    for (uint32_t i = 0; i < len; i++)
        if (name[i] == '.')
            dot = i;
    memset(out, ' ', 11);
    basis_part(name, 0, dot, out, 8);
    if (dot < len)
        basis_part(name, dot + 1, len, out + 8, 3);
    if (out[0] == ' ')
        out[0] = '_';
}

// Puts "~N" into the base part, after at most 8 - len("~N") characters.
void fat_short_tail(uint8_t name[11], uint32_t n)
{
    char digits[12];
    uint32_t d = 0, base = 0;
    for (; n; n /= 10)
        digits[d++] = (char)('0' + n % 10);
    while (base < 8 && name[base] != ' ')
        base++;
    uint32_t at = base + d + 1 > 8 ? 8 - d - 1 : base;
    name[at++] = '~';
    while (d)
        name[at++] = (uint8_t)digits[--d];
}

// "NAME.EXT" from a short entry, in the case its NT bits ask for.
void fat_short_to_text(const uint8_t *ent, char *out)
{
    uint32_t n = 0;
    for (int i = 0; i < 8 && ent[i] != ' '; i++) {
        char c = (char)(i == 0 && ent[0] == 0x05 ? 0xE5 : ent[i]);
        out[n++] = (ent[12] & 0x08) && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    if (ent[8] != ' ')
        out[n++] = '.';
    for (int i = 8; i < 11 && ent[i] != ' '; i++)
        out[n++] =
            (ent[12] & 0x10) && ent[i] >= 'A' && ent[i] <= 'Z' ? (char)(ent[i] + 32) : (char)ent[i];
    out[n] = 0;
}
