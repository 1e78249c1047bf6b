/* Device interrupts through <kernel/irq.h> on both machines: the RTC's
 * periodic interrupt (ISA line 8, on the second 8259: the cascade on
 * both, IP2 and a poll of both controllers on malta) reaches a registered
 * handler, flagged as in a device interrupt, and stops at unregister.
 * KSELFTEST selftest_irq_handler_touches_mapped_memory is the handler
 * that breaks the rule; test/kernel/irq.c expects its panic. */
#include <arch/io.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/timer.h>
#include <kernel/vm/kmem.h>

#define RTC_INDEX 0x70
#define RTC_DATA  0x71
#define RTC_A     0x0a
#define RTC_B     0x0b
#define RTC_C     0x0c
#define RTC_1KHZ  0x26 /* 32.768 kHz time base, periodic rate 1024 Hz */
#define RTC_PIE   0x40 /* periodic interrupt enable */
#define RTC_IRQ   8

#define WAIT_TICKS 50 /* 0.5 s: hundreds of RTC periods */

static uint8_t rtc_read(uint8_t reg)
{
    io_write8(RTC_INDEX, reg);
    return io_read8(RTC_DATA);
}

static void rtc_write(uint8_t reg, uint8_t v)
{
    io_write8(RTC_INDEX, reg);
    io_write8(RTC_DATA, v);
}

static void rtc_periodic(bool on)
{
    rtc_write(RTC_A, RTC_1KHZ);
    uint8_t b = rtc_read(RTC_B);
    rtc_write(RTC_B, on ? b | RTC_PIE : b & ~RTC_PIE);
    rtc_read(RTC_C); /* drop what is pending */
}

/* Kept in the kernel image: unmapped, as a handler's data must be. */
static volatile unsigned ticks_seen, flagged;

static void rtc_handler(void *arg)
{
    rtc_read(RTC_C); /* acknowledge: the RTC lowers its line */
    ticks_seen++;
    flagged += irq_in_handler() && arg == &ticks_seen;
}

/* Wait until the handler ran n times or WAIT_TICKS passed. */
static void wait_for_rtc(unsigned n)
{
    uint64_t until = timer_ticks() + WAIT_TICKS;
    while (ticks_seen < n && timer_ticks() < until)
        arch_wait_for_interrupt();
}

KTEST(irq_rtc_interrupt_reaches_its_handler)
{
    ticks_seen = flagged = 0;
    KT_ASSERT(irq_register(RTC_IRQ, rtc_handler, (void *)&ticks_seen));
    KT_ASSERT(!irq_register(RTC_IRQ, rtc_handler, 0)); /* taken */
    KT_ASSERT(!irq_register(IRQ_LINES, rtc_handler, 0));
    KT_ASSERT(!irq_in_handler());
    rtc_periodic(true);
    wait_for_rtc(5);
    rtc_periodic(false);
    irq_unregister(RTC_IRQ);
    KT_ASSERT(ticks_seen >= 5);
    KT_ASSERT_EQ(flagged, ticks_seen);
    unsigned after = ticks_seen;
    rtc_periodic(true); /* unregistered and masked: nothing arrives */
    uint64_t until = timer_ticks() + 5;
    while (timer_ticks() < until)
        arch_wait_for_interrupt();
    rtc_periodic(false);
    KT_ASSERT_EQ(ticks_seen, after);
}

KTEST(irq_dispatch_without_a_handler_is_counted)
{
    unsigned long before = irq_spurious_count();
    unsigned long was = arch_irq_save();
    irq_dispatch(RTC_IRQ + 1);
    irq_dispatch(IRQ_LINES + 3);
    arch_irq_restore(was);
    KT_ASSERT_EQ(irq_spurious_count(), before + 2);
}

static volatile uint32_t *mapped_word;

static void mapped_handler(void *arg)
{
    (void)arg;
    rtc_read(RTC_C);
    ticks_seen += *mapped_word; /* kernel_as: the rule broken */
}

/* A handler reading a kernel_as page that no translation covers yet
 * (committed, never touched): the fault path must panic naming it. */
KSELFTEST(selftest_irq_handler_touches_mapped_memory)
{
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_allocate(&kernel_as, &a, PAGE_SIZE, AS_PROT_READ | AS_PROT_WRITE | AS_ANYWHERE),
                 S_OK);
    mapped_word = (volatile uint32_t *)a;
    ticks_seen = 0;
    KT_ASSERT(irq_register(RTC_IRQ, mapped_handler, 0));
    rtc_periodic(true);
    wait_for_rtc(1);
    rtc_periodic(false);
    irq_unregister(RTC_IRQ);
    as_deallocate(&kernel_as, a, PAGE_SIZE);
    ktest_fail(__FILE__, __LINE__, "the handler's mapped access went unnoticed");
}
