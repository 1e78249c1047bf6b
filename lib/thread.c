/* Threads the runtime makes: IProcess::CreateThread starts the new thread
 * at _thread_start (lib/ARCH/start.S) with a struct rt_thread, which says
 * what to run; when the function returns, the thread ends itself with
 * IThread::Terminate. Its struct rt_thread stays allocated until the
 * process ends (the heap takes no lock, so the ending thread cannot free
 * it while another allocates). */
#include "arch.h"
#include <rialto.h>
#include <stdlib.h>

struct rt_thread {
    int (*fn)(void *);
    void *arg;
    IThread *volatile self; /* set by the creator once CreateThread returned */
};

void rt_thread_main(struct rt_thread *t)
{
    int code = t->fn(t->arg);
    while (!t->self) /* the creator has not stored it yet */
        ;
    IThread_Terminate(t->self, code);
    __builtin_trap(); /* Terminate on itself does not return */
}

IThread *CreateThread(int (*fn)(void *), void *arg)
{
    struct rt_thread *t = malloc(sizeof *t);
    IThread *thread = 0;
    if (!t)
        return 0;
    t->fn = fn;
    t->arg = arg;
    t->self = 0;
    if (FAILED(IProcess_CreateThread(CurrentProcess(), (ADDRESS)_thread_start, (ADDRESS)t, 0,
                                     &thread))) {
        free(t);
        return 0;
    }
    t->self = thread;
    return thread;
}
