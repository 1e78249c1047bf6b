/* A boot with a FAT disk: the boot starts fs where the build placed it (in
 * the kernel) or where place.fs= moves it, and fs registers "fs" before
 * init; the console's `names` lists it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/guest.h"
#include "image.h"

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

/* df before and after a directory and a file are made: the FAT16 image's
 * size, and two clusters more in use (the directory's and the file's). */
static void check_df(const char *arch, const char *log)
{
    unsigned type[2], total[2], cluster[2], used[2], free_kib[2];
    const char *at = log;
    for (int i = 0; i < 2; i++) {
        at = strstr(at, "shell> df\n");
        cr_assert(at, "%s: df %d: %s", arch, i, log);
        at += strlen("shell> df\n");
        cr_assert_eq(sscanf(at, "  FAT%u, %u KiB in %u-byte clusters: %u KiB used, %u KiB free",
                            &type[i], &total[i], &cluster[i], &used[i], &free_kib[i]),
                     5, "%s: %.100s", arch, at);
        cr_expect_eq(type[i], 16);
        cr_expect_eq(used[i] + free_kib[i], total[i]);
        cr_expect(total[i] > 7000 && total[i] < 8192, "%s: %u KiB of 8 MiB", arch, total[i]);
    }
    cr_expect_eq(used[1] - used[0], 2 * cluster[0] / 1024, "%s: %u then %u KiB used", arch, used[0],
                 used[1]);
}

/* The shell's file commands on the disk, fs in either placement: the
 * host's file, a directory and a file made, listed, read, moved and
 * removed; errors named; the image still sound (fsck.fat -n) and the
 * directory made and left is there for mtools. */
static void shell_files(const char *arch, const char *cmdline)
{
    const char *path = guest_disk_path(arch, "fs_shell");
    guest_make_fat_disk(path);
    struct guest_opts opts = {
        .cmdline = cmdline,
        .input = "ls\ncat HELLO.TXT\ndf\nmkdir notes\nwrite notes/first.txt one two\ndf\n"
                 "ls notes\ncat notes/first.txt\nmv notes/first.txt notes/second.txt\n"
                 "cat notes/second.txt\ncat notes/first.txt\nrm notes\n"
                 "rm notes/second.txt\nrm notes\nmkdir kept\nls\nhalt\n",
        .timeout = 60,
        .plain = true,
        .disk = path};
    struct guest_run run = guest_boot(arch, &opts);
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s\n%s", arch, run.verdict, run.log);
    const char *log = run.log;
    cr_expect(strstr(log, "shell> ls\n  HELLO.TXT "), "%s: %s", arch, log);
    cr_expect(strstr(log, "shell> cat HELLO.TXT\n" GUEST_FAT_HELLO), "%s: %s", arch, log);
    char line[128];
    snprintf(line, sizeof line, "shell> ls notes\n  %-32s %10u\n", "first.txt", 8);
    cr_expect(strstr(log, line), "%s: %s", arch, log);
    cr_expect(strstr(log, "shell> cat notes/first.txt\none two\n"), "%s: %s", arch, log);
    cr_expect(strstr(log, "shell> cat notes/second.txt\none two\n"), "%s: %s", arch, log);
    cr_expect(strstr(log, "cat: notes/first.txt: failed (0x80b20003)"), "%s: %s", arch, log);
    cr_expect(strstr(log, "rm: notes: failed (0x80b20007)"), "%s: %s", arch, log);
    snprintf(line, sizeof line, "\n  %-32s %10s\n", "kept", "<dir>");
    cr_expect(strstr(log, line), "%s: %s", arch, log);
    cr_expect(!strstr(log, "  notes "), "%s: notes removed: %s", arch, log);
    check_df(arch, log);
    cr_expect(guest_fat_disk_sound(path), "%s: fsck.fat -n on %s", arch, path);
    cr_expect(guest_fat_has_dir(path, "kept"), "%s: mdir finds kept in %s", arch, path);
    guest_run_free(&run);
}

static void shell_files_both(const char *arch)
{
    shell_files(arch, "init=shell");
    shell_files(arch, "init=shell place.fs=process");
}
BOTH_ARCHES(fs_shell_file_commands, shell_files_both)

/* The disk `ninja run` attaches (tools/mkdisk): the shell finds its
 * README.TXT and docs directory, and df says FAT16. */
static void run_disk(const char *arch)
{
    char path[512], cmd[1200];
    snprintf(path, sizeof path, "%s/test-results/disks/%s-run.img", BUILDDIR, arch);
    snprintf(cmd, sizeof cmd, "%s/tools/mkdisk %s", SRCDIR, path);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    struct guest_opts opts = {.cmdline = "init=shell",
                              .input = "ls\ncat README.TXT\nls docs\ndf\nhalt\n",
                              .timeout = 60,
                              .plain = true,
                              .disk = path};
    struct guest_run run = guest_boot(arch, &opts);
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s\n%s", arch, run.verdict, run.log);
    cr_expect(strstr(run.log, "This is Rialto's disk"), "%s: %s", arch, run.log);
    cr_expect(strstr(run.log, "  Project readme.md "), "%s: %s", arch, run.log);
    cr_expect(strstr(run.log, "  FAT16, "), "%s: %s", arch, run.log);
    guest_run_free(&run);
}
BOTH_ARCHES(fs_run_disk, run_disk)

/* Write-back at a timeout: test_fs writes a file and keeps it open,
 * never flushing; the machine halts four seconds later (the power cut);
 * the file's bytes must be on the disk (fs flushes what is dirty every
 * 2 s), in both placements, and the image sound. */
static void write_back(const char *arch, const char *cmdline)
{
    const char *path = guest_disk_path(arch, "fs_late");
    guest_make_fat_disk(path);
    struct guest_opts opts = {.cmdline = cmdline,
                              .input = "run test_fs late /LATE.TXT written-late &\n"
                                       "run sleep 4\nhalt\n",
                              .timeout = 60,
                              .disk = path};
    struct guest_run run = guest_boot(arch, &opts);
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s\n%s", arch, run.verdict, run.log);
    cr_expect(strstr(run.log, "test_fs late: /LATE.TXT: 0, 12 bytes, not flushed"), "%s: %s", arch,
              run.log);
    char cmd[4400], got[64] = "";
    snprintf(cmd, sizeof cmd, "MTOOLS_SKIP_CHECK=1 mtype -i '%s' ::LATE.TXT 2>&1", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(got, 1, sizeof got - 1, p);
    got[n] = '\0';
    pclose(p);
    cr_expect_str_eq(got, "written-late", "%s %s: after the cut the disk holds \"%s\"", arch,
                     cmdline, got);
    cr_expect(guest_fat_disk_sound(path), "%s: fsck.fat -n on %s", arch, path);
    guest_run_free(&run);
}

static void write_back_both(const char *arch)
{
    write_back(arch, "init=shell");
    write_back(arch, "init=shell place.fs=process");
}
BOTH_ARCHES(fs_write_back_at_a_timeout, write_back_both)

/* QEMU killed in the middle of writes (the harness's timeout ends it
 * while test_fs churns: files created, written, renamed and removed, some
 * flushed, the write-back thread at work): fsck.fat -n may then report
 * only what fat_cache_io.c's power-cut note allows. */
static void killed(const char *arch, const char *cmdline)
{
    const char *path = guest_disk_path(arch, "fs_killed");
    guest_make_fat_disk(path);
    struct guest_opts opts = {
        .cmdline = cmdline, .input = "run test_fs churn\n", .timeout = 6, .disk = path};
    struct guest_run run = guest_boot(arch, &opts);
    cr_assert_eq(run.outcome, GUEST_TIMEOUT, "%s: %s\n%s", arch, run.verdict, run.log);
    cr_assert(strstr(run.log, "shell> run test_fs churn"), "%s: %s", arch, run.log);
    char cmd[4400], line[512], all[8192] = "";
    snprintf(cmd, sizeof cmd, "PATH=$PATH:/usr/sbin:/sbin fsck.fat -n '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    int bad = 0;
    while (fgets(line, sizeof line, p)) {
        bad |= !image_fsck_line_after_cut(line);
        if (strlen(all) + strlen(line) < sizeof all)
            strcat(all, line);
    }
    pclose(p);
    cr_expect(!bad, "%s %s: fsck.fat after the kill says:\n%s", arch, cmdline, all);
    guest_run_free(&run);
}

static void killed_both(const char *arch)
{
    killed(arch, "init=shell");
    killed(arch, "init=shell place.fs=process");
}
BOTH_ARCHES(fs_killed_in_the_middle_of_writes, killed_both)
