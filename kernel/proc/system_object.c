/* The system object (see <kernel/proc/system_object.h>). Its reports are
 * the kernel console's own commands, printed on the console as the
 * console prints them, so the shell and the fallback monitor agree. */
#include <ISystem.h>
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kprintf.h>
#include <kernel/proc/process.h>
#include <kernel/proc/system_object.h>
#include <kernel/string.h>
#include <kernel/timer.h>
#include <kernel/vm/pmem.h>
#include <kernel/vm/vtlb.h>

#define ARGS_MAX 128 /* the bytes of Spawn's Args */

static SCODE s_query(ISystem *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_ISystem))
        return E_NOINTERFACE;
    *ppv = This;
    return S_OK;
}

static SCODE s_ref(ISystem *This)
{
    (void)This;
    return S_OK;
}

static SCODE s_spawn(ISystem *This, const char *Name, const char *Args, IProcess **ppProcess)
{
    (void)This;
    char args[ARGS_MAX];
    const char *argv[PROC_MAX_ARGS + 1] = {Name};
    *ppProcess = 0;
    if (strlen(Args) >= sizeof args)
        return E_INVALIDARG;
    memcpy(args, Args, strlen(Args) + 1);
    int argc = 1 + process_split_args(args, argv + 1, PROC_MAX_ARGS);
    if (argc > PROC_MAX_ARGS)
        return SYS_E_TOO_MANY_ARGS;
    struct process *p;
    SCODE sc = process_spawn(Name, argc, argv, &p);
    if (SUCCEEDED(sc))
        *ppProcess = &p->iproc; /* its reference goes to the caller */
    return sc;
}

static SCODE s_kill(ISystem *This, uint32_t Id, int32_t ExitCode)
{
    (void)This;
    struct process *p = process_find(Id);
    if (!p)
        return SYS_E_NO_PROCESS;
    SCODE sc = S_OK;
    if (p == process_current())
        sc = SYS_E_SELF;
    else
        process_terminate(p, ExitCode);
    process_release(p);
    return sc;
}

static const char *const reports[] = {"ps", "names", "mem",     "vm",
                                      "np", "ticks", "version", "images"};

static SCODE s_report(ISystem *This, const char *Name)
{
    (void)This;
    char line[16];
    for (unsigned i = 0; i < sizeof reports / sizeof reports[0]; i++)
        if (strcmp(Name, reports[i]) == 0) {
            memcpy(line, reports[i], strlen(reports[i]) + 1);
            console_execute(line);
            return S_OK;
        }
    return SYS_E_NO_REPORT;
}

static SCODE s_cycles(ISystem *This, uint64_t *pCycles, uint32_t *pInstructions)
{
    (void)This;
    *pCycles = arch_cycles();
    *pInstructions = strcmp(cycles_unit(), "instructions") == 0;
    return S_OK;
}

static SCODE s_halt(ISystem *This)
{
    (void)This;
    kprintf("halting\n");
    arch_exit(0);
}

static SCODE s_get_stats(ISystem *This, SYSTEM_STATS *pStats)
{
    (void)This;
    struct pmem_stats pm;
    struct vtlb_stats vs;
    uint32_t n = 0;
    pmem_get_stats(&pm);
    vtlb_get_stats(&vs);
    for (struct process *p = process_list(); p; p = p->next_all) /* as ps walks it */
        n++;
    *pStats = (SYSTEM_STATS){.Processes = n + 1, /* and the kernel process */
                             .FreePages = (uint32_t)pm.free_pages,
                             .TotalPages = (uint32_t)pm.total_pages,
                             .VtlbMisses = vs.kernel_misses + vs.user_misses,
                             .TimeMs = timer_ms()};
    return S_OK;
}

static const struct ISystemVtbl vtbl = {s_query,  s_ref,    s_ref,  s_spawn,    s_kill,
                                        s_report, s_cycles, s_halt, s_get_stats};
static ISystem system_obj = {&vtbl};

IUnknown *system_object(void)
{
    return (IUnknown *)&system_obj;
}
