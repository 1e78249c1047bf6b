/* How TCP connections end: orderly close with FINs both ways and a short
 * TIME_WAIT, resets (abort, a port nobody listens on, a segment for no
 * connection), and giving up on a peer that went silent. */
#include <criterion/criterion.h>

#include "wire.h"

TestSuite(net_tcp_close); /* no .timeout: Criterion 2.4 then leaks in its runner */

static unsigned in_use(struct net_stack *s)
{
    struct net_socket_info info;
    unsigned n = 0;
    while (net_socket_info(s, n, &info) == NET_OK)
        n++;
    return n;
}

Test(net_tcp_close, orderly_both_ways)
{
    struct wire w;
    wire_init(&w, 20);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    cr_assert_eq(net_tcp_send(w.stack[0], c, "last words", 10), 10);
    cr_assert_eq(net_tcp_shutdown(w.stack[0], c), NET_OK);
    wire_advance(&w, 10);
    cr_assert_eq(net_tcp_state(w.stack[0], c), NET_TCP_FIN_WAIT_2);
    cr_assert_eq(net_tcp_state(w.stack[1], s), NET_TCP_CLOSE_WAIT);
    char buf[32];
    cr_assert_eq(net_tcp_recv(w.stack[1], s, buf, sizeof buf), 10, "the data before the FIN");
    cr_assert_eq(net_tcp_recv(w.stack[1], s, buf, sizeof buf), 0, "then end of file");
    cr_assert_eq(net_tcp_send(w.stack[0], c, "x", 1), NET_E_CLOSED);
    /* B may still send after A's FIN */
    cr_assert_eq(net_tcp_send(w.stack[1], s, "reply", 5), 5);
    cr_assert_eq(net_tcp_close(w.stack[1], s), NET_OK);
    wire_advance(&w, 10);
    cr_assert_eq(net_tcp_recv(w.stack[0], c, buf, sizeof buf), 5);
    cr_assert_eq(net_tcp_recv(w.stack[0], c, buf, sizeof buf), 0);
    cr_assert_eq(net_tcp_state(w.stack[0], c), NET_TCP_TIME_WAIT);
    cr_assert_eq(in_use(w.stack[1]), 1, "only the listener left on B");
    wire_advance(&w, 2100);
    cr_assert_eq(net_tcp_state(w.stack[0], c), NET_TCP_CLOSED);
    cr_assert_eq(net_tcp_error(w.stack[0], c), 0);
    net_tcp_close(w.stack[0], c);
    cr_assert_eq(in_use(w.stack[0]), 0);
    wire_free(&w);
}

Test(net_tcp_close, orderly_over_a_lossy_wire)
{
    struct wire w;
    wire_init(&w, 21);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    w.faults.drop = 30;
    net_tcp_close(w.stack[0], c);
    net_tcp_close(w.stack[1], s);
    wire_advance(&w, 120000);
    cr_assert_eq(in_use(w.stack[0]), 0);
    cr_assert_eq(in_use(w.stack[1]), 1);
    cr_assert_eq(wire_counter(&w, 0, "tcp_gave_up") + wire_counter(&w, 1, "tcp_gave_up"), 0);
    wire_free(&w);
}

Test(net_tcp_close, abort_resets_the_peer)
{
    struct wire w;
    wire_init(&w, 22);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    cr_assert_eq(net_tcp_abort(w.stack[0], c), NET_OK);
    wire_advance(&w, 10);
    char buf[8];
    cr_assert_eq(net_tcp_recv(w.stack[1], s, buf, sizeof buf), NET_E_RESET);
    cr_assert_eq(net_tcp_send(w.stack[1], s, "x", 1), NET_E_RESET);
    cr_assert_eq(net_tcp_state(w.stack[1], s), NET_TCP_CLOSED);
    cr_assert_eq(wire_counter(&w, 1, "tcp_resets_received"), 1);
    cr_assert_eq(in_use(w.stack[0]), 0);
    wire_free(&w);
}

Test(net_tcp_close, no_listener_refuses_with_rst)
{
    struct wire w;
    wire_init(&w, 23);
    int c = net_tcp_connect(w.stack[0], WIRE_B_IP, 81);
    wire_advance(&w, 10);
    cr_assert_eq(net_tcp_error(w.stack[0], c), NET_E_RESET);
    cr_assert_eq(wire_counter(&w, 1, "tcp_no_connection"), 1);
    cr_assert_eq(wire_counter(&w, 1, "tcp_resets_sent"), 1);
    wire_free(&w);
}

Test(net_tcp_close, a_forgotten_connection_is_reset)
{
    struct wire w;
    wire_init(&w, 24);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    /* B forgets the connection without a word (a reboot) */
    w.stack[1]->tcp[s].state = NET_TCP_CLOSED;
    w.stack[1]->tcp[s].owned = 0;
    cr_assert_eq(net_tcp_send(w.stack[0], c, "hello?", 6), 6);
    wire_advance(&w, 10);
    cr_assert_eq(net_tcp_error(w.stack[0], c), NET_E_RESET);
    cr_assert_eq(wire_counter(&w, 1, "tcp_no_connection"), 1);
    wire_free(&w);
}

Test(net_tcp_close, a_silent_peer_is_given_up)
{
    struct wire w;
    wire_init(&w, 25);
    int c, s;
    wire_tcp_pair(&w, 80, &c, &s);
    w.faults.drop = 100;
    cr_assert_eq(net_tcp_send(w.stack[0], c, "anyone?", 7), 7);
    /* no round trip measured yet (SYNs are not timed): the RTO doubles
     * from 1 s, at most 60 s, 8 retransmissions, then one more timeout:
     * 1+2+4+...+32+60+60+60 = 243 s */
    wire_advance(&w, 240000);
    cr_assert_eq(net_tcp_error(w.stack[0], c), 0, "still trying after 240 s");
    wire_advance(&w, 4000);
    cr_assert_eq(net_tcp_error(w.stack[0], c), NET_E_TIMEDOUT);
    cr_assert_eq(wire_counter(&w, 0, "tcp_retransmits"), 9);
    cr_assert_eq(wire_counter(&w, 0, "tcp_gave_up"), 1);
    wire_free(&w);
}
