/* Handle tables: what a process names kernel objects by (paper 1.1: the
 * generic proxy traps with a handle). A handle is a 32-bit value that
 * stands for one reference to an object in one table; a handle that was
 * never handed out, was closed, or belongs to another process's table
 * finds nothing (E_HANDLE), never some other object.
 *
 * A handle is (serial << HANDLE_INDEX_BITS) | slot: every handle made
 * anywhere takes the next serial, and a slot remembers the handle it
 * holds, so a closed handle, a forged one and another table's all fail
 * the comparison. Serials wrap after 2^22 handles; only then could a
 * stale handle name a slot's new object, and only if the slot is the
 * same one. Slot 0 is never used, so 0 is never a handle.
 *
 * The table holds one reference per handle (the caller's, handed over by
 * handle_insert); lookups take a reference of their own for the call. A
 * spinlock makes the table safe to share between a process's threads.
 *
 * A handle also carries a type, which the table only keeps (the kernel
 * call path stores the interface the reference is, so it can find the
 * method signatures), and a count of the process's own references
 * (IUnknown's AddRef and Release through a handle): the handle closes
 * when its count reaches zero. */
#ifndef KERNEL_PROC_HANDLE_H
#define KERNEL_PROC_HANDLE_H

#include <IUnknown.h>
#include <kernel/sync/lock.h>
#include <kernel/vm/heap.h>
#include <stdint.h>

#define HANDLE_INDEX_BITS 10
#define HANDLE_MAX_SLOTS  (1u << HANDLE_INDEX_BITS)

struct handle_slot {
    uint32_t handle; /* the handle it holds; 0 when free */
    uint32_t refs;   /* the holder's references through the handle */
    const void *type;
    union {
        IUnknown *object; /* in use */
        uint32_t next;    /* free: the next free slot, 0 at the end */
    };
};

struct handle_table {
    struct spinlock lock;
    struct heap *heap;
    struct handle_slot *slots;
    uint32_t nslots;    /* slot 0 included, never used */
    uint32_t free_head; /* 0: full */
    uint32_t in_use;
};

/* The most handles a table can hold: its slots are one heap object
 * (127 on the 32-bit targets: a slot is 16 bytes). */
uint32_t handle_table_max(void);
/* A table of up to `capacity` handles (1 .. handle_table_max()), its
 * slots from heap; E_OUTOFMEMORY or E_INVALIDARG. */
SCODE handle_table_init(struct handle_table *t, struct heap *heap, uint32_t capacity);
/* Close every handle (releasing its reference) and free the table. */
void handle_table_fini(struct handle_table *t);

/* Panic unless the table is consistent (slots, free list, count): the
 * kernel-call fuzzer's invariant check (test/proc/guest/fuzz.c). */
void handle_table_check(struct handle_table *t);

/* Give the table the caller's reference to object, of the given type;
 * *handle names it, with one reference of the holder's. E_OUTOFMEMORY
 * when the table is full (the reference stays the caller's). */
SCODE handle_insert(struct handle_table *t, IUnknown *object, const void *type, uint32_t *handle);
/* Fault injection for tests (as heap_fail_allocation): the n-th
 * handle_insert from now on, into any table, fails as if its table were
 * full; 0 turns it off. Returns how many were counted since the last
 * call (only while armed; the failure disarms it). */
unsigned long handle_fail_insert(unsigned long n);
/* The object a handle names, with a reference of the caller's own (to
 * Release when done), and its type unless type is NULL; E_HANDLE if the
 * handle names nothing here. */
SCODE handle_lookup(struct handle_table *t, uint32_t handle, IUnknown **object, const void **type);
/* Close a handle whatever its count: its reference is released. E_HANDLE
 * as above. */
SCODE handle_close(struct handle_table *t, uint32_t handle);
/* The holder's AddRef and Release through a handle; the last Release
 * closes it. Both give the count after the change (0: closed), or 0 and
 * E_HANDLE in *sc for a handle that names nothing here. */
uint32_t handle_addref(struct handle_table *t, uint32_t handle, SCODE *sc);
uint32_t handle_release(struct handle_table *t, uint32_t handle, SCODE *sc);

#endif
