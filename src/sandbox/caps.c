/* Capabilities: names (libcap-ng's table), and reducing all five sets to what is kept.
 *
 * Why each set is set the way it is, given that the process that follows setup is first
 * ward-init (a static binary without file capabilities, run as the app's uid) and then the
 * app, i.e. two execve()s (capabilities(7), "Transformation of capabilities during execve"):
 *
 *   P' = (P & F_inh) | (F_perm & bounding) | A'      E' = F_eff ? P' : A'
 *
 * - uid 0 (User= unset or 0): the kernel treats every binary as if it had all file
 *   capabilities, so P' = I | bounding and E' = P'; the ambient set plays no part. With
 *   inheritable = caps_keep and the bounding set reduced to caps_keep, root gets exactly
 *   caps_keep after each exec. Dropping the bounding set is therefore what limits a sandbox
 *   root, and it can only shrink: nothing in the sandbox can raise it again.
 * - any other uid: binaries without file capabilities give P' = E' = A'. Without ambient
 *   capabilities a non-root User= would lose every kept capability at the first exec, so
 *   each kept capability is raised in the ambient set (which needs it in permitted and
 *   inheritable, hence those too). A setuid or file-capability binary would clear the
 *   ambient set, but no_new_privs makes those gain nothing anyway.
 *
 * - a bundle (process.capabilities) names all five sets, and each is set as listed: the
 *   kernel then transforms them at exec as it would under any runtime (uid 0: permitted =
 *   effective = bounding | inheritable, cut to the old permitted set under no_new_privs;
 *   any other uid: permitted = effective = ambient).
 *
 * The ambient set is cleared first in every case so that nothing inherited from the
 * caller survives, and everything is read back from the kernel afterwards: a set that is
 * not what was asked is a failure, never a warning.
 *
 * Nothing here opens a file once setup runs (capget/capset/prctl only): rlimit_apply() has
 * already applied LimitNOFILE=, which may leave no room for another fd. */
#include "ward/caps.h"

#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ward/util.h"

#define CAP_BIT(cap) (UINT64_C(1) << (cap))

/* The kernel's highest capability from the file, or by probing the bounding set, which
 * answers EINVAL past the last one (that needs no fd, unlike the file). */
static int read_cap_last(void)
{
        _cleanup_close_ int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
        char buf[16] = "";
        int last = -1;

        if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && sscanf(buf, "%d", &last) == 1 &&
            last >= 0 && last < 64)
                return last;
        for (last = 0; last < 64; last++)
                if (prctl(PR_CAPBSET_READ, last, 0, 0, 0) < 0 && errno == EINVAL)
                        break;
        if (last > 0)
                return last - 1;
        return CAP_LAST_CAP < 64 ? CAP_LAST_CAP : 63;
}

static int cap_last(void)
{
        static int cached = -1;

        if (cached < 0)
                cached = read_cap_last();
        return cached;
}

int caps_from_name(const char *name, int *cap)
{
        char lower[64];
        size_t i;
        int v;

        if (!name)
                return -EINVAL;
        if (strncasecmp(name, "CAP_", 4) == 0)
                name += 4;
        /* capng_name_to_capability() knows the lower-case names without the prefix. */
        for (i = 0; i < sizeof(lower) - 1 && name[i]; i++) {
                if (!isalnum((unsigned char)name[i]) && name[i] != '_')
                        return -EINVAL;
                lower[i] = (char)tolower((unsigned char)name[i]);
        }
        if (name[i] || i == 0)
                return -EINVAL;
        lower[i] = '\0';
        v = capng_name_to_capability(lower);
        /* A capability this kernel does not have cannot be kept: refuse it by name. */
        if (v < 0 || v > cap_last())
                return -EINVAL;
        *cap = v;
        return 0;
}

const char *caps_to_name(int cap)
{
        static char names[64][32];
        const char *n;

        if (cap < 0 || cap >= 64 || cap > cap_last() || !(n = capng_capability_to_name(cap)))
                return NULL;
        if (strncmp(n, "cap_", 4) == 0) /* libcap-ng's made-up "cap_41": no real name */
                return NULL;
        if (!names[cap][0]) {
                size_t i;
                for (i = 0; i < sizeof(names[cap]) - 1 && n[i]; i++)
                        names[cap][i] = (char)toupper((unsigned char)n[i]);
                names[cap][i] = '\0';
        }
        return names[cap];
}

uint64_t caps_all(void)
{
        int last = cap_last();

        return last >= 63 ? UINT64_MAX : CAP_BIT(last + 1) - 1;
}

void caps_format(uint64_t mask, char *buf, size_t len)
{
        size_t used = 0;

        if (!len)
                return;
        buf[0] = '\0';
        for (int cap = 0; cap < 64; cap++) {
                char number[8];
                const char *n = caps_to_name(cap);
                if (!(mask & CAP_BIT(cap)))
                        continue;
                if (!n) /* a bit this kernel or libcap-ng has no name for */
                        snprintf(number, sizeof(number), "%d", cap), n = number;
                int w = snprintf(buf + used, len - used, "%s%s", used ? " " : "", n);
                if (w < 0 || (size_t)w >= len - used) {
                        buf[used] = '\0'; /* never end on half a name */
                        break;
                }
                used += (size_t)w;
        }
        if (!used)
                snprintf(buf, len, "(none)");
}

static bool kept(const struct ward_config *c, int cap)
{
        return cap >= 0 && cap < 64 && (c->caps_keep & CAP_BIT(cap));
}

static const char *cap_label(int cap)
{
        return caps_to_name(cap) ? caps_to_name(cap) : "?";
}

__attribute__((format(printf, 5, 6))) static int caps_error(const struct ward_config *c, int err,
                                                            const char *hint, struct ward_error *e,
                                                            const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = ward_error_vat(e, &c->caps_origin, "Process.Capabilities", err, fmt, ap);
        va_end(ap);
        ward_error_hint(e, "%s", hint);
        return r;
}

static int drop_one_bounding(const struct ward_config *c, int cap, struct ward_error *e)
{
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
                int err = errno; /* before cap_label() runs */
                /* DropBoundingSet=try: what stays is inert once the permitted set is empty
                 * and no_new_privs is set (no exec can raise the permitted set again). */
                if (c->bounding_try && err == EPERM)
                        return 0;
                return caps_error(c, err,
                                  c->in_place
                                      ? "ward lacks CAP_SETPCAP: start the container with "
                                        "--cap-drop ALL (Kubernetes: capabilities.drop: [ALL]), "
                                        "or set Process.DropBoundingSet=try"
                                      : "dropping the bounding set needs CAP_SETPCAP: run ward as "
                                        "root or with a user namespace (Namespaces.Unshare=user)",
                                  e, "cannot drop CAP_%s from the bounding set", cap_label(cap));
        }
        return 0;
}

/* The bounding set is read once and only what is in it is dropped: a capability already gone
 * (e.g. dropped by a container runtime above us) would need CAP_SETPCAP for nothing. That
 * every drop took is checked by caps_apply()'s read-back of all five sets. */
static int read_bounding(uint64_t *bounding)
{
        *bounding = 0;
        for (int cap = 0; cap <= cap_last(); cap++) {
                int in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
                if (in < 0)
                        return -errno;
                if (in)
                        *bounding |= CAP_BIT(cap);
        }
        return 0;
}

static int drop_bounding_from(const struct ward_config *c, uint64_t bounding, struct ward_error *e)
{
        int r;

        for (int cap = 0; cap <= cap_last(); cap++)
                if ((bounding & CAP_BIT(cap)) && !kept(c, cap) &&
                    (r = drop_one_bounding(c, cap, e)) < 0)
                        return r;
        return 0;
}

int caps_drop_bounding(const struct ward_config *c, struct ward_error *e)
{
        uint64_t bounding;
        int r = read_bounding(&bounding);

        if (r < 0)
                return caps_error(c, -r, "this kernel does not support PR_CAPBSET_READ", e,
                                  "cannot read the bounding set");
        return drop_bounding_from(c, bounding, e);
}

/* All five sets, straight from the kernel: capget(2) and prctl(2), no fd (libcap-ng's reader
 * would open /proc/PID/status for the bounding set, and we may have no fd to spare). */
struct cap_sets {
        uint64_t effective, permitted, inheritable, bounding, ambient;
};

/* What setup gives the process before the exec (see the top of this file). Every set is cut
 * to caps_keep, so that --cap-drop and a policy's floor narrow a bundle's sets too. */
static struct cap_sets wanted_sets(const struct ward_config *c)
{
        uint64_t keep = c->caps_keep & caps_all();

        if (!c->caps_sets_set)
                return (struct cap_sets){.bounding = keep,
                                         .effective = keep,
                                         .permitted = keep,
                                         .inheritable = keep,
                                         .ambient = c->uid != 0 ? keep : 0};
        return (struct cap_sets){.bounding = keep,
                                 .effective = c->caps_effective & keep,
                                 .permitted = c->caps_permitted & keep,
                                 .inheritable = c->caps_inheritable & keep,
                                 .ambient = c->caps_ambient & keep};
}

static int read_sets(struct cap_sets *s)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

        memset(s, 0, sizeof(*s));
        if (syscall(SYS_capget, &hdr, data) < 0)
                return -errno;
        s->effective = data[0].effective | (uint64_t)data[1].effective << 32;
        s->permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
        s->inheritable = data[0].inheritable | (uint64_t)data[1].inheritable << 32;
        for (int cap = 0; cap <= cap_last(); cap++) {
                int in_bounding = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
                int in_ambient = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0);
                if (in_bounding < 0 || in_ambient < 0)
                        return -errno;
                s->bounding |= in_bounding ? CAP_BIT(cap) : 0;
                s->ambient |= in_ambient ? CAP_BIT(cap) : 0;
        }
        return 0;
}

static int check_set(const struct ward_config *c, const char *set, uint64_t have, uint64_t want,
                     struct ward_error *e)
{
        char h[512], w[512];

        if (have == want)
                return 0;
        caps_format(have, h, sizeof(h));
        caps_format(want, w, sizeof(w));
        ward_error_at(e, &c->caps_origin, "Process.Capabilities", EPERM,
                      "the %s capability set is [%s] after applying it, not [%s]", set, h, w);
        ward_error_hint(e, "the kernel or a security module refused part of the change; keep "
                           "fewer capabilities, or run ward where it holds the kept ones");
        return -EPERM;
}

/* Fail closed: every set must be exactly what was asked, read back from the kernel. */
static int verify_sets(const struct ward_config *c, const struct cap_sets *want,
                       struct ward_error *e)
{
        struct cap_sets s;
        int r = read_sets(&s);

        if (r < 0)
                return caps_error(c, r, "this kernel does not support capget(2) version 3", e,
                                  "cannot read back the capability sets");
        if ((!c->bounding_try &&
             (r = check_set(c, "bounding", s.bounding, want->bounding, e)) < 0) ||
            (r = check_set(c, "permitted", s.permitted, want->permitted, e)) < 0 ||
            (r = check_set(c, "effective", s.effective, want->effective, e)) < 0 ||
            (r = check_set(c, "inheritable", s.inheritable, want->inheritable, e)) < 0 ||
            (r = check_set(c, "ambient", s.ambient, want->ambient, e)) < 0)
                return r;
        return 0;
}

/* A capability can be kept only if we hold it now: name the first one we do not. */
static int check_held(const struct ward_config *c, uint64_t bounding, struct ward_error *e)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
        uint64_t permitted;

        if (syscall(SYS_capget, &hdr, data) < 0)
                return caps_error(c, errno, "this kernel does not support capget(2) version 3", e,
                                  "cannot read the capability sets");
        permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
        for (int cap = 0; cap <= cap_last(); cap++)
                if (kept(c, cap) && !(permitted & bounding & CAP_BIT(cap)))
                        return caps_error(c, EPERM,
                                          "remove it from Capabilities= (or --cap-add), or "
                                          "run ward where it holds that capability",
                                          e,
                                          "CAP_%s is to be kept, but ward itself does not hold "
                                          "it",
                                          cap_label(cap));
        return 0;
}

/* capset(2) directly rather than capng_apply(): libcap-ng keeps per-thread state that records
 * the thread id it was first used in (clone3 runs no atfork handler to reset it) and opens
 * /proc/sys/kernel/cap_last_cap on first use, which LimitNOFILE= may no longer allow. */
static int set_classic_sets(const struct ward_config *c, const struct cap_sets *want,
                            struct ward_error *e)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

        for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
                data[i].effective = (uint32_t)(want->effective >> (32 * i));
                data[i].permitted = (uint32_t)(want->permitted >> (32 * i));
                data[i].inheritable = (uint32_t)(want->inheritable >> (32 * i));
        }
        if (syscall(SYS_capset, &hdr, data) < 0)
                return caps_error(c, errno, "the kernel refused capset(2); keep fewer capabilities",
                                  e, "cannot set the effective, permitted and inheritable sets");
        return 0;
}

static int raise_ambient(const struct ward_config *c, uint64_t ambient, struct ward_error *e)
{
        for (int cap = 0; cap <= cap_last(); cap++) {
                if (!(ambient & CAP_BIT(cap)) ||
                    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) == 0)
                        continue;
                int err = errno; /* before cap_label() runs */
                return caps_error(c, err,
                                  "the kernel must support ambient capabilities (Linux >= 4.3) "
                                  "and SECBIT_NO_CAP_AMBIENT_RAISE must be unset; or run the app "
                                  "as uid 0 (User=0)",
                                  e, "cannot raise CAP_%s in the ambient set", cap_label(cap));
        }
        return 0;
}

int caps_apply(const struct ward_config *c, struct ward_error *e)
{
        /* process_apply_creds() switched to c->uid and verified it, so c->uid is the uid the
         * init and the app will be executed as: only a non-root one needs ambient caps
         * (unless a bundle lists them). */
        struct cap_sets want = wanted_sets(c);
        uint64_t bounding;
        int r;

        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
                return caps_error(c, errno,
                                  "the kernel must support ambient capabilities "
                                  "(Linux >= 4.3)",
                                  e, "cannot clear the ambient set");
        /* Normally nothing to drop: the caller dropped the bounding set before the uid
         * switch (which needs CAP_SETPCAP, gone with a non-root uid). */
        if ((r = read_bounding(&bounding)) < 0)
                return caps_error(c, -r, "this kernel does not support PR_CAPBSET_READ", e,
                                  "cannot read the bounding set");
        if ((bounding & ~c->caps_keep) && (r = drop_bounding_from(c, bounding, e)) < 0)
                return r;
        if ((r = check_held(c, bounding, e)) < 0 || (r = set_classic_sets(c, &want, e)) < 0)
                return r;
        if (want.ambient && (r = raise_ambient(c, want.ambient, e)) < 0)
                return r;
        return verify_sets(c, &want, e);
}
