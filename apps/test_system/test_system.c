/* test_system: the system object (ISystem) from a process, as the shell
 * uses it; the guest test that runs it (test/proc/guest/system.c) hands
 * it the object and checks pages and heap after.
 *   (no argument)  spawn hello with arguments and wait for it; refuse an
 *                  unknown program, bad name pointers, too long and too
 *                  many arguments; kill a sleeping child, refuse unknown
 *                  ids and its own; refuse reports that are commands;
 *                  the cycle counter advances
 *   child          what the system object gives the programs it starts:
 *                  no start handle */
#include <ISystem.h>
#include <rialto.h>
#include <stdlib.h>
#include <string.h>
#include <utest.h>

static ISystem *sys;

static void spawn_and_wait(void)
{
    IProcess *p = NULL;
    CHECK_EQ(ISystem_Spawn(sys, "hello", "  one two  ", &p), S_OK);
    int32_t code = -1;
    if (p) {
        CHECK_EQ(IProcess_Wait(p, 0xffffffffu, &code), S_OK);
        IProcess_Release(p);
    }
    CHECK_EQ(code, 0);
    CHECK_EQ(ISystem_Spawn(sys, "test_system", "child", &p), S_OK);
    if (p) {
        CHECK_EQ(IProcess_Wait(p, 0xffffffffu, &code), S_OK);
        CHECK_EQ(code, 0);
        IProcess_Release(p);
    }
}

static void spawn_refusals(void)
{
    IProcess *p = (IProcess *)&p;
    CHECK_EQ(ISystem_Spawn(sys, "nosuch", "", &p), BOOTFS_E_NOT_FOUND);
    CHECK(p == NULL, "no process with an error");
    CHECK_EQ(ISystem_Spawn(sys, "", "", &p), BOOTFS_E_NOT_FOUND);
    CHECK_EQ(ISystem_Spawn(sys, NULL, "", &p), E_POINTER);
    CHECK_EQ(ISystem_Spawn(sys, (const char *)0xc0000000, "", &p), E_POINTER);
    CHECK_EQ(ISystem_Spawn(sys, "hello", NULL, &p), E_POINTER);
    CHECK_EQ(ISystem_Spawn(sys, "hello", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", &p),
             SYS_E_TOO_MANY_ARGS);
    char long_args[200];
    memset(long_args, 'a', sizeof long_args - 1);
    long_args[sizeof long_args - 1] = '\0';
    CHECK_EQ(ISystem_Spawn(sys, "hello", long_args, &p), E_INVALIDARG);
}

static void kill_and_refuse(void)
{
    IProcess *p = NULL;
    uint32_t id = 0, self = 0;
    int32_t code = 0;
    CHECK_EQ(ISystem_Spawn(sys, "sleep", "60", &p), S_OK);
    if (!p)
        return;
    IProcess_GetId(p, &id);
    IProcess_GetId(CurrentProcess(), &self);
    CHECK_EQ(ISystem_Kill(sys, id, 77), S_OK);
    CHECK_EQ(IProcess_Wait(p, 0xffffffffu, &code), S_OK);
    CHECK_EQ(code, 77);
    IProcess_Release(p);
    CHECK_EQ(ISystem_Kill(sys, self, 1), SYS_E_SELF);
    CHECK_EQ(ISystem_Kill(sys, 0, 1), SYS_E_NO_PROCESS);
    CHECK_EQ(ISystem_Kill(sys, 0xffffffffu, 1), SYS_E_NO_PROCESS);
}

static void reports_and_cycles(void)
{
    CHECK_EQ(ISystem_Report(sys, "mem"), S_OK);
    CHECK_EQ(ISystem_Report(sys, "halt"), SYS_E_NO_REPORT);
    CHECK_EQ(ISystem_Report(sys, "run hello"), SYS_E_NO_REPORT);
    CHECK_EQ(ISystem_Report(sys, "ps x"), SYS_E_NO_REPORT);
    CHECK_EQ(ISystem_Report(sys, ""), SYS_E_NO_REPORT);
    CHECK_EQ(ISystem_Report(sys, NULL), E_POINTER);
    uint64_t a = 0, b = 0;
    uint32_t instructions = 2;
    CHECK_EQ(ISystem_Cycles(sys, &a, &instructions), S_OK);
    CHECK_EQ(ISystem_Cycles(sys, &b, &instructions), S_OK);
    CHECK(b > a, "the counter advances");
    CHECK(instructions <= 1, "a flag");
}

/* GetStats: this process, the kernel's and the test's own misses are
 * there, and time moves on. */
static void stats(void)
{
    SYSTEM_STATS a, b;
    CHECK_EQ(ISystem_GetStats(sys, &a), S_OK);
    CHECK(a.Processes >= 2, "processes %u", (unsigned)a.Processes);
    CHECK(a.TotalPages > 1000 && a.FreePages < a.TotalPages, "pages %u of %u",
          (unsigned)a.FreePages, (unsigned)a.TotalPages);
    CHECK(a.VtlbMisses > 0, "no misses");
    IProcess_Sleep(CurrentProcess(), 20);
    CHECK_EQ(ISystem_GetStats(sys, &b), S_OK);
    CHECK(b.TimeMs >= a.TimeMs + 20, "time %u then %u", (unsigned)a.TimeMs, (unsigned)b.TimeMs);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        CHECK_EQ(StartHandle(), 0);
        return utest_failures;
    }
    if (com_unmarshal_interface(StartHandle(), &IID_ISystem, (void **)&sys) || !sys) {
        CHECK(0, "no system object");
        return utest_failures;
    }
    spawn_and_wait();
    spawn_refusals();
    kill_and_refuse();
    reports_and_cycles();
    stats();
    return utest_failures;
}
