/* The key-value service (idl/IKeyValue.idl): one table behind one object,
 * registered as "kv". The same code runs placed in the kernel or in a
 * process (services/kv/component): calls arrive as plain calls on the
 * clients' threads in the kernel, on the pool's threads in a process, and
 * this file cannot tell which except by asking InKernel for Stat. */
#include <IKeyValue.h>
#include <rialto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char key[KV_MAX_KEY];
    uint32_t size;
    BYTE *value; /* malloc'd */
};

static struct entry table[KV_MAX_KEYS];
static struct rt_lock table_lock; /* calls come on several threads either way */

static void take(void)
{
    rt_lock(&table_lock);
}

static void give(void)
{
    rt_unlock(&table_lock);
}

static bool key_ok(const char *key)
{
    size_t n = 0;
    while (n < KV_MAX_KEY && key[n])
        n++;
    return n > 0 && n < KV_MAX_KEY;
}

static struct entry *find(const char *key)
{
    for (unsigned i = 0; i < KV_MAX_KEYS; i++)
        if (table[i].value && !strcmp(table[i].key, key))
            return &table[i];
    return NULL;
}

static struct entry *free_slot(void)
{
    for (unsigned i = 0; i < KV_MAX_KEYS; i++)
        if (!table[i].value)
            return &table[i];
    return NULL;
}

static SCODE kv_query(IKeyValue *This, REFIID riid, void **ppv)
{
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_IKeyValue)) {
        *ppv = This;
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

/* One object for the life of the service: references are not counted. */
static SCODE kv_addref(IKeyValue *This)
{
    (void)This;
    return S_OK;
}

static SCODE kv_null(IKeyValue *This)
{
    (void)This;
    return S_OK;
}

static SCODE put_locked(const char *key, const BYTE *value, uint32_t size)
{
    struct entry *e = find(key);
    struct entry *slot = e ? e : free_slot();
    if (!slot)
        return KV_E_FULL;
    BYTE *copy = malloc(size ? size : 1);
    if (!copy)
        return E_OUTOFMEMORY;
    memcpy(copy, value, size);
    free(slot->value);
    memcpy(slot->key, key, strlen(key) + 1);
    slot->value = copy;
    slot->size = size;
    return S_OK;
}

static SCODE kv_put(IKeyValue *This, const char *Key, const BYTE *Value, uint32_t Size)
{
    (void)This;
    if (!key_ok(Key))
        return KV_E_BAD_KEY;
    if (Size > KV_MAX_VALUE)
        return KV_E_TOO_BIG;
    take();
    SCODE sc = put_locked(Key, Value, Size);
    give();
    return sc;
}

static SCODE kv_get(IKeyValue *This, const char *Key, BYTE *Buffer, uint32_t Size,
                    uint32_t *pLength)
{
    (void)This;
    *pLength = 0;
    if (!key_ok(Key))
        return KV_E_BAD_KEY;
    take();
    struct entry *e = find(Key);
    if (e) {
        *pLength = e->size < Size ? e->size : Size;
        memcpy(Buffer, e->value, *pLength);
    }
    give();
    return e ? S_OK : KV_E_NOT_FOUND;
}

static SCODE kv_delete(IKeyValue *This, const char *Key)
{
    (void)This;
    if (!key_ok(Key))
        return KV_E_BAD_KEY;
    take();
    struct entry *e = find(Key);
    if (e) {
        free(e->value);
        *e = (struct entry){0};
    }
    give();
    return e ? S_OK : KV_E_NOT_FOUND;
}

static SCODE kv_stat(IKeyValue *This, uint32_t *pKeys, uint32_t *pInKernel)
{
    (void)This;
    uint32_t n = 0;
    take();
    for (unsigned i = 0; i < KV_MAX_KEYS; i++)
        n += table[i].value != NULL;
    give();
    *pKeys = n;
    *pInKernel = InKernel();
    return S_OK;
}

static const struct IKeyValueVtbl kv_vtbl = {kv_query, kv_addref, kv_addref, kv_null,
                                             kv_put,   kv_get,    kv_delete, kv_stat};
static IKeyValue kv = {&kv_vtbl};

static SCODE register_kv(void)
{
    return INameService_Register(NameService(), "kv", (IUnknown *)&kv);
}

/* A thread that only answers: started and joined before registering
 * (--register-after-a-thread), so that the tests see the runtime's
 * CreateThread, the thread's exit code and IThread::Join work in either
 * placement: kv registers only when Join gave the answer back. */
enum { THREAD_ANSWER = 0x4b56 };

static int answer(void *unused)
{
    (void)unused;
    return THREAD_ANSWER;
}

static SCODE run_a_thread(void)
{
    IThread *t = CreateThread(answer, NULL);
    int32_t code = 0;
    if (!t)
        return E_OUTOFMEMORY;
    SCODE sc = IThread_Join(t, 0xffffffff, &code);
    IThread_Release(t);
    return FAILED(sc) ? sc : code == THREAD_ANSWER ? S_OK : E_UNEXPECTED;
}

int main(int argc, char **argv)
{
    bool thread_first = argc > 1 && !strcmp(argv[1], "--register-after-a-thread");
    SCODE sc = ServerPool(4, 1000, 0);
    if (SUCCEEDED(sc) && thread_first)
        sc = run_a_thread();
    if (SUCCEEDED(sc))
        sc = register_kv();
    if (FAILED(sc)) {
        printf("kv: cannot register (%#x)\n", (unsigned)sc);
        return 1;
    }
    RunService();
}
