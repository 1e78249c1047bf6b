/* TCP flow control and memory bounds: a reader that stops (the window
 * closes, the sender probes, nothing is sent past the window) and reads
 * slowly later (the window reopens), also with window updates lost; and a
 * SYN flood that takes no more than the backlog and leaves room for a
 * real client. */
#include <criterion/criterion.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_tcp_flow); /* no .timeout: Criterion 2.4 then leaks in its runner */

#define TOTAL 40000

/* Sends what A's buffer takes of TOTAL patterned bytes; returns sent. */
static size_t fill(struct wire *w, int c, size_t sent)
{
    uint8_t buf[1000];
    while (sent < TOTAL) {
        size_t k = TOTAL - sent < sizeof buf ? TOTAL - sent : sizeof buf;
        for (size_t i = 0; i < k; i++)
            buf[i] = wire_pattern(sent + i, 7);
        int r = net_tcp_send(w->stack[0], c, buf, (uint32_t)k);
        if (r == NET_E_AGAIN)
            break;
        cr_assert_gt(r, 0);
        sent += (size_t)r;
    }
    return sent;
}

static void slow_reader(unsigned drop)
{
    struct wire w;
    wire_init(&w, 30 + drop);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    w.faults.drop = drop;
    size_t sent = fill(&w, c, 0);
    for (int i = 0; i < 500; i++) { /* 5 s of a reader that does not read */
        wire_advance(&w, 10);
        sent = fill(&w, c, sent);
    }
    cr_assert_lt(sent, TOTAL, "the sender was held back");
    cr_assert_eq(w.stack[1]->tcp[s].rcv.len, NET_TCP_BUF, "B's buffer full");
    cr_assert_eq(w.stack[0]->tcp[c].snd_wnd, 0, "A saw the window close");
    cr_assert_gt(wire_counter(&w, 0, "tcp_probes"), 1);
    if (!drop)
        cr_assert_leq(wire_counter(&w, 1, "tcp_outside_window"), wire_counter(&w, 0, "tcp_probes"),
                      "nothing but probes past the window");
    /* the full end still sends, and takes the ACKs that come back at its
     * closed window's edge */
    cr_assert_eq(wire_tcp_transfer(&w, 1, s, c, 3000, 11, 60000), 3000);
    cr_assert_eq(w.stack[1]->tcp[s].snd.len, 0, "all of it acknowledged");
    size_t got = 0;
    uint8_t buf[64];
    uint64_t probes = wire_counter(&w, 0, "tcp_probes");
    int ms = 0;
    for (; ms < 600000 && got < TOTAL; ms++) { /* 64 bytes a millisecond */
        int r = net_tcp_recv(w.stack[1], s, buf, sizeof buf);
        for (int i = 0; i < r; i++)
            cr_assert_eq(buf[i], wire_pattern(got + (size_t)i, 7), "byte %zu", got + (size_t)i);
        got += r > 0 ? (size_t)r : 0;
        sent = fill(&w, c, sent);
        wire_advance(&w, 1);
    }
    cr_assert_eq(got, TOTAL);
    cr_assert_eq(net_tcp_error(w.stack[0], c), 0);
    if (!drop) { /* the reader's window updates kept it going, not probes */
        cr_assert_eq(wire_counter(&w, 0, "tcp_probes"), probes);
        cr_assert_lt(ms, TOTAL / 64 + 100, "%d ms", ms);
    }
    wire_free(&w);
}

Test(net_tcp_flow, a_slow_reader_closes_and_reopens_the_window)
{
    slow_reader(0);
}

Test(net_tcp_flow, window_updates_lost_are_recovered_by_probes)
{
    slow_reader(20);
}

/* The reader empties its buffer in one go and the one window update that
 * says so is lost: only the sender's probe can find the window open. */
Test(net_tcp_flow, a_lost_window_update_is_found_by_a_probe)
{
    struct wire w;
    wire_init(&w, 35);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    size_t sent = fill(&w, c, 0), got = 0;
    wire_advance(&w, 100);
    cr_assert_eq(w.stack[0]->tcp[c].snd_wnd, 0);
    static uint8_t buf[NET_TCP_BUF];
    w.faults.drop = 100;
    cr_assert_eq(net_tcp_recv(w.stack[1], s, buf, sizeof buf), NET_TCP_BUF);
    got += NET_TCP_BUF;
    wire_advance(&w, 1);
    w.faults.drop = 0;
    cr_assert_eq(w.stack[0]->tcp[c].snd_wnd, 0, "A did not hear of it");
    for (int ms = 0; ms < 120000 && got < TOTAL; ms++) {
        int r = net_tcp_recv(w.stack[1], s, buf, sizeof buf);
        for (int i = 0; i < r; i++)
            cr_assert_eq(buf[i], wire_pattern(got + (size_t)i, 7), "byte %zu", got + (size_t)i);
        got += r > 0 ? (size_t)r : 0;
        sent = fill(&w, c, sent);
        wire_advance(&w, 1);
    }
    cr_assert_eq(got, TOTAL);
    wire_free(&w);
}

static unsigned live(struct net_stack *s)
{
    unsigned n = 0;
    for (int i = 0; i < NET_TCP_CONNS; i++)
        n += s->tcp[i].state != NET_TCP_CLOSED;
    return n;
}

Test(net_tcp_flow, a_syn_flood_is_bounded_and_counted)
{
    struct wire w;
    wire_init(&w, 40);
    int l = net_tcp_listen(w.stack[1], 80, 4);
    uint8_t f[1600];
    for (uint32_t i = 0; i < 1000; i++) { /* from addresses nobody answers for */
        size_t n = fr_tcp(f, wire_mac[1], wire_mac[0], NET_IP(10, 0, 2, 100 + i % 100), WIRE_B_IP,
                          (uint16_t)(1000 + i), 80, i * 7919u, 0, FR_SYN, 8192, 0, 0);
        wire_inject(&w, 1, f, (uint32_t)n);
        wire_deliver(&w);
        cr_assert_leq(live(w.stack[1]), 5, "the listener and at most its backlog");
    }
    cr_assert_geq(wire_counter(&w, 1, "tcp_syn_flood"), 996);
    /* a real client still gets in */
    int c = net_tcp_connect(w.stack[0], WIRE_B_IP, 80);
    wire_advance(&w, 50);
    int s = net_tcp_accept(w.stack[1], l);
    cr_assert_geq(s, 0);
    cr_assert_eq(net_tcp_state(w.stack[0], c), NET_TCP_ESTABLISHED);
    cr_assert_eq(wire_tcp_transfer(&w, 0, c, s, 10000, 8, 1000), 10000);
    /* the half-open ones give up */
    wire_advance(&w, 120000);
    cr_assert_eq(live(w.stack[1]), 2, "the listener and the real connection");
    wire_free(&w);
}
