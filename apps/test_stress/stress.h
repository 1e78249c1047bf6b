/* The parts of test_stress (issue 14) for each other: the instance's
 * identity, its random numbers, and the one way a check fails. */
#ifndef TEST_STRESS_H
#define TEST_STRESS_H

#include <IStressPeer.h>
#include <stdint.h>

/* Exit statuses: each kind of wrong answer its own, so the guest test
 * (test/proc/guest/stress.c) can tell which part saw it. */
enum {
    STRESS_WRONG_PEER = 11,   /* a peer's answer */
    STRESS_WRONG_VM = 12,     /* this process's own memory */
    STRESS_WRONG_KERNEL = 13, /* events, threads, the system object */
    STRESS_SETUP = 14,        /* cannot start: no memory, no name */
};

/* This instance: its index among the peers (its name "stress.INDEX"),
 * how many peers there are, and each worker's operation count. */
extern uint32_t stress_index, stress_peers, stress_ops;

/* A worker's random numbers (xorshift32), seeded from the instance's seed
 * and the worker so that one seed replays an instance. */
uint32_t stress_seed(uint32_t worker);
static inline uint32_t stress_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Print "stress: WRONG <what>" and end the process with status kind. */
__attribute__((noreturn, format(printf, 2, 3))) void stress_wrong(int kind, const char *fmt, ...);

/* What IStressPeer::Transform answers: the rule both sides compute. */
void stress_transform(uint32_t tag, uint32_t salt, const BYTE *in, BYTE *out, uint32_t size);

/* A new IStressPeer of this process with salt, one reference; NULL
 * without memory. */
IStressPeer *peer_new(uint32_t salt);

/* The workers: each runs stress_ops operations and returns 0 (a wrong
 * answer ends the process instead). */
int caller_run(void *unused);
int vm_run(void *unused);
int misc_run(void *unused);

#endif
