/* Handle tables (kernel/proc/handle.c): a handle names its object in its
 * own table only; closed, forged, zero and foreign handles find nothing;
 * references are counted through lookups, closes and the table's end. */
#include "../vm/vmtest.h" /* the host's physical memory, under the heap */

#include <criterion/criterion.h>
#include <kernel/proc/handle.h>
#include <stdlib.h>

TestSuite(proc_handle, .init = vmtest_init, .fini = vmtest_fini);

/* A counted object that records its references. */
struct counted {
    IUnknown unk;
    int refs;
};

static SCODE c_qi(IUnknown *This, REFIID riid, void **ppv)
{
    (void)riid;
    *ppv = This;
    return S_OK;
}

static SCODE c_addref(IUnknown *This)
{
    ((struct counted *)(void *)This)->refs++;
    return S_OK;
}

static SCODE c_release(IUnknown *This)
{
    ((struct counted *)(void *)This)->refs--;
    return S_OK;
}

static const struct IUnknownVtbl counted_vtbl = {c_qi, c_addref, c_release};

static struct heap heap;

static void table(struct handle_table *t, uint32_t capacity)
{
    heap_init(&heap, "handles");
    cr_assert_eq(handle_table_init(t, &heap, capacity), S_OK);
}

Test(proc_handle, a_handle_names_its_object_and_counts_references)
{
    struct handle_table t;
    table(&t, 8);
    struct counted a = {{&counted_vtbl}, 1}, b = {{&counted_vtbl}, 1};
    uint32_t ha, hb;
    cr_assert_eq(handle_insert(&t, &a.unk, NULL, &ha), S_OK);
    cr_assert_eq(handle_insert(&t, &b.unk, NULL, &hb), S_OK);
    cr_expect_neq(ha, 0);
    cr_expect_neq(ha, hb);
    IUnknown *o;
    cr_assert_eq(handle_lookup(&t, hb, &o, NULL), S_OK);
    cr_expect_eq(o, &b.unk);
    cr_expect_eq(b.refs, 2, "the lookup's own reference");
    o->lpVtbl->Release(o);
    cr_expect_eq(handle_close(&t, ha), S_OK);
    cr_expect_eq(a.refs, 0, "closing released the table's reference");
    cr_expect_eq(handle_lookup(&t, ha, &o, NULL), E_HANDLE, "a closed handle names nothing");
    cr_expect_null(o);
    cr_expect_eq(handle_close(&t, ha), E_HANDLE, "nor can it be closed twice");
    handle_table_fini(&t);
    cr_expect_eq(b.refs, 0, "the table's end closes what is left");
    cr_expect_eq(heap.pages, 0);
}

Test(proc_handle, a_reused_slot_does_not_answer_its_old_handle)
{
    struct handle_table t;
    table(&t, 1);
    struct counted a = {{&counted_vtbl}, 1}, b = {{&counted_vtbl}, 1};
    uint32_t ha, hb;
    cr_assert_eq(handle_insert(&t, &a.unk, NULL, &ha), S_OK);
    cr_assert_eq(handle_close(&t, ha), S_OK);
    cr_assert_eq(handle_insert(&t, &b.unk, NULL, &hb), S_OK);
    cr_expect_eq(hb & (HANDLE_MAX_SLOTS - 1), ha & (HANDLE_MAX_SLOTS - 1), "the same slot");
    IUnknown *o;
    cr_expect_eq(handle_lookup(&t, ha, &o, NULL), E_HANDLE);
    cr_expect_eq(b.refs, 1, "b was not touched through the stale handle");
    handle_table_fini(&t);
}

Test(proc_handle, forged_zero_and_foreign_handles_find_nothing)
{
    struct handle_table t, other;
    table(&t, 16);
    cr_assert_eq(handle_table_init(&other, &heap, 16), S_OK);
    struct counted a = {{&counted_vtbl}, 1}, b = {{&counted_vtbl}, 1};
    uint32_t ha, hb;
    cr_assert_eq(handle_insert(&t, &a.unk, NULL, &ha), S_OK);
    cr_assert_eq(handle_insert(&other, &b.unk, NULL, &hb), S_OK);
    IUnknown *o;
    cr_expect_eq(handle_lookup(&t, hb, &o, NULL), E_HANDLE, "another table's handle");
    cr_expect_eq(handle_lookup(&other, ha, &o, NULL), E_HANDLE);
    cr_expect_eq(handle_lookup(&t, 0, &o, NULL), E_HANDLE);
    cr_expect_eq(handle_close(&t, 0), E_HANDLE, "0 is never a handle, not even slot 0's");
    cr_expect_eq(t.in_use, 1);
    cr_expect_eq(handle_lookup(&t, ha & (HANDLE_MAX_SLOTS - 1), &o, NULL), E_HANDLE, "serial 0");
    cr_expect_eq(handle_lookup(&t, ha ^ (1u << HANDLE_INDEX_BITS), &o, NULL), E_HANDLE,
                 "wrong serial");
    cr_expect_eq(handle_lookup(&t, (ha & ~(HANDLE_MAX_SLOTS - 1u)) | 1000u, &o, NULL), E_HANDLE,
                 "slot past the table");
    srand(5);
    for (int i = 0; i < 100000; i++) {
        uint32_t h = (uint32_t)rand() << 1 ^ (uint32_t)rand();
        if (h != ha)
            cr_assert_eq(handle_lookup(&t, h, &o, NULL), E_HANDLE, "forged %#x", h);
    }
    cr_expect_eq(a.refs, 1);
    handle_table_fini(&t);
    handle_table_fini(&other);
    cr_expect_eq(heap.pages, 0);
}

Test(proc_handle, a_full_table_refuses_and_keeps_the_reference_with_the_caller)
{
    struct handle_table t;
    table(&t, 3);
    struct counted a = {{&counted_vtbl}, 4};
    uint32_t h[4];
    for (int i = 0; i < 3; i++)
        cr_assert_eq(handle_insert(&t, &a.unk, NULL, &h[i]), S_OK);
    cr_expect_eq(handle_insert(&t, &a.unk, NULL, &h[3]), E_OUTOFMEMORY);
    cr_expect_eq(t.in_use, 3);
    cr_expect_eq(handle_close(&t, h[1]), S_OK);
    cr_expect_eq(handle_insert(&t, &a.unk, NULL, &h[3]), S_OK, "a closed slot is free again");
    handle_table_fini(&t);
    cr_expect_eq(a.refs, 0, "four references: three handles and the refused one's owner");
}

Test(proc_handle, capacity_is_bounded)
{
    struct handle_table t;
    heap_init(&heap, "handles");
    cr_expect_eq(handle_table_init(&t, &heap, 0), E_INVALIDARG);
    cr_expect_eq(handle_table_init(&t, &heap, handle_table_max() + 1), E_INVALIDARG);
    cr_assert_eq(handle_table_init(&t, &heap, handle_table_max()), S_OK);
    handle_table_fini(&t);
}

Test(proc_handle, a_handle_keeps_its_type_and_closes_at_its_last_release)
{
    struct handle_table t;
    table(&t, 4);
    struct counted a = {{&counted_vtbl}, 1};
    static const int type_a = 0;
    uint32_t h;
    cr_assert_eq(handle_insert(&t, &a.unk, &type_a, &h), S_OK);
    IUnknown *o;
    const void *type = NULL;
    cr_assert_eq(handle_lookup(&t, h, &o, &type), S_OK);
    cr_expect_eq(type, &type_a, "the type given at insert");
    o->lpVtbl->Release(o);
    SCODE sc;
    cr_expect_eq(handle_addref(&t, h, &sc), 2);
    cr_expect_eq(sc, S_OK);
    cr_expect_eq(handle_release(&t, h, &sc), 1);
    cr_expect_eq(a.refs, 1, "the handle still holds its reference");
    cr_expect_eq(handle_release(&t, h, &sc), 0);
    cr_expect_eq(sc, S_OK);
    cr_expect_eq(a.refs, 0, "the last release closed the handle and released the object");
    cr_expect_eq(handle_lookup(&t, h, &o, NULL), E_HANDLE);
    cr_expect_eq(handle_release(&t, h, &sc), 0);
    cr_expect_eq(sc, E_HANDLE, "a closed handle cannot be released again");
    cr_expect_eq(handle_addref(&t, h, &sc), 0);
    cr_expect_eq(sc, E_HANDLE);
    handle_table_fini(&t);
}
