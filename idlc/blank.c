// Turns an IDL file into something clang can parse as C++ without moving a
// single character: MIDL-only syntax (attribute lists in brackets, import
// statements) is overwritten with spaces, and what was there is kept in a
// side table keyed by offset. Newlines are kept, so every line and column
// clang reports is the user's.
#include "idlc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

// What precedes a '[': an attribute list may only start a declaration or a
// parameter, while an array bound follows a declarator.
enum prev {
    PREV_START, // start of file, or after ; { } ( ,
    PREV_TYPEDEF,
    PREV_OTHER,
};

struct lexer {
    struct source *src;
    size_t i;
    bool ok;
};

struct pos source_pos(const struct source *src, size_t off)
{
    struct pos p = {src->path, 1, 1};
    for (size_t i = 0; i < off && i < src->len; i++) {
        if (src->text[i] == '\n') {
            p.line++;
            p.col = 1;
        } else {
            p.col++;
        }
    }
    return p;
}

static bool is_ident_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool is_ident(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

// Skips whitespace and comments from i; returns the offset of the next token.
static size_t skip_space(const struct source *src, size_t i)
{
    const char *t = src->text;
    while (i < src->len) {
        if (isspace((unsigned char)t[i])) {
            i++;
        } else if (t[i] == '/' && t[i + 1] == '/') {
            while (i < src->len && t[i] != '\n')
                i++;
        } else if (t[i] == '/' && t[i + 1] == '*') {
            const char *end = strstr(t + i + 2, "*/");
            i = end ? (size_t)(end - t) + 2 : src->len;
        } else {
            break;
        }
    }
    return i;
}

// Skips a quoted literal starting at i (t[i] is the quote); returns the offset
// just past the closing quote, or the end of the line if it is unterminated.
static size_t skip_quoted(const struct source *src, size_t i)
{
    const char *t = src->text;
    char q = t[i++];
    while (i < src->len && t[i] != q && t[i] != '\n') {
        if (t[i] == '\\' && i + 1 < src->len)
            i++;
        i++;
    }
    return i < src->len && t[i] == q ? i + 1 : i;
}

static void blank(struct source *src, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < src->len; i++)
        if (src->blanked[i] != '\n' && src->blanked[i] != '\r')
            src->blanked[i] = ' ';
}

// Finds the ']' closing the list opened at i; returns 0 if there is none.
static size_t find_close(const struct source *src, size_t i)
{
    int depth = 0;
    const char *t = src->text;
    while (i < src->len) {
        if (t[i] == '"' || t[i] == '\'') {
            i = skip_quoted(src, i);
            continue;
        }
        if (t[i] == '[' || t[i] == '(')
            depth++;
        else if (t[i] == ']' || t[i] == ')')
            depth--;
        if (depth == 0)
            return t[i] == ']' ? i : 0;
        if (t[i] == ';' || t[i] == '{' || t[i] == '}')
            return 0;
        i++;
    }
    return 0;
}

static void lex_attr_list(struct lexer *lx)
{
    struct source *src = lx->src;
    size_t open = lx->i, close = find_close(src, open);
    if (!close) {
        diag_error(source_pos(src, open), "unterminated attribute list");
        lx->ok = false;
        lx->i = src->len; // the rest would only repeat the error
        return;
    }
    struct attr_list list = {0};
    if (attr_parse_list(&list, src->text + open + 1, close - open - 1, src, open + 1)) {
        list.pos = source_pos(src, open);
        list.next_off = skip_space(src, close + 1);
        *GROW(src->lists, src->nlists) = list;
    } else {
        lx->ok = false;
    }
    blank(src, open, close + 1);
    lx->i = close + 1;
}

// import "a.idl", "b.idl";
static void lex_import(struct lexer *lx, size_t start)
{
    struct source *src = lx->src;
    const char *t = src->text;
    size_t i = lx->i;
    for (;;) {
        i = skip_space(src, i);
        if (i >= src->len || t[i] != '"')
            break;
        size_t end = skip_quoted(src, i);
        if (end - i < 3 || t[end - 1] != '"' || memchr(t + i + 1, '\\', end - i - 2))
            break;
        struct import *im = GROW(src->imports, src->nimports);
        im->name = xstrndup(t + i + 1, end - i - 2);
        im->pos = source_pos(src, i);
        i = skip_space(src, end);
        if (i < src->len && t[i] == ';') {
            blank(src, start, i + 1);
            lx->i = i + 1;
            return;
        }
        if (i >= src->len || t[i] != ',')
            break;
        i++;
    }
    diag_error(source_pos(src, i < src->len ? i : start),
               "malformed import: expected \"file.idl\";");
    lx->ok = false;
    blank(src, start, i);
    lx->i = i > start ? i : start + 1;
}

// Reads one identifier; handles `import` and remembers `typedef`.
static enum prev lex_ident(struct lexer *lx, enum prev prev)
{
    struct source *src = lx->src;
    size_t start = lx->i;
    while (lx->i < src->len && is_ident(src->text[lx->i]))
        lx->i++;
    size_t n = lx->i - start;
    if (n == 6 && !memcmp(src->text + start, "import", 6) && prev == PREV_START) {
        lex_import(lx, start);
        return PREV_START;
    }
    if (n == 7 && !memcmp(src->text + start, "typedef", 7))
        return PREV_TYPEDEF;
    return PREV_OTHER;
}

static void skip_directive(struct lexer *lx)
{
    const char *t = lx->src->text;
    while (lx->i < lx->src->len && t[lx->i] != '\n') {
        if (t[lx->i] == '\\' && t[lx->i + 1] == '\n')
            lx->i++;
        lx->i++;
    }
}

// True if only blanks precede offset i on its line (a preprocessor directive).
static bool at_line_start(const struct source *src, size_t i)
{
    while (i > 0 && src->text[i - 1] != '\n') {
        if (!isspace((unsigned char)src->text[i - 1]))
            return false;
        i--;
    }
    return true;
}

static bool lex(struct source *src)
{
    struct lexer lx = {src, 0, true};
    enum prev prev = PREV_START;
    while ((lx.i = skip_space(src, lx.i)) < src->len) {
        char c = src->text[lx.i];
        if (c == '#' && at_line_start(src, lx.i)) {
            skip_directive(&lx);
        } else if (c == '"' || c == '\'') {
            lx.i = skip_quoted(src, lx.i);
            prev = PREV_OTHER;
        } else if (is_ident_start(c)) {
            prev = lex_ident(&lx, prev);
        } else if (c == '[' && prev != PREV_OTHER) {
            lex_attr_list(&lx);
            prev = PREV_START;
        } else {
            prev = strchr(";{}(,", c) ? PREV_START : PREV_OTHER;
            lx.i++;
        }
    }
    return lx.ok;
}

// Loads and blanks a source file. `from` is where it was imported, for the
// error message when it cannot be read (NULL for the main file).
bool source_load(struct source *src, const char *path, const struct pos *from)
{
    memset(src, 0, sizeof(*src));
    src->path = xstrdup(path);
    src->text = read_file(path, &src->len);
    if (!src->text) {
        struct pos p = from ? *from : (struct pos){path, 0, 0};
        if (from)
            diag_error(p, "cannot read imported file '%s'", path);
        else
            fprintf(stderr, "idlc: cannot read '%s'\n", path);
        return false;
    }
    if (strlen(src->text) != src->len) {
        diag_error(source_pos(src, strlen(src->text)), "file contains a NUL byte");
        return false;
    }
    src->blanked = xstrdup(src->text);
    return lex(src);
}

void source_free(struct source *src)
{
    for (int i = 0; i < src->nlists; i++)
        attr_list_free(&src->lists[i]);
    for (int i = 0; i < src->nimports; i++)
        free(src->imports[i].name);
    free(src->lists);
    free(src->imports);
    free(src->path);
    free(src->real);
    free(src->text);
    free(src->blanked);
    memset(src, 0, sizeof(*src));
}
