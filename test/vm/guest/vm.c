/* The machine-independent VM in the guest, on both arches: a kernel-made
 * address space, driven through the same code the host tests use, its
 * memory reached through the arch's VTLB and MMU (the space is made
 * current and touched at its user addresses). The runner's leak check
 * then sees every page (contents, nodes, arrays) come back. */
#include <kernel/ktest.h>
#include <kernel/sched/np.h>
#include <kernel/sched/sched.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vm.h>
#include <kernel/vm/vtlb.h>

#define PG PAGE_SIZE

static struct heap test_heap;

KTEST(vm_address_space_sequence)
{
    struct as as;
    heap_init(&test_heap, "vm test");
    as_init(&as, "guest", USER_BASE, USER_END, &test_heap);
    vaddr_t a = 0x100000;
    KT_ASSERT_EQ(as_reserve(&as, &a, 64 * PG, 0), S_OK);
    KT_ASSERT_EQ(as_commit(&as, a, 16 * PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT_EQ(as_commit(&as, a + 16 * PG, 16 * PG,
                           AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_AUTO | AS_COMMIT_ALLOC_ZERO),
                 S_OK);
    uint32_t v;
    for (uint32_t i = 0; i < 32; i++)
        KT_ASSERT(vm_poke32(&as, a + i * PG + 4, i + 1));
    for (uint32_t i = 0; i < 32; i++)
        KT_ASSERT(vm_peek32(&as, a + i * PG + 4, &v) && v == i + 1);
    KT_ASSERT(vm_peek32(&as, a + 17 * PG + 8, &v) && v == 0); /* alloc-zero */
    KT_ASSERT_EQ(as_protect(&as, a, 8 * PG, AS_PROT_READ), S_OK);
    KT_ASSERT(!vm_poke32(&as, a + PG, 1));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_PROTECTION);
    KT_ASSERT(!vm_peek32(&as, a + 40 * PG, &v));
    KT_ASSERT_EQ(vm_last_fault.reason, VMX_RESERVED);

    ADDR_REGION_INFO info;
    KT_ASSERT_EQ(as_query(&as, a + 20 * PG, &info), S_OK);
    KT_ASSERT_EQ(info.State, AS_STATE_COMMITTED);
    KT_ASSERT_EQ(info.Base, a + 20 * PG);
    KT_ASSERT_EQ(info.Size, 12 * PG);
    KT_ASSERT_EQ(info.ReservationBase, a);

    /* a copy-on-write view in a second space */
    struct as view;
    as_init(&view, "view", USER_BASE, USER_END, &test_heap);
    vaddr_t vv = 0;
    KT_ASSERT_EQ(as_map_range(&view, &vv, 16 * PG,
                              AS_ANYWHERE | AS_PROT_READ | AS_PROT_WRITE | AS_MAP_COPY_ON_WRITE,
                              &as, a + 16 * PG),
                 S_OK);
    KT_ASSERT(vm_peek32(&view, vv + 3 * PG + 4, &v) && v == 20);
    KT_ASSERT(vm_poke32(&view, vv + 3 * PG + 4, 99));
    KT_ASSERT(vm_peek32(&as, a + 19 * PG + 4, &v) && v == 20);
    as_check(&as);
    as_check(&view);
    as_destroy(&view);

    KT_ASSERT_EQ(as_deallocate(&as, a, 64 * PG), S_OK);
    as_check(&as);
    KT_ASSERT_EQ(as.nregions, 0);
    as_destroy(&as);
    KT_ASSERT_EQ(test_heap.pages, 0);
}

/* The kernel's own space keeps its nodes in their own heap, in unmapped
 * memory (a kernel VTLB miss reads them and must not miss again). */
KTEST(vm_kernel_space_nodes_are_unmapped)
{
    uint64_t allocs = kernel_as_heap.allocs, general = kernel_heap.allocs;
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, 4 * PG, AS_ANYWHERE), S_OK);
    KT_ASSERT(a >= KERNEL_MAPPED_BASE && a < KERNEL_MAPPED_END);
    KT_ASSERT_EQ(as_commit(&kernel_as, a, 4 * PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    KT_ASSERT(kernel_as_heap.allocs > allocs); /* its nodes came from there */
    KT_ASSERT_EQ(kernel_heap.allocs, general);
    uintptr_t node = (uintptr_t)kernel_as.root;
    KT_ASSERT(node >= UNMAPPED_BASE && node - UNMAPPED_BASE < UNMAPPED_SIZE);
    as_check(&kernel_as);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, 4 * PG), S_OK);
}

/* A page committed dealloc-no-erase goes to the next plain commit exactly
 * as its owner left it, every word of it: the page allocator keeps its
 * no-erase stack outside the pages, so not even the first word carries a
 * link (a kernel physical address) to the next owner. The plain commit
 * takes the page back because the no-erase stack is last-in first-out
 * and plain commits prefer it. */
KTEST(vm_noerase_page_is_handed_over_whole)
{
    vaddr_t a = 0;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &a, PG, AS_ANYWHERE), S_OK);
    KT_ASSERT_EQ(
        as_commit(&kernel_as, a, PG, AS_PROT_READ | AS_PROT_WRITE | AS_COMMIT_DEALLOC_NO_ERASE),
        S_OK);
    volatile uint32_t *w = (volatile uint32_t *)a;
    for (uint32_t i = 0; i < PG / 4; i++)
        w[i] = 0xc0de0000u + i;
    KT_ASSERT_EQ(as_decommit(&kernel_as, a, PG), S_OK);
    KT_ASSERT_EQ(as_commit(&kernel_as, a, PG, AS_PROT_READ | AS_PROT_WRITE), S_OK);
    uint32_t changed = 0;
    while (changed < PG / 4 && w[changed] == 0xc0de0000u + changed)
        changed++;
    KT_ASSERT_EQ(as_deallocate(&kernel_as, a, PG), S_OK);
    KT_ASSERT_EQ(changed, PG / 4); /* the first word that is not the old owner's */
}

/* Paper 3.2.2: the kernel space's mutations run on the interrupt stack, so
 * a kernel VTLB miss never happens while they hold its spinlock (the miss
 * path takes it: "spinlock kernel taken twice"). The bad sequence, forced:
 * a thread with a growable stack probes, the VTLB then forgets the stack
 * pages below the current one (as it may while the thread is preempted),
 * and a kernel-space mutation runs with its frames reaching into them.
 * Where the first touch of a forgotten page falls depends on frame sizes,
 * so the stack pointer is swept across the first ~1 KiB above the page
 * boundary, and the tree is made tall (KSTACK_SECTIONS one-page sections)
 * so the mutation's recursive tree_remove under the lock goes deeper than
 * anything before the lock. Without the switch this panics. */
#define KSTACK_SECTIONS 1024
#define KSTACK_SWEEP    256 /* stack positions, KSTACK_STEP bytes apart */
#define KSTACK_STEP     4

static vaddr_t kstack_base;
static SCODE kstack_error;

/* Deallocate section i with the stack pointer about d bytes above edge. */
static __attribute__((noinline)) void deallocate_at(uintptr_t edge, uintptr_t d, size_t i)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    volatile char *pad = __builtin_alloca(sp - edge - d);
    pad[0] = 0;
    SCODE sc = as_deallocate(&kernel_as, kstack_base + i * PG, 0);
    if (sc != S_OK)
        kstack_error = sc;
}

/* sp is well inside the page above edge: what runs here stays there. */
static __attribute__((noinline)) void forget_then_deallocate(uintptr_t edge, uintptr_t d, size_t i)
{
    vtlb_remove(&kernel_as, edge - 2 * PG, 2 * PG);
    vtlb_synchronize();
    deallocate_at(edge, d, i);
}

static __attribute__((noinline)) void sweep_one(size_t i)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t edge = (sp - 2048) & ~(uintptr_t)(PG - 1);
    volatile char *pad = __builtin_alloca(sp - edge - 1536); /* sp: about edge + 1.5 KiB */
    pad[0] = 0;
    /* The probe commits the page below edge and holds the probe count, so
     * no later probe touches it again and the stack trim keeps it. */
    stack_probe();
    forget_then_deallocate(edge, i * KSTACK_STEP, i);
    stack_unprobe();
}

static void sweeper(void *arg)
{
    (void)arg;
    for (size_t i = 0; i < KSTACK_SWEEP; i++)
        sweep_one(i);
}

KTEST(vm_kernel_mutations_survive_a_forgotten_thread_stack)
{
    KT_ASSERT(kernel_as.mutate_on_interrupt_stack);
    size_t regions = kernel_as.nregions;
    KT_ASSERT_EQ(as_reserve(&kernel_as, &kstack_base, KSTACK_SECTIONS * PG, AS_ANYWHERE), S_OK);
    KT_ASSERT_EQ(as_deallocate(&kernel_as, kstack_base, KSTACK_SECTIONS * PG), S_OK);
    for (size_t i = 0; i < KSTACK_SECTIONS; i++) {
        vaddr_t a = kstack_base + i * PG;
        KT_ASSERT_EQ(as_reserve(&kernel_as, &a, PG, AS_RESERVE_SECTION), S_OK);
    }
    struct vtlb_stats v0, v1;
    vtlb_get_stats(&v0);
    kstack_error = S_OK;
    struct thread *t = thread_create("sweeper", PRIO_NORMAL - 1, sweeper, 0);
    KT_ASSERT(t != 0);
    thread_join(t);
    vtlb_get_stats(&v1);
    for (size_t i = KSTACK_SWEEP; i < KSTACK_SECTIONS; i++)
        KT_ASSERT_EQ(as_deallocate(&kernel_as, kstack_base + i * PG, 0), S_OK);
    KT_ASSERT_EQ(kstack_error, S_OK);
    KT_ASSERT_EQ(kernel_as.nregions, regions);
    as_check(&kernel_as);
    /* the sequence really ran: the mutations missed on the forgotten pages */
    KT_ASSERT(v1.kernel_misses - v0.kernel_misses >= KSTACK_SWEEP / 8);
}
