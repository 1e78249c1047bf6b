/* exit: the process ends itself (IProcess::Terminate on its own process
 * ends every thread, the caller's too, so the call never returns). The
 * kernel process refuses to end: there the calling thread ends alone. */
#include "console.h"
#include <rialto.h>
#include <stdlib.h>

void exit(int code)
{
    rt_console_flush();
    IProcess *self = CurrentProcess();
    if (self && FAILED(IProcess_Terminate(self, code)))
        IProcess_ExitThread(self, code);
    /* Terminate returned (a bad handle): an exception is the one way
     * left to stop, and the kernel ends a process it is not handled in. */
    __builtin_trap();
}
