/* Handle tables (see <kernel/proc/handle.h>). */
#include <kernel/lib/inject.h>
#include <kernel/panic.h>
#include <kernel/proc/handle.h>

static uint32_t next_serial = 1; /* under no lock but its own atomic increment */

static uint32_t new_handle(uint32_t slot)
{
    uint32_t serial = __atomic_fetch_add(&next_serial, 1, __ATOMIC_RELAXED);
    serial &= (1u << (32 - HANDLE_INDEX_BITS)) - 1;
    if (serial == 0) /* keep every handle nonzero even at slot 0's value */
        serial = __atomic_fetch_add(&next_serial, 1, __ATOMIC_RELAXED);
    return serial << HANDLE_INDEX_BITS | slot;
}

uint32_t handle_table_max(void)
{
    uint32_t fit = HEAP_MAX_SIZE / sizeof(struct handle_slot) - 1; /* one heap object */
    return fit < HANDLE_MAX_SLOTS - 1 ? fit : HANDLE_MAX_SLOTS - 1;
}

SCODE handle_table_init(struct handle_table *t, struct heap *heap, uint32_t capacity)
{
    if (capacity == 0 || capacity > handle_table_max())
        return E_INVALIDARG;
    uint32_t n = capacity + 1;
    *t = (struct handle_table){.lock = SPINLOCK_INIT("handles", NP_SYNC), .heap = heap};
    t->slots = heap_alloc(heap, n * sizeof *t->slots);
    if (!t->slots)
        return E_OUTOFMEMORY;
    t->nslots = n;
    for (uint32_t i = 1; i < n; i++)
        t->slots[i] = (struct handle_slot){.handle = 0, .next = i + 1 < n ? i + 1 : 0};
    t->slots[0] = (struct handle_slot){0};
    t->free_head = 1;
    return S_OK;
}

/* The slot holding handle h, or NULL; under the lock. */
static struct handle_slot *slot_of(struct handle_table *t, uint32_t h)
{
    uint32_t i = h & (HANDLE_MAX_SLOTS - 1);
    if (i == 0 || i >= t->nslots || t->slots[i].handle != h)
        return NULL;
    return &t->slots[i];
}

/* A new process's table never fills with its start handles: only this
 * reaches their failure path. */
static struct inject injection; /* handle_fail_insert */

unsigned long handle_fail_insert(unsigned long n)
{
    return inject_arm(&injection, n);
}

SCODE handle_insert(struct handle_table *t, IUnknown *object, const void *type, uint32_t *handle)
{
    spin_lock(&t->lock);
    uint32_t i = inject_fails(&injection) ? 0 : t->free_head; /* 0: full */
    if (i) {
        struct handle_slot *s = &t->slots[i];
        t->free_head = s->next;
        *s = (struct handle_slot){
            .handle = new_handle(i), .refs = 1, .type = type, .object = object};
        *handle = s->handle;
        t->in_use++;
    }
    spin_unlock(&t->lock);
    return i ? S_OK : E_OUTOFMEMORY;
}

SCODE handle_lookup(struct handle_table *t, uint32_t handle, IUnknown **object, const void **type)
{
    spin_lock_brief(&t->lock); /* every kernel call passes here */
    struct handle_slot *s = slot_of(t, handle);
    IUnknown *o = s ? s->object : NULL;
    if (o)
        o->lpVtbl->AddRef(o); /* kernel objects: an atomic count, safe here */
    if (o && type)
        *type = s->type;
    spin_unlock_brief(&t->lock);
    *object = o;
    return o ? S_OK : E_HANDLE;
}

/* Free slot s (under the lock) and return the object it held. */
static IUnknown *take(struct handle_table *t, struct handle_slot *s)
{
    IUnknown *o = s->object;
    *s = (struct handle_slot){.handle = 0, .next = t->free_head};
    t->free_head = (uint32_t)(s - t->slots);
    t->in_use--;
    return o;
}

SCODE handle_close(struct handle_table *t, uint32_t handle)
{
    spin_lock(&t->lock);
    struct handle_slot *s = slot_of(t, handle);
    IUnknown *o = s ? take(t, s) : NULL;
    spin_unlock(&t->lock);
    if (!o)
        return E_HANDLE;
    o->lpVtbl->Release(o); /* outside the lock: it may free the object */
    return S_OK;
}

uint32_t handle_addref(struct handle_table *t, uint32_t handle, SCODE *sc)
{
    spin_lock(&t->lock);
    struct handle_slot *s = slot_of(t, handle);
    uint32_t refs = s && s->refs < UINT32_MAX ? ++s->refs : s ? s->refs : 0;
    spin_unlock(&t->lock);
    *sc = s ? S_OK : E_HANDLE;
    return refs;
}

uint32_t handle_release(struct handle_table *t, uint32_t handle, SCODE *sc)
{
    spin_lock(&t->lock);
    struct handle_slot *s = slot_of(t, handle);
    uint32_t refs = s ? --s->refs : 0;
    IUnknown *o = s && refs == 0 ? take(t, s) : NULL;
    spin_unlock(&t->lock);
    *sc = s ? S_OK : E_HANDLE;
    if (o)
        o->lpVtbl->Release(o);
    return refs;
}

void handle_table_fini(struct handle_table *t)
{
    for (uint32_t i = 1; i < t->nslots; i++) {
        if (t->slots[i].handle)
            handle_close(t, t->slots[i].handle);
    }
    spin_lock(&t->lock); /* detached first: handle_table_check may look on */
    struct handle_slot *slots = t->slots;
    t->slots = NULL;
    t->nslots = 0;
    spin_unlock(&t->lock);
    heap_free(t->heap, slots);
}

/* Every slot in use names itself and holds a reference; the free list
 * reaches every other slot once; the count agrees. */
static const char *table_fault(const struct handle_table *t)
{
    uint32_t used = 0, free = 0;
    for (uint32_t i = 1; i < t->nslots; i++) {
        const struct handle_slot *s = &t->slots[i];
        if (s->handle && ((s->handle & (HANDLE_MAX_SLOTS - 1)) != i || !s->refs || !s->object))
            return "a slot in use is malformed";
        used += s->handle != 0;
    }
    for (uint32_t i = t->free_head; i; i = t->slots[i].next) {
        if (i >= t->nslots || t->slots[i].handle || ++free > t->nslots)
            return "the free list is broken";
    }
    if (used != t->in_use || (t->nslots && used + free + 1 != t->nslots))
        return "the counts disagree";
    return 0;
}

void handle_table_check(struct handle_table *t)
{
    spin_lock(&t->lock);
    const char *fault = t->slots ? table_fault(t) : 0;
    spin_unlock(&t->lock);
    if (fault)
        panic("handles: %s", fault);
}
