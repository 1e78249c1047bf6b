/* test_sock's benchmark modes (bench.c). */
#ifndef APPS_TEST_SOCK_BENCH_H
#define APPS_TEST_SOCK_BENCH_H

#include <ISocket.h>

/* argv[1] is "bench", argv[2] the mode; 0 when it moved what it should. */
int bench_net(INetwork *net, int argc, char **argv);

#endif
