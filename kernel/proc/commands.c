/* The console's process commands: run a program from the boot archive
 * and wait for it, list the processes (with the pages their images
 * share) and their threads, the loaded images, and the name service's
 * names with their owners. */
#include <kernel/console.h>
#include <kernel/ipc/names.h>
#include <kernel/kprintf.h>
#include <kernel/loader/sharing.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/kmem.h>

CONSOLE_COMMAND_ARGS(run, "NAME [ARGS]", "run a program of the boot archive and wait for it")
{
    const char *argv[PROC_MAX_ARGS];
    int argc = process_split_args(args, argv, PROC_MAX_ARGS);
    struct process *p;
    if (argc == 0) {
        kprintf("usage: run NAME [ARGS]\n");
        return;
    }
    SCODE sc = process_spawn(argv[0], argc, argv, &p);
    if (FAILED(sc)) {
        kprintf("run: %s: cannot start (%#x)\n", argv[0], (unsigned)sc);
        return;
    }
    int32_t code = process_wait(p);
    kprintf("%s (%u) exited with %d (%#x)\n", p->name, p->id, code, (unsigned)code);
    process_release(p);
}

static const char *const state_names[] = {"ready", "running", "blocked", "dead"};

/* "-" for a process that serves nothing, else its server threads now and
 * its bound. */
static const char *pool_of(const struct process *p, char *buf, size_t size)
{
    if (!p->pool.entry)
        return "-";
    ksnprintf(buf, size, "%u/%u", (unsigned)p->pool.nthreads, (unsigned)p->pool.max_threads);
    return buf;
}

static const char *state_of(struct process *p)
{
    return event_is_set(&p->finished) ? " (finished)" : p->dying ? " (dying)" : "";
}

/* The processes, the kernel process, and what sharing their images saves
 * (kernel/loader/sharing.h): shared pages read an image's own frames,
 * private ones are the frames the space holds (its copies included). */
static void print_spaces(void)
{
    struct sharing s;
    char pool[16];
    sharing_take(&s);
    kprintf("  id name             threads  pool  committed reserved   shared  private (pages)\n");
    for (unsigned i = 1; i < s.n; i++) {
        struct process *p = s.spaces[i].proc;
        kprintf("%4u %-16s %7u %5s %10zu %8zu %8zu %8zu%s\n", p->id, p->name, p->nthreads,
                pool_of(p, pool, sizeof pool), p->as.committed_pages, p->as.reserved_pages,
                s.spaces[i].shared, p->as.resident_pages, state_of(p));
    }
    if (s.missing)
        kprintf("     (%u more processes, not counted)\n", s.missing);
    kprintf("     %-16s %7s %5s %10zu %8zu %8zu %8zu\n", "kernel", "-", "-",
            kernel_as.committed_pages, kernel_as.reserved_pages, s.spaces[0].shared,
            kernel_as.resident_pages);
    kprintf("sharing saves %zu pages: %zu shared by the spaces, %zu held by the images\n",
            sharing_saved(&s), s.shared, s.held);
    sharing_drop(&s);
}

CONSOLE_COMMAND(ps, "processes: threads, server pool, memory, pages shared; threads")
{
    print_spaces();
    kprintf("threads:\n");
    for (struct thread *t = sched_all_threads(); t; t = t->next_all)
        kprintf("  %-16s %-8s prio %2d %10llu kcycles %s%s\n", t->name, state_names[t->state],
                t->prio, (unsigned long long)(sched_thread_cycles(t) / 1000),
                t->process ? "user" : "kernel", t->serving ? ", serving a call" : "");
}

static void print_image(struct image *img, void *count)
{
    ++*(unsigned *)count;
    kprintf("  %-16s %08lx-%08lx %6zu %6zu %5u\n", img->name, (unsigned long)img->lo,
            (unsigned long)img->hi, sharing_image_pages(img, false), sharing_image_pages(img, true),
            img->users);
}

CONSOLE_COMMAND(images, "the loaded images (executables, DLLs): addresses, pages, users")
{
    unsigned count = 0;
    kprintf("  name             addresses          pages   code users (spaces)\n");
    image_each(print_image, &count);
    kprintf("%u image%s\n", count, count == 1 ? "" : "s");
}

/* One name and its owner (under the table's lock: the owner cannot end). */
static void print_name(const char *name, struct process *owner, void *count)
{
    ++*(unsigned *)count;
    if (owner)
        kprintf("  %-32s %s (%u)\n", name, owner->name, owner->id);
    else
        kprintf("  %-32s kernel\n", name);
}

CONSOLE_COMMAND(names, "the name service's names and who registered each")
{
    unsigned count = 0;
    names_each(print_name, &count);
    kprintf("%u name%s\n", count, count == 1 ? "" : "s");
}
