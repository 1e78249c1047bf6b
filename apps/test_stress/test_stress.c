/* test_stress SEED INDEX PEERS OPS: one instance of the stress workload
 * (issue 14; the guest test test/proc/guest/stress.c runs several at
 * once, kills them at random and flushes their VTLBs). It serves an
 * IStressPeer as "stress.INDEX" and runs three workers of OPS operations
 * each: a caller of the other peers (caller.c), its own address space
 * (vm.c), and other kernel calls (misc.c). A wrong answer prints
 * "stress: WRONG ..." and ends the process with the worker's status
 * (stress.h); after its operations it releases everything and exits 0. */
#include "stress.h"
#include <rialto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

uint32_t stress_index, stress_peers, stress_ops;
static uint32_t seed;

uint32_t stress_seed(uint32_t worker)
{
    uint32_t s = seed * 2654435761u + worker * 40503u + stress_index;
    return s ? s : 1; /* xorshift's one fixed point */
}

void stress_wrong(int kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("stress: WRONG (instance %u, seed %u) ", (unsigned)stress_index, (unsigned)seed);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(kind);
}

static int (*const workers[])(void *) = {caller_run, vm_run, misc_run};
#define NWORKERS (sizeof workers / sizeof workers[0])

int main(int argc, char **argv)
{
    if (argc < 5) {
        printf("usage: test_stress SEED INDEX PEERS OPS\n");
        return STRESS_SETUP;
    }
    seed = (uint32_t)strtoul(argv[1], 0, 0);
    stress_index = (uint32_t)strtoul(argv[2], 0, 0);
    stress_peers = (uint32_t)strtoul(argv[3], 0, 0);
    stress_ops = (uint32_t)strtoul(argv[4], 0, 0);
    char name[24];
    snprintf(name, sizeof name, "stress.%u", (unsigned)stress_index);
    IStressPeer *self = peer_new(stress_index);
    if (!self || INameService_Register(NameService(), name, (IUnknown *)self) != S_OK)
        stress_wrong(STRESS_SETUP, "cannot register %s", name);
    IThread *t[NWORKERS];
    for (unsigned i = 0; i < NWORKERS; i++)
        if (!(t[i] = CreateThread(workers[i], 0)))
            stress_wrong(STRESS_SETUP, "cannot start worker %u", i);
    for (unsigned i = 0; i < NWORKERS; i++) {
        int32_t code = -1;
        if (IThread_Join(t[i], 0xffffffffu, &code) != S_OK || code != 0)
            stress_wrong(STRESS_WRONG_KERNEL, "worker %u: Join or exit code %d", i, (int)code);
        IThread_Release(t[i]);
    }
    INameService_Unregister(NameService(), name);
    IStressPeer_Release(self);
    return 0;
}
