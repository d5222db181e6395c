/* Namespaces: names, the uid/gid maps the monitor writes for the child, the hostname. */
#include "ward/namespace.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/util.h"

static const struct {
        const char *name;
        unsigned long flag;
} ns_names[] = {
    {"user", CLONE_NEWUSER},     {"pid", CLONE_NEWPID}, {"mount", CLONE_NEWNS},
    {"net", CLONE_NEWNET},       {"uts", CLONE_NEWUTS}, {"ipc", CLONE_NEWIPC},
    {"cgroup", CLONE_NEWCGROUP},
};

const unsigned long ward_ns_all[7] = {
    CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNS,     CLONE_NEWNET,
    CLONE_NEWUTS,  CLONE_NEWIPC, CLONE_NEWCGROUP,
};

int ns_from_name(const char *name, unsigned long *flag)
{
        for (size_t i = 0; i < ARRAY_SIZE(ns_names); i++) {
                if (strcmp(name, ns_names[i].name) == 0) {
                        *flag = ns_names[i].flag;
                        return 0;
                }
        }
        /* util-linux and docker spell the mount namespace "mnt". */
        if (strcmp(name, "mnt") == 0) {
                *flag = CLONE_NEWNS;
                return 0;
        }
        return -EINVAL;
}

const char *ns_to_name(unsigned long flag)
{
        for (size_t i = 0; i < ARRAY_SIZE(ns_names); i++)
                if (ns_names[i].flag == flag)
                        return ns_names[i].name;
        return NULL;
}

bool ns_setgroups_allowed(const struct ward_config *c, bool rootless)
{
        return !(c->unshare_flags & CLONE_NEWUSER) || !rootless;
}

static int write_map(int procfd, const char *file, const char *content, const struct ward_config *c,
                     struct ward_error *e)
{
        int r = ward_write_file_at(procfd, file, content);

        if (r < 0) {
                ward_error_at(e, &c->id_map_origin, "Namespaces.IdMapBase", r,
                              "cannot write the sandbox's %s \"%.*s\"", file,
                              (int)strcspn(content, "\n"), content);
                ward_error_hint(e, geteuid() == 0
                                       ? "choose an IdMapBase= whose range of 65536 ids "
                                         "does not overflow 2^32"
                                       : "an unprivileged user can map only its own uid; "
                                         "check that user namespaces are enabled "
                                         "(sysctl user.max_user_namespaces)");
        }
        return r;
}

int ns_write_id_maps(pid_t child, const struct ward_config *c, struct ward_error *e)
{
        char path[64], uid_map[64], gid_map[64];
        _cleanup_close_ int procfd = -1;
        int r;

        snprintf(path, sizeof(path), "/proc/%d", (int)child);
        procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (procfd < 0)
                return ward_error_set(e, errno, "cannot open %s to write the id maps", path);
        if (geteuid() == 0) {
                if ((uint64_t)c->id_map_base + WARD_ID_MAP_RANGE > UINT32_MAX)
                        return ward_error_at(e, &c->id_map_origin, "Namespaces.IdMapBase", ERANGE,
                                             "%u + 65536 does not fit in a uid", c->id_map_base);
                if (c->id_map_base == 0)
                        return ward_error_at(e, &c->id_map_origin, "Namespaces.IdMapBase", 0,
                                             "0 would map the sandbox's root to the host's"),
                               ward_error_hint(e, "use an unused range, e.g. %u", WARD_ID_MAP_BASE),
                               -EINVAL;
                snprintf(uid_map, sizeof(uid_map), "0 %u %u\n", c->id_map_base, WARD_ID_MAP_RANGE);
                snprintf(gid_map, sizeof(gid_map), "0 %u %u\n", c->id_map_base, WARD_ID_MAP_RANGE);
        } else {
                /* Unprivileged: the kernel allows exactly one line mapping our own ids, and
                 * only after setgroups has been denied. */
                snprintf(uid_map, sizeof(uid_map), "%u %u 1\n", (unsigned)c->uid,
                         (unsigned)geteuid());
                snprintf(gid_map, sizeof(gid_map), "%u %u 1\n", (unsigned)c->gid,
                         (unsigned)getegid());
                r = write_map(procfd, "setgroups", "deny", c, e);
                if (r < 0)
                        return r;
        }
        r = write_map(procfd, "uid_map", uid_map, c, e);
        if (r >= 0)
                r = write_map(procfd, "gid_map", gid_map, c, e);
        return r;
}

int ns_apply_hostname(const struct ward_config *c, struct ward_error *e)
{
        if (!(c->unshare_flags & CLONE_NEWUTS) || !c->hostname)
                return 0;
        if (sethostname(c->hostname, strlen(c->hostname)) < 0) {
                int r = ward_error_at(e, &c->hostname_origin, "Namespaces.Hostname", errno,
                                      "cannot set the hostname to \"%s\"", c->hostname);
                ward_error_hint(e, "use at most 64 characters");
                return r;
        }
        return 0;
}

/* The mount namespace's root as /proc/self/mountinfo shows it: in a chroot into a
 * directory, no mount has "/" as its mount point (the kernel hides the mounts outside the
 * process's root); the namespace's own root mount shows its whole filesystem ("/" as its
 * root). 1 chroot, 0 not, -1 cannot tell (a bind-mounted subtree as root, no /proc). */
static int chroot_from_mountinfo(void)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096], root[4096], point[4096];
        int state = 1;

        if (!f)
                return -1;
        while (state == 1 && fgets(line, sizeof(line), f))
                if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) == 2 &&
                    strcmp(point, "/") == 0)
                        state = strcmp(root, "/") == 0 ? 0 : -1;
        return state;
}

/* In a chroot the kernel refuses a new user namespace (EPERM) even to root: "/" is not the
 * root of the mount namespace. PID 1's root says so when we may read it; some hosts deny
 * even root that (an init that is not dumpable), and mountinfo tells then. */
int ns_chroot_state(void)
{
        struct stat self, init;

        if (stat("/", &self) == 0 && stat("/proc/1/root/", &init) == 0)
                return self.st_dev != init.st_dev || self.st_ino != init.st_ino;
        return chroot_from_mountinfo();
}

bool ns_in_chroot(void)
{
        return ns_chroot_state() == 1;
}

/* A sysctl's first number; -1 when the kernel has no such sysctl or it cannot be read. */
static long sysctl_number(const char *path)
{
        char buf[32] = "";
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
                return -1;
        return buf[0] >= '0' && buf[0] <= '9' ? strtol(buf, NULL, 10) : -1;
}

/* ENOSPC: the user.max_*_namespaces sysctl of a requested type that is 0 (a switch that
 * turns that type off), named; else the limit was reached. */
static const char *limit_hint(unsigned long unshare_flags)
{
        static const struct {
                unsigned long flag;
                const char *path, *hint;
        } limits[] = {
            {CLONE_NEWUSER, "/proc/sys/user/max_user_namespaces",
             "user.max_user_namespaces is 0: sysctl -w user.max_user_namespaces=15000"},
            {CLONE_NEWPID, "/proc/sys/user/max_pid_namespaces",
             "user.max_pid_namespaces is 0: sysctl -w user.max_pid_namespaces=15000"},
            {CLONE_NEWNS, "/proc/sys/user/max_mnt_namespaces",
             "user.max_mnt_namespaces is 0: sysctl -w user.max_mnt_namespaces=15000"},
            {CLONE_NEWNET, "/proc/sys/user/max_net_namespaces",
             "user.max_net_namespaces is 0: sysctl -w user.max_net_namespaces=15000"},
            {CLONE_NEWUTS, "/proc/sys/user/max_uts_namespaces",
             "user.max_uts_namespaces is 0: sysctl -w user.max_uts_namespaces=15000"},
            {CLONE_NEWIPC, "/proc/sys/user/max_ipc_namespaces",
             "user.max_ipc_namespaces is 0: sysctl -w user.max_ipc_namespaces=15000"},
            {CLONE_NEWCGROUP, "/proc/sys/user/max_cgroup_namespaces",
             "user.max_cgroup_namespaces is 0: sysctl -w user.max_cgroup_namespaces=15000"},
        };

        for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
                if ((unshare_flags & limits[i].flag) && sysctl_number(limits[i].path) == 0)
                        return limits[i].hint;
        return "the namespace limit is reached: raise /proc/sys/user/max_*_namespaces";
}

/* Unprivileged and EPERM: the switch that refuses, when one says so (a user.max_*_namespaces
 * of 0 is ENOSPC, above). */
static const char *userns_sysctl_hint(void)
{
        if (sysctl_number("/proc/sys/kernel/unprivileged_userns_clone") == 0)
                return "kernel.unprivileged_userns_clone is 0 (Debian's switch): sysctl -w "
                       "kernel.unprivileged_userns_clone=1, or run as root";
        if (sysctl_number("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
                return "kernel.apparmor_restrict_unprivileged_userns is 1 (Ubuntu 23.10+): give "
                       "ward an AppArmor profile with the userns rule, set the sysctl to 0, or "
                       "run as root";
        return NULL;
}

const char *ns_clone_hint(unsigned long unshare_flags, int err)
{
        const char *hint;

        if (err == ENOSPC)
                return limit_hint(unshare_flags);
        if (err == ENOSYS)
                return "clone3() is refused: the kernel is older than 5.3, or a seccomp filter "
                       "(a container's, or the sandbox of another ward) refuses it: run ward on "
                       "the host, or in a container whose filter allows clone3 and namespaces";
        if (err == EPERM && (unshare_flags & CLONE_NEWUSER) && ns_in_chroot())
                return "ward runs in a chroot, where the kernel refuses new user namespaces "
                       "to everyone, root included: run it outside the chroot (or pivot_root "
                       "into the tree instead of chroot)";
        if (err == EPERM && geteuid() == 0)
                return "root was refused a new user namespace: either ward runs in a chroot "
                       "(the kernel refuses it there to everyone: run ward outside the chroot, "
                       "or pivot_root instead of chroot), or in a container whose seccomp "
                       "filter refuses new namespaces (docker's default: give that container "
                       "--security-opt seccomp=unconfined, or run ward on the host)";
        if (err == EPERM && (unshare_flags & CLONE_NEWUSER) && (hint = userns_sysctl_hint()))
                return hint;
        return "user namespaces may be disabled: check sysctl user.max_user_namespaces, "
               "kernel.unprivileged_userns_clone and kernel.apparmor_restrict_unprivileged_userns, "
               "or run as root";
}
