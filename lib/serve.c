/* The server side of the runtime (paper 1.1): the pool's settings and the
 * loop every server thread runs. The kernel starts a server thread at
 * _thread_start with serve_thread, so it runs serve_main like any thread
 * the runtime makes and ends the same way (IProcess::ExitThread). */
#include "export.h"
#include "thread.h"
#include <rialto.h>

#define DEFAULT_THREADS 4
#define DEFAULT_IDLE_MS 1000

static int serve_main(void *unused);

static struct rt_thread serve_thread = {serve_main, 0};
static bool serving;
static SCODE (*dispatcher)(uint32_t cookie, uint32_t method, void *block) = rt_export_call;

void ServeWith(SCODE (*dispatch)(uint32_t Cookie, uint32_t Method, void *Block))
{
    dispatcher = dispatch ? dispatch : rt_export_call;
}

SCODE ServerPool(uint32_t MaxThreads, uint32_t IdleMs, uint32_t QueueMs)
{
    SCODE sc = IProcess_SetServerPool(CurrentProcess(), (ADDRESS)_thread_start,
                                      (ADDRESS)&serve_thread, MaxThreads, IdleMs, QueueMs);
    if (SUCCEEDED(sc))
        serving = true;
    return sc;
}

unsigned ExportedObjects(void)
{
    return rt_export_count();
}

SCODE rt_serve_start(void)
{
    return serving ? S_OK : ServerPool(DEFAULT_THREADS, DEFAULT_IDLE_MS, 0);
}

/* IProcess::Serve through the serve trap (handle 0: the kernel's short
 * way for the server's half of every call). */
static SCODE serve(SCODE result, uint8_t *buf, uint32_t size, SERVE_REQUEST *req)
{
    struct IProcess_Serve_args args = {result, buf, size, req};
    return com_invoke(0, &IID_IProcess, IProcess_M_Serve, &args);
}

/* Each call's block and data arrive in buf, on this thread's stack; the
 * answer goes back from there with the next Serve. */
static int serve_main(void *unused)
{
    _Static_assert(IPC_MAX_DATA <= 64 * 1024, "a server thread's stack holds one call");
    uint8_t buf[IPC_MAX_DATA] __attribute__((aligned(8)));
    SCODE result = S_OK;
    SERVE_REQUEST req;
    (void)unused;
    while (serve(result, buf, sizeof buf, &req) == S_OK)
        result = dispatcher(req.Cookie, req.Method, (void *)req.Block);
    return 0;
}

void RunService(void)
{
    for (;;)
        IProcess_Sleep(CurrentProcess(), 0x7fffffff);
}
