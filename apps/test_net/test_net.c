/* test_net: the PCnet driver's "net0" (INetDevice) from a process, its
 * calls going through the kernel-call path with their frames; run by
 * the guest test net_from_a_process (test/drivers/guest/net_process.c)
 * on QEMU's user network: an ARP request for the gateway 10.0.2.2 gets
 * its answer, sizes are refused, Receive times out. `test_net wait`
 * only waits in Receive, for as long as the guest test
 * net_wait_ends_when_killed takes to kill it. */
#include <INetDevice.h>
#include <rialto.h>
#include <stdio.h>
#include <string.h>
#include <utest.h>

#define ARP_FRAME 42

static const BYTE gateway[4] = {10, 0, 2, 2}, guest[4] = {10, 0, 2, 15};

static void arp_request(BYTE *f, const BYTE *mac)
{
    static const BYTE head[] = {0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 1};
    memset(f, 0, ARP_FRAME);
    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    memcpy(f + 12, head, sizeof head);
    memcpy(f + 22, mac, 6);
    memcpy(f + 28, guest, 4);
    memcpy(f + 38, gateway, 4);
}

static void arp(INetDevice *d, const BYTE *mac)
{
    BYTE out[ARP_FRAME], in[1514];
    arp_request(out, mac);
    CHECK_EQ(INetDevice_Send(d, ARP_FRAME, out), S_OK);
    uint32_t n = 0;
    memset(in, 0xee, sizeof in);
    CHECK_EQ(INetDevice_Receive(d, sizeof in, in, 2000, &n), S_OK);
    CHECK_EQ(n, 64);
    CHECK(memcmp(in, mac, 6) == 0, "the answer is addressed to us");
    CHECK(in[12] == 0x08 && in[13] == 0x06 && in[21] == 2, "it is an ARP reply");
    CHECK(memcmp(in + 28, gateway, 4) == 0, "from the gateway");
    CHECK(in[n] == 0xee, "nothing written past the frame");
}

static void errors(INetDevice *d)
{
    BYTE buf[16] = {0};
    uint32_t n = 99;
    CHECK_EQ(INetDevice_Send(d, 13, buf), NETDEV_E_BAD_SIZE);
    CHECK_EQ(INetDevice_Receive(d, sizeof buf, buf, 30, &n), NETDEV_E_TIMEOUT);
    CHECK_EQ(n, 0);
}

/* Frames (none come unasked on QEMU's user network) for 10 minutes. */
static int wait_in_receive(INetDevice *d)
{
    BYTE in[1514];
    uint32_t n;
    printf("test_net: waiting\n");
    while (INetDevice_Receive(d, sizeof in, in, 600000, &n) == S_OK)
        ;
    return 1;
}

int main(int argc, char **argv)
{
    INetDevice *d = NULL;
    CHECK_EQ(INameService_Lookup(NameService(), "net0", &IID_INetDevice, (void **)&d), S_OK);
    if (!d)
        return 99;
    if (argc == 2 && !strcmp(argv[1], "wait"))
        return wait_in_receive(d);
    NET_DEVICE_INFO info, after;
    CHECK_EQ(INetDevice_GetInfo(d, &info), S_OK);
    CHECK_EQ(info.Mtu, 1500);
    CHECK(info.Mac[0] == 0x52 && info.Mac[5] == 0x56, "QEMU's default address");
    arp(d, info.Mac);
    errors(d);
    CHECK_EQ(INetDevice_GetInfo(d, &after), S_OK);
    CHECK_EQ(after.FramesSent - info.FramesSent, 1);
    CHECK_EQ(after.FramesReceived - info.FramesReceived, 1);
    INetDevice_Release(d);
    printf("test_net: %d failures\n", utest_failures);
    return utest_failures;
}
