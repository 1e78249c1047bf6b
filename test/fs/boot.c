/* A boot with a FAT disk: the boot starts fs where the build placed it (in
 * the kernel) or where place.fs= moves it, and fs registers "fs" before
 * init; the console's `names` lists it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../harness/guest.h"

static void boot_with_disk(const char *arch, const char *cmdline, const char *line,
                           const char *owner)
{
    const char *path = guest_disk_path(arch, "fs_boot");
    guest_make_fat_disk(path);
    struct guest_opts opts = {
        .cmdline = cmdline, .input = "names\nhalt\n", .timeout = 60, .plain = true, .disk = path};
    struct guest_run run = guest_boot(arch, &opts);
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s\n%s", arch, run.verdict, run.log);
    cr_expect(strstr(run.log, line), "%s: %s", arch, run.log);
    cr_expect(strstr(run.log, owner), "%s: %s", arch, run.log);
    guest_run_free(&run);
}

static void served_at_boot(const char *arch)
{
    boot_with_disk(arch, "", "services: fs in the kernel\n",
                   "  fs                               kernel\n");
    boot_with_disk(arch, "place.fs=process", "services: fs in a process\n",
                   "  fs                               fs (1)\n");
}
BOTH_ARCHES(fs_served_at_boot, served_at_boot)
