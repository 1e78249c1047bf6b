/* The ELF checks of kernel/loader/elf.c: a well-formed executable and the
 * project's own kernels parse; each kind of malformed or hostile image is
 * refused with its own code; and no mutation of an image makes the parser
 * read outside it or describe a segment outside the file or the space. */
#include <criterion/criterion.h>
#include <kernel/loader/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LO   0x10000u
#define HI   0x80000000u
#define PG   4096u
#define SIZE (3 * PG)

static uint8_t img[SIZE];

static void put16(size_t at, uint32_t v)
{
    img[at] = (uint8_t)v;
    img[at + 1] = (uint8_t)(v >> 8);
}

static void put32(size_t at, uint32_t v)
{
    put16(at, v & 0xffff);
    put16(at + 2, v >> 16);
}

/* Program header i: type, offset, vaddr, filesz, memsz, flags, align. */
static void phdr(unsigned i, uint32_t type, uint32_t off, uint32_t va, uint32_t filesz,
                 uint32_t memsz, uint32_t flags)
{
    size_t p = 52 + i * 32;
    put32(p, type);
    put32(p + 4, off);
    put32(p + 8, va);
    put32(p + 12, va);
    put32(p + 16, filesz);
    put32(p + 20, memsz);
    put32(p + 24, flags);
    put32(p + 28, PG);
}

/* A MIPS executable: code (r-x) at 0x400000 from file page 1, data (rw-)
 * at 0x401000 from file page 2 with a bss tail, a note header between. */
static void build(void)
{
    memset(img, 0, sizeof img);
    memcpy(img,
           "\x7f"
           "ELF\x01\x01\x01",
           7);
    put16(16, 2); /* ET_EXEC */
    put16(18, ELF_MACHINE_MIPS);
    put32(20, 1);
    put32(24, 0x400010); /* entry */
    put32(28, 52);       /* phoff */
    put16(42, 32);
    put16(44, 3);
    phdr(0, 1, PG, 0x400000, PG, PG, 5);
    phdr(1, 4, 0, 0, 0, 0, 4); /* PT_NOTE: skipped */
    phdr(2, 1, 2 * PG, 0x401000, 100, 3 * PG, 6);
}

static SCODE parse(struct elf_image *out)
{
    return elf_parse(img, sizeof img, ELF_MACHINE_MIPS, LO, HI, out);
}

Test(loader_elf, a_well_formed_executable_is_described)
{
    build();
    struct elf_image e;
    cr_assert_eq(parse(&e), S_OK);
    cr_expect_eq(e.entry, 0x400010);
    cr_assert_eq(e.nsegments, 2, "PT_NOTE is not loaded");
    cr_expect_eq(e.segments[0].vaddr, 0x400000);
    cr_expect_eq(e.segments[0].prot, AS_PROT_READ | AS_PROT_EXECUTE);
    cr_expect_eq(e.segments[1].file_off, 2 * PG);
    cr_expect_eq(e.segments[1].file_size, 100);
    cr_expect_eq(e.segments[1].mem_size, 3 * PG);
    cr_expect_eq(e.segments[1].prot, AS_PROT_READ | AS_PROT_WRITE);
}

static SCODE parse_changed(void (*change)(void))
{
    build();
    change();
    struct elf_image e;
    return parse(&e);
}

static void bad_magic(void)
{
    img[1] = 'X';
}
static void wrong_class(void)
{
    img[4] = 2;
}
static void big_endian(void)
{
    img[5] = 2;
}
static void shared_object(void)
{
    put16(16, 3);
}
static void for_x86(void)
{
    put16(18, ELF_MACHINE_386);
}
static void headers_past_the_end(void)
{
    put32(28, SIZE - 40);
}
static void header_offset_wraps(void)
{
    put32(28, 0xffffffe0u);
}
static void odd_header_size(void)
{
    put16(42, 40);
}
static void no_headers(void)
{
    put16(44, 0);
}
static void no_load_segment(void)
{
    put32(52, 0), put32(52 + 64, 0); /* PT_NULL */
}
static void file_data_past_the_end(void)
{
    put32(52 + 64 + 16, 2 * PG);
}
static void file_data_wraps(void)
{
    put32(52 + 64 + 4, 0xfffff000u);
}
static void filesz_above_memsz(void)
{
    put32(52 + 64 + 16, 4 * PG);
}
static void not_page_congruent(void)
{
    put32(52 + 64 + 8, 0x401800);
}
static void unaligned_and_not_congruent(void)
{
    put32(52 + 64 + 28, 1), put32(52 + 64 + 8, 0x401800);
}
static void align_not_power_of_two(void)
{
    put32(52 + 28, 3 * PG);
}
static void below_the_space(void)
{
    put32(52 + 8, 0x1000), put32(24, 0x1010);
}
static void reaches_kernel_half(void)
{
    put32(52 + 64 + 8, HI - PG), put32(52 + 64 + 20, 2 * PG);
}
static void one_byte_past_the_space(void)
{
    put32(52 + 64 + 8, HI - PG), put32(52 + 64 + 20, PG + 1);
}
static void wraps_around(void)
{
    put32(52 + 64 + 8, 0xfffff000u), put32(52 + 64 + 20, 2 * PG);
}
static void shares_a_page(void)
{
    put32(52 + 64 + 8, 0x400000 + 0), put32(52 + 64 + 4, 2 * PG);
}
static void descending(void)
{
    put32(52 + 64 + 8, 0x300000);
}
static void entry_in_data(void)
{
    put32(24, 0x401010);
}
static void entry_nowhere(void)
{
    put32(24, 0x500000);
}
static void zero_memsz(void)
{
    put32(52 + 64 + 20, 0), put32(52 + 64 + 16, 0);
}

Test(loader_elf, each_malformed_image_gets_its_code)
{
    static const struct {
        const char *what;
        void (*change)(void);
        SCODE code;
    } cases[] = {
        {"bad magic", bad_magic, LDR_E_NOT_ELF},
        {"64-bit class", wrong_class, LDR_E_WRONG_KIND},
        {"big-endian", big_endian, LDR_E_WRONG_KIND},
        {"ET_DYN", shared_object, LDR_E_WRONG_KIND},
        {"i386 image for MIPS", for_x86, LDR_E_WRONG_MACHINE},
        {"program headers past the end", headers_past_the_end, LDR_E_BAD_HEADERS},
        {"program header offset wraps", header_offset_wraps, LDR_E_BAD_HEADERS},
        {"phentsize 40", odd_header_size, LDR_E_BAD_HEADERS},
        {"no program headers", no_headers, LDR_E_BAD_HEADERS},
        {"no PT_LOAD", no_load_segment, LDR_E_BAD_HEADERS},
        {"file data past the end", file_data_past_the_end, LDR_E_BAD_SEGMENT},
        {"file offset wraps", file_data_wraps, LDR_E_BAD_SEGMENT},
        {"filesz > memsz", filesz_above_memsz, LDR_E_BAD_SEGMENT},
        {"offset and address not congruent", not_page_congruent, LDR_E_BAD_SEGMENT},
        {"alignment not a power of two", align_not_power_of_two, LDR_E_BAD_SEGMENT},
        {"p_align 1, offset and address not page-congruent", unaligned_and_not_congruent,
         LDR_E_BAD_SEGMENT},
        {"empty segment", zero_memsz, LDR_E_BAD_SEGMENT},
        {"below the space", below_the_space, LDR_E_OUT_OF_RANGE},
        {"into the kernel half", reaches_kernel_half, LDR_E_OUT_OF_RANGE},
        {"one byte past the space", one_byte_past_the_space, LDR_E_OUT_OF_RANGE},
        {"address wraps", wraps_around, LDR_E_OUT_OF_RANGE},
        {"two segments in one page", shares_a_page, LDR_E_OVERLAP},
        {"segments out of order", descending, LDR_E_OVERLAP},
        {"entry in a data segment", entry_in_data, LDR_E_BAD_ENTRY},
        {"entry outside every segment", entry_nowhere, LDR_E_BAD_ENTRY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(parse_changed(cases[i].change), cases[i].code, "%s: %#x", cases[i].what,
                     (unsigned)parse_changed(cases[i].change));
}

Test(loader_elf, more_segments_than_the_loader_takes_are_refused)
{
    build();
    put16(44, ELF_MAX_SEGMENTS + 1);
    for (unsigned i = 0; i <= ELF_MAX_SEGMENTS; i++)
        phdr(i, 1, 0, 0x400000 + i * 2 * PG, 0, PG, i == 0 ? 5 : 6);
    put32(24, 0x400000);
    struct elf_image e;
    cr_expect_eq(parse(&e), LDR_E_BAD_HEADERS);
    put16(44, ELF_MAX_SEGMENTS);
    cr_expect_eq(parse(&e), S_OK, "exactly the most it takes");
    cr_expect_eq(e.nsegments, ELF_MAX_SEGMENTS);
}

Test(loader_elf, a_segment_may_end_at_the_end_of_the_space)
{
    build();
    put32(52 + 64 + 8, HI - PG);
    put32(52 + 64 + 20, PG);
    struct elf_image e;
    cr_expect_eq(parse(&e), S_OK);
}

Test(loader_elf, a_short_file_is_not_elf)
{
    build();
    struct elf_image e;
    cr_expect_eq(elf_parse(img, 51, ELF_MACHINE_MIPS, LO, HI, &e), LDR_E_NOT_ELF);
    cr_expect_eq(elf_parse(img, 2 * PG + 99, ELF_MACHINE_MIPS, LO, HI, &e), LDR_E_BAD_SEGMENT,
                 "data segment's file bytes cut short by one");
}

/* Random byte changes: whatever the parser accepts lies in the file and
 * the space (ASan catches any read outside the image). */
Test(loader_elf, mutated_images_never_describe_out_of_bounds)
{
    srand(9);
    unsigned accepted = 0;
    for (int round = 0; round < 20000; round++) {
        build();
        for (int k = 0; k < 1 + round % 4; k++) {
            size_t at = (size_t)rand() % (52 + 3 * 32);
            img[at] = (uint8_t)rand();
        }
        uint8_t *copy = malloc(SIZE);
        memcpy(copy, img, SIZE);
        struct elf_image e;
        if (FAILED(elf_parse(copy, SIZE, ELF_MACHINE_MIPS, LO, HI, &e))) {
            free(copy);
            continue;
        }
        accepted++;
        for (unsigned i = 0; i < e.nsegments; i++) {
            const struct elf_segment *s = &e.segments[i];
            cr_assert(s->file_off + s->file_size <= SIZE && s->file_size <= s->mem_size);
            cr_assert(s->vaddr >= LO && s->vaddr + s->mem_size <= HI &&
                      s->vaddr + s->mem_size > s->vaddr);
        }
        free(copy);
    }
    cr_expect_gt(accepted, 0, "some mutations are harmless");
}

static void *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    void *p = malloc(*size);
    cr_assert_eq(fread(p, 1, *size, f), *size);
    fclose(f);
    return p;
}

/* The project's own linker output: the kernels load anywhere in 32 bits. */
Test(loader_elf, the_kernels_parse_and_refuse_the_wrong_machine)
{
    static const struct {
        const char *arch;
        unsigned machine, other;
    } k[] = {{"x86", ELF_MACHINE_386, ELF_MACHINE_MIPS},
             {"mips", ELF_MACHINE_MIPS, ELF_MACHINE_386}};
    for (int i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s/kernel.elf", BUILDDIR, k[i].arch);
        size_t size;
        void *p = slurp(path, &size);
        struct elf_image e;
        cr_expect_eq(elf_parse(p, size, k[i].machine, 0, 0xfffff000u, &e), S_OK, "%s", path);
        cr_expect_geq(e.nsegments, 1);
        cr_expect_eq(elf_parse(p, size, k[i].other, 0, 0xfffff000u, &e), LDR_E_WRONG_MACHINE);
        free(p);
    }
}

/* An import note at file offset 0x200 (in the headers' page), described
 * by the PT_NOTE header: name "Rialto", type 1, the DLL's name. */
#define NOTES 0x200u

static size_t note(size_t at, const char *owner, uint32_t type, const char *desc, size_t descsz)
{
    size_t namesz = strlen(owner) + 1;
    put32(at, (uint32_t)namesz), put32(at + 4, (uint32_t)descsz), put32(at + 8, type);
    memcpy(img + at + 12, owner, namesz);
    size_t d = at + 12 + ((namesz + 3) & ~(size_t)3);
    memcpy(img + d, desc, descsz);
    return d + ((descsz + 3) & ~(size_t)3);
}

static void notes_end(size_t end)
{
    phdr(1, 4, NOTES, 0, (uint32_t)(end - NOTES), 0, 4);
}

Test(loader_elf, import_notes_name_the_dlls_in_order)
{
    build();
    size_t at = note(NOTES, "Rialto", NT_RIALTO_IMPORT, "rt.dll", 7);
    at = note(at, "GNU", NT_RIALTO_IMPORT, "not.dll", 8); /* another owner's: skipped */
    at = note(at, "Rialto", 2, "other.dll", 10);          /* another type: skipped */
    notes_end(note(at, "Rialto", NT_RIALTO_IMPORT, "kv.dll", 7));
    struct elf_image e;
    cr_assert_eq(parse(&e), S_OK);
    cr_assert_eq(e.nimports, 2);
    cr_expect_str_eq(e.imports[0], "rt.dll");
    cr_expect_str_eq(e.imports[1], "kv.dll");
}

Test(loader_elf, an_image_without_notes_imports_nothing)
{
    build();
    struct elf_image e;
    cr_assert_eq(parse(&e), S_OK);
    cr_expect_eq(e.nimports, 0);
}

Test(loader_elf, malformed_import_notes_are_refused)
{
    static const char long_name[ELF_IMPORT_NAME + 1] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    struct elf_image e;
    build(); /* the name not terminated inside its description */
    notes_end(note(NOTES, "Rialto", NT_RIALTO_IMPORT, "rt.dllX", 7));
    cr_expect_eq(parse(&e), LDR_E_BAD_IMPORT, "unterminated");
    build(); /* an empty name */
    notes_end(note(NOTES, "Rialto", NT_RIALTO_IMPORT, "", 1));
    cr_expect_eq(parse(&e), LDR_E_BAD_IMPORT, "empty");
    build(); /* ELF_IMPORT_NAME characters: one too many */
    notes_end(note(NOTES, "Rialto", NT_RIALTO_IMPORT, long_name, ELF_IMPORT_NAME + 1));
    cr_expect_eq(parse(&e), LDR_E_BAD_IMPORT, "too long");
    build(); /* the longest name fits */
    notes_end(note(NOTES, "Rialto", NT_RIALTO_IMPORT, long_name + 1, ELF_IMPORT_NAME));
    cr_expect_eq(parse(&e), S_OK, "longest");
    build(); /* one import more than the loader takes */
    size_t at = NOTES;
    for (int i = 0; i <= ELF_MAX_IMPORTS; i++)
        at = note(at, "Rialto", NT_RIALTO_IMPORT, "rt.dll", 7);
    notes_end(at);
    cr_expect_eq(parse(&e), LDR_E_BAD_IMPORT, "too many");
    build(); /* a description longer than the segment */
    notes_end(note(NOTES, "Rialto", NT_RIALTO_IMPORT, "rt.dll", 7) - 4);
    cr_expect_eq(parse(&e), LDR_E_BAD_IMPORT, "cut short");
    build(); /* a description size that wraps */
    notes_end(note(NOTES, "Rialto", NT_RIALTO_IMPORT, "rt.dll", 7));
    put32(NOTES + 4, 0xfffffffd);
    cr_expect_eq(parse(&e), LDR_E_BAD_IMPORT, "wraps");
    build(); /* the note segment outside the file */
    phdr(1, 4, SIZE - 8, 0, 16, 0, 4);
    cr_expect_eq(parse(&e), LDR_E_BAD_HEADERS, "past the end");
}
