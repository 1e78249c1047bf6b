/* IAddressSpace::Map from user processes (apps/test_map): the program is
 * given another address space's memory object, or a live process, as its
 * Extra handle and maps it every way (copy-on-write from both sides,
 * no-exception mappings, views, chains), counting free pages as it goes;
 * the runner then checks every page and heap byte came back. */
#include <kernel/ktest.h>
#include <kernel/proc/process.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/object.h>

static void free_space(struct as *as, void *arg)
{
    (void)arg;
    as_destroy(as);
    heap_free(&kernel_heap, as);
}

/* Run test_map MODE with extra (interface iid) as its Extra handle. */
static int32_t run_map(const char *mode, IUnknown *extra, const IID *iid)
{
    struct process *p;
    SCODE sc =
        process_spawn_with("test_map", 2, (const char *const[]){"test_map", mode}, extra, iid, &p);
    if (FAILED(sc)) {
        ktest_fail(__FILE__, __LINE__, "cannot start test_map: %#x", (unsigned)sc);
        return -1;
    }
    int32_t code = process_wait(p);
    process_release(p);
    return code;
}

/* The source is a bare space the kernel made, reached only through its
 * IMemoryObject. */
KTEST(user_map_memory_objects)
{
    struct as *as = heap_alloc(&kernel_heap, sizeof *as);
    KT_ASSERT(as);
    as_init(as, "map source", USER_BASE, USER_END, &kernel_heap);
    IAddressSpace *ias = as_object_create(as, free_space, 0);
    KT_ASSERT(ias);
    IMemoryObject *mem = 0;
    KT_ASSERT_EQ(IAddressSpace_QueryInterface(ias, &IID_IMemoryObject, (void **)&mem), S_OK);
    IAddressSpace_Release(ias);
    int32_t code = run_map("space", (IUnknown *)mem, &IID_IMemoryObject);
    IMemoryObject_Release(mem); /* the last reference: the space goes */
    KT_ASSERT_EQ(code, 0);
}

/* The source is another process, handed over as its IProcess: process
 * objects are memory objects too (paper 2.2). It waits for a console line
 * that never comes until it is terminated. */
KTEST(user_map_another_process)
{
    struct process *source;
    KT_ASSERT_EQ(
        process_spawn("test_hostile", 2, (const char *const[]){"test_hostile", "read"}, &source),
        S_OK);
    int32_t code = run_map("process", (IUnknown *)&source->iproc, &IID_IProcess);
    process_terminate(source, 7);
    KT_ASSERT_EQ(process_wait(source), 7);
    process_release(source);
    KT_ASSERT_EQ(code, 0);
}
