/* INetDevice (idl/INetDevice.idl) over the PCnet controller: sizes are
 * checked here before ring.c touches the rings. The object is static,
 * like the controller: references are not counted. */
#include "pcnet.h"

#include <kernel/arch.h>

static SCODE net_query(INetDevice *This, REFIID riid, void **ppv)
{
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_INetDevice)) {
        *ppv = 0;
        return E_NOINTERFACE;
    }
    *ppv = This;
    return S_OK;
}

static SCODE net_addref(INetDevice *This)
{
    (void)This;
    return S_OK;
}

static SCODE net_get_info(INetDevice *This, NET_DEVICE_INFO *pInfo)
{
    struct pcnet *p = (struct pcnet *)This;
    if (!p->present)
        return NETDEV_E_NO_DEVICE;
    unsigned long irq = arch_irq_save();
    uint16_t missed = pcnet_csr_read(p, PCNET_CSR_MISSED);
    bool link = pcnet_bcr_read(p, PCNET_BCR_LINK) & BCR4_LINK;
    *pInfo = (NET_DEVICE_INFO){.Mtu = PCNET_MTU,
                               .LinkUp = link,
                               .FramesSent = p->frames_sent,
                               .FramesReceived = p->frames_received,
                               .BytesSent = p->bytes_sent,
                               .BytesReceived = p->bytes_received,
                               .ReceiveErrors = p->rx_errors,
                               .ReceiveDropped = (uint16_t)(missed - p->missed_before),
                               .TransmitErrors = p->tx_errors,
                               .Collisions = p->collisions};
    arch_irq_restore(irq);
    for (unsigned i = 0; i < 6; i++)
        pInfo->Mac[i] = p->mac[i];
    return S_OK;
}

static SCODE net_send(INetDevice *This, uint32_t Size, const BYTE *pFrame)
{
    struct pcnet *p = (struct pcnet *)This;
    if (!p->present)
        return NETDEV_E_NO_DEVICE;
    if (Size < NET_FRAME_MIN || Size > NET_FRAME_MAX)
        return NETDEV_E_BAD_SIZE;
    return pcnet_send(p, pFrame, Size);
}

static SCODE net_receive(INetDevice *This, uint32_t Size, BYTE *pFrame, uint32_t TimeoutMs,
                         uint32_t *pReceived)
{
    struct pcnet *p = (struct pcnet *)This;
    *pReceived = 0;
    if (!p->present)
        return NETDEV_E_NO_DEVICE;
    return pcnet_receive(p, pFrame, Size, TimeoutMs, pReceived);
}

static const struct INetDeviceVtbl vtbl = {net_query,    net_addref, net_addref,
                                           net_get_info, net_send,   net_receive};

void pcnet_object_init(struct pcnet *p)
{
    p->object.lpVtbl = &vtbl;
}
