/* A `ninja run` session as a person has one, for the host tests of the
 * console and the shell: tools/qemu --interactive (the QEMU monitor
 * multiplexed on the console), typing after a pause. */
#ifndef TEST_TOOLS_SESSION_H
#define TEST_TOOLS_SESSION_H

#define SESSION_IDLE_SECONDS 2 /* before typing: the prompt is up by then */

struct session {
    int status;      /* QEMU's exit status */
    char out[32768]; /* what the console printed, without its \r */
};

/* Boot ARCH's kernel.elf with `cmdline` (e.g. "init=shell", or "") and
 * the environment `env`, wait, type `input` (a printf format: \\n ends a
 * line). Fails the test when no status came back. */
void interactive_session(const char *arch, const char *env, const char *cmdline, const char *input,
                         struct session *s);

#endif
