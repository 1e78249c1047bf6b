// Ethernet II output: the header in front of a built frame, padding to the
// 60-byte minimum (the receiver's IP layer trims by its total length).
#include "net_internal.h"

void net_eth_output(struct net_stack *s, const uint8_t dst_mac[6], uint16_t type, uint8_t *frame,
                    uint32_t len)
{
    memcpy(frame, dst_mac, 6);
    memcpy(frame + 6, s->mac, 6);
    net_put16(frame + 12, type);
    if (len < NET_ETH_MIN) {
        memset(frame + len, 0, NET_ETH_MIN - len);
        len = NET_ETH_MIN;
    }
    NET_COUNT(s, frames_out);
    s->ops.send_frame(s->ops.ctx, frame, len);
}
