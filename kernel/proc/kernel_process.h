/* The kernel process (paper 1.1): the kernel seen as one more process, the
 * home of services placed in the kernel. Its space is kernel_as (the
 * overlap region is where its images are mapped), its IProcess is the
 * object below, and its threads are kernel threads: an image the loader
 * mapped into kernel_as starts on one at its entry point, with a
 * PROCESS_START_INFO marked START_IN_KERNEL whose fields are the objects
 * themselves, so the runtime (rt.dll, loaded at boot, shared with every
 * process) calls kernel objects directly. Kernel only. */
#ifndef KERNEL_PROC_KERNEL_PROCESS_H
#define KERNEL_PROC_KERNEL_PROCESS_H

#include <IProcess.h>
#include <kernel/loader/loader.h>

/* Load rt.dll into kernel_as (kmain, before any service). */
void kernel_process_init(void);

/* The kernel process's IProcess (static: references are not counted). */
IProcess *kernel_process_object(void);

/* The images mapped into kernel_as, for reports. */
const struct image_set *kernel_process_images(void);

/* Map image `name` of the boot archive (and its imports) into kernel_as and
 * start it on a new kernel thread with argv; LDR_E_*, BOOTFS_E_NOT_FOUND,
 * E_OUTOFMEMORY. The image stays mapped for good. *started (if started is
 * not NULL) is that thread's start block (NULL on failure): ask
 * kernel_process_ended whether the thread has ended (its main returned);
 * the block stays for good too. */
struct kstart;
SCODE kernel_process_start(const char *name, int argc, const char *const *argv,
                           struct kstart **started);
bool kernel_process_ended(const struct kstart *s);

#endif
