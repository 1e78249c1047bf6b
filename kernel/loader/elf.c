/* ELF executables (see <kernel/loader/elf.h>). Fields are read byte by
 * byte, little-endian, so no header has to be aligned in the image. */
#include <arch/mmu.h>
#include <kernel/loader/elf.h>
#include <kernel/string.h>
#include <stdbool.h>

#define EHDR_SIZE           52
#define PHDR_SIZE           32
#define ELFCLASS32          1
#define ELFDATA2LSB         1
#define EV_CURRENT          1
#define ET_EXEC             2
#define PT_LOAD             1
#define PT_NOTE             4
#define NOTE_HEADER         12
#define PF_X                1
#define PF_W                2
#define PF_R                4
#define MAX_PROGRAM_HEADERS 64

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* a + b <= limit, in 64 bits: no 32-bit field sum can wrap there */
static bool fits(uint64_t a, uint64_t b, uint64_t limit)
{
    return a + b <= limit;
}

static SCODE check_ident(const uint8_t *e, size_t size, unsigned machine)
{
    if (size < EHDR_SIZE || e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F')
        return LDR_E_NOT_ELF;
    if (e[4] != ELFCLASS32 || e[5] != ELFDATA2LSB || e[6] != EV_CURRENT ||
        le16(e + 16) != ET_EXEC || le32(e + 20) != EV_CURRENT)
        return LDR_E_WRONG_KIND;
    return le16(e + 18) == machine ? S_OK : LDR_E_WRONG_MACHINE;
}

static uint32_t prot_of(uint32_t flags)
{
    return (flags & PF_R ? AS_PROT_READ : 0) | (flags & PF_W ? AS_PROT_WRITE : 0) |
           (flags & PF_X ? AS_PROT_EXECUTE : 0);
}

/* One PT_LOAD header: inside the file, the space and its alignment. */
static SCODE load_segment(const uint8_t *ph, size_t size, uintptr_t lo, uintptr_t hi,
                          struct elf_segment *s)
{
    uint32_t off = le32(ph + 4), vaddr = le32(ph + 8), filesz = le32(ph + 16);
    uint32_t memsz = le32(ph + 20), align = le32(ph + 28);
    if (memsz == 0 || filesz > memsz || !fits(off, filesz, size))
        return LDR_E_BAD_SEGMENT;
    if (align & (align - 1) || (align > 1 && off % align != vaddr % align) ||
        off % PAGE_SIZE != vaddr % PAGE_SIZE)
        return LDR_E_BAD_SEGMENT;
    if (vaddr < lo || !fits(vaddr, memsz, hi))
        return LDR_E_OUT_OF_RANGE;
    *s = (struct elf_segment){vaddr, memsz, off, filesz, prot_of(le32(ph + 24))};
    return S_OK;
}

static uintptr_t page_down(uintptr_t a)
{
    return a & ~(uintptr_t)(PAGE_SIZE - 1);
}

/* Ascending, and no page holds two segments (each gets its own
 * protection and its own mapping). */
static SCODE check_order(const struct elf_image *img)
{
    for (unsigned i = 1; i < img->nsegments; i++) {
        const struct elf_segment *a = &img->segments[i - 1], *b = &img->segments[i];
        if (page_down(b->vaddr) <= page_down(a->vaddr + a->mem_size - 1))
            return LDR_E_OVERLAP;
    }
    return S_OK;
}

static SCODE check_entry(const struct elf_image *img)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (img->entry >= s->vaddr && img->entry - s->vaddr < s->mem_size)
            return s->prot & AS_PROT_EXECUTE ? S_OK : LDR_E_BAD_ENTRY;
    }
    return LDR_E_BAD_ENTRY;
}

static uint64_t align4(uint64_t n)
{
    return (n + 3) & ~(uint64_t)3;
}

/* Record a DLL name from an import note's description: 1 to
 * ELF_IMPORT_NAME - 1 characters, terminated within the description. */
static SCODE add_import(const uint8_t *desc, size_t n, struct elf_image *out)
{
    size_t len = 0;
    while (len < n && desc[len])
        len++;
    if (len == 0 || len == n || len >= ELF_IMPORT_NAME || out->nimports == ELF_MAX_IMPORTS)
        return LDR_E_BAD_IMPORT;
    for (size_t i = 0; i <= len; i++)
        out->imports[out->nimports][i] = (char)desc[i];
    out->nimports++;
    return S_OK;
}

/* The notes of one PT_NOTE segment; notes of other owners are skipped. */
static SCODE read_notes(const uint8_t *e, size_t size, const uint8_t *ph, struct elf_image *out)
{
    uint32_t off = le32(ph + 4), filesz = le32(ph + 16);
    if (!fits(off, filesz, size))
        return LDR_E_BAD_HEADERS;
    for (size_t at = 0; at < filesz;) {
        const uint8_t *n = e + off + at;
        if (filesz - at < NOTE_HEADER)
            return LDR_E_BAD_IMPORT;
        uint64_t namesz = le32(n), descsz = le32(n + 4), type = le32(n + 8);
        uint64_t total = NOTE_HEADER + align4(namesz) + align4(descsz);
        if (total > filesz - at)
            return LDR_E_BAD_IMPORT;
        const uint8_t *desc = n + NOTE_HEADER + (size_t)align4(namesz);
        if (namesz == 7 && !memcmp(n + NOTE_HEADER, "Rialto", 7) && type == NT_RIALTO_IMPORT) {
            SCODE sc = add_import(desc, (size_t)descsz, out);
            if (FAILED(sc))
                return sc;
        }
        at += total;
    }
    return S_OK;
}

static SCODE read_segments(const uint8_t *e, size_t size, uintptr_t lo, uintptr_t hi,
                           struct elf_image *out)
{
    uint32_t phoff = le32(e + 28), phentsize = le16(e + 42), phnum = le16(e + 44);
    if (phentsize != PHDR_SIZE || phnum == 0 || phnum > MAX_PROGRAM_HEADERS ||
        !fits(phoff, (size_t)phnum * PHDR_SIZE, size))
        return LDR_E_BAD_HEADERS;
    for (uint32_t i = 0; i < phnum; i++) {
        const uint8_t *ph = e + phoff + i * PHDR_SIZE;
        if (le32(ph) == PT_NOTE) {
            SCODE sc = read_notes(e, size, ph, out);
            if (FAILED(sc))
                return sc;
        }
        if (le32(ph) != PT_LOAD)
            continue;
        if (out->nsegments == ELF_MAX_SEGMENTS)
            return LDR_E_BAD_HEADERS;
        SCODE sc = load_segment(ph, size, lo, hi, &out->segments[out->nsegments]);
        if (FAILED(sc))
            return sc;
        out->nsegments++;
    }
    return out->nsegments ? S_OK : LDR_E_BAD_HEADERS;
}

SCODE elf_parse(const void *image, size_t size, unsigned machine, uintptr_t lo, uintptr_t hi,
                struct elf_image *out)
{
    const uint8_t *e = image;
    *out = (struct elf_image){0};
    SCODE sc = check_ident(e, size, machine);
    if (SUCCEEDED(sc))
        sc = read_segments(e, size, lo, hi, out);
    if (SUCCEEDED(sc))
        sc = check_order(out);
    out->entry = SUCCEEDED(sc) ? le32(e + 24) : 0;
    if (SUCCEEDED(sc))
        sc = check_entry(out);
    return sc;
}
