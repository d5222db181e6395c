/* Running as a systemd unit: Type=notify through a relay, and socket activation.
 *
 * NOTIFY_SOCKET: the app cannot reach systemd's socket (another root, maybe another network
 * namespace), and systemd with the default NotifyAccess=main only believes ward, the unit's
 * main PID. So the setup binds a datagram socket at WARD_NOTIFY_PATH in the sandbox's own
 * /dev tmpfs and hands it to the monitor, the app gets NOTIFY_SOCKET=WARD_NOTIFY_PATH, and
 * the monitor relays what it reads to the real NOTIFY_SOCKET as itself: only the state
 * assignments systemd documents for a service (READY=1, STATUS=..., STOPPING=1, ...);
 * MAINPID= (ward stays the main PID) and passed fds (FDSTORE) are dropped. Without a mount
 * namespace the app sees the host's files, and NOTIFY_SOCKET is passed through unchanged
 * (the unit then needs NotifyAccess=all). With WatchdogSec=, the app gets WATCHDOG_USEC.
 *
 * Socket activation: when LISTEN_PID is ward's pid, fds 3 .. 3+LISTEN_FDS-1 stay open into
 * the sandbox, LISTEN_FDS and LISTEN_FDNAMES are passed, and LISTEN_PID is set to the pid
 * of the process that gets them: the setup writes its own pid as the sandbox sees it, and
 * ward-init, which the setup becomes, hands them on to the app with the app's pid. The
 * monitor closes its copies once the sandbox has them. */
#pragma once

#include <stddef.h>

#include "ward/config.h"
#include "ward/plan.h"

#define WARD_NOTIFY_PATH "/dev/ward-notify"
#define WARD_LISTEN_FDS_START 3

/* Before the monitor, the settings' last write (ward.c's run()): reads NOTIFY_SOCKET and
 * LISTEN_* from ward's own environment, sets p->systemd and adds the variables to the app's
 * environment (c->env). Fails (with the variable
 * named) on a NOTIFY_SOCKET that is not a path or @abstract name, or LISTEN_FDS naming fds
 * that are not open. p->systemd.notify_fd is a socket connected to NOTIFY_SOCKET when the
 * relay is used, else -1. */
int systemd_prepare(struct ward_config *c, struct ward_plan *p, struct ward_error *e);

/* Setup, after pivot_root, while /dev is still the sandbox's fresh tmpfs: bind the relay's
 * socket and send it to the monitor over the sync socket. Nothing when no relay. */
int systemd_setup_notify(const struct ward_plan *p, int sync_fd, struct ward_error *e);

/* Setup, just before exec: the app's environment with LISTEN_PID=<our pid>, or envp
 * itself when there is no socket activation. NULL on ENOMEM. */
char **systemd_exec_environment(const struct ward_plan *p, char **envp);

/* Monitor, after clone: the sandbox holds the listen fds; close ours. */
void systemd_close_listen_fds(const struct ward_plan *p);

/* Monitor: read the queued datagrams (at most WARD_NOTIFY_BATCH_MAX) from the sandbox's socket and
 * forward what may be forwarded to systemd (nothing when either fd is -1). Errors are reported once
 * on stderr; the app keeps running. */
#define WARD_NOTIFY_BATCH_MAX 64 /* datagrams relayed per call: a flood cannot starve */
void systemd_relay_notify(int from_fd, int to_fd);

/* The assignments of a notification the relay passes on, newline-separated, into out
 * (NUL-terminated); the others are dropped. Returns the length (0: nothing to send). */
size_t systemd_filter_notify(const char *msg, size_t len, char *out, size_t out_len);

/* ward is a systemd service's main process (INVOCATION_ID set, and the parent is a systemd
 * manager, the system's or a user's): it then ends the way its app ended. */
bool systemd_is_main_process(void);
