/* [Process] MemfdExec=: vm.memfd_noexec=2 in the sandbox's pid namespace (memfd_exec.h). */
#include "ward/memfd_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
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
static const char *obstacle(const struct ward_config *c, int host)
{
        if (c->in_place || !(c->unshare_flags & CLONE_NEWPID))
                return "the sandbox has no pid namespace of its own (Namespaces.Unshare= "
                       "without pid, or entrypoint mode)";
        if (host < 0)
                return "the kernel has no vm.memfd_noexec (Linux 6.3+)";
        if (geteuid() != 0)
                return "rootless: only host root can write vm.memfd_noexec";
        return NULL;
}

int memfd_exec_decide(const struct ward_config *c, char *reason, size_t len,
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
        if (!(why = obstacle(c, host)))
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

/* In a child of the monitor: enter the sandbox's pid namespace (for children), and write
 * the sysctl from a grandchild, which is in it. Returns an errno for _exit(). */
static int write_from_inside(int pidfd)
{
        int status = 0;
        pid_t pid;

        if (setns(pidfd, CLONE_NEWPID) < 0)
                return errno;
        if ((pid = fork()) < 0)
                return errno;
        if (pid == 0) {
                int fd = open(SYSCTL, O_WRONLY | O_CLOEXEC);
                if (fd < 0 || write(fd, "2", 1) != 1)
                        _exit(errno ? errno : EIO);
                _exit(0);
        }
        if (waitpid(pid, &status, 0) < 0)
                return errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

int memfd_exec_apply(const struct ward_config *c, int pidfd, struct ward_error *e)
{
        char reason[256];
        int r = memfd_exec_decide(c, reason, sizeof(reason), e), status = 0;
        pid_t pid;

        if (r <= 0)
                return r;
        /* A child, so that the monitor's own namespaces for children never change. */
        if ((pid = fork()) < 0)
                return ward_error_at(e, &c->memfd_exec_origin, KEY, errno,
                                     "cannot fork to set vm.memfd_noexec");
        if (pid == 0)
                _exit(write_from_inside(pidfd));
        if (waitpid(pid, &status, 0) < 0)
                return ward_error_at(e, &c->memfd_exec_origin, KEY, errno,
                                     "cannot wait for the vm.memfd_noexec writer");
        r = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
        if (r == 0)
                return 0;
        ward_error_at(e, &c->memfd_exec_origin, KEY, r,
                      "cannot set vm.memfd_noexec=2 in the sandbox's pid namespace");
        ward_error_hint(e, "use MemfdExec=try or yes to run without it");
        return -r;
}

void memfd_exec_describe(const struct ward_config *c, char *buf, size_t len)
{
        struct ward_error e;
        char reason[256];
        int r = memfd_exec_decide(c, reason, sizeof(reason), &e);

        if (r > 0)
                snprintf(buf, len,
                         "monitor: vm.memfd_noexec=2 in the sandbox's pid namespace, from a "
                         "child that enters it: memfds are never executable (MFD_EXEC: EACCES)");
        else if (r == 0 && strstr(reason, "inherited"))
                snprintf(buf, len, "monitor: memfds are never executable: %s", reason);
        else if (r == 0)
                snprintf(buf, len,
                         "monitor: vm.memfd_noexec NOT set (%s): a program copied into a memfd "
                         "can still be executed, noexec mounts notwithstanding",
                         reason);
        else
                snprintf(buf, len, "monitor: MemfdExec=no cannot be had: %s", e.msg);
}
