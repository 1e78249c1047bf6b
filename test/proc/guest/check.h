/* The kernel's invariants that hold whenever no lock is held, for guest
 * tests that check them while processes run (the fuzzer's driver, the
 * stress test). */
#ifndef TEST_PROC_CHECK_H
#define TEST_PROC_CHECK_H

/* as_check on the kernel's space and every process's, handle_table_check
 * on every handle table, the page and heap counters; panics with what
 * is wrong. */
void check_kernel(const char *who);

#endif
