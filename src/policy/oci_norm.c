/* The normalizer between an OCI config.json and the policy's facts (oci_norm.h). */
#include "ward/oci_norm.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/syscalls.h"
#include "ward/util.h"

/* ------------------------------------------------------------------------------------- */
/* Paths                                                                                 */

/* Append component c (len n) to out, handling "." and "..". */
static int push_component(char *out, size_t *used, size_t len, const char *c, size_t n)
{
        if (n == 0 || (n == 1 && c[0] == '.'))
                return 0;
        if (n == 2 && c[0] == '.' && c[1] == '.') {
                /* ".." of the root is the root, as the kernel has it. */
                while (*used > 0 && out[*used - 1] != '/')
                        (*used)--;
                if (*used > 0)
                        (*used)--;
                out[*used] = '\0';
                return 0;
        }
        if (*used + 1 + n + 1 > len)
                return -ENAMETOOLONG;
        out[(*used)++] = '/';
        memcpy(out + *used, c, n);
        *used += n;
        out[*used] = '\0';
        return 0;
}

static int push_path(char *out, size_t *used, size_t len, const char *path)
{
        while (*path) {
                const char *end = strchrnul(path, '/');
                int r = push_component(out, used, len, path, (size_t)(end - path));
                if (r < 0)
                        return r;
                path = *end ? end + 1 : end;
        }
        return 0;
}

int oci_path_lexical(const char *base, const char *path, char *out, size_t len)
{
        size_t used = 0;
        int r = 0;

        if (len < 2)
                return -ENAMETOOLONG;
        out[0] = '\0';
        if (path[0] != '/' && base)
                r = push_path(out, &used, len, base);
        if (r >= 0)
                r = push_path(out, &used, len, path);
        if (r < 0)
                return r;
        if (used == 0)
                strcpy(out, "/");
        return 0;
}

/* The host path of an O_PATH fd. */
static int fd_path(int fd, char *out, size_t len)
{
        char link[64];
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, out, len - 1);
        if (n < 0)
                return -errno;
        if ((size_t)n >= len - 1)
                return -ENAMETOOLONG;
        out[n] = '\0';
        return out[0] == '/' ? 0 : -EINVAL;
}

/* Resolve abs (absolute, lexically unnormalized) on the host: symlinks are followed as
 * mount(2) follows them; a magic link (/proc/PID/root, /proc/self/fd/N) is not, and the
 * path is then judged lexically. O_PATH opens nothing: no FIFO blocks, no device opens. */
static int resolve_existing(const char *abs, char *out, size_t len)
{
        struct open_how how = {
            .flags = O_PATH | O_CLOEXEC,
            .resolve = RESOLVE_NO_MAGICLINKS,
        };
        _cleanup_close_ int fd = ward_openat2(AT_FDCWD, abs, &how);

        if (fd < 0)
                return -errno;
        return fd_path(fd, out, len);
}

int oci_path_resolve(const struct oci_host *host, const char *path, char *out, size_t len,
                     bool *existed)
{
        char abs[OCI_PATH_MAX], prefix[OCI_PATH_MAX], real[OCI_PATH_MAX];
        int r;

        *existed = false;
        if (!host)
                return oci_path_lexical(NULL, path, out, len);
        if (path[0] == '/')
                r = snprintf(abs, sizeof(abs), "%s", path);
        else
                r = snprintf(abs, sizeof(abs), "%s/%s", host->bundle ? host->bundle : "", path);
        if (r < 0 || (size_t)r >= sizeof(abs))
                return -ENAMETOOLONG;
        if (abs[0] != '/') {
                /* A bundle given relative to where ward runs. */
                char cwd[OCI_PATH_MAX];
                if (!getcwd(cwd, sizeof(cwd)))
                        return oci_path_lexical(NULL, abs, out, len);
                if (oci_path_lexical(cwd, abs, prefix, sizeof(prefix)) < 0)
                        return -ENAMETOOLONG;
                snprintf(abs, sizeof(abs), "%s", prefix);
        }
        if (resolve_existing(abs, real, sizeof(real)) == 0) {
                *existed = true;
                return oci_path_lexical(NULL, real, out, len);
        }
        /* The longest prefix that exists, resolved; the rest by name. */
        snprintf(prefix, sizeof(prefix), "%s", abs);
        for (char *slash = strrchr(prefix, '/'); slash; slash = strrchr(prefix, '/')) {
                *slash = '\0';
                if (resolve_existing(prefix[0] ? prefix : "/", real, sizeof(real)) < 0)
                        continue;
                return oci_path_lexical(real, abs + (slash - prefix) + 1, out, len);
        }
        return oci_path_lexical(NULL, abs, out, len);
}

/* ------------------------------------------------------------------------------------- */
/* Mount options                                                                         */

void oci_mount_options(const char *const *opts, size_t n, struct oci_mount_opts *out)
{
        static const struct {
                const char *name;
                size_t off;
                bool value;
        } flags[] = {
            {"ro", offsetof(struct oci_mount_opts, ro), true},
            {"rw", offsetof(struct oci_mount_opts, ro), false},
            {"nosuid", offsetof(struct oci_mount_opts, nosuid), true},
            {"suid", offsetof(struct oci_mount_opts, nosuid), false},
            {"nodev", offsetof(struct oci_mount_opts, nodev), true},
            {"dev", offsetof(struct oci_mount_opts, nodev), false},
            {"noexec", offsetof(struct oci_mount_opts, noexec), true},
            {"exec", offsetof(struct oci_mount_opts, noexec), false},
        };

        memset(out, 0, sizeof(*out));
        for (size_t i = 0; i < n; i++) {
                const char *o = opts[i];
                if (strcmp(o, "bind") == 0 || strcmp(o, "rbind") == 0) {
                        out->bind = true;
                        out->recursive = out->recursive || o[0] == 'r';
                        continue;
                }
                for (size_t k = 0; k < ARRAY_SIZE(flags); k++)
                        if (strcmp(o, flags[k].name) == 0)
                                *(bool *)((char *)out + flags[k].off) = flags[k].value;
        }
}

/* ------------------------------------------------------------------------------------- */
/* Overlay layers                                                                        */

/* One layer of s (up to an unescaped ':' when split), unescaped, malloc'd; *next after it. */
static char *take_layer(const char *s, bool split, const char **next)
{
        char *out = malloc(strlen(s) + 1), *o = out;

        if (!out)
                return NULL;
        while (*s && !(split && *s == ':')) {
                if (*s == '\\' && s[1])
                        s++;
                *o++ = *s++;
        }
        *o = '\0';
        *next = *s ? s + 1 : s;
        return out;
}

static int add_layers(const char *value, bool split, bool writable, char **layers, bool *w,
                      size_t *count, size_t max)
{
        const char *s = value;

        do {
                if (*count >= max)
                        return -E2BIG;
                if (!(layers[*count] = take_layer(s, split, &s)))
                        return -ENOMEM;
                w[(*count)++] = writable;
        } while (*s);
        return 0;
}

int oci_overlay_layers(const char *const *opts, size_t n, char **layers, bool *writable, size_t max)
{
        static const struct {
                const char *prefix;
                bool split, writable;
        } keys[] = {
            {"lowerdir=", true, false}, {"lowerdir+=", false, false}, {"datadir+=", false, false},
            {"upperdir=", false, true}, {"workdir=", false, true},
        };
        size_t count = 0;

        for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
                        size_t pl = strlen(keys[k].prefix);
                        if (strncmp(opts[i], keys[k].prefix, pl) != 0 || !opts[i][pl])
                                continue;
                        int r = add_layers(opts[i] + pl, keys[k].split, keys[k].writable, layers,
                                           writable, &count, max);
                        if (r < 0) {
                                while (count)
                                        free(layers[--count]);
                                return r;
                        }
                }
        return (int)count;
}

/* ------------------------------------------------------------------------------------- */
/* Namespaces                                                                            */

static bool lexically_own(const char *path)
{
        char norm[OCI_PATH_MAX];

        if (oci_path_lexical(NULL, path, norm, sizeof(norm)) < 0)
                return false;
        return strncmp(norm, "/proc/1/", 8) == 0 || strncmp(norm, "/proc/self/", 11) == 0 ||
               strncmp(norm, "/proc/thread-self/", 18) == 0;
}

enum oci_ns_kind oci_ns_classify(const struct oci_host *host, const char *path, const char *type)
{
        char host_ns[256];
        struct stat a, b;

        /* The hook runs in the host's namespaces: its own are the host's, and so are the
         * first process's. */
        if (lexically_own(path))
                return OCI_NS_HOST;
        if (!host || stat(path, &a) < 0)
                return OCI_NS_UNKNOWN;
        snprintf(host_ns, sizeof(host_ns), "%s/1/ns/%s", host->proc_root, type);
        if (stat(host_ns, &b) < 0) {
                /* Not root (hidepid, or another user's init): our own namespace is the
                 * host's when ward itself runs on the host. */
                snprintf(host_ns, sizeof(host_ns), "%s/self/ns/%s", host->proc_root, type);
                if (stat(host_ns, &b) < 0)
                        return OCI_NS_UNKNOWN;
        }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino ? OCI_NS_HOST : OCI_NS_JOINED;
}

/* ------------------------------------------------------------------------------------- */
/* Dangerous system calls                                                                */

static const struct oci_call calls[] = {
    {"mount", OCI_CALL_ESCAPE, false},
    {"umount2", OCI_CALL_ESCAPE, false},
    {"umount", OCI_CALL_ESCAPE, false},
    {"pivot_root", OCI_CALL_ESCAPE, false},
    {"fsopen", OCI_CALL_ESCAPE, false},
    {"fsconfig", OCI_CALL_ESCAPE, false},
    {"fsmount", OCI_CALL_ESCAPE, false},
    {"fspick", OCI_CALL_ESCAPE, false},
    {"move_mount", OCI_CALL_ESCAPE, false},
    {"open_tree", OCI_CALL_ESCAPE, false},
    {"mount_setattr", OCI_CALL_ESCAPE, false},
    {"unshare", OCI_CALL_ESCAPE, true},
    {"clone", OCI_CALL_ESCAPE, true},
    {"clone3", OCI_CALL_ESCAPE,
     false}, /* its flags are behind a pointer: no filter can read them */
    {"setns", OCI_CALL_ESCAPE, false},
    {"open_by_handle_at", OCI_CALL_ESCAPE, false},
    {"init_module", OCI_CALL_ESCAPE, false},
    {"finit_module", OCI_CALL_ESCAPE, false},
    {"delete_module", OCI_CALL_ESCAPE, false},
    {"kexec_load", OCI_CALL_ESCAPE, false},
    {"kexec_file_load", OCI_CALL_ESCAPE, false},
    {"bpf", OCI_CALL_ESCAPE, false},
    {"iopl", OCI_CALL_ESCAPE, false},
    {"ioperm", OCI_CALL_ESCAPE, false},
    {"swapon", OCI_CALL_ESCAPE, false},
    {"swapoff", OCI_CALL_ESCAPE, false},
    {"reboot", OCI_CALL_ESCAPE, false},
    {"ptrace", OCI_CALL_SURFACE, false},
    {"process_vm_readv", OCI_CALL_SURFACE, false},
    {"process_vm_writev", OCI_CALL_SURFACE, false},
    {"keyctl", OCI_CALL_SURFACE, false},
    {"add_key", OCI_CALL_SURFACE, false},
    {"request_key", OCI_CALL_SURFACE, false},
    {"perf_event_open", OCI_CALL_SURFACE, false},
    {"userfaultfd", OCI_CALL_SURFACE, false},
    {"name_to_handle_at", OCI_CALL_SURFACE, false},
    {"acct", OCI_CALL_SURFACE, false},
    {"quotactl", OCI_CALL_SURFACE, false},
    {"syslog", OCI_CALL_SURFACE, false},
    {"settimeofday", OCI_CALL_SURFACE, false},
    {"clock_settime", OCI_CALL_SURFACE, false},
    {"lookup_dcookie", OCI_CALL_SURFACE, false},
    {"uselib", OCI_CALL_SURFACE, false},
};
_Static_assert(ARRAY_SIZE(calls) <= 64, "a reachable mask is 64 bits");

const struct oci_call *oci_dangerous_calls(size_t *n)
{
        *n = ARRAY_SIZE(calls);
        return calls;
}

uint64_t oci_calls_of_tier(enum oci_call_tier tier)
{
        uint64_t mask = 0;

        for (size_t i = 0; i < ARRAY_SIZE(calls); i++)
                if (calls[i].tier == tier)
                        mask |= UINT64_C(1) << i;
        return mask;
}

/* ------------------------------------------------------------------------------------- */
/* Seccomp profiles                                                                      */

/* What an action does with the call. A tracer (TRACE) or a user-space supervisor (NOTIFY)
 * may let it run, or run it on the process's behalf with privileges of its own: what ward
 * does not know it cannot count as a refusal, nor as the kernel's own check. */
enum action_kind { ACT_REFUSES, ACT_ALLOWS, ACT_DELEGATES, ACT_UNKNOWN };

static enum action_kind action_kind(const char *action, char *note, size_t len)
{
        static const char *const refusing[] = {"SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
                                               "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                                               "SCMP_ACT_TRAP"};
        static const char *const allowing[] = {"SCMP_ACT_ALLOW", "SCMP_ACT_LOG"};
        static const char *const delegating[] = {"SCMP_ACT_TRACE", "SCMP_ACT_NOTIFY"};

        for (size_t i = 0; i < ARRAY_SIZE(refusing); i++)
                if (strcmp(action, refusing[i]) == 0)
                        return ACT_REFUSES;
        for (size_t i = 0; i < ARRAY_SIZE(allowing); i++)
                if (strcmp(action, allowing[i]) == 0)
                        return ACT_ALLOWS;
        for (size_t i = 0; i < ARRAY_SIZE(delegating); i++)
                if (strcmp(action, delegating[i]) == 0)
                        return ACT_DELEGATES;
        if (note && !note[0])
                snprintf(note, len, "unknown action %.64s read as allowing", action);
        return ACT_UNKNOWN;
}

/* Which reaching actions count: every one, or only those that leave the decision to
 * another process (or that ward does not know). */
enum reach_mode { REACH_ANY, REACH_DELEGATED };

static bool action_reaches(const char *action, enum reach_mode mode, char *note, size_t len)
{
        enum action_kind k = action_kind(action, note, len);

        return k == ACT_DELEGATES || k == ACT_UNKNOWN || (k == ACT_ALLOWS && mode == REACH_ANY);
}

static const char *string_of(const json_t *obj, const char *key)
{
        const json_t *v = json_object_get(obj, key);
        return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool list_has(const json_t *arr, const char *const *names, size_t n)
{
        size_t i;
        json_t *v;

        json_array_foreach(arr, i, v)
        {
                for (size_t k = 0; json_is_string(v) && k < n; k++)
                        if (strcmp(json_string_value(v), names[k]) == 0)
                                return true;
        }
        return false;
}

/* A capability name list ("CAP_SYS_ADMIN") against the caps held. */
static bool holds_any(const json_t *arr, uint64_t caps)
{
        size_t i;
        json_t *v;
        int cap;

        json_array_foreach(arr, i, v)
        {
                if (json_is_string(v) && caps_from_name(json_string_value(v), &cap) == 0 &&
                    (caps & (UINT64_C(1) << cap)))
                        return true;
        }
        return false;
}

/* Whether the rule is part of the filter for this container: includes/excludes by
 * capability and architecture, as Docker and containers-common profiles use them. */
static bool rule_applies(const json_t *rule, uint64_t caps)
{
        static const char *const x86_64[] = {"amd64", "x86_64", "SCMP_ARCH_X86_64"};
        const json_t *inc = json_object_get(rule, "includes");
        const json_t *exc = json_object_get(rule, "excludes");
        const json_t *v;

        if (json_is_object(inc)) {
                if ((v = json_object_get(inc, "caps")) && json_array_size(v) && !holds_any(v, caps))
                        return false;
                if ((v = json_object_get(inc, "arches")) && json_array_size(v) &&
                    !list_has(v, x86_64, ARRAY_SIZE(x86_64)))
                        return false;
        }
        if (json_is_object(exc)) {
                if ((v = json_object_get(exc, "caps")) && holds_any(v, caps))
                        return false;
                if ((v = json_object_get(exc, "arches")) && list_has(v, x86_64, ARRAY_SIZE(x86_64)))
                        return false;
        }
        return true;
}

static bool rule_names(const json_t *rule, const char *call)
{
        const char *one = string_of(rule, "name");

        return (one && strcmp(one, call) == 0) ||
               list_has(json_object_get(rule, "names"), &call, 1);
}

enum match { M_NO, M_YES, M_MAYBE };

static enum match cond_match(const json_t *cond, const uint64_t *arg0)
{
        const json_t *idx = json_object_get(cond, "index");
        const char *op = string_of(cond, "op");
        double dv = json_number_value(json_object_get(cond, "value"));
        double dv2 = json_number_value(json_object_get(cond, "valueTwo"));
        uint64_t v = dv > 0 ? (uint64_t)dv : 0, v2 = dv2 > 0 ? (uint64_t)dv2 : 0, a;

        if (!arg0 || !json_is_number(idx) || json_number_value(idx) != 0 || !op)
                return M_MAYBE;
        a = *arg0;
        if (strcmp(op, "SCMP_CMP_MASKED_EQ") == 0)
                return (a & v) == v2 ? M_YES : M_NO;
        if (strcmp(op, "SCMP_CMP_EQ") == 0)
                return a == v ? M_YES : M_NO;
        if (strcmp(op, "SCMP_CMP_NE") == 0)
                return a != v ? M_YES : M_NO;
        if (strcmp(op, "SCMP_CMP_LT") == 0)
                return a < v ? M_YES : M_NO;
        if (strcmp(op, "SCMP_CMP_LE") == 0)
                return a <= v ? M_YES : M_NO;
        if (strcmp(op, "SCMP_CMP_GT") == 0)
                return a > v ? M_YES : M_NO;
        if (strcmp(op, "SCMP_CMP_GE") == 0)
                return a >= v ? M_YES : M_NO;
        return M_MAYBE;
}

/* The conditions of a rule are all required (libseccomp ANDs them). */
static enum match rule_match(const json_t *rule, const uint64_t *arg0)
{
        const json_t *args = json_object_get(rule, "args");
        enum match m = M_YES;
        size_t i;
        json_t *c;

        json_array_foreach(args, i, c)
        {
                enum match one = json_is_object(c) ? cond_match(c, arg0) : M_MAYBE;
                if (one == M_NO)
                        return M_NO;
                if (one == M_MAYBE)
                        m = M_MAYBE;
        }
        return m;
}

/* One call with arg0 (NULL: any arguments). An allowing rule that may match lets it
 * through; a refusing rule stops it only when it surely matches. */
static bool call_reachable(const json_t *seccomp, bool default_reaches, const char *call,
                           const uint64_t *arg0, uint64_t caps, enum reach_mode mode, char *note,
                           size_t len)
{
        const json_t *rules = json_object_get(seccomp, "syscalls");
        bool refused = false;
        size_t i;
        json_t *rule;

        json_array_foreach(rules, i, rule)
        {
                const char *action = string_of(rule, "action");
                if (!json_is_object(rule) || !action || !rule_names(rule, call) ||
                    !rule_applies(rule, caps))
                        continue;
                enum match m = rule_match(rule, arg0);
                enum action_kind k = action_kind(action, note, len);
                if (k == ACT_REFUSES) {
                        if (m == M_YES)
                                refused = true;
                } else if (action_reaches(action, mode, note, len) && m != M_NO) {
                        return true;
                }
        }
        return default_reaches && !refused;
}

/* clone and unshare are dangerous with a namespace flag: try each, alone and as a
 * program would pass them. */
static bool ns_call_reachable(const json_t *seccomp, bool def, const char *call, uint64_t caps,
                              enum reach_mode mode, char *note, size_t len)
{
        static const uint64_t ns[] = {CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
                                      CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET};
        uint64_t all = 0;

        for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
                uint64_t probes[] = {ns[i], ns[i] | SIGCHLD, ns[i] | CLONE_NEWUSER};
                all |= ns[i];
                for (size_t k = 0; k < ARRAY_SIZE(probes); k++)
                        if (call_reachable(seccomp, def, call, &probes[k], caps, mode, note, len))
                                return true;
        }
        return call_reachable(seccomp, def, call, &all, caps, mode, note, len);
}

static uint64_t seccomp_mask(const json_t *seccomp, uint64_t caps, enum reach_mode mode, char *note,
                             size_t len)
{
        const char *def = string_of(seccomp, "defaultAction");
        bool def_reaches = !def || action_reaches(def, mode, note, len);
        uint64_t mask = 0;

        for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
                bool r = calls[i].ns_flags ? ns_call_reachable(seccomp, def_reaches, calls[i].name,
                                                               caps, mode, note, len)
                                           : call_reachable(seccomp, def_reaches, calls[i].name,
                                                            NULL, caps, mode, note, len);
                if (r)
                        mask |= UINT64_C(1) << i;
        }
        return mask;
}

uint64_t oci_seccomp_reachable(const json_t *seccomp, uint64_t caps, char *note, size_t len)
{
        return seccomp_mask(seccomp, caps, REACH_ANY, note, len);
}

uint64_t oci_seccomp_delegated(const json_t *seccomp, uint64_t caps)
{
        return seccomp_mask(seccomp, caps, REACH_DELEGATED, NULL, 0);
}

/* ------------------------------------------------------------------------------------- */
/* Device cgroup rules                                                                   */

#define ANY_NUMBER (-1)
#define UNNAMED 0x7ffffff0 /* a number no real rule names: "any other device" */

struct dev_probe {
        char type;
        long major, minor;
        const char *what;
};

static const struct dev_probe dev_probes[] = {
    {'c', UNNAMED, UNNAMED, "every char device"},
    {'b', UNNAMED, UNNAMED, "every block device"},
    {'b', 8, 0, "b 8:0 (SCSI/SATA disk)"},
    {'b', 259, 0, "b 259:0 (NVMe disk)"},
    {'b', 253, 0, "b 253:0 (device-mapper)"},
    {'b', 7, 0, "b 7:0 (loop)"},
    {'b', 179, 0, "b 179:0 (MMC disk)"},
    {'c', 1, 1, "c 1:1 (/dev/mem)"},
    {'c', 1, 2, "c 1:2 (/dev/kmem)"},
    {'c', 1, 4, "c 1:4 (/dev/port)"},
    {'c', 1, 11, "c 1:11 (/dev/kmsg)"},
    {'c', 10, 130, "c 10:130 (watchdog)"},
    {'c', 10, 236, "c 10:236 (device-mapper control)"},
    {'c', 10, 237, "c 10:237 (loop-control)"},
    {'c', 202, 0, "c 202:0 (cpu MSRs)"},
};

/* A rule's number: absent, null or negative is every number. */
static long rule_number(const json_t *rule, const char *key)
{
        const json_t *v = json_object_get(rule, key);
        return json_is_number(v) && json_number_value(v) >= 0 ? (long)json_number_value(v)
                                                              : ANY_NUMBER;
}

static bool rule_covers(const json_t *rule, const struct dev_probe *p)
{
        const char *type = string_of(rule, "type");
        long major = rule_number(rule, "major"), minor = rule_number(rule, "minor");

        if (type && strcmp(type, "a") != 0 && !(type[0] == p->type && !type[1]))
                return false;
        return (major == ANY_NUMBER || major == p->major) &&
               (minor == ANY_NUMBER || minor == p->minor);
}

/* 'r' and 'w' open the device; 'm' only creates a node, which opens nothing. */
static unsigned access_bits(const json_t *rule)
{
        const char *a = string_of(rule, "access");
        unsigned bits = 0;

        if (!a)
                return 3; /* the spec's default is "rwm" */
        bits |= strchr(a, 'r') ? 1 : 0;
        bits |= strchr(a, 'w') ? 2 : 0;
        return bits;
}

void oci_device_access(const json_t *rules, char *out, size_t len)
{
        bool every[2] = {false, false}; /* char, block: "every" said it all */

        out[0] = '\0';
        for (size_t k = 0; k < ARRAY_SIZE(dev_probes); k++) {
                unsigned open_bits = 0; /* the runtime starts from deny-all */
                bool *all = &every[dev_probes[k].type == 'b'];
                size_t i;
                json_t *rule;

                if (*all)
                        continue;

                json_array_foreach(rules, i, rule)
                {
                        if (!json_is_object(rule) || !rule_covers(rule, &dev_probes[k]))
                                continue;
                        if (json_is_true(json_object_get(rule, "allow")))
                                open_bits |= access_bits(rule);
                        else
                                open_bits &= ~access_bits(rule);
                }
                if (!open_bits)
                        continue;
                *all = dev_probes[k].major == UNNAMED;
                size_t used = strlen(out);
                snprintf(out + used, len - used, "%s%s", used ? ", " : "", dev_probes[k].what);
        }
}
