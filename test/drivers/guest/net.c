/* The PCnet driver (drivers/net) through its INetDevice "net0", on both
 * machines. Tests named net_* boot with a PCnet card on QEMU's user
 * network, restrict=on (test/harness/guest.c, tools/qemu --nic): its
 * gateway 10.0.2.2 answers ARP, its DHCP server offers 10.0.2.15. The
 * frames are built by hand here. */
#include <INetDevice.h>
#include <drivers/net/pcnet.h>
#include <drivers/pci/pci.h>
#include <kernel/arch.h>
#include <kernel/ipc/names.h>
#include <kernel/ktest.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>
#include <kernel/timer.h>

#include <config.h>

#define WAIT_MS         2000 /* of guest time, for an answer QEMU gives at once */
#define ETH_HDR         14
#define TYPE_IPV4       0x0800
#define TYPE_ARP        0x0806
#define ARP_FRAME       42
#define BOOTP_SIZE      548 /* the fixed part and a 312-byte options field */
#define DHCP_FRAME      (ETH_HDR + 20 + 8 + BOOTP_SIZE)
#define BOOTP_AT        (ETH_HDR + 20 + 8)
#define XID             0x5ec0cafeu
#define MANY_ARPS       200
#define BLAST           40 /* ARP requests sent before any answer is taken */
#define FWD_PORT        7  /* test/harness/guest.h's GUEST_FWD_PORT */
#define UNASKED_WAIT_MS 5000

static const uint8_t qemu_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t guest_ip[4] = {10, 0, 2, 15}, gateway_ip[4] = {10, 0, 2, 2};
static uint8_t out[NET_FRAME_MAX + 1], in[NET_FRAME_MAX];

static INetDevice *net0(void)
{
    void *o = 0;
    if (FAILED(names_lookup("net0", &IID_INetDevice, &o)))
        return 0;
    return o;
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static unsigned get16(const uint8_t *p)
{
    return (unsigned)(p[0] << 8 | p[1]);
}

static void ethernet(uint8_t *f, const uint8_t *mac, unsigned type)
{
    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    put16(f + 12, type);
}

/* An ARP request from 10.0.2.15 (mac) for ip: 42 bytes at out. */
static void arp_request(const uint8_t *mac, const uint8_t *ip)
{
    memset(out, 0, ARP_FRAME);
    ethernet(out, mac, TYPE_ARP);
    uint8_t *a = out + ETH_HDR;
    put16(a, 1); /* Ethernet */
    put16(a + 2, TYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, 1); /* request */
    memcpy(a + 8, mac, 6);
    memcpy(a + 14, guest_ip, 4);
    memcpy(a + 24, ip, 4);
}

/* in[0 .. n) is ARP's answer, from ip to mac. */
static bool is_arp_reply(uint32_t n, const uint8_t *mac, const uint8_t *ip)
{
    const uint8_t *a = in + ETH_HDR;
    return n >= ARP_FRAME && get16(in + 12) == TYPE_ARP && memcmp(in, mac, 6) == 0 &&
           get16(a + 6) == 2 && memcmp(a + 14, ip, 4) == 0 && memcmp(a + 18, mac, 6) == 0;
}

static uint16_t ip_checksum(const uint8_t *h, unsigned n)
{
    uint32_t sum = 0;
    for (unsigned i = 0; i < n; i += 2)
        sum += get16(h + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* A DHCP DISCOVER from mac, broadcast, as a client without an address
 * sends it: DHCP_FRAME bytes at out. */
static void dhcp_discover(const uint8_t *mac)
{
    memset(out, 0, DHCP_FRAME);
    ethernet(out, mac, TYPE_IPV4);
    uint8_t *ip = out + ETH_HDR, *udp = ip + 20, *b = out + BOOTP_AT;
    ip[0] = 0x45;
    put16(ip + 2, 20 + 8 + BOOTP_SIZE);
    ip[8] = 64; /* TTL */
    ip[9] = 17; /* UDP */
    memset(ip + 16, 0xff, 4);
    put16(ip + 10, ip_checksum(ip, 20));
    put16(udp, 68);
    put16(udp + 2, 67);
    put16(udp + 4, 8 + BOOTP_SIZE); /* checksum 0: none */
    b[0] = 1;                       /* BOOTREQUEST */
    b[1] = 1;                       /* Ethernet */
    b[2] = 6;
    put16(b + 4, XID >> 16);
    put16(b + 6, XID & 0xffff);
    put16(b + 10, 0x8000); /* answer by broadcast */
    memcpy(b + 28, mac, 6);
    static const uint8_t options[] = {99, 130, 83, 99, 53, 1, 1, 255}; /* cookie, DISCOVER */
    memcpy(b + 236, options, sizeof options);
}

/* The DHCP message type option of the BOOTP message in in[0 .. n), or 0. */
static unsigned dhcp_type(uint32_t n)
{
    const uint8_t *o = in + BOOTP_AT + 240;
    while (o + 2 <= in + n && *o != 255) {
        if (*o == 0) {
            o++;
            continue;
        }
        if (o[0] == 53 && o[1] == 1 && o + 3 <= in + n)
            return o[2];
        o += 2 + o[1];
    }
    return 0;
}

/* in[0 .. n) is a BOOTP reply from the server's port to the client's. */
static bool is_bootp_reply(uint32_t n)
{
    const uint8_t *ip = in + ETH_HDR, *udp = ip + 20;
    return n >= BOOTP_AT + 240 && get16(in + 12) == TYPE_IPV4 && ip[0] == 0x45 && ip[9] == 17 &&
           get16(udp) == 67 && get16(udp + 2) == 68 && in[BOOTP_AT] == 2;
}

static SCODE get_info(INetDevice *d, NET_DEVICE_INFO *info)
{
    return d->lpVtbl->GetInfo(d, info);
}

static SCODE send_out(INetDevice *d, uint32_t n)
{
    return d->lpVtbl->Send(d, n, out);
}

static SCODE receive(INetDevice *d, uint32_t timeout_ms, uint32_t *n)
{
    return d->lpVtbl->Receive(d, sizeof in, in, timeout_ms, n);
}

/* net0 is the PCnet, with QEMU's default address, link up, MTU 1500;
 * the PCI function decodes I/O and masters the bus; its interrupt line
 * is the one the driver took (10 or 11: the PIIX's PIRQ routing). */
KTEST(net_device_is_registered_as_net0)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    NET_DEVICE_INFO info;
    KT_ASSERT_EQ(get_info(d, &info), S_OK);
    KT_ASSERT_EQ(memcmp(info.Mac, qemu_mac, 6), 0);
    KT_ASSERT_EQ(info.Mtu, 1500);
    KT_ASSERT_EQ(info.LinkUp, 1);
    const struct pci_function *f = pci_find_device(PCNET_VENDOR, PCNET_DEVICE);
    KT_ASSERT(f != 0);
    KT_ASSERT_EQ(pcnet_device()->irq, f->irq_line);
    KT_ASSERT(f->irq_line == 10 || f->irq_line == 11);
    KT_ASSERT_EQ(pcnet_device()->io, f->bar[0].base);
    uint32_t command = arch_pci_config_read32(0, f->dev, f->fn, PCI_REG_COMMAND);
    KT_ASSERT_EQ(command & (PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER),
                 PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER);
    void *o = 0;
    KT_ASSERT_EQ(d->lpVtbl->QueryInterface(d, &IID_IUnknown, &o), S_OK);
    KT_ASSERT(o == d);
}

/* A DHCP DISCOVER gets QEMU's OFFER of 10.0.2.15, with our xid; the
 * counters count the frame out and the frame in. */
KTEST(net_dhcp_discover_gets_an_offer)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    NET_DEVICE_INFO before, after;
    KT_ASSERT_EQ(get_info(d, &before), S_OK);
    dhcp_discover(before.Mac);
    KT_ASSERT_EQ(send_out(d, DHCP_FRAME), S_OK);
    uint32_t n = 0;
    SCODE sc;
    while ((sc = receive(d, WAIT_MS, &n)) == S_OK && !is_bootp_reply(n))
        ;
    KT_ASSERT_EQ(sc, S_OK);
    const uint8_t *b = in + BOOTP_AT;
    KT_ASSERT_EQ((uint32_t)(get16(b + 4) << 16 | get16(b + 6)), XID);
    KT_ASSERT_EQ(memcmp(b + 16, guest_ip, 4), 0); /* yiaddr */
    KT_ASSERT_EQ(memcmp(b + 28, before.Mac, 6), 0);
    KT_ASSERT_EQ(dhcp_type(n), 2); /* OFFER */
    KT_ASSERT_EQ(get_info(d, &after), S_OK);
    KT_ASSERT_EQ(after.FramesSent - before.FramesSent, 1);
    KT_ASSERT_EQ(after.BytesSent - before.BytesSent, DHCP_FRAME);
    KT_ASSERT(after.FramesReceived - before.FramesReceived >= 1);
    KT_ASSERT(after.BytesReceived - before.BytesReceived >= n);
    KT_ASSERT_EQ(after.ReceiveErrors + after.TransmitErrors + after.ReceiveDropped, 0);
}

/* An ARP request for the gateway gets its answer, addressed to us. */
KTEST(net_arp_request_gets_a_reply)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    arp_request(qemu_mac, gateway_ip);
    KT_ASSERT_EQ(send_out(d, ARP_FRAME), S_OK);
    uint32_t n = 0;
    KT_ASSERT_EQ(receive(d, WAIT_MS, &n), S_OK);
    KT_ASSERT(is_arp_reply(n, qemu_mac, gateway_ip));
    /* QEMU's user network pads its ARP answers to 64 bytes; the chip's
     * FCS (68 with it) is not the caller's */
    KT_ASSERT_EQ(n, 64);
}

/* Nothing is sent, so nothing comes: Receive says so after its timeout,
 * or at once with a timeout of 0. */
KTEST(net_receive_times_out_when_nothing_comes)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    uint32_t n = 99;
    uint64_t start = timer_ticks();
    KT_ASSERT_EQ(receive(d, 50, &n), NETDEV_E_TIMEOUT);
    uint64_t waited = timer_ticks() - start;
    KT_ASSERT_EQ(n, 0);
    KT_ASSERT(waited >= 50 * CONFIG_HZ / 1000 && waited <= 2 * 50 * CONFIG_HZ / 1000 + 1);
    n = 99;
    KT_ASSERT_EQ(receive(d, 0, &n), NETDEV_E_TIMEOUT);
    KT_ASSERT_EQ(n, 0);
}

/* Frames under 14 or over 1514 bytes are refused before the ring; a
 * buffer too short for the frame that came is NETDEV_E_TOO_SMALL, and
 * that frame is gone; the smallest and largest frames go out. */
KTEST(net_bad_sizes_are_refused)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    NET_DEVICE_INFO before, after;
    KT_ASSERT_EQ(get_info(d, &before), S_OK);
    arp_request(qemu_mac, gateway_ip);
    KT_ASSERT_EQ(send_out(d, 0), NETDEV_E_BAD_SIZE);
    KT_ASSERT_EQ(send_out(d, NET_FRAME_MIN - 1), NETDEV_E_BAD_SIZE);
    KT_ASSERT_EQ(send_out(d, NET_FRAME_MAX + 1), NETDEV_E_BAD_SIZE);
    KT_ASSERT_EQ(d->lpVtbl->Send(d, 0xffffffffu, out), NETDEV_E_BAD_SIZE);
    KT_ASSERT_EQ(get_info(d, &after), S_OK);
    KT_ASSERT_EQ(after.FramesSent, before.FramesSent);
    KT_ASSERT_EQ(send_out(d, ARP_FRAME), S_OK);
    uint32_t n = 99;
    KT_ASSERT_EQ(d->lpVtbl->Receive(d, 20, in, WAIT_MS, &n), NETDEV_E_TOO_SMALL);
    KT_ASSERT_EQ(n, 0);
    KT_ASSERT_EQ(receive(d, 0, &n), NETDEV_E_TIMEOUT);
    memset(out + 12, 0x88, 2); /* type 0x8888: nobody answers */
    KT_ASSERT_EQ(send_out(d, NET_FRAME_MIN), S_OK);
    KT_ASSERT_EQ(send_out(d, NET_FRAME_MAX), S_OK);
    KT_ASSERT_EQ(receive(d, 100, &n), NETDEV_E_TIMEOUT);
    KT_ASSERT_EQ(get_info(d, &after), S_OK);
    KT_ASSERT_EQ(after.FramesSent - before.FramesSent, 3);
    KT_ASSERT_EQ(after.BytesSent - before.BytesSent, ARP_FRAME + NET_FRAME_MIN + NET_FRAME_MAX);
    KT_ASSERT_EQ(after.TransmitErrors, 0);
}

/* MANY_ARPS requests, each answer taken as it comes: every one goes
 * out and every answer comes back, the rings wrapping many times. */
KTEST(net_many_frames_wrap_the_rings)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    NET_DEVICE_INFO before, after;
    KT_ASSERT_EQ(get_info(d, &before), S_OK);
    unsigned replies = 0, sent = 0;
    uint32_t n;
    for (unsigned i = 0; i < MANY_ARPS; i++) {
        arp_request(qemu_mac, gateway_ip);
        sent += send_out(d, ARP_FRAME) == S_OK;
        while (receive(d, 0, &n) == S_OK)
            replies += is_arp_reply(n, qemu_mac, gateway_ip);
    }
    while (replies < sent && receive(d, WAIT_MS, &n) == S_OK)
        replies += is_arp_reply(n, qemu_mac, gateway_ip);
    KT_ASSERT_EQ(get_info(d, &after), S_OK);
    KT_ASSERT_EQ(sent, MANY_ARPS);
    KT_ASSERT_EQ(replies, MANY_ARPS);
    KT_ASSERT_EQ(after.FramesSent - before.FramesSent, MANY_ARPS);
    KT_ASSERT_EQ(after.FramesReceived - before.FramesReceived, MANY_ARPS);
    KT_ASSERT_EQ(after.ReceiveDropped, 0);
}

/* BLAST requests before any answer is taken: the receive ring holds
 * PCNET_RX_RING answers, the chip drops the rest for want of a buffer
 * and counts them; after the ring is drained, answers come again. */
KTEST(net_full_receive_ring_drops_and_counts)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    NET_DEVICE_INFO before, after;
    KT_ASSERT_EQ(get_info(d, &before), S_OK);
    for (unsigned i = 0; i < BLAST; i++) {
        arp_request(qemu_mac, gateway_ip);
        KT_ASSERT_EQ(send_out(d, ARP_FRAME), S_OK);
    }
    unsigned replies = 0;
    uint32_t n;
    while (receive(d, 200, &n) == S_OK)
        replies += is_arp_reply(n, qemu_mac, gateway_ip);
    KT_ASSERT_EQ(get_info(d, &after), S_OK);
    KT_ASSERT_EQ(replies, PCNET_RX_RING);
    KT_ASSERT_EQ(after.ReceiveDropped - before.ReceiveDropped, BLAST - PCNET_RX_RING);
    KT_ASSERT_EQ(after.FramesSent - before.FramesSent, BLAST);
    arp_request(qemu_mac, gateway_ip);
    KT_ASSERT_EQ(send_out(d, ARP_FRAME), S_OK);
    KT_ASSERT_EQ(receive(d, WAIT_MS, &n), S_OK);
    KT_ASSERT(is_arp_reply(n, qemu_mac, gateway_ip));
}

/* in[0 .. n) asks who has 10.0.2.15. */
static bool is_arp_request_for_us(uint32_t n)
{
    const uint8_t *a = in + ETH_HDR;
    return n >= ARP_FRAME && get16(in + 12) == TYPE_ARP && get16(a + 6) == 1 &&
           memcmp(a + 24, guest_ip, 4) == 0;
}

/* ARP's answer to the request in in: 10.0.2.15 is at mac. */
static void arp_answer(const uint8_t *mac)
{
    memcpy(out, in + 6, 6);
    memcpy(out + 6, mac, 6);
    put16(out + 12, TYPE_ARP);
    memcpy(out + ETH_HDR, in + ETH_HDR, 6); /* hardware and protocol types, sizes */
    uint8_t *a = out + ETH_HDR;
    put16(a + 6, 2);
    memcpy(a + 8, mac, 6);
    memcpy(a + 14, guest_ip, 4);
    memcpy(a + 18, in + ETH_HDR + 8, 10); /* the asker's addresses */
}

/* in[0 .. n) opens a TCP connection to our FWD_PORT. */
static bool is_syn_to_fwd_port(uint32_t n)
{
    const uint8_t *ip = in + ETH_HDR, *tcp = ip + 20;
    return n >= ETH_HDR + 40 && get16(in + 12) == TYPE_IPV4 && ip[0] == 0x45 && ip[9] == 6 &&
           memcmp(ip + 16, guest_ip, 4) == 0 && get16(tcp + 2) == FWD_PORT && (tcp[13] & 0x02);
}

/* Tests named net_fwd_* also get a host port forwarded to our FWD_PORT,
 * and the harness connects to it again and again (test/harness/net.c).
 * QEMU then asks who has 10.0.2.15 and, told, sends the connection's
 * SYN: frames that come unasked, with the receive interrupt alone
 * (every other test's frames answer one of ours, and come in the
 * interrupt that says ours went). */
KTEST(net_fwd_host_connection_arrives_unasked)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    NET_DEVICE_INFO before, after;
    KT_ASSERT_EQ(get_info(d, &before), S_OK);
    uint32_t n = 0;
    SCODE sc;
    while ((sc = receive(d, UNASKED_WAIT_MS, &n)) == S_OK && !is_arp_request_for_us(n))
        ;
    KT_ASSERT_EQ(sc, S_OK);
    KT_ASSERT_EQ(get_info(d, &after), S_OK);
    KT_ASSERT_EQ(after.FramesSent, before.FramesSent);
    /* counted as it came: it may have come before `before` was read */
    KT_ASSERT(after.FramesReceived > 0);
    arp_answer(before.Mac);
    KT_ASSERT_EQ(send_out(d, ARP_FRAME), S_OK);
    while ((sc = receive(d, UNASKED_WAIT_MS, &n)) == S_OK && !is_syn_to_fwd_port(n))
        ;
    KT_ASSERT_EQ(sc, S_OK);
}

static struct {
    INetDevice *device;
    SCODE sc;
    bool reply;
} waiter;

static void wait_for_reply(void *arg)
{
    (void)arg;
    uint32_t n = 0;
    while ((waiter.sc = receive(waiter.device, WAIT_MS, &n)) == S_OK &&
           !(waiter.reply = is_arp_reply(n, qemu_mac, gateway_ip)))
        ;
}

/* One thread waits in Receive while another sends: the two paths have
 * locks of their own, so the frame goes out and its answer reaches the
 * waiting thread within its timeout. */
KTEST(net_receive_waits_while_another_thread_sends)
{
    INetDevice *d = net0();
    KT_ASSERT(d != 0);
    waiter.device = d;
    struct thread *t = thread_create("net waiter", PRIO_NORMAL, wait_for_reply, 0);
    KT_ASSERT(t != 0);
    for (unsigned i = 0; i < 1000 && !pcnet_device()->receive_lock.owner; i++)
        thread_yield(); /* until it waits in Receive */
    KT_ASSERT(pcnet_device()->receive_lock.owner == t);
    arp_request(qemu_mac, gateway_ip);
    SCODE sent = send_out(d, ARP_FRAME);
    thread_join(t);
    KT_ASSERT_EQ(sent, S_OK);
    KT_ASSERT_EQ(waiter.sc, S_OK);
    KT_ASSERT(waiter.reply);
}
