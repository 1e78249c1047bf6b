/* screenshot QEMU ARCH KERNEL OUT.png: boot KERNEL (a kernel.elf) with a
 * display and init=gfxdemo through QEMU (tools/qemu), wait for the demo's sixth
 * frame and take the screen through the QEMU monitor as a PNG (QEMU 7.2's
 * screendump -f png) (`ninja screenshot`: the README's picture). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define READY "gfxdemo: frame 6"

/* Read from fd until a monitor prompt comes; 0 when it did. QEMU echoes
 * a command redrawing the line at each character: keep only the end of
 * what came before, to find a prompt cut in two. */
static int await_prompt(int fd)
{
    static const char prompt[] = "(qemu) ";
    char buf[4096 + sizeof prompt];
    size_t keep = 0;
    for (;;) {
        ssize_t r = read(fd, buf + keep, sizeof buf - 1 - keep);
        if (r <= 0)
            return 1;
        size_t len = keep + (size_t)r;
        buf[len] = 0;
        if (strstr(buf, prompt))
            return 0;
        keep = len < sizeof prompt - 1 ? len : sizeof prompt - 1;
        memmove(buf, buf + len - keep, keep);
    }
}

static int screendump(const char *sock, const char *file)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    char cmd[4200];
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    int n = snprintf(cmd, sizeof cmd, "screendump %s -f png\n", file);
    int bad = fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) || await_prompt(fd) ||
              write(fd, cmd, (size_t)n) != n || await_prompt(fd); /* done at the next prompt */
    if (fd >= 0)
        close(fd);
    return bad;
}

/* QEMU's output until READY (or its end). */
static int wait_ready(FILE *from)
{
    char line[512];
    while (fgets(line, sizeof line, from))
        if (strstr(line, READY))
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: screenshot QEMU ARCH KERNEL OUT.png\n");
        return 2;
    }
    char dir[] = "/tmp/rialto-shot-XXXXXX", sock[64], mon[80];
    if (!mkdtemp(dir))
        return 1;
    snprintf(sock, sizeof sock, "%s/monitor", dir);
    snprintf(mon, sizeof mon, "--monitor=%s", sock);
    int out[2];
    if (pipe(out))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        dup2(out[1], 1);
        close(out[0]);
        execl(argv[1], "qemu", "--display", mon, argv[2], argv[3], "init=gfxdemo", (char *)0);
        _exit(127);
    }
    close(out[1]);
    FILE *from = fdopen(out[0], "r");
    int bad = wait_ready(from) ? 1 : screendump(sock, argv[4]) ? 2 : 0;
    kill(-pid, SIGKILL);
    waitpid(pid, 0, 0);
    unlink(sock), rmdir(dir);
    if (bad)
        fprintf(stderr, "screenshot: no picture from %s (%s)\n", argv[3],
                bad == 1 ? "no demo" : "no screendump");
    return bad;
}
