/* Bad frames at the whole system, fs's corrupt disks' way: the guest's
 * PCnet on a UDP wire (tools/qemu --nic-dgram) whose other end is this
 * test, which answers the net service's DHCP, then sends frames of every
 * bad kind (truncated, unknown types, bad checksums, impossible header
 * and total lengths, fragments, bad TCP offsets, a SYN flood; runts
 * cannot be sent: the PCnet pads what it receives to 60 bytes) and a
 * seeded fuzz of mutated good ones, then pings: the guest must answer,
 * count each kind under its own counter (the shell's ifconfig), and
 * neither the service nor the kernel may fall over, in both placements. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../harness/guest.h"
#include "frames.h"

#define GUEST_IP  0x0A00030F /* 10.0.3.15, what our DHCP gives */
#define SERVER_IP 0x0A000302 /* 10.0.3.2, us */
#define FLOOD     200
#define FUZZ      2000

static const uint8_t host_mac[6] = {0x52, 0x54, 0x00, 0xAA, 0xBB, 0x02};
static const uint8_t broadcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
static uint8_t guest_mac[6];
static int wire;                /* our end */
static struct sockaddr_in qemu; /* QEMU's end */

static bool serve(const uint8_t *f, size_t n);

/* One frame to the guest, and nothing taken off the wire: for frames
 * whose answer the caller waits for itself. */
static void put_raw(const uint8_t *f, size_t n)
{
    sendto(wire, f, n, 0, (struct sockaddr *)&qemu, sizeof qemu);
}

/* One frame to the guest, paced (a fifth of a millisecond a frame) so
 * that its receive ring keeps up (drops would hide what is counted), and
 * what the guest sent meanwhile taken off the wire, as a peer would: left
 * there, QEMU's sends to us fail and the guest's card stops sending. */
static void put(const uint8_t *f, size_t n)
{
    const struct timespec pace = {0, 200 * 1000};
    uint8_t in[1600];
    ssize_t m;
    sendto(wire, f, n, 0, (struct sockaddr *)&qemu, sizeof qemu);
    nanosleep(&pace, NULL);
    while ((m = recv(wire, in, sizeof in, MSG_DONTWAIT)) > 0)
        serve(in, (size_t)m);
}

/* A frame from the guest within MS, or 0. */
static size_t take(uint8_t *f, int ms)
{
    struct pollfd p = {wire, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0)
        return 0;
    ssize_t n = recv(wire, f, 1600, 0);
    return n > 0 ? (size_t)n : 0;
}

/* The DHCP message type of a BOOTP payload, or 0. */
static int dhcp_type(const uint8_t *b, size_t n)
{
    for (size_t i = 240; i + 2 < n && b[i] != 255; i += b[i] ? 2u + b[i + 1] : 1u)
        if (b[i] == 53)
            return b[i + 2];
    return 0;
}

static void dhcp_answer(const uint8_t *req, int type)
{
    uint8_t b[300] = {2, 1, 6, 0}, f[1600];
    memcpy(b + 4, req + 4, 4); /* xid */
    uint32_t yi = htonl(GUEST_IP), si = htonl(SERVER_IP), mask = htonl(0xFFFFFF00);
    memcpy(b + 16, &yi, 4);
    memcpy(b + 20, &si, 4);
    memcpy(b + 28, req + 28, 6); /* chaddr */
    static const uint8_t magic[4] = {99, 130, 83, 99};
    memcpy(b + 236, magic, 4);
    uint8_t *o = b + 240;
    *o++ = 53, *o++ = 1, *o++ = (uint8_t)type;
    *o++ = 54, *o++ = 4, memcpy(o, &si, 4), o += 4;
    *o++ = 1, *o++ = 4, memcpy(o, &mask, 4), o += 4;
    *o++ = 51, *o++ = 4, *o++ = 0, *o++ = 1, *o++ = 0x51, *o++ = 0x80;
    *o++ = 255;
    put(f, fr_udp(f, broadcast, host_mac, SERVER_IP, 0xFFFFFFFF, 67, 68, b, sizeof b));
}

/* Answers what the guest asks of us (DHCP, ARP for 10.0.3.2); true once
 * it has its ACK. */
/* The guest's REQUEST was answered: put's drain may serve it inside the
 * OFFER's serve, whose answer is then lost, so this is the record. */
static bool acked;

static bool serve(const uint8_t *f, size_t n)
{
    struct fr_parsed p;
    uint8_t out[1600];
    if (!fr_parse(f, n, &p))
        return false;
    if (p.type == 0x0806 && p.arp_op == 1 && p.dst == SERVER_IP) {
        put(out, fr_arp(out, f + 6, host_mac, 2, SERVER_IP, f + 6, p.src));
        return false;
    }
    if (p.proto != 17 || p.dport != 67 || p.len < 244)
        return false;
    memcpy(guest_mac, f + 6, 6);
    int t = dhcp_type(p.data, p.len);
    dhcp_answer(p.data, t == 1 ? 2 : 5); /* DISCOVER: OFFER; REQUEST: ACK */
    acked |= t == 3;
    return t == 3;
}

static void ip_checksum(uint8_t *f)
{
    uint8_t *ip = f + 14;
    size_t ihl = (ip[0] & 15u) * 4u;
    ip[10] = ip[11] = 0;
    uint16_t s = fr_sum(ip, ihl > 60 ? 60 : ihl, 0);
    ip[10] = (uint8_t)(s >> 8), ip[11] = (uint8_t)s;
}

/* Each bad kind once, the IPv4 header checksum right wherever the fault
 * is elsewhere, so each lands on its own counter. */
static void send_bad(void)
{
    uint8_t f[1600], data[64] = {0};
    size_t n;
    memcpy(f, guest_mac, 6);
    put(f, 10); /* a runt: the PCnet pads it to 60 bytes of ethertype 0 */
    n = fr_icmp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 8, 1, 1, data, 16);
    f[12] = 0x88, f[13] = 0xB5; /* an unknown ethertype */
    put(f, n);
    n = fr_icmp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 8, 1, 2, data, 16);
    f[14 + 10] ^= 0xFF; /* the IPv4 header checksum */
    put(f, n);
    n = fr_icmp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 8, 1, 3, data, 16);
    f[14] = 0x44, ip_checksum(f); /* a header of 16 bytes */
    put(f, n);
    n = fr_icmp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 8, 1, 4, data, 16);
    f[14 + 2] = 0x05, f[14 + 3] = 0xDC, ip_checksum(f); /* 1500 bytes claimed */
    put(f, n);
    n = fr_icmp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 8, 1, 5, data, 16);
    f[14 + 6] |= 0x20, ip_checksum(f); /* more fragments */
    put(f, n);
    n = fr_icmp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 8, 1, 6, data, 16);
    f[14] = 0x65, ip_checksum(f); /* version 6 */
    put(f, n);
    n = fr_udp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 1000, 5555, data, 32);
    f[14 + 20 + 6] ^= 0x55; /* the UDP checksum */
    put(f, n);
    n = fr_tcp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 1000, 7, 1, 0, FR_SYN, 8192, 0, 0);
    f[14 + 20 + 16] ^= 0x55; /* the TCP checksum */
    put(f, n);
    n = fr_tcp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 1000, 7, 1, 0, FR_SYN, 8192, 0, 0);
    f[14 + 20 + 12] = 0x30; /* a data offset of 12 bytes */
    put(f, n);
    for (int i = 0; i < FLOOD; i++) { /* SYNs to a port nobody listens on */
        n = fr_tcp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, (uint16_t)(2000 + i), 9,
                   (uint32_t)i * 7919u, 0, FR_SYN, 8192, 0, 0);
        put(f, n);
        if (i % 8 == 7) /* bursts of 8 fit the card's ring of 16 on a loaded host too */
            nanosleep(&(struct timespec){0, 2 * 1000 * 1000}, NULL);
    }
}

/* Good frames with bytes flipped and lengths cut, seeded. */
static void send_fuzz(void)
{
    uint8_t f[1600], data[64];
    srand(19);
    for (int i = 0; i < FUZZ; i++) {
        memset(data, i, sizeof data);
        size_t n =
            i % 3 == 0
                ? fr_icmp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 8, 2, (uint16_t)i, data, 32)
            : i % 3 == 1
                ? fr_udp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 1000,
                         (uint16_t)(5550 + i % 10), data, 40)
                : fr_tcp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 1000, (uint16_t)(i % 20),
                         (uint32_t)rand(), (uint32_t)rand(), (uint8_t)rand(), 8192, data, 20);
        for (int k = rand() % 4; k >= 0; k--)
            f[12 + rand() % (int)(n - 12)] ^= (uint8_t)(1u << (rand() % 8));
        /* cut, but never to nothing: QEMU's dgram netdev takes an empty
         * datagram for the end of the connection and stops reading */
        put(f, rand() % 8 ? n : 1 + (size_t)(rand() % (int)(n - 1)));
    }
}

/* A ping the guest must answer, serving its ARP on the way. */
static bool answers_ping(void)
{
    uint8_t f[1600], data[16] = "still alive";
    for (int tries = 0; tries < 10; tries++) {
        put_raw(f, fr_icmp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 8, 77, (uint16_t)tries,
                           data, sizeof data));
        size_t n;
        while ((n = take(f, 500))) {
            struct fr_parsed p;
            serve(f, n);
            if (fr_parse(f, n, &p) && p.proto == 1 && p.len >= 1 && p.data[0] == 0)
                return true;
        }
    }
    return false;
}

/* Tells the guest's shell we are done: datagram 0 to its
 * `test_sock udpecho 9999 1`, until it comes back. */
static bool tell_done(void)
{
    uint8_t f[1600], data[64] = {0};
    for (int tries = 0; tries < 150; tries++) {
        put_raw(f,
                fr_udp(f, guest_mac, host_mac, SERVER_IP, GUEST_IP, 1000, 9999, data, sizeof data));
        size_t n;
        while ((n = take(f, 200))) {
            struct fr_parsed p;
            serve(f, n);
            if (fr_parse(f, n, &p) && p.proto == 17 && p.sport == 9999)
                return true;
        }
    }
    return false;
}

static void wire_end(void)
{
    uint8_t f[1600];
    size_t n;
    time_t end = time(NULL) + 90;
    while (!acked && time(NULL) < end)
        if ((n = take(f, 200)))
            serve(f, n);
    if (!acked)
        _exit(2);
    struct timespec settle = {0, 300 * 1000 * 1000};
    nanosleep(&settle, NULL);
    if (!answers_ping())
        _exit(4);
    send_bad();
    send_fuzz();
    bool alive = answers_ping();
    _exit(!tell_done() ? 5 : alive ? 0 : 3);
}

/* The value the shell's ifconfig printed for counter NAME, or -1. */
static long counter(const char *log, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "  %s ", name);
    const char *at = strstr(log, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

static void bad_frames(const char *arch, const char *cmdline)
{
    int local = guest_free_port(), remote = guest_free_port();
    wire = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons((uint16_t)remote)};
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(wire, (struct sockaddr *)&me, sizeof me), 0);
    qemu = me;
    qemu.sin_port = htons((uint16_t)local);
    pid_t child = fork();
    cr_assert_neq(child, -1);
    if (child == 0)
        wire_end();
    char dgram[32];
    snprintf(dgram, sizeof dgram, "%d:%d", local, remote);
    struct guest_opts opts = {.cmdline = cmdline,
                              .input = "run test_sock udpecho 9999 1\nifconfig\nhalt\n",
                              .timeout = 150,
                              .real_time = true,
                              .dgram = dgram};
    struct guest_run run = guest_boot(arch, &opts);
    int status = guest_reap(child, 10); /* its last frames may still be on the wire */
    close(wire);
    const char *log = run.log;
    cr_assert_eq(run.outcome, GUEST_NO_VERDICT, "%s: %s (the wire's end: %#x)\n%s", arch,
                 run.verdict, status, log);
    cr_expect(strstr(log, "net: 10.0.3.15 by DHCP from 10.0.3.2"), "%s: %s", arch, log);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "%s %s: the wire's end (2: no DHCP, 4: no ping answered before, 3: none after, 5: "
              "the guest's shell never took our end): %#x\n%s",
              arch, cmdline, status, log);
    static const char *const kinds[] = {"eth_unknown_type", "ip_bad_checksum",  "ip_bad_header_len",
                                        "ip_bad_total_len", "ip_fragments",     "ip_bad_version",
                                        "udp_bad_checksum", "tcp_bad_checksum", "tcp_bad_offset"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        cr_expect(counter(log, kinds[i]) >= 1, "%s %s: %s not counted:\n%s", arch, cmdline,
                  kinds[i], log);
    /* the card may miss a few of a burst (its ring holds 16): counted
     * there, not here */
    cr_expect(counter(log, "tcp_no_connection") >= FLOOD * 9 / 10, "%s %s: the flood: %ld", arch,
              cmdline, counter(log, "tcp_no_connection"));
    cr_expect(counter(log, "icmp_echo_answered") >= 1, "%s: %s", arch, log);
    guest_run_free(&run);
}

static void both_placements(const char *arch)
{
    bad_frames(arch, "init=shell");
    bad_frames(arch, "init=shell place.net=process");
}
BOTH_ARCHES(net_bad_frames_counted_never_fatal, both_placements)
