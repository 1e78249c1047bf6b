/* IEvent objects (event_object.c), made for IProcess::CreateEvent. */
#ifndef KERNEL_SYNC_EVENT_OBJECT_H
#define KERNEL_SYNC_EVENT_OBJECT_H

#include <IEvent.h>

/* A new event, not set, with one reference. */
SCODE event_object_create(IEvent **out);

#endif
