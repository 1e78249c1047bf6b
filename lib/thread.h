/* What a thread the runtime starts runs (lib/thread.c; serve.c's server
 * threads too): _thread_start calls rt_thread_main with one of these. */
#ifndef LIB_THREAD_H
#define LIB_THREAD_H

#include "arch.h"

struct rt_thread {
    int (*fn)(void *);
    void *arg;
};

#endif
