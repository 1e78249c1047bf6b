/* The arch contract checked at compile time: every inline, type and
 * constant that <kernel/arch.h> lists, with the type it lists. An arch
 * that leaves one out, or gives it another signature, fails to build
 * here rather than somewhere in kernel/. No code is generated. */
#include <kernel/arch.h>
#include <kernel/vm/vtlb.h>

#define HAS_TYPE(expr, type)                                                                       \
    _Static_assert(__builtin_types_compatible_p(__typeof__(expr), type), #expr " is " #type)

HAS_TYPE(&arch_irq_save, unsigned long (*)(void));
HAS_TYPE(&arch_irq_restore, void (*)(unsigned long));
HAS_TYPE(&arch_irq_enabled, bool (*)(void));
HAS_TYPE(&arch_irq_enable, void (*)(void));
HAS_TYPE(&arch_irq_disable, void (*)(void));
HAS_TYPE(&arch_wait_for_interrupt, void (*)(void));
HAS_TYPE(&arch_breakpoint, void (*)(void));
HAS_TYPE(&io_read8, uint8_t (*)(uint16_t));
HAS_TYPE(&io_write8, void (*)(uint16_t, uint8_t));
HAS_TYPE(&io_read16, uint16_t (*)(uint16_t));
HAS_TYPE(&io_write16, void (*)(uint16_t, uint16_t));
HAS_TYPE(&io_read32, uint32_t (*)(uint16_t));
HAS_TYPE(&io_write32, void (*)(uint16_t, uint32_t));
HAS_TYPE(&phys_to_virt, void *(*)(paddr_t));
HAS_TYPE(&virt_to_phys, paddr_t (*)(const void *));
HAS_TYPE(&phys_to_virt_uncached, void *(*)(paddr_t));
HAS_TYPE(&arch_copy_page, void (*)(void *, const void *));
HAS_TYPE(&arch_copy_words, void (*)(void *, const void *, size_t));
HAS_TYPE(&arch_thread_save, void (*)(struct arch_thread *, struct trap_frame *));
HAS_TYPE(&arch_thread_frame, struct trap_frame *(*)(struct arch_thread *));
HAS_TYPE(&arch_thread_sp, uintptr_t (*)(const struct arch_thread *));
HAS_TYPE(&arch_frame_preemptible, bool (*)(const struct trap_frame *));
HAS_TYPE(&arch_yield, void (*)(void));
HAS_TYPE(&arch_pci_irq_route, int (*)(unsigned, unsigned));

_Static_assert(sizeof ARCH_NAME > 1, "ARCH_NAME names the arch");
_Static_assert(sizeof(paddr_t) >= sizeof(uint32_t), "paddr_t holds a physical address");
_Static_assert(PAGE_SIZE == 1u << PAGE_SHIFT, "PAGE_SIZE is 2^PAGE_SHIFT");
_Static_assert(UNMAPPED_BASE % PAGE_SIZE == 0 && UNMAPPED_SIZE % PAGE_SIZE == 0,
               "unmapped memory is whole pages");
_Static_assert(KERNEL_MAPPED_BASE < KERNEL_MAPPED_END, "kernel_as has a range");
_Static_assert(USER_BASE < USER_END && USER_BASE % PAGE_SIZE == 0, "user spaces have a range");
_Static_assert(USER_KERNEL_BIAS % PAGE_SIZE == 0, "the bias keeps page offsets");
_Static_assert(sizeof(struct trap_frame) > 0 && sizeof(struct arch_thread) > 0 &&
                   sizeof(struct arch_vtlb_as) > 0 && sizeof(struct arch_vtlb_stats) > 0,
               "the arch's structures exist");

/* User mode (<arch/user.h>) */
HAS_TYPE(&arch_frame_from_user, bool (*)(const struct trap_frame *));
HAS_TYPE(&arch_frame_pc, uintptr_t (*)(const struct trap_frame *));
HAS_TYPE(&arch_frame_sp, uintptr_t (*)(const struct trap_frame *));
HAS_TYPE(&arch_frame_set_pc, void (*)(struct trap_frame *, uintptr_t));
HAS_TYPE(&arch_kcall_handle, uint32_t (*)(const struct trap_frame *));
HAS_TYPE(&arch_kcall_method, uint32_t (*)(const struct trap_frame *));
HAS_TYPE(&arch_kcall_block, uintptr_t (*)(const struct trap_frame *));
HAS_TYPE(&arch_kcall_set_result, void (*)(struct trap_frame *, int32_t));
_Static_assert(OVERLAP_BASE >= USER_BASE && OVERLAP_BASE < OVERLAP_END && OVERLAP_END <= USER_END,
               "the overlap region is user addresses");
