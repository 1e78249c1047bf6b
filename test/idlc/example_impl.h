// Test implementations of the interfaces in idlc_example.idl.
#ifndef TEST_IDLC_EXAMPLE_IMPL_H
#define TEST_IDLC_EXAMPLE_IMPL_H

#include "idlc_example.h"

ICounter *counter_new(int32_t start);
IExample *example_new(void);
extern const void *example_last_in;

#endif
