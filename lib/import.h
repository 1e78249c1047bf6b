/* IMPORT_DLL "name": an import note naming a DLL this image is linked
 * against (kernel/loader/elf.h: owner "Rialto", type NT_RIALTO_IMPORT 1,
 * the name NUL-terminated), for the assembler of both arches. user.ld
 * puts .note.rialto into the image's PT_NOTE segment. */
#ifndef LIB_IMPORT_H
#define LIB_IMPORT_H

/* clang-format off */
    .macro IMPORT_DLL name
    .pushsection .note.rialto, "a"
    .p2align 2
    .long 7                 /* namesz: "Rialto" and its NUL */
    .long 2f - 1f           /* descsz: the DLL's name and its NUL */
    .long 1                 /* NT_RIALTO_IMPORT */
    .asciz "Rialto"
    .p2align 2
1:  .asciz "\name"
2:  .p2align 2
    .popsection
    .endm
/* clang-format on */

#endif
