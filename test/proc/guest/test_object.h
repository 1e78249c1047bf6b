/* The test kernel's ITestObject (test_object.c). */
#ifndef TEST_PROC_TEST_OBJECT_H
#define TEST_PROC_TEST_OBJECT_H

#include <ITestObject.h>

IUnknown *test_object(void);

#endif
