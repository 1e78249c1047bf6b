/* Each allocation of one kind failing in turn over a workload
 * (alloc_fail.c; also test/ipc/guest/alloc_fail.c). */
#ifndef TEST_PROC_ALLOC_FAIL_H
#define TEST_PROC_ALLOC_FAIL_H

#include <stdint.h>

/* One kind of allocation that can be made to fail. */
struct injection {
    const char *what;
    /* the n-th from now fails; 0 disarms: how many were counted, at least n
     * if the n-th came */
    unsigned long (*arm)(unsigned long n);
    uint64_t (*failures)(void); /* the failures counted so far; 0 if none is kept */
};

extern const struct injection inject_heap, inject_vm, inject_handle;

/* Run workload once with each allocation of inj's kind failing in turn,
 * from the first until one whose n-th never came; after each, check the
 * one failure happened and the test object got every reference back. A
 * line names how many failed (prefixed with name). */
void fail_each_allocation(const struct injection *inj, void (*workload)(void), const char *name);

#endif
