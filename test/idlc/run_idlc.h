// Runs the idlc binary (IDLC_PATH) for tests and captures what it says.
#ifndef TEST_IDLC_RUN_H
#define TEST_IDLC_RUN_H

#include <stdbool.h>

struct idlc_result {
    int status; // exit status, or 128 + signal number
    char *err;  // everything written to stderr
    char *out;  // everything written to stdout
};

// Runs idlc with argv (NULL-terminated, without argv[0]) in directory dir.
struct idlc_result run_idlc(const char *dir, const char *const *argv);
void idlc_result_free(struct idlc_result *r);

// A fresh temporary directory (free() the result); and file helpers.
char *temp_dir(void);
void write_text(const char *dir, const char *name, const char *text);
char *read_text(const char *path);
void remove_tree(const char *dir);

#endif
