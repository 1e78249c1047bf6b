/* The user runtime's heap (lib/heap.c) on the host, over a fake
 * IAddressSpace whose Allocate and Deallocate hand out and take back
 * page-aligned host memory and count what is live. */
#include <IAddressSpace.h>
#include <criterion/criterion.h>
#include <lib/heap.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fake_space {
    IAddressSpace itf;
    int live;      /* allocations not deallocated */
    int allocs;    /* Allocate calls */
    int refuse_at; /* Allocate number that fails (0: none) */
};

static struct fake_space space;

static SCODE fake_allocate(IAddressSpace *This, ADDRESS *pAddr, ADDR_SIZE Size, ADDR_FLAGS Flags)
{
    (void)This;
    cr_assert_eq(Size % HEAP_PAGE_SIZE, 0, "whole pages");
    cr_assert(Flags & AS_ANYWHERE);
    cr_assert_eq(Flags & AS_PROT_MASK, AS_PROT_READ | AS_PROT_WRITE);
    if (++space.allocs == space.refuse_at)
        return VM_E_NO_MEMORY;
    void *p = aligned_alloc(HEAP_PAGE_SIZE, Size);
    cr_assert_not_null(p);
    memset(p, 0xa5, Size); /* the heap may assume nothing of new memory */
    space.live++;
    *pAddr = (ADDRESS)p;
    return S_OK;
}

static SCODE fake_deallocate(IAddressSpace *This, ADDRESS Addr, ADDR_SIZE Size)
{
    (void)This;
    cr_assert_eq(Addr % HEAP_PAGE_SIZE, 0);
    cr_assert_eq(Size % HEAP_PAGE_SIZE, 0);
    free((void *)Addr);
    space.live--;
    return S_OK;
}

static const struct IAddressSpaceVtbl fake_vtbl = {
    .Allocate = fake_allocate,
    .Deallocate = fake_deallocate,
};

/* The runtime's accessor (lib/start.c in programs). */
IAddressSpace *CurrentAddressSpace(void)
{
    return &space.itf;
}

/* Chunks are never returned, so the test's leaks are the heap's design:
 * every test forgets them (the host has the memory back at exit). */
static void setup(void)
{
    space = (struct fake_space){.itf = {&fake_vtbl}};
    rt_heap_reset();
}

TestSuite(lib_heap, .init = setup);

Test(lib_heap, blocks_are_aligned_distinct_and_writable)
{
    char *p[100];
    for (int i = 0; i < 100; i++) {
        p[i] = rt_malloc((size_t)i * 7);
        cr_assert_not_null(p[i]);
        cr_assert_eq((uintptr_t)p[i] % _Alignof(max_align_t), 0);
        memset(p[i], i, (size_t)i * 7);
    }
    for (int i = 0; i < 100; i++) {
        for (int k = 0; k < i * 7; k++)
            cr_assert_eq((unsigned char)p[i][k], i, "block %d overwritten", i);
    }
    for (int i = 0; i < 100; i++)
        rt_free(p[i]);
}

Test(lib_heap, zero_bytes_gives_unique_pointers)
{
    void *a = rt_malloc(0), *b = rt_malloc(0);
    cr_assert(a && b && a != b);
    rt_free(a);
    rt_free(b);
    rt_free(NULL);
}

Test(lib_heap, freed_neighbours_merge_back_into_one_chunk)
{
    void *p[64];
    for (int i = 0; i < 64; i++)
        p[i] = rt_malloc(200);
    struct rt_heap_stats st;
    rt_heap_stats(&st);
    cr_assert_eq(st.chunks, 1);
    /* odd ones first (no neighbour free), then the even ones join them */
    for (int i = 1; i < 64; i += 2)
        rt_free(p[i]);
    rt_heap_stats(&st);
    cr_expect_geq(st.free_blocks, 32);
    for (int i = 0; i < 64; i += 2)
        rt_free(p[i]);
    rt_heap_stats(&st);
    cr_expect_eq(st.free_blocks, 1, "%zu free blocks", st.free_blocks);
    cr_expect_eq(st.free_bytes, HEAP_CHUNK);
    /* and the whole chunk serves a large request again */
    void *big = rt_malloc(HEAP_BIG - 64);
    cr_expect_not_null(big);
    rt_heap_stats(&st);
    cr_expect_eq(st.chunks, 1);
}

Test(lib_heap, big_blocks_get_their_own_pages_and_give_them_back)
{
    char *p = rt_malloc(HEAP_BIG * 3);
    cr_assert_not_null(p);
    memset(p, 1, HEAP_BIG * 3);
    cr_expect_eq(space.live, 1);
    struct rt_heap_stats st;
    rt_heap_stats(&st);
    cr_expect_eq(st.big_blocks, 1);
    cr_expect_eq(st.chunks, 0);
    rt_free(p);
    cr_expect_eq(space.live, 0);
}

Test(lib_heap, sizes_that_overflow_are_refused)
{
    cr_expect_null(rt_malloc(SIZE_MAX));
    cr_expect_null(rt_malloc(SIZE_MAX - 8));
    cr_expect_null(rt_malloc(SIZE_MAX - HEAP_PAGE_SIZE));
    cr_expect_null(rt_calloc(SIZE_MAX / 2, 3));
    cr_expect_null(rt_calloc(3, SIZE_MAX / 2));
    cr_expect_eq(space.allocs, 0, "no call reached the space");
}

Test(lib_heap, calloc_zeroes_reused_memory)
{
    unsigned char *p = rt_malloc(300);
    memset(p, 0xff, 300);
    rt_free(p);
    unsigned char *q = rt_calloc(30, 10);
    cr_assert_not_null(q);
    for (int i = 0; i < 300; i++)
        cr_assert_eq(q[i], 0);
}

Test(lib_heap, realloc_keeps_the_contents)
{
    char *p = rt_realloc(NULL, 10);
    memcpy(p, "0123456789", 10);
    p = rt_realloc(p, 5000);
    cr_assert_not_null(p);
    cr_expect_eq(memcmp(p, "0123456789", 10), 0);
    p = rt_realloc(p, HEAP_BIG * 2);
    cr_assert_not_null(p);
    cr_expect_eq(memcmp(p, "0123456789", 10), 0);
    char *same = rt_realloc(p, 20);
    cr_expect_eq(same, p, "a shrink stays in place");
    cr_expect_null(rt_realloc(p, SIZE_MAX), "an overflowing size fails");
    rt_free(p);
}

Test(lib_heap, a_refusing_space_gives_null)
{
    space.refuse_at = 1;
    cr_expect_null(rt_malloc(10));
    cr_expect_not_null(rt_malloc(10), "the next Allocate succeeds");
}

Test(lib_heap, a_double_free_traps, .signal = SIGILL)
{
    void *p = rt_malloc(40);
    rt_free(p);
    rt_free(p);
}

Test(lib_heap, freeing_a_pointer_not_from_the_heap_traps, .signal = SIGILL)
{
    static max_align_t junk[8];
    rt_free(&junk[4]);
}

/* Random allocations, frees and reallocs, each block filled with its own
 * byte: no block ever overlaps another, and at the end the free list is
 * whole chunks again. */
Test(lib_heap, random_use_keeps_blocks_apart)
{
    enum { N = 200 };
    unsigned char *p[N] = {0};
    size_t len[N] = {0};
    srand(7);
    for (int round = 0; round < 20000; round++) {
        int i = rand() % N;
        if (p[i]) {
            for (size_t k = 0; k < len[i]; k++)
                cr_assert_eq(p[i][k], (unsigned char)i, "block %d overwritten", i);
        }
        if (p[i] && rand() % 3 == 0) {
            rt_free(p[i]);
            p[i] = NULL;
            continue;
        }
        size_t n = (size_t)(rand() % 4 == 0 ? rand() % (3 * HEAP_BIG) : rand() % 512);
        p[i] = p[i] ? rt_realloc(p[i], n) : rt_malloc(n);
        cr_assert_not_null(p[i]);
        len[i] = n;
        memset(p[i], i, n);
    }
    for (int i = 0; i < N; i++)
        rt_free(p[i]);
    struct rt_heap_stats st;
    rt_heap_stats(&st);
    cr_expect_eq(st.big_blocks, 0);
    cr_expect_eq(space.live, (int)st.chunks, "only chunks stay allocated");
    cr_expect_eq(st.free_bytes, st.chunks * HEAP_CHUNK);
    cr_expect_leq(st.free_blocks, st.chunks);
}
