/* The runtime's own interface (lib/, rt.dll): the objects an image starts
 * with. In a process each is a proxy the runtime made at start-up from the
 * handles in PROCESS_START_INFO; in the kernel process (a service placed
 * in the kernel) each is the kernel object itself. Either way it lives as
 * long as the image, so callers use it without AddRef and never release
 * it. */
#include <stdbool.h>
#ifndef RIALTO_H
#define RIALTO_H

#include <IAddressSpace.h>
#include <IConsole.h>
#include <INameService.h>
#include <IProcess.h>
#include <IThread.h>

/* The process's own address space (paper 2.1: every thread can name its
 * space without being told). */
IAddressSpace *CurrentAddressSpace(void);

/* The process itself, and the console it was given. */
IProcess *CurrentProcess(void);
IConsole *CurrentConsole(void);

/* The system's name service (idl/INameService.idl): interface pointers
 * by name. */
INameService *NameService(void);

/* A lock for short sections (struct rt_lock, rt_lock, rt_unlock; zero
 * is free): see lib/lock.h. */
#include "../lock.h"

/* Milliseconds since the kernel's clock started (IProcess::GetTime). */
uint64_t TimeMs(void);

/* A new thread of this process running fn(arg); its exit code is what fn
 * returns (IThread::Join gives it). NULL when it cannot be made. Threads
 * may print and allocate at once: the heap and the console take the
 * runtime's lock. */
IThread *CreateThread(int (*fn)(void *), void *arg);

/* Makes this process a server with these settings (before or after it
 * first exports an object; the defaults are 4 threads, 1000 ms idle,
 * no queue limit). A local object passed to another process as an
 * interface pointer is exported: calls on it from elsewhere run on the
 * pool's threads, with the caller's priority. */
SCODE ServerPool(uint32_t MaxThreads, uint32_t IdleMs, uint32_t QueueMs);
/* The server threads' dispatcher: every call into this process (cookie,
 * method, argument block in the thread's buffer, as IProcess::Serve gives
 * them) goes to dispatch instead of the exported object's stub (NULL: the
 * runtime's own). For servers that speak the block themselves (and for
 * tests of what the kernel does with a server's answers). */
void ServeWith(SCODE (*dispatch)(uint32_t Cookie, uint32_t Method, void *Block));
/* Local objects other spaces hold now (each held until the kernel lets
 * go, which it tells the process a little after the last reference). */
unsigned ExportedObjects(void);

/* Windows' answers of an exception filter. */
#define EXCEPTION_CONTINUE_EXECUTION (-1)
#define EXCEPTION_CONTINUE_SEARCH    0

/* The function every user exception of the process goes to first, on the
 * faulting thread (NULL: none; the process ends with the kernel's report).
 * It returns EXCEPTION_CONTINUE_EXECUTION once it fixed the cause (the
 * faulting instruction runs again), or EXCEPTION_CONTINUE_SEARCH (the
 * process ends with the record's Code). An exception inside it ends the
 * process. */
SCODE SetExceptionHandler(int (*fn)(const EXCEPTION_RECORD *));

/* True in the kernel process: calls on kernel objects are plain calls,
 * and the image's own objects are called by their clients on the clients'
 * threads (no server pool). Code should not need to ask; reports do. */
bool InKernel(void);

/* A service's main thread, once its objects are registered: serves for
 * the life of the service, never returns. In a process the pool's threads
 * take the calls (ServerPool); in the kernel the calls arrive on their
 * callers' own threads. Either way this thread only waits. */
__attribute__((noreturn)) void RunService(void);

/* The handle the process's creator passed on (PROCESS_START_INFO's
 * Extra), 0 if none: com_unmarshal_interface makes it a proxy. */
com_handle_t StartHandle(void);

/* Whether VirtualAlloc commits zero-filled pages (nonzero, Windows' rule
 * and the default) or only erased ones: for the paper's measurement of the
 * zero/erase policy (2.1); programs must not rely on zeros if off. */
void SetVirtualAllocZero(int on);

#endif
