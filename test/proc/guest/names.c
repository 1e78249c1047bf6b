/* The name service from processes (apps/test_names) and from the kernel
 * (kernel/ipc/names.h): a name one process registers, another looks up
 * and calls; the kernel's own names; a process's names go when it ends,
 * however it ends. The runner checks pages and heap after each. */
#include <kernel/ktest.h>
#include "run.h"
#include "test_object.h"
#include <kernel/console.h>
#include <kernel/ipc/names.h>
#include <kernel/kprintf.h>
#include <kernel/proc/kernel_process.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>

/* Whether name is registered, seen from the kernel. */
static bool registered(const char *name)
{
    void *o;
    if (FAILED(names_lookup(name, &IID_IUnknown, &o)))
        return false;
    ((IUnknown *)o)->lpVtbl->Release(o);
    return true;
}

/* A process's calls against the service, the kernel's "test.kernel"
 * among the names; everything it left registered (a full table) goes
 * with it. */
KTEST(user_names_register_lookup_and_refuse)
{
    KT_ASSERT_EQ(names_register("test.kernel", test_object(), 0), S_OK);
    int32_t code = run_program(2, (const char *const[]){"test_names", "self"});
    bool kernel_name_stays = registered("test.kernel");
    unsigned left = names_count();
    names_unregister("test.kernel", 0);
    KT_ASSERT_EQ(code, 0);
    KT_ASSERT(kernel_name_stays);
    KT_ASSERT_EQ(left, 1);
}

/* Wait until name is registered (a few seconds at most). */
static bool wait_for(const char *name)
{
    for (int i = 0; i < 500; i++) {
        if (registered(name))
            return true;
        thread_sleep_ticks(1);
    }
    return false;
}

/* test_names serve, once its name is up (NULL if it never comes). */
static struct process *start_server(void)
{
    struct process *server;
    if (FAILED(
            process_spawn("test_names", 2, (const char *const[]){"test_names", "serve"}, &server)))
        return 0;
    if (wait_for("test.server"))
        return server;
    process_terminate(server, 45);
    process_wait(server);
    process_release(server);
    return 0;
}

/* Terminate the server: its exit code. */
static int32_t stop_server(struct process *server)
{
    process_terminate(server, 44);
    int32_t code = process_wait(server);
    process_release(server);
    return code;
}

/* One process registers its IProcess; another finds it by name and calls
 * it, and cannot take or drop the name. Terminated, the server's name
 * goes. */
KTEST(user_names_cross_processes_and_go_with_their_owner)
{
    struct process *server = start_server();
    KT_ASSERT(server);
    char id[16];
    ksnprintf(id, sizeof id, "%u", server->id);
    int32_t code = run_program(3, (const char *const[]){"test_names", "client", id});
    bool stays = registered("test.server");
    KT_ASSERT_EQ(stop_server(server), 44);
    KT_ASSERT_EQ(code, 0);
    KT_ASSERT(stays);
    KT_ASSERT(!registered("test.server"));
    KT_ASSERT_EQ(names_count(), 0);
}

/* The console's names command lists a kernel name and a process's, with
 * their owners; test/proc/names_console.c reads what it printed. */
KTEST(user_names_listed_by_the_console)
{
    KT_ASSERT_EQ(names_register("test.kernel", test_object(), 0), S_OK);
    struct process *server = start_server();
    char line[] = "names";
    if (server) {
        kprintf("names: server is process %u\n", server->id);
        console_execute(line);
        stop_server(server);
    }
    names_unregister("test.kernel", 0);
    KT_ASSERT(server);
}

/* The kernel process's IProcess handed to a process (here by name) acts
 * for no one but kernel threads. */
KTEST(user_names_kernel_process_refuses_processes)
{
    KT_ASSERT_EQ(names_register("test.kproc", (IUnknown *)kernel_process_object(), 0), S_OK);
    int32_t code = run_program(2, (const char *const[]){"test_names", "kproc"});
    names_unregister("test.kproc", 0);
    KT_ASSERT_EQ(code, 42);
}
