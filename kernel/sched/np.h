/* Non-preemptible sections (paper 3.2.2): the scheduler, the
 * synchronization primitives, interrupt and trap handlers, the VTLB
 * functions and the AS-mutation functions. Each is bracketed by np_enter
 * and np_exit, which keep it from being preempted and measure it in guest
 * instructions (arch_cycles): count, average and maximum per kind, shown
 * by the console's `np` command. When the outermost section ends and a
 * switch is wanted, it happens then. */
#ifndef KERNEL_NP_H
#define KERNEL_NP_H

#include <arch/cpu.h>
#include <stdbool.h>
#include <stdint.h>

enum np_kind { NP_SCHED, NP_SYNC, NP_INTERRUPT, NP_VTLB, NP_AS_MUTATION, NP_NKINDS };

void np_enter(enum np_kind kind);
void np_exit(enum np_kind kind);  /* np_close, then np_preempt_point if it was the outermost */
bool np_close(enum np_kind kind); /* end the innermost section: whether it was the outermost */
void np_preempt_point(void);
bool np_active(void);
int np_depth(void); /* sections open now, nested ones counted */

/* Probe the stack before becoming non-preemptible (kernel/sched/stack.c;
 * paper 3.4.2: a stack fault must come while it still may). */
void stack_probe(void);
void stack_unprobe(void);

/* Interrupts-off stretches (issue 14): a section entered with
 * np_enter_irqoff is also one, measured with it and counted under its
 * kind (np_irqoff_get_stats): an np_begin that turned interrupts off,
 * and a trap that interrupted code with interrupts on (sched_trap_enter).
 * Sections nested inside a stretch, or begun with interrupts already
 * off, are parts of it. */
void np_enter_irqoff(enum np_kind kind);

/* A section that also keeps interrupts off, after probing the stack. */
static inline unsigned long np_begin(enum np_kind kind)
{
    stack_probe();
    bool was_on = arch_irq_enabled();
    unsigned long irq = arch_irq_save();
    if (was_on)
        np_enter_irqoff(kind);
    else
        np_enter(kind);
    return irq;
}

/* Closed before interrupts come back, so that its stretch does not take
 * in an interrupt that arrives at once; the preemption point after. */
static inline void np_end(enum np_kind kind, unsigned long irq)
{
    bool outermost = np_close(kind);
    arch_irq_restore(irq);
    if (outermost)
        np_preempt_point();
    stack_unprobe();
}

struct np_stats {
    uint64_t count, total, max;
    uintptr_t max_at; /* the code that began the longest (addr2line -i names it) */
};
void np_get_stats(enum np_kind kind, struct np_stats *s);
void np_irqoff_get_stats(enum np_kind kind, struct np_stats *s);
void np_reset_stats(void);
const char *np_kind_name(enum np_kind kind);
/* For the benchmarks (tools/bench): a `bench: WHAT kind=...` line per
 * kind of what get reports, then WHAT_max with the longest of all. */
void np_print_bench(const char *what, void (*get)(enum np_kind, struct np_stats *));

#endif
