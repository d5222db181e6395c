/* The policy's facts (policy.h) of the sandbox `ward run` builds from a resolved config. */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <unistd.h>

#include "ward/cgroup.h"
#include "ward/oci_facts.h"
#include "ward/oci_norm.h"
#include "ward/policy.h"
#include "ward/process.h"
#include "ward/seccomp.h"
#include "ward/seccomp_json.h"
#include "ward/util.h"

/* User= unset runs as the sandbox's root; a name other than "root" is taken to be another
 * user (names are resolved in the image only at run time). */
static bool runs_as_root(const struct ward_config *c)
{
        if (!c->user_set || !c->user_spec)
                return true;
        if (isdigit((unsigned char)c->user_spec[0]))
                return c->uid == 0;
        return strncmp(c->user_spec, "root", 4) == 0 &&
               (c->user_spec[4] == '\0' || c->user_spec[4] == ':');
}

static const unsigned long ns_flags[WARD_NS_COUNT] = {
    [WARD_NS_USER] = CLONE_NEWUSER,     [WARD_NS_PID] = CLONE_NEWPID, [WARD_NS_NET] = CLONE_NEWNET,
    [WARD_NS_IPC] = CLONE_NEWIPC,       [WARD_NS_UTS] = CLONE_NEWUTS, [WARD_NS_MOUNT] = CLONE_NEWNS,
    [WARD_NS_CGROUP] = CLONE_NEWCGROUP,
};

static void namespaces(const struct ward_config *c, struct ward_facts *f)
{
        for (int n = 0; n < WARD_NS_COUNT; n++)
                f->host_ns[n] = !(c->unshare_flags & ns_flags[n]);
        if (c->net_mode == WARD_NET_HOST)
                f->host_ns[WARD_NS_NET] = true;
}

static uint64_t cg_limit(const struct ward_config *c, int id)
{
        const struct ward_cg_limit *l = &c->cgroup.limits[id];
        return l->set && l->value != WARD_CGROUP_MAX ? l->value : 0;
}

static rlim_t rlimit_hard(const struct ward_config *c, int resource)
{
        return c->rlimits[resource].set ? c->rlimits[resource].hard : RLIM_INFINITY;
}

/* A JSON seccomp profile: read it to tell whether it refuses anything. */
static int seccomp_json(const struct ward_config *c, struct ward_facts *f, struct ward_error *e)
{
        _cleanup_(json_decrefp) json_t *doc = NULL;
        int r;

        if ((r = seccomp_json_load(c->seccomp.json_path, &c->seccomp.profile_origin, (void **)&doc,
                                   e)) < 0)
                return r;
        return oci_seccomp_facts(doc, c->seccomp.json_path, "", f, e);
}

/* The built-in allowlist: which dangerous calls its plan lets through. Under
 * DefaultAction=log every refused call runs too. At run time only the allowing half of the
 * plan is made: the calls it allows are the same (test_policy compares them). */
static int seccomp_builtin(const struct ward_config *c, struct ward_facts *f, bool at_run,
                           struct ward_error *e)
{
        struct ward_seccomp_plan plan;
        size_t n;
        const struct oci_call *calls = oci_dangerous_calls(&n);
        int r;

        if ((r = at_run ? seccomp_plan_allowed(c, &plan, e) : seccomp_plan_build(c, &plan, e)) < 0)
                return r;
        f->seccomp_reachable = 0;
        for (size_t i = 0; i < n; i++) {
                int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, calls[i].name);
                bool allowed =
                    nr >= 0 && nr < WARD_SECCOMP_MAX_NR && plan.verdict[nr] == WARD_SC_ALLOW;
                if (allowed || plan.action == WARD_SECCOMP_LOG)
                        f->seccomp_reachable |= UINT64_C(1) << i;
        }
        return 0;
}

/* A Bind= source as mount(2) will reach it: symlinks resolved on the host, as for a
 * config.json's sources, so that both forms give the same facts. At run time only by name
 * ("." and ".." folded): resolving costs a syscall per component, and mount.c opens the
 * source itself. */
static int add_bind(struct ward_facts *f, const struct ward_mount *m, bool at_run)
{
        static const struct oci_host host = {.bundle = "/", .proc_root = "/proc"};
        char real[OCI_PATH_MAX];
        bool existed;

        if ((at_run ? oci_path_lexical(NULL, m->source, real, sizeof(real))
                    : oci_path_resolve(&host, m->source, real, sizeof(real), &existed)) < 0)
                snprintf(real, sizeof(real), "%s", m->source);
        return policy_facts_add_mount(f, real, m->target, m->writable);
}

static int paths(const struct ward_path *list, size_t n, char ***out, size_t *n_out)
{
        for (size_t i = 0; i < n; i++)
                if (config_add_string(out, n_out, list[i].path) < 0)
                        return -ENOMEM;
        return 0;
}

/* The seccomp facts: what the filter lets through. At run time a JSON profile is not read
 * a second time (the monitor compiles it), and ward's own allowlist is planned only when
 * Allow=, DefaultAction=log or a kept capability (seccomp.c's cap gates) may open it
 * beyond the built-in list, whose plan resolves every syscall name (the seccomp cache
 * spares the run that). Without them nothing dangerous is reachable: test_policy checks
 * that the two agree. */
static int seccomp_facts(const struct ward_config *c, struct ward_facts *f, bool at_run,
                         struct ward_error *e)
{
        if (!c->seccomp.enabled)
                return 0;
        if (c->seccomp.json_path)
                return at_run ? 0 : seccomp_json(c, f, e);
        if (at_run && !c->seccomp.n_allow && !c->caps_keep &&
            c->seccomp.default_action != WARD_SECCOMP_LOG)
                return 0;
        return seccomp_builtin(c, f, at_run, e);
}

static int facts_from_config(const struct ward_config *c, struct ward_facts *f, bool at_run,
                             struct ward_error *e)
{
        int r = 0;

        policy_facts_init(f, WARD_FACTS_PROFILE);
        f->in_place = c->in_place; /* profile.c decides it, from Unshare=none */
        f->caps = c->caps_keep;
        f->root_inside = runs_as_root(c);
        f->host_root_mapped = c->id_map_base == 0;
        /* As root ward clears the groups, whatever KeepGroups= says; rootless it cannot. */
        f->keeps_caller_groups = c->keep_groups && (c->unshare_flags & CLONE_NEWUSER);
        if (f->keeps_caller_groups && !at_run && geteuid() != 0 &&
            process_caller_groups(f->caller_groups, sizeof(f->caller_groups)) < 0)
                f->caller_groups[0] = '\0';
        namespaces(c, f);
        f->read_only_root = c->read_only;
        f->seccomp = c->seccomp.enabled;
        /* DefaultAction=log is audit mode: every refused call is let through. */
        f->seccomp_allow_all = c->seccomp.enabled && !c->seccomp.json_path &&
                               c->seccomp.default_action == WARD_SECCOMP_LOG;
        if (c->seccomp.enabled && !c->seccomp.json_path)
                f->socket_families = c->seccomp.socket_families_allowed;
        f->no_new_privs = c->no_new_privs;
        f->memory_limit = cg_limit(c, WARD_CG_MEMORY);
        f->pids_limit = cg_limit(c, WARD_CG_PIDS);
        f->cpu_quota = cg_limit(c, WARD_CG_CPUS);
        f->nofile = rlimit_hard(c, RLIMIT_NOFILE);
        f->nproc = rlimit_hard(c, RLIMIT_NPROC);
        /* Root=/ (--rootfs /) is the host's whole tree, as a bind of / would be. In place it
         * is the container's own root (entrypoint.c sets it so), not the host's. */
        if (!c->in_place && c->root && strcmp(c->root, "/") == 0)
                r = policy_facts_add_mount_via(f, "/", "/", !c->read_only, WARD_VIA_ROOT);
        /* Without a network namespace of its own a user namespace may not mount sysfs:
         * mount.c binds the host's /sys read-only instead (and ward spec writes that bind). */
        if (r >= 0 && !c->in_place && (c->unshare_flags & CLONE_NEWNS) &&
            !(c->unshare_flags & CLONE_NEWNET))
                r = policy_facts_add_mount(f, "/sys", "/sys", false);
        for (size_t i = 0; i < c->n_mounts && r >= 0; i++)
                if (c->mounts[i].kind == WARD_MOUNT_BIND)
                        r = add_bind(f, &c->mounts[i], at_run);
        if (r >= 0)
                r = paths(c->masked_paths, c->n_masked_paths, &f->masked_paths, &f->n_masked_paths);
        if (r >= 0)
                r = paths(c->readonly_paths, c->n_readonly_paths, &f->readonly_paths,
                          &f->n_readonly_paths);
        if (r < 0)
                r = ward_error_set(e, -r, "out of memory");
        if (r >= 0)
                r = seccomp_facts(c, f, at_run, e);
        if (r < 0)
                policy_facts_free(f);
        return r;
}

int policy_facts_from_config(const struct ward_config *c, struct ward_facts *f,
                             struct ward_error *e)
{
        return facts_from_config(c, f, false, e);
}

int policy_facts_at_run(const struct ward_config *c, struct ward_facts *f, struct ward_error *e)
{
        return facts_from_config(c, f, true, e);
}

int policy_max_from_config(const struct ward_config *c, const char *policy, struct ward_facts *max,
                           struct ward_error *e)
{
        int r;

        if (c->in_place) {
                ward_error_at(e, &c->unshare_origin, "Namespaces.Unshare", 0,
                              "policy %.200s is an entrypoint-mode profile (Unshare=none): it "
                              "says how ward hardens itself inside a container, not what a "
                              "container may be given: as a policy it would let containers "
                              "share the host's pid, network and every other namespace",
                              policy);
                ward_error_hint(e, "give ward hook a policy that unshares namespaces: "
                                   "--policy default, or a copy of it");
                return -EINVAL;
        }
        if ((r = policy_facts_from_config(c, max, e)) < 0)
                return r;
        /* [Policy] AllowCalls=: tolerated on top of what the profile's own filter lets
         * through (policy.c). Without a filter of its own the policy allows every call. */
        max->seccomp_tolerated = c->policy_calls;
        for (int n = 0; n < WARD_NS_COUNT; n++)
                max->ns_join_allowed[n] = (c->policy_join_ns & ns_flags[n]) != 0;
        return 0;
}
