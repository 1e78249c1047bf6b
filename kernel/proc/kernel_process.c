/* The kernel process (see <kernel/proc/kernel_process.h>). Its IProcess
 * answers only kernel threads: a process that somehow holds it (a kernel
 * service could pass it on) gets E_ACCESSDENIED from every method, so no
 * user thread ends as a kernel thread or sleeps in its name. */
#include <IConsole.h>
#include <kernel/arch.h>
#include <kernel/ipc/names.h>
#include <kernel/panic.h>
#include <kernel/proc/console_object.h>
#include <kernel/proc/kernel_process.h>
#include <kernel/proc/process.h>
#include <kernel/proc/thread_object.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/sync/event_object.h>
#include <kernel/timer.h>
#include <kernel/vm/heap.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/object.h>
#include <config.h>

/* What a kernel thread of an image starts with: its start block, argv and
 * the strings, in one kernel allocation the thread keeps for its life. */
struct kstart {
    PROCESS_START_INFO info;
    uintptr_t entry;
    const char *argv[PROC_MAX_ARGS + 1];
    char strings[256];
    bool ended; /* the thread ended (k_exit_thread); the block stays for good */
};

static IProcess kernel_process;
static IAddressSpace *kernel_space; /* kernel_as's object */
static struct image_set images;     /* what the loader mapped into kernel_as */
static struct mutex images_lock = MUTEX_INIT("kernel images");

static bool from_kernel(void)
{
    return process_current() == NULL;
}

IProcess *kernel_process_object(void)
{
    return &kernel_process;
}

const struct image_set *kernel_process_images(void)
{
    return &images;
}

static SCODE map_image(const char *name, uintptr_t *entry)
{
    const void *data;
    size_t size;
    SCODE sc = loader_find(name, &data, &size);
    if (FAILED(sc))
        return sc;
    mutex_lock(&images_lock);
    sc = loader_load(&kernel_as, name, data, size, &images, entry);
    mutex_unlock(&images_lock);
    return sc;
}

void kernel_process_init(void)
{
    uintptr_t entry;
    kernel_space = as_object_create(&kernel_as, NULL, NULL);
    if (!kernel_space)
        panic("kernel process: no memory for kernel_as's object");
    SCODE sc = map_image("rt.dll", &entry);
    if (FAILED(sc))
        panic("kernel process: rt.dll: %#x", (unsigned)sc);
}

static void image_thread(void *arg)
{
    struct kstart *s = arg;
    arch_enter_image(s->entry, (uintptr_t)&s->info);
}

/* argv and its strings into s; false if they do not fit. */
static bool copy_args(struct kstart *s, int argc, const char *const *argv)
{
    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        if (n > sizeof s->strings - used)
            return false;
        memcpy(s->strings + used, argv[i], n);
        s->argv[i] = s->strings + used;
        used += n;
    }
    s->argv[argc] = 0;
    return true;
}

SCODE kernel_process_start(const char *name, int argc, const char *const *argv,
                           struct kstart **started)
{
    if (started)
        *started = 0;
    if (argc < 1 || argc > PROC_MAX_ARGS)
        return E_INVALIDARG;
    struct kstart *s = heap_alloc(&kernel_heap, sizeof *s);
    if (!s)
        return E_OUTOFMEMORY;
    SCODE sc = copy_args(s, argc, argv) ? map_image(name, &s->entry) : E_INVALIDARG;
    if (FAILED(sc)) {
        heap_free(&kernel_heap, s);
        return sc;
    }
    s->info = (PROCESS_START_INFO){.Size = sizeof s->info,
                                   .Process = (uintptr_t)&kernel_process,
                                   .AddressSpace = (uintptr_t)kernel_space,
                                   .Console = (uintptr_t)console_object(),
                                   .Argc = (uint32_t)argc,
                                   .Argv = (uintptr_t)s->argv,
                                   .NameService = (uintptr_t)name_service_object(),
                                   .Flags = START_IN_KERNEL};
    s->ended = false;
    /* named by its copy of argv[0]: the caller's name may not outlive the call
     * (ps showed a kernel-placed service's thread with an empty name) */
    if (!thread_create(s->argv[0], PRIO_NORMAL, image_thread, s))
        return E_OUTOFMEMORY; /* the image stays mapped; s is lost with it */
    if (started)
        *started = s;
    return S_OK;
}

bool kernel_process_ended(const struct kstart *s)
{
    return __atomic_load_n(&s->ended, __ATOMIC_ACQUIRE);
}

/* IProcess. References are not counted: the object is static. */
static SCODE k_query(IProcess *This, REFIID riid, void **ppv)
{
    *ppv = 0;
    if (com_iid_equal(riid, &IID_IUnknown) || com_iid_equal(riid, &IID_IProcess)) {
        *ppv = This;
        return S_OK;
    }
    if (com_iid_equal(riid, &IID_IAddressSpace) || com_iid_equal(riid, &IID_IMemoryObject))
        return from_kernel() ? IAddressSpace_QueryInterface(kernel_space, riid, ppv)
                             : E_ACCESSDENIED;
    return E_NOINTERFACE;
}

static SCODE k_addref(IProcess *This)
{
    (void)This;
    return S_OK;
}

/* A kernel thread at an image's Entry (the runtime's _thread_start) on a
 * growable kernel stack; StackSize does not apply (kernel stacks grow to
 * their reservation). */
static SCODE k_create_thread(IProcess *This, ADDRESS Entry, ADDRESS Arg, ADDR_SIZE StackSize,
                             IThread **ppThread)
{
    (void)This, (void)StackSize;
    *ppThread = 0;
    if (!from_kernel())
        return E_ACCESSDENIED;
    return Entry ? thread_object_start_kernel(Entry, Arg, ppThread) : E_INVALIDARG;
}

static SCODE k_get_id(IProcess *This, uint32_t *pId)
{
    (void)This;
    *pId = 0;
    return S_OK;
}

/* The kernel does not end; a service that exits ends its own thread. */
static SCODE k_terminate(IProcess *This, int32_t ExitCode)
{
    (void)This, (void)ExitCode;
    return E_ACCESSDENIED;
}

static SCODE k_wait(IProcess *This, uint32_t TimeoutMs, int32_t *pExitCode)
{
    (void)This, (void)TimeoutMs;
    *pExitCode = 0;
    return E_NOTIMPL;
}

/* A kernel thread's fault is the kernel's: no handler stands in. */
static SCODE k_set_exception_handler(IProcess *This, ADDRESS Handler)
{
    (void)This, (void)Handler;
    return E_NOTIMPL;
}

static SCODE k_continue(IProcess *This, ADDRESS Pc)
{
    (void)This, (void)Pc;
    return E_NOTIMPL;
}

static SCODE k_exit_thread(IProcess *This, int32_t ExitCode)
{
    (void)This;
    if (!from_kernel())
        return E_ACCESSDENIED;
    struct thread *t = thread_current();
    thread_object_set_exit(t, ExitCode); /* for its IThread's Join */
    if (t->entry == image_thread)        /* an image's first thread: its main returned */
        __atomic_store_n(&((struct kstart *)t->arg)->ended, true, __ATOMIC_RELEASE);
    process_kernel_thread_exit();
}

/* Sleep and GetTime act on the calling thread and read the clock, not as
 * the kernel process, so they answer everyone: a service placed in the
 * kernel runs on its callers' threads, user threads among them. */
static SCODE k_sleep(IProcess *This, uint32_t Ms)
{
    (void)This;
    thread_sleep_ticks(((uint64_t)Ms * CONFIG_HZ + 999) / 1000);
    return S_OK;
}

/* Calls reach the kernel process's objects on their callers' own threads:
 * there is no pool to set, and nothing to serve. */
static SCODE k_set_server_pool(IProcess *This, ADDRESS Entry, ADDRESS Arg, uint32_t MaxThreads,
                               uint32_t IdleMs, uint32_t QueueMs)
{
    (void)This, (void)Entry, (void)Arg, (void)MaxThreads, (void)IdleMs, (void)QueueMs;
    return from_kernel() ? S_OK : E_ACCESSDENIED;
}

static SCODE k_serve(IProcess *This, SCODE Result, BYTE *Buffer, uint32_t Size,
                     SERVE_REQUEST *pRequest)
{
    (void)This, (void)Result, (void)Buffer, (void)Size, (void)pRequest;
    return E_NOTIMPL;
}

static SCODE k_get_time(IProcess *This, uint64_t *pMs)
{
    (void)This;
    *pMs = timer_ms();
    return S_OK;
}

static SCODE k_create_event(IProcess *This, IEvent **ppEvent)
{
    (void)This;
    return event_object_create(ppEvent);
}

static const struct IProcessVtbl kernel_process_vtbl = {
    k_query,    k_addref,      k_addref,       k_create_thread,
    k_get_id,   k_terminate,   k_wait,         k_set_exception_handler,
    k_continue, k_exit_thread, k_sleep,        k_set_server_pool,
    k_serve,    k_get_time,    k_create_event,
};

static IProcess kernel_process = {&kernel_process_vtbl};
