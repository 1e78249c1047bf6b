/* Bus-master DMA of the PIIX IDE controller (the SFF-8038i registers at
 * BAR4: eight bytes a channel). The device moves data through a bounce
 * buffer in unmapped memory, physically contiguous, described by a PRD
 * table beside it; the caller's buffer, which may be user memory, mapped
 * memory or shared copy-on-write, is only ever copied by the CPU. Both
 * are used through their uncached views (kseg1 on MIPS), so no cache
 * stands between the CPU and the device on a real board. */
#include "ata.h"
#include <kernel/kprintf.h>

#include <kernel/arch.h>
#include <kernel/string.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/vm.h>

#define BM_COMMAND 0 /* start/stop, direction */
#define BM_STATUS  2 /* error and interrupt bits, cleared by writing ones */
#define BM_PRD     4 /* the PRD table's physical address */

#define BM_CMD_START    0x01
#define BM_CMD_TO_MEM   0x08 /* the device's data goes to memory: an ATA read */
#define BM_ST_ERROR     0x02
#define BM_ST_INTERRUPT 0x04

#define PRD_LAST 0x80000000u /* end of table, in an entry's second word */

#define CMD_READ_DMA  0xc8
#define CMD_WRITE_DMA 0xca

#define BOUNCE_SIZE (ATA_MAX_SECTORS * ATA_SECTOR)

bool ata_dma_setup(struct ata_channel *c, uint16_t bm)
{
    vaddr_t va;
    if (FAILED(as_reserve(&kernel_as, &va, BOUNCE_SIZE + PAGE_SIZE, AS_RESERVE_UNMAPPED)))
        return false;
    paddr_t phys = virt_to_phys((void *)va);
    c->bounce_phys = phys;
    c->bounce = phys_to_virt_uncached(phys);
    c->prd_phys = phys + BOUNCE_SIZE;
    c->prd = phys_to_virt_uncached(c->prd_phys);
    c->bm = bm;
    return true;
}

/* One entry a page: an entry must not cross a 64 KiB boundary, and a
 * page never does. */
static void fill_prd(struct ata_channel *c, size_t bytes)
{
    unsigned i = 0;
    for (size_t done = 0; done < bytes; done += PAGE_SIZE, i++) {
        size_t n = bytes - done < PAGE_SIZE ? bytes - done : PAGE_SIZE;
        c->prd[2 * i] = (uint32_t)(c->bounce_phys + done);
        c->prd[2 * i + 1] = (uint32_t)n;
    }
    c->prd[2 * i - 1] |= PRD_LAST;
}

/* Stop the engine and acknowledge it: the status it ended with. */
static uint8_t stop(struct ata_channel *c, uint8_t direction)
{
    uint8_t bst = io_read8(c->bm + BM_STATUS);
    io_write8(c->bm + BM_COMMAND, direction);
    io_write8(c->bm + BM_STATUS, BM_ST_ERROR | BM_ST_INTERRUPT);
    return bst;
}

SCODE ata_dma_transfer(struct ata_drive *d, uint32_t lba, unsigned count, uint8_t *buf, bool write)
{
    struct ata_channel *c = d->channel;
    size_t bytes = (size_t)count * ATA_SECTOR;
    uint8_t direction = write ? 0 : BM_CMD_TO_MEM, st;
    if (write)
        memcpy(c->bounce, buf, bytes);
    fill_prd(c, bytes);
    io_write8(c->bm + BM_COMMAND, direction);
    io_write8(c->bm + BM_STATUS, BM_ST_ERROR | BM_ST_INTERRUPT);
    io_write32(c->bm + BM_PRD, (uint32_t)c->prd_phys);
    SCODE sc = ata_start_command(d, write ? CMD_WRITE_DMA : CMD_READ_DMA, lba, count);
    if (FAILED(sc))
        return sc;
    io_write8(c->bm + BM_COMMAND, direction | BM_CMD_START);
    bool done = ata_wait_interrupt(c, &st);
    uint8_t bst = stop(c, direction);
    if (!done)
        return ata_timed_out(c);
    if (ata_failed(st) || bst & BM_ST_ERROR) {
        kprintf("ide: DMA %s of %u at %u: status %#x, bus master %#x\n", write ? "write" : "read",
                count, lba, st, bst);
        return BLK_E_IO;
    }
    d->dma_transfers++;
    if (!write)
        memcpy(buf, c->bounce, bytes);
    return S_OK;
}
