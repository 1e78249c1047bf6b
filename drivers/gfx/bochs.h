/* The bochs-display driver's shared structure (drivers/gfx): QEMU's
 * bochs-display (the standard VGA has the same PCI ID and registers,
 * another class): BAR0 the framebuffer, BAR2 a page of registers whose
 * "DISPI" interface sets the mode. */
#ifndef DRIVERS_GFX_BOCHS_H
#define DRIVERS_GFX_BOCHS_H

#include <IFrameBuffer.h>
#include <ISurface.h>
#include <kernel/vm/vm.h>
#include <stdbool.h>

#define BOCHS_VENDOR               0x1234
#define BOCHS_DEVICE               0x1111
#define PCI_CLASS_DISPLAY          0x03
#define PCI_SUBCLASS_DISPLAY_OTHER 0x80 /* the standard VGA is 0x00 */

/* The DISPI registers: 16 bits each, at BAR2 + 0x500 + 2 * index. */
#define BOCHS_DISPI_OFFSET 0x500
enum bochs_dispi {
    DISPI_ID = 0,
    DISPI_XRES = 1,
    DISPI_YRES = 2,
    DISPI_BPP = 3,
    DISPI_ENABLE = 4,
    DISPI_VIRT_WIDTH = 6,
    DISPI_VIRT_HEIGHT = 7,
    DISPI_X_OFFSET = 8,
    DISPI_Y_OFFSET = 9,
};
#define DISPI_ID_FIRST    0xb0c0 /* ID0 .. ID5: every version has what we use */
#define DISPI_ID_LAST     0xb0c5
#define DISPI_ENABLED     0x01
#define DISPI_LFB_ENABLED 0x40

#define BOCHS_MAX_WIDTH  1024
#define BOCHS_MAX_HEIGHT 768
#define BOCHS_MIN_SIDE   64

struct bochs {
    IFrameBuffer object; /* first: the object is the device */
    bool present;
    volatile uint16_t *dispi;  /* the registers, mapped (MapPhysicalMemory) */
    uint32_t fb_phys, fb_size; /* BAR0 */
    vaddr_t fb;                /* FB_MEMORY_SIZE of it in the kernel's space */
    struct as space;           /* the same frames: the memory object's source */
    IMemoryObject *view;       /* FB_MEMORY_SIZE of space, readable and writable */
    FB_MODE mode;
    struct mutex lock; /* SetMode against SetMode */
};

/* bochs.c */
void bochs_start(void);
struct bochs *bochs_device(void); /* NULL: no display */
SCODE bochs_set_mode(struct bochs *b, uint32_t width, uint32_t height);

/* framebuffer.c: IFrameBuffer over it. */
void bochs_object_init(struct bochs *b);

#endif
