/* The name service (idl/INameService.idl, issue 16): interface pointers
 * by name, for processes (through the INameService object every process
 * gets a handle to) and for kernel code, which registers its services
 * ("fs", "net", "gfx") with the C functions below.
 *
 * One bounded table (NAME_MAX_NAMES names of up to NAME_MAX_LENGTH
 * characters of A-Z a-z 0-9 . _ - /), under a mutex. Each entry holds one
 * reference to its object (a plain IUnknown: AddRef, Release and
 * QueryInterface are all the table asks of it, done outside the lock
 * except AddRef) and its owner: the process that registered it, NULL for
 * the kernel. Only the owner unregisters a name; a process's names go
 * when it ends (names_forget, from the process's finish).
 *
 * names.c is the table (pure, host-tested in test/ipc); name_service.c
 * the INameService object over it. */
#ifndef KERNEL_IPC_NAMES_H
#define KERNEL_IPC_NAMES_H

#include <INameService.h>
#include <stddef.h>

struct process;

/* S_OK for a well-formed name, NAME_E_BAD_NAME otherwise. */
SCODE names_check(const char *name);
/* Register object under name for owner (NULL: the kernel); the table
 * takes a reference of its own. NAME_E_BAD_NAME, NAME_E_EXISTS,
 * NAME_E_FULL, E_POINTER for a NULL object. */
SCODE names_register(const char *name, IUnknown *object, struct process *owner);
/* The object under name as interface iid, with a reference for the
 * caller: its QueryInterface's answer, or NAME_E_NOT_FOUND, NAME_E_BAD_NAME. */
SCODE names_lookup(const char *name, const IID *iid, void **out);
/* Drop name, which owner must have registered: NAME_E_NOT_OWNER
 * otherwise, NAME_E_NOT_FOUND, NAME_E_BAD_NAME. */
SCODE names_unregister(const char *name, struct process *owner);
/* Drop every name p registered (p ends). */
void names_forget(struct process *p);
/* Copy the index-th name (terminated) into name; S_FALSE past the last. */
SCODE names_at(unsigned index, char name[NAME_MAX_LENGTH + 1]);
/* Call fn for each name, under the table's lock (so an owner cannot end
 * meanwhile): fn must not call back into the table. */
void names_each(void (*fn)(const char *name, struct process *owner, void *arg), void *arg);
/* How many names are registered. */
unsigned names_count(void);

/* The INameService object (name_service.c): one, static, never freed. */
IUnknown *name_service_object(void);

#endif
