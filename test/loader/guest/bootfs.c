/* The boot archive in a running kernel (kernel-test.elf): it is linked
 * between bootfs_start and bootfs_end, the reader finds every program in
 * it (test_ ones included), and each is an executable for this arch that
 * the loader's checks accept in the user range below the DLLs. */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <kernel/loader/bootfs.h>
#include <kernel/loader/elf.h>
#include <kernel/string.h>

#define DLL_BASE  0x40000000u /* [1 GiB, 2 GiB) is the DLLs' */
#define APPS_BASE 0x00400000u /* lib/user.ld */

KTEST(bootfs_carries_the_programs)
{
    size_t size = (size_t)(bootfs_end - bootfs_start);
    KT_ASSERT(size >= 2 * BOOTFS_BLOCK);
    KT_ASSERT_EQ((uintptr_t)bootfs_start % BOOTFS_BLOCK, 0);
    unsigned machine = strcmp(ARCH_NAME, "x86") == 0 ? ELF_MACHINE_386 : ELF_MACHINE_MIPS;
    static const char *const names[] = {"hello", "init", "test_smoke"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct bootfs_entry e;
        KT_ASSERT_EQ(bootfs_find(bootfs_start, size, names[i], &e), S_OK);
        struct elf_image img;
        KT_ASSERT_EQ(elf_parse(e.data, e.size, machine, USER_BASE, DLL_BASE, &img), S_OK);
        KT_ASSERT_EQ(img.entry, APPS_BASE);
    }
    struct bootfs_entry e;
    KT_ASSERT_EQ(bootfs_find(bootfs_start, size, "no_such_program", &e), BOOTFS_E_NOT_FOUND);
}
