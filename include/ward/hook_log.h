/* Where `ward hook` leaves its reasons. A runtime (crun under podman) keeps only "error
 * executing hook" of a hook's stderr, so each line must also reach a place an operator
 * reads, in this order:
 *   1. the file --log-file names (the shipped hooks.d entry names one), alone;
 *   2. syslog, when /dev/log accepts a connection;
 *   3. the journal's native socket /run/systemd/journal/socket (no syslog daemon, or a
 *      container where only the journal's socket is bound);
 *   4. none of them: stderr alone, ending with one line saying so and how to get a file.
 * Every line goes to stderr too (warnings and errors), as the runtime may show it. */
#pragma once

#include <stdbool.h>

#include "ward/error.h"

enum hook_log_sink {
        HOOK_LOG_NONE, /* stderr only: the last resort */
        HOOK_LOG_FILE,
        HOOK_LOG_SYSLOG,
        HOOK_LOG_JOURNAL,
};

struct hook_log {
        enum hook_log_sink sink;
        int fd;           /* the file, or the journal's connected socket; -1 otherwise */
        bool said;        /* a line was logged: the last resort's notice is due */
        const char *path; /* the --log-file, for messages */
};

/* The syslog and journal sockets, for the tests that bind stand-ins there. */
#define HOOK_LOG_SYSLOG_SOCKET "/dev/log"
#define HOOK_LOG_JOURNAL_SOCKET "/run/systemd/journal/socket"

/* Open PATH (absolute) for appending, created 0600, never through a symlink: every
 * directory on the way and the file's own must be root's or the caller's and writable by
 * nobody else, the file a regular file writable by its owner alone. -errno with e filled,
 * and l left on the first sink that works, so that the refusal is still logged. */
int hook_log_open_file(struct hook_log *l, const char *path, struct ward_error *e);
/* Pick the first of syslog, the journal and stderr alone that accepts a connection. */
void hook_log_open_default(struct hook_log *l);
/* One line (no newline; the caller made it one line) at a syslog priority. */
void hook_log_line(struct hook_log *l, int priority, const char *line);
/* Close the sink; with none, say once on stderr where the reasons did not go. */
void hook_log_close(struct hook_log *l);
const char *hook_log_sink_name(enum hook_log_sink sink);
