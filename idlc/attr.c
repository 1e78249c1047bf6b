// Parses the text of one bracketed attribute list, e.g.
// `in, size_is(count), iid_is(riid)`, and uuid strings.
#include "idlc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct cursor {
    const char *t;
    size_t i, len;
};

static void skip_ws(struct cursor *c)
{
    while (c->i < c->len && isspace((unsigned char)c->t[c->i]))
        c->i++;
}

// Reads a parenthesised argument starting at '('; returns its trimmed text or
// NULL if the parentheses do not balance.
static char *read_arg(struct cursor *c)
{
    size_t start = ++c->i;
    int depth = 1;
    while (c->i < c->len) {
        char ch = c->t[c->i];
        if (ch == '"') {
            c->i++;
            while (c->i < c->len && c->t[c->i] != '"')
                c->i += c->t[c->i] == '\\' ? 2 : 1;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')' && --depth == 0) {
            break;
        }
        c->i++;
    }
    if (c->i >= c->len)
        return NULL;
    size_t end = c->i++;
    while (start < end && isspace((unsigned char)c->t[start]))
        start++;
    while (end > start && isspace((unsigned char)c->t[end - 1]))
        end--;
    return xstrndup(c->t + start, end - start);
}

// Parses one `name` or `name(arg)`; off is the offset of text in the source.
static bool parse_one(struct attr_list *list, struct cursor *c, const struct source *src,
                      size_t off)
{
    skip_ws(c);
    size_t start = c->i;
    while (c->i < c->len && (isalnum((unsigned char)c->t[c->i]) || c->t[c->i] == '_'))
        c->i++;
    struct pos pos = source_pos(src, off + start);
    if (c->i == start || isdigit((unsigned char)c->t[start])) {
        diag_error(pos, "expected an attribute name");
        return false;
    }
    struct attr a = {xstrndup(c->t + start, c->i - start), NULL, pos, false};
    skip_ws(c);
    if (c->i < c->len && c->t[c->i] == '(') {
        a.arg = read_arg(c);
        if (!a.arg) {
            diag_error(pos, "unbalanced parentheses in attribute '%s'", a.name);
            free(a.name);
            return false;
        }
        skip_ws(c);
    }
    *GROW(list->attrs, list->nattrs) = a;
    if (c->i < c->len && c->t[c->i] != ',') {
        diag_error(source_pos(src, off + c->i), "expected ',' or ']' in attribute list");
        return false;
    }
    return true;
}

bool attr_parse_list(struct attr_list *list, const char *text, size_t len, const struct source *src,
                     size_t off)
{
    struct cursor c = {text, 0, len};
    do {
        if (c.i < c.len && c.t[c.i] == ',')
            c.i++;
        if (!parse_one(list, &c, src, off)) {
            attr_list_free(list);
            return false;
        }
    } while (c.i < c.len);
    return true;
}

void attr_list_free(struct attr_list *list)
{
    for (int i = 0; i < list->nattrs; i++) {
        free(list->attrs[i].name);
        free(list->attrs[i].arg);
    }
    free(list->attrs);
    list->attrs = NULL;
    list->nattrs = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Parses 8-4-4-4-12 hex digits, optionally in double quotes, into the byte
// order of the GUID fields (Data1..Data3 as numbers, Data4 as bytes).
bool uuid_parse(const char *s, unsigned char out[16])
{
    static const int groups[] = {8, 4, 4, 4, 12};
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s++;
        n -= 2;
    }
    if (n != 36)
        return false;
    int k = 0;
    for (int g = 0; g < 5; g++) {
        for (int d = 0; d < groups[g]; d += 2) {
            int hi = hexval(*s++), lo = hexval(*s++);
            if (hi < 0 || lo < 0)
                return false;
            out[k++] = (unsigned char)(hi << 4 | lo);
        }
        if (g < 4 && *s++ != '-')
            return false;
    }
    return true;
}
