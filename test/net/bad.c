/* Bad frames of every kind the stack checks for, each built right by the
 * test (frames.h) and then broken in one way: each must be dropped and
 * counted under its own counter and no other, and the stack must go on
 * working. Each arrives as an exact-size copy, so AddressSanitizer would
 * see a read past its end. */
#include <criterion/criterion.h>
#include <string.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_bad); /* no .timeout: Criterion 2.4 then leaks in its runner */

/* A's connection to B (B:80), whose numbers the TCP cases use. */
static struct net_tcp_conn *conn;

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The IP header's checksum again, after a change to the header. */
static void fix_ip(uint8_t *f)
{
    size_t hl = (f[14] & 15u) * 4;
    put16(f + 24, 0);
    put16(f + 24, fr_sum(f + 14, hl < 20 ? 20 : hl, 0));
}

static size_t udp(uint8_t *f, uint16_t port)
{
    return fr_udp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 9, port, "hello", 5);
}

static size_t raw(uint8_t *f, uint8_t proto, size_t n)
{
    static const uint8_t junk[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    return fr_ip(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, proto, junk, n);
}

static size_t tcp(uint8_t *f, uint32_t seq, uint32_t ack, uint16_t dport, size_t n)
{
    return fr_tcp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 80, dport, seq, ack, FR_ACK,
                  8192, "0123456789", n);
}

static size_t arp(uint8_t *f)
{
    static const uint8_t none[6];
    return fr_arp(f, wire_mac[0], wire_mac[1], 1, WIRE_B_IP, none, WIRE_A_IP);
}

/* Case I's frame into F; its counter's name into *WHAT; the length. */
static size_t bad_frame(int i, uint8_t *f, const char **what)
{
    static const char *const names[] = {
        "eth_truncated",
        "eth_not_for_us",
        "eth_unknown_type",
        "arp_bad",
        "arp_bad",
        "arp_bad",
        "ip_truncated",
        "ip_bad_version",
        "ip_bad_header_len",
        "ip_bad_header_len",
        "ip_bad_total_len",
        "ip_bad_total_len",
        "ip_bad_checksum",
        "ip_fragments",
        "ip_fragments",
        "ip_not_for_us",
        "ip_unknown_protocol",
        "icmp_truncated",
        "icmp_bad_checksum",
        "udp_truncated",
        "udp_bad_length",
        "udp_bad_length",
        "udp_bad_checksum",
        "udp_no_socket",
        "tcp_truncated",
        "tcp_bad_offset",
        "tcp_bad_offset",
        "tcp_bad_checksum",
        "tcp_no_connection",
        "tcp_outside_window",
        "tcp_bad_ack",
        "tcp_out_of_order",
        "tcp_outside_window",
        "tcp_out_of_order",
        "tcp_outside_window",
    };
    if (i >= (int)(sizeof names / sizeof names[0]))
        return 0;
    *what = names[i];
    size_t n = udp(f, 7);
    uint32_t rcv = conn->rcv_nxt, snd = conn->snd_nxt;
    uint16_t port = conn->local_port;
    switch (i) {
    case 0:
        return 13;
    case 1:
        f[5] ^= 0x10;
        return n;
    case 2:
        put16(f + 12, 0x86DD);
        return n;
    case 3:
        n = arp(f);
        f[14 + 4] = 5;
        return n;
    case 4:
        arp(f);
        return 14 + 20;
    case 5:
        n = arp(f);
        put16(f + 14 + 6, 3);
        return n;
    case 6:
        return 14 + 12;
    case 7:
        f[14] = 0x65;
        break;
    case 8:
        f[14] = 0x44;
        break;
    case 9:
        f[14] = 0x4F;
        break;
    case 10:
        put16(f + 16, 1000);
        break;
    case 11:
        put16(f + 16, 10);
        break;
    case 12:
        f[24] ^= 1;
        return n;
    case 13:
        f[20] |= 0x20;
        break;
    case 14:
        f[21] = 1;
        break;
    case 15:
        f[33] = 77;
        break;
    case 16:
        f[23] = 99;
        break;
    case 17:
        return raw(f, 1, 4);
    case 18:
        n = fr_icmp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 8, 1, 1, "ab", 2);
        f[42] ^= 1;
        return n;
    case 19:
        return raw(f, 17, 4);
    case 20:
        put16(f + 38, 100);
        return n;
    case 21:
        put16(f + 38, 4);
        return n;
    case 22:
        f[42] ^= 1;
        return n;
    case 23:
        return udp(f, 8);
    case 24:
        return raw(f, 6, 10);
    case 25:
        n = tcp(f, rcv, snd, port, 0);
        f[46] = 4 << 4;
        return n;
    case 26:
        n = tcp(f, rcv, snd, port, 0);
        f[46] = 15 << 4;
        return n;
    case 27:
        n = tcp(f, rcv, snd, port, 4);
        f[54] ^= 1;
        return n;
    case 28:
        return tcp(f, rcv, snd, 81, 4);
    case 29:
        return tcp(f, rcv + 100000, snd, port, 4);
    case 30:
        return tcp(f, rcv, snd + 1000, port, 0);
    case 31:
        return tcp(f, rcv + 10, snd, port, 4);
    case 32: /* starting on the window's right edge: outside */
        return tcp(f, rcv + NET_TCP_BUF - conn->rcv.len, snd, port, 4);
    case 33: /* ending on it: inside (and ahead) */
        return tcp(f, rcv + NET_TCP_BUF - conn->rcv.len - 4, snd, port, 4);
    case 34: /* a reset from outside the window: a blind guess, ignored */
        return fr_tcp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 80, port, rcv + 100000, 0,
                      FR_RST, 0, 0, 0);
    }
    fix_ip(f);
    return n;
}

/* Counters a dropped frame may move besides its own: it arrived, and may
 * be answered (an ACK, a reset). */
static int may_move(const char *name)
{
    static const char *const ok[] = {"frames_in", "frames_out", "tcp_resets_sent", 0};
    for (int i = 0; ok[i]; i++)
        if (strcmp(name, ok[i]) == 0)
            return 1;
    return 0;
}

Test(net_bad, each_bad_frame_is_dropped_and_counted_once)
{
    struct wire w;
    wire_init(&w, 70);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    conn = &w.stack[0]->tcp[c];
    int u = net_udp_open(w.stack[0], 7);
    uint8_t f[1600];
    const char *what;
    for (int i = 0; bad_frame(i, f, &what); i++) {
        struct net_counters before = w.stack[0]->count;
        size_t n = bad_frame(i, f, &what);
        wire_inject(&w, 0, f, (uint32_t)n);
        wire_deliver(&w);
        for (unsigned k = 0; net_counter_name(k); k++) {
            const char *name = net_counter_name(k);
            uint64_t was = ((uint64_t *)&before)[k], now = net_counter(w.stack[0], k);
            if (strcmp(name, what) == 0)
                cr_assert_eq(now, was + 1, "case %d: %s not counted", i, what);
            else if (!may_move(name))
                cr_assert_eq(now, was, "case %d (%s): %s moved too", i, what, name);
        }
    }
    char buf[8];
    cr_assert_eq(net_udp_recvfrom(w.stack[0], u, buf, 8, 0, 0), NET_E_AGAIN, "nothing got in");
    cr_assert_eq(wire_tcp_transfer(&w, 0, c, s, 3000, 1, 1000), 3000, "still connected");
    cr_assert_eq(wire_tcp_transfer(&w, 1, s, c, 3000, 2, 1000), 3000);
    wire_free(&w);
}

static void silent(struct wire *w, const uint8_t *f, uint32_t len)
{
    (void)w, (void)f, (void)len;
}

/* A SYN whose last option claims more bytes than the header has: the
 * frame ends right there, so a read past the options would be past the
 * frame (AddressSanitizer); the option is ignored, the MSS stays 536. */
Test(net_bad, an_option_past_the_header_is_not_read)
{
    struct wire w;
    wire_init(&w, 72);
    wire_script_end(&w, 1, silent, NULL); /* no RST to end the half-open one */
    int l = net_tcp_listen(w.stack[0], 80, 4);
    uint8_t f[1600];
    size_t n = fr_tcp(f, wire_mac[0], wire_mac[1], WIRE_B_IP, WIRE_A_IP, 4000, 80, 1, 0, FR_SYN,
                      8192, "\1\1\1\1\1\1\2\4", 8);
    f[46] = 7 << 4; /* the 8 bytes are options, not data */
    put16(f + 50, 0);
    uint32_t pseudo = (WIRE_B_IP >> 16) + (WIRE_B_IP & 0xFFFF) + (WIRE_A_IP >> 16) +
                      (WIRE_A_IP & 0xFFFF) + 6 + 28;
    put16(f + 50, fr_sum(f + 34, 28, pseudo));
    cr_assert_eq(n, 62, "no Ethernet padding after the options");
    wire_inject(&w, 0, f, (uint32_t)n);
    wire_deliver(&w);
    cr_assert_eq(wire_counter(&w, 0, "tcp_bad_checksum"), 0);
    int half_open = -1;
    for (int i = 0; i < NET_TCP_CONNS; i++)
        if (i != l && w.stack[0]->tcp[i].state == NET_TCP_SYN_RCVD)
            half_open = i;
    cr_assert_geq(half_open, 0, "the SYN was taken");
    cr_assert_eq(w.stack[0]->tcp[half_open].peer_mss, 536);
    wire_free(&w);
}
