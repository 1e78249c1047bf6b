/* The console as a kernel object behind IConsole (idl/IConsole.idl): what
 * every process gets a handle to at its start. One object, never freed. */
#ifndef KERNEL_PROC_CONSOLE_OBJECT_H
#define KERNEL_PROC_CONSOLE_OBJECT_H

#include <IUnknown.h>

IUnknown *console_object(void);

#endif
