/* Placement: starting the services of the boot archive's manifest (see
 * <kernel/loader/services.h>). The manifest is read like any file of the
 * archive, untrusted: a line that is not "NAME kernel|process" is
 * reported and skipped. */
#include <config.h>
#include <kernel/ipc/names.h>
#include <kernel/kprintf.h>
#include <kernel/lib/cmdline.h>
#include <kernel/loader/loader.h>
#include <kernel/loader/services.h>
#include <kernel/proc/kernel_process.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>

/* Start name placed where, with argument ARG when not NULL; *p its
 * process with a reference (or NULL), *k its kernel thread's start block
 * (or NULL): what ends when it ends. */
static SCODE start(const char *name, const char *arg, enum placement where, struct process **p,
                   struct kstart **k)
{
    const char *argv[] = {name, arg};
    int argc = arg ? 2 : 1;
    *p = 0, *k = 0;
    if (where == PLACE_KERNEL)
        return kernel_process_start(name, argc, argv, k);
    return process_spawn(name, argc, argv, p);
}

SCODE service_start(const char *name, enum placement where, struct process **out)
{
    struct process *p;
    struct kstart *k;
    SCODE sc = start(name, 0, where, &p, &k);
    if (out)
        *out = p;
    else if (p)
        process_release(p);
    return sc;
}

static bool parse_place(const char *word, enum placement *where)
{
    if (!strcmp(word, "kernel"))
        *where = PLACE_KERNEL;
    else if (!strcmp(word, "process"))
        *where = PLACE_PROCESS;
    else
        return false;
    return true;
}

/* Calls fn(name, where) for each good line of the manifest. */
static void each_service(void (*fn)(const char *name, enum placement where, void *arg), void *arg)
{
    const void *data;
    size_t size;
    if (FAILED(loader_find("services", &data, &size)))
        return;
    const char *p = data, *end = p + size;
    while (p < end) {
        char line[2 * SERVICE_NAME_MAX], *sp;
        size_t n = 0;
        while (p < end && *p != '\n')
            line[n < sizeof line - 1 ? n++ : n] = *p++;
        line[n] = '\0';
        p++;
        enum placement where;
        if (!n)
            continue;
        for (sp = line; *sp && *sp != ' '; sp++)
            ;
        if (!*sp || (*sp = '\0', !parse_place(sp + 1, &where)))
            kprintf("services: bad manifest line \"%s\"\n", line);
        else
            fn(line, where, arg);
    }
}

struct lookup {
    const char *name;
    bool found;
    enum placement where;
};

static void match(const char *name, enum placement where, void *arg)
{
    struct lookup *l = arg;
    if (!strcmp(name, l->name))
        l->found = true, l->where = where;
}

/* cmdline's place.NAME=kernel|process, if it has one, replaces *where. */
static void override(const char *cmdline, const char *name, enum placement *where)
{
    char key[8 + SERVICE_NAME_MAX], value[16];
    enum placement w;
    ksnprintf(key, sizeof key, "place.%s", name);
    if (cmdline_get(cmdline, key, value, sizeof value) && parse_place(value, &w))
        *where = w;
}

bool service_placement(const char *cmdline, const char *name, enum placement *where)
{
    struct lookup l = {name, false, PLACE_KERNEL};
    each_service(match, &l);
    if (l.found)
        override(cmdline, name, &l.where), *where = l.where;
    return l.found;
}

static bool registered(const char *name)
{
    IUnknown *obj;
    if (FAILED(names_lookup(name, &IID_IUnknown, (void **)&obj)))
        return false;
    obj->lpVtbl->Release(obj);
    return true;
}

/* Whether the service started as p (a process) or k (a kernel thread) has
 * ended; neither given: it never ends. */
static bool ended(const struct process *p, const struct kstart *k)
{
    return (p && event_is_set(&p->finished)) || (k && kernel_process_ended(k));
}

enum readiness { READY, ENDED, LATE };

/* Wait up to ms for name to be registered, or for the service to end. */
static enum readiness wait_ready(const char *name, unsigned ms, const struct process *p,
                                 const struct kstart *k)
{
    for (unsigned waited = 0;; waited += 1000 / CONFIG_HZ) {
        if (registered(name))
            return READY;
        if (ended(p, k))
            return registered(name) ? READY : ENDED;
        if (waited >= ms)
            return LATE;
        thread_sleep_ticks(1);
    }
}

bool service_wait_ready(const char *name, unsigned ms)
{
    return wait_ready(name, ms, 0, 0) == READY;
}

/* One line for the service once it is ready, has ended, or is late (a
 * service's own lines come before it). */
static void start_one(const char *name, enum placement where, void *arg)
{
    override(arg, name, &where);
    struct process *p;
    struct kstart *k;
    char key[8 + SERVICE_NAME_MAX], value[64];
    ksnprintf(key, sizeof key, "%s.arg", name);
    bool has_arg = cmdline_get(arg, key, value, sizeof value);
    SCODE sc = start(name, has_arg ? value : 0, where, &p, &k);
    enum readiness r = FAILED(sc) ? LATE : wait_ready(name, SERVICE_READY_MS, p, k);
    kprintf("services: %s %s", name, where == PLACE_KERNEL ? "in the kernel" : "in a process");
    if (FAILED(sc))
        kprintf(": cannot start (%#x)\n", (unsigned)sc);
    else if (r == ENDED)
        kprintf(": ended without registering \"%s\"\n", name);
    else if (r == LATE)
        kprintf(": started, but registered no \"%s\" in %u ms\n", name, SERVICE_READY_MS);
    else
        kprintf("\n");
    if (p)
        process_release(p);
}

void services_start(const char *cmdline)
{
    each_service(start_one, (void *)cmdline);
}
