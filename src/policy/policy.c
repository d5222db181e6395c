/* The hardening rules, written once over struct ward_facts, and the exposure score.
 *
 * Each rule is one function used two ways: with max == NULL it says whether the facts trip
 * the rule (`ward check`); with max set it says whether the facts go beyond what max allows
 * (`ward hook`, where max is the policy profile read as the maximum permissions). */
#include "ward/policy.h"
#include "ward/seccomp.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ward/caps.h"
#include "ward/oci_norm.h"
#include "ward/util.h"

/* ------------------------------------------------------------------------------------- */
/* Severities                                                                            */

static const char *const severity_names[] = {"none", "info", "low", "medium", "high", "critical"};

int policy_severity_from_name(const char *name, enum ward_severity *out)
{
        for (size_t i = 0; i < ARRAY_SIZE(severity_names); i++)
                if (strcasecmp(name, severity_names[i]) == 0) {
                        *out = (enum ward_severity)i;
                        return 0;
                }
        return -EINVAL;
}

const char *policy_severity_name(enum ward_severity s)
{
        return (size_t)s < ARRAY_SIZE(severity_names) ? severity_names[s] : "?";
}

/* ------------------------------------------------------------------------------------- */
/* Detail text                                                                           */

/* Append a word to a detail buffer, space separated; silently truncated when full. Control
 * characters (from a hostile config.json's paths) become '?', so that a finding stays one
 * line on a terminal and in syslog. */
__attribute__((format(printf, 3, 4))) static void detail_add(char *buf, size_t len, const char *fmt,
                                                             ...)
{
        size_t used = strlen(buf);
        va_list ap;

        if (used + 2 >= len)
                return;
        if (used)
                buf[used++] = ' ';
        va_start(ap, fmt);
        vsnprintf(buf + used, len - used, fmt, ap);
        va_end(ap);
        for (char *p = buf + used; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = '?';
}

/* ------------------------------------------------------------------------------------- */
/* Paths                                                                                 */

/* True when path is dir or below it. */
static bool path_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        if (strcmp(dir, "/") == 0)
                return path[0] == '/';
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* /var/run is /run on every current distribution: match both spellings. */
static const char *run_alias(const char *path, char *buf, size_t len)
{
        if (path_under(path, "/var/run")) {
                snprintf(buf, len, "/run%s", path + strlen("/var/run"));
                return buf;
        }
        return path;
}

static const char *base_name(const char *path)
{
        const char *slash = strrchr(path, '/');
        return slash ? slash + 1 : path;
}

/* Container engines' API sockets: whoever reaches one can start a privileged container. */
static bool engine_socket(const char *source)
{
        static const char *const sockets[] = {"docker.sock", "containerd.sock", "crio.sock",
                                              "podman.sock", "dockershim.sock", "cri-dockerd.sock"};
        static const char *const dirs[] = {"/run/docker", "/run/containerd", "/run/crio",
                                           "/run/podman"};
        char buf[4096];
        const char *p = run_alias(source, buf, sizeof(buf));

        for (size_t i = 0; i < ARRAY_SIZE(sockets); i++)
                if (strcmp(base_name(p), sockets[i]) == 0)
                        return true;
        for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
                if (path_under(p, dirs[i]))
                        return true;
        return false;
}

/* Device nodes every container gets; access to them gives nothing of the host's. */
static bool safe_device(const char *path)
{
        static const char *const safe[] = {"/dev/null",    "/dev/zero",    "/dev/full",
                                           "/dev/random",  "/dev/urandom", "/dev/tty",
                                           "/dev/console", "/dev/ptmx"};

        for (size_t i = 0; i < ARRAY_SIZE(safe); i++)
                if (strcmp(path, safe[i]) == 0)
                        return true;
        /* Not devices of the host: the container's own pts, shm and mqueue instances. */
        return path_under(path, "/dev/pts") || path_under(path, "/dev/shm") ||
               path_under(path, "/dev/mqueue");
}

/* A bind of the host's system directories (other than / and devices, which have rules of
 * their own): the kernel's tunables, the host's configuration or its runtime state. */
static bool system_path(const struct ward_fact_mount *m)
{
        static const char *const exact[] = {"/proc", "/sys", "/dev", "/etc", "/run"};
        char buf[4096];
        const char *p = run_alias(m->source, buf, sizeof(buf));

        for (size_t i = 0; i < ARRAY_SIZE(exact); i++)
                if (strcmp(p, exact[i]) == 0)
                        return true;
        return path_under(p, "/proc") || path_under(p, "/sys") ||
               (m->writable && path_under(p, "/etc"));
}

void policy_normalize_path(char *path)
{
        char *out = path;
        const char *in = path;

        while (*in) {
                if (*in == '/' && (in[1] == '/' || (in[1] == '.' && (in[2] == '/' || !in[2])))) {
                        in += in[1] == '/' ? 1 : 2;
                        continue;
                }
                *out++ = *in++;
        }
        *out = '\0';
        if (out > path + 1 && out[-1] == '/')
                out[-1] = '\0';
        if (!path[0] && in != path)
                strcpy(path, "/");
}

/* ------------------------------------------------------------------------------------- */
/* Facts                                                                                 */

void policy_facts_init(struct ward_facts *f, enum ward_facts_kind kind)
{
        memset(f, 0, sizeof(*f));
        f->kind = kind;
        f->nofile = RLIM_INFINITY;
        f->nproc = RLIM_INFINITY;
}

void policy_facts_free(struct ward_facts *f)
{
        for (size_t i = 0; i < f->n_mounts; i++) {
                free(f->mounts[i].source);
                free(f->mounts[i].destination);
        }
        free(f->mounts);
        for (int n = 0; n < WARD_NS_COUNT; n++)
                free(f->ns_joined[n]);
        free(f->device_access);
        config_clear_strings(&f->kernel_fs, &f->n_kernel_fs);
        config_clear_strings(&f->devices, &f->n_devices);
        config_clear_strings(&f->masked_paths, &f->n_masked_paths);
        config_clear_strings(&f->readonly_paths, &f->n_readonly_paths);
        policy_facts_init(f, f->kind);
}

int policy_facts_add_mount(struct ward_facts *f, const char *source, const char *destination,
                           bool writable)
{
        return policy_facts_add_mount_via(f, source, destination, writable, WARD_VIA_BIND);
}

int policy_facts_add_mount_via(struct ward_facts *f, const char *source, const char *destination,
                               bool writable, enum ward_mount_via via)
{
        struct ward_fact_mount *grown = ward_grow(f->mounts, f->n_mounts, sizeof(*grown));
        struct ward_fact_mount m = {.writable = writable, .via = via};

        if (!grown)
                return -ENOMEM;
        f->mounts = grown;
        m.source = source ? strdup(source) : NULL;
        m.destination = strdup(destination ? destination : "");
        if ((source && !m.source) || !m.destination) {
                free(m.source);
                free(m.destination);
                return -ENOMEM;
        }
        if (m.source)
                policy_normalize_path(m.source);
        policy_normalize_path(m.destination);
        grown[f->n_mounts++] = m;
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Capabilities                                                                          */

/* Every capability a runtime of the last ten years knows (CHOWN .. AUDIT_READ): keeping all
 * of them is what --privileged does, whatever newer ones the kernel adds. */
#define CLASSIC_CAPS ((UINT64_C(1) << (CAP_AUDIT_READ + 1)) - 1)

static uint64_t dangerous_caps(void)
{
        static const int caps[] = {
            CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_SYS_MODULE, CAP_NET_ADMIN,    CAP_DAC_READ_SEARCH,
            CAP_SYS_RAWIO, CAP_SYS_BOOT,   CAP_SYS_TIME,   CAP_MAC_ADMIN,    CAP_MAC_OVERRIDE,
            CAP_SYSLOG,    CAP_BPF,        CAP_PERFMON,    CAP_SYS_RESOURCE, CAP_LINUX_IMMUTABLE,
        };
        uint64_t mask = 0;

        for (size_t i = 0; i < ARRAY_SIZE(caps); i++)
                mask |= UINT64_C(1) << caps[i];
        return mask;
}

static bool privileged(const struct ward_facts *f)
{
        return (f->caps & CLASSIC_CAPS) == CLASSIC_CAPS;
}

static void caps_detail(uint64_t mask, char *detail, size_t len)
{
        for (int i = 0; i < 64; i++)
                if (mask & (UINT64_C(1) << i)) {
                        const char *n = caps_to_name(i);
                        if (n)
                                detail_add(detail, len, "%s", n);
                        else
                                detail_add(detail, len, "cap_%d", i);
                }
}

/* ------------------------------------------------------------------------------------- */
/* The rules                                                                             */

typedef bool (*rule_fn)(const struct ward_facts *f, const struct ward_facts *max, char *detail,
                        size_t len);

/* For a yes/no rule: trips on f, and (when comparing) max does not allow it. */
#define BEYOND(f, max, cond) ((cond)(f) && (!(max) || !(cond)(max)))

static bool r_privileged(const struct ward_facts *f, const struct ward_facts *max, char *d,
                         size_t len)
{
        (void)d, (void)len;
        return BEYOND(f, max, privileged);
}

static bool caps_beyond(const struct ward_facts *f, const struct ward_facts *max, uint64_t kind,
                        char *d, size_t len)
{
        uint64_t extra = f->caps & kind;

        if (privileged(f) && (!max || !privileged(max)))
                return false; /* reported once, as W001 */
        if (max)
                extra &= ~max->caps;
        caps_detail(extra, d, len);
        return extra != 0;
}

static bool r_dangerous_caps(const struct ward_facts *f, const struct ward_facts *max, char *d,
                             size_t len)
{
        return caps_beyond(f, max, dangerous_caps(), d, len);
}

static bool r_other_caps(const struct ward_facts *f, const struct ward_facts *max, char *d,
                         size_t len)
{
        return caps_beyond(f, max, ~dangerous_caps(), d, len);
}

static bool host_root(const struct ward_facts *f)
{
        return f->host_ns[WARD_NS_USER] && f->root_inside;
}

static bool r_host_root(const struct ward_facts *f, const struct ward_facts *max, char *d,
                        size_t len)
{
        (void)d, (void)len;
        return BEYOND(f, max, host_root);
}

static bool root_mapped(const struct ward_facts *f)
{
        return !f->host_ns[WARD_NS_USER] && f->host_root_mapped;
}

static bool r_root_mapped(const struct ward_facts *f, const struct ward_facts *max, char *d,
                          size_t len)
{
        (void)d, (void)len;
        return BEYOND(f, max, root_mapped);
}

static bool keeps_groups(const struct ward_facts *f)
{
        return f->keeps_caller_groups;
}

static bool r_keep_groups(const struct ward_facts *f, const struct ward_facts *max, char *d,
                          size_t len)
{
        if (!BEYOND(f, max, keeps_groups))
                return false;
        detail_add(d, len, "KeepGroups=yes");
        if (f->caller_groups[0])
                detail_add(d, len, "(you: groups %s, host gids)", f->caller_groups);
        return true;
}

static bool ns_shared(const struct ward_facts *f, const struct ward_facts *max, int ns)
{
        return f->host_ns[ns] && (!max || !max->host_ns[ns]);
}

#define NS_RULE(fn, ns)                                                                            \
        static bool fn(const struct ward_facts *f, const struct ward_facts *max, char *d,          \
                       size_t len)                                                                 \
        {                                                                                          \
                (void)d, (void)len;                                                                \
                return ns_shared(f, max, ns);                                                      \
        }
NS_RULE(r_host_pid, WARD_NS_PID)
NS_RULE(r_host_net, WARD_NS_NET)
NS_RULE(r_host_ipc, WARD_NS_IPC)
NS_RULE(r_host_uts, WARD_NS_UTS)
NS_RULE(r_host_mount, WARD_NS_MOUNT)
NS_RULE(r_host_cgroup, WARD_NS_CGROUP)

/* Joined by path: shared with whatever made that namespace. A policy that allows the host's
 * own namespace of that type allows joining any other. */
static bool r_joined_ns(const struct ward_facts *f, const struct ward_facts *max, char *d,
                        size_t len)
{
        static const char *const names[WARD_NS_COUNT] = {"user", "pid",   "network", "ipc",
                                                         "uts",  "mount", "cgroup"};
        bool hit = false;

        for (int n = 0; n < WARD_NS_COUNT; n++) {
                if (!f->ns_joined[n] || (max && (max->host_ns[n] || max->ns_joined[n])))
                        continue;
                /* [Policy] AllowJoinNamespaces=: an engine's own (podman's network
                 * namespace), never the host's nor one ward cannot find. */
                if (max && max->ns_join_allowed[n] && f->ns_joined_other[n])
                        continue;
                detail_add(d, len, "%s %s", names[n], f->ns_joined[n]);
                hit = true;
        }
        return hit;
}

static bool writable_root(const struct ward_facts *f)
{
        return !f->read_only_root;
}

static bool r_writable_root(const struct ward_facts *f, const struct ward_facts *max, char *d,
                            size_t len)
{
        (void)d, (void)len;
        return BEYOND(f, max, writable_root);
}

static bool no_seccomp(const struct ward_facts *f)
{
        return !f->seccomp;
}

static bool r_no_seccomp(const struct ward_facts *f, const struct ward_facts *max, char *d,
                         size_t len)
{
        (void)d, (void)len;
        return BEYOND(f, max, no_seccomp);
}

/* Without a filter every call is reachable. */
static uint64_t reachable_calls(const struct ward_facts *f)
{
        return f->seccomp ? f->seccomp_reachable : ~UINT64_C(0);
}

static void calls_detail(uint64_t mask, char *d, size_t len)
{
        size_t n, shown = 0, more = 0;
        const struct oci_call *calls = oci_dangerous_calls(&n);

        for (size_t i = 0; i < n; i++) {
                if (!(mask & (UINT64_C(1) << i)))
                        continue;
                if (shown++ < 12)
                        detail_add(d, len, "%s", calls[i].name);
                else
                        more++;
        }
        if (more)
                detail_add(d, len, "and %zu more", more);
}

/* The filter lets through calls of tier that max does not (no filter at all is W040's). */
static bool seccomp_beyond(const struct ward_facts *f, const struct ward_facts *max,
                           enum oci_call_tier tier, char *d, size_t len)
{
        uint64_t extra;

        if (!f->seccomp)
                return false;
        extra = f->seccomp_reachable & oci_calls_of_tier(tier);
        /* A tolerated call only where the kernel checks the calling process: a tracer or a
         * supervisor may run it with privileges the policy never saw. */
        if (max)
                extra &= ~reachable_calls(max) & ~(max->seccomp_tolerated & ~f->seccomp_delegated);
        if (!extra)
                return false;
        if (tier == OCI_CALL_ESCAPE && f->seccomp_allow_all)
                detail_add(d, len, "every call not listed (the default action allows):");
        calls_detail(extra, d, len);
        if (max && (extra & max->seccomp_tolerated))
                detail_add(d, len,
                           "(the policy tolerates some only where no tracer or "
                           "supervisor decides: SCMP_ACT_TRACE, SCMP_ACT_NOTIFY)");
        if (f->seccomp_note[0])
                detail_add(d, len, "(%s)", f->seccomp_note);
        return true;
}

static bool r_seccomp_escape(const struct ward_facts *f, const struct ward_facts *max, char *d,
                             size_t len)
{
        return seccomp_beyond(f, max, OCI_CALL_ESCAPE, d, len);
}

static bool r_seccomp_surface(const struct ward_facts *f, const struct ward_facts *max, char *d,
                              size_t len)
{
        return seccomp_beyond(f, max, OCI_CALL_SURFACE, d, len);
}

/* Families ward's filter refuses by default and this sandbox lets through: vsock reaches
 * past the network namespace, alg into the kernel's crypto API. */
static bool r_socket_family(const struct ward_facts *f, const struct ward_facts *max, char *d,
                            size_t len)
{
        uint64_t open = f->socket_families & ~(max ? max->socket_families : 0);
        size_t used = 0;

        if (!f->seccomp || !open)
                return false;
        d[0] = '\0';
        for (const struct ward_socket_family *s = seccomp_socket_families(); s->name; s++)
                if ((open & (1ULL << s->family)) && used < len)
                        used += (size_t)snprintf(d + used, len - used, "%s%s", used ? " " : "",
                                                 s->name);
        return true;
}

static bool no_nnp(const struct ward_facts *f)
{
        return !f->no_new_privs;
}

static bool r_no_nnp(const struct ward_facts *f, const struct ward_facts *max, char *d, size_t len)
{
        (void)d, (void)len;
        return BEYOND(f, max, no_nnp);
}

/* A limit: none (0) trips; when comparing, anything above max's limit is beyond it. */
static bool limit_beyond(uint64_t v, const uint64_t *max, char *d, size_t len)
{
        if (!max)
                return v == 0;
        if (*max == 0 || (v && v <= *max))
                return false;
        if (v)
                snprintf(d, len, "%llu, the policy allows at most %llu", (unsigned long long)v,
                         (unsigned long long)*max);
        else
                snprintf(d, len, "none, the policy allows at most %llu", (unsigned long long)*max);
        return true;
}

static bool r_memory(const struct ward_facts *f, const struct ward_facts *max, char *d, size_t len)
{
        return limit_beyond(f->memory_limit, max ? &max->memory_limit : NULL, d, len);
}

static bool r_pids(const struct ward_facts *f, const struct ward_facts *max, char *d, size_t len)
{
        return limit_beyond(f->pids_limit, max ? &max->pids_limit : NULL, d, len);
}

static bool r_cpu(const struct ward_facts *f, const struct ward_facts *max, char *d, size_t len)
{
        return limit_beyond(f->cpu_quota, max ? &max->cpu_quota : NULL, d, len);
}

static uint64_t rlim_as_limit(rlim_t v)
{
        return v == RLIM_INFINITY ? 0 : (uint64_t)v;
}

static bool r_nofile(const struct ward_facts *f, const struct ward_facts *max, char *d, size_t len)
{
        uint64_t m = max ? rlim_as_limit(max->nofile) : 0;
        return limit_beyond(rlim_as_limit(f->nofile), max ? &m : NULL, d, len);
}

static bool r_nproc(const struct ward_facts *f, const struct ward_facts *max, char *d, size_t len)
{
        uint64_t m = max ? rlim_as_limit(max->nproc) : 0;
        return limit_beyond(rlim_as_limit(f->nproc), max ? &m : NULL, d, len);
}

/* A mount that max allows: a bind of the same source, writable only if max's is. */
static bool mount_allowed(const struct ward_facts *max, const struct ward_fact_mount *m)
{
        if (!max)
                return false;
        for (size_t i = 0; i < max->n_mounts; i++) {
                const struct ward_fact_mount *a = &max->mounts[i];
                if (a->source && strcmp(a->source, m->source) == 0 && (a->writable || !m->writable))
                        return true;
        }
        return false;
}

typedef bool (*mount_pred)(const struct ward_fact_mount *m);

/* "SOURCE[ at DEST][ (the root filesystem)][ (rw)]": the source as the runtime resolves
 * it, the destination when that is what matched. */
static void mount_detail(const struct ward_fact_mount *m, char *d, size_t len)
{
        static const char *const via[] = {"", " (the root filesystem)", " (an overlay layer)"};
        bool at = !engine_socket(m->source) && m->destination && engine_socket(m->destination);

        detail_add(d, len, "%s%s%s%s%s", m->source, at ? " at " : "", at ? m->destination : "",
                   via[m->via], m->writable ? " (rw)" : "");
}

static bool mounts_beyond(const struct ward_facts *f, const struct ward_facts *max, mount_pred pred,
                          char *d, size_t len)
{
        bool hit = false;

        for (size_t i = 0; i < f->n_mounts; i++) {
                const struct ward_fact_mount *m = &f->mounts[i];
                if (!m->source || !pred(m) || mount_allowed(max, m))
                        continue;
                mount_detail(m, d, len);
                hit = true;
        }
        return hit;
}

/* An engine's socket path where the sandbox looks for it is one too: clients connect to
 * /var/run/docker.sock whatever host file is bound there. */
static bool is_engine_socket(const struct ward_fact_mount *m)
{
        return engine_socket(m->source) || (m->destination && engine_socket(m->destination));
}

static bool is_host_root(const struct ward_fact_mount *m)
{
        return strcmp(m->source, "/") == 0;
}

static bool is_system_path(const struct ward_fact_mount *m)
{
        return !engine_socket(m->source) && system_path(m);
}

static bool is_device_bind(const struct ward_fact_mount *m)
{
        return path_under(m->source, "/dev") && !safe_device(m->source);
}

static bool r_engine_socket(const struct ward_facts *f, const struct ward_facts *max, char *d,
                            size_t len)
{
        return mounts_beyond(f, max, is_engine_socket, d, len);
}

static bool r_host_root_bind(const struct ward_facts *f, const struct ward_facts *max, char *d,
                             size_t len)
{
        return mounts_beyond(f, max, is_host_root, d, len);
}

static bool r_system_bind(const struct ward_facts *f, const struct ward_facts *max, char *d,
                          size_t len)
{
        return mounts_beyond(f, max, is_system_path, d, len);
}

static bool listed(char *const *list, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(list[i], s) == 0)
                        return true;
        return false;
}

static bool r_devices(const struct ward_facts *f, const struct ward_facts *max, char *d, size_t len)
{
        bool hit = mounts_beyond(f, max, is_device_bind, d, len);

        for (size_t i = 0; i < f->n_devices; i++) {
                struct ward_fact_mount as_bind = {.source = f->devices[i], .writable = true};
                /* A policy grants a device by listing it, or by binding the host's node. */
                if (safe_device(f->devices[i]) ||
                    (max && (listed(max->devices, max->n_devices, f->devices[i]) ||
                             mount_allowed(max, &as_bind))))
                        continue;
                detail_add(d, len, "%s", f->devices[i]);
                hit = true;
        }
        if (f->device_access && (!max || !max->device_access)) {
                detail_add(d, len, "device cgroup allows %s", f->device_access);
                hit = true;
        }
        return hit;
}

/* proc, sysfs and the other kernel filesystems beyond their standard places: the masked and
 * read-only paths cover only those, so the copy shows /proc/sysrq-trigger, /proc/sys,
 * /sys/firmware... as the kernel has them. */
static bool r_kernel_fs(const struct ward_facts *f, const struct ward_facts *max, char *d,
                        size_t len)
{
        bool hit = false;

        for (size_t i = 0; i < f->n_kernel_fs; i++) {
                if (max && listed(max->kernel_fs, max->n_kernel_fs, f->kernel_fs[i]))
                        continue;
                detail_add(d, len, "%s", f->kernel_fs[i]);
                hit = true;
        }
        return hit;
}

/* The paths the OCI runtime spec's defaults hide or make read-only (runc's and crun's
 * lists): a config without them exposes the host's kernel memory, keys and tunables. */
static const char *const essential_masked[] = {
    "/proc/acpi",          "/proc/asound",     "/proc/kcore",       "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/sys/firmware",       "/proc/scsi",
};
static const char *const essential_readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* Covered: the path or a parent is in the list (masking /proc/acpi's parent hides it too). */
static bool covered(char *const *list, size_t n, const char *path)
{
        for (size_t i = 0; i < n; i++)
                if (path_under(path, list[i]))
                        return true;
        return false;
}

static bool r_masked_paths(const struct ward_facts *f, const struct ward_facts *max, char *d,
                           size_t len)
{
        bool hit = false;

        for (size_t i = 0; i < ARRAY_SIZE(essential_masked); i++) {
                const char *p = essential_masked[i];
                if (covered(f->masked_paths, f->n_masked_paths, p))
                        continue;
                /* A policy that only makes it read-only (podman's /proc/asound) still
                 * asks that much. */
                if (max && !covered(max->masked_paths, max->n_masked_paths, p)) {
                        if (!covered(max->readonly_paths, max->n_readonly_paths, p) ||
                            covered(f->readonly_paths, f->n_readonly_paths, p))
                                continue;
                        detail_add(d, len, "%s (writable)", p);
                        hit = true;
                        continue;
                }
                detail_add(d, len, "%s", p);
                hit = true;
        }
        for (size_t i = 0; i < ARRAY_SIZE(essential_readonly); i++) {
                const char *p = essential_readonly[i];
                /* Masked is stricter than read-only: either will do. */
                if (covered(f->readonly_paths, f->n_readonly_paths, p) ||
                    covered(f->masked_paths, f->n_masked_paths, p) ||
                    (max && !covered(max->readonly_paths, max->n_readonly_paths, p) &&
                     !covered(max->masked_paths, max->n_masked_paths, p)))
                        continue;
                detail_add(d, len, "%s (writable)", p);
                hit = true;
        }
        return hit;
}

static bool apparmor_unconfined(const struct ward_facts *f)
{
        return f->apparmor_unconfined;
}

static bool selinux_unconfined(const struct ward_facts *f)
{
        return f->selinux_unconfined;
}

static bool r_apparmor(const struct ward_facts *f, const struct ward_facts *max, char *d,
                       size_t len)
{
        (void)d, (void)len;
        return BEYOND(f, max, apparmor_unconfined);
}

static bool r_selinux(const struct ward_facts *f, const struct ward_facts *max, char *d, size_t len)
{
        (void)d, (void)len;
        return BEYOND(f, max, selinux_unconfined);
}

struct rule_def {
        struct ward_policy_rule rule;
        rule_fn check;
        /* What the outer container runtime decides when ward runs in place (entrypoint
         * mode): not judged on such facts, where W110 names it instead. */
        bool outer;
};

#define CRIT WARD_SEV_CRITICAL
#define HIGH WARD_SEV_HIGH
#define MED WARD_SEV_MEDIUM
#define LOW WARD_SEV_LOW
#define INFO WARD_SEV_INFO
#define OUTER true /* the outer runtime's in place */
#define OWN false  /* ward applies it in place too */

/* Below the table: it lists the rules marked OUTER. */
static bool r_outer_container(const struct ward_facts *f, const struct ward_facts *max, char *d,
                              size_t len);

static const struct rule_def rules[] = {
    {{"W001", "privileged", CRIT,
      "every capability is kept, so the process can mount, load kernel modules and reach the "
      "host's devices: the sandbox is no boundary",
      "empty Process.Capabilities= and add back only what the app needs",
      "drop --privileged; list only the needed capabilities in process.capabilities"},
     r_privileged,
     OWN},
    {{"W002", "dangerous-capability", HIGH,
      "a capability that reaches past the sandbox is kept (admin, ptrace, modules, raw I/O, "
      "network administration, bypass of read permission checks)",
      "remove it from Process.Capabilities=", "remove it from every process.capabilities set"},
     r_dangerous_caps,
     OWN},
    {{"W003", "capability", LOW,
      "a capability is kept, which widens what a compromised process can do",
      "remove what the app does not need from Process.Capabilities=",
      "remove what the app does not need from process.capabilities"},
     r_other_caps,
     OWN},
    {{"W010", "root-without-userns", HIGH,
      "the process runs as uid 0 without a user namespace, so it is the host's root",
      "add \"user\" to Namespaces.Unshare= or set Process.User= to an unprivileged uid",
      "add a \"user\" namespace with uid/gid mappings, or set process.user.uid to non-zero"},
     r_host_root,
     OUTER},
    {{"W011", "host-root-mapped", MED,
      "the user namespace maps the host's uid 0, so files owned by the host's root are the "
      "sandbox's own",
      "set Namespaces.IdMapBase= to an unused range (the default is 2000000)",
      "map container ids to an unused host range in linux.uidMappings/gidMappings"},
     r_root_mapped,
     OUTER},
    {{"W012", "keep-groups", MED,
      "run by an unprivileged user, the sandbox keeps that user's supplementary groups (an "
      "unprivileged user namespace cannot drop them), so files those groups may read or "
      "write on the host are the sandbox's to read or write",
      "remove Process.KeepGroups=yes (ward then refuses such a start) and run ward as a user "
      "without supplementary groups, or as root, which clears them",
      "(a config.json names the groups in process.user.additionalGids)"},
     r_keep_groups,
     OWN},
    {{"W020", "host-pid", HIGH,
      "the host's pid namespace is shared, so the sandbox sees and can signal host processes",
      "add \"pid\" to Namespaces.Unshare=", "add a \"pid\" namespace without a path"},
     r_host_pid,
     OUTER},
    {{"W021", "host-network", HIGH,
      "the host's network namespace is shared, so the sandbox reaches every host interface, "
      "local service and abstract socket",
      "set Network.Mode=none and keep \"net\" in Namespaces.Unshare=",
      "add a \"network\" namespace without a path"},
     r_host_net,
     OUTER},
    {{"W022", "host-ipc", MED,
      "the host's IPC namespace is shared, so the sandbox reaches host shared memory and "
      "message queues",
      "add \"ipc\" to Namespaces.Unshare=", "add an \"ipc\" namespace without a path"},
     r_host_ipc,
     OUTER},
    {{"W023", "host-uts", LOW, "the host's hostname is shared and may be changed by the sandbox",
      "add \"uts\" to Namespaces.Unshare=", "add a \"uts\" namespace"},
     r_host_uts,
     OUTER},
    {{"W024", "host-mount", HIGH,
      "the host's mount namespace is shared, so the sandbox sees the host's filesystems",
      "add \"mount\" to Namespaces.Unshare=", "add a \"mount\" namespace"},
     r_host_mount,
     OUTER},
    {{"W025", "host-cgroup", LOW,
      "the host's cgroup namespace is shared, so the sandbox sees the host's cgroup paths",
      "add \"cgroup\" to Namespaces.Unshare=", "add a \"cgroup\" namespace"},
     r_host_cgroup,
     OUTER},
    {{"W026", "joined-namespace", HIGH,
      "a namespace is joined by path (another container's, a pod's, or one ward cannot "
      "identify), so the sandbox shares it with whatever made it",
      "(a profile cannot join a namespace)",
      "remove the path from linux.namespaces so that the runtime creates a new namespace"},
     r_joined_ns,
     OUTER},
    {{"W030", "writable-root", MED,
      "the root filesystem is writable, so an attacker can plant binaries and persist",
      "set Filesystem.ReadOnly=yes and give scratch space with Tmpfs=",
      "set root.readonly to true and mount a tmpfs where the app writes"},
     r_writable_root,
     OWN},
    {{"W040", "no-seccomp", HIGH,
      "no seccomp filter, so every system call of the kernel is reachable for an exploit",
      "set Seccomp.Profile=default", "add a linux.seccomp profile (e.g. the runtime's default)"},
     r_no_seccomp,
     OWN},
    {{"W041", "seccomp-escape-calls", HIGH,
      "the seccomp filter lets through system calls that reach past the sandbox (mount, new "
      "namespaces, setns, kernel modules, kexec, bpf, open_by_handle_at, raw I/O), or "
      "allows or only logs every call",
      "set Seccomp.Profile=default and Seccomp.DefaultAction=errno or kill",
      "give linux.seccomp a refusing defaultAction (SCMP_ACT_ERRNO) and an allowlist "
      "without these calls (the runtime's default profile)"},
     r_seccomp_escape,
     OWN},
    {{"W042", "seccomp-attack-surface", MED,
      "the seccomp filter lets through system calls with a large kernel attack surface "
      "(ptrace, process_vm_*, keyctl, perf_event_open, userfaultfd, clock setting)",
      "add them to Seccomp.Deny=",
      "refuse them in linux.seccomp (the runtime's default profile does)"},
     r_seccomp_surface,
     OWN},
    {{"W043", "socket-family", MED,
      "the seccomp filter lets through socket families ward refuses by default: vsock reaches "
      "the hypervisor and other sandboxes past the network namespace, alg the kernel's crypto "
      "API",
      "drop Seccomp.AllowSocketFamily= unless the app needs that family",
      "refuse socket() of AF_VSOCK (40) and AF_ALG (38) in linux.seccomp"},
     r_socket_family,
     OWN},
    {{"W050", "no-new-privs", MED,
      "no_new_privs is off, so setuid binaries and file capabilities can raise privileges",
      "set Process.NoNewPrivileges=yes", "set process.noNewPrivileges to true"},
     r_no_nnp,
     OWN},
    {{"W060", "no-memory-limit", MED,
      "no memory limit, so the sandbox can exhaust the host's memory",
      "set Resources.Memory= (e.g. 512M)", "set linux.resources.memory.limit"},
     r_memory,
     OUTER},
    {{"W061", "no-pids-limit", MED,
      "no limit on the number of processes, so a fork bomb takes the host down",
      "set Resources.Pids= (e.g. 256)", "set linux.resources.pids.limit"},
     r_pids,
     OUTER},
    {{"W062", "no-nofile-limit", LOW,
      "no RLIMIT_NOFILE, so a descriptor leak grows until the host's limits",
      "set Resources.LimitNOFILE= (e.g. 1024)", "add an RLIMIT_NOFILE entry to process.rlimits"},
     r_nofile,
     OWN},
    {{"W063", "no-nproc-limit", LOW,
      "no RLIMIT_NPROC, so the sandbox's uid can create processes without bound",
      "set Resources.LimitNPROC= (e.g. 512)", "add an RLIMIT_NPROC entry to process.rlimits"},
     r_nproc,
     OWN},
    {{"W064", "no-cpu-limit", LOW,
      "no CPU quota, so the sandbox can take every CPU of the host (CIS Docker 5.11)",
      "set Resources.CPUs= (e.g. 1)", "set linux.resources.cpu.quota and period"},
     r_cpu,
     OUTER},
    {{"W070", "engine-socket", CRIT,
      "a container engine's socket is bound in, and whoever reaches it can start a "
      "privileged container: that is root on the host",
      "remove the Filesystem.Bind= of the socket", "remove the bind mount of the socket"},
     r_engine_socket,
     OWN},
    {{"W071", "host-root-bind", CRIT,
      "the host's root directory is bound in, so the sandbox reaches every host file",
      "remove the Filesystem.Bind= of /; bind only the directories the app needs",
      "remove the bind mount of /; bind only the directories the app needs"},
     r_host_root_bind,
     OWN},
    {{"W072", "host-system-bind", HIGH,
      "a host system directory (/proc, /sys, /dev, /etc, /run) is bound in, exposing kernel "
      "tunables, host configuration or runtime sockets",
      "remove the Filesystem.Bind= or bind a single file read-only",
      "remove the bind mount or bind a single file read-only"},
     r_system_bind,
     OWN},
    {{"W073", "kernel-fs-mount", HIGH,
      "proc, sysfs or another kernel filesystem is mounted beyond /proc, /sys and "
      "/sys/fs/cgroup, where no masked or read-only path covers it: the kernel's tunables "
      "and the host's devices are reached there",
      "(ward mounts proc and sysfs only at /proc and /sys)",
      "remove the extra mount; the runtime mounts /proc and /sys itself"},
     r_kernel_fs,
     OWN},
    {{"W080", "device-access", HIGH,
      "host devices are reachable, so the sandbox can read or write disks, memory or hardware",
      "remove the Filesystem.Bind= of the device",
      "remove the entries from linux.devices and refuse devices in linux.resources.devices"},
     r_devices,
     OWN},
    {{"W090", "masked-paths", MED,
      "the default masked or read-only paths are removed, exposing kernel memory, keys and "
      "tunables under /proc and /sys",
      "do not empty Filesystem.MaskPath= or ReadOnlyPath= (the defaults are built in)",
      "restore the runtime's default linux.maskedPaths and linux.readonlyPaths"},
     r_masked_paths,
     OUTER},
    {{"W100", "apparmor-unconfined", MED,
      "AppArmor is explicitly unconfined, dropping the mandatory access control layer",
      "(ward sets no AppArmor profile of its own)",
      "remove process.apparmorProfile=unconfined (the engine's default profile applies)"},
     r_apparmor,
     OWN},
    {{"W101", "selinux-unconfined", MED,
      "the SELinux label is an unconfined type (spc_t, unconfined_t), dropping the mandatory "
      "access control layer",
      "(ward sets no SELinux label of its own)",
      "remove process.selinuxLabel or use a confined container type (container_t)"},
     r_selinux,
     OWN},
    {{"W110", "outer-container", INFO,
      "ward hardens its own process in place (Namespaces.Unshare=none): the user, pid, "
      "network, IPC, UTS, mount and cgroup namespaces, the memory and pids limits and the "
      "masked paths are the outer container runtime's, so this profile cannot tell whether "
      "they protect the host",
      "check the outer runtime's own configuration: ward check --oci path/to/config.json, "
      "or ward hook --policy default (a profile that unshares namespaces, not this one) "
      "as its OCI hook",
      "(an OCI config.json is never in place)"},
     r_outer_container,
     OWN},
};

/* W110, a note for `ward check`: which rules the outer container answers instead. The hook
 * compares a config.json (never in place), so it says nothing there. */
static bool r_outer_container(const struct ward_facts *f, const struct ward_facts *max, char *d,
                              size_t len)
{
        if (!f->in_place || max)
                return false;
        detail_add(d, len, "Unshare=none (not judged:");
        for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
                if (rules[i].outer)
                        detail_add(d, len, "%s", rules[i].rule.id);
        strncat(d, ")", len - strlen(d) - 1);
        return true;
}

const struct ward_policy_rule *policy_rules(size_t *n)
{
        static struct ward_policy_rule flat[ARRAY_SIZE(rules)];

        for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
                flat[i] = rules[i].rule;
        *n = ARRAY_SIZE(rules);
        return flat;
}

const struct ward_policy_rule *policy_rule_find(const char *id_or_name)
{
        size_t n;
        const struct ward_policy_rule *all = policy_rules(&n);

        for (size_t i = 0; i < n; i++)
                if (strcasecmp(all[i].id, id_or_name) == 0 ||
                    strcasecmp(all[i].name, id_or_name) == 0)
                        return &all[i];
        return NULL;
}

const char *policy_rule_fix(const struct ward_policy_rule *rule, enum ward_facts_kind kind)
{
        return kind == WARD_FACTS_OCI ? rule->fix_oci : rule->fix_profile;
}

_Static_assert(ARRAY_SIZE(rules) <= WARD_POLICY_MAX_FINDINGS, "WARD_POLICY_MAX_FINDINGS");

static void run_rules(const struct ward_facts *f, const struct ward_facts *max,
                      struct ward_report *r)
{
        size_t n;
        const struct ward_policy_rule *all = policy_rules(&n);

        memset(r, 0, sizeof(*r));
        for (size_t i = 0; i < n; i++) {
                struct ward_finding *fi = &r->findings[r->n];
                fi->detail[0] = '\0';
                /* In place, the outer runtime's business is not the host's exposure. */
                if (!max && f->in_place && rules[i].outer)
                        continue;
                if (!rules[i].check(f, max, fi->detail, sizeof(fi->detail)))
                        continue;
                fi->rule = &all[i];
                r->n++;
        }
}

/* ------------------------------------------------------------------------------------- */
/* Scoring                                                                               */

static unsigned severity_weight(enum ward_severity s)
{
        static const unsigned weights[] = {0, 0, 1, 3, 6, 10}; /* none, info, low, ... */
        return (size_t)s < ARRAY_SIZE(weights) ? weights[s] : 0;
}

double policy_score(const struct ward_report *r)
{
        unsigned total = 0, hit = 0;
        enum ward_severity worst = policy_report_max(r);
        double score;

        for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
                total += severity_weight(rules[i].rule.severity);
        for (size_t i = 0; i < r->n; i++)
                if (!r->findings[i].waived)
                        hit += severity_weight(r->findings[i].rule->severity);
        /* Tenths, rounded half up, in integers so that the same input prints the same. */
        score = (double)((hit * 100 + total / 2) / total) / 10.0;
        if (worst == WARD_SEV_CRITICAL && score < 9.0)
                score = 9.0;
        else if (worst == WARD_SEV_HIGH && score < 5.0)
                score = 5.0;
        return score;
}

const char *policy_score_label(double score)
{
        if (score < 2.0)
                return "OK";
        if (score < 5.0)
                return "MEDIUM";
        if (score < 8.0)
                return "EXPOSED";
        return "UNSAFE";
}

enum ward_severity policy_report_max(const struct ward_report *r)
{
        enum ward_severity worst = WARD_SEV_NONE;

        for (size_t i = 0; i < r->n; i++)
                if (!r->findings[i].waived && r->findings[i].rule->severity > worst)
                        worst = r->findings[i].rule->severity;
        return worst;
}

void policy_evaluate(const struct ward_facts *f, struct ward_report *r)
{
        run_rules(f, NULL, r);
        r->score = policy_score(r);
}

void policy_compare(const struct ward_facts *box, const struct ward_facts *max,
                    struct ward_report *r)
{
        run_rules(box, max, r);
}
