/* The kernel call on MIPS (see lib/arch.h): `syscall` with a0 the handle,
 * a1 the method index, a2 the argument block; the result comes back in
 * v0. The kernel resumes user mode from the frame it saved at the trap
 * (advancing the pc past the syscall), changing only v0 (<kernel/arch.h>,
 * "User mode"); "memory" because the kernel reads the block and writes
 * through its [out] pointers. */
#include <com/com.h>

SCODE com_invoke(com_handle_t obj, const IID *iid, uint32_t method, void *args)
{
    /* The handle names one interface of one object in the process's
     * handle table, so the kernel knows the interface; iid is not sent. */
    (void)iid;
    register uint32_t a0 __asm__("$4") = obj;
    register uint32_t a1 __asm__("$5") = method;
    register void *a2 __asm__("$6") = args;
    register SCODE v0 __asm__("$2");
    __asm__ volatile("syscall" : "=r"(v0) : "r"(a0), "r"(a1), "r"(a2) : "memory");
    return v0;
}
