/* The user runtime's own interface (lib/): the objects a process starts
 * with. Each is a proxy the runtime made at start-up from the handles in
 * PROCESS_START_INFO; it lives as long as the process, so callers use it
 * without AddRef and never release it. */
#ifndef RIALTO_H
#define RIALTO_H

#include <IAddressSpace.h>
#include <IConsole.h>
#include <IProcess.h>

/* The process's own address space (paper 2.1: every thread can name its
 * space without being told). */
IAddressSpace *CurrentAddressSpace(void);

/* The process itself, and the console it was given. */
IProcess *CurrentProcess(void);
IConsole *CurrentConsole(void);

/* The handle the process's creator passed on (PROCESS_START_INFO's
 * Extra), 0 if none: com_unmarshal_interface makes it a proxy. */
com_handle_t StartHandle(void);

#endif
