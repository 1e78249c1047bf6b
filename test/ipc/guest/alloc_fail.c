/* Allocation failures on the paths between processes (issue 14, item 3):
 * a test_ipc server exports its object through the kernel's mailbox and
 * a test_ipc client makes its calls on it (Null, Peek, Fill, Read: a
 * server thread each, argument blocks copied both ways, the object's
 * handle and remote carried into the client), once with each allocation
 * of a kind failing in turn (test/proc/guest/alloc_fail.h): the kernel
 * heap's (call records, remotes, argument copies, server threads),
 * the VM's (server threads' stacks, the pages calls copy into) and
 * handle insertions (the remote's handle in the client, the start
 * handles of both). Either side may fail or end; nothing may panic, no
 * remote may be left, and the runner's leak check finds every page and
 * heap byte back. */
#include "server.h"
#include "../../proc/guest/alloc_fail.h"
#include "../../proc/guest/test_object.h"
#include <kernel/ipc/remote.h>
#include <kernel/ipc/transfer.h>
#include <kernel/proc/handle.h>
#include <kernel/proc/process.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>

/* The server's object, once it is in the mailbox; NULL once the server
 * has ended without exporting it (a failure it checks ends it). */
static ITestObject *server_object(struct process *server)
{
    ITestObject *r = 0;
    for (int i = 0; i < 500; i++) {
        if (ITestObject_Get((ITestObject *)test_object(), &r) == S_OK && r)
            return r;
        if (event_is_set(&server->finished))
            return 0;
        thread_sleep_ticks(1);
    }
    ktest_fail(__FILE__, __LINE__, "the server neither exported its object nor ended");
    return 0;
}

static void server_and_client(void)
{
    struct process *s;
    const char *argv[] = {"test_ipc", "serve"};
    if (FAILED(process_spawn_with("test_ipc", 2, argv, test_object(), &IID_ITestObject, &s)))
        return;
    ITestObject *r = server_object(s);
    if (r)
        client_run(2, (const char *const[]){"test_ipc", "call"});
    ITestObject_Put((ITestObject *)test_object(), 0);
    if (r)
        ITestObject_Release(r);
    process_terminate(s, 0x5e);
    process_wait(s);
    process_release(s);
    if (remote_count() != 0)
        ktest_fail(__FILE__, __LINE__, "%u remote objects left", (unsigned)remote_count());
}

KTEST(ipc_calls_survive_each_heap_allocation_failing)
{
    fail_each_allocation(&inject_heap, server_and_client, "ipc_alloc_fail");
}

KTEST(ipc_calls_survive_each_vm_allocation_failing)
{
    fail_each_allocation(&inject_vm, server_and_client, "ipc_alloc_fail");
}

KTEST(ipc_calls_survive_each_handle_insertion_failing)
{
    fail_each_allocation(&inject_handle, server_and_client, "ipc_alloc_fail");
}

/* An object handed into a process whose handle cannot be inserted: the
 * export fails, names no handle, and gives the reference it was handed
 * back (kernel/ipc/transfer.c); a caller told S_OK would hand the
 * process a handle that names nothing. */
KTEST(export_fails_when_its_handle_cannot_be_inserted)
{
    struct process *p;
    const char *argv[] = {"sleep", "5"};
    KT_ASSERT_EQ(process_spawn_with("sleep", 2, argv, 0, 0, &p), S_OK);
    IUnknown *o = test_object();
    uint32_t refs = test_object_refs();
    com_handle_t h = 1;
    o->lpVtbl->AddRef(o); /* the export's, which it keeps or gives back */
    handle_fail_insert(1);
    SCODE failed = ipc_export(p, o, &IID_ITestObject, &h);
    unsigned long ran = handle_fail_insert(0);
    com_handle_t none = h;
    bool back = test_object_refs() == refs;
    o->lpVtbl->AddRef(o);
    SCODE exported = ipc_export(p, o, &IID_ITestObject, &h);
    bool held = test_object_refs() == refs + 1; /* the process's handle holds it */
    process_terminate(p, 0);
    process_wait(p);
    process_release(p);
    KT_ASSERT_EQ(ran, 1);
    KT_ASSERT(FAILED(failed));
    KT_ASSERT_EQ(none, 0);
    KT_ASSERT(back);
    KT_ASSERT_EQ(exported, S_OK);
    KT_ASSERT(h != 0 && held);
    KT_ASSERT_EQ(test_object_refs(), refs);
}
