/* The name service's table (kernel/ipc/names.c): names, references,
 * owners, bounds, and what a process's end takes away. Each test runs in
 * its own process (Criterion), so the static table starts empty. */
#include <criterion/criterion.h>
#include <kernel/ipc/names.h>
#include <stdio.h>
#include <string.h>

#include "IConsole.h"
#include "IProcess.h"

/* A counted object with IUnknown and IConsole; when reenter is set, its
 * QueryInterface and Release call into the table, which the host's mutex
 * double would refuse (abort) if the table's lock were held. */
struct counted {
    IUnknown unk;
    int refs;
    bool reenter;
};

static struct counted *of(IUnknown *u)
{
    return (struct counted *)(void *)u;
}

static SCODE c_qi(IUnknown *This, REFIID riid, void **ppv)
{
    *ppv = 0;
    if (of(This)->reenter)
        (void)names_count();
    if (!com_iid_equal(riid, &IID_IUnknown) && !com_iid_equal(riid, &IID_IConsole))
        return E_NOINTERFACE;
    of(This)->refs++;
    *ppv = This;
    return S_OK;
}

static SCODE c_addref(IUnknown *This)
{
    of(This)->refs++;
    return S_OK;
}

static SCODE c_release(IUnknown *This)
{
    of(This)->refs--;
    if (of(This)->reenter)
        (void)names_count();
    return S_OK;
}

static const struct IUnknownVtbl vtbl = {c_qi, c_addref, c_release};

#define COUNTED                                                                                    \
    {                                                                                              \
        {&vtbl}, 1, false                                                                          \
    }

/* Two processes, as owners (the table never looks inside them). */
static char pa, pb;
#define A ((struct process *)(void *)&pa)
#define B ((struct process *)(void *)&pb)

TestSuite(ipc_names);

Test(ipc_names, a_registered_object_is_found_with_a_reference_of_its_own)
{
    struct counted o = COUNTED;
    cr_assert_eq(names_register("fs", &o.unk, 0), S_OK);
    cr_expect_eq(o.refs, 2, "the table's reference");
    void *found;
    cr_assert_eq(names_lookup("fs", &IID_IConsole, &found), S_OK);
    cr_expect_eq(found, &o.unk);
    cr_expect_eq(o.refs, 3, "the caller's reference");
    c_release(found);
    cr_assert_eq(names_unregister("fs", 0), S_OK);
    cr_expect_eq(o.refs, 1, "the table's reference went");
    cr_expect_eq(names_lookup("fs", &IID_IUnknown, &found), NAME_E_NOT_FOUND);
    cr_expect_null(found);
}

Test(ipc_names, a_lookup_asks_the_object_for_the_interface)
{
    struct counted o = COUNTED;
    cr_assert_eq(names_register("net", &o.unk, A), S_OK);
    void *found = &found;
    cr_expect_eq(names_lookup("net", &IID_IProcess, &found), E_NOINTERFACE);
    cr_expect_null(found);
    cr_expect_eq(o.refs, 2, "no reference left behind");
    names_forget(A);
    cr_expect_eq(o.refs, 1);
}

Test(ipc_names, a_taken_name_is_refused)
{
    struct counted o = COUNTED, p = COUNTED;
    cr_assert_eq(names_register("gfx", &o.unk, A), S_OK);
    cr_expect_eq(names_register("gfx", &p.unk, B), NAME_E_EXISTS);
    cr_expect_eq(names_register("gfx", &p.unk, A), NAME_E_EXISTS);
    cr_expect_eq(p.refs, 1);
    void *found;
    cr_assert_eq(names_lookup("gfx", &IID_IUnknown, &found), S_OK);
    cr_expect_eq(found, &o.unk, "the first one stays");
    c_release(found);
    cr_expect_eq(names_register("gfx2", &p.unk, B), S_OK, "a name that only starts alike");
    cr_expect_eq(names_count(), 2);
    names_forget(A);
    names_forget(B);
}

Test(ipc_names, unknown_names_are_not_found)
{
    struct counted o = COUNTED;
    void *found;
    cr_expect_eq(names_lookup("fs", &IID_IUnknown, &found), NAME_E_NOT_FOUND);
    cr_assert_eq(names_register("fs", &o.unk, A), S_OK);
    cr_expect_eq(names_lookup("f", &IID_IUnknown, &found), NAME_E_NOT_FOUND);
    cr_expect_eq(names_lookup("fs.", &IID_IUnknown, &found), NAME_E_NOT_FOUND);
    cr_expect_eq(names_lookup("FS", &IID_IUnknown, &found), NAME_E_NOT_FOUND);
    cr_expect_eq(names_unregister("net", A), NAME_E_NOT_FOUND);
    names_forget(A);
}

Test(ipc_names, names_are_one_to_32_allowed_characters)
{
    char longest[NAME_MAX_LENGTH + 2];
    memset(longest, 'x', sizeof longest);
    longest[NAME_MAX_LENGTH] = '\0';
    cr_expect_eq(names_check(longest), S_OK);
    cr_expect_eq(names_check("AZaz09._-/"), S_OK);
    longest[NAME_MAX_LENGTH] = 'x';
    longest[NAME_MAX_LENGTH + 1] = '\0';
    const char *bad[] = {"", "a b", "a\n", "caf\xc3\xa9", "a:b", "a*", "a\\b", longest, 0};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(names_check(bad[i]), NAME_E_BAD_NAME, "bad name %u", i);
    struct counted o = COUNTED;
    void *found;
    cr_expect_eq(names_register(longest, &o.unk, A), NAME_E_BAD_NAME);
    cr_expect_eq(names_lookup("", &IID_IUnknown, &found), NAME_E_BAD_NAME);
    cr_expect_eq(names_unregister("a b", A), NAME_E_BAD_NAME);
    cr_expect_eq(names_register("fs", 0, A), E_POINTER);
    cr_expect_eq(o.refs, 1);
    cr_expect_eq(names_count(), 0);
}

/* Every character of the allowed set one by one, and the ones around it. */
Test(ipc_names, exactly_the_allowed_characters_pass)
{
    for (int c = 1; c < 256; c++) {
        char name[2] = {(char)c, 0};
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-' || c == '/';
        cr_expect_eq(names_check(name), ok ? S_OK : NAME_E_BAD_NAME, "character %#x", c);
    }
}

Test(ipc_names, the_table_holds_64_names)
{
    struct counted o = COUNTED;
    char name[8];
    for (unsigned i = 0; i < NAME_MAX_NAMES; i++) {
        snprintf(name, sizeof name, "n%u", i);
        cr_assert_eq(names_register(name, &o.unk, A), S_OK, "name %u", i);
    }
    cr_expect_eq(names_register("one-more", &o.unk, A), NAME_E_FULL);
    cr_expect_eq(names_register("n3", &o.unk, A), NAME_E_EXISTS, "taken before full");
    cr_expect_eq(o.refs, 1 + NAME_MAX_NAMES);
    cr_assert_eq(names_unregister("n7", A), S_OK);
    cr_expect_eq(names_register("one-more", &o.unk, A), S_OK, "room again");
    names_forget(A);
    cr_expect_eq(o.refs, 1);
    cr_expect_eq(names_count(), 0);
}

Test(ipc_names, only_the_owner_unregisters)
{
    struct counted o = COUNTED, k = COUNTED;
    cr_assert_eq(names_register("mine", &o.unk, A), S_OK);
    cr_assert_eq(names_register("kernel", &k.unk, 0), S_OK);
    cr_expect_eq(names_unregister("mine", B), NAME_E_NOT_OWNER);
    cr_expect_eq(names_unregister("mine", 0), NAME_E_NOT_OWNER, "not even the kernel");
    cr_expect_eq(names_unregister("kernel", A), NAME_E_NOT_OWNER);
    cr_expect_eq(o.refs, 2);
    cr_expect_eq(k.refs, 2);
    cr_expect_eq(names_unregister("mine", A), S_OK);
    cr_expect_eq(names_unregister("kernel", 0), S_OK);
    cr_expect_eq(o.refs, 1);
    cr_expect_eq(k.refs, 1);
}

Test(ipc_names, an_ending_process_takes_its_names_and_only_those)
{
    struct counted a1 = COUNTED, a2 = COUNTED, b = COUNTED, k = COUNTED;
    cr_assert_eq(names_register("a1", &a1.unk, A), S_OK);
    cr_assert_eq(names_register("b", &b.unk, B), S_OK);
    cr_assert_eq(names_register("k", &k.unk, 0), S_OK);
    cr_assert_eq(names_register("a2", &a2.unk, A), S_OK);
    names_forget(A);
    cr_expect_eq(a1.refs, 1);
    cr_expect_eq(a2.refs, 1);
    void *found;
    cr_expect_eq(names_lookup("a1", &IID_IUnknown, &found), NAME_E_NOT_FOUND);
    cr_expect_eq(names_lookup("a2", &IID_IUnknown, &found), NAME_E_NOT_FOUND);
    cr_expect_eq(names_count(), 2);
    names_forget(0);
    cr_expect_eq(k.refs, 2, "the kernel's names never go by names_forget");
    cr_expect_eq(names_count(), 2);
    names_forget(B);
    cr_expect_eq(names_unregister("k", 0), S_OK);
    cr_expect_eq(names_count(), 0);
}

static void collect(const char *name, struct process *owner, void *arg)
{
    char *out = arg;
    strcat(out, name);
    strcat(out, owner == A ? ":A " : owner ? ":? " : ":k ");
}

Test(ipc_names, names_are_listed_by_index_and_all_at_once)
{
    struct counted o = COUNTED;
    cr_assert_eq(names_register("one", &o.unk, A), S_OK);
    cr_assert_eq(names_register("two", &o.unk, 0), S_OK);
    cr_assert_eq(names_register("three", &o.unk, A), S_OK);
    cr_assert_eq(names_unregister("two", 0), S_OK);
    char name[NAME_MAX_LENGTH + 1];
    cr_expect_eq(names_at(0, name), S_OK);
    cr_expect_str_eq(name, "one");
    cr_expect_eq(names_at(1, name), S_OK);
    cr_expect_str_eq(name, "three");
    cr_expect_eq(names_at(2, name), S_FALSE);
    cr_expect_str_eq(name, "");
    cr_expect_eq(names_at(~0u, name), S_FALSE);
    cr_assert_eq(names_register("k", &o.unk, 0), S_OK);
    char all[64] = "";
    names_each(collect, all);
    cr_expect_str_eq(all, "one:A k:k three:A ");
    names_forget(A);
    names_unregister("k", 0);
}

/* QueryInterface and the last Release run outside the table's lock: an
 * object that calls back into the table from them does not deadlock. */
Test(ipc_names, objects_are_asked_and_released_outside_the_lock)
{
    struct counted o = {{&vtbl}, 1, true};
    cr_assert_eq(names_register("re", &o.unk, A), S_OK);
    void *found;
    cr_assert_eq(names_lookup("re", &IID_IUnknown, &found), S_OK);
    c_release(found);
    cr_assert_eq(names_unregister("re", A), S_OK);
    cr_assert_eq(names_register("re", &o.unk, A), S_OK);
    names_forget(A);
    cr_expect_eq(o.refs, 1);
}
