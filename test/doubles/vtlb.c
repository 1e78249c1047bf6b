/* The host tests' VTLB is the reference software cache. */
#include <vtlb_soft.h>

void vtlb_enter(struct as *as, vaddr_t va, const struct vtlb_mapping *m)
{
    vtlb_soft_enter(as, va, m);
}

void vtlb_remove(struct as *as, vaddr_t va, size_t size)
{
    vtlb_soft_remove(as, va, size);
}

void vtlb_flush(struct as *as)
{
    vtlb_soft_flush(as);
}

void vtlb_synchronize(void) {}

void vtlb_as_init(struct as *as)
{
    vtlb_soft_as_init(as);
}

void vtlb_as_fini(struct as *as)
{
    vtlb_soft_as_fini(as);
}

void vtlb_activate(struct as *as)
{
    (void)as; /* the simulated processor names the space in every access */
}

void vtlb_get_stats(struct vtlb_stats *s)
{
    struct vtlb_soft_stats soft;
    vtlb_soft_get_stats(&soft);
    *s = (struct vtlb_stats){.bound = VTLB_SOFT_MAX_ENTRIES,
                             .mapping_bytes = soft.valid * sizeof(struct vtlb_soft_entry)};
}

bool vtlb_set_bound(unsigned n)
{
    if (n < 2 || n > VTLB_SOFT_MAX_ENTRIES || (n & (n - 1)))
        return false;
    vtlb_soft_configure(n, 2);
    return true;
}
