/* The test kernel's ITestObject (test_object.c). */
#ifndef TEST_PROC_TEST_OBJECT_H
#define TEST_PROC_TEST_OBJECT_H

#include <ITestObject.h>

IUnknown *test_object(void);
/* What was Put in its mailbox (the caller's reference now), emptying it. */
ITestObject *test_object_take_mail(void);
/* The references to it held now (a run that leaks one leaves more). */
uint32_t test_object_refs(void);

#endif
