/* kcall_translate: every pointer argument of a kernel call checked against
 * the caller's range and rebiased, on the generated signatures and on
 * hand-made ones for what no kernel interface has yet (DEREF counts,
 * strings, overflowing sizes). "User memory" is a buffer: user address u
 * is buf[u - USER_LO], so the bias is buf - USER_LO. */
#include <criterion/criterion.h>
#include <kernel/ipc/args.h>
#include <string.h>

#include "IAddressSpace.h"
#include "IConsole.h"

#define USER_LO  0x10000u
#define USER_LEN 0x4000u

static _Alignas(16) unsigned char buf[USER_LEN];
static struct user_view view;
static struct kcall_shadows sh;

static void setup(void)
{
    memset(buf, 0, sizeof buf);
    view = (struct user_view){USER_LO, USER_LO + USER_LEN, (uintptr_t)buf - USER_LO, 64};
}

TestSuite(ipc_args, .init = setup);

static uintptr_t kernel_of(uintptr_t user)
{
    return user + view.bias;
}

Test(ipc_args, an_out_pointer_in_range_is_rebiased)
{
    struct IAddressSpace_Query_args a = {.Addr = 0x1234, .pInfo = (ADDR_REGION_INFO *)0x10100};
    cr_assert_eq(kcall_translate(&IAddressSpace_Query_Sig, &a, &view, &sh), S_OK);
    cr_expect_eq((uintptr_t)a.pInfo, kernel_of(0x10100));
    cr_expect_eq(a.Addr, 0x1234, "values stay as they are");
}

Test(ipc_args, pointers_outside_the_range_or_null_or_unaligned_are_refused)
{
    uintptr_t bad[] = {0,          USER_LO - 4, USER_LO + USER_LEN, USER_LO + USER_LEN - 4,
                       0xfffffffc, USER_LO + 2};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct IAddressSpace_Query_args a = {.pInfo = (ADDR_REGION_INFO *)bad[i]};
        cr_expect_eq(kcall_translate(&IAddressSpace_Query_Sig, &a, &view, &sh), E_POINTER,
                     "pInfo %#lx", (unsigned long)bad[i]);
    }
    struct IAddressSpace_Query_args last = {
        .pInfo = (ADDR_REGION_INFO *)(USER_LO + USER_LEN - sizeof(ADDR_REGION_INFO))};
    cr_expect_eq(kcall_translate(&IAddressSpace_Query_Sig, &last, &view, &sh), S_OK,
                 "ending exactly at the range's end is fine");
}

Test(ipc_args, a_size_is_buffer_is_checked_whole)
{
    struct IConsole_Write_args a = {.Text = (const char *)(USER_LO + USER_LEN - 16), .Length = 16};
    cr_expect_eq(kcall_translate(&IConsole_Write_Sig, &a, &view, &sh), S_OK);
    struct IConsole_Write_args over = {.Text = (const char *)(USER_LO + USER_LEN - 16),
                                       .Length = 17};
    cr_expect_eq(kcall_translate(&IConsole_Write_Sig, &over, &view, &sh), E_POINTER,
                 "one byte past the range");
    struct IConsole_Write_args wrap = {.Text = (const char *)(USER_LO + 16), .Length = 0xffffffffu};
    cr_expect_neq(kcall_translate(&IConsole_Write_Sig, &wrap, &view, &sh), S_OK,
                  "a count that wraps the address space");
    struct IConsole_Write_args empty = {.Text = (const char *)USER_LO, .Length = 0};
    cr_expect_eq(kcall_translate(&IConsole_Write_Sig, &empty, &view, &sh), S_OK);
}

/* A method f([in] uint32_t n, [out, size_is(n)] uint32_t *p): n * 4 may
 * overflow 32 bits. */
static const struct com_expr_op count_n[] = {{COM_EXPR_PARAM, 0, 0}, {COM_EXPR_END, 0, 0}};
struct words_args {
    uint32_t n;
    uint32_t *p;
};
static const struct com_arg_sig words_arg_sigs[] = {
    {COM_ARG_VALUE, 0, COM_NO_PARAM, 0, offsetof(struct words_args, n), 4, NULL, NULL, NULL, NULL},
    {COM_ARG_OUT_PTR, 0, COM_NO_PARAM, 0, offsetof(struct words_args, p), 4, NULL, count_n, NULL,
     NULL},
};
static const struct com_method_sig words_sig = {"Words", 2, sizeof(struct words_args),
                                                words_arg_sigs};

Test(ipc_args, an_element_count_whose_byte_size_overflows_is_refused)
{
    struct words_args a = {0x40000001u, (uint32_t *)USER_LO}; /* 4 * n wraps to 4 in 32 bits */
    cr_expect_eq(kcall_translate(&words_sig, &a, &view, &sh), RPC_E_INVALID_BOUND);
    struct words_args ok = {USER_LEN / 4, (uint32_t *)USER_LO};
    cr_expect_eq(kcall_translate(&words_sig, &ok, &view, &sh), S_OK);
    struct words_args one_more = {USER_LEN / 4 + 1, (uint32_t *)USER_LO};
    cr_expect_neq(kcall_translate(&words_sig, &one_more, &view, &sh), S_OK);
}

/* g([in] uint32_t *pn, [in, size_is(*pn)] char *p): the count is read
 * once, into a shadow, so the caller cannot grow it after the check. */
static const struct com_expr_op deref_pn[] = {{COM_EXPR_DEREF, 0, 0}, {COM_EXPR_END, 0, 0}};
struct deref_args {
    uint32_t *pn;
    char *p;
};
static const struct com_arg_sig deref_arg_sigs[] = {
    {COM_ARG_INOUT_PTR, 0, COM_NO_PARAM, 0, offsetof(struct deref_args, pn), 4, NULL, NULL, NULL,
     NULL},
    {COM_ARG_IN_PTR, 0, COM_NO_PARAM, 0, offsetof(struct deref_args, p), 1, NULL, deref_pn, NULL,
     NULL},
};
static const struct com_method_sig deref_sig = {"Deref", 2, sizeof(struct deref_args),
                                                deref_arg_sigs};

Test(ipc_args, a_count_read_through_a_pointer_is_shadowed_and_written_back)
{
    uint32_t n = 100;
    memcpy(&buf[0x40], &n, 4);
    struct deref_args a = {(uint32_t *)(USER_LO + 0x40), (char *)(USER_LO + 0x100)};
    cr_assert_eq(kcall_translate(&deref_sig, &a, &view, &sh), S_OK);
    cr_expect_neq((uintptr_t)a.pn, kernel_of(USER_LO + 0x40), "points at a shadow, not at user");
    cr_expect_eq(*a.pn, 100);
    n = 0x7fffffff; /* the caller changes its count during the call */
    memcpy(&buf[0x40], &n, 4);
    cr_expect_eq(*a.pn, 100, "the callee sees the count that was checked");
    *a.pn = 7;
    kcall_write_back(&sh);
    memcpy(&n, &buf[0x40], 4);
    cr_expect_eq(n, 7, "an in-out count comes back");
    memcpy(&buf[0x40], &(uint32_t){USER_LEN}, 4);
    struct deref_args big = {(uint32_t *)(USER_LO + 0x40), (char *)(USER_LO + 0x100)};
    cr_expect_eq(kcall_translate(&deref_sig, &big, &view, &sh), E_POINTER,
                 "a count beyond the range");
}

static const struct com_arg_sig string_arg_sigs[] = {
    {COM_ARG_STRING, 0, COM_NO_PARAM, 0, 0, 1, NULL, NULL, NULL, NULL},
};
static const struct com_method_sig string_sig = {"Name", 1, sizeof(char *), string_arg_sigs};

Test(ipc_args, a_string_must_end_within_its_bound_and_the_range)
{
    strcpy((char *)&buf[0x200], "hello");
    const char *p = (const char *)(USER_LO + 0x200);
    cr_expect_eq(kcall_translate(&string_sig, &p, &view, &sh), S_OK);
    cr_expect_str_eq(p, "hello");
    memset(&buf[0x300], 'x', 100);
    p = (const char *)(USER_LO + 0x300);
    cr_expect_eq(kcall_translate(&string_sig, &p, &view, &sh), RPC_E_INVALID_BOUND,
                 "no terminator within max_string");
    memset(&buf[USER_LEN - 8], 'y', 8);
    p = (const char *)(USER_LO + USER_LEN - 8);
    cr_expect_eq(kcall_translate(&string_sig, &p, &view, &sh), E_POINTER,
                 "running off the end of the range");
}

Test(ipc_args, a_unique_pointer_may_be_null_and_a_plain_one_may_not)
{
    struct com_arg_sig uniq = words_arg_sigs[1];
    uniq.flags = COM_ARG_UNIQUE;
    struct com_arg_sig sigs[2] = {words_arg_sigs[0], uniq};
    struct com_method_sig m = {"U", 2, sizeof(struct words_args), sigs};
    struct words_args a = {4, NULL};
    cr_expect_eq(kcall_translate(&m, &a, &view, &sh), S_OK);
    cr_expect_null(a.p, "NULL stays NULL, not NULL + bias");
    cr_expect_eq(kcall_translate(&words_sig, &a, &view, &sh), E_POINTER);
}
