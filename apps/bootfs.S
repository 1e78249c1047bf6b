/* The boot archive linked into a kernel image: the ustar archive the
 * build makes of the apps (BOOTFS_FILE, given by the build on the command
 * line), between bootfs_start and bootfs_end. Retained ("R") so
 * --gc-sections keeps it even before kernel code names it. */
    .section .rodata.bootfs, "aR"
    .p2align 9              /* tar's 512-byte blocks stay aligned in memory */
    .globl bootfs_start
    .globl bootfs_end
bootfs_start:
    .incbin BOOTFS_FILE
bootfs_end:
