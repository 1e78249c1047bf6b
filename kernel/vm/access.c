/* Reaching a space's pages through their physical frames, whether or not
 * the space is active (see <kernel/vm/access.h>). */
#include <arch/mmu.h>
#include <kernel/string.h>
#include <kernel/vm/access.h>
#include <kernel/vm/vtlb.h>

SCODE as_write_through(struct as *as, vaddr_t va, const void *src, size_t n)
{
    while (n) {
        struct vtlb_mapping m;
        enum vtlb_result r = vtlb_miss(as, va, AS_PROT_WRITE, &m);
        if (r == VTLB_AUTOCOMMIT_FAULT || r == VTLB_COW_FAULT) {
            SCODE sc = as_resolve_fault(as, va, AS_PROT_WRITE);
            if (FAILED(sc))
                return sc;
            continue;
        }
        if (r != VTLB_ENTER)
            return VM_E_EXCEPTION;
        size_t off = va & (PAGE_SIZE - 1), chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
        memcpy((char *)phys_to_virt(m.pa + (va - m.va)), src, chunk);
        va += chunk, src = (const char *)src + chunk, n -= chunk;
    }
    return S_OK;
}

bool as_frame_of(struct as *as, vaddr_t va, paddr_t *pa)
{
    struct vtlb_mapping m;
    if (vtlb_miss(as, va, AS_PROT_READ, &m) != VTLB_ENTER)
        return false;
    *pa = m.pa + ((va & ~(vaddr_t)(PAGE_SIZE - 1)) - m.va);
    return true;
}
