/* TCP between two stacks: the handshake both ways, 1 MiB each way over a
 * lossy wire, a wire doing everything wrong at once, several connections
 * at once, orderly close, resets, and giving up on a dead peer. */
#include <criterion/criterion.h>

#include "frames.h"
#include "wire.h"

TestSuite(net_tcp); /* no .timeout: Criterion 2.4 then leaks in its runner */

Test(net_tcp, connect_and_accept)
{
    struct wire w;
    wire_init(&w, 10);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    cr_assert_eq(net_tcp_state(w.stack[1], s), NET_TCP_ESTABLISHED);
    struct net_socket_info info;
    cr_assert_eq(net_socket_info(w.stack[0], 0, &info), NET_OK);
    cr_assert_eq(info.kind, NET_KIND_TCP);
    cr_assert_eq(info.remote_ip, WIRE_B_IP);
    cr_assert_eq(info.remote_port, 80);
    cr_assert_eq(net_socket_info(w.stack[0], 1, &info), NET_E_INVAL);
    cr_assert_eq(net_socket_info(w.stack[1], 0, &info), NET_OK); /* the listener */
    cr_assert_eq(info.state, NET_TCP_LISTEN);
    cr_assert_eq(net_socket_info(w.stack[1], 1, &info), NET_OK);
    cr_assert_eq(info.state, NET_TCP_ESTABLISHED);
    cr_assert_eq(info.remote_ip, WIRE_A_IP);
    cr_assert_str_eq(net_tcp_state_name(info.state), "ESTABLISHED");
    cr_assert_eq(wire_tcp_transfer(&w, 0, c, s, 5000, 1, 1000), 5000);
    cr_assert_eq(wire_tcp_transfer(&w, 1, s, c, 5000, 2, 1000), 5000);
    cr_assert_eq(wire_counter(&w, 0, "tcp_retransmits"), 0);
    wire_free(&w);
}

Test(net_tcp, one_mib_each_way_with_five_percent_loss)
{
    struct wire w;
    wire_init(&w, 11);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    w.faults.drop = 5;
    cr_assert_eq(wire_tcp_transfer(&w, 0, c, s, 1 << 20, 3, 3600000), 1 << 20);
    cr_assert_eq(wire_tcp_transfer(&w, 1, s, c, 1 << 20, 4, 3600000), 1 << 20);
    cr_assert_gt(w.dropped, 50);
    cr_assert_gt(wire_counter(&w, 0, "tcp_retransmits"), 0);
    cr_assert_gt(wire_counter(&w, 1, "tcp_retransmits"), 0);
    cr_assert_eq(net_tcp_error(w.stack[0], c), 0);
    wire_free(&w);
}

Test(net_tcp, a_wire_doing_everything_wrong)
{
    struct wire w;
    wire_init(&w, 12);
    w.faults =
        (struct wire_faults){.drop = 3, .duplicate = 3, .reorder = 3, .truncate = 2, .corrupt = 2};
    w.delay_ms = 5;
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    cr_assert_eq(wire_tcp_transfer(&w, 0, c, s, 256 << 10, 5, 3600000), 256 << 10);
    cr_assert_eq(wire_tcp_transfer(&w, 1, s, c, 256 << 10, 6, 3600000), 256 << 10);
    uint64_t bad = 0;
    for (int e = 0; e < 2; e++)
        bad += wire_counter(&w, e, "tcp_bad_checksum") + wire_counter(&w, e, "ip_bad_checksum") +
               wire_counter(&w, e, "tcp_outside_window") + wire_counter(&w, e, "ip_bad_total_len");
    cr_assert_gt(bad, 0, "the faults were seen and counted");
    wire_free(&w);
}

Test(net_tcp, several_connections_at_once)
{
    struct wire w;
    wire_init(&w, 13);
    w.faults.drop = 2;
    int l = net_tcp_listen(w.stack[1], 80, 8);
    int c[5], s[5];
    for (int i = 0; i < 5; i++)
        c[i] = net_tcp_connect(w.stack[0], WIRE_B_IP, 80);
    wire_advance(&w, 3000);
    for (int i = 0; i < 5; i++) {
        int h = net_tcp_accept(w.stack[1], l);
        cr_assert_geq(h, 0);
        int j = 0; /* its client, by port */
        while (j < 5 && w.stack[0]->tcp[c[j]].local_port != w.stack[1]->tcp[h].remote_port)
            j++;
        cr_assert_lt(j, 5);
        s[j] = h;
        cr_assert_eq(net_tcp_state(w.stack[0], c[i]), NET_TCP_ESTABLISHED);
    }
    cr_assert_eq(net_tcp_accept(w.stack[1], l), NET_E_AGAIN);
    /* interleaved: a little on each in turn */
    size_t got[5] = {0};
    for (int round = 0; round < 20; round++)
        for (int i = 0; i < 5; i++)
            got[i] += wire_tcp_transfer(&w, 0, c[i], s[i], 4000, 0, 60000);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(got[i], 80000, "connection %d: %zu bytes", i, got[i]);
    wire_free(&w);
}

/* Both ends connect to each other at once, their SYNs crossing on the
 * wire (RFC 793's simultaneous open). The API picks local ports itself,
 * so the test sets the next ephemeral port of each stack first. */
Test(net_tcp, simultaneous_open)
{
    struct wire w;
    wire_init(&w, 14);
    w.delay_ms = 5;
    w.stack[0]->next_port = 50000;
    w.stack[1]->next_port = 60000;
    int a = net_tcp_connect(w.stack[0], WIRE_B_IP, 60000);
    int b = net_tcp_connect(w.stack[1], WIRE_A_IP, 50000);
    int crossed[2] = {0, 0}; /* each went SYN_SENT -> SYN_RCVD: the SYNs crossed */
    for (int ms = 0; ms < 100; ms++) {
        wire_advance(&w, 1);
        crossed[0] |= net_tcp_state(w.stack[0], a) == NET_TCP_SYN_RCVD;
        crossed[1] |= net_tcp_state(w.stack[1], b) == NET_TCP_SYN_RCVD;
    }
    cr_assert(crossed[0] && crossed[1]);
    cr_assert_eq(net_tcp_state(w.stack[0], a), NET_TCP_ESTABLISHED);
    cr_assert_eq(net_tcp_state(w.stack[1], b), NET_TCP_ESTABLISHED);
    cr_assert_eq(wire_tcp_transfer(&w, 0, a, b, 20000, 9, 1000), 20000);
    cr_assert_eq(wire_tcp_transfer(&w, 1, b, a, 20000, 10, 1000), 20000);
    wire_free(&w);
}

/* Loses B's first two SYN-ACKs. */
static int lose_syn_acks(struct wire *w, int from, const uint8_t *f, uint32_t len)
{
    struct fr_parsed p;
    if (from != 1 || !fr_parse(f, len, &p) || p.proto != 6 || p.flags != (FR_SYN | FR_ACK))
        return 0;
    return w->lose_count++ < 2;
}

/* The client's SYN again tells the server its SYN-ACK was lost: it
 * answers at once rather than on its own (by then doubled) timer. */
Test(net_tcp, a_repeated_syn_gets_the_syn_ack_again)
{
    struct wire w;
    wire_init(&w, 15);
    w.lose = lose_syn_acks;
    net_tcp_listen(w.stack[1], 80, 4);
    int c = net_tcp_connect(w.stack[0], WIRE_B_IP, 80);
    wire_advance(&w, 1500);
    cr_assert_eq(w.lose_count, 3, "two lost, the third through");
    cr_assert_eq(net_tcp_state(w.stack[0], c), NET_TCP_ESTABLISHED);
    wire_free(&w);
}
