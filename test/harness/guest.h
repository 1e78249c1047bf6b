/* The integration harness: boot a kernel in QEMU (through tools/qemu),
 * optionally type into its console, capture the serial log, and classify
 * how the run ended. A run never outlives its timeout: QEMU is killed. */
#ifndef TEST_GUEST_H
#define TEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum guest_outcome {
    GUEST_PASS,       /* "ktest: verdict NAME pass" */
    GUEST_FAIL,       /* "ktest: verdict NAME fail: ..." */
    GUEST_PANIC,      /* "PANIC: ..." */
    GUEST_TIMEOUT,    /* still running at the deadline: killed */
    GUEST_NO_VERDICT, /* QEMU exited with none of the above */
};

struct guest_run {
    enum guest_outcome outcome;
    char *log;          /* everything QEMU wrote, NUL-terminated, \r removed */
    int exit_status;    /* QEMU's exit status, -1 if killed */
    double seconds;     /* wall time of the run */
    char verdict[512];  /* the verdict or PANIC line, if any */
    const char *kernel; /* the ELF that was booted */
};

struct guest_opts {
    const char *cmdline; /* kernel command line */
    const char *input;   /* typed once the console or the shell shows its prompt */
    double timeout;      /* seconds; 0 means the default (RIALTO_GUEST_TIMEOUT or 120) */
    bool plain;          /* boot kernel.elf (what `ninja run` boots), not kernel-test.elf */
    bool real_time;      /* without tools/qemu --icount (which every other run has) */
    const char *disk;    /* a raw image attached as the primary master IDE disk, or NULL */
    bool nic;            /* a PCnet card on QEMU's restricted user network (tools/qemu --nic) */
    const char *hostfwd; /* with it, a forwarded port (tools/qemu --hostfwd=RULE), or NULL */
    const char *tftp;    /* with it, the directory QEMU's TFTP server serves, or NULL */
    const char *dgram;   /* instead, a PCnet on a UDP wire: "LOCAL:REMOTE[:MAC]" (tools/qemu) */
    bool display;        /* a bochs-display (tools/qemu --display) */
    const char *monitor; /* the QEMU monitor on this unix socket (tools/qemu --monitor) */
    /* When the log first shows `screendump_when`, the picture goes to the
     * PPM file `screendump` (through the monitor), then Enter is typed. */
    const char *screendump_when, *screendump;
};

extern const char *const guest_arches[2];

/* The kernel ELF of an arch in the build directory: kernel-test.elf, with
 * the guest tests, or (plain) kernel.elf, without. */
const char *guest_kernel(const char *arch, bool plain);

struct guest_run guest_boot(const char *arch, const struct guest_opts *opts);
void guest_run_free(struct guest_run *run);

/* Run guest test `name` on `arch`; the log goes to
 * BUILDDIR/test-results/logs/ARCH-NAME.log. A test whose name starts
 * with "disk_" gets a disk: a fresh image from guest_make_disk at
 * guest_disk_path(arch, name), left there for the host to read; one
 * whose name starts with "fs_", a FAT image (guest_make_fat_disk), checked
 * after a run that passed (guest_check_fat_disk); one whose name starts
 * with "net_", a network card on QEMU's user network, restrict=on
 * (tools/qemu --nic); one whose name starts with "gfx_", a display
 * (tools/qemu --display) and the monitor: when its log shows
 * GUEST_PICTURE_READY, the screen goes to guest_screendump_path(arch,
 * name) (the calling process's own: its pid is in the name) and Enter is
 * typed (the guest holds still until then). */
#define GUEST_PICTURE_READY "gfx: picture ready"
const char *guest_screendump_path(const char *arch, const char *name); /* a static buffer */
struct guest_run guest_run_test(const char *arch, const char *name, double timeout);

/* Tests named "net_fwd_*" get the network and host port P forwarded to
 * the guest's GUEST_FWD_PORT (tcp:127.0.0.1:P-:GUEST_FWD_PORT), P a port
 * free on the host; while they run a child process connects to P again
 * and again, so QEMU opens connections to the guest unasked (net.c); they
 * run in real time (without --icount), on the host's clock as QEMU's
 * user network is. */
#define GUEST_FWD_PORT 7
int guest_free_port(void);
pid_t guest_start_connector(int port);
void guest_stop_connector(pid_t pid);
/* The exit status of child PID, waited for up to SECONDS (a child's last
 * frames or connection may still be under way when its guest ends), then
 * killed (SIGKILL's status). */
int guest_reap(pid_t pid, double seconds);

/* Take a screendump of the guest whose monitor is on unix socket sock
 * into file (PPM); whether QEMU said it was done (monitor.c). */
bool guest_screendump(const char *sock, const char *file);

/* The disk image of guest test name on arch (a static buffer). */
const char *guest_disk_path(const char *arch, const char *name);
/* Write a fresh image of GUEST_DISK_SECTORS 512-byte sectors at path,
 * every 32-bit word of sector s holding GUEST_DISK_PATTERN(s), so a
 * guest can tell which sector it read. */
#define GUEST_DISK_SECTORS    2048
#define GUEST_DISK_PATTERN(s) (0x5ec00000u | (unsigned)(s))
void guest_make_disk(const char *path);
/* A test whose name starts with "fs_" gets an 8 MiB FAT16 image instead
 * (one ending in "_fat12" or "_fat32" a FAT12 or FAT32 image),
 * holding HELLO.TXT (GUEST_FAT_HELLO); after its run, fsck.fat -n must
 * find nothing to fix and "written by the guest.txt" must hold
 * GUEST_FAT_LEFT, and the directories GUEST_FAT_DIR and GUEST_FAT_DIR " 2"
 * must be there (apps/test_fs, run twice, leaves them) (fat_disk.c). */
#define GUEST_FAT_HELLO "hello from the host\n"
#define GUEST_FAT_LEFT  "written by the guest\n"
#define GUEST_FAT_DIR   "made by the guest"
/* mkfs.fat and fsck.fat are in /usr/sbin or /sbin, often not on PATH:
 * TOOL's full path there (a static buffer), or TOOL. */
const char *guest_sbin(const char *tool);
void guest_make_fat_disk(const char *path);
void guest_make_fat_disk_of(const char *path, int type); /* 12, 16 or 32 */
void guest_check_fat_disk(const char *path);
/* fsck.fat -n finds nothing to fix in the image; it holds directory dir. */
bool guest_fat_disk_sound(const char *path);
bool guest_fat_has_dir(const char *path, const char *dir);

/* The log with backtraces symbolized (tools/symbolize); free() it. */
char *guest_symbolized_log(const char *arch, const struct guest_run *run);
/* The same against another ELF (a user program's, for its frames). */
char *guest_symbolized_against(const char *elf, const struct guest_run *run);

/* Fail the current Criterion test unless the run passed, printing the
 * symbolized log. */
void guest_expect_pass(const char *arch, const char *name);

const char *guest_outcome_name(enum guest_outcome o);

/* Define the same Criterion test on both arches, calling fn(arch). */
#define BOTH_ARCHES(test, fn)                                                                      \
    Test(integration_x86, test)                                                                    \
    {                                                                                              \
        fn("x86");                                                                                 \
    }                                                                                              \
    Test(integration_mips, test)                                                                   \
    {                                                                                              \
        fn("mips");                                                                                \
    }

#endif
