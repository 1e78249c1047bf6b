/* What the loader's guest tests wait for and look up: the sample service's
 * name, and a loaded image by name. */
#ifndef TEST_LOADER_LOADED_H
#define TEST_LOADER_LOADED_H

#include <kernel/loader/image.h>
#include <stdbool.h>

/* The service registers "kv" from its own thread: wait for it (2 s). */
bool kv_registered(void);

/* The loaded image `name` (the caller keeps a user of it alive), or NULL. */
struct image *image_named(const char *name);

#endif
