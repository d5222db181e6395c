/* The monitor <-> setup channel: a SOCK_SEQPACKET pair, close-on-exec on both ends, so the
 * monitor sees the setup's end close exactly when the init has been executed. */
#pragma once

#include "ward/error.h"

enum ward_sync_type {
        WARD_SYNC_GO = 'G',     /* monitor -> setup: id maps written, carry on */
        WARD_SYNC_ERROR = 'E',  /* setup -> monitor: a step failed; a ward_error follows */
        WARD_SYNC_TTY = 'T',    /* setup -> monitor: the pty master, as SCM_RIGHTS */
        WARD_SYNC_NOTIFY = 'N', /* setup -> monitor: the notify relay's socket (systemd.h) */
};

struct ward_sync_msg {
        char type;
        struct ward_error error;
};

int sync_send(int fd, char type, const struct ward_error *error);
int sync_send_fd(int fd, char type, int passed_fd);
/* Receive one message; *passed_fd gets a received fd or -1. 0 on EOF (peer gone). */
int sync_recv(int fd, struct ward_sync_msg *msg, int *passed_fd);
