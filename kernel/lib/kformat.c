/* The formatter behind kprintf and ksnprintf (see <kernel/kprintf.h>).
 * Machine-independent and free of I/O, so host tests can check it against
 * the C library's printf. */
#include <kernel/kprintf.h>
#include <stdbool.h>
#include <stdint.h>

struct spec {
    bool left;     /* '-' flag */
    bool zero;     /* '0' flag */
    bool alt;      /* '#' flag: 0x prefix for %x, 0 for %o */
    int width;     /* minimum field width */
    int precision; /* -1 if none */
    int length;    /* 'H' hh, 'h', 0, 'l', 'L' ll, 'z', 't' */
};

struct out {
    kfmt_sink put;
    void *arg;
    int count;
};

static void emit(struct out *o, char c)
{
    o->put(c, o->arg);
    o->count++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        emit(o, c);
}

/* Emit body (len chars) with an optional sign/prefix, padded to width. */
static void emit_field(struct out *o, const struct spec *s, const char *prefix, const char *body,
                       int len)
{
    int plen = 0;
    while (prefix[plen])
        plen++;
    int fill = s->width - plen - len;
    if (!s->left && !s->zero)
        pad(o, ' ', fill);
    for (int i = 0; i < plen; i++)
        emit(o, prefix[i]);
    if (!s->left && s->zero)
        pad(o, '0', fill);
    for (int i = 0; i < len; i++)
        emit(o, body[i]);
    if (s->left)
        pad(o, ' ', fill);
}

static void emit_number(struct out *o, const struct spec *s, unsigned long long v, unsigned base,
                        bool upper, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    char body[24];
    for (int i = 0; i < n; i++)
        body[i] = tmp[n - 1 - i];
    emit_field(o, s, prefix, body, n);
}

static long long signed_arg(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case 'H':
        return (signed char)va_arg(*ap, int);
    case 'h':
        return (short)va_arg(*ap, int);
    case 'l':
        return va_arg(*ap, long);
    case 'L':
        return va_arg(*ap, long long);
    case 'z':
    case 't':
        return va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

static unsigned long long unsigned_arg(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case 'H':
        return (unsigned char)va_arg(*ap, unsigned);
    case 'h':
        return (unsigned short)va_arg(*ap, unsigned);
    case 'l':
        return va_arg(*ap, unsigned long);
    case 'L':
        return va_arg(*ap, unsigned long long);
    case 'z':
    case 't':
        return va_arg(*ap, size_t);
    default:
        return va_arg(*ap, unsigned);
    }
}

/* Parse flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
    *s = (struct spec){.precision = -1};
    for (;; f++) {
        if (*f == '-')
            s->left = true;
        else if (*f == '0')
            s->zero = true;
        else if (*f == '#')
            s->alt = true;
        else
            break;
    }
    if (*f == '*') {
        s->width = va_arg(*ap, int);
        if (s->width < 0) {
            s->left = true;
            s->width = -s->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9')
        s->width = s->width * 10 + (*f++ - '0');
    if (*f == '.') {
        s->precision = 0;
        for (f++; *f >= '0' && *f <= '9'; f++)
            s->precision = s->precision * 10 + (*f - '0');
    }
    if (f[0] == 'h' && f[1] == 'h') {
        s->length = 'H';
        f += 2;
    } else if (f[0] == 'l' && f[1] == 'l') {
        s->length = 'L';
        f += 2;
    } else if (*f == 'h' || *f == 'l' || *f == 'z' || *f == 't') {
        s->length = *f++;
    }
    if (s->left)
        s->zero = false;
    return f;
}

static void emit_conversion(struct out *o, struct spec *s, char conv, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        long long v = signed_arg(s, ap);
        unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        emit_number(o, s, mag, 10, false, v < 0 ? "-" : "");
        break;
    }
    case 'u':
        emit_number(o, s, unsigned_arg(s, ap), 10, false, "");
        break;
    case 'x':
    case 'X': {
        unsigned long long v = unsigned_arg(s, ap);
        const char *prefix = s->alt && v ? (conv == 'X' ? "0X" : "0x") : "";
        emit_number(o, s, v, 16, conv == 'X', prefix);
        break;
    }
    case 'o': {
        unsigned long long v = unsigned_arg(s, ap);
        emit_number(o, s, v, 8, false, s->alt && v ? "0" : "");
        break;
    }
    case 'p':
        s->length = 'l';
        emit_number(o, s, (uintptr_t)va_arg(*ap, void *), 16, false, "0x");
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        s->zero = false;
        emit_field(o, s, "", &c, 1);
        break;
    }
    case 's': {
        const char *str = va_arg(*ap, const char *);
        if (!str)
            str = "(null)";
        int len = 0;
        while (str[len] && (s->precision < 0 || len < s->precision))
            len++;
        s->zero = false;
        emit_field(o, s, "", str, len);
        break;
    }
    case '%':
        emit(o, '%');
        break;
    default: /* unknown: print it as written so the mistake is visible */
        emit(o, '%');
        if (conv)
            emit(o, conv);
        break;
    }
}

int kformat(kfmt_sink put, void *arg, const char *fmt, va_list ap)
{
    struct out o = {put, arg, 0};
    va_list args;
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            emit(&o, *fmt++);
            continue;
        }
        struct spec s;
        fmt = parse_spec(fmt + 1, &s, &args);
        emit_conversion(&o, &s, *fmt, &args);
        if (*fmt)
            fmt++;
    }
    va_end(args);
    return o.count;
}

struct buf {
    char *p;
    size_t size;
    size_t len;
};

static void buf_put(char c, void *arg)
{
    struct buf *b = arg;
    if (b->len + 1 < b->size)
        b->p[b->len] = c;
    b->len++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf b = {buf, size, 0};
    int n = kformat(buf_put, &b, fmt, ap);
    if (size)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
