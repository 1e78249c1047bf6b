/* The IDT, and x86_trap: the C side of every vector. Page faults are VTLB
 * misses (fault.c); other exceptions are decoded into a struct trap_info
 * for kernel/trap.c; IRQs from the PICs go to their handlers (only the
 * timer so far). Every handler runs at ring 0 on the interrupt stack. */
#include <arch/paging.h>
#include <arch/x86.h>
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/timer.h>
#include <kernel/sched/sched.h>
#include <kernel/trap.h>
#include <stddef.h>

/* trap.S pushes the frame in exactly this order. */
_Static_assert(offsetof(struct trap_frame, edi) == 16, "trap frame: pushal after 4 segments");
_Static_assert(offsetof(struct trap_frame, vector) == 48, "trap frame: vector after pushal");
_Static_assert(offsetof(struct trap_frame, eip) == 56, "trap frame: CPU part after error");
_Static_assert(offsetof(struct trap_frame, esp) == TRAP_FRAME_SAME_RING_SIZE,
               "trap frame: esp/ss only on privilege change");

#define GATE_INTERRUPT 0x8e /* present, ring 0, 32-bit interrupt gate */
#define GATE_RING1     0xae /* the same, and ring 1 may raise it with `int` */
#define GATE_RING3     0xee /* the same, and ring 3 may raise it too */
#define GATE_TASK      0x85 /* present, ring 0, task gate */
#define STUB_SIZE      16

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t zero;
    uint8_t type;
    uint16_t offset_hi;
} __attribute__((packed));

struct idt_desc {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

extern char trap_vectors[], priv_entry[], run_entry[], kcall_entry[];
static struct idt_gate idt[256];

/* The vectors ring-1 code raises itself with `int`: the others (device
 * interrupts, exceptions the CPU raises) ignore a gate's DPL, but an
 * `int n` at ring 1 through a ring-0 gate is a protection fault. */
static bool ring1_may_raise(int v)
{
    return v == YIELD_VECTOR || v == PRIV_VECTOR || v == WAIT_VECTOR || v == RUN_VECTOR;
}

/* int3 and into are exceptions user code may raise too (its breakpoints
 * and overflow checks reach trap_exception like any other); every other
 * `int n` from ring 3 but the kernel call's is a protection fault. */
static uint8_t gate_type(int v)
{
    if (v == 3 || v == 4)
        return GATE_RING3;
    return ring1_may_raise(v) ? GATE_RING1 : GATE_INTERRUPT;
}

static struct idt_gate gate_to(const void *entry, uint16_t sel, uint8_t type)
{
    uint32_t off = (uint32_t)(uintptr_t)entry;
    return (struct idt_gate){(uint16_t)off, sel, 0, type, (uint16_t)(off >> 16)};
}

static struct idt_gate gate(const void *entry, uint8_t type)
{
    return gate_to(entry, SEL_KCODE, type);
}

#define STACK_PAINT    0x57ac57acu
#define STACK_RED_ZONE 2048 /* what a panic needs to report an overflow */

/* The deepest the interrupt stack has been, in bytes: the painted words
 * (idt_init) the traps have not overwritten are at its bottom. */
size_t x86_interrupt_stack_used(void)
{
    const uint32_t *w = (const uint32_t *)interrupt_stack;
    while ((const char *)w < interrupt_stack_top && *w == STACK_PAINT)
        w++;
    return (size_t)(interrupt_stack_top - (const char *)w);
}

/* Traps nest only so deep (a thread's trap, a VTLB miss or device
 * interrupt inside it, and an interrupt inside that), so the stack is
 * bounded; past the bound, .bss below it would be overwritten silently. */
static void check_interrupt_stack(const struct trap_frame *tf)
{
    if ((const char *)tf < interrupt_stack + STACK_RED_ZONE)
        panic_trap(tf, "interrupt stack overflow");
}

/* Load the IDT while still at ring 0 (x86_boot, before ring1_enter). */
void idt_init(void)
{
    for (uint32_t *w = (uint32_t *)interrupt_stack; w < (uint32_t *)interrupt_stack_top; w++)
        *w = STACK_PAINT;
    for (int v = 0; v < 256; v++)
        idt[v] = gate(trap_vectors + STUB_SIZE * v, gate_type(v));
    idt[PRIV_VECTOR] = gate(priv_entry, GATE_RING1);
    idt[RUN_VECTOR] = gate(run_entry, GATE_RING1);
    /* The kernel call goes from ring 3 straight to ring 1 (paper 3.4.2),
     * on the thread's kernel stack (TSS ss1:esp1), not the interrupt stack. */
    idt[KCALL_VECTOR] = gate_to(kcall_entry, SEL_K1CODE, GATE_RING3);
    idt[8] = (struct idt_gate){0, SEL_DF_TSS, 0, GATE_TASK, 0}; /* dfault.c */
    struct idt_desc d = {sizeof idt - 1, virt_to_linear(idt)};
    __asm__ volatile("lidt %0" ::"m"(d));
}

void arch_trap_init(void)
{
    x86_vtlb_init();
    pic_init();
}

static struct trap_info decode_exception(const struct trap_frame *tf)
{
    struct trap_info info = {.kind = TRAP_OTHER, .access = ACCESS_READ, .code = tf->vector};
    switch (tf->vector) {
    case 0:
        info.kind = TRAP_DIVIDE;
        break;
    case 3:
        info.kind = TRAP_BREAKPOINT;
        break;
    case 4:
        info.kind = TRAP_OVERFLOW;
        break;
    case 6:
    case 7:
        info.kind = TRAP_ILLEGAL;
        break;
    case 13:
        info.kind = TRAP_PROTECTION;
        break;
    case 17:
        info.kind = TRAP_ALIGNMENT;
        break;
    case 18:
        info.kind = TRAP_BUS;
        break;
    }
    return info;
}

static void dispatch(struct trap_frame *tf)
{
    if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + 16) {
        int irq = (int)tf->vector - IRQ_BASE;
        pic_eoi(irq);
        if (irq == IRQ_TIMER)
            timer_tick();
        else
            irq_dispatch((unsigned)irq);
        return;
    }
    if (tf->vector == 14) { /* a VTLB miss */
        x86_page_fault(tf);
        return;
    }
    if (tf->vector == YIELD_VECTOR || tf->vector == WAIT_VECTOR) /* the exit decides */
        return;
    struct trap_info info = decode_exception(tf);
    trap_exception(tf, &info);
}

/* arch_wait_for_interrupt at ring 0: halt with interrupts on until one
 * arrives; it nests on this trap and returns here. Done before the trap
 * counts as non-preemptible, since waiting is not work. The thread
 * resumes with interrupts on, as the call promises. */
static void wait_for_interrupt(struct trap_frame *tf)
{
    tf->eflags |= EFLAGS_IF;
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* The outermost trap's frame: from ring 1 or ring 3 (the CPU took esp0
 * for both), at the top of the interrupt stack. */
static struct trap_frame *outermost_frame(void)
{
    return (struct trap_frame *)(interrupt_stack_top - sizeof(struct trap_frame));
}

/* A thread switch happens only at the outermost trap, from ring 1 or 3: the
 * scheduler has saved that frame into the old thread; the new thread's
 * saved frame replaces it, and trap.S returns into it. */
static void resume(struct trap_frame *tf, struct trap_frame *next)
{
    if (next == tf)
        return;
    if (tf != outermost_frame())
        panic_trap(tf, "thread switch from a nested trap");
    *tf = *next;
}

/* The C side of every vector. */
void x86_trap(struct trap_frame *tf)
{
    check_interrupt_stack(tf);
    if (tf->vector == WAIT_VECTOR)
        wait_for_interrupt(tf);
    sched_trap_enter(tf);
    dispatch(tf);
    resume(tf, sched_trap_exit(tf));
}

void arch_dump_registers(const struct trap_frame *tf)
{
    kprintf("  eip %08x  cs %04x  eflags %08x  vector %u  error %#x\n", tf->eip, tf->cs & 0xffff,
            tf->eflags, tf->vector, tf->error);
    kprintf("  eax %08x  ebx %08x  ecx %08x  edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
    kprintf("  esi %08x  edi %08x  ebp %08x  esp %08x\n", tf->esi, tf->edi, tf->ebp,
            trap_frame_sp(tf));
    kprintf("  ds %04x  es %04x  fs %04x  gs %04x  cr2 %08x\n", tf->ds & 0xffff, tf->es & 0xffff,
            tf->fs & 0xffff, tf->gs & 0xffff, read_cr2());
}
