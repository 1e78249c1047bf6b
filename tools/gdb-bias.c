/* gdb-bias BIAS HOST:PORT: a gdb remote-protocol relay that adds BIAS to
 * every address gdb sends. gdb runs it as `target remote | gdb-bias ...`
 * (stdin and stdout are gdb's side; HOST:PORT is QEMU's gdb stub).
 *
 * Why: the x86 kernel's code and data segments have base 1 GiB, so a
 * kernel virtual address v (what the symbols, eip, esp and ebp hold) is
 * linear address v + 1 GiB mod 4 GiB, and QEMU's stub reads memory and
 * places breakpoints and watchpoints at linear addresses. Adding the bias
 * to the addresses of m, M, X, Z and z packets (and taking it off the
 * watchpoint address of a stop reply) gives gdb one consistent view:
 * kernel virtual addresses everywhere. Registers pass unchanged. Code
 * running with a segment of base 0 (boot.S before the kernel GDT, user
 * mode) is seen at the wrong addresses. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PACKET_MAX       (1 << 17)
#define CONNECT_TRIES    200 /* 10 s */
#define CONNECT_RETRY_US 50000

static uint32_t bias;

/* A packet being read from one side: "$payload#ck". */
struct reader {
    int fd;
    int state; /* 0: between packets, 1: payload, 2 and 3: checksum digits */
    char payload[PACKET_MAX];
    size_t len;
};

static void write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            exit(0); /* the other side is gone */
        p += w;
        n -= (size_t)w;
    }
}

/* One write per packet: with small writes, Nagle's algorithm would hold
 * each reply back for a delayed ack. */
static void send_packet(int fd, const char *payload, size_t len)
{
    static char buf[2 * PACKET_MAX + 4];
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (unsigned char)payload[i];
    buf[0] = '$';
    memcpy(buf + 1, payload, len);
    snprintf(buf + 1 + len, 4, "#%02x", sum & 0xff);
    write_all(fd, buf, len + 4);
}

/* Copy payload[from, to) with the hex address at `from` moved by delta,
 * appending to out. Returns the new length of out. */
static size_t move_address(char *out, size_t n, const char *p, size_t from, size_t to,
                           uint32_t delta)
{
    size_t end = from;
    while (end < to && strchr("0123456789abcdefABCDEF", p[end]) && p[end])
        end++;
    if (end == from || end - from > 8) { /* not a 32-bit address: unchanged */
        memcpy(out + n, p + from, to - from);
        return n + (to - from);
    }
    char hex[9];
    memcpy(hex, p + from, end - from);
    hex[end - from] = '\0';
    uint32_t a = (uint32_t)strtoul(hex, NULL, 16) + delta;
    n += (size_t)sprintf(out + n, "%x", a);
    memcpy(out + n, p + end, to - end);
    return n + (to - end);
}

/* gdb -> stub: "mADDR,LEN", "MADDR,LEN:data", "XADDR,LEN:data",
 * "Zt,ADDR,KIND", "zt,ADDR,KIND". */
static size_t from_gdb(char *out, const char *p, size_t len)
{
    if (len > 1 && (p[0] == 'm' || p[0] == 'M' || p[0] == 'X')) {
        out[0] = p[0];
        return move_address(out, 1, p, 1, len, bias);
    }
    if (len > 3 && (p[0] == 'Z' || p[0] == 'z') && p[2] == ',') {
        memcpy(out, p, 3);
        return move_address(out, 3, p, 3, len, bias);
    }
    memcpy(out, p, len);
    return len;
}

/* stub -> gdb: a stop reply "T05watch:ADDR;..." names a linear address. */
static size_t from_stub(char *out, const char *p, size_t len)
{
    static const char *const keys[] = {"watch:", "rwatch:", "awatch:"};
    if (len > 3 && p[0] == 'T') {
        for (size_t k = 0; k < 3; k++) {
            const char *hit = memmem(p, len, keys[k], strlen(keys[k]));
            if (hit && (hit == p + 3 || hit[-1] == ';')) {
                size_t at = (size_t)(hit - p) + strlen(keys[k]);
                memcpy(out, p, at);
                return move_address(out, at, p, at, len, (uint32_t)-bias);
            }
        }
    }
    memcpy(out, p, len);
    return len;
}

/* Feed bytes read from r->fd; complete packets go to `to`, rewritten. */
static void relay(struct reader *r, const char *buf, size_t n, int to,
                  size_t (*rewrite)(char *, const char *, size_t))
{
    static char out[2 * PACKET_MAX];
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        switch (r->state) {
        case 0:
            if (c == '$') {
                r->state = 1;
                r->len = 0;
            } else {
                write_all(to, &c, 1); /* acks, Ctrl-C */
            }
            break;
        case 1:
            if (c == '#')
                r->state = 2;
            else if (r->len < PACKET_MAX)
                r->payload[r->len++] = c;
            break;
        case 2:
            r->state = 3;
            break;
        case 3: /* the checksum is recomputed for the rewritten packet */
            r->state = 0;
            send_packet(to, out, rewrite(out, r->payload, r->len));
            break;
        }
    }
}

static int connect_to(const char *hostport)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    if (!colon || (size_t)(colon - hostport) >= sizeof host) {
        fprintf(stderr, "gdb-bias: expected HOST:PORT, got '%s'\n", hostport);
        exit(2);
    }
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    int err = getaddrinfo(host, colon + 1, &hints, &res);
    if (err) {
        fprintf(stderr, "gdb-bias: %s: %s\n", hostport, gai_strerror(err));
        exit(1);
    }
    /* QEMU may still be starting: retry a refused connection, as gdb does */
    for (int tries = 0; tries < CONNECT_TRIES; tries++) {
        for (struct addrinfo *a = res; a; a = a->ai_next) {
            int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
            if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
                int one = 1; /* the protocol is a ping-pong of small packets */
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                freeaddrinfo(res);
                return fd;
            }
            err = errno;
            if (fd >= 0)
                close(fd);
        }
        if (err != ECONNREFUSED)
            break;
        usleep(CONNECT_RETRY_US);
    }
    fprintf(stderr, "gdb-bias: cannot connect to %s: %s\n", hostport, strerror(err));
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gdb-bias BIAS HOST:PORT (from gdb: target remote | gdb-bias "
                        "0x40000000 localhost:1234)\n");
        return 2;
    }
    bias = (uint32_t)strtoul(argv[1], NULL, 0);
    int stub = connect_to(argv[2]);
    static struct reader gdb_side = {.fd = 0}, stub_side;
    stub_side.fd = stub;
    for (;;) {
        struct pollfd fds[2] = {{0, POLLIN, 0}, {stub, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        char buf[4096];
        for (int i = 0; i < 2; i++) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0)
                return 0;
            if (i == 0)
                relay(&gdb_side, buf, (size_t)n, stub, from_gdb);
            else
                relay(&stub_side, buf, (size_t)n, 1, from_stub);
        }
    }
}
