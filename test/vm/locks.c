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
