/* The system object (kernel/proc/system_object.c) from the process it is
 * handed to (apps/test_system): spawn, kill, reports, cycles and their
 * refusals. The runner checks pages and heap after. */
#include <ISystem.h>
#include <kernel/ktest.h>
#include <kernel/proc/process.h>
#include <kernel/proc/system_object.h>

KTEST(user_system_spawns_kills_and_refuses)
{
    struct process *p;
    SCODE sc = process_spawn_with("test_system", 1, (const char *const[]){"test_system"},
                                  system_object(), &IID_ISystem, &p);
    KT_ASSERT_EQ(sc, S_OK);
    int32_t code = process_wait(p);
    process_release(p);
    KT_ASSERT_EQ(code, 0);
}
