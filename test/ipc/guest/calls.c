/* Calls into processes (kernel/ipc): the four paths of paper 1.1 on one
 * object, interface pointers both ways, the server pool's rules, and
 * either side dying mid-call. The runner checks pages and heap after
 * each; server_stop checks no remote object is left. */
#include "server.h"
#include "../../proc/guest/test_object.h"
#include <IProcess.h>
#include <kernel/console.h>
#include <kernel/ipc/pool.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/proc/uexception.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>

#define ARGS(...)                                                                                  \
    (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *)), (const char *const[])      \
    {                                                                                              \
        __VA_ARGS__                                                                                \
    }

static BYTE big[4096];

/* test_ipc's sequence, from the kernel: the same calls, the same results. */
static void kernel_sequence(ITestObject *t)
{
    uint32_t ends = 1;
    KT_ASSERT_EQ(ITestObject_Null(t), S_OK);
    big[0] = 3;
    big[sizeof big - 1] = 4;
    KT_ASSERT_EQ(ITestObject_Peek(t, big, sizeof big, &ends), S_OK);
    KT_ASSERT_EQ(ends, 7);
    KT_ASSERT_EQ(ITestObject_Peek(t, big, 0, &ends), S_OK);
    KT_ASSERT_EQ(ends, 0);
    memset(big, 0, sizeof big);
    KT_ASSERT_EQ(ITestObject_Fill(t, big, 100, 0x5a), S_OK);
    KT_ASSERT(big[0] == 0x5a && big[99] == 0x5a && big[100] == 0);
    KT_ASSERT_EQ(ITestObject_Fill(t, 0, 0, 1), E_POINTER);
    uint32_t done = 0;
    memset(big, 0, sizeof big);
    KT_ASSERT_EQ(ITestObject_Read(t, big, 64, 0x77, &done), S_OK);
    KT_ASSERT_EQ(done, 32);
    KT_ASSERT(big[31] == 0x77 && big[32] == 0); /* only what length_is counts */
}

/* The server ran the sequence on its object itself (a plain call), the
 * kernel runs it through the object's kernel proxy, and another process
 * through its proxy: all get the same results, and the object counted
 * the three Null calls. */
/* Interface pointers from the kernel into a process and back: a kernel
 * object and the server's own object, alone and in arrays, come back as
 * the same pointers. */
static void kernel_interfaces(ITestObject *remote)
{
    ITestObject *mine = (ITestObject *)test_object(), *back = 0;
    KT_ASSERT_EQ(ITestObject_Echo(remote, mine, &back), S_OK);
    KT_ASSERT(back == mine);
    ITestObject *in[2] = {mine, remote}, *out[2] = {0, 0};
    uint32_t n = 0;
    KT_ASSERT_EQ(ITestObject_EchoArray(remote, 2, in, 0, out, &n), S_OK);
    KT_ASSERT_EQ(n, 2);
    KT_ASSERT(out[0] == remote && out[1] == mine);
    ITestObject_Release(out[0]);
    ITestObject_Release(out[1]);
    ITestObject_Release(back);
}

KTEST(ipc_one_object_from_its_process_the_kernel_and_another)
{
    struct server s;
    if (!server_start(&s, 0, 0, 0))
        return;
    kernel_sequence(s.remote);
    kernel_interfaces(s.remote);
    int32_t client = client_run(ARGS("test_ipc", "call"));
    uint32_t count = 0;
    SCODE sc = ITestObject_Count(s.remote, &count);
    server_stop(&s);
    KT_ASSERT_EQ(client, 0);
    KT_ASSERT_EQ(sc, S_OK);
    KT_ASSERT_EQ(count, 3);
}

/* test_ipc MODE against a server with the default pool; its status. */
static int32_t client_of_a_server(const char *mode)
{
    struct server s;
    if (!server_start(&s, 0, 0, 0))
        return -1;
    int32_t client = client_run(ARGS("test_ipc", mode));
    server_stop(&s);
    return client;
}

KTEST(ipc_interface_pointers_in_and_out)
{
    KT_ASSERT_EQ(client_of_a_server("iface"), 0);
}

KTEST(ipc_forged_handles_and_cookies_are_refused)
{
    KT_ASSERT_EQ(client_of_a_server("forge"), 0);
}

/* Six callers at once on a pool of three: it grows to three, never more;
 * idle for its 200 ms, it shrinks to nothing. */
KTEST(ipc_pool_grows_to_its_bound_and_shrinks_when_idle)
{
    struct server s;
    if (!server_start(&s, "3", "200", "0"))
        return;
    struct process *c = client_start(ARGS("test_ipc", "pool", "6", "100"));
    uint32_t most = 0;
    while (c && !event_is_set(&c->finished)) {
        uint32_t n = ipc_pool_threads(s.p);
        most = n > most ? n : most;
        thread_sleep_ticks(1);
    }
    int32_t failed = c ? process_wait(c) : -1;
    if (c)
        process_release(c);
    uint32_t after_calls = ipc_pool_threads(s.p);
    thread_sleep_ticks(40); /* 400 ms: past the idle time */
    uint32_t after_idle = ipc_pool_threads(s.p);
    server_stop(&s);
    KT_ASSERT_EQ(failed, 0);
    KT_ASSERT_EQ(most, 3);
    KT_ASSERT(after_calls <= 3);
    KT_ASSERT_EQ(after_idle, 0);
}

static ITestObject *waiting_on;

static void call_wait(void *arg)
{
    (void)arg;
    ITestObject_Wait(waiting_on, 200);
}

/* The server thread runs at its caller's priority, and goes back to
 * normal between calls. */
KTEST(ipc_server_thread_runs_at_the_callers_priority)
{
    struct server s;
    if (!server_start(&s, 0, 0, 0))
        return;
    waiting_on = s.remote;
    struct thread *caller = thread_create("caller", PRIO_NORMAL + 3, call_wait, 0);
    struct thread *busy = 0;
    for (int i = 0; i < 100 && !busy; i++) {
        busy = server_busy_thread(&s);
        if (!busy)
            thread_sleep_ticks(1);
    }
    int prio = busy ? busy->prio : -1;
    thread_join(caller);
    thread_sleep_ticks(2); /* the server thread waits for the next call */
    int after = server_top_priority(&s);
    server_stop(&s);
    KT_ASSERT_EQ(prio, PRIO_NORMAL + 3);
    KT_ASSERT_EQ(after, PRIO_NORMAL);
}

/* Wait until some server thread runs a call. */
static bool until_busy(const struct server *s)
{
    for (int i = 0; i < 300; i++) {
        if (server_busy_thread(s))
            return true;
        thread_sleep_ticks(1);
    }
    return false;
}

KTEST(ipc_server_killed_mid_call_fails_the_call)
{
    struct server s;
    if (!server_start(&s, 0, 0, 0))
        return;
    struct process *c = client_start(ARGS("test_ipc", "wait", "0xffffffff"));
    bool busy = until_busy(&s);
    process_terminate(s.p, 9);
    int32_t code = c ? process_wait(c) : -1;
    if (c)
        process_release(c);
    server_stop(&s);
    KT_ASSERT(busy);
    KT_ASSERT_EQ(code, (int32_t)IPC_E_SERVER_DIED);
}

/* The caller ends while the server still runs its call: the answer, when
 * it comes, is thrown away, and nothing is left over. */
KTEST(ipc_caller_killed_mid_call_leaves_nothing)
{
    struct server s;
    if (!server_start(&s, 0, 0, 0))
        return;
    struct process *c = client_start(ARGS("test_ipc", "wait", "300"));
    bool busy = until_busy(&s);
    process_terminate(c, 77);
    int32_t code = process_wait(c);
    process_release(c);
    for (int i = 0; i < 100 && server_busy_thread(&s); i++)
        thread_sleep_ticks(1); /* the server answers into the void */
    bool answered = !server_busy_thread(&s);
    uint32_t count = 0;
    SCODE alive = ITestObject_Count(s.remote, &count);
    server_stop(&s);
    KT_ASSERT(busy);
    KT_ASSERT_EQ(code, 77);
    KT_ASSERT(answered);
    KT_ASSERT_EQ(alive, S_OK);
}

/* A server thread's fault is reported and ends its process (no handler);
 * the caller gets an error. */
KTEST(ipc_server_fault_fails_the_call)
{
    struct server s;
    if (!server_start(&s, 0, 0, 0))
        return;
    int32_t code = client_run(ARGS("test_ipc", "crash"));
    int32_t server_code = process_wait(s.p);
    server_stop(&s);
    KT_ASSERT_EQ(code, (int32_t)IPC_E_SERVER_DIED);
    KT_ASSERT_EQ(server_code, (int32_t)UEXC_ACCESS_VIOLATION);
}

/* One server thread, busy: a second call waits 100 ms, then gives up. */
KTEST(ipc_call_to_a_busy_pool_times_out)
{
    struct server s;
    if (!server_start(&s, "1", "1000", "100"))
        return;
    int32_t code = client_run(ARGS("test_ipc", "timeout"));
    server_stop(&s);
    KT_ASSERT_EQ(code, 0);
}

/* An object of a process that has ended: every call fails at once, from
 * the kernel and from a process (whose out array of interface pointers
 * must come back empty, nothing in it released that was never there). */
KTEST(ipc_object_of_an_ended_process_is_disconnected)
{
    struct server s;
    if (!server_start(&s, 0, 0, 0))
        return;
    process_terminate(s.p, 1);
    process_wait(s.p);
    SCODE sc = ITestObject_Null(s.remote);
    int32_t client = client_run(ARGS("test_ipc", "disconnected"));
    server_stop(&s);
    KT_ASSERT_EQ(sc, (int32_t)IPC_E_DISCONNECTED);
    KT_ASSERT_EQ(client, 0);
}

static ITestObject *ordered_remote;
static int finished[3], nfinished;

static void call_null(void *id)
{
    ITestObject_Null(ordered_remote);
    finished[nfinished++] = (int)(uintptr_t)id;
}

static void occupy(void *unused)
{
    (void)unused;
    ITestObject_Wait(ordered_remote, 200);
}

/* One server thread, busy: calls queue by their callers' priority, not by
 * when they came. */
KTEST(ipc_queued_calls_run_in_priority_order)
{
    struct server s;
    if (!server_start(&s, "1", "1000", "0"))
        return;
    ordered_remote = s.remote;
    nfinished = 0;
    struct thread *busy = thread_create("busy", PRIO_NORMAL, occupy, 0);
    bool running = until_busy(&s);
    struct thread *t[3] = {
        thread_create("low", PRIO_NORMAL + 1, call_null, (void *)1),
        thread_create("high", PRIO_NORMAL + 5, call_null, (void *)5),
        thread_create("mid", PRIO_NORMAL + 3, call_null, (void *)3),
    };
    thread_join(busy);
    for (int i = 0; i < 3; i++)
        thread_join(t[i]);
    server_stop(&s);
    KT_ASSERT(running);
    KT_ASSERT_EQ(nfinished, 3);
    KT_ASSERT_EQ(finished[0], 5);
    KT_ASSERT_EQ(finished[1], 3);
    KT_ASSERT_EQ(finished[2], 1);
}

/* A caller ended while its call still waits in the queue: the call goes
 * from the queue, and the server never sees it. */
KTEST(ipc_caller_killed_while_queued_leaves_nothing)
{
    struct server s;
    if (!server_start(&s, "1", "1000", "0"))
        return;
    ordered_remote = s.remote;
    struct thread *busy = thread_create("busy", PRIO_NORMAL, occupy, 0);
    bool running = until_busy(&s);
    struct process *c = client_start(ARGS("test_ipc", "call"));
    thread_sleep_ticks(5);
    process_terminate(c, 78);
    int32_t code = process_wait(c);
    process_release(c);
    thread_join(busy);
    uint32_t count = 1;
    SCODE sc = ITestObject_Count(s.remote, &count);
    server_stop(&s);
    KT_ASSERT(running);
    KT_ASSERT_EQ(code, 78);
    KT_ASSERT_EQ(sc, S_OK);
    KT_ASSERT_EQ(count, 1); /* the server's own call before it exported the object */
}

/* A client ends holding the server's object; the kernel's own reference
 * goes too: the server is told, drops the object, and ends by itself. */
KTEST(ipc_exported_object_is_let_go_when_its_holders_are_gone)
{
    struct server s = {0, 0};
    if (FAILED(process_spawn_with("test_ipc", 2, (const char *const[]){"test_ipc", "serve-once"},
                                  test_object(), &IID_ITestObject, &s.p)))
        KT_ASSERT(!"cannot start the server");
    ITestObject *box = (ITestObject *)test_object(), *r = 0;
    for (int i = 0; i < 1000 && ITestObject_Get(box, &r) != S_OK; i++)
        thread_sleep_ticks(1);
    int32_t held = client_run(ARGS("test_ipc", "hold"));
    ITestObject_Put(box, 0);
    if (r)
        ITestObject_Release(r);
    for (int i = 0; i < 300 && !event_is_set(&s.p->finished); i++)
        thread_sleep_ticks(1);
    bool ended = event_is_set(&s.p->finished);
    server_stop(&s);
    KT_ASSERT(r);
    KT_ASSERT_EQ(held, 0);
    KT_ASSERT(ended);
}

KTEST(ipc_map_refuses_a_memory_object_of_a_process)
{
    KT_ASSERT_EQ(client_run(ARGS("test_ipc", "foreign")), 0);
}

/* For the host test test/ipc/ps_console.c: ps shows the server's pool
 * (one thread started of at most two) after one call. */
KTEST(ipc_ps_shows_a_server_pool)
{
    struct server s;
    if (!server_start(&s, "2", "10000", "0"))
        return;
    SCODE sc = ITestObject_Null(s.remote);
    kprintf("ps: server is process %u\n", s.p->id);
    char ps[] = "ps";
    console_execute(ps);
    server_stop(&s);
    KT_ASSERT_EQ(sc, S_OK);
}

/* A server that answers with forged handles and cookies, a length past
 * its buffer and scribbled pointers: its caller gets errors, and only the
 * out data the kernel's own layout allows. */
KTEST(ipc_a_rogue_servers_answers_are_refused)
{
    struct server s;
    if (!server_start_mode(&s, "serve-rogue", 0, 0, 0))
        return;
    int32_t client = client_run(ARGS("test_ipc", "rogue-call"));
    server_stop(&s);
    KT_ASSERT_EQ(client, 0);
}
