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

/* Read from fd until the text read holds `prompts` monitor prompts. */
static bool await_prompts(int fd, int prompts)
{
    char buf[8192];
    size_t len = 0;
    int seen = 0;
    while (seen < prompts) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 10000) <= 0 || len == sizeof buf - 1)
            return false;
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            return false;
        len += (size_t)n;
        buf[len] = '\0';
        seen = 0;
        for (const char *s = buf; (s = strstr(s, "(qemu) ")); s++)
            seen++;
    }
    return true;
}

bool guest_screendump(const char *sock, const char *file)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && await_prompts(fd, 1);
    char cmd[4200];
    int n = snprintf(cmd, sizeof cmd, "screendump %s\n", file);
    ok = ok && write(fd, cmd, (size_t)n) == n && await_prompts(fd, 1); /* done at the next prompt */
    if (fd >= 0)
        close(fd);
    return ok;
}
