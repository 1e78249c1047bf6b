/* The other kernel calls, checked where their answers can be: events
 * (a Set kept, a timeout, a wake from another thread), threads made and
 * joined with their exit codes, the process's id and clock, the space's
 * memory status, and the system object's harmless queries (GetStats,
 * Cycles) when the test hands it over. */
#include "stress.h"
#include <ISystem.h>
#include <rialto.h>

static ISystem *sys;

static void must(SCODE sc, SCODE want, const char *what)
{
    if (sc != want)
        stress_wrong(STRESS_WRONG_KERNEL, "%s: %#x, expected %#x", what, (unsigned)sc,
                     (unsigned)want);
}

static int setter(void *arg)
{
    return IEvent_Set((IEvent *)arg) == S_OK ? 0x5e7 : 1;
}

/* A Set with nobody waiting stays for the next Wait, which clears it. */
static void event_kept(void)
{
    IEvent *e = NULL;
    must(IProcess_CreateEvent(CurrentProcess(), &e), S_OK, "CreateEvent");
    must(IEvent_Set(e), S_OK, "Set");
    must(IEvent_Wait(e, 1), S_OK, "Wait after Set");
    must(IEvent_Wait(e, 1), EVENT_E_TIMEOUT, "Wait after the Set was taken");
    IEvent_Release(e);
}

/* A thread sets the event this one waits for, and ends with its code. */
static void event_woken(void)
{
    IEvent *e = NULL;
    must(IProcess_CreateEvent(CurrentProcess(), &e), S_OK, "CreateEvent");
    IThread *t = CreateThread(setter, e);
    if (!t)
        stress_wrong(STRESS_WRONG_KERNEL, "CreateThread refused");
    must(IEvent_Wait(e, 0), S_OK, "Wait for another thread's Set");
    int32_t code = 0;
    must(IThread_Join(t, 0xffffffffu, &code), S_OK, "Join");
    must(code, 0x5e7, "the thread's exit code");
    THREAD_INFO info;
    must(IThread_GetInfo(t, &info), S_OK, "GetInfo");
    must(info.State, THREAD_STATE_EXITED, "a joined thread's state");
    IThread_Release(t);
    IEvent_Release(e);
}

static uint64_t last_ms, last_cycles;

static void clock_and_id(void)
{
    uint32_t id = 0, again = 1;
    must(IProcess_GetId(CurrentProcess(), &id), S_OK, "GetId");
    must(IProcess_GetId(CurrentProcess(), &again), S_OK, "GetId");
    must(again, id, "GetId twice");
    uint64_t ms = 0;
    must(IProcess_GetTime(CurrentProcess(), &ms), S_OK, "GetTime");
    if (ms < last_ms)
        stress_wrong(STRESS_WRONG_KERNEL, "GetTime went back: %lu after %lu", (unsigned long)ms,
                     (unsigned long)last_ms);
    last_ms = ms;
    MEMORY_STATUS st;
    must(IAddressSpace_GetMemoryStatus(CurrentAddressSpace(), &st), S_OK, "GetMemoryStatus");
    if (st.AvailPhys > st.TotalPhys)
        stress_wrong(STRESS_WRONG_KERNEL, "GetMemoryStatus: %lu available of %lu",
                     (unsigned long)st.AvailPhys, (unsigned long)st.TotalPhys);
}

static void system_queries(void)
{
    if (!sys)
        return;
    SYSTEM_STATS s;
    must(ISystem_GetStats(sys, &s), S_OK, "GetStats");
    if (s.FreePages > s.TotalPages || s.Processes < 2)
        stress_wrong(STRESS_WRONG_KERNEL, "GetStats: %u of %u pages free, %u processes",
                     (unsigned)s.FreePages, (unsigned)s.TotalPages, (unsigned)s.Processes);
    uint64_t c = 0;
    uint32_t instructions;
    must(ISystem_Cycles(sys, &c, &instructions), S_OK, "Cycles");
    if (c < last_cycles)
        stress_wrong(STRESS_WRONG_KERNEL, "Cycles went back");
    last_cycles = c;
}

int misc_run(void *unused)
{
    (void)unused;
    uint32_t rng = stress_seed(3);
    if (StartHandle() && com_unmarshal_interface(StartHandle(), &IID_ISystem, (void **)&sys))
        stress_wrong(STRESS_SETUP, "the start handle is no ISystem");
    for (uint32_t n = 0; n < stress_ops; n++) {
        /* the timeout and the sleep take a tick each: rarely, so the
         * workers' calls overlap for most of the instance's life */
        switch (stress_rand(&rng) % 8) {
        case 0:
            event_kept();
            break;
        case 1:
        case 2:
            event_woken();
            break;
        case 3:
        case 4:
            clock_and_id();
            break;
        case 5:
        case 6:
            system_queries();
            break;
        default:
            must(IProcess_Sleep(CurrentProcess(), stress_rand(&rng) % 2), S_OK, "Sleep");
        }
    }
    if (sys)
        ISystem_Release(sys);
    return 0;
}
