// Small conversions between clang's cursors and idlc's sources.
#include "clangutil.h"

#include <stdlib.h>
#include <string.h>

char *cx_string(CXString s)
{
    const char *c = clang_getCString(s);
    char *r = xstrdup(c ? c : "");
    clang_disposeString(s);
    return r;
}

char *cursor_name(CXCursor c)
{
    return cx_string(clang_getCursorSpelling(c));
}

char *type_name(CXType t)
{
    return cx_string(clang_getTypeSpelling(t));
}

// A type's spelling without leading qualifiers: `const long` gives `long`.
char *unqualified_name(CXType t)
{
    char *s = type_name(t);
    size_t skip = 0;
    for (;;) {
        if (!strncmp(s + skip, "const ", 6))
            skip += 6;
        else if (!strncmp(s + skip, "volatile ", 9))
            skip += 9;
        else
            break;
    }
    memmove(s, s + skip, strlen(s + skip) + 1);
    return s;
}

// The source and offset where a declaration's text starts (its first token).
struct source *cursor_start(struct sources *all, CXCursor c, size_t *off)
{
    return loc_source(all, clang_getRangeStart(clang_getCursorExtent(c)), NULL, off);
}

// Where a declaration's name is: what its diagnostics point at.
struct pos cursor_pos(struct sources *all, CXCursor c)
{
    struct pos pos;
    loc_source(all, clang_getCursorLocation(c), &pos, NULL);
    return pos;
}

// Takes the attribute list written just before a declaration: the first
// token after its ']' lies between the declaration's start and its name
// (`typedef [public] struct ...` puts it after the first token).
struct attr_list *attrs_take(struct source *src, size_t start, size_t name_off)
{
    for (int i = 0; i < src->nlists; i++) {
        struct attr_list *l = &src->lists[i];
        if (!l->used && l->next_off >= start && l->next_off <= name_off) {
            l->used = true;
            return l;
        }
    }
    return NULL;
}
