/* Command-line lookup (see <kernel/lib/cmdline.h>). */
#include <kernel/lib/cmdline.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* Does the word at w start with key followed by '=' or the word's end? */
static const char *match_key(const char *w, const char *key)
{
    while (*key && *w == *key) {
        w++;
        key++;
    }
    if (*key)
        return 0;
    if (*w == '=')
        return w + 1;
    return (*w == '\0' || is_space(*w)) ? w : 0;
}

bool cmdline_get(const char *cmdline, const char *key, char *out, size_t size)
{
    const char *p = cmdline;
    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        const char *v = match_key(p, key);
        if (v) {
            size_t n = 0;
            while (v[n] && !is_space(v[n]) && n + 1 < size) {
                out[n] = v[n];
                n++;
            }
            if (size)
                out[n] = '\0';
            return true;
        }
        while (*p && !is_space(*p))
            p++;
    }
    return false;
}

int cmdline_get_uint(const char *cmdline, const char *key, unsigned long *value)
{
    char text[24];
    if (!cmdline_get(cmdline, key, text, sizeof text))
        return 0;
    unsigned long v = 0;
    const char *p = text;
    if (!*p)
        return -1;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > (~0ul - 9) / 10)
            return -1;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    *value = v;
    return 1;
}
