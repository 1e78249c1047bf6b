/* The user runtime's proxies (lib/proxy.c) on the host, with test/idlc's
 * loopback transport standing in for the kernel: a local console object
 * gets a handle from the loopback, the runtime makes its proxy from the
 * handle, and calls through idlc's generated IConsole proxy reach the
 * object. */
#include "../idlc/loopback.h"
#include <IConsole.h>
#include <IUnknown.h>
#include <criterion/criterion.h>
#include <lib/proxy.h>
#include <string.h>

struct local_console {
    IConsole itf;
    int refs;
    char text[64];
};

static struct local_console local;

static SCODE local_query(IConsole *This, REFIID riid, void **ppv)
{
    (void)This;
    (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
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
    rt_release_interface(p);
    cr_expect_eq(local.refs, 1, "Release reached the object");
    cr_expect_eq(loopback_allocs(), 0, "and the proxy was freed");
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

Test(lib_proxy, marshalling_a_proxy_gives_its_handle_a_local_object_is_not_yet)
{
    struct rt_proxy proxy;
    cr_assert(rt_proxy_init(&proxy, 42, &IID_IConsole));
    com_handle_t h = 1;
    cr_expect_eq(rt_marshal_interface(&proxy, &IID_IConsole, &h), S_OK);
    cr_expect_eq(h, 42);
    cr_expect_eq(rt_marshal_interface(&local.itf, &IID_IConsole, &h), E_NOTIMPL);
    cr_expect_eq(h, 0);
    cr_expect_eq(rt_marshal_interface(NULL, &IID_IConsole, &h), S_OK);
    cr_expect_eq(h, 0);
}

/* The start-up proxies are static: releasing one calls Release but must
 * not free it (ASan would report the free of a non-heap address). */
Test(lib_proxy, releasing_a_static_proxy_does_not_free_it)
{
    com_handle_t h = handle_of_local();
    struct rt_proxy proxy;
    cr_assert(rt_proxy_init(&proxy, h, &IID_IConsole));
    rt_release_interface(&proxy);
    cr_expect_eq(local.refs, 1);
    cr_expect_eq(loopback_allocs(), 0);
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
