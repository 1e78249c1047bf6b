/* kmain: the machine-independent start of the kernel. */
#include <drivers/ata/piix.h>
#include <drivers/gfx/bochs.h>
#include <drivers/net/pcnet.h>
#include <config.h>
#include <kernel/arch.h>
#include <kernel/boot.h>
#include <kernel/lib/cmdline.h>
#include <kernel/vm/kmem.h>
#include <kernel/console.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/vm/pmem.h>
#include <kernel/sched/sched.h>
#include <kernel/timer.h>
#include <ISystem.h>
#include <kernel/loader/services.h>
#include <kernel/proc/kernel_process.h>
#include <kernel/proc/process.h>
#include <kernel/proc/system_object.h>
#include <kernel/vm/scratch.h>
#include <kernel/vm/trap.h>
#include <kernel/vm/vtlb.h>

static void report_memory(const struct boot_info *bi)
{
    for (int i = 0; i < bi->nusable; i++) {
        const struct mem_range *r = &bi->usable[i];
        kprintf("memory: usable   0x%08lx-0x%08lx (%lu KiB)\n", (unsigned long)r->base,
                (unsigned long)(r->base + r->size), (unsigned long)(r->size / 1024));
    }
    for (int i = 0; i < bi->nreserved; i++) {
        const struct mem_range *r = &bi->reserved[i];
        kprintf("memory: reserved 0x%08lx-0x%08lx (%lu KiB)\n", (unsigned long)r->base,
                (unsigned long)(r->base + r->size), (unsigned long)(r->size / 1024));
    }
}

/* init=NAME [on the command line]: the first process, from the boot
 * archive, with the system object (ISystem) as its start handle; kmain
 * waits for it (it owns the console: `ninja run` starts the shell), then
 * the kernel console is the fallback monitor. */
static void run_init(const char *cmdline)
{
    char name[PROC_NAME_MAX];
    struct process *p;
    if (!cmdline_get(cmdline, "init", name, sizeof name))
        return;
    SCODE sc =
        process_spawn_with(name, 1, (const char *const[]){name}, system_object(), &IID_ISystem, &p);
    if (FAILED(sc)) {
        kprintf("init: cannot start %s (%#x)\n", name, (unsigned)sc);
        return;
    }
    int32_t code = process_wait(p);
    kprintf("init: %s (%u) exited with %d (%#x); the kernel console follows\n", p->name, p->id,
            code, (unsigned)code);
    process_release(p);
}

void kmain(struct boot_info *bi)
{
    kprintf("\nRialto kernel %s\n", CONFIG_VERSION);
    kprintf("arch %s, loaded by %s, command line \"%s\"\n", ARCH_NAME, bi->loader, bi->cmdline);
    report_memory(bi);
    size_t free = pmem_init(bi->usable, bi->nusable, bi->reserved, bi->nreserved);
    kprintf("memory: %zu pages (%zu KiB) free\n", free, free * (PAGE_SIZE / 1024));
    kmem_init();

    arch_trap_init();
    uart_start_input();
    arch_timer_init(CONFIG_HZ);
    sched_init();
    vm_fault_helper_start();
    vm_scratch_init();
    proc_init();
    arch_irq_enable();
    kernel_process_init();
    piix_start();
    pcnet_start();
    bochs_start();

    unsigned long bound;
    int found = cmdline_get_uint(bi->cmdline, "vtlb", &bound);
    if (found && (found < 0 || !vtlb_set_bound((unsigned)bound)))
        panic("vtlb=: not a bound this VTLB can take (see docs/ARCHITECTURE.md)");

    cycles_set_counting_instructions(cmdline_get(bi->cmdline, "icount", NULL, 0));

    char test[KTEST_NAME_MAX + 2]; /* one more, so a longer name is "no such test" */
    if (cmdline_get(bi->cmdline, "test", test, sizeof test))
        ktest_main(test, bi->cmdline);

    uint64_t now = arch_cycles();
    kprintf("boot: cycle counter %llu at the prompt, %llu since kernel entry (%s)\n",
            (unsigned long long)now, (unsigned long long)(now - bi->entry_cycles), cycles_unit());
    services_start(bi->cmdline);
    run_init(bi->cmdline);
    console_run();
}
