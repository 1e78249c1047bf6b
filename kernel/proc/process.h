/* Processes (paper 1.1): a process object owns an address space, threads
 * and a handle table, and is reached through IProcess (QueryInterface
 * gives its IAddressSpace and IMemoryObject). Its executable comes from
 * the boot archive; its first thread starts at the entry point with a
 * PROCESS_START_INFO (idl/IProcess.idl) at the top of its stack.
 *
 * Lifetime: COM references (handles, kernel pointers) keep the object;
 * the process itself ends when its last thread does, or when it is
 * terminated: then its threads are ended as they next leave the kernel,
 * and the last one out frees every page, node and handle of the process
 * (the reaper thread does the freeing, in thread context). The object
 * stays, with its exit code, until its last reference goes. */
#ifndef KERNEL_PROC_PROCESS_H
#define KERNEL_PROC_PROCESS_H

#include <IProcess.h>
#include <kernel/ipc/pool.h>
#include <kernel/loader/loader.h>
#include <kernel/proc/handle.h>
#include <kernel/sync/event.h>
#include <kernel/vm/vm.h>

#define PROC_NAME_MAX    32
#define PROC_HANDLES     100 /* more than PROC_MAX_THREADS: a thread's handle always fits */
#define PROC_STACK_SIZE  (256 * 1024) /* the first thread's user stack, auto-committed */
#define PROC_MAX_ARGS    16
#define PROC_MAX_THREADS 64 /* so a process cannot spend the kernel's memory on threads */

struct process {
    IProcess iproc;
    uint32_t refs;
    uint32_t id;
    char name[PROC_NAME_MAX];
    struct as as;
    struct image_set images; /* the program and its DLLs (kernel/loader) */
    IAddressSpace *space;    /* as's object; the process holds one reference */
    struct handle_table handles;
    unsigned nthreads; /* live threads */
    bool dying;        /* terminated: threads end as they leave the kernel */
    int32_t exit_code;
    uintptr_t exception_handler; /* user address, 0: none */
    struct event finished;       /* every thread gone, every page freed */
    struct ipc_pool pool;        /* its server threads (kernel/ipc/pool.h) */
    struct remote *remotes;      /* its exported objects (kernel/ipc/remote.h) */
    struct process *next_all;
};

/* Start the reaper (kmain). */
void proc_init(void);

/* A new process running `name` from the boot archive with argv (argv[0]
 * is the name); *out holds one reference. BOOTFS_E_NOT_FOUND if there is
 * no such program, LDR_E_* for a bad image, E_OUTOFMEMORY. */
SCODE process_spawn(const char *name, int argc, const char *const *argv, struct process **out);
/* The same, passing the new process a handle to `extra` (an interface
 * `iid` of a kernel object; NULL: none) as its start block's Extra. */
SCODE process_spawn_with(const char *name, int argc, const char *const *argv, IUnknown *extra,
                         const IID *iid, struct process **out);
/* The same from an image in memory. */
SCODE process_create(const char *name, const void *image, size_t size, int argc,
                     const char *const *argv, IUnknown *extra, const IID *iid,
                     struct process **out);
/* Start a thread of p at user address entry(arg) on a new stack of the
 * default size (a server thread: kernel/ipc/pool.c). */
SCODE process_start_thread(struct process *p, uintptr_t entry, uintptr_t arg);
/* Wait until p has finished; its exit code. */
int32_t process_wait(struct process *p);
void process_release(struct process *p);
/* End p with exit_code (its threads end as they leave the kernel). */
void process_terminate(struct process *p, int32_t exit_code);

/* End the calling kernel thread; the reaper joins it (how a thread of the
 * kernel process ends: kernel/proc/kernel_process.c). */
__attribute__((noreturn)) void process_kernel_thread_exit(void);

/* The running thread's process, or NULL for a kernel thread. */
struct process *process_current(void);
/* Every process, through next_all (the console's ps). */
struct process *process_list(void);
/* The process with this id, with a reference (process_release), or NULL. */
struct process *process_find(uint32_t id);
/* Split args in place at blanks into at most max words of argv; how many
 * (more words than max are left in args past the last one). */
int process_split_args(char *args, const char **argv, int max);

/* Called for the current user thread where it would go back to user mode
 * while its process is dying, and by user exceptions that end it. */
__attribute__((noreturn)) void process_thread_exit(void *unused);

#endif
