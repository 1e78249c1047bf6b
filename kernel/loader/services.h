/* Placement (issue 11): the services the build made and where each runs.
 * configure writes the boot archive's manifest `services`, one line
 * "NAME kernel|process" per service (from services/NAME/component and
 * --place); at boot the kernel starts each: into the kernel process
 * (kernel/proc/kernel_process.h) or as a process of its own. The kernel
 * command line may override a placement with place.NAME=kernel|process
 * (the tests boot both placements of one build that way), and give the
 * service one argument with NAME.arg=VALUE (its argv[1]; net takes
 * net.arg=ip=A.B.C.D for a static address). Kernel only. */
#ifndef KERNEL_LOADER_SERVICES_H
#define KERNEL_LOADER_SERVICES_H

#include <com/com.h>
#include <stdbool.h>

#define SERVICE_NAME_MAX 32

enum placement { PLACE_KERNEL, PLACE_PROCESS };

struct process;

/* Start the service `name` (an image of the boot archive) placed `where`.
 * In a process it runs on its own; *out (if out is not NULL) is that
 * process, with a reference, or NULL in the kernel. */
SCODE service_start(const char *name, enum placement where, struct process **out);

/* A service registers itself with the name service under its own name
 * (services/NAME registers "NAME"): that is how the boot knows it is
 * ready. Wait up to ms for `name` to be registered; whether it was. */
#define SERVICE_READY_MS 2000
bool service_wait_ready(const char *name, unsigned ms);

/* Where the manifest (overridden by cmdline's place.NAME) puts `name`;
 * false if the manifest has no such service. */
bool service_placement(const char *cmdline, const char *name, enum placement *where);

/* Start every service of the manifest where it is placed, each ready
 * (registered) before the next starts and before the boot goes on; a
 * service that cannot start, ends without registering (fs with no disk:
 * the wait ends with it) or does not register in time is reported on the
 * console, and the others still start. */
void services_start(const char *cmdline);

#endif
