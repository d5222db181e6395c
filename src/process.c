/* The app's process: user and groups, working directory, umask, no_new_privs, environment. */
#include "ward/process.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/mount.h"
#include "ward/syscalls.h"
#include "ward/util.h"

#define WARD_MAX_GROUPS 65536     /* NGROUPS_MAX on Linux */
#define WARD_IMAGE_FILE_MAX_MIB 8 /* an /etc/passwd of some 100,000 accounts */
#define WARD_STRINGIFY_(x) #x
#define WARD_STRINGIFY(x) WARD_STRINGIFY_(x)

static bool is_number(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (!isdigit((unsigned char)*s))
                        return false;
        return true;
}

/* A uid or gid; (uid_t)-1 means "unchanged" to set*id(2) and is never an id. */
static int parse_id(const char *s, uint32_t *id)
{
        if (ward_parse_u32(s, id) < 0 || *id == UINT32_MAX)
                return -EINVAL;
        return 0;
}

/* Split one passwd/group line in place: name:password:ID[:GID:...]. */
static size_t split_fields(char *line, char **fields, size_t max)
{
        size_t n = 0;

        line[strcspn(line, "\r")] = '\0';
        while (line && n < max)
                fields[n++] = strsep(&line, ":");
        return n;
}

/* Find NAME in the text of an /etc/passwd- or /etc/group-shaped file (changed in place).
 * *gid is the passwd entry's primary group (pass NULL for /etc/group). 0, -ESRCH when
 * absent, -EBADMSG for an entry with no valid id. */
static int find_entry(char *text, const char *name, uint32_t *id, uint32_t *gid)
{
        char *line;

        while ((line = strsep(&text, "\n"))) {
                char *fields[4] = {NULL};
                size_t n = split_fields(line, fields, ARRAY_SIZE(fields));
                /* NIS compat lines (+name, -name) and comments are not accounts. */
                if (n < 3 || strchr("+-#", fields[0][0]) || strcmp(fields[0], name) != 0)
                        continue;
                if (parse_id(fields[2], id) < 0)
                        return -EBADMSG;
                if (gid && (n < 4 || parse_id(fields[3], gid) < 0))
                        return -EBADMSG;
                return 0;
        }
        return -ESRCH;
}

/* What is looked up where: "user" "app" in /etc/passwd. */
struct lookup {
        const char *file;
        const char *what;
        const char *name;
};

/* Why the image's file could not be used, in words (ward_read_regular_at()'s codes). */
static const char *image_file_problem(int r)
{
        switch (r) {
        case -EINVAL:
                return "is not a regular file (a device, FIFO, socket or directory), so ward "
                       "refused it without opening it";
        case -ELOOP:
                return "is a symbolic link, which ward does not follow in an image";
        case -EFBIG:
                return "is larger than " WARD_STRINGIFY(WARD_IMAGE_FILE_MAX_MIB) " MiB";
        case -ENOMEDIUM:
                return "could not be reopened through /proc/self/fd (is /proc mounted?)";
        default:
                return NULL;
        }
}

static int lookup_error(struct ward_config *c, const struct lookup *l, int r, struct ward_error *e)
{
        const char *problem = image_file_problem(r);

        if (r == -ESRCH)
                ward_error_at(e, &c->user_origin, "Process.User", 0,
                              "%s \"%s\" is not in the image's %s (root %s)", l->what, l->name,
                              l->file, c->root);
        else if (r == -EBADMSG)
                ward_error_at(e, &c->user_origin, "Process.User", 0,
                              "the image's %s has no valid id for %s \"%s\"", l->file, l->what,
                              l->name);
        else if (problem)
                ward_error_at(e, &c->user_origin, "Process.User", -r,
                              "cannot look up %s \"%s\": the image's %s %s", l->what, l->name,
                              l->file, problem);
        else
                ward_error_at(e, &c->user_origin, "Process.User", -r,
                              "cannot read the image's %s to look up %s \"%s\"", l->file, l->what,
                              l->name);
        ward_error_hint(e,
                        "use a numeric UID:GID, or add the %s to the image's %s (a regular "
                        "file)",
                        l->what, l->file);
        return r == -ESRCH || r == -EBADMSG ? -EINVAL : r;
}

/* Read the image's file beneath the root fd (never by a host path): absolute symlinks and
 * ".." stay inside, magic links are refused, the last component is not followed, and only a
 * bounded regular file is opened at all. A device node is never opened on the host (its
 * driver's open may act, as a watchdog's does), nor a FIFO waited on (util.h). */
static int lookup_entry(struct ward_config *c, const struct ward_plan *p, const struct lookup *l,
                        uint32_t *id, uint32_t *gid, struct ward_error *e)
{
        _cleanup_close_ int rootfd = mount_open_root(c, p, e);
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r;

        if (rootfd < 0)
                return rootfd;
        r = ward_read_regular_at(rootfd, l->file, O_NOFOLLOW,
                                 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
                                 WARD_IMAGE_FILE_MAX_MIB << 20, &text, &len);
        if (r >= 0)
                r = find_entry(text, l->name, id, gid);
        return r < 0 ? lookup_error(c, l, r, e) : 0;
}

/* NAME -> uid and primary gid, from the image's /etc/passwd (never the host's). */
static int lookup_user(struct ward_config *c, const struct ward_plan *p, const char *name,
                       uint32_t *uid, uint32_t *gid, struct ward_error *e)
{
        const struct lookup l = {"/etc/passwd", "user", name};

        return lookup_entry(c, p, &l, uid, gid, e);
}

static int lookup_group(struct ward_config *c, const struct ward_plan *p, const char *name,
                        uint32_t *gid, struct ward_error *e)
{
        const struct lookup l = {"/etc/group", "group", name};

        return lookup_entry(c, p, &l, gid, NULL, e);
}

static int bad_spec(struct ward_config *c, struct ward_error *e)
{
        ward_error_at(e, &c->user_origin, "Process.User", 0, "\"%s\" is not UID[:GID] or a name",
                      c->user_spec);
        ward_error_hint(e, "use a numeric UID:GID, or add the user to the image's /etc/passwd");
        return -EINVAL;
}

int process_resolve_user(struct ward_config *c, const struct ward_plan *p, struct ward_error *e)
{
        _cleanup_free_ char *spec = NULL;
        char *group;
        uint32_t uid, gid;
        int r;

        if (!c->user_set) {
                c->uid = c->gid = 0;
                return 0;
        }
        if (!c->user_spec) /* set numerically by the caller, nothing to look up */
                return 0;
        if (!(spec = strdup(c->user_spec)))
                return ward_error_set(e, ENOMEM, "out of memory");
        if ((group = strchr(spec, ':')))
                *group++ = '\0';
        if (!*spec || (group && !*group))
                return bad_spec(c, e);
        if (is_number(spec)) {
                if (parse_id(spec, &uid) < 0)
                        return bad_spec(c, e);
                gid = uid; /* a bare UID runs with the group of the same number */
        } else if ((r = lookup_user(c, p, spec, &uid, &gid, e)) < 0) {
                return r;
        }
        if (group && is_number(group)) {
                if (parse_id(group, &gid) < 0)
                        return bad_spec(c, e);
        } else if (group && (r = lookup_group(c, p, group, &gid, e)) < 0) {
                return r;
        }
        c->uid = uid;
        c->gid = gid;
        return 0;
}

int process_apply_umask_cwd(const struct ward_config *c, struct ward_error *e)
{
        const char *cwd = c->cwd ? c->cwd : "/";
        char where[4096];

        umask(c->umask & 07777);
        if (chdir(cwd) < 0) {
                int r = ward_error_at(e, &c->cwd_origin, "Process.WorkingDirectory", errno,
                                      "cannot enter %s in the sandbox", cwd);
                ward_error_hint(e, "create the directory in the image, or choose one that "
                                   "exists (-w)");
                return r;
        }
        /* CVE-2024-21626: a cwd reached through an fd of the host (/proc/self/fd/N) lies
         * outside the new root. The kernel then reports "(unreachable)/..." and glibc turns
         * that into ENOENT; either way the app must not start there. */
        errno = 0;
        if (!getcwd(where, sizeof(where)) || where[0] != '/') {
                int r = ward_error_at(
                    e, &c->cwd_origin, "Process.WorkingDirectory", errno ? errno : EACCES,
                    "the working directory %s is outside the sandbox's root", cwd);
                ward_error_hint(e, "give a plain directory of the image, not a path through "
                                   "/proc/self/fd or /proc/PID/cwd");
                return r;
        }
        return 0;
}

static int creds_error(const struct ward_config *c, int err, const char *what, struct ward_error *e)
{
        int r = ward_error_at(e, &c->user_origin, "Process.User", err, "%s (uid %u, gid %u)", what,
                              (unsigned)c->uid, (unsigned)c->gid);
        ward_error_hint(e, "the id must be mapped in the sandbox: as root any id below 65536 "
                           "is; rootless only the sandbox's own uid/gid");
        return r;
}

/* The groups have an origin of their own: SupplementaryGroups=, --group-add, additionalGids. */
static int groups_error(const struct ward_config *c, int err, const char *what,
                        struct ward_error *e)
{
        int r = ward_error_at(e, &c->groups_origin, "Process.SupplementaryGroups", err, "%s", what);
        ward_error_hint(e, "the gids must be mapped in the sandbox: as root any gid below 65536 "
                           "is; rootless setgroups(2) is denied, so give none");
        return r;
}

/* Append ",gid" to a list of len bytes that keeps 4 of them for ",...": a gid that does
 * not fit ends the list there (*cut), never half written. */
static void append_gid(char *buf, size_t len, size_t *used, bool *cut, gid_t gid)
{
        size_t room = len - 4 - *used;
        int w;

        if (*cut)
                return;
        w = snprintf(buf + *used, room, "%s%u", *used ? "," : "", (unsigned)gid);
        if (w >= 0 && (size_t)w < room) {
                *used += (size_t)w;
                return;
        }
        *cut = true;
        snprintf(buf + *used, len - *used, ",...");
}

int process_caller_groups(char *buf, size_t len)
{
        int n = getgroups(0, NULL), kept = 0;
        _cleanup_free_ gid_t *all = NULL;
        gid_t egid = getegid();
        size_t used = 0;
        bool cut = len < 16; /* room for one gid and ",..." at least, or none listed */

        if (len)
                buf[0] = '\0';
        if (n <= 0)
                return n < 0 ? -errno : 0;
        if (!(all = calloc((size_t)n, sizeof(*all))))
                return -ENOMEM;
        if ((n = getgroups(n, all)) < 0) /* EINVAL: the list grew meanwhile; fail closed */
                return -errno;
        for (int i = 0; i < n; i++) {
                if (all[i] == egid)
                        continue;
                append_gid(buf, len, &used, &cut, all[i]);
                kept++;
        }
        return kept;
}

int process_check_caller_groups(const struct ward_config *c, struct ward_error *e)
{
        char groups[256];
        int n;

        if (geteuid() == 0 || c->in_place || !(c->unshare_flags & CLONE_NEWUSER) || c->keep_groups)
                return 0;
        if ((n = process_caller_groups(groups, sizeof(groups))) < 0)
                return ward_error_at(e, &c->keep_groups_origin, "Process.KeepGroups", -n,
                                     "cannot read your supplementary groups");
        if (n == 0)
                return 0;
        ward_error_at(e, &c->keep_groups_origin, "Process.KeepGroups", EPERM,
                      "rootless, the sandbox would keep your supplementary groups %s (host "
                      "gids): an unprivileged user namespace cannot drop them (setgroups(2) "
                      "is denied in it), so files those groups may read or write on the host "
                      "would be the sandbox's to read or write",
                      groups);
        ward_error_hint(e, "run ward as a user without supplementary groups (a service user; "
                           "systemd: User= without SupplementaryGroups=), or as root, which "
                           "clears them; or accept them: --keep-groups (Process.KeepGroups=yes)");
        return -EPERM;
}

/* Where setgroups(2) is denied, the groups we still hold are the caller's, seen as the
 * overflow gid unless mapped: the monitor refused them unless KeepGroups=yes, and this
 * checks again where it matters, in case anything added one since. */
static int keep_groups_checked(const struct ward_config *c, struct ward_error *e)
{
        char groups[256];
        int n = c->keep_groups ? 0 : process_caller_groups(groups, sizeof(groups));

        if (n == 0)
                return 0;
        ward_error_at(e, &c->keep_groups_origin, "Process.KeepGroups", n < 0 ? -n : EPERM,
                      "the sandbox still holds supplementary groups (%s), which its user "
                      "namespace cannot drop",
                      n < 0 ? "unreadable" : groups);
        ward_error_hint(e, "run ward as a user without supplementary groups, or as root; or "
                           "accept them with --keep-groups (Process.KeepGroups=yes)");
        return n < 0 ? n : -EPERM;
}

/* Supplementary groups exactly as given: none unless listed. Where setgroups(2) is denied
 * (a rootless user namespace) they cannot be changed, so asking for some fails closed. */
static int apply_groups(const struct ward_config *c, bool setgroups_allowed, struct ward_error *e)
{
        _cleanup_free_ gid_t *have = NULL;
        int n;

        if (!setgroups_allowed) {
                if (c->n_groups)
                        return groups_error(c, EPERM,
                                            "supplementary groups cannot be set in this user "
                                            "namespace (setgroups is denied)",
                                            e);
                return keep_groups_checked(c, e);
        }
        if (setgroups(c->n_groups, c->groups) < 0)
                return groups_error(c, errno, "cannot set the supplementary groups", e);
        if (!(have = calloc(c->n_groups + 1, sizeof(*have))))
                return groups_error(c, ENOMEM, "out of memory", e);
        n = getgroups((int)c->n_groups + 1, have);
        if (n < 0 || (size_t)n != c->n_groups ||
            (n && memcmp(have, c->groups, (size_t)n * sizeof(*have)) != 0))
                return groups_error(c, EPERM, "the supplementary groups did not change as asked",
                                    e);
        return 0;
}

int process_apply_creds(const struct ward_config *c, bool setgroups_allowed, struct ward_error *e)
{
        uid_t ruid, euid, suid;
        gid_t rgid, egid, sgid;
        int r;

        if (c->n_groups > WARD_MAX_GROUPS)
                return groups_error(c, EINVAL, "too many supplementary groups", e);
        if ((r = apply_groups(c, setgroups_allowed, e)) < 0)
                return r;
        /* Without it the permitted set would be emptied by the switch away from uid 0, and
         * caps_apply() could not keep anything for a non-root User=. */
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return creds_error(c, errno, "prctl(PR_SET_KEEPCAPS)", e);
        /* Group first: after setresuid() to non-root, CAP_SETGID is no longer effective. */
        if (setresgid(c->gid, c->gid, c->gid) < 0)
                return creds_error(c, errno, "cannot switch group", e);
        if (setresuid(c->uid, c->uid, c->uid) < 0)
                return creds_error(c, errno, "cannot switch user", e);
        if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0 ||
            ruid != c->uid || euid != c->uid || suid != c->uid || rgid != c->gid ||
            egid != c->gid || sgid != c->gid)
                return creds_error(c, EPERM, "the ids did not change as asked", e);
        return 0;
}

int process_apply_no_new_privs(const struct ward_config *c, struct ward_error *e)
{
        if (!c->no_new_privs)
                return 0;
        errno = 0;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
                int r = ward_error_at(e, &c->no_new_privs_origin, "Process.NoNewPrivileges",
                                      errno ? errno : EPERM, "cannot set no_new_privs");
                ward_error_hint(e, "no_new_privs needs Linux >= 3.5; there is no way around it "
                                   "but a newer kernel");
                return r;
        }
        return 0;
}

/* The kernel lets anyone raise a score but only CAP_SYS_RESOURCE in the host's user
 * namespace lower it below where the process started, so the monitor writes it for the
 * sandbox from outside (in place, ward writes its own before dropping capabilities). */
int process_set_oom_score_adj(const struct ward_config *c, pid_t pid, struct ward_error *e)
{
        char path[64], value[16];
        int fd, n, err = 0;

        if (!c->oom_score_adj_set)
                return 0;
        if (pid)
                snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
        else
                snprintf(path, sizeof(path), "/proc/self/oom_score_adj");
        n = snprintf(value, sizeof(value), "%d", c->oom_score_adj);
        if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0 ||
            write(fd, value, (size_t)n) != n)
                err = errno ? errno : EIO;
        if (fd >= 0)
                close(fd);
        if (!err)
                return 0;
        ward_error_at(e, &c->oom_score_adj_origin, "Process.OOMScoreAdjust", err,
                      "cannot set the OOM score adjustment to %d", c->oom_score_adj);
        if (err == EACCES || err == EPERM)
                ward_error_hint(e, "lowering it below the score ward started with (cat "
                                   "/proc/self/oom_score_adj) needs CAP_SYS_RESOURCE: run ward "
                                   "as root with that capability, or ask for a value at or "
                                   "above it");
        return -err;
}

char **process_environment(const struct ward_config *c)
{
        static char *empty[] = {NULL};

        return c->env ? c->env : empty;
}
