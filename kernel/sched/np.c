/* Non-preemptible sections and their measurement (see <kernel/sched/np.h>).
 * Sections nest; each is timed on its own, inner ones included in outer
 * ones, with the cycle counter (guest instructions under -icount). */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kprintf.h>
#include <kernel/sched/np.h>
#include <kernel/panic.h>
#include <kernel/sched/sched.h>
#include <kernel/timer.h>

#define NP_MAX_DEPTH 16

static struct {
    enum np_kind kind;
    bool irqoff; /* it turned interrupts off: an interrupts-off stretch too */
    uint64_t start;
    uintptr_t at; /* where it was entered: the longest's is kept */
} open_sections[NP_MAX_DEPTH];
static int depth;
static struct np_stats stats[NP_NKINDS], irqoff[NP_NKINDS];

static const char *const names[NP_NKINDS] = {
    [NP_SCHED] = "scheduler",          [NP_SYNC] = "synchronization",
    [NP_INTERRUPT] = "interrupt/trap", [NP_VTLB] = "VTLB functions",
    [NP_AS_MUTATION] = "AS mutation",
};

const char *np_kind_name(enum np_kind kind)
{
    return kind < NP_NKINDS ? names[kind] : "?";
}

/* Interrupts off keep interrupts out, not exceptions: a section's code may
 * take a VTLB miss (on its stack, say), whose trap opens and closes a
 * section of its own. So a slot is claimed (depth moved) before anything
 * that may touch mapped memory, the cycle counter's call included, and
 * read before it is given back. */
static void enter(enum np_kind kind, bool irqoff, uintptr_t at)
{
    unsigned long irq = arch_irq_save();
    if (depth == NP_MAX_DEPTH)
        panic("non-preemptible sections nested too deep");
    int slot = depth++;
    open_sections[slot].kind = kind;
    open_sections[slot].irqoff = irqoff;
    open_sections[slot].at = at;
    open_sections[slot].start = arch_cycles();
    arch_irq_restore(irq);
}

void np_enter(enum np_kind kind)
{
    enter(kind, false, (uintptr_t)__builtin_return_address(0));
}

/* A stretch shares its section's clock readings: measuring it costs a
 * flag, not two more reads of the counter on every trap. */
void np_enter_irqoff(enum np_kind kind)
{
    enter(kind, true, (uintptr_t)__builtin_return_address(0));
}

static void record(struct np_stats *s, uint64_t took, uintptr_t at)
{
    s->count++;
    s->total += took;
    if (took > s->max) {
        s->max = took;
        s->max_at = at;
    }
}

bool np_close(enum np_kind kind)
{
    unsigned long irq = arch_irq_save();
    if (depth == 0 || open_sections[depth - 1].kind != kind)
        panic("np_exit(%s) does not close the innermost section", np_kind_name(kind));
    uint64_t took = arch_cycles() - open_sections[depth - 1].start;
    depth--;
    record(&stats[kind], took, open_sections[depth].at);
    if (open_sections[depth].irqoff)
        record(&irqoff[kind], took, open_sections[depth].at);
    bool outermost = depth == 0;
    arch_irq_restore(irq);
    return outermost;
}

/* The switch a section held back happens as it ends, unless it ends
 * inside a trap (the trap's exit decides) or with interrupts off. */
void np_preempt_point(void)
{
    if (!sched_in_trap() && arch_irq_enabled())
        sched_preempt_point();
}

void np_exit(enum np_kind kind)
{
    if (np_close(kind))
        np_preempt_point();
}

void np_irqoff_get_stats(enum np_kind kind, struct np_stats *s)
{
    *s = irqoff[kind];
}

bool np_active(void)
{
    return depth > 0;
}

int np_depth(void)
{
    return depth;
}

void np_get_stats(enum np_kind kind, struct np_stats *s)
{
    *s = stats[kind];
}

void np_reset_stats(void)
{
    unsigned long irq = arch_irq_save();
    for (int k = 0; k < NP_NKINDS; k++)
        stats[k] = irqoff[k] = (struct np_stats){0};
    arch_irq_restore(irq);
}

static void print_stats(const char *what, void (*get)(enum np_kind, struct np_stats *))
{
    for (int k = 0; k < NP_NKINDS; k++) {
        struct np_stats s;
        get((enum np_kind)k, &s);
        kprintf("  %-16s %10llu %s, avg %8llu, max %8llu", names[k], (unsigned long long)s.count,
                what, (unsigned long long)(s.count ? s.total / s.count : 0),
                (unsigned long long)s.max);
        kprintf(s.max_at ? " at %#lx\n" : "\n", (unsigned long)s.max_at);
    }
}

void np_print_bench(const char *what, void (*get)(enum np_kind, struct np_stats *))
{
    struct np_stats worst = {0};
    int worst_kind = 0;
    for (int k = 0; k < NP_NKINDS; k++) {
        struct np_stats s;
        get((enum np_kind)k, &s);
        kprintf("bench: %s kind=%s count=%llu average=%llu max=%llu at=%#lx\n", what, names[k],
                (unsigned long long)s.count, (unsigned long long)(s.count ? s.total / s.count : 0),
                (unsigned long long)s.max, (unsigned long)s.max_at);
        if (s.max > worst.max)
            worst = s, worst_kind = k;
    }
    kprintf("bench: %s_max arch=%s kind=%s instructions=%llu at=%#lx\n", what, ARCH_NAME,
            names[worst_kind], (unsigned long long)worst.max, (unsigned long)worst.max_at);
}

CONSOLE_COMMAND(np, "non-preemptible sections, interrupts-off stretches: count, avg, max "
                    "(instructions under icount)")
{
    kprintf("non-preemptible sections (average and maximum in %s):\n", cycles_unit());
    print_stats("sections", np_get_stats);
    kprintf("interrupts off, from the section or trap that turned them off to its end:\n");
    print_stats("stretches", np_irqoff_get_stats);
}
