/* The QEMU monitor of a guest run with a unix socket (tools/qemu
 * --monitor): screendumps taken while the guest holds still (guest.h). */
#include "guest.h"

#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Read from fd until a monitor prompt comes. QEMU echoes a command
 * redrawing its line at each character, many KiB for a long path: only
 * the end of what came before a read is kept, to find a prompt cut in two. */
static bool await_prompt(int fd)
{
    static const char prompt[] = "(qemu) ";
    char buf[4096 + sizeof prompt];
    size_t keep = 0;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 10000) <= 0)
            return false;
        ssize_t n = read(fd, buf + keep, sizeof buf - 1 - keep);
        if (n <= 0)
            return false;
        size_t len = keep + (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, prompt))
            return true;
        keep = len < sizeof prompt - 1 ? len : sizeof prompt - 1;
        memmove(buf, buf + len - keep, keep);
    }
}

bool guest_screendump(const char *sock, const char *file)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && await_prompt(fd);
    char cmd[4200];
    int n = snprintf(cmd, sizeof cmd, "screendump %s\n", file);
    ok = ok && write(fd, cmd, (size_t)n) == n && await_prompt(fd); /* done at the next prompt */
    if (fd >= 0)
        close(fd);
    return ok;
}
