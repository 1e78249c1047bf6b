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

SCODE service_start(const char *name, enum placement where, struct process **out)
{
    const char *argv[] = {name};
    if (out)
        *out = 0;
    if (where == PLACE_KERNEL)
        return kernel_process_start(name, 1, argv);
    struct process *p;
    SCODE sc = process_spawn(name, 1, argv, &p);
    if (SUCCEEDED(sc) && out)
        *out = p;
    else if (SUCCEEDED(sc))
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

bool service_wait_ready(const char *name, unsigned ms)
{
    for (unsigned waited = 0;; waited += 1000 / CONFIG_HZ) {
        IUnknown *obj;
        if (SUCCEEDED(names_lookup(name, &IID_IUnknown, (void **)&obj))) {
            obj->lpVtbl->Release(obj);
            return true;
        }
        if (waited >= ms)
            return false;
        thread_sleep_ticks(1);
    }
}

static void start_one(const char *name, enum placement where, void *arg)
{
    override(arg, name, &where);
    SCODE sc = service_start(name, where, 0);
    kprintf("services: %s %s", name, where == PLACE_KERNEL ? "in the kernel" : "in a process");
    if (FAILED(sc))
        kprintf(": cannot start (%#x)\n", (unsigned)sc);
    else if (!service_wait_ready(name, SERVICE_READY_MS))
        kprintf(": started, but registered no \"%s\" in %u ms\n", name, SERVICE_READY_MS);
    else
        kprintf("\n");
}

void services_start(const char *cmdline)
{
    each_service(start_one, (void *)cmdline);
}
