/* Slab heaps (see <kernel/vm/heap.h>). A slab is one page: a header, then
 * equal objects; freed objects are chained through their first word, and
 * objects never handed out yet are taken in address order (so a new slab
 * costs no walk over its objects). */
#include <kernel/lib/inject.h>
#include <kernel/vm/heap.h>
#include <kernel/panic.h>
#include <kernel/vm/pmem.h>
#include <stdbool.h>

#define SLAB_MAGIC 0x51ab51abu

struct slab {
    uint32_t magic;
    struct heap *owner;
    struct slab *next, *prev; /* in owner->partial[cls] */
    void *free;               /* first freed object */
    char *unused;             /* the first object never handed out (past the end: none) */
    uint16_t cls;
    uint16_t nfree;
    uint16_t capacity;
    uint16_t pad;
} __attribute__((aligned(16)));

struct heap kernel_heap = {.name = "kernel", .lock = SPINLOCK_INIT("kernel heap", NP_SYNC)};

void heap_init(struct heap *h, const char *name)
{
    *h = (struct heap){.name = name, .lock = SPINLOCK_INIT(name, NP_SYNC)};
}

static size_t class_size(unsigned cls)
{
    return (size_t)HEAP_MIN_SIZE << cls;
}

static unsigned size_class(size_t size)
{
    unsigned cls = 0;
    while (class_size(cls) < size)
        cls++;
    return cls;
}

static void unlink_partial(struct heap *h, struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        h->partial[s->cls] = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = 0;
}

static void link_partial(struct heap *h, struct slab *s)
{
    s->prev = 0;
    s->next = h->partial[s->cls];
    if (s->next)
        s->next->prev = s;
    h->partial[s->cls] = s;
}

/* A free object is poisoned past its free-list link, and the poison is
 * checked when the object is handed out again: a write after free (a
 * freed call record some thread still answers into, say) panics at the
 * next allocation instead of corrupting whoever gets the memory. Only the
 * first POISON_BYTES: where an object's header, counts and links are, and
 * a bounded cost on every allocation. */
#define POISON       0xdbdbdbdbu
#define POISON_BYTES 64

static size_t poisoned_words(size_t size)
{
    return (size < POISON_BYTES ? size : POISON_BYTES) / 4;
}

static void poison(void *obj, size_t size)
{
    uint32_t *w = obj;
    for (size_t i = sizeof(void *) / 4; i < poisoned_words(size); i++)
        w[i] = POISON;
}

static void check_poison(const struct heap *h, const void *obj, size_t size)
{
    const uint32_t *w = obj;
    for (size_t i = sizeof(void *) / 4; i < poisoned_words(size); i++)
        if (w[i] != POISON)
            panic("heap %s: %p was written after it was freed (word %zu)", h->name, obj, i);
}

static struct slab *new_slab(struct heap *h, unsigned cls)
{
    paddr_t page = pmem_alloc();
    if (page == PADDR_NONE)
        return 0;
    struct slab *s = phys_to_virt(page);
    size_t size = class_size(cls);
    size_t first = (sizeof *s + size - 1) / size * size; /* objects stay size-aligned */
    *s = (struct slab){.magic = SLAB_MAGIC, .owner = h, .cls = (uint16_t)cls};
    s->capacity = (uint16_t)((PAGE_SIZE - first) / size);
    s->unused = (char *)s + first;
    s->nfree = s->capacity;
    h->pages++;
    link_partial(h, s);
    return s;
}

static struct inject injection; /* heap_fail_allocation */

unsigned long heap_fail_allocation(unsigned long n)
{
    return inject_arm(&injection, n);
}

/* Threads allocate concurrently: each call is one short non-preemptible
 * section under the heap's spinlock. */
void *heap_alloc(struct heap *h, size_t size)
{
    if (size == 0 || size > HEAP_MAX_SIZE)
        panic("heap %s: bad size %zu", h->name, size);
    unsigned cls = size_class(size);
    spin_lock(&h->lock);
    struct slab *s = h->partial[cls];
    if (inject_fails(&injection) || (!s && !(s = new_slab(h, cls)))) {
        h->failures++;
        spin_unlock(&h->lock);
        return 0;
    }
    void *obj = s->free ? s->free : s->unused;
    if (s->free) {
        check_poison(h, obj, class_size(cls));
        s->free = *(void **)obj;
    } else { /* nfree > 0 with no freed object: an unused one is left */
        s->unused += class_size(cls);
    }
    if (--s->nfree == 0)
        unlink_partial(h, s);
    h->allocs++;
    h->bytes += class_size(cls);
    spin_unlock(&h->lock);
    return obj;
}

void heap_free(struct heap *h, void *p)
{
    struct slab *s = (struct slab *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));
    if (!p || s->magic != SLAB_MAGIC || s->owner != h)
        panic("heap %s: freeing %p, which it never handed out", h->name, p);
    size_t size = class_size(s->cls);
    if (((uintptr_t)p - (uintptr_t)s) % size)
        panic("heap %s: freeing %p, not the start of an object", h->name, p);
    spin_lock(&h->lock);
    poison(p, size);
    *(void **)p = s->free;
    s->free = p;
    h->frees++;
    h->bytes -= size;
    if (++s->nfree == 1)
        link_partial(h, s);
    if (s->nfree == s->capacity) {
        unlink_partial(h, s);
        s->magic = 0;
        h->pages--;
        pmem_free(virt_to_phys(s));
    }
    spin_unlock(&h->lock);
}
