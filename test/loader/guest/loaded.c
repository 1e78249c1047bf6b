/* Waiting for the sample service and finding images (see loaded.h). */
#include "loaded.h"
#include <kernel/loader/services.h>
#include <kernel/string.h>

bool kv_registered(void)
{
    return service_wait_ready("kv", 2000);
}

struct lookup {
    const char *name;
    struct image *found;
};

static void match(struct image *img, void *arg)
{
    struct lookup *l = arg;
    if (strcmp(img->name, l->name) == 0)
        l->found = img;
}

struct image *image_named(const char *name)
{
    struct lookup l = {name, 0};
    image_each(match, &l);
    return l.found;
}
