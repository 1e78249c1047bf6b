/* The vm* suites' fixture and simulated processor (see vmtest.h). */
#include "vmtest.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

struct heap vmtest_heap;

void vmtest_init(void)
{
    host_phys_mem = aligned_alloc(PAGE_SIZE, VMTEST_PHYS_SIZE);
    cr_assert_not_null(host_phys_mem);
    memset(host_phys_mem, 0x11, VMTEST_PHYS_SIZE); /* "someone's old data" */
    struct mem_range all = {PAGE_SIZE, VMTEST_PHYS_SIZE - PAGE_SIZE};
    pmem_init(&all, 1, NULL, 0);
    heap_init(&vmtest_heap, "vmtest");
    vtlb_soft_configure(512, 2);
    vm_fail_allocation(0);
}

void vmtest_fini(void)
{
    free(host_phys_mem);
    host_phys_mem = NULL;
}

void vmtest_as(struct as *as, const char *name)
{
    as_init(as, name, VMTEST_LO, VMTEST_HI, &vmtest_heap);
}

struct access vm_access(struct as *as, vaddr_t va, uint32_t access)
{
    struct access a = {0};
    SCODE sc = vtlb_soft_access(as, va, access, &a.pa, &a.reason);
    a.ok = sc == S_OK;
    if (sc != S_OK && sc != VM_E_EXCEPTION)
        a.fault_error = sc;
    return a;
}

uint8_t vm_read8(struct as *as, vaddr_t va)
{
    struct access a = vm_access(as, va, AS_PROT_READ);
    cr_assert(a.ok, "read of %#lx: %s", (unsigned long)va, vm_exception_name(a.reason));
    return *(uint8_t *)phys_to_virt(a.pa);
}

void vm_write8(struct as *as, vaddr_t va, uint8_t v)
{
    struct access a = vm_access(as, va, AS_PROT_WRITE);
    cr_assert(a.ok, "write of %#lx: %s", (unsigned long)va, vm_exception_name(a.reason));
    *(uint8_t *)phys_to_virt(a.pa) = v;
}

struct check_ctx {
    struct as *as;
    int bad;
};

static void check_entry(const struct vtlb_soft_entry *e, void *arg)
{
    struct check_ctx *c = arg;
    if (e->tag != c->as->vtlb_tag)
        return;
    static const uint32_t rights[] = {AS_PROT_READ, AS_PROT_WRITE, AS_PROT_EXECUTE};
    for (int i = 0; i < 3; i++) {
        if (!(e->prot & rights[i]))
            continue;
        struct vtlb_mapping m;
        vtlb_miss(c->as, e->vpage, rights[i], &m);
        paddr_t pa = m.pa + (e->vpage - m.va);
        if (m.kind != VTLB_ENTER || pa != e->ppage || (e->prot & ~m.prot)) {
            cr_log_error("VTLB entry %#lx -> %#lx prot %#x disagrees with the tree (kind %d, "
                         "pa %#lx, prot %#x)",
                         (unsigned long)e->vpage, (unsigned long)e->ppage, e->prot, m.kind,
                         (unsigned long)pa, m.prot);
            c->bad++;
            return;
        }
    }
}

void vm_check_vtlb(struct as *as)
{
    struct check_ctx c = {as, 0};
    vtlb_soft_foreach(check_entry, &c);
    cr_assert_eq(c.bad, 0, "%d stale VTLB entries in %s", c.bad, as->name);
}

size_t vm_free_pages(void)
{
    struct pmem_stats s;
    pmem_get_stats(&s);
    return s.free_pages + vmtest_heap.pages;
}
