/* 64-bit division for 32-bit targets: clang lowers uint64_t / and % to
 * calls of these libgcc-named helpers. Shift-and-subtract, one bit per
 * step; the kernel divides 64-bit values only when formatting numbers. */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem);
uint64_t __udivdi3(uint64_t num, uint64_t den);
uint64_t __umoddi3(uint64_t num, uint64_t den);
int64_t __divdi3(int64_t num, int64_t den);
int64_t __moddi3(int64_t num, int64_t den);

uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem)
{
    uint64_t quot = 0, r = 0;
    if (den == 0) /* like the hardware divide: trap rather than invent a value */
        __builtin_trap();
    for (int bit = 63; bit >= 0; bit--) {
        r = (r << 1) | ((num >> bit) & 1);
        if (r >= den) {
            r -= den;
            quot |= (uint64_t)1 << bit;
        }
    }
    if (rem)
        *rem = r;
    return quot;
}

uint64_t __udivdi3(uint64_t num, uint64_t den)
{
    return __udivmoddi4(num, den, 0);
}

uint64_t __umoddi3(uint64_t num, uint64_t den)
{
    uint64_t r;
    __udivmoddi4(num, den, &r);
    return r;
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

int64_t __divdi3(int64_t num, int64_t den)
{
    uint64_t q = __udivmoddi4(magnitude(num), magnitude(den), 0);
    return (num < 0) != (den < 0) ? -(int64_t)q : (int64_t)q;
}

int64_t __moddi3(int64_t num, int64_t den)
{
    uint64_t r;
    __udivmoddi4(magnitude(num), magnitude(den), &r);
    return num < 0 ? -(int64_t)r : (int64_t)r;
}
