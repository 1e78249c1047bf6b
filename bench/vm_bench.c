/* vm_bench: what kernel/vm costs with a large tree, on the host (issue 3's
 * closing note). One address space holds 10,000 one-page reservations
 * with one-page gaps, every other one committed; against that tree it
 * times Reserve and Deallocate of fresh regions, Commit (erased and
 * auto-commit) and Decommit of reserved ones, and the VTLB miss path's
 * tree lookup (vtlb_miss, under the spinlock), and it reports the heap
 * bytes the tree uses per region, nodes and page arrays apart.
 * Not a test: it prints numbers. Build it with -O2 and no sanitizers. */
#include <kernel/vm/vm.h>
#include <kernel/vm/vtlb.h>
#include <vtlb_soft.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define P          PAGE_SIZE
#define PHYS_SIZE  (64u << 20)
#define NREGIONS   10000
#define BATCH      1000 /* operations per timed batch */
#define ROUNDS     20   /* batches; the fastest is reported */
#define NLOOKUPS   1000000
#define TREE_BASE  0x100000u
#define FRESH_BASE 0x10000000u /* above the tree: where fresh regions go */

static struct heap heap;
static struct as as;

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static void check(SCODE sc, const char *what)
{
    if (sc != S_OK) {
        fprintf(stderr, "vm_bench: %s failed: %#x\n", what, (unsigned)sc);
        exit(1);
    }
}

static vaddr_t tree_region(size_t i)
{
    return TREE_BASE + 2 * i * P;
}

/* The 10,000-region tree; returns ns per Reserve while building it. */
static double build_tree(size_t *node_bytes)
{
    double t0 = now_ns();
    for (size_t i = 0; i < NREGIONS; i++) {
        vaddr_t a = tree_region(i);
        check(as_reserve(&as, &a, P, 0), "Reserve");
    }
    double ns = (now_ns() - t0) / NREGIONS;
    *node_bytes = heap.bytes / as.nregions; /* reserved regions have no page array */
    for (size_t i = 0; i < NREGIONS; i += 2)
        check(as_commit(&as, tree_region(i), P, AS_PROT_READ | AS_PROT_WRITE), "Commit");
    return ns;
}

static double best(double a, double b)
{
    return a < b ? a : b;
}

/* Reserve, then Deallocate, BATCH fresh one-page regions. */
static void time_reserve(double *reserve, double *deallocate)
{
    *reserve = *deallocate = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_ns();
        for (size_t i = 0; i < BATCH; i++) {
            vaddr_t a = FRESH_BASE + 2 * i * P;
            check(as_reserve(&as, &a, P, 0), "Reserve");
        }
        double t1 = now_ns();
        for (size_t i = 0; i < BATCH; i++)
            check(as_deallocate(&as, FRESH_BASE + 2 * i * P, P), "Deallocate");
        double t2 = now_ns();
        *reserve = best(*reserve, (t1 - t0) / BATCH);
        *deallocate = best(*deallocate, (t2 - t1) / BATCH);
    }
}

/* Commit (with these flags), then Decommit, BATCH of the tree's reserved
 * regions, spread over the whole tree. */
static void time_commit(uint32_t flags, double *commit, double *decommit)
{
    *commit = *decommit = 1e30;
    const size_t step = NREGIONS / BATCH;
    for (int r = 0; r < ROUNDS; r++) {
        size_t first = 1 + 2 * (size_t)(r % (int)(step / 2));
        double t0 = now_ns();
        for (size_t i = first; i < NREGIONS; i += step)
            check(as_commit(&as, tree_region(i), P, AS_PROT_READ | flags), "Commit");
        double t1 = now_ns();
        for (size_t i = first; i < NREGIONS; i += step)
            check(as_decommit(&as, tree_region(i), P), "Decommit");
        double t2 = now_ns();
        *commit = best(*commit, (t1 - t0) / BATCH);
        *decommit = best(*decommit, (t2 - t1) / BATCH);
    }
}

/* vtlb_miss on committed pages in a scattered order. */
static double time_lookup(void)
{
    double fastest = 1e30;
    struct vtlb_mapping m;
    unsigned long sum = 0;
    for (int r = 0; r < 5; r++) {
        uint32_t x = 12345;
        double t0 = now_ns();
        for (size_t n = 0; n < NLOOKUPS; n++) {
            x = x * 1664525u + 1013904223u;
            size_t i = (x >> 8) % (NREGIONS / 2) * 2;
            sum += vtlb_miss(&as, tree_region(i) + 8, AS_PROT_READ, &m) == VTLB_ENTER;
        }
        fastest = best(fastest, (now_ns() - t0) / NLOOKUPS);
    }
    if (sum != 5ul * NLOOKUPS) {
        fprintf(stderr, "vm_bench: %lu of the lookups missed\n", 5ul * NLOOKUPS - sum);
        exit(1);
    }
    return fastest;
}

static void report_bytes(size_t node_bytes)
{
    size_t committed = NREGIONS / 2;
    size_t array_bytes = heap.bytes - as.nregions * node_bytes;
    printf("tree: %zu regions (%zu committed), %zu heap bytes in use = %.1f bytes/region\n",
           as.nregions, committed, heap.bytes, (double)heap.bytes / as.nregions);
    printf("  nodes %zu bytes each; page arrays %zu bytes in all (%.1f per committed region)\n",
           node_bytes, array_bytes, (double)array_bytes / committed);
    printf("  slab pages %zu (%zu bytes, %.1f bytes/region with slab slack)\n", heap.pages,
           heap.pages * P, (double)heap.pages * P / as.nregions);
}

int main(void)
{
    host_phys_mem = aligned_alloc(P, PHYS_SIZE);
    if (!host_phys_mem)
        return 1;
    struct mem_range all = {P, PHYS_SIZE - P};
    pmem_init(&all, 1, NULL, 0);
    heap_init(&heap, "bench");
    vtlb_soft_configure(512, 2);
    as_init(&as, "bench", 0x10000, 0x40000000, &heap);

    size_t node_bytes;
    double build = build_tree(&node_bytes);
    report_bytes(node_bytes);
    double reserve, deallocate, commit, decommit, commit_auto, decommit_auto;
    time_reserve(&reserve, &deallocate);
    time_commit(0, &commit, &decommit);
    time_commit(AS_COMMIT_AUTO, &commit_auto, &decommit_auto);
    double lookup = time_lookup();
    as_check(&as);
    printf("ns per operation with a %d-region tree (fastest of %d batches of %d):\n", NREGIONS,
           ROUNDS, BATCH);
    printf("  Reserve            %7.1f  (%.1f while building the tree)\n", reserve, build);
    printf("  Deallocate         %7.1f\n", deallocate);
    printf("  Commit 1 page      %7.1f  (page allocated and erased)\n", commit);
    printf("  Decommit 1 page    %7.1f\n", decommit);
    printf("  Commit auto        %7.1f  (no page until touched)\n", commit_auto);
    printf("  Decommit auto      %7.1f\n", decommit_auto);
    printf("  lookup (vtlb_miss) %7.1f  (fastest of 5 x %d)\n", lookup, NLOOKUPS);
    as_destroy(&as);
    free(host_phys_mem);
    return 0;
}
