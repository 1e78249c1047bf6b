/* Threads the runtime makes: IProcess::CreateThread starts the new thread
 * at _thread_start (lib/ARCH/start.S) with a struct rt_thread, which says
 * what to run; when the function returns, the thread ends itself with
 * IProcess::ExitThread (not through its IThread, which is the caller's to
 * release whenever it likes). Its struct rt_thread stays allocated until the
 * process ends (the heap takes no lock, so the ending thread cannot free
 * it while another allocates). */
#include "thread.h"
#include <rialto.h>
#include <stdlib.h>

void rt_thread_main(struct rt_thread *t)
{
    IProcess_ExitThread(CurrentProcess(), t->fn(t->arg));
    __builtin_trap(); /* ExitThread does not return */
}

IThread *CreateThread(int (*fn)(void *), void *arg)
{
    struct rt_thread *t = malloc(sizeof *t);
    IThread *thread = 0;
    if (!t)
        return 0;
    t->fn = fn;
    t->arg = arg;
    /* Not freed on failure: a call can fail after the kernel started the
     * thread (its handle found no room), and the thread reads t. */
    if (FAILED(IProcess_CreateThread(CurrentProcess(), (ADDRESS)_thread_start, (ADDRESS)t, 0,
                                     &thread)))
        return 0;
    return thread;
}
