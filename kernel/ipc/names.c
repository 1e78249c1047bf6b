/* The name service's table (see <kernel/ipc/names.h>). An entry is in use
 * while its object is not NULL. References are taken under the lock (so a
 * found entry cannot lose its object before its AddRef) and dropped, like
 * QueryInterface, outside it: a Release may free a process, and an object
 * a process exports may one day answer from that process. */
#include <kernel/ipc/names.h>
#include <kernel/string.h>
#include <kernel/sync/lock.h>

struct name_entry {
    char name[NAME_MAX_LENGTH + 1];
    IUnknown *object; /* NULL: free */
    struct process *owner;
};

static struct name_entry table[NAME_MAX_NAMES];
static struct mutex lock = MUTEX_INIT("names");

static bool allowed(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '/';
}

SCODE names_check(const char *name)
{
    size_t n = 0;
    if (!name)
        return NAME_E_BAD_NAME;
    for (; name[n]; n++)
        if (n == NAME_MAX_LENGTH || !allowed(name[n]))
            return NAME_E_BAD_NAME;
    return n ? S_OK : NAME_E_BAD_NAME;
}

/* The entry holding name, or NULL (the lock held). */
static struct name_entry *find(const char *name)
{
    for (unsigned i = 0; i < NAME_MAX_NAMES; i++)
        if (table[i].object && strcmp(table[i].name, name) == 0)
            return &table[i];
    return 0;
}

static struct name_entry *free_entry(void)
{
    for (unsigned i = 0; i < NAME_MAX_NAMES; i++)
        if (!table[i].object)
            return &table[i];
    return 0;
}

SCODE names_register(const char *name, IUnknown *object, struct process *owner)
{
    SCODE sc = names_check(name);
    if (FAILED(sc))
        return sc;
    if (!object)
        return E_POINTER;
    mutex_lock(&lock);
    struct name_entry *e = 0;
    if (find(name))
        sc = NAME_E_EXISTS;
    else if (!(e = free_entry()))
        sc = NAME_E_FULL;
    else {
        object->lpVtbl->AddRef(object);
        memcpy(e->name, name, strlen(name) + 1);
        e->object = object;
        e->owner = owner;
    }
    mutex_unlock(&lock);
    return sc;
}

SCODE names_lookup(const char *name, const IID *iid, void **out)
{
    *out = 0;
    SCODE sc = names_check(name);
    if (FAILED(sc))
        return sc;
    mutex_lock(&lock);
    struct name_entry *e = find(name);
    IUnknown *o = e ? e->object : 0;
    if (o)
        o->lpVtbl->AddRef(o);
    mutex_unlock(&lock);
    if (!o)
        return NAME_E_NOT_FOUND;
    sc = o->lpVtbl->QueryInterface(o, iid, out);
    o->lpVtbl->Release(o);
    return sc;
}

/* Take e's object out of the table (the lock held): the caller releases it. */
static IUnknown *take(struct name_entry *e)
{
    IUnknown *o = e->object;
    *e = (struct name_entry){0};
    return o;
}

SCODE names_unregister(const char *name, struct process *owner)
{
    SCODE sc = names_check(name);
    if (FAILED(sc))
        return sc;
    mutex_lock(&lock);
    struct name_entry *e = find(name);
    IUnknown *o = 0;
    if (!e)
        sc = NAME_E_NOT_FOUND;
    else if (e->owner != owner)
        sc = NAME_E_NOT_OWNER;
    else
        o = take(e);
    mutex_unlock(&lock);
    if (o)
        o->lpVtbl->Release(o);
    return sc;
}

/* One of p's names taken out of the table, or NULL when none is left. */
static IUnknown *take_one_of(struct process *p)
{
    IUnknown *o = 0;
    mutex_lock(&lock);
    for (unsigned i = 0; i < NAME_MAX_NAMES && !o; i++)
        if (table[i].object && table[i].owner == p)
            o = take(&table[i]);
    mutex_unlock(&lock);
    return o;
}

void names_forget(struct process *p)
{
    if (!p)
        return; /* the kernel's names stay */
    for (IUnknown *o; (o = take_one_of(p));)
        o->lpVtbl->Release(o);
}

SCODE names_at(unsigned index, char name[NAME_MAX_LENGTH + 1])
{
    SCODE sc = S_FALSE;
    name[0] = '\0';
    mutex_lock(&lock);
    for (unsigned i = 0; i < NAME_MAX_NAMES && sc == S_FALSE; i++)
        if (table[i].object && index-- == 0) {
            memcpy(name, table[i].name, sizeof table[i].name);
            sc = S_OK;
        }
    mutex_unlock(&lock);
    return sc;
}

void names_each(void (*fn)(const char *name, struct process *owner, void *arg), void *arg)
{
    mutex_lock(&lock);
    for (unsigned i = 0; i < NAME_MAX_NAMES; i++)
        if (table[i].object)
            fn(table[i].name, table[i].owner, arg);
    mutex_unlock(&lock);
}

unsigned names_count(void)
{
    unsigned n = 0;
    mutex_lock(&lock);
    for (unsigned i = 0; i < NAME_MAX_NAMES; i++)
        n += table[i].object != 0;
    mutex_unlock(&lock);
    return n;
}
