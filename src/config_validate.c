/* The settings' cross-key checks (config_validate.h): above every module whose own check
 * it calls, so that config.c stays below them (no include cycle). */
#include "ward/config_validate.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "ward/cgroup.h"
#include "ward/memfd_exec.h"
#include "ward/process.h"
#include "ward/seccomp.h"

/* Refuse with the key's location, the reason and the fix; returns -err (or -EINVAL). */
static int refuse(struct ward_error *e, const struct ward_origin *o, const char *key, int err,
                  const char *why, const char *fix)
{
        int r = o ? ward_error_at(e, o, key, err, "%s", why) : ward_error_set(e, err, "%s", why);
        ward_error_hint(e, "%s", fix);
        return r;
}

/* Cross-key checks: a combination that cannot be applied is refused before any clone. */
int config_validate(const struct ward_config *c, struct ward_error *e)
{
        bool rootless = geteuid() != 0;
        char why[160];

        if (!c->root)
                return refuse(e, NULL, "", 0, "no root filesystem given",
                              "pass --rootfs DIR (or --rootfs / for the host's root, "
                              "read-only), or set Filesystem.Root=");
        if (!c->argv || !c->argv[0])
                return refuse(e, NULL, "", 0, "no command given",
                              "put the command after the options: "
                              "ward run [OPTIONS] -- COMMAND [ARG...]");
        if (!(c->unshare_flags & CLONE_NEWNS))
                return refuse(e, &c->unshare_origin, "Namespaces.Unshare", 0,
                              "the mount namespace is required: ward builds a read-only "
                              "root and cannot do so in the host's",
                              "add \"mount\" to Namespaces.Unshare= (inside a container "
                              "that allows no namespaces: Unshare=none, entrypoint mode)");
        if (rootless && !(c->unshare_flags & CLONE_NEWUSER)) {
                snprintf(why, sizeof(why),
                         "running as uid %u without a user namespace: only "
                         "root can create the other namespaces",
                         (unsigned)geteuid());
                return refuse(e, &c->unshare_origin, "Namespaces.Unshare", EPERM, why,
                              "add \"user\" to Namespaces.Unshare=, or run as root");
        }
        if (process_check_caller_groups(c, e) < 0)
                return -EPERM;
        if (rootless && c->n_groups && (c->unshare_flags & CLONE_NEWUSER))
                return refuse(e, &c->groups_origin, "Process.SupplementaryGroups", EPERM,
                              "supplementary groups need root: an unprivileged user "
                              "namespace cannot call setgroups(2)",
                              "run ward as root, or remove SupplementaryGroups=");
        if (c->hostname && c->hostname_origin.file && !(c->unshare_flags & CLONE_NEWUTS))
                return refuse(e, &c->hostname_origin, "Namespaces.Hostname", 0,
                              "a hostname needs the uts namespace (it would rename the host)",
                              "add \"uts\" to Namespaces.Unshare= or remove Hostname=");
        if (cgroup_validate(c, e) < 0)
                return -EINVAL;
        if (memfd_exec_decide(c, (char[256]){0}, 256, e) < 0)
                return -EINVAL;
        return seccomp_validate(c, e);
}
