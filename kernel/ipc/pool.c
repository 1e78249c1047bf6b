/* Server thread pools and the calls they run (see <kernel/ipc/pool.h>). */
#include <config.h>
#include <kernel/arch.h>
#include <kernel/ipc/call.h>
#include <kernel/ipc/pool.h>
#include <kernel/proc/process.h>
#include <kernel/sched/sched.h>
#include <kernel/timer.h>

static uint64_t ticks_of(uint32_t ms)
{
    return ((uint64_t)ms * CONFIG_HZ + 999) / 1000;
}

static uint64_t deadline_after(uint64_t ticks)
{
    return ticks ? timer_ticks() + ticks : 0;
}

SCODE ipc_set_pool(struct process *p, uintptr_t entry, uintptr_t arg, uint32_t max_threads,
                   uint32_t idle_ms, uint32_t queue_ms)
{
    if (entry < USER_BASE || entry >= USER_END || max_threads == 0 ||
        max_threads > PROC_MAX_THREADS)
        return E_INVALIDARG;
    struct ipc_pool *pool = &p->pool;
    uint64_t idle = ticks_of(idle_ms), queue = ticks_of(queue_ms); /* divisions: outside */
    unsigned long irq = np_begin(NP_SCHED);
    pool->entry = entry;
    pool->arg = arg;
    pool->max_threads = max_threads;
    pool->idle_ticks = idle;
    pool->queue_ticks = queue;
    np_end(NP_SCHED, irq);
    return S_OK;
}

uint32_t ipc_pool_threads(const struct process *p)
{
    return p->pool.nthreads;
}

/* The queue and idle list, in the scheduler's section. */
static void enqueue(struct ipc_pool *pool, struct ipc_call *c)
{
    struct ipc_call **q = &pool->queue;
    while (*q && (*q)->prio >= c->prio)
        q = &(*q)->next;
    c->next = *q;
    *q = c;
}

static void dequeue(struct ipc_pool *pool, struct ipc_call *c)
{
    struct ipc_call **q = &pool->queue;
    while (*q && *q != c)
        q = &(*q)->next;
    if (*q)
        *q = c->next;
}

static void remove_idle(struct ipc_pool *pool, struct thread *t)
{
    struct thread **q = &pool->idle;
    while (*q && *q != t)
        q = &(*q)->ipc_next;
    if (*q)
        *q = t->ipc_next;
}

/* c is over (in the section). Returns c when nobody waits for it: the
 * caller of complete frees it, out of the section. */
static struct ipc_call *complete(struct ipc_call *c, SCODE result)
{
    c->result = result;
    c->state = CALL_DONE;
    if (c->abandoned)
        return c;
    if (c->caller)
        sched_wake(c->caller);
    return 0;
}

/* Fail every queued call (in the section); the orphans, chained. */
static struct ipc_call *fail_queue(struct ipc_pool *pool, SCODE why)
{
    struct ipc_call *orphans = 0;
    while (pool->queue) {
        struct ipc_call *c = pool->queue;
        pool->queue = c->next;
        if (complete(c, why)) {
            c->next = orphans;
            orphans = c;
        }
    }
    return orphans;
}

static void free_chain(struct ipc_call *c)
{
    while (c) {
        struct ipc_call *next = c->next;
        call_free(c);
        c = next;
    }
}

static void start_server(struct process *p)
{
    struct ipc_pool *pool = &p->pool;
    if (SUCCEEDED(process_start_thread(p, pool->entry, pool->arg)))
        return;
    unsigned long irq = np_begin(NP_SCHED);
    pool->nthreads--;
    pool->unclaimed--;
    struct ipc_call *orphans = pool->nthreads ? 0 : fail_queue(pool, E_OUTOFMEMORY);
    np_end(NP_SCHED, irq);
    free_chain(orphans);
}

/* Queue c for p's pool: wake an idle thread, or start one if the pool may
 * grow; else c waits for a thread to finish. */
static SCODE submit(struct process *p, struct ipc_call *c)
{
    struct ipc_pool *pool = &p->pool;
    SCODE sc = S_OK;
    bool grow = false;
    unsigned long irq = np_begin(NP_SCHED);
    if (pool->closed || p->dying) {
        sc = IPC_E_DISCONNECTED;
    } else if (!pool->entry) {
        sc = IPC_E_NOT_SERVING;
    } else {
        c->state = CALL_QUEUED;
        enqueue(pool, c);
        if (pool->idle) {
            struct thread *t = pool->idle;
            pool->idle = t->ipc_next;
            sched_wake(t);
        } else if (pool->nthreads < pool->max_threads) {
            pool->nthreads++;
            pool->unclaimed++;
            grow = true;
        }
    }
    np_end(NP_SCHED, irq);
    if (grow)
        start_server(p);
    return sc;
}

/* Wait until c is answered; give up when the caller is being ended, or
 * when c waited in the queue for longer than the pool allows. */
static SCODE wait_answer(struct ipc_pool *pool, struct ipc_call *c)
{
    struct thread *self = thread_current();
    uint64_t deadline = deadline_after(pool->queue_ticks);
    SCODE sc = S_OK;
    unsigned long irq = np_begin(NP_SCHED);
    c->caller = self;
    while (c->state != CALL_DONE) {
        bool queued = c->state == CALL_QUEUED;
        if (self->kill_fn || (queued && deadline && timer_ticks() >= deadline)) {
            sc = self->kill_fn ? IPC_E_CANCELLED : IPC_E_TIMEOUT;
            if (queued)
                dequeue(pool, c);
            else
                c->abandoned = true; /* the server thread frees it */
            break;
        }
        irq = sched_wait_interruptible(NP_SCHED, irq, queued ? deadline : 0);
    }
    bool mine = !c->abandoned;
    np_end(NP_SCHED, irq);
    if (!mine)
        return sc;
    if (FAILED(sc)) {
        call_free(c);
        return sc;
    }
    return call_finish(c);
}

SCODE ipc_call(struct process *p, uint32_t cookie, const struct com_iface_sig *sig, uint32_t method,
               void *block)
{
    const struct com_method_sig *m = method < sig->nmethods ? sig->methods[method] : 0;
    struct ipc_call *c;
    if (!m)
        return RPC_E_BADMETHOD;
    SCODE sc = call_build(m, cookie, method, block, &c);
    if (FAILED(sc))
        return sc;
    c->prio = thread_current()->prio;
    sc = submit(p, c);
    if (FAILED(sc)) {
        call_free(c);
        return sc;
    }
    return wait_answer(&p->pool, c);
}

void ipc_notify_disconnect(struct process *p, uint32_t cookie, uint32_t count)
{
    struct ipc_call *c = call_notice(cookie, IPC_M_DISCONNECT, count);
    if (!c)
        return; /* the server keeps the object: its loss, not the kernel's */
    c->abandoned = true;
    c->prio = PRIO_NORMAL;
    if (FAILED(submit(p, c)))
        call_free(c);
}

/* A thread the pool started becomes one of its server threads at its
 * first Serve; no other thread may serve. */
static SCODE claim(struct ipc_pool *pool, struct thread *self)
{
    if (self->ipc_server)
        return S_OK;
    unsigned long irq = np_begin(NP_SCHED);
    bool ok = pool->unclaimed > 0;
    if (ok) {
        pool->unclaimed--;
        self->ipc_server = true;
    }
    np_end(NP_SCHED, irq);
    return ok ? S_OK : E_UNEXPECTED;
}

static void set_priority(struct thread *t, int prio)
{
    if (t->base_prio == prio && t->prio == prio)
        return;
    unsigned long irq = np_begin(NP_SCHED);
    t->base_prio = prio;
    sched_set_effective_priority(t, prio);
    np_end(NP_SCHED, irq);
}

/* The server thread's answer to the call it ran. */
static void answer(struct process *p, struct thread *self, SCODE result, const uint8_t *kbuf,
                   uint32_t size)
{
    struct ipc_call *c = self->serving;
    self->serving = 0;
    if (c->size > size)
        result = IPC_E_TOO_BIG; /* not the buffer the call went to */
    call_collect(c, p, result, kbuf);
    unsigned long irq = np_begin(NP_SCHED);
    struct ipc_call *orphan = complete(c, c->result);
    np_end(NP_SCHED, irq);
    if (orphan)
        call_free(orphan);
    set_priority(self, PRIO_NORMAL);
}

/* The next call for a server thread; NULL when it should end (idle too
 * long, or its process or itself is ending). */
static struct ipc_call *take(struct ipc_pool *pool, struct thread *self)
{
    uint64_t deadline = deadline_after(pool->idle_ticks);
    struct ipc_call *c = 0;
    unsigned long irq = np_begin(NP_SCHED);
    while (!pool->closed && !self->kill_fn) {
        if (pool->queue) {
            c = pool->queue;
            pool->queue = c->next;
            c->state = CALL_RUNNING;
            break;
        }
        if (deadline && timer_ticks() >= deadline)
            break;
        self->ipc_next = pool->idle;
        pool->idle = self;
        irq = sched_wait_interruptible(NP_SCHED, irq, deadline);
        remove_idle(pool, self);
    }
    if (!c) {
        pool->nthreads--;
        self->ipc_server = false;
    }
    np_end(NP_SCHED, irq);
    return c;
}

SCODE ipc_serve(struct process *p, SCODE result, uint8_t *kbuf, uintptr_t ubuf, uint32_t size,
                SERVE_REQUEST *req)
{
    struct thread *self = thread_current();
    if (ubuf & 7)
        return E_INVALIDARG; /* the image's words must be aligned in it */
    SCODE sc = claim(&p->pool, self);
    if (FAILED(sc))
        return sc;
    if (self->serving)
        answer(p, self, result, kbuf, size);
    for (;;) {
        struct ipc_call *c = take(&p->pool, self);
        if (!c)
            return IPC_S_RETIRE;
        sc = call_deliver(c, p, kbuf, ubuf, size, req);
        if (SUCCEEDED(sc)) {
            self->serving = c;
            set_priority(self, c->prio);
            return S_OK;
        }
        unsigned long irq = np_begin(NP_SCHED);
        struct ipc_call *orphan = complete(c, sc);
        np_end(NP_SCHED, irq);
        if (orphan)
            call_free(orphan);
    }
}

void ipc_pool_close(struct process *p)
{
    struct ipc_pool *pool = &p->pool;
    unsigned long irq = np_begin(NP_SCHED);
    pool->closed = true;
    struct ipc_call *orphans = fail_queue(pool, IPC_E_DISCONNECTED);
    for (struct thread *t = pool->idle; t; t = t->ipc_next)
        sched_wake(t);
    pool->idle = 0;
    np_end(NP_SCHED, irq);
    free_chain(orphans);
}

void ipc_thread_exit(struct process *p, struct thread *t)
{
    struct ipc_call *c = t->serving, *orphan = 0;
    call_drop_spare(t);
    t->serving = 0;
    unsigned long irq = np_begin(NP_SCHED);
    if (t->ipc_server) {
        p->pool.nthreads--;
        t->ipc_server = false;
        remove_idle(&p->pool, t);
    }
    if (c)
        orphan = complete(c, IPC_E_SERVER_DIED);
    np_end(NP_SCHED, irq);
    if (orphan)
        call_free(orphan);
}
