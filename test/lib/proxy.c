/* The user runtime's proxies (lib/proxy.c) on the host, with test/idlc's
 * loopback transport standing in for the kernel: a local console object
 * gets a handle from the loopback, the runtime makes its proxy from the
 * handle, and calls through idlc's generated IConsole proxy reach the
 * object. */
#include "../idlc/loopback.h"
#include <IConsole.h>
#include <IUnknown.h>
#include <criterion/criterion.h>
#include <IProcess.h>
#include <lib/export.h>
#include <lib/proxy.h>
#include <string.h>

extern int rt_test_serve_starts; /* test/lib/doubles.c */

struct local_console {
    IConsole itf;
    int refs;
    char text[64];
};

static struct local_console local;

static SCODE local_query(IConsole *This, REFIID riid, void **ppv)
{
    *ppv = NULL;
    if (!com_iid_equal(riid, &IID_IConsole) && !com_iid_equal(riid, &IID_IUnknown))
        return E_NOINTERFACE;
    *ppv = This;
    local.refs++;
    return S_OK;
}

static SCODE local_addref(IConsole *This)
{
    (void)This;
    return ++local.refs;
}

static SCODE local_release(IConsole *This)
{
    (void)This;
    return --local.refs;
}

static SCODE local_write(IConsole *This, const char *Text, uint32_t Length)
{
    (void)This;
    cr_assert_lt(Length, sizeof local.text);
    memcpy(local.text, Text, Length);
    local.text[Length] = '\0';
    return S_OK;
}

static const struct IConsoleVtbl local_vtbl = {local_query, local_addref, local_release,
                                               local_write, NULL};

static void setup(void)
{
    loopback_reset();
    loopback_register(&IUnknown_Signature, IUnknown_Dispatch, &IUnknown_ProxyVtbl);
    loopback_register(&IConsole_Signature, IConsole_Dispatch, &IConsole_ProxyVtbl);
    local = (struct local_console){.itf = {&local_vtbl}, .refs = 1};
}

TestSuite(lib_proxy, .init = setup);

/* A handle of the local console, as the kernel would hand one over. */
static com_handle_t handle_of_local(void)
{
    com_handle_t h;
    cr_assert_eq(com_marshal_interface(&local.itf, &IID_IConsole, &h), S_OK);
    cr_assert_eq(local.refs, 2, "the handle holds a reference");
    return h;
}

Test(lib_proxy, a_proxy_calls_through_its_handle_and_release_frees_it)
{
    com_handle_t h = handle_of_local();
    void *p;
    cr_assert_eq(rt_unmarshal_interface(h, &IID_IConsole, &p), S_OK);
    cr_assert_not_null(p);
    cr_expect_eq(((struct com_proxy *)p)->lpVtbl, &IConsole_ProxyVtbl);
    cr_expect_eq(((struct com_proxy *)p)->handle, h);
    cr_expect_eq(loopback_allocs(), 1, "the proxy is com_alloc's");
    cr_expect_eq(IConsole_Write((IConsole *)p, "hi there", 8), S_OK);
    cr_expect_str_eq(local.text, "hi there");
    cr_expect_eq(loopback_calls(), 1, "one call through the transport");
    rt_proxy_release(p);
    cr_expect_eq(local.refs, 1, "Release reached the object");
    cr_expect_eq(loopback_allocs(), 0, "and the proxy was freed");
}

Test(lib_proxy, a_proxy_counts_its_own_references)
{
    void *p;
    cr_assert_eq(rt_unmarshal_interface(handle_of_local(), &IID_IConsole, &p), S_OK);
    rt_proxy_addref(p);
    rt_proxy_release(p);
    cr_expect_eq(loopback_calls(), 0, "AddRef and Release stay in the process");
    cr_expect_eq(loopback_allocs(), 1, "one reference is left");
    rt_proxy_release(p);
    cr_expect_eq(loopback_calls(), 1, "the last one releases the handle");
    cr_expect_eq(local.refs, 1);
    cr_expect_eq(loopback_allocs(), 0);
}

Test(lib_proxy, unknown_interfaces_and_handle_zero)
{
    void *p = (void *)1;
    static const IID unknown = {0x12345678, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}};
    cr_expect_eq(rt_unmarshal_interface(7, &unknown, &p), E_NOINTERFACE);
    cr_expect_null(p);
    cr_expect_eq(rt_unmarshal_interface(0, &IID_IConsole, &p), S_OK);
    cr_expect_null(p);
    cr_expect_eq(loopback_allocs(), 0);
    cr_expect_eq(loopback_calls(), 0, "no call for either");
}

/* A proxy passes on a reference of its own handle: the transport takes it. */
Test(lib_proxy, marshalling_a_proxy_adds_a_reference_to_its_handle)
{
    com_handle_t h = handle_of_local(), out = 1;
    struct rt_proxy proxy;
    cr_assert(rt_proxy_init(&proxy, h, &IID_IConsole));
    cr_expect_eq(rt_marshal_interface(&proxy, &IID_IConsole, &out), S_OK);
    cr_expect_eq(out, h);
    cr_expect_eq(loopback_calls(), 1, "AddRef through the handle");
    cr_expect_eq(local.refs, 3);
    cr_expect_eq(rt_marshal_interface(NULL, &IID_IConsole, &out), S_OK);
    cr_expect_eq(out, 0);
}

/* A local object becomes a cookie: one export entry per object and
 * interface, one token per cookie handed out, the object held until the
 * last token is back (with a cookie coming home, a disconnect notice, or
 * a cookie that never left). */
Test(lib_proxy, a_local_object_is_exported_as_a_cookie_with_tokens)
{
    com_handle_t c1, c2;
    rt_test_serve_starts = 0;
    cr_assert_eq(rt_marshal_interface(&local.itf, &IID_IConsole, &c1), S_OK);
    cr_assert_eq(rt_marshal_interface(&local.itf, &IID_IConsole, &c2), S_OK);
    cr_expect(c1 & IPC_COOKIE_BIT);
    cr_expect_eq(c1, c2, "one entry per object and interface");
    cr_expect_eq(rt_export_count(), 1);
    cr_expect_eq(local.refs, 2, "the entry holds one reference");
    cr_expect_eq(rt_test_serve_starts, 2, "exporting makes the process a server");
    rt_export_drop(c2); /* a cookie that never reached the kernel */
    cr_expect_eq(rt_export_count(), 1, "one token is still out");
    void *back;
    cr_assert_eq(rt_unmarshal_interface(c1 | IPC_COOKIE_TOKEN, &IID_IConsole, &back), S_OK);
    cr_expect_eq(back, &local.itf, "home again, the object itself");
    cr_expect_eq(rt_export_count(), 0, "the last token came home");
    cr_expect_eq(local.refs, 2, "the entry's reference went, the caller's came");
    cr_expect_eq(rt_unmarshal_interface(c1, &IID_IConsole, &back), E_HANDLE, "a stale cookie");
    cr_expect_eq(loopback_calls(), 0);
}

Test(lib_proxy, a_server_thread_call_reaches_the_exported_object)
{
    com_handle_t c;
    cr_assert_eq(rt_marshal_interface(&local.itf, &IID_IConsole, &c), S_OK);
    struct IConsole_Write_args w = {"served", 6};
    cr_expect_eq(rt_export_call(c, IConsole_M_Write, &w), S_OK);
    cr_expect_str_eq(local.text, "served");
    struct IUnknown_Release_args r = {0};
    cr_expect_eq(rt_export_call(c, IUnknown_M_Release, &r), RPC_E_BADMETHOD,
                 "the kernel's references are its own business");
    cr_expect_eq(local.refs, 2);
    cr_expect_eq(rt_export_call(c ^ 1, IConsole_M_Write, &w), IPC_E_BAD_COOKIE);
    uint32_t tokens = 1;
    cr_expect_eq(rt_export_call(c, IPC_M_DISCONNECT, &tokens), S_OK);
    cr_expect_eq(rt_export_count(), 0, "the disconnect gave the token back");
    cr_expect_eq(local.refs, 1);
}

/* The start-up proxies are static: releasing one does nothing at all. */
Test(lib_proxy, releasing_a_static_proxy_does_nothing)
{
    com_handle_t h = handle_of_local();
    struct rt_proxy proxy;
    cr_assert(rt_proxy_init(&proxy, h, &IID_IConsole));
    rt_proxy_release(&proxy);
    cr_expect_eq(local.refs, 2);
    cr_expect_eq(loopback_calls(), 0);
}

Test(lib_proxy, releasing_a_local_object_only_calls_its_release)
{
    rt_release_interface(&local.itf);
    cr_expect_eq(local.refs, 0);
    cr_expect_eq(loopback_calls(), 0);
    rt_release_interface(NULL);
}

Test(lib_proxy, releasing_a_handle_is_iunknown_release_through_the_transport)
{
    com_handle_t h = handle_of_local();
    rt_release_handle(h);
    cr_expect_eq(loopback_calls(), 1);
    cr_expect_eq(local.refs, 1);
}
