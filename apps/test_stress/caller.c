/* The caller: random live peers called with seeded data, every answer
 * checked byte for byte. A peer that was killed or has ended answers with
 * an error of the IPC (or its name is gone): allowed, the next operation
 * looks it up again. Any other error, or a wrong byte, is wrong. */
#include "stress.h"
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIZE 8192u

static BYTE *in, *out, *want;

/* The errors a call to a peer that is gone (or going) may give. */
static int gone(SCODE sc)
{
    return sc == IPC_E_DISCONNECTED || sc == IPC_E_SERVER_DIED || sc == IPC_E_TIMEOUT ||
           sc == IPC_E_NOT_SERVING || sc == NAME_E_NOT_FOUND;
}

static IStressPeer *lookup(uint32_t j, SCODE *sc)
{
    char name[24];
    IStressPeer *p = NULL;
    snprintf(name, sizeof name, "stress.%u", (unsigned)j);
    *sc = INameService_Lookup(NameService(), name, &IID_IStressPeer, (void **)&p);
    if (SUCCEEDED(*sc) && !p)
        stress_wrong(STRESS_WRONG_PEER, "lookup of %s: S_OK and no pointer", name);
    if (!gone(*sc) && FAILED(*sc))
        stress_wrong(STRESS_WRONG_PEER, "lookup of %s: %#x", name, (unsigned)*sc);
    return SUCCEEDED(*sc) ? p : NULL;
}

/* Another peer's index (this one's if it is alone). */
static uint32_t other(uint32_t *rng)
{
    if (stress_peers < 2)
        return stress_index;
    uint32_t j = stress_rand(rng) % (stress_peers - 1);
    return j >= stress_index ? j + 1 : j;
}

/* An answer of op (what it called, for the report) against the rule. */
static void check(const char *op, uint32_t j, SCODE sc, uint32_t tag, uint32_t salt,
                  uint32_t want_salt, uint32_t size)
{
    if (gone(sc))
        return;
    if (sc != S_OK)
        stress_wrong(STRESS_WRONG_PEER, "%s peer %u: %#x, expected S_OK", op, (unsigned)j,
                     (unsigned)sc);
    if (salt != want_salt)
        stress_wrong(STRESS_WRONG_PEER, "%s peer %u: salt %#x, expected %#x", op, (unsigned)j,
                     (unsigned)salt, (unsigned)want_salt);
    stress_transform(tag, want_salt, in, want, size);
    for (uint32_t i = 0; i < size; i++)
        if (out[i] != want[i])
            stress_wrong(STRESS_WRONG_PEER,
                         "%s peer %u tag %#x size %u: byte %u is %#x, expected %#x", op,
                         (unsigned)j, (unsigned)tag, (unsigned)size, (unsigned)i, out[i], want[i]);
}

/* One call of a random kind to peer p (index j). */
static void call(IStressPeer *p, uint32_t j, uint32_t *rng)
{
    uint32_t r = stress_rand(rng), tag = stress_rand(rng), salt = 0;
    uint32_t size = r % 4 == 0 ? stress_rand(rng) % MAX_SIZE : stress_rand(rng) % 256;
    for (uint32_t i = 0; i < size; i++)
        in[i] = (BYTE)stress_rand(rng);
    memset(out, 0xa5, size);
    SCODE sc;
    if (r / 4 % 3 == 0) {
        sc = IStressPeer_Transform(p, tag, in, out, size, &salt);
        check("Transform", j, sc, tag, salt, j, size);
    } else if (r / 4 % 3 == 1) {
        uint32_t k = other(rng);
        IStressPeer *next = lookup(k, &sc);
        if (!next)
            return;
        sc = IStressPeer_Relay(p, next, tag, in, out, size, &salt);
        IStressPeer_Release(next);
        check("Relay", k, sc, tag, salt, k, size);
    } else {
        IStressPeer *child = NULL;
        sc = IStressPeer_Child(p, &child);
        if (sc == S_OK && !child)
            stress_wrong(STRESS_WRONG_PEER, "Child of peer %u: S_OK and no pointer", (unsigned)j);
        if (sc == S_OK)
            sc = IStressPeer_Transform(child, tag, in, out, size, &salt);
        if (child)
            IStressPeer_Release(child);
        check("Child+Transform", j, sc, tag, salt, j + 0x100, size);
    }
}

int caller_run(void *unused)
{
    (void)unused;
    uint32_t rng = stress_seed(1);
    in = malloc(MAX_SIZE), out = malloc(MAX_SIZE), want = malloc(MAX_SIZE);
    if (!in || !out || !want)
        stress_wrong(STRESS_SETUP, "no memory for the caller's buffers");
    for (uint32_t n = 0; n < stress_ops; n++) {
        uint32_t j = other(&rng);
        SCODE sc;
        IStressPeer *p = lookup(j, &sc);
        if (!p)
            continue;
        call(p, j, &rng);
        IStressPeer_Release(p);
    }
    free(in), free(out), free(want);
    return 0;
}
