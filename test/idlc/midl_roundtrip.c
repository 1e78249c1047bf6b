// The MIDL-style corpus (test/idlc/midl/) round-trips through the loopback:
// a memory stream read exactly as far as it has data, an enumerator
// handing out interface arrays, a class factory with an optional outer
// unknown, properties, local methods, coclasses and cpp_quote text.
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "loopback.h"
#include "midl_objidl.h"
#include "midl_shapes.h"

// One object implementing IStream, IEnumUnknown, IClassFactory and IShape
// behind four vtbls: enough to carry every call the tests make.
struct obj {
    IStream stream;
    IEnumUnknown enumerator;
    IClassFactory factory;
    IShape shape;
    int refs;
    unsigned char data[64];
    ULONG size, pos, next;
    LONG sides;
};

#define OBJ(p, member) ((struct obj *)((char *)(p)-offsetof(struct obj, member)))

static int live;

static struct obj *obj_new(void);

static SCODE qi(struct obj *o, REFIID riid, void **ppv)
{
    *ppv = NULL;
    if (com_iid_equal(riid, &IID_IStream) || com_iid_equal(riid, &IID_ISequentialStream) ||
        com_iid_equal(riid, &IID_IUnknown))
        *ppv = &o->stream;
    else if (com_iid_equal(riid, &IID_IEnumUnknown))
        *ppv = &o->enumerator;
    else if (com_iid_equal(riid, &IID_IClassFactory))
        *ppv = &o->factory;
    else if (com_iid_equal(riid, &IID_IShape))
        *ppv = &o->shape;
    else
        return E_NOINTERFACE;
    o->refs++;
    return S_OK;
}

static SCODE addref(struct obj *o)
{
    o->refs++;
    return S_OK;
}

static SCODE release(struct obj *o)
{
    if (--o->refs == 0) {
        free(o);
        live--;
    }
    return S_OK;
}

#define UNKNOWN(prefix, Itf, member)                                                               \
    static SCODE prefix##_qi(Itf *This, REFIID riid, void **ppv)                                   \
    {                                                                                              \
        return qi(OBJ(This, member), riid, ppv);                                                   \
    }                                                                                              \
    static SCODE prefix##_addref(Itf *This)                                                        \
    {                                                                                              \
        return addref(OBJ(This, member));                                                          \
    }                                                                                              \
    static SCODE prefix##_release(Itf *This)                                                       \
    {                                                                                              \
        return release(OBJ(This, member));                                                         \
    }

UNKNOWN(st, IStream, stream)
UNKNOWN(en, IEnumUnknown, enumerator)
UNKNOWN(cf, IClassFactory, factory)
UNKNOWN(sh, IShape, shape)

static HRESULT st_read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    struct obj *o = OBJ(This, stream);
    ULONG n = cb < o->size - o->pos ? cb : o->size - o->pos;
    memset(pv, 0, cb); // the whole buffer is written, only n bytes are data
    memcpy(pv, o->data + o->pos, n);
    o->pos += n;
    *pcbRead = n;
    return n == cb ? S_OK : S_FALSE;
}

static HRESULT st_write(IStream *This, const void *pv, ULONG cb, ULONG *pcbWritten)
{
    struct obj *o = OBJ(This, stream);
    ULONG n = cb < sizeof(o->data) - o->pos ? cb : (ULONG)sizeof(o->data) - o->pos;
    memcpy(o->data + o->pos, pv, n);
    o->pos += n;
    o->size = o->pos > o->size ? o->pos : o->size;
    *pcbWritten = n;
    return S_OK;
}

static HRESULT st_seek(IStream *This, int64_t move, DWORD origin, uint64_t *newpos)
{
    struct obj *o = OBJ(This, stream);
    int64_t base = origin == STREAM_SEEK_SET ? 0 : origin == STREAM_SEEK_CUR ? o->pos : o->size;
    if (base + move < 0 || base + move > (int64_t)o->size)
        return STG_E_SEEKERROR;
    o->pos = (ULONG)(base + move);
    *newpos = o->pos;
    return S_OK;
}

static HRESULT st_set_size(IStream *This, uint64_t size)
{
    (void)This;
    (void)size;
    return E_NOTIMPL;
}

static HRESULT st_copy_to(IStream *This, IStream *to, uint64_t cb, uint64_t *rd, uint64_t *wr)
{
    unsigned char buf[64];
    ULONG got, put;
    HRESULT hr = st_read(This, buf, cb < sizeof(buf) ? (ULONG)cb : (ULONG)sizeof(buf), &got);
    if (SUCCEEDED(hr))
        hr = IStream_Write(to, buf, got, &put);
    *rd = got;
    *wr = SUCCEEDED(hr) ? put : 0;
    return hr;
}

static HRESULT st_commit(IStream *This, DWORD flags)
{
    (void)This;
    (void)flags;
    return S_OK;
}

static HRESULT st_revert(IStream *This)
{
    (void)This;
    return S_OK;
}

static HRESULT st_stat(IStream *This, STATSTG *st, DWORD flag)
{
    (void)flag;
    memset(st, 0, sizeof(*st));
    strcpy(st->name, "memory");
    st->type = STGTY_STREAM;
    st->cbSize = OBJ(This, stream)->size;
    return S_OK;
}

static HRESULT st_clone(IStream *This, IStream **out)
{
    struct obj *c = obj_new();
    *c = *OBJ(This, stream);
    c->refs = 1;
    *out = &c->stream;
    return S_OK;
}

static const struct IStreamVtbl stream_vtbl = {
    st_qi,       st_addref,  st_release, st_read,   st_write, st_seek,
    st_set_size, st_copy_to, st_commit,  st_revert, st_stat,  st_clone,
};

// The enumerator hands out `size` new streams, then runs dry.
static HRESULT en_next(IEnumUnknown *This, ULONG celt, IUnknown **rg, ULONG *fetched)
{
    struct obj *o = OBJ(This, enumerator);
    ULONG n = 0;
    while (n < celt && o->next < o->size) {
        rg[n++] = (IUnknown *)&obj_new()->stream;
        o->next++;
    }
    *fetched = n;
    return n == celt ? S_OK : S_FALSE;
}

static HRESULT en_skip(IEnumUnknown *This, ULONG celt)
{
    OBJ(This, enumerator)->next += celt;
    return S_OK;
}

static HRESULT en_reset(IEnumUnknown *This)
{
    OBJ(This, enumerator)->next = 0;
    return S_OK;
}

static HRESULT en_clone(IEnumUnknown *This, IEnumUnknown **out)
{
    (void)This;
    *out = NULL;
    return E_NOTIMPL;
}

static const struct IEnumUnknownVtbl enum_vtbl = {en_qi,   en_addref, en_release, en_next,
                                                  en_skip, en_reset,  en_clone};

static HRESULT cf_create(IClassFactory *This, IUnknown *outer, REFIID riid, void **ppv)
{
    (void)This;
    *ppv = NULL;
    if (outer)
        return E_NOINTERFACE; // no aggregation (CLASS_E_NOAGGREGATION)
    struct obj *o = obj_new();
    HRESULT hr = qi(o, riid, ppv);
    release(o);
    return hr;
}

static HRESULT cf_lock(IClassFactory *This, BOOL lock)
{
    (void)This;
    (void)lock;
    return S_OK;
}

static const struct IClassFactoryVtbl factory_vtbl = {cf_qi, cf_addref, cf_release, cf_create,
                                                      cf_lock};

static HRESULT sh_get_sides(IShape *This, LONG *p)
{
    *p = OBJ(This, shape)->sides;
    return S_OK;
}

static HRESULT sh_put_sides(IShape *This, LONG v)
{
    if (v < 3)
        return E_INVALIDARG;
    OBJ(This, shape)->sides = v;
    return S_OK;
}

static HRESULT sh_get_bounds(IShape *This, SHAPE_RECT *r)
{
    *r = (SHAPE_RECT){0, 0, OBJ(This, shape)->sides, 2 * OBJ(This, shape)->sides};
    return S_OK;
}

static HRESULT sh_get_parent(IShape *This, IShape **pp)
{
    (void)This;
    *pp = NULL;
    return S_FALSE;
}

static HRESULT sh_putref_parent(IShape *This, IShape *p)
{
    (void)This;
    (void)p;
    return S_OK;
}

static HRESULT sh_move(IShape *This, SHAPE_COORD dx, SHAPE_COORD dy)
{
    OBJ(This, shape)->sides += dx + dy;
    return S_OK;
}

static ULONG sh_hash(IShape *This)
{
    return (ULONG)OBJ(This, shape)->sides * 31u;
}

static const struct IShapeVtbl shape_vtbl = {
    sh_qi,         sh_addref,     sh_release,       sh_get_sides, sh_put_sides,
    sh_get_bounds, sh_get_parent, sh_putref_parent, sh_move,      sh_hash,
};

static struct obj *obj_new(void)
{
    struct obj *o = calloc(1, sizeof(*o));
    o->stream.lpVtbl = &stream_vtbl;
    o->enumerator.lpVtbl = &enum_vtbl;
    o->factory.lpVtbl = &factory_vtbl;
    o->shape.lpVtbl = &shape_vtbl;
    o->refs = 1;
    o->sides = 4;
    live++;
    return o;
}

static struct obj *local;

// A proxy to the local object's interface iid.
static void *remote(const IID *iid)
{
    void *itf, *p;
    cr_assert_eq(qi(local, iid, &itf), S_OK);
    com_handle_t h;
    cr_assert_eq(com_marshal_interface(itf, iid, &h), S_OK);
    release(local);
    cr_assert_eq(com_unmarshal_interface(h, iid, &p), S_OK);
    return p;
}

static void setup(void)
{
    loopback_register(&IUnknown_Signature, IUnknown_Dispatch, &IUnknown_ProxyVtbl);
    loopback_register(&ISequentialStream_Signature, ISequentialStream_Dispatch,
                      &ISequentialStream_ProxyVtbl);
    loopback_register(&IStream_Signature, IStream_Dispatch, &IStream_ProxyVtbl);
    loopback_register(&IEnumUnknown_Signature, IEnumUnknown_Dispatch, &IEnumUnknown_ProxyVtbl);
    loopback_register(&IClassFactory_Signature, IClassFactory_Dispatch, &IClassFactory_ProxyVtbl);
    loopback_register(&IShape_Signature, IShape_Dispatch, &IShape_ProxyVtbl);
    live = 0;
    local = obj_new();
}

static void teardown(void)
{
    loopback_reset();
    release(local);
    cr_expect_eq(live, 0, "every object is released");
}

TestSuite(idlc_midl, .init = setup, .fini = teardown);

Test(idlc_midl, stream_read_returns_exactly_what_there_is)
{
    IStream *s = remote(&IID_IStream);
    ULONG n;
    cr_assert_eq(IStream_Write(s, "hello, world", 12, &n), S_OK);
    cr_assert_eq(n, 12);
    uint64_t pos;
    cr_assert_eq(IStream_Seek(s, 7, STREAM_SEEK_SET, &pos), S_OK);
    cr_assert_eq(pos, 7);
    char buf[16];
    memset(buf, '#', sizeof(buf));
    cr_assert_eq(IStream_Read(s, buf, sizeof(buf), &n), S_FALSE);
    cr_assert_eq(n, 5);
    cr_assert_eq(memcmp(buf, "world###########", 16), 0, "only *pcbRead bytes come back");
    cr_assert_eq(IStream_Seek(s, -1, STREAM_SEEK_SET, &pos), STG_E_SEEKERROR);
    STATSTG st;
    cr_assert_eq(IStream_Stat(s, &st, 0), S_OK);
    cr_assert_str_eq(st.name, "memory");
    cr_assert_eq(st.cbSize, 12);
    IStream *c;
    cr_assert_eq(IStream_Clone(s, &c), S_OK);
    cr_assert(loopback_is_proxy(c));
    uint64_t rd, wr;
    cr_assert_eq(IStream_Seek(c, 0, STREAM_SEEK_SET, &pos), S_OK);
    cr_assert_eq(IStream_CopyTo(c, s, 5, &rd, &wr), S_OK, "an interface in, through a proxy");
    cr_assert_eq(rd, 5);
    cr_assert_eq(wr, 5);
    com_release_interface(c);
    com_release_interface(s);
}

Test(idlc_midl, enumerator_next_fills_an_interface_array)
{
    local->size = 3;
    IEnumUnknown *e = remote(&IID_IEnumUnknown);
    IUnknown *rg[4];
    ULONG n;
    cr_assert_eq(IEnumUnknown_Next(e, 2, rg, &n), S_OK);
    cr_assert_eq(n, 2);
    com_release_interface(rg[0]);
    com_release_interface(rg[1]);
    cr_assert_eq(IEnumUnknown_Next(e, 4, rg, &n), S_FALSE);
    cr_assert_eq(n, 1);
    void *s;
    cr_assert_eq(IUnknown_QueryInterface(rg[0], &IID_IStream, &s), S_OK);
    com_release_interface(s);
    cr_assert_null(rg[1]);
    cr_assert_null(rg[3]);
    com_release_interface(rg[0]);
    com_release_interface(e);
}

Test(idlc_midl, class_factory_and_properties)
{
    IClassFactory *f = remote(&IID_IClassFactory);
    void *p;
    cr_assert_eq(IClassFactory_CreateInstance(f, NULL, &IID_IShape, &p), S_OK,
                 "a NULL [unique] outer unknown travels");
    IShape *shape = p;
    LONG sides;
    cr_assert_eq(IShape_put_Sides(shape, 6), S_OK);
    cr_assert_eq(IShape_get_Sides(shape, &sides), S_OK);
    cr_assert_eq(sides, 6);
    cr_assert_eq(IShape_put_Sides(shape, 2), E_INVALIDARG);
    SHAPE_RECT r;
    cr_assert_eq(IShape_get_Bounds(shape, &r), S_OK);
    cr_assert_eq(r.bottom, 12);
    IShape *parent = (IShape *)1;
    cr_assert_eq(IShape_get_Parent(shape, &parent), S_FALSE);
    cr_assert_null(parent);
    cr_assert_eq(IShape_putref_Parent(shape, NULL), S_OK);
    cr_assert_eq(IShape_Move(shape, 1, 1), S_OK);
    cr_assert_eq(IShape_get_Sides(shape, &sides), S_OK);
    cr_assert_eq(sides, 8);
    // A local method has no remote form: its proxy slot fails, and the
    // signature has no entry a transport could use.
    cr_assert_eq(IShape_Hash(shape), 0);
    cr_assert_null(IShape_Signature.methods[IShape_M_Hash]);
    cr_assert_eq(com_invoke(((struct com_proxy *)shape)->handle, &IID_IShape, IShape_M_Hash, &r),
                 RPC_E_BADMETHOD);
    com_release_interface(shape);
    com_release_interface(f);
}

Test(idlc_midl, coclass_library_and_quotes)
{
    cr_assert_eq(Shape_Coclass.clsid, &CLSID_Shape);
    cr_assert_eq(CLSID_Shape.Data1, 0xb61e2c70u);
    cr_assert_eq(LIBID_ShapeLib.Data4[7], 0x73);
    cr_assert_eq(Shape_Coclass.ninterfaces, 3);
    cr_assert_eq(Shape_Coclass.interfaces[0], &IID_IShape, "the [default] interface first");
    cr_assert_eq(Shape_Coclass.interfaces[1], &IID_IShapeRender);
    cr_assert_eq(Shape_Coclass.interfaces[2], &IID_IPersistStream);
    cr_assert_eq(SHAPE_API_VERSION, 2, "cpp_quote text is in the header");
    cr_assert_eq(STG_E_SEEKERROR, (SCODE)0x80030019);
    cr_assert_eq(sizeof(SHAPE_COORD), 4, "the #included C header's typedefs");
}
