/* User threads, and the kernel process's threads that CreateThread made,
 * as objects behind IThread (idl/IThread.idl). Each such thread has one; the thread holds a
 * reference while it lives, handles and kernel pointers hold the others. The object outlives the
 * thread (its exit code, Join) and owns the thread's user stack, which goes when the thread has
 * been joined by the reaper. */
#ifndef KERNEL_PROC_THREAD_OBJECT_H
#define KERNEL_PROC_THREAD_OBJECT_H

#include <IThread.h>
#include <kernel/proc/process.h>

/* Reserve a user stack of size bytes (rounded up to pages), auto-
 * committed, above a guard page; *base is the guard page. */
SCODE user_stack_alloc(struct process *p, size_t size, uintptr_t *base, size_t *rounded);
/* Start a user thread of p at pc(arg), stack pointer sp, on the stack
 * user_stack_alloc made at [base, base + PAGE_SIZE + size), which the
 * object then owns (freed when the thread is gone, or here on failure).
 * *out holds one reference unless out is NULL. */
SCODE thread_object_start(struct process *p, uintptr_t pc, uintptr_t arg, uintptr_t sp,
                          uintptr_t base, size_t size, IThread **out);
/* Start a kernel thread of the kernel process at an image's entry(arg)
 * (lib/arch.h's convention: arch_enter_image) on a growable kernel stack;
 * *out holds one reference. Terminate is E_NOTIMPL on it: a kernel
 * thread ends itself (IProcess::ExitThread). */
SCODE thread_object_start_kernel(uintptr_t entry, uintptr_t arg, IThread **out);
/* The reaper joined the thread of this object (t->object, taken before
 * the join freed t): record its end, free its stack, drop its reference. */
void thread_object_reaped(void *object);
/* The exit code t's thread ends with (before it is reaped). */
void thread_object_set_exit(struct thread *t, int32_t code);

#endif
