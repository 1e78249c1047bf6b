/* The scratch page (see <kernel/vm/scratch.h>). */
#include <kernel/panic.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/vm/pmem.h>
#include <kernel/vm/scratch.h>

#define MAX_MAPPINGS 8 /* more in one call: the whole space is flushed */

static paddr_t scratch_pa = PADDR_NONE;
static struct scratch_mapping {
    struct as *as;
    vaddr_t va;
} mappings[MAX_MAPPINGS];
static unsigned nmappings;
static struct as *overflowed; /* a space with more than MAX_MAPPINGS */
static uint64_t uses;

void vm_scratch_init(void)
{
    scratch_pa = pmem_alloc();
    if (scratch_pa == PADDR_NONE)
        panic("vm: no memory for the scratch page");
    memset(phys_to_virt(scratch_pa), 0, PAGE_SIZE);
}

/* Enter the scratch page at va's page of as with prot, and remember it
 * for vm_scratch_clear. */
static void enter(struct as *as, vaddr_t va, uint32_t prot)
{
    vaddr_t page = va & ~(vaddr_t)(PAGE_SIZE - 1);
    struct vtlb_mapping m = {VTLB_ENTER, VMX_NONE, page, scratch_pa, PAGE_SIZE, prot};
    if (nmappings < MAX_MAPPINGS) {
        mappings[nmappings++] = (struct scratch_mapping){as, page};
    } else {
        if (overflowed && overflowed != as) /* only one is remembered: forget the other now */
            vtlb_flush(overflowed);
        overflowed = as;
    }
    vtlb_enter(as, va, &m);
    uses++;
}

bool vm_scratch_map(struct as *as, vaddr_t va, uint32_t access, enum vm_exception why)
{
    struct thread *self = thread_current();
    if (scratch_pa == PADDR_NONE || !self || !as || !self->process || as != self->user_as)
        return false;
    enter(as, va, AS_PROT_READ | AS_PROT_WRITE);
    if (!self->fault_pending) { /* the first bad access is the one reported */
        self->fault_pending = true;
        self->pending_va = va;
        self->pending_access = access;
        self->pending_why = why;
    }
    return true;
}

bool vm_scratch_stand_in(struct as *as, vaddr_t va, uint32_t prot)
{
    if (scratch_pa == PADDR_NONE)
        return false;
    enter(as, va, prot);
    return true;
}

void vm_scratch_clear(void)
{
    if (!nmappings && !overflowed)
        return;
    for (unsigned i = 0; i < nmappings; i++)
        vtlb_remove(mappings[i].as, mappings[i].va, PAGE_SIZE);
    if (overflowed)
        vtlb_flush(overflowed);
    vtlb_synchronize();
    nmappings = 0;
    overflowed = 0;
    memset(phys_to_virt(scratch_pa), 0, PAGE_SIZE);
}

uint64_t vm_scratch_uses(void)
{
    return uses;
}
