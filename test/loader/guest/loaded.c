/* Waiting for the sample service and finding images (see loaded.h). */
#include "loaded.h"
#include <IKeyValue.h>
#include <kernel/ipc/names.h>
#include <kernel/sched/sched.h>
#include <kernel/string.h>

bool kv_registered(void)
{
    for (int i = 0; i < 200; i++) {
        IKeyValue *kv;
        if (SUCCEEDED(names_lookup("kv", &IID_IKeyValue, (void **)&kv))) {
            IKeyValue_Release(kv);
            return true;
        }
        thread_sleep_ticks(1);
    }
    return false;
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
