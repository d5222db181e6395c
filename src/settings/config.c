/* The resolved settings: built-in defaults, ownership of strings, append helpers. */
#include "ward/config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ward/landlock_spec.h"
#include "ward/oci_hooks_spec.h"
#include "ward/util.h"

/* The paths Docker and the OCI runtime spec hide or make read-only by default. */
static const char *const default_masked_paths[] = {
    "/proc/acpi",        "/proc/asound",        "/proc/interrupts", "/proc/kcore",
    "/proc/keys",        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
    "/proc/sched_debug", "/proc/scsi",          "/sys/firmware",    "/sys/devices/virtual/powercap",
};
static const char *const default_readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

int config_set_string(char **field, const char *value)
{
        char *copy = NULL;

        if (value && !(copy = strdup(value)))
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

const char *config_intern(struct ward_config *c, const char *s)
{
        for (size_t i = 0; i < c->n_interned; i++)
                if (strcmp(c->interned[i], s) == 0)
                        return c->interned[i];
        return config_keep(c, s);
}

/* Room for more strings. The array doubles: growing it by one per string copied it each
 * time, quadratic for a bundle's 200,000 process.env keys wherever realloc moves. */
static int interned_reserve(struct ward_config *c, size_t more)
{
        size_t cap = c->cap_interned ? c->cap_interned : 16;
        char **grown;

        if (c->n_interned + more <= c->cap_interned)
                return 0;
        while (cap < c->n_interned + more)
                cap *= 2;
        if (!(grown = realloc(c->interned, cap * sizeof(*grown))))
                return -ENOMEM;
        c->interned = grown;
        c->cap_interned = cap;
        return 0;
}

const char *config_keep(struct ward_config *c, const char *s)
{
        char *copy;

        if (interned_reserve(c, 1) < 0 || !(copy = strdup(s)))
                return NULL;
        c->interned[c->n_interned++] = copy;
        return copy;
}

int config_take_interned(struct ward_config *c, struct ward_config *from)
{
        if (interned_reserve(c, from->n_interned) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < from->n_interned; i++)
                c->interned[c->n_interned++] = from->interned[i];
        free(from->interned);
        from->interned = NULL;
        from->n_interned = from->cap_interned = 0;
        return 0;
}

int config_add_string(char ***list, size_t *n, const char *s)
{
        char **grown = ward_grow(*list, *n, sizeof(*grown));

        if (!grown)
                return -ENOMEM;
        *list = grown;
        if (!(grown[*n] = strdup(s)))
                return -ENOMEM;
        (*n)++;
        return 0;
}

void config_clear_strings(char ***list, size_t *n)
{
        for (size_t i = 0; i < *n; i++)
                free((*list)[i]);
        free(*list);
        *list = NULL;
        *n = 0;
}

int config_add_mount(struct ward_config *c, const struct ward_mount *m)
{
        struct ward_mount *grown = ward_grow(c->mounts, c->n_mounts, sizeof(*grown));
        struct ward_mount copy = *m;

        if (!grown)
                return -ENOMEM;
        c->mounts = grown;
        copy.source = m->source ? strdup(m->source) : NULL;
        copy.target = strdup(m->target);
        if ((m->source && !copy.source) || !copy.target) {
                free(copy.source);
                free(copy.target);
                return -ENOMEM;
        }
        grown[c->n_mounts++] = copy;
        return 0;
}

static size_t env_key_length(const char *key_value)
{
        const char *eq = strchr(key_value, '=');
        return eq ? (size_t)(eq - key_value) : strlen(key_value);
}

/* The environment's KEYs, hashed (FNV-1a, open addressing) to their slot in c->env: a
 * profile, --env-file (1 MiB: ~100,000 variables) or a bundle adds each variable in O(1)
 * instead of scanning all earlier ones (which took 46 s for a 1 MiB --env-file). */
struct ward_env_index {
        size_t *slot; /* slot[h]: index in c->env + 1, 0 for empty */
        size_t cap;   /* a power of two, at least twice the variables indexed */
};

static uint64_t env_hash(const char *key, size_t len)
{
        uint64_t h = 1469598103934665603ull;

        for (size_t i = 0; i < len; i++)
                h = (h ^ (unsigned char)key[i]) * 1099511628211ull;
        return h;
}

/* The hash slot of KEY: the one holding it, or the empty one where it would go. */
static size_t *env_slot(const struct ward_config *c, const char *key, size_t klen)
{
        const struct ward_env_index *x = c->env_index;
        size_t h = (size_t)env_hash(key, klen) & (x->cap - 1);

        for (;; h = (h + 1) & (x->cap - 1)) {
                size_t at = x->slot[h];
                if (!at || (env_key_length(c->env[at - 1]) == klen &&
                            strncmp(c->env[at - 1], key, klen) == 0))
                        return &x->slot[h];
        }
}

static void env_index_drop(struct ward_config *c)
{
        if (c->env_index)
                free(c->env_index->slot);
        free(c->env_index);
        c->env_index = NULL;
}

/* Room to index `want` variables at half load, every current one indexed. */
static int env_index_reserve(struct ward_config *c, size_t want)
{
        struct ward_env_index *x = c->env_index;
        size_t cap = 64;

        if (x && want * 2 <= x->cap)
                return 0;
        while (cap < want * 2)
                cap *= 2;
        if (!x && !(x = c->env_index = calloc(1, sizeof(*x))))
                return -ENOMEM;
        free(x->slot);
        if (!(x->slot = calloc(cap, sizeof(*x->slot)))) {
                env_index_drop(c);
                return -ENOMEM;
        }
        x->cap = cap;
        for (size_t i = 0; i < c->n_env; i++)
                *env_slot(c, c->env[i], env_key_length(c->env[i])) = i + 1;
        return 0;
}

/* Room for one more variable in both arrays; env stays NULL-terminated for execve. The
 * arrays double, as the index does. */
static int env_grow(struct ward_config *c)
{
        size_t cap = c->env_cap ? c->env_cap * 2 : 16;
        char **env;
        struct ward_origin *origins;

        if (c->n_env + 2 <= c->env_cap)
                return 0;
        if (!(env = realloc(c->env, cap * sizeof(*env))))
                return -ENOMEM;
        c->env = env;
        if (!(origins = realloc(c->env_origins, cap * sizeof(*origins))))
                return -ENOMEM;
        c->env_origins = origins;
        c->env_cap = cap;
        return 0;
}

int config_add_env(struct ward_config *c, const char *key_value, const struct ward_origin *o)
{
        static const struct ward_origin builtin = {.file = NULL, .line = 0};
        size_t klen = env_key_length(key_value);
        _cleanup_free_ char *copy = strdup(key_value);
        size_t *slot;

        if (!copy || env_grow(c) < 0 || env_index_reserve(c, c->n_env + 1) < 0)
                return -ENOMEM;
        if (!o)
                o = &builtin;
        slot = env_slot(c, key_value, klen);
        if (*slot) {
                free(c->env[*slot - 1]);
                c->env[*slot - 1] = ward_take_ptr(&copy);
                c->env_origins[*slot - 1] = *o; /* the later setter is the one in force */
                return 0;
        }
        c->env_origins[c->n_env] = *o;
        c->env[c->n_env++] = ward_take_ptr(&copy);
        c->env[c->n_env] = NULL;
        *slot = c->n_env;
        return 0;
}

void config_clear_env(struct ward_config *c)
{
        for (size_t i = 0; i < c->n_env; i++)
                free(c->env[i]);
        c->n_env = 0;
        if (c->env)
                c->env[0] = NULL; /* keep the array NULL-terminated for execve */
        env_index_drop(c);
}

static void env_free_all(struct ward_config *c)
{
        config_clear_env(c);
        free(c->env);
        free(c->env_origins);
        c->env = NULL;
        c->env_origins = NULL;
        c->env_cap = 0;
}

const char *config_get_env(const struct ward_config *c, const char *key)
{
        size_t klen = strlen(key);

        for (size_t i = 0; i < c->n_env; i++)
                if (strncmp(c->env[i], key, klen) == 0 && c->env[i][klen] == '=')
                        return c->env[i] + klen + 1;
        return NULL;
}

static int add_default_paths(struct ward_path **list, size_t *n, const char *const *paths,
                             size_t count)
{
        static const struct ward_origin builtin = {.file = NULL, .line = 0};

        for (size_t i = 0; i < count; i++) {
                int r = config_add_path(list, n, paths[i], &builtin);
                if (r < 0)
                        return r;
        }
        return 0;
}

void config_remove_mounts(struct ward_config *c, enum ward_mount_kind kind, bool defaults_only)
{
        size_t kept = 0;

        for (size_t i = 0; i < c->n_mounts; i++) {
                struct ward_mount *m = &c->mounts[i];
                if (m->kind != kind || (defaults_only && m->origin.file)) {
                        c->mounts[kept++] = *m;
                        continue;
                }
                free(m->source);
                free(m->target);
        }
        c->n_mounts = kept;
}

/* The safe settings are the built-in ones (default.profile repeats them to document
 * them): a profile that does not include default loosens a setting only by naming it, e.g.
 * an empty Tmpfs= or LimitNPROC=. */
static int add_default_tmpfs(struct ward_config *c)
{
        static const struct ward_mount scratch[] = {
            /* noexec scratch space most programs expect */
            {.kind = WARD_MOUNT_TMPFS, .target = "/tmp", .size_bytes = 64 << 20, .mode = 01777},
            /* hides the image's (with --rootfs /, the host's) sockets; skipped where the
             * image has no /run */
            {.kind = WARD_MOUNT_TMPFS,
             .target = "/run",
             .size_bytes = 16 << 20,
             .mode = 0755,
             .optional = true},
        };

        for (size_t i = 0; i < ARRAY_SIZE(scratch); i++) {
                int r = config_add_mount(c, &scratch[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void set_default_rlimits(struct ward_config *c)
{
        static const struct {
                int res;
                rlim_t value;
        } limits[] = {{RLIMIT_NOFILE, 1024}, {RLIMIT_NPROC, 512}, {RLIMIT_CORE, 0}};

        for (size_t i = 0; i < ARRAY_SIZE(limits); i++)
                c->rlimits[limits[i].res] = (struct ward_rlimit){
                    .set = true, .soft = limits[i].value, .hard = limits[i].value};
}

int config_init(struct ward_config *c, struct ward_error *e)
{
        int r;

        memset(c, 0, sizeof(*c));
        c->unshare_flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET |
                           CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;
        c->id_map_base = WARD_ID_MAP_BASE;
        c->read_only = true;
        c->no_new_privs = true;
        c->caps_keep = 0;
        c->cwd = strdup("/");
        c->hostname = strdup("ward");
        c->umask = 022;
        c->net_mode = WARD_NET_NONE;
        c->init = true;
        c->stop_timeout_ms = 10000;
        c->seccomp.enabled = true; /* Profile=default, DefaultAction=errno */
        if (!c->cwd || !c->hostname)
                return ward_error_set(e, ENOMEM, "out of memory");
        r = add_default_paths(&c->masked_paths, &c->n_masked_paths, default_masked_paths,
                              ARRAY_SIZE(default_masked_paths));
        if (r >= 0)
                r = add_default_paths(&c->readonly_paths, &c->n_readonly_paths,
                                      default_readonly_paths, ARRAY_SIZE(default_readonly_paths));
        if (r >= 0)
                r = add_default_tmpfs(c);
        set_default_rlimits(c);
        if (r >= 0)
                r = config_add_env(c,
                                   "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
                                   "/sbin:/bin",
                                   NULL);
        if (r < 0)
                return ward_error_set(e, -r, "out of memory");
        return 0;
}

void config_free(struct ward_config *c)
{
        free(c->description);
        free(c->hostname);
        free(c->root);
        for (size_t i = 0; i < c->n_mounts; i++) {
                free(c->mounts[i].source);
                free(c->mounts[i].target);
        }
        free(c->mounts);
        for (size_t i = 0; i < WARD_FIXED_COUNT; i++)
                free(c->fixed[i].source);
        config_clear_paths(&c->masked_paths, &c->n_masked_paths);
        config_clear_paths(&c->readonly_paths, &c->n_readonly_paths);
        sysctl_list_clear(&c->sysctls, &c->n_sysctls);
        free(c->user_spec);
        free(c->groups);
        env_free_all(c);
        free(c->cwd);
        free(c->cgroup.parent);
        for (size_t i = 0; i < c->argc; i++)
                free(c->argv[i]);
        free(c->argv);
        for (size_t i = 0; i < c->n_profiles_loaded; i++)
                free(c->profiles_loaded[i]);
        free(c->profiles_loaded);
        for (size_t i = 0; i < c->n_interned; i++)
                free(c->interned[i]);
        free(c->interned);
        landlock_config_free(&c->landlock);
        config_clear_strings(&c->seccomp.allow, &c->seccomp.n_allow);
        config_clear_strings(&c->seccomp.deny, &c->seccomp.n_deny);
        config_clear_strings(&c->policy_exceptions, &c->n_policy_exceptions);
        free(c->seccomp.extra_bpf);
        oci_hooks_free(c->oci_hooks);
        free(c->seccomp.json_path);
        memset(c, 0, sizeof(*c));
}

void config_format_unshare(unsigned long flags, char *buf, size_t len)
{
        static const struct {
                unsigned long flag;
                const char *name;
        } names[] = {
            {CLONE_NEWUSER, "user"},     {CLONE_NEWPID, "pid"}, {CLONE_NEWNS, "mount"},
            {CLONE_NEWNET, "net"},       {CLONE_NEWUTS, "uts"}, {CLONE_NEWIPC, "ipc"},
            {CLONE_NEWCGROUP, "cgroup"},
        };
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                if (!(flags & names[i].flag))
                        continue;
                int n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", names[i].name);
                if (n < 0 || (size_t)n >= len - used)
                        break;
                used += (size_t)n;
        }
        if (!used)
                snprintf(buf, len, "(none)");
}

void config_resolve(struct ward_config *c)
{
        /* --share uts on the command line overrides a profile's Hostname=: the flag is the
         * later, explicit choice; explain shows the hostname is not set. */
        if (!c->in_place && c->hostname && !(c->unshare_flags & CLONE_NEWUTS) &&
            c->unshare_origin.file && c->hostname_origin.file && c->unshare_origin.line == 0 &&
            c->hostname_origin.line) {
                free(c->hostname);
                c->hostname = NULL;
        }
}
