/* ELF executables (the loader's first part): parse and check a 32-bit
 * little-endian ELF image against the space it will load into, before
 * anything is reserved. Every field of the file is untrusted: sizes and
 * offsets are checked without overflow, segments must lie in the file and
 * in [lo, hi), be page-congruent (file offset and address equal modulo the
 * page size, so a page can be mapped straight from the image), ascending
 * and without a shared page, and the entry point must be in an executable
 * segment. PT_NOTE segments may name the DLLs the image was linked
 * against (link-time fixing: the image holds their absolute addresses, so
 * it is loaded with exactly those, at their own fixed addresses). Pure code: the host tests run it
 * on real and hostile images. */
#ifndef KERNEL_LOADER_ELF_H
#define KERNEL_LOADER_ELF_H

#include <IAddressSpace.h>
#include <IProcess.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8
#define ELF_MAX_IMPORTS  4  /* DLLs one image imports */
#define ELF_IMPORT_NAME  32 /* bytes of a DLL's name, its terminator included */
/* An import note: name "Rialto", type NT_RIALTO_IMPORT, the description
 * the DLL's name in the boot archive, NUL-terminated (lib/ARCH/crt0.S). */
#define NT_RIALTO_IMPORT 1
#define ELF_MACHINE_386  3
#define ELF_MACHINE_MIPS 8

struct elf_segment {
    uintptr_t vaddr;  /* where it loads */
    size_t mem_size;  /* bytes of memory, mem_size >= file_size */
    size_t file_off;  /* where its contents are in the image */
    size_t file_size; /* bytes from the image; the rest is zero */
    uint32_t prot;    /* AS_PROT_* from the segment's flags */
};

struct elf_image {
    uintptr_t entry;
    unsigned nsegments; /* PT_LOAD segments, ascending */
    struct elf_segment segments[ELF_MAX_SEGMENTS];
    unsigned nimports; /* DLLs it is linked against, in note order */
    char imports[ELF_MAX_IMPORTS][ELF_IMPORT_NAME];
};

/* Check image[0, size) as an executable for `machine` loading into
 * [lo, hi) and describe it in *out; LDR_E_* says what is wrong. */
SCODE elf_parse(const void *image, size_t size, unsigned machine, uintptr_t lo, uintptr_t hi,
                struct elf_image *out);

#endif
