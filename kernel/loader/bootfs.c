/* The boot archive reader (see <kernel/loader/bootfs.h>). A ustar header
 * is one 512-byte block; its fields are fixed-width ASCII, read byte by
 * byte, so the archive needs no alignment. */
#include <kernel/loader/bootfs.h>

/* Header fields: offset and width (POSIX.1-1988 ustar). */
#define NAME_OFF     0
#define NAME_LEN     100
#define SIZE_OFF     124
#define SIZE_LEN     12
#define CHKSUM_OFF   148
#define CHKSUM_LEN   8
#define TYPE_OFF     156
#define MAGIC_OFF    257 /* "ustar\0" then version "00" */
#define PREFIX_OFF   345
#define PREFIX_LEN   155
#define OCTAL_DIGITS 11 /* 8^11 - 1 bytes: more than any 32-bit archive */

static bool all_zero(const uint8_t *h)
{
    for (int i = 0; i < BOOTFS_BLOCK; i++) {
        if (h[i])
            return false;
    }
    return true;
}

/* A number field: optional leading spaces, 1 to OCTAL_DIGITS octal digits,
 * then only NULs or spaces to the field's end. Base-256 (the high bit) is
 * refused: no archive of ours needs it. */
static bool octal(const uint8_t *f, int len, uint64_t *out)
{
    int i = 0, digits = 0;
    uint64_t v = 0;
    while (i < len && f[i] == ' ')
        i++;
    for (; i < len && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
        if (digits == OCTAL_DIGITS)
            return false;
        v = v * 8 + (uint64_t)(f[i] - '0');
    }
    if (digits == 0)
        return false;
    for (; i < len; i++) {
        if (f[i] != '\0' && f[i] != ' ')
            return false;
    }
    *out = v;
    return true;
}

/* The checksum: every header byte summed unsigned, the checksum field
 * itself counted as spaces. */
static SCODE check_header(const uint8_t *h)
{
    uint64_t want;
    if (!octal(h + CHKSUM_OFF, CHKSUM_LEN, &want))
        return BOOTFS_E_BAD_FIELD;
    uint64_t sum = 0;
    for (int i = 0; i < BOOTFS_BLOCK; i++)
        sum += i >= CHKSUM_OFF && i < CHKSUM_OFF + CHKSUM_LEN ? ' ' : h[i];
    if (sum != want)
        return BOOTFS_E_CHECKSUM;
    static const char magic[8] = {'u', 's', 't', 'a', 'r', '\0', '0', '0'};
    for (int i = 0; i < 8; i++) {
        if (h[MAGIC_OFF + i] != (uint8_t)magic[i])
            return BOOTFS_E_NOT_USTAR;
    }
    return S_OK;
}

/* Append at most len bytes of a field, up to its first NUL. */
static size_t append(char *dst, size_t at, const uint8_t *f, int len)
{
    for (int i = 0; i < len && f[i]; i++)
        dst[at++] = (char)f[i];
    return at;
}

static SCODE read_name(const uint8_t *h, char *name)
{
    size_t n = append(name, 0, h + PREFIX_OFF, PREFIX_LEN);
    if (n > 0)
        name[n++] = '/';
    n = append(name, n, h + NAME_OFF, NAME_LEN);
    name[n] = '\0';
    return h[NAME_OFF] ? S_OK : BOOTFS_E_BAD_NAME;
}

void bootfs_iter_init(struct bootfs_iter *it, const void *archive, size_t size)
{
    it->archive = archive;
    it->size = size;
    it->next = 0;
}

SCODE bootfs_next(struct bootfs_iter *it, struct bootfs_entry *out)
{
    if (it->next > it->size || it->size - it->next < BOOTFS_BLOCK)
        return BOOTFS_E_TRUNCATED; /* no end-of-archive block */
    const uint8_t *h = it->archive + it->next;
    if (all_zero(h))
        return S_FALSE;
    SCODE sc = check_header(h);
    uint64_t size;
    if (sc == S_OK && !octal(h + SIZE_OFF, SIZE_LEN, &size))
        sc = BOOTFS_E_BAD_FIELD;
    if (sc == S_OK)
        sc = read_name(h, out->name);
    if (sc != S_OK)
        return sc;
    /* data and its padding to a whole block, in 64 bits: cannot wrap */
    uint64_t data = (uint64_t)it->next + BOOTFS_BLOCK;
    uint64_t end = data + (size + BOOTFS_BLOCK - 1) / BOOTFS_BLOCK * BOOTFS_BLOCK;
    if (end > it->size)
        return BOOTFS_E_TRUNCATED;
    out->regular = h[TYPE_OFF] == '0' || h[TYPE_OFF] == '\0';
    out->data = it->archive + data;
    out->size = (size_t)size;
    it->next = (size_t)end;
    return S_OK;
}

static bool same_name(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

SCODE bootfs_find(const void *archive, size_t size, const char *name, struct bootfs_entry *out)
{
    struct bootfs_iter it;
    bootfs_iter_init(&it, archive, size);
    SCODE sc;
    while ((sc = bootfs_next(&it, out)) == S_OK) {
        if (out->regular && same_name(out->name, name))
            return S_OK;
    }
    return sc == S_FALSE ? BOOTFS_E_NOT_FOUND : sc;
}
