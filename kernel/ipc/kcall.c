/* The kernel-call path (see <kernel/ipc/kcall.h>). */
#include <kernel/arch.h>
#include <kernel/ipc/kcall.h>

SCODE (*kcall_test_hook)(uint32_t handle, uint32_t method, uintptr_t block);

void kcall_enter(struct trap_frame *tf)
{
    SCODE sc = E_HANDLE;
    if (kcall_test_hook)
        sc = kcall_test_hook(arch_kcall_handle(tf), arch_kcall_method(tf), arch_kcall_block(tf));
    arch_kcall_set_result(tf, sc);
}
