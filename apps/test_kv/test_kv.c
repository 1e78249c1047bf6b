/* test_kv: the sample service's app test (services/kv). The same program,
 * the same calls, whichever placement the kv service has: it finds "kv"
 * by name and uses IKeyValue. Modes (argv[1]):
 *   all WHERE  every method and every error, two threads at once, and at
 *              the end Stat's placement must be WHERE (kernel|process):
 *              the test's way to know the placement it meant is the one
 *              it got (a client has no need to ask); exit 0 when all hold
 *   bench N    N null calls (ninja bench: the placements' call costs)
 *   loop N     N turns of nothing (the bench's baseline) */
#include <IKeyValue.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utest.h>

static IKeyValue *kv;

static SCODE put(const char *key, const char *value)
{
    return IKeyValue_Put(kv, key, (const BYTE *)value, (uint32_t)strlen(value));
}

/* The value under key equals want (NULL: no such key). */
static bool holds(const char *key, const char *want)
{
    char buf[64];
    uint32_t n = 99;
    SCODE sc = IKeyValue_Get(kv, key, (BYTE *)buf, sizeof buf, &n);
    if (!want) /* (a failed call's [out] values are not the caller's to read) */
        return sc == KV_E_NOT_FOUND;
    return sc == S_OK && n == strlen(want) && !memcmp(buf, want, n);
}

static void methods(void)
{
    CHECK_EQ(IKeyValue_Null(kv), S_OK);
    CHECK_EQ(put("colour", "blue"), S_OK);
    CHECK(holds("colour", "blue"), "value");
    CHECK_EQ(put("colour", "green"), S_OK); /* replaces */
    CHECK(holds("colour", "green"), "value");
    char small[3];
    uint32_t n = 0;
    CHECK_EQ(IKeyValue_Get(kv, "colour", (BYTE *)small, sizeof small, &n), S_OK);
    CHECK(n == 3 && !memcmp(small, "gre", 3), "cut to the buffer: %u", (unsigned)n);
    CHECK_EQ(IKeyValue_Delete(kv, "colour"), S_OK);
    CHECK(holds("colour", NULL), "value");
    CHECK_EQ(IKeyValue_Delete(kv, "colour"), KV_E_NOT_FOUND);
    CHECK_EQ(put("empty", ""), S_OK);
    CHECK(holds("empty", ""), "value");
    CHECK_EQ(IKeyValue_Delete(kv, "empty"), S_OK);
}

static void errors(void)
{
    char key[KV_MAX_KEY + 1];
    memset(key, 'k', sizeof key - 1);
    key[KV_MAX_KEY] = '\0'; /* KV_MAX_KEY characters: one too many */
    CHECK_EQ(put(key, "x"), KV_E_BAD_KEY);
    CHECK_EQ(put("", "x"), KV_E_BAD_KEY);
    key[KV_MAX_KEY - 1] = '\0'; /* the longest key */
    CHECK_EQ(put(key, "x"), S_OK);
    CHECK_EQ(IKeyValue_Delete(kv, key), S_OK);
    static BYTE big[KV_MAX_VALUE + 1];
    CHECK_EQ(IKeyValue_Put(kv, "big", big, sizeof big), KV_E_TOO_BIG);
    CHECK_EQ(IKeyValue_Put(kv, "big", big, KV_MAX_VALUE), S_OK);
    CHECK_EQ(IKeyValue_Delete(kv, "big"), S_OK);
    char name[16];
    for (unsigned i = 0; i < KV_MAX_KEYS; i++) {
        snprintf(name, sizeof name, "k%u", i);
        CHECK_EQ(put(name, name), S_OK);
    }
    CHECK_EQ(put("one-more", "x"), KV_E_FULL);
    CHECK_EQ(put("k7", "seven"), S_OK); /* a key it has still takes a new value */
    uint32_t keys = 0, in_kernel = 9;
    CHECK_EQ(IKeyValue_Stat(kv, &keys, &in_kernel), S_OK);
    CHECK_EQ(keys, KV_MAX_KEYS);
    for (unsigned i = 0; i < KV_MAX_KEYS; i++) {
        snprintf(name, sizeof name, "k%u", i);
        CHECK_EQ(IKeyValue_Delete(kv, name), S_OK);
    }
}

/* Each thread puts, reads back and drops its own keys, many times: the
 * service's table lock holds whether calls come on the clients' threads
 * (in the kernel) or the pool's (in a process). */
static int worker(void *arg)
{
    char key[16], value[16];
    int bad = 0;
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "t%d-%d", (int)(uintptr_t)arg, i % 8);
        snprintf(value, sizeof value, "v%d", i);
        bad += put(key, value) != S_OK || !holds(key, value);
        if (i % 8 == 7)
            for (int k = 0; k < 8; k++) {
                snprintf(key, sizeof key, "t%d-%d", (int)(uintptr_t)arg, k);
                bad += IKeyValue_Delete(kv, key) != S_OK;
            }
    }
    return bad;
}

static int all(const char *where)
{
    methods();
    errors();
    utest_threads(worker, 2);
    uint32_t keys = 9, in_kernel = 9;
    CHECK_EQ(IKeyValue_Stat(kv, &keys, &in_kernel), S_OK);
    CHECK_EQ(keys, 0); /* every test key dropped again */
    CHECK_EQ(in_kernel, !strcmp(where, "kernel"));
    return utest_failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
    SCODE sc = INameService_Lookup(NameService(), "kv", &IID_IKeyValue, (void **)&kv);
    if (FAILED(sc)) {
        printf("test_kv: no kv service (%#x)\n", (unsigned)sc);
        return 2;
    }
    int code = 0;
    if (!strcmp(mode, "all"))
        code = all(argc > 2 ? argv[2] : "");
    else if (!strcmp(mode, "bench"))
        for (unsigned long i = 0; i < n; i++)
            IKeyValue_Null(kv);
    else if (strcmp(mode, "loop"))
        code = 3;
    IKeyValue_Release(kv);
    return code;
}
