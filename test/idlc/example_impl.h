// Test implementations of the interfaces in idlc_example.idl.
#ifndef TEST_IDLC_EXAMPLE_IMPL_H
#define TEST_IDLC_EXAMPLE_IMPL_H

#include "idlc_example.h"

ICounter *counter_new(int32_t start);
IExample *example_new(void);
extern const void *example_last_in;
// Live counters (counter_new less the freed) and a counter's references.
extern int counter_live;
int counter_refs(ICounter *c);
// What Read reports in *pcbRead (it always writes all cb bytes), and how
// many counters Next has to give.
extern ULONG example_read_len;
extern ULONG example_next_avail;
// Calls that reached the implementation of Both.
extern int example_both_calls;

#endif
