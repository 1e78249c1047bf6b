/* The kernel call on i386 (see lib/arch.h): `int $0x80` with eax the
 * handle, edx the method index, ecx the argument block; the result comes
 * back in eax. The kernel resumes user mode from the frame it saved at the
 * trap, changing only eax (<kernel/arch.h>, "User mode"), so eax is the
 * one register the asm gives up; "memory" because the kernel reads the
 * block and writes through its [out] pointers. */
#include <com/com.h>

SCODE com_invoke(com_handle_t obj, const IID *iid, uint32_t method, void *args)
{
    /* The handle names one interface of one object in the process's
     * handle table, so the kernel knows the interface; iid is not sent. */
    (void)iid;
    SCODE result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(obj), "d"(method), "c"(args) : "memory");
    return result;
}
