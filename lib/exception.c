/* Exception handlers, as Windows' filters decide: the handler the program
 * sets (SetExceptionHandler) sees each EXCEPTION_RECORD and answers
 * EXCEPTION_CONTINUE_EXECUTION (the faulting instruction runs again: the
 * handler fixed its cause) or EXCEPTION_CONTINUE_SEARCH (nobody handles
 * it: the process ends with the exception's code). The kernel starts
 * _exception_start (lib/ARCH/start.S) on the faulting thread. */
#include "arch.h"
#include <rialto.h>

static int (*handler)(const EXCEPTION_RECORD *);

void rt_exception_main(const EXCEPTION_RECORD *r)
{
    if (handler && handler(r) == EXCEPTION_CONTINUE_EXECUTION)
        IProcess_ContinueAfterException(CurrentProcess(), 0); /* does not return */
    IProcess_Terminate(CurrentProcess(), (int32_t)r->Code);
    __builtin_trap();
}

SCODE SetExceptionHandler(int (*fn)(const EXCEPTION_RECORD *))
{
    handler = fn;
    return IProcess_SetExceptionHandler(CurrentProcess(), fn ? (ADDRESS)_exception_start : 0);
}
