/* Device interrupt handlers, machine-independent (see <kernel/irq.h>):
 * the table of handlers, and the flag the translation-fault path checks. */
#include <kernel/arch.h>
#include <kernel/irq.h>

struct irq_slot {
    irq_handler handler;
    void *arg;
};

static struct irq_slot slots[IRQ_LINES];
static unsigned in_handler; /* nesting depth; one CPU */
static unsigned long spurious;

bool irq_register(unsigned irq, irq_handler h, void *arg)
{
    if (irq >= IRQ_LINES || !h)
        return false;
    unsigned long was = arch_irq_save();
    bool free = !slots[irq].handler;
    if (free)
        slots[irq] = (struct irq_slot){h, arg};
    arch_irq_restore(was);
    if (free)
        arch_irq_line_enable(irq);
    return free;
}

void irq_unregister(unsigned irq)
{
    if (irq >= IRQ_LINES)
        return;
    arch_irq_line_disable(irq);
    unsigned long was = arch_irq_save();
    slots[irq] = (struct irq_slot){0, 0};
    arch_irq_restore(was);
}

void irq_dispatch(unsigned irq)
{
    struct irq_slot s = irq < IRQ_LINES ? slots[irq] : (struct irq_slot){0, 0};
    if (!s.handler) {
        spurious++;
        return;
    }
    in_handler++;
    s.handler(s.arg);
    in_handler--;
}

bool irq_in_handler(void)
{
    return in_handler > 0;
}

unsigned long irq_spurious_count(void)
{
    return spurious;
}
