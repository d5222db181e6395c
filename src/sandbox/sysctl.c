/* Namespaced sysctls (sysctl.h). */
#include "ward/sysctl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "ward/syscalls.h"
#include "ward/util.h"

#define SYSCTL_KEY "Namespaces.Sysctl"

bool sysctl_name_valid(const char *name)
{
        size_t len = strlen(name), part = 0;

        if (len == 0 || len > 200)
                return false;
        for (size_t i = 0; i <= len; i++) {
                if (name[i] == '.' || name[i] == '\0') {
                        if (part == 0)
                                return false;
                        part = 0;
                } else if (isalnum((unsigned char)name[i]) || name[i] == '_' || name[i] == '-') {
                        part++;
                } else {
                        return false;
                }
        }
        return true;
}

unsigned long sysctl_namespace(const char *name)
{
        static const char *const ipc[] = {
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
        };

        if (strncmp(name, "net.", 4) == 0)
                return CLONE_NEWNET;
        if (strncmp(name, "fs.mqueue.", 10) == 0)
                return CLONE_NEWIPC;
        for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
                if (strcmp(name, ipc[i]) == 0)
                        return CLONE_NEWIPC;
        if (strcmp(name, "kernel.domainname") == 0)
                return CLONE_NEWUTS;
        return 0;
}

const char *sysctl_refusal(const char *name, const char *value)
{
        if (!sysctl_name_valid(name))
                return "not a sysctl name (dotted, as sysctl(8) writes it: "
                       "net.ipv4.ip_unprivileged_port_start)";
        if (strcmp(name, "kernel.hostname") == 0)
                return "kernel.hostname is Namespaces.Hostname= (config.json's hostname)";
        if (!sysctl_namespace(name))
                return "not namespaced: setting it would change the host";
        if (!*value)
                return "no value";
        if (strpbrk(value, "\n\r"))
                return "a line break in the value";
        return NULL;
}

const char *sysctl_allowed_hint(bool bundle)
{
#define SYSCTL_ALLOWED                                                                             \
        "only sysctls of the sandbox's own namespaces can be set: net.* (network), "               \
        "kernel.msgmax, msgmnb, msgmni, sem, shmall, shmmax, shmmni, shm_rmid_forced and "         \
        "fs.mqueue.* (ipc), kernel.domainname (uts; the hostname is "
        return bundle ? SYSCTL_ALLOWED "the config's \"hostname\")"
                      : SYSCTL_ALLOWED "Namespaces.Hostname=)";
#undef SYSCTL_ALLOWED
}

int sysctl_validate(const struct ward_config *c, struct ward_error *e)
{
        static const struct {
                unsigned long flag;
                const char *ns, *fix;
        } names[] = {
            {CLONE_NEWNET, "network", "Network.Mode=none (not --network host)"},
            {CLONE_NEWIPC, "ipc", "\"ipc\" in Namespaces.Unshare= (not --share ipc)"},
            {CLONE_NEWUTS, "uts", "\"uts\" in Namespaces.Unshare= (not --share uts)"},
        };
        char bundle_fix[96];

        for (size_t i = 0; i < c->n_sysctls; i++) {
                const struct ward_sysctl *s = &c->sysctls[i];
                unsigned long ns = sysctl_namespace(s->name);
                bool own =
                    (c->unshare_flags & ns) && (ns != CLONE_NEWNET || c->net_mode == WARD_NET_NONE);
                if (own)
                        continue;
                bool bundle = s->origin.key != NULL; /* a JSON path: a bundle's own words */
                for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
                        if (names[k].flag != ns)
                                continue;
                        snprintf(bundle_fix, sizeof(bundle_fix),
                                 "a {\"type\": \"%s\"} entry in linux.namespaces", names[k].ns);
                        return ward_error_at(e, &s->origin, SYSCTL_KEY, 0,
                                             "%s needs the sandbox's own %s namespace: in the "
                                             "host's it would change the host",
                                             s->name, names[k].ns),
                               ward_error_hint(e, "give the sandbox %s, or remove %s",
                                               bundle ? bundle_fix : names[k].fix, s->name),
                               -EINVAL;
                }
                return ward_error_at(e, &s->origin, SYSCTL_KEY, 0, "%s is not namespaced", s->name),
                       ward_error_hint(e, "%s", sysctl_allowed_hint(bundle)), -EINVAL;
        }
        return 0;
}

/* /proc/sys of a new proc instance, or, when the sandbox may not mount one (a user
 * namespace that shares the host's pid namespace), of the /proc still in view. Either way
 * a sysctl file acts on the namespaces of the process that writes it. */
static int open_proc_sys(void)
{
        _cleanup_close_ int fsfd = fsopen("proc", FSOPEN_CLOEXEC);
        _cleanup_close_ int mnt = -1;

        if (fsfd >= 0 && fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
                mnt = fsmount(fsfd, FSMOUNT_CLOEXEC,
                              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        return openat(mnt >= 0 ? mnt : AT_FDCWD, mnt >= 0 ? "sys" : "/proc/sys",
                      O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static int write_one(int sysfd, const struct ward_sysctl *s, struct ward_error *e)
{
        struct open_how how = {.flags = O_WRONLY | O_CLOEXEC | O_NOCTTY,
                               .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                                          RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV};
        char path[PATH_MAX];
        _cleanup_close_ int fd = -1;
        int r;

        snprintf(path, sizeof(path), "%s", s->name);
        for (char *p = path; *p; p++)
                if (*p == '.')
                        *p = '/';
        /* The uts files let only the host's root write (the sandbox's root is not, even when
         * ward runs as root); setdomainname(2) asks for CAP_SYS_ADMIN in the uts namespace's
         * owner, which the setup holds. */
        if (strcmp(s->name, "kernel.domainname") == 0)
                r = setdomainname(s->value, strlen(s->value)) < 0 ? -errno : 0;
        else if ((fd = ward_openat2(sysfd, path, &how)) < 0)
                r = -errno;
        else
                r = ward_write_all(fd, s->value, strlen(s->value));
        if (r >= 0)
                return 0;
        ward_error_at(e, &s->origin, SYSCTL_KEY, -r, "cannot set %s to \"%s\" (/proc/sys/%s)",
                      s->name, s->value, path);
        ward_error_hint(e, "%s",
                        r == -ENOENT ? "this kernel has no such sysctl: check the name "
                                       "(sysctl -a lists them)"
                                     : "check the value (sysctl -w on a test host "
                                       "shows what the kernel takes)");
        return r;
}

int sysctl_apply(const struct ward_config *c, struct ward_error *e)
{
        _cleanup_close_ int sysfd = -1;
        int r;

        if (!c->n_sysctls)
                return 0;
        if ((sysfd = open_proc_sys()) < 0)
                return ward_error_at(e, &c->sysctls[0].origin, SYSCTL_KEY, errno,
                                     "cannot open /proc/sys to set %s", c->sysctls[0].name);
        for (size_t i = 0; i < c->n_sysctls; i++)
                if ((r = write_one(sysfd, &c->sysctls[i], e)) < 0)
                        return r;
        return 0;
}
