/* The system object behind ISystem (idl/ISystem.idl): spawn, kill, the
 * kernel's reports, the cycle counter and halt for the shell. kmain hands
 * it to the init process only, as its start handle. One object, never
 * freed. */
#ifndef KERNEL_PROC_SYSTEM_OBJECT_H
#define KERNEL_PROC_SYSTEM_OBJECT_H

#include <IUnknown.h>

IUnknown *system_object(void);

#endif
