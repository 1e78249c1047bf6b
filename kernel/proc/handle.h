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
 * spinlock makes the table safe to share between a process's threads. */
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
 * (255 on the 32-bit targets). */
uint32_t handle_table_max(void);
/* A table of up to `capacity` handles (1 .. handle_table_max()), its
 * slots from heap; E_OUTOFMEMORY or E_INVALIDARG. */
SCODE handle_table_init(struct handle_table *t, struct heap *heap, uint32_t capacity);
/* Close every handle (releasing its reference) and free the table. */
void handle_table_fini(struct handle_table *t);

/* Give the table the caller's reference to object; *handle names it.
 * E_OUTOFMEMORY when the table is full (the reference stays the caller's). */
SCODE handle_insert(struct handle_table *t, IUnknown *object, uint32_t *handle);
/* The object a handle names, with a reference of the caller's own (to
 * Release when done); E_HANDLE if the handle names nothing here. */
SCODE handle_lookup(struct handle_table *t, uint32_t handle, IUnknown **object);
/* Close a handle: its reference is released. E_HANDLE as above. */
SCODE handle_close(struct handle_table *t, uint32_t handle);

#endif
