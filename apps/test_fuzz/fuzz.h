/* test_fuzz's parts (test_fuzz.c: the loop and its handles; args.c: a
 * call's target, method and argument block; model.c: what the fuzzer
 * knows and the kernel's answers judged by it; map.c: IAddressSpace::Map
 * sequences; server.c: the object another process serves it). */
#ifndef APPS_TEST_FUZZ_H
#define APPS_TEST_FUZZ_H

#include <com/sig.h>
#include <ITestObject.h>
#include <rialto.h>
#include <stdint.h>

#define FZ_MAX_HANDLES 64

#define FZ_UNKNOWN    2  /* handle_entry.base of a handle the fuzzer does not hold */
#define FZ_MAX_METHOD 64 /* past every interface's table */
#define FZ_EXIT_WRONG 5  /* the kernel answered against its documentation */

struct handle_entry {
    uint32_t h;
    const struct com_iface_sig *sig; /* what it is */
    int base;      /* a start handle: never released; FZ_UNKNOWN: not one the fuzzer holds */
    uint32_t refs; /* the fuzzer's own references through it (AddRef, Release) */
    uint32_t lent; /* references added for a call to take, which it may not have */
};

struct fz_call {
    uint32_t handle, method;
    int held;                        /* the handle is one the fuzzer holds */
    const struct com_iface_sig *sig; /* what the fuzzer takes the handle for */
    const struct com_method_sig *m;  /* NULL: no signature guided the block */
    uintptr_t block;                 /* the block's address as passed */
    uint32_t words[64] __attribute__((aligned(8)));
};

struct fz_stats {
    unsigned long calls, ok;
};

extern struct handle_entry fz_handles[FZ_MAX_HANDLES];
extern unsigned fz_nhandles;
extern uint32_t fz_seed;
extern unsigned long fz_calls; /* made so far: a WRONG line's call= */

/* com_invoke, with an exception the call leaves pending ignored. */
SCODE fz_invoke(uint32_t h, uint32_t method, void *block);

uint32_t fz_rand(void);
uint32_t fz_any_handle(void);
void fz_add_handle(uint32_t h, const struct com_iface_sig *sig, int base);
/* h was closed: a value for later calls to find closed. */
void fz_note_closed(uint32_t h);
/* Reserve the arena at the top of the user range; nonzero if taken. */
int fz_arena_init(void);
void fz_make_call(struct fz_call *c);
/* Keep the handles a successful call gave back. */
void fz_harvest(const struct fz_call *c);

/* model.c. The entry of a handle the fuzzer holds, or NULL. */
struct handle_entry *fz_held(uint32_t h);
/* h as an [in] interface argument: a held handle gets a reference for
 * the call to take (it may not). */
uint32_t fz_lend(uint32_t h);
/* Release the i-th held handle to its end and check it is closed. */
void fz_close(unsigned i);
/* What the kernel must answer to c, worked out before the call. */
struct fz_expect {
    int kind; /* FZ_ANY, FZ_EXACT, FZ_BAD_POINTER */
    SCODE sc;
    const char *why;
};
enum { FZ_ANY, FZ_EXACT, FZ_BAD_POINTER };
struct fz_expect fz_expect(const struct fz_call *c);
/* Judge a call's answer; AddRef and Release through held handles move
 * the model. Prints the WRONG line and exits on a mismatch. */
void fz_judge(const struct fz_call *c, const struct fz_expect *x, SCODE sc);
extern unsigned long fz_judged; /* calls whose answer was determined */
/* QueryInterface for IUnknown through a held handle must succeed. */
void fz_probe(void);
void fz_wrong(uint32_t h, uint32_t method, const char *expected, SCODE got);

/* map.c: a random Map on the fuzzer's own space, its pages touched. */
void fz_map(void);
/* server.c: serve an ITestObject through the start handle's mailbox. */
int fz_serve(void);

#endif
