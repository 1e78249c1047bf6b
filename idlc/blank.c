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

#define MAX_LIBRARY_DEPTH 8

struct lexer {
    struct source *src;
    size_t i;
    bool ok;
    int depth;                        // of braces
    bool iface_pending;               // `interface NAME` seen, its '{' (or ';') not yet
    int iface_depth;                  // depth inside the interface body being lexed, or -1
    int lib_depth[MAX_LIBRARY_DEPTH]; // depth inside each open library body
    int nlib;
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

static bool lex_error(struct lexer *lx, size_t at, const char *msg)
{
    diag_error(source_pos(lx->src, at < lx->src->len ? at : lx->src->len), "%s", msg);
    lx->ok = false;
    return false;
}

// Reads an identifier at i (after blanks); returns its length (0: none).
static size_t read_ident(const struct source *src, size_t *i)
{
    *i = skip_space(src, *i);
    size_t start = *i;
    if (*i < src->len && is_ident_start(src->text[*i]))
        while (*i < src->len && is_ident(src->text[*i]))
            (*i)++;
    return *i - start;
}

// Expects character c at i (after blanks); moves past it.
static bool expect(const struct source *src, size_t *i, char c)
{
    *i = skip_space(src, *i);
    if (*i >= src->len || src->text[*i] != c)
        return false;
    (*i)++;
    return true;
}

// Reads "STRING" at i (after blanks) into a new string, with backslash-quote
// and double backslash unescaped; NULL if there is none.
static char *read_string(const struct source *src, size_t *i)
{
    *i = skip_space(src, *i);
    if (*i >= src->len || src->text[*i] != '"')
        return NULL;
    size_t end = skip_quoted(src, *i);
    if (src->text[end - 1] != '"' || end - *i < 2)
        return NULL;
    char *out = xmalloc(end - *i), *o = out;
    for (size_t k = *i + 1; k < end - 1; k++) {
        if (src->text[k] == '\\' && (src->text[k + 1] == '"' || src->text[k + 1] == '\\'))
            k++;
        *o++ = src->text[k];
    }
    *o = '\0';
    *i = end;
    return out;
}

// cpp_quote("text"): copied into the generated header where it stands.
static void lex_cpp_quote(struct lexer *lx, size_t start)
{
    struct source *src = lx->src;
    size_t i = lx->i;
    char *text = NULL;
    if (!expect(src, &i, '(') || !(text = read_string(src, &i)) || !expect(src, &i, ')')) {
        free(text);
        lex_error(lx, start, "malformed cpp_quote: expected cpp_quote(\"text\")");
        lx->i = i > lx->i ? i : lx->i;
        return;
    }
    blank(src, start, i);
    lx->i = i;
    if (lx->iface_depth >= 0) {
        *GROW(src->cpp_in_iface, src->ncpp_in_iface) = source_pos(src, start);
        free(text);
        return;
    }
    *GROW(src->quotes, src->nquotes) = (struct quote){text, start, source_pos(src, start)};
}

// importlib("x.tlb"); names a type library: there are none here, so it
// only has to be well formed.
static void lex_importlib(struct lexer *lx, size_t start)
{
    struct source *src = lx->src;
    size_t i = lx->i;
    char *name = NULL;
    if (!expect(src, &i, '(') || !(name = read_string(src, &i)) || !expect(src, &i, ')') ||
        !expect(src, &i, ';'))
        lex_error(lx, start, "malformed importlib: expected importlib(\"file\");");
    free(name);
    blank(src, start, i);
    lx->i = i > lx->i ? i : lx->i;
}

// library NAME { ... }: the braces are blanked, the body is ordinary IDL.
static void lex_library(struct lexer *lx, size_t start)
{
    struct source *src = lx->src;
    size_t i = lx->i, name_at = skip_space(src, i);
    size_t n = read_ident(src, &i);
    if (!n || !expect(src, &i, '{')) {
        lex_error(lx, start, "malformed library: expected library NAME { ... }");
        lx->i = i > lx->i ? i : lx->i;
        return;
    }
    if (lx->nlib == MAX_LIBRARY_DEPTH || lx->iface_depth >= 0) {
        lex_error(lx, start, "a library cannot be nested here");
        return;
    }
    struct library lib = {
        xstrndup(src->text + name_at, n), {0}, false, start, source_pos(src, name_at)};
    *GROW(src->libraries, src->nlibraries) = lib;
    blank(src, start, i);
    lx->i = i;
    lx->lib_depth[lx->nlib++] = ++lx->depth;
}

// One `[default] interface IFoo;` of a coclass body.
static bool lex_member(struct lexer *lx, struct coclass *cc, size_t *i)
{
    struct source *src = lx->src;
    struct coclass_member mb = {0};
    *i = skip_space(src, *i);
    if (*i < src->len && src->text[*i] == '[') {
        size_t close = find_close(src, *i);
        struct attr_list l = {0};
        if (!close || !attr_parse_list(&l, src->text + *i + 1, close - *i - 1, src, *i + 1))
            return lex_error(lx, *i, "malformed attribute list in coclass");
        for (int k = 0; k < l.nattrs; k++) {
            if (!strcmp(l.attrs[k].name, "default") && !l.attrs[k].arg)
                mb.is_default = true;
            else
                diag_error(l.attrs[k].pos, "attribute '%s' does not apply to a coclass member",
                           l.attrs[k].name);
            lx->ok = lx->ok && !strcmp(l.attrs[k].name, "default") && !l.attrs[k].arg;
        }
        attr_list_free(&l);
        *i = close + 1;
    }
    size_t kw = skip_space(src, *i), n = read_ident(src, i);
    if (n != 9 || memcmp(src->text + kw, "interface", 9))
        return lex_error(lx, kw, "a coclass lists only `interface NAME;` members");
    size_t name_at = skip_space(src, *i);
    n = read_ident(src, i);
    if (!n || !expect(src, i, ';'))
        return lex_error(lx, name_at, "expected `interface NAME;` in coclass");
    mb.name = xstrndup(src->text + name_at, n);
    mb.pos = source_pos(src, name_at);
    *GROW(cc->members, cc->nmembers) = mb;
    return true;
}

// coclass NAME { [default] interface IFoo; interface IBar; } [;]
static void lex_coclass(struct lexer *lx, size_t start)
{
    struct source *src = lx->src;
    size_t i = lx->i, name_at = skip_space(src, i);
    size_t n = read_ident(src, &i);
    if (!n || !expect(src, &i, '{')) {
        lex_error(lx, start, "malformed coclass: expected coclass NAME { interface IFoo; ... }");
        lx->i = i > lx->i ? i : lx->i;
        return;
    }
    struct coclass cc = {xstrndup(src->text + name_at, n), {0}, false, NULL, 0, start,
                         source_pos(src, name_at)};
    bool ok = true;
    while (ok && (i = skip_space(src, i)) < src->len && src->text[i] != '}')
        ok = lex_member(lx, &cc, &i);
    if (ok && i >= src->len)
        ok = lex_error(lx, start, "coclass without its closing '}'");
    if (ok) {
        i++;
        size_t semi = skip_space(src, i);
        if (semi < src->len && src->text[semi] == ';')
            i = semi + 1;
    }
    *GROW(src->coclasses, src->ncoclasses) = cc;
    blank(src, start, i);
    lx->i = i > lx->i ? i : src->len;
}

// Reads one identifier; handles the MIDL statements clang must not see and
// remembers `typedef` and `interface`.
static enum prev lex_ident(struct lexer *lx, enum prev prev)
{
    static const struct {
        const char *word;
        void (*fn)(struct lexer *, size_t);
    } statements[] = {
        {"import", lex_import},   {"cpp_quote", lex_cpp_quote}, {"importlib", lex_importlib},
        {"library", lex_library}, {"coclass", lex_coclass},
    };
    struct source *src = lx->src;
    size_t start = lx->i;
    while (lx->i < src->len && is_ident(src->text[lx->i]))
        lx->i++;
    size_t n = lx->i - start;
    for (size_t k = 0; prev == PREV_START && k < sizeof(statements) / sizeof(statements[0]); k++) {
        if (n == strlen(statements[k].word) && !memcmp(src->text + start, statements[k].word, n)) {
            statements[k].fn(lx, start);
            return PREV_START;
        }
    }
    if (prev == PREV_START && ((n == 13 && !memcmp(src->text + start, "dispinterface", 13)) ||
                               (n == 6 && !memcmp(src->text + start, "module", 6)))) {
        lex_error(lx, start,
                  n == 6 ? "module is not supported: declare functions as methods of an interface"
                         : "dispinterface is not supported: declare an [object] interface with "
                           "[propget]/[propput] methods");
        lx->i = src->len;
        return PREV_OTHER;
    }
    if (n == 9 && !memcmp(src->text + start, "interface", 9) && prev == PREV_START)
        lx->iface_pending = true;
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

// `#include "x.h"` of the main file: the header includes it where it stands.
static void note_include(struct lexer *lx, size_t start)
{
    struct source *src = lx->src;
    size_t i = start + 1, n = read_ident(src, &i);
    if (n != 7 || memcmp(src->text + i - 7, "include", 7))
        return;
    i = skip_space(src, i);
    size_t end =
        i < src->len && (src->text[i] == '"' || src->text[i] == '<') ? skip_quoted(src, i) : i;
    if (src->text[i] == '<') {
        end = i;
        while (end < src->len && src->text[end] != '>' && src->text[end] != '\n')
            end++;
        end += end < src->len && src->text[end] == '>';
    }
    if (end > i + 2)
        *GROW(src->quotes, src->nquotes) =
            (struct quote){xasprintf("#include %.*s", (int)(end - i), src->text + i), start,
                           source_pos(src, start)};
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

// A MIDL interface may end with '}' alone: clang gets the ';' C++ needs.
static void close_brace(struct lexer *lx)
{
    struct source *src = lx->src;
    if (lx->nlib && lx->lib_depth[lx->nlib - 1] == lx->depth) {
        size_t semi = skip_space(src, lx->i + 1);
        blank(src, lx->i, semi < src->len && src->text[semi] == ';' ? semi + 1 : lx->i + 1);
        lx->nlib--;
    } else if (lx->iface_depth >= 0 && lx->depth == lx->iface_depth) {
        size_t next = skip_space(src, lx->i + 1);
        if (next >= src->len || src->text[next] != ';')
            *GROW(src->ins, src->nins) = lx->i + 1;
        lx->iface_depth = -1;
    }
    lx->depth--;
}

static void lex_punct(struct lexer *lx, char c)
{
    if (c == '{') {
        lx->depth++;
        if (lx->iface_pending && lx->iface_depth < 0)
            lx->iface_depth = lx->depth;
        lx->iface_pending = false;
    } else if (c == '}') {
        close_brace(lx);
    } else if (c == ';') {
        lx->iface_pending = false;
    }
}

// The text clang parses: blanked, with a ';' inserted at each of ins.
static void make_clang_text(struct source *src)
{
    src->clang_len = src->len + (size_t)src->nins;
    src->clang_text = xmalloc(src->clang_len + 1);
    size_t o = 0, from = 0;
    for (int k = 0; k < src->nins; k++) {
        memcpy(src->clang_text + o, src->blanked + from, src->ins[k] - from);
        o += src->ins[k] - from;
        src->clang_text[o++] = ';';
        from = src->ins[k];
    }
    memcpy(src->clang_text + o, src->blanked + from, src->len - from);
    src->clang_text[src->clang_len] = '\0';
}

// Maps an offset in clang_text back to the user's file; an inserted ';'
// maps to the character after the '}' it follows.
size_t source_orig_off(const struct source *src, size_t clang_off)
{
    for (int k = 0; k < src->nins; k++) {
        if (clang_off < src->ins[k] + (size_t)k)
            return clang_off - (size_t)k;
        if (clang_off == src->ins[k] + (size_t)k)
            return src->ins[k];
    }
    return clang_off - (size_t)src->nins;
}

static bool lex(struct source *src)
{
    struct lexer lx = {src, 0, true, 0, false, -1, {0}, 0};
    enum prev prev = PREV_START;
    while ((lx.i = skip_space(src, lx.i)) < src->len) {
        char c = src->text[lx.i];
        if (c == '#' && at_line_start(src, lx.i)) {
            note_include(&lx, lx.i);
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
            lex_punct(&lx, c);
            prev = strchr(";{}(,", c) ? PREV_START : PREV_OTHER;
            lx.i++;
        }
    }
    make_clang_text(src);
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
    for (int i = 0; i < src->nquotes; i++)
        free(src->quotes[i].text);
    for (int i = 0; i < src->ncoclasses; i++) {
        for (int k = 0; k < src->coclasses[i].nmembers; k++)
            free(src->coclasses[i].members[k].name);
        free(src->coclasses[i].members);
        free(src->coclasses[i].name);
    }
    for (int i = 0; i < src->nlibraries; i++)
        free(src->libraries[i].name);
    free(src->quotes);
    free(src->coclasses);
    free(src->libraries);
    free(src->cpp_in_iface);
    free(src->ins);
    free(src->clang_text);
    free(src->lists);
    free(src->imports);
    free(src->path);
    free(src->real);
    free(src->text);
    free(src->blanked);
    memset(src, 0, sizeof(*src));
}
