/* Hybrid locking (paper 3.2.2), checked on the host: the uniprocessor
 * spinlock disables interrupts and refuses a second acquire; the
 * AS-mutation functions need the operation's mutex; the miss path needs
 * the spinlock. Each misuse panics (aborts here). */
#include "../../kernel/vm/region.h"
#include "vmtest.h"

#include <arch/cpu.h>
#include <criterion/criterion.h>
#include <signal.h>

TestSuite(vm_locks, .init = vmtest_init, .fini = vmtest_fini);

extern bool host_irq_enabled;

Test(vm_locks, spinlock_disables_interrupts_and_restores_them)
{
    struct spinlock l = SPINLOCK_INIT("t", NP_SYNC);
    host_irq_enabled = true;
    spin_lock(&l);
    cr_expect(spin_held(&l));
    cr_expect_not(host_irq_enabled, "a spinlock holder is not preemptible");
    spin_unlock(&l);
    cr_expect(host_irq_enabled);
    arch_irq_disable();
    spin_lock(&l);
    spin_unlock(&l);
    cr_expect_not(host_irq_enabled, "restored to what it was, not forced on");
}

Test(vm_locks, spinlock_taken_twice_panics, .signal = SIGABRT)
{
    struct spinlock l = SPINLOCK_INIT("t", NP_SYNC);
    spin_lock(&l);
    spin_lock(&l);
}

Test(vm_locks, spinlock_released_unheld_panics, .signal = SIGABRT)
{
    struct spinlock l = SPINLOCK_INIT("t", NP_SYNC);
    spin_unlock(&l);
}

Test(vm_locks, mutex_taken_twice_panics, .signal = SIGABRT)
{
    struct mutex m = MUTEX_INIT("t");
    mutex_lock(&m);
    mutex_lock(&m);
}

Test(vm_locks, mutation_without_the_mutex_panics, .signal = SIGABRT)
{
    struct as as;
    vmtest_as(&as, "t");
    struct region *r = region_new(&as, VMTEST_LO, 1, R_RESERVED, false);
    cr_assert_not_null(r);
    mut_insert(&as, r);
}

Test(vm_locks, lookup_without_the_spinlock_panics, .signal = SIGABRT)
{
    struct as as;
    vmtest_as(&as, "t");
    struct vtlb_mapping m;
    vm_lookup(&as, VMTEST_LO, AS_PROT_READ, &m);
}

Test(vm_locks, operations_leave_every_lock_free)
{
    struct as as;
    vmtest_as(&as, "t");
    host_irq_enabled = true;
    vaddr_t a = 0;
    cr_assert_eq(as_allocate(&as, &a, 4 * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    vm_write8(&as, a, 1);
    cr_assert_eq(as_decommit(&as, a, P), S_OK);
    cr_expect_not(mutex_held(&as.mutex));
    cr_expect_not(spin_held(&as.lock));
    cr_expect(host_irq_enabled);
    as_destroy(&as);
}

extern unsigned long host_interrupt_stack_runs; /* test/doubles/doubles.c */

/* A space that asks for it (kernel_as does, kmem_init) has every mutation
 * run through arch_run_on_interrupt_stack, with its spinlock taken there;
 * others take the lock where they are. */
static unsigned long runs_for_a_sequence(bool on_interrupt_stack)
{
    struct as as, view;
    vmtest_as(&as, "t");
    vmtest_as(&view, "view");
    as.mutate_on_interrupt_stack = on_interrupt_stack;
    unsigned long before = host_interrupt_stack_runs;
    vaddr_t a = 0, v = 0;
    cr_assert_eq(as_allocate(&as, &a, 4 * P, AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE), S_OK);
    unsigned long after_allocate = host_interrupt_stack_runs;
    cr_assert_eq(as_map_range(&view, &v, 4 * P, AS_ANYWHERE | AS_PROT_READ, &as, a), S_OK);
    unsigned long after_map = host_interrupt_stack_runs; /* links the mapping into as */
    cr_assert_eq(as_protect(&as, a, P, AS_PROT_READ), S_OK);
    cr_assert_eq(as_deallocate(&as, a, 4 * P), S_OK);
    as_check(&as);
    cr_expect_eq(as.nregions, 0);
    cr_expect_not(spin_held(&as.lock));
    as_destroy(&view);
    as_destroy(&as);
    if (on_interrupt_stack) {
        cr_expect_gt(after_allocate - before, 0, "the tree changed there");
        cr_expect_eq(after_map - after_allocate, 1, "the source's list of mappers too");
    }
    return host_interrupt_stack_runs - before;
}

Test(vm_locks, kernel_style_spaces_mutate_on_the_interrupt_stack)
{
    cr_expect_eq(runs_for_a_sequence(false), 0);
    cr_expect_gt(runs_for_a_sequence(true), 5);
}
