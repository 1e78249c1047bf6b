/* The bochs-display driver (see bochs.h): finds the device on the PCI
 * bus, maps its registers and framebuffer with MapPhysicalMemory, makes
 * the framebuffer a memory object (the same frames in a space of their
 * own, which any space can Map, the kernel's included), sets 640 x 480
 * and registers IFrameBuffer as "display0". */
#include "bochs.h"

#include "../pci/pci.h"

#include <kernel/ipc/names.h>
#include <kernel/kprintf.h>
#include <kernel/vm/kmem.h>
#include <kernel/vm/object.h>
#include <kernel/vm/physmap.h>

#define RW (AS_PROT_READ | AS_PROT_WRITE)

static struct bochs device = {.lock = MUTEX_INIT("bochs")};

struct bochs *bochs_device(void)
{
    return device.present ? &device : 0;
}

static uint16_t dispi_read(struct bochs *b, enum bochs_dispi r)
{
    return b->dispi[r];
}

static void dispi_write(struct bochs *b, enum bochs_dispi r, uint16_t v)
{
    b->dispi[r] = v;
}

static bool mode_ok(uint32_t width, uint32_t height)
{
    return width >= BOCHS_MIN_SIDE && height >= BOCHS_MIN_SIDE && width <= BOCHS_MAX_WIDTH &&
           height <= BOCHS_MAX_HEIGHT && width % 8 == 0 && height % 8 == 0;
}

/* Disable, program, enable: the device clears the framebuffer as it
 * enables (no DISPI_NOCLEARMEM). */
SCODE bochs_set_mode(struct bochs *b, uint32_t width, uint32_t height)
{
    if (!mode_ok(width, height))
        return GFX_E_BAD_MODE;
    mutex_lock(&b->lock);
    dispi_write(b, DISPI_ENABLE, 0);
    dispi_write(b, DISPI_XRES, (uint16_t)width);
    dispi_write(b, DISPI_YRES, (uint16_t)height);
    dispi_write(b, DISPI_BPP, 32);
    dispi_write(b, DISPI_VIRT_WIDTH, (uint16_t)width);
    dispi_write(b, DISPI_VIRT_HEIGHT, (uint16_t)height);
    dispi_write(b, DISPI_X_OFFSET, 0);
    dispi_write(b, DISPI_Y_OFFSET, 0);
    dispi_write(b, DISPI_ENABLE, DISPI_ENABLED | DISPI_LFB_ENABLED);
    bool took = dispi_read(b, DISPI_XRES) == width && dispi_read(b, DISPI_YRES) == height;
    if (took)
        b->mode = (FB_MODE){.Width = width, .Height = height, .Bpp = 32, .Pitch = width * 4};
    mutex_unlock(&b->lock);
    return took ? S_OK : GFX_E_BAD_MODE;
}

/* The framebuffer's frames, mapped again in a space of their own whose
 * view is the memory object: Map refuses a source in the mapper's own
 * space, so a view of kernel_as could not reach the kernel placement. */
static SCODE make_view(struct bochs *b)
{
    vaddr_t at = 0;
    IMemoryObject *whole = 0;
    as_init(&b->space, "framebuffer", USER_BASE, USER_END, &kernel_heap);
    SCODE sc = as_map_physical(&b->space, b->fb_phys, FB_MEMORY_SIZE, RW, &at);
    IAddressSpace *ias = SUCCEEDED(sc) ? as_object_create(&b->space, 0, 0) : 0;
    if (SUCCEEDED(sc) && !ias)
        sc = E_OUTOFMEMORY;
    if (SUCCEEDED(sc))
        sc = IAddressSpace_QueryInterface(ias, &IID_IMemoryObject, (void **)&whole);
    if (SUCCEEDED(sc))
        sc = IMemoryObject_RestrictedAccess(whole, at, FB_MEMORY_SIZE, RW, &b->view);
    if (whole)
        IMemoryObject_Release(whole);
    if (ias)
        IAddressSpace_Release(ias);
    return sc;
}

static SCODE map_device(struct bochs *b, const struct pci_function *f)
{
    uint32_t regs = pci_mem_bar(f, 2);
    b->fb_phys = pci_mem_bar(f, 0); /* assigned before decoding is on */
    b->fb_size = f->bar[0].size;
    if (!regs || !b->fb_phys || b->fb_size < FB_MEMORY_SIZE)
        return GFX_E_NO_DEVICE;
    pci_enable(f, PCI_COMMAND_MEMORY);
    vaddr_t r;
    SCODE sc = MapPhysicalMemory(regs, PAGE_SIZE, RW, &r);
    if (SUCCEEDED(sc))
        sc = MapPhysicalMemory(b->fb_phys, FB_MEMORY_SIZE, RW, &b->fb);
    if (FAILED(sc))
        return sc;
    b->dispi = (volatile uint16_t *)(uintptr_t)(r + BOCHS_DISPI_OFFSET);
    uint16_t id = dispi_read(b, DISPI_ID);
    return id >= DISPI_ID_FIRST && id <= DISPI_ID_LAST ? S_OK : GFX_E_NO_DEVICE;
}

/* The bochs-display only: the standard VGA has its ID and registers, but
 * it is the PC's text console, and a machine without tools/qemu
 * --display has no display0 on either arch. */
static const struct pci_function *find(void)
{
    for (unsigned i = 0; i < pci_count(); i++) {
        const struct pci_function *f = pci_at(i);
        if (f->vendor == BOCHS_VENDOR && f->device == BOCHS_DEVICE &&
            f->class_code == PCI_CLASS_DISPLAY && f->subclass == PCI_SUBCLASS_DISPLAY_OTHER)
            return f;
    }
    return 0;
}

void bochs_start(void)
{
    const struct pci_function *f = find();
    if (!f)
        return;
    struct bochs *b = &device;
    SCODE sc = map_device(b, f);
    if (SUCCEEDED(sc))
        sc = make_view(b);
    if (SUCCEEDED(sc))
        sc = bochs_set_mode(b, 640, 480);
    if (FAILED(sc)) {
        kprintf("bochs: display not started (%#x)\n", (unsigned)sc);
        return;
    }
    bochs_object_init(b);
    b->present = true;
    sc = names_register("display0", (IUnknown *)&b->object, 0);
    kprintf("bochs: display0: framebuffer %#x (%u KiB), %ux%ux32%s\n", (unsigned)b->fb_phys,
            (unsigned)(b->fb_size / 1024), (unsigned)b->mode.Width, (unsigned)b->mode.Height,
            FAILED(sc) ? " (not registered)" : "");
}
