// A loopback transport for host tests: com_invoke copies every argument of a
// call into fresh memory as the signature describes (as the kernel would
// between address spaces), dispatches to the generated stub and copies the
// results back. It also provides the runtime's allocator and handle table.
#ifndef TEST_IDLC_LOOPBACK_H
#define TEST_IDLC_LOOPBACK_H

#include <com/com.h>

// Makes an interface known: its signature, stub and proxy vtbl.
void loopback_register(const struct com_iface_sig *sig, com_dispatch_fn *dispatch,
                       const void *proxy_vtbl);
// Forgets every object handle (dropping the references they hold).
void loopback_reset(void);
// How many calls went through com_invoke since the last reset.
int loopback_calls(void);
// True if itf is a proxy made by com_unmarshal_interface.
bool loopback_is_proxy(const void *itf);
// How many handles exist (each holds one reference to its object).
int loopback_live_handles(void);
// Makes the n-th com_marshal_interface from now fail (0: none fails).
void loopback_fail_marshal(int n);
// Blocks from com_alloc not yet given back to com_free.
int loopback_allocs(void);

#endif
