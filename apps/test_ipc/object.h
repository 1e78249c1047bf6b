/* A user implementation of ITestObject (idl/ITestObject.idl), the same
 * methods as the test kernel's, for calls into a process. */
#ifndef TEST_IPC_OBJECT_H
#define TEST_IPC_OBJECT_H

#include <ITestObject.h>

/* A new object with one reference; NULL without memory. */
ITestObject *object_new(void);
/* Objects alive now (the leak checks). */
int object_live(void);

#endif
