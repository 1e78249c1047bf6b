/* test_fuzz SEED CALLS [FOREIGN-HANDLE...]: a seeded kernel-call fuzzer
 * (issue 14). It issues raw (handle, method, block) triples through
 * com_invoke: handles valid, closed, forged, another process's (argv) or
 * none; method indices in and past each interface's table; blocks filled
 * from its signature with edge values (NULL, -1, kernel addresses, the
 * bias's targets, unaligned, wrapping, huge counts) or with raw words,
 * and pointers into an arena at the top of the user range whose pages
 * random IAddressSpace calls keep freeing, decommitting (guard pages) and
 * protecting, and Map sequences (map.c). When the start handle's mailbox
 * holds another process's object (test_fuzz serve, server.c), its
 * methods are fuzzed too: the kernel marshals those calls into that
 * process. The answers the documentation determines are judged against a
 * model of the fuzzer's handles (model.c): a wrong one prints "fuzz:
 * WRONG ..." and exits with status 5 (FZ_EXIT_WRONG). The guest test
 * (test/proc/guest/fuzz.c) checks the kernel's invariants while it runs
 * and that every page is back after it. Exit status 0 otherwise, 3 when
 * its arena cannot be had; the same seed makes the same calls.
 *
 * test_fuzz serve: the server (server.c).
 *
 * What would end or stall the fuzzer itself is not called: Release of its
 * start handles, IProcess beyond its harmless methods, IConsole (output
 * and ReadLine), waits, Map (a writable view of its own space would let
 * the kernel write over the fuzzer), and Decommit, Protect, Deallocate or
 * Commit of a range that holds its own image, stack or heap. */
#include "fuzz.h"
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng;
uint32_t fz_seed;
unsigned long fz_calls;

uint32_t fz_rand(void)
{
    rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
    return rng;
}

static volatile int in_call;
static volatile uint32_t exceptions;

/* The scratch page's exception, raised as a call returns: the call is
 * over, go on after it. Anything else is the fuzzer's own fault. */
static int on_exception(const EXCEPTION_RECORD *r)
{
    if (!in_call) {
        printf("test_fuzz: exception %#x outside a call: pc %#lx, address %#lx\n",
               (unsigned)r->Code, (unsigned long)r->Pc, (unsigned long)r->Address);
        return EXCEPTION_CONTINUE_SEARCH;
    }
    exceptions++;
    return EXCEPTION_CONTINUE_EXECUTION;
}

SCODE fz_invoke(uint32_t h, uint32_t method, void *block)
{
    in_call = 1;
    SCODE sc = com_invoke(h, &IID_IUnknown, method, block);
    in_call = 0;
    return sc;
}

struct handle_entry fz_handles[FZ_MAX_HANDLES];
unsigned fz_nhandles;
static uint32_t closed[16], foreign[8];
static unsigned nclosed, nforeign;

void fz_add_handle(uint32_t h, const struct com_iface_sig *sig, int base)
{
    if (fz_held(h)) /* a new handle is new: fz_probe checks that */
        return;
    if (fz_nhandles < FZ_MAX_HANDLES) /* else unknown to the model, like one left in the arena */
        fz_handles[fz_nhandles++] = (struct handle_entry){h, sig, base, 1, 0};
}

void fz_note_closed(uint32_t h)
{
    closed[nclosed++ % 16] = h;
    nclosed = nclosed > 16 ? 16 : nclosed;
}

/* A handle of every kind the issue names. */
uint32_t fz_any_handle(void)
{
    uint32_t r = fz_rand() % 16;
    if (r < 10 || !fz_nhandles)
        return fz_nhandles ? fz_handles[fz_rand() % fz_nhandles].h : 0;
    if (r == 10 && nclosed)
        return closed[fz_rand() % nclosed];
    if (r == 11 && nforeign)
        return foreign[fz_rand() % nforeign];
    if (r == 12)
        return fz_handles[fz_rand() % fz_nhandles].h ^ (1u << (10 + fz_rand() % 22)); /* serial */
    if (r == 13)
        return fz_handles[fz_rand() % fz_nhandles].h + 1; /* slot */
    return r == 14 ? 0 : 0xffffffffu;
}

/* Close one handle the fuzzer got from a call (never a start handle). */
static void release_one(void)
{
    unsigned i = fz_rand() % fz_nhandles;
    if (!fz_handles[i].base)
        fz_close(i);
}

static void one_call(struct fz_stats *st)
{
    struct fz_call c;
    fz_make_call(&c);
    struct fz_expect x = fz_expect(&c);
    SCODE sc = fz_invoke(c.handle, c.method, (void *)c.block);
    st->calls++, fz_calls++;
    st->ok += SUCCEEDED(sc);
    fz_judge(&c, &x, sc);
    if (SUCCEEDED(sc))
        fz_harvest(&c);
    if (fz_nhandles > FZ_MAX_HANDLES - 8 || fz_rand() % 8 == 0)
        release_one();
    uint32_t r = fz_rand() % 64;
    if (r < 4)
        fz_probe();
    else if (r == 4)
        fz_map();
}

static uint32_t handle_of(void *itf)
{
    return ((struct {
               const void *vtbl;
               com_handle_t handle;
           } *)itf)
        ->handle;
}

/* Another process's object, if the mailbox holds one: fuzzed as a start
 * handle (never released). */
static void take_remote(void)
{
    uint32_t h = 0;
    struct ITestObject_Get_args a = {&h};
    if (fz_invoke(StartHandle(), ITestObject_M_Get, &a) == S_OK && h) {
        fz_add_handle(h, &ITestObject_Signature, 1);
        printf("test_fuzz: another process's object as handle %#x\n", (unsigned)h);
    }
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "serve"))
        return fz_serve();
    if (argc < 3) {
        printf("usage: test_fuzz SEED CALLS [FOREIGN-HANDLE...] | test_fuzz serve\n");
        return 2;
    }
    uint32_t seed = fz_seed = (uint32_t)strtoul(argv[1], 0, 0);
    unsigned long calls = strtoul(argv[2], 0, 0);
    rng = seed ? seed : 1;
    for (int i = 3; i < argc && nforeign < 8; i++)
        foreign[nforeign++] = (uint32_t)strtoul(argv[i], 0, 0);
    printf("test_fuzz: seed %u, %lu calls\n", (unsigned)seed, calls);
    if (fz_arena_init())
        return 3;
    fz_add_handle(handle_of(CurrentAddressSpace()), &IAddressSpace_Signature, 1);
    fz_add_handle(handle_of(CurrentProcess()), &IProcess_Signature, 1);
    fz_add_handle(handle_of(CurrentConsole()), &IConsole_Signature, 1);
    fz_add_handle(handle_of(NameService()), &INameService_Signature, 1);
    if (StartHandle()) {
        fz_add_handle(StartHandle(), &ITestObject_Signature, 1);
        take_remote();
    }
    SetExceptionHandler(on_exception);
    struct fz_stats st = {0};
    while (st.calls < calls)
        one_call(&st);
    SetExceptionHandler(0);
    printf("test_fuzz: seed %u: %lu calls, %lu succeeded, %lu judged, %u exceptions, %u handles "
           "held\n",
           (unsigned)seed, st.calls, st.ok, fz_judged, (unsigned)exceptions, fz_nhandles);
    return 0;
}
