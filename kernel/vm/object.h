/* Address-space objects and view objects (paper 2.1, 2.2): an address
 * space behind the IAddressSpace and IMemoryObject interfaces idlc
 * generates, so every caller, in the kernel or (through the IPC path) in a
 * process, reaches it through one vtbl.
 *
 * An address-space object is one object with both interfaces;
 * QueryInterface moves between them (and to IUnknown, the identity).
 * Its IMemoryObject covers the whole space: offset = address in it.
 * IMemoryObject::RestrictedAccess makes a view object on a range of it,
 * with at most the protection asked; a view of a view stays inside its
 * parent. IAddressSpace::Map takes only these two kinds (a foreign
 * implementation is VM_E_FOREIGN_OBJECT) and never more access than the
 * memory object allows (VM_E_ACCESS_DENIED).
 *
 * Lifetimes are COM's: AddRef and Release count references on the object
 * (a view holds one on the object it restricts); when the last goes, the
 * object is freed and its creator's `release` runs, which may destroy the
 * space. A mapping made by Map holds no reference: it follows the source,
 * and raises exceptions once the source is gone (as_destroy), or reads
 * the scratch page if it was made with AS_MAP_NO_EXCEPTION. Offsets and
 * sizes come in the map granularity ReservationInformation reports (a
 * page), and a copy-on-write mapping asks no more access than a shared
 * one would. */
#ifndef KERNEL_VM_OBJECT_H
#define KERNEL_VM_OBJECT_H

#include <IAddressSpace.h>
#include <IMemoryObject.h>
#include <kernel/vm/vm.h>

/* A new object for `as` holding one reference; release(as, arg) runs when
 * the last reference goes (NULL: the space outlives every reference, as
 * kernel_as does). NULL when out of memory. */
IAddressSpace *as_object_create(struct as *as, void (*release)(struct as *as, void *arg),
                                void *arg);

/* Make the object part of outer (a process): QueryInterface for what the
 * space object does not implement, IUnknown included, goes to outer, so
 * a process's interfaces reach each other (paper 2.1). A weak pointer:
 * the owner sets NULL before outer goes. */
void as_object_set_outer(IAddressSpace *ias, IUnknown *outer);

/* The space behind an address-space object's interface (NULL if the
 * interface is not one of ours). */
struct as *as_object_space(IAddressSpace *ias);

#endif
