/* test_fuzz's parts (test_fuzz.c: the loop and its handles; args.c: a
 * call's target, method and argument block). */
#ifndef APPS_TEST_FUZZ_H
#define APPS_TEST_FUZZ_H

#include <com/sig.h>
#include <ITestObject.h>
#include <rialto.h>
#include <stdint.h>

#define FZ_MAX_HANDLES 64

#define FZ_UNKNOWN    2  /* handle_entry.base of a handle the fuzzer does not hold */
#define FZ_MAX_METHOD 64 /* past every interface's table */

struct handle_entry {
    uint32_t h;
    const struct com_iface_sig *sig; /* what it is */
    int base; /* a start handle: never released; FZ_UNKNOWN: not one the fuzzer holds */
};

struct fz_call {
    uint32_t handle, method;
    const struct com_method_sig *m; /* NULL: no signature guided the block */
    uintptr_t block;                /* the block's address as passed */
    uint32_t words[64] __attribute__((aligned(8)));
};

struct fz_stats {
    unsigned long calls, ok;
};

extern struct handle_entry fz_handles[FZ_MAX_HANDLES];
extern unsigned fz_nhandles;

uint32_t fz_rand(void);
uint32_t fz_any_handle(void);
void fz_add_handle(uint32_t h, const struct com_iface_sig *sig, int base);
/* Reserve the arena at the top of the user range; nonzero if taken. */
int fz_arena_init(void);
void fz_make_call(struct fz_call *c);
/* Keep the handles a successful call gave back. */
void fz_harvest(const struct fz_call *c);

#endif
