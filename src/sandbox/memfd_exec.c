/* [Process] MemfdExec=: vm.memfd_noexec=2 in the sandbox's pid namespace (memfd_exec.h). */
#include "ward/memfd_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ward/util.h"

#define SYSCTL "/proc/sys/vm/memfd_noexec"
#define KEY "Process.MemfdExec"
#define NOEXEC_ENFORCED 2 /* MEMFD_NOEXEC_SCOPE_NOEXEC_ENFORCED */

int memfd_exec_parse(struct ward_config *c, const char *value, const struct ward_origin *o,
                     struct ward_error *e)
{
        static const char *const names[] = {"try", "no", "yes"};

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (strcmp(value, names[i]) == 0) {
                        c->memfd_exec = (enum ward_memfd_exec)i;
                        c->memfd_exec_origin = *o;
                        return 0;
                }
        ward_error_at(e, o, KEY, 0, "\"%.64s\" is not no, try or yes", value);
        ward_error_hint(e, "no: memfds can never be executed (exit 125 where that cannot be had); "
                           "try: where it can be had; yes: the host's setting");
        return -EINVAL;
}

/* The host's value: -1 when the kernel has no such sysctl (before 6.3). */
static int host_value(void)
{
        char buf[16] = "";
        _cleanup_close_ int fd = open(SYSCTL, O_RDONLY | O_CLOEXEC);

        if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
                return -1;
        return buf[0] >= '0' && buf[0] <= '9' ? buf[0] - '0' : -1;
}

/* Why it cannot be had here, or NULL. */
static const char *obstacle(const struct ward_config *c, int host, bool rootless)
{
        if (c->in_place || !(c->unshare_flags & CLONE_NEWPID))
                return "the sandbox has no pid namespace of its own (Namespaces.Unshare= "
                       "without pid, or entrypoint mode)";
        if (host < 0)
                return "the kernel has no vm.memfd_noexec (Linux 6.3+)";
        if (rootless)
                return "rootless: only host root can write vm.memfd_noexec";
        return NULL;
}

static int decide(const struct ward_config *c, bool rootless, char *reason, size_t len,
                  struct ward_error *e)
{
        int host = host_value();
        const char *why;

        snprintf(reason, len, "%s", "");
        if (c->memfd_exec == WARD_MEMFD_EXEC_YES) {
                snprintf(reason, len, "MemfdExec=yes");
                return 0;
        }
        if (host >= NOEXEC_ENFORCED) {
                snprintf(reason, len, "the host's vm.memfd_noexec is already %d, inherited", host);
                return 0;
        }
        if (!(why = obstacle(c, host, rootless)))
                return 1;
        snprintf(reason, len, "%s", why);
        if (c->memfd_exec == WARD_MEMFD_EXEC_TRY)
                return 0;
        ward_error_at(e, &c->memfd_exec_origin, KEY, host < 0 ? ENOENT : EPERM,
                      "memfds cannot be made non-executable: %s", why);
        ward_error_hint(e, "use MemfdExec=try to run anyway (a program copied into a memfd can "
                           "then be executed), or run as root with a pid namespace on Linux 6.3+");
        return host < 0 ? -ENOENT : -EPERM;
}

int memfd_exec_decide(const struct ward_config *c, char *reason, size_t len, struct ward_error *e)
{
        return decide(c, geteuid() != 0, reason, len, e);
}

/* The kernel takes the writer's pid namespace (setup's, the sandbox's) and lets only the
 * initial user namespace's root write: setup still has the monitor's uid 0 here, before it
 * takes the sandbox's ids, with every capability over the namespaces it was cloned into. */
int memfd_exec_apply(const struct ward_config *c, bool rootless, struct ward_error *e)
{
        char reason[256];
        int r = decide(c, rootless, reason, sizeof(reason), e);
        _cleanup_close_ int fd = -1;

        if (r <= 0)
                return r;
        fd = open(SYSCTL, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "2", 1) != 1) {
                ward_error_at(e, &c->memfd_exec_origin, KEY, errno ? errno : EIO,
                              "cannot set vm.memfd_noexec=2 in the sandbox's pid namespace");
                ward_error_hint(e, "use MemfdExec=try or yes to run without it");
                return -(e->err);
        }
        return 0;
}

void memfd_exec_describe(const struct ward_config *c, char *buf, size_t len)
{
        struct ward_error e;
        char reason[256];
        int r = memfd_exec_decide(c, reason, sizeof(reason), &e);

        if (r > 0)
                snprintf(buf, len,
                         "setup: vm.memfd_noexec=2 in the sandbox's pid namespace, before it "
                         "takes the sandbox's ids: memfds are never executable (MFD_EXEC: "
                         "EACCES)");
        else if (r == 0 && strstr(reason, "inherited"))
                snprintf(buf, len, "setup: memfds are never executable: %s", reason);
        else if (r == 0)
                snprintf(buf, len,
                         "setup: vm.memfd_noexec NOT set (%s): a program copied into a memfd "
                         "can still be executed, noexec mounts notwithstanding",
                         reason);
        else
                snprintf(buf, len, "setup: MemfdExec=no cannot be had: %s", e.msg);
}
