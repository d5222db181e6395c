/* The hardening policy: one neutral model of what a sandbox will have (the facts), filled
 * from a ward profile (policy_facts_from_config) or an OCI config.json (oci_facts.h), and one
 * set of rules written once over that model.
 *
 * `ward check` evaluates the rules on one set of facts and scores the exposure;
 * `ward hook` compares a container's facts with a profile's, read as the maximum
 * permissions: a rule is violated when the container goes beyond what the profile allows. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>

#include "ward/config.h"
#include "ward/error.h"

enum ward_severity {
        WARD_SEV_NONE = 0, /* --fail-on none: never fail */
        WARD_SEV_INFO,     /* a note, not an exposure: weighs nothing and never fails */
        WARD_SEV_LOW,
        WARD_SEV_MEDIUM,
        WARD_SEV_HIGH,
        WARD_SEV_CRITICAL,
};

/* "info" <-> WARD_SEV_INFO, "low" <-> WARD_SEV_LOW ...; -EINVAL for anything else. */
int policy_severity_from_name(const char *name, enum ward_severity *out);
const char *policy_severity_name(enum ward_severity s);

enum ward_facts_kind {
        WARD_FACTS_PROFILE, /* fixes are written as profile keys */
        WARD_FACTS_OCI,     /* fixes are written as config.json fields */
};

/* How a host path reaches the sandbox. */
enum ward_mount_via {
        WARD_VIA_BIND = 0, /* a bind mount (Bind=, "bind"/"rbind", or a type ward cannot read) */
        WARD_VIA_ROOT,     /* the root filesystem itself (Root=, root.path) */
        WARD_VIA_OVERLAY,  /* a layer of an overlay mount (lowerdir=, upperdir=, workdir=) */
};

/* One mount the sandbox gets from the host. Only bind mounts carry a host source. */
struct ward_fact_mount {
        char *source;      /* host path as the runtime resolves it, NULL when not a bind */
        char *destination; /* path inside the sandbox */
        bool writable;
        enum ward_mount_via via;
};

/* Namespaces the sandbox shares with the host. */
enum ward_fact_ns {
        WARD_NS_USER,
        WARD_NS_PID,
        WARD_NS_NET,
        WARD_NS_IPC,
        WARD_NS_UTS,
        WARD_NS_MOUNT,
        WARD_NS_CGROUP,
        WARD_NS_COUNT,
};

struct ward_facts {
        enum ward_facts_kind kind;
        /* Entrypoint mode (config's in_place, Unshare=none): ward hardens its own process
         * inside a container that another runtime made. The namespaces, the id maps, the
         * cgroup limits and the masked paths are then that runtime's, whatever the fields
         * below say, and the rules about them are not judged (policy.c, W110). */
        bool in_place;
        uint64_t caps;               /* bit n: capability n may be held (the union of every set) */
        bool root_inside;            /* the process runs as uid 0 (of its user namespace, if any) */
        bool host_root_mapped;       /* the user namespace maps host uid 0 */
        bool keeps_caller_groups;    /* rootless, the caller's supplementary groups are kept
                                      * (a profile's KeepGroups=yes; process.h) */
        char caller_groups[128];     /* ... and which they are for this caller ("27,100"),
                                      * "" when unknown or none */
        bool host_ns[WARD_NS_COUNT]; /* true: the host's namespace is shared */
        bool read_only_root;
        bool seccomp;             /* a filter is loaded */
        bool seccomp_allow_all;   /* ... but its default action lets calls through (allow or
                                   * log): at best a denylist */
        uint64_t socket_families; /* bit f: ward's filter lets family f through, which it
                                   * refuses by default (AllowSocketFamily=, seccomp.h) */
        bool no_new_privs;
        uint64_t memory_limit; /* bytes; 0: none */
        uint64_t pids_limit;   /* 0: none */
        rlim_t nofile;         /* hard limit; RLIM_INFINITY when not set */
        rlim_t nproc;
        struct ward_fact_mount *mounts;
        size_t n_mounts;
        char **devices; /* device nodes created in the sandbox (OCI linux.devices) */
        size_t n_devices;
        char **masked_paths; /* what is hidden (maskedPaths / MaskPath=) */
        size_t n_masked_paths;
        char **readonly_paths;
        size_t n_readonly_paths;
        bool apparmor_unconfined;
        bool selinux_unconfined;
        /* A namespace joined by path that is not the host's (a pod's, another container's,
         * or one ward cannot identify): the path, else NULL. */
        char *ns_joined[WARD_NS_COUNT];
        bool ns_joined_other[WARD_NS_COUNT]; /* ... found, and not the host's */
        /* Read as a policy only ([Policy] AllowJoinNamespaces=): a container may join a
         * namespace of this type by path when it is found and is not the host's. */
        bool ns_join_allowed[WARD_NS_COUNT];
        /* Bit i: dangerous call i of oci_dangerous_calls() (oci_norm.h) is let through by
         * the filter (read only when seccomp is set: without a filter every call is). */
        uint64_t seccomp_reachable;
        /* ... and of those, the calls a tracer or user-space supervisor decides on
         * (SCMP_ACT_TRACE, SCMP_ACT_NOTIFY): not the kernel's checks of the process. */
        uint64_t seccomp_delegated;
        /* Read as a policy only ([Policy] AllowCalls=): calls a container's filter may let
         * through beyond seccomp_reachable, where the kernel checks the process itself
         * (not delegated). */
        uint64_t seccomp_tolerated;
        char seccomp_note[128]; /* why ward read the filter as more open than it looked */
        char *device_access;    /* what the device cgroup lets open ("every char device"),
                                 * NULL for nothing dangerous */
        char **kernel_fs;       /* proc, sysfs and other kernel filesystems mounted beyond
                                 * the standard /proc, /sys, /sys/fs/cgroup: "TYPE at DEST" */
        size_t n_kernel_fs;
        uint64_t cpu_quota; /* microseconds per 100 ms period (CPUs=0.5: 50000); 0: none */
};

void policy_facts_init(struct ward_facts *f, enum ward_facts_kind kind);
void policy_facts_free(struct ward_facts *f);
int policy_facts_add_mount(struct ward_facts *f, const char *source, const char *destination,
                           bool writable);
/* The same, saying how it comes in (the last mount added gets via). */
int policy_facts_add_mount_via(struct ward_facts *f, const char *source, const char *destination,
                               bool writable, enum ward_mount_via via);
/* Collapse repeated '/', drop "." components and a trailing '/' ("//var/./run/" -> "/var/run"),
 * in place. ".." is kept: the rules then see the path as not matching a safe one. */
void policy_normalize_path(char *path);

/* The facts of the sandbox that `ward run` would build with c. A seccomp JSON profile named
 * by the config is read to tell whether it allows everything. */
int policy_facts_from_config(const struct ward_config *c, struct ward_facts *f,
                             struct ward_error *e);

/* The same facts for `ward run`'s warnings, without a read or a syscall of their own: bind
 * sources taken by name (not resolved through symlinks), a JSON seccomp profile not read
 * (its calls are not judged), the caller's groups not looked up. */
int policy_facts_at_run(const struct ward_config *c, struct ward_facts *f, struct ward_error *e);

/* The facts of c read as a policy (`ward hook --policy`): the most a container may be given.
 * policy is the name the error gives it. An entrypoint-mode profile (Unshare=none) is no
 * policy: it says what ward does inside a container that another runtime made, and its
 * namespaces, all the host's, would read as allowing a container every host namespace.
 * -EINVAL then, with e naming Namespaces.Unshare where it was set. [Policy] AllowCalls= and
 * AllowJoinNamespaces= become max->seccomp_tolerated and max->ns_join_allowed. */
int policy_max_from_config(const struct ward_config *c, const char *policy, struct ward_facts *max,
                           struct ward_error *e);

struct ward_policy_rule {
        const char *id;   /* "W001": stable, for --fail-on, exceptions and scripts */
        const char *name; /* "privileged": the same rule, for people */
        enum ward_severity severity;
        const char *reason;      /* one sentence: why this is dangerous */
        const char *fix_profile; /* the fix, as a profile key */
        const char *fix_oci;     /* the fix, as a config.json field */
};

/* Every rule, in id order; *n gets the count. */
const struct ward_policy_rule *policy_rules(size_t *n);
/* By id ("W070", case-insensitive) or name ("engine-socket"); NULL when unknown. */
const struct ward_policy_rule *policy_rule_find(const char *id_or_name);

#define WARD_POLICY_DETAIL_MAX 384

struct ward_finding {
        const struct ward_policy_rule *rule;
        char detail[WARD_POLICY_DETAIL_MAX]; /* what exactly tripped it, e.g. "SYS_ADMIN NET_ADMIN"
                                              */
        bool waived;                         /* hook: an allowed exception */
};

#define WARD_POLICY_MAX_FINDINGS 40

struct ward_report {
        struct ward_finding findings[WARD_POLICY_MAX_FINDINGS];
        size_t n;
        double score; /* 0.0 (locked down) .. 10.0 (no protection), see policy_score() */
};

/* Every rule on f: one finding per rule that trips, and the exposure score. */
void policy_evaluate(const struct ward_facts *f, struct ward_report *r);

/* The rules on box against max (a profile read as the maximum permissions, from
 * policy_max_from_config): a finding per rule where box goes beyond max. No score. */
void policy_compare(const struct ward_facts *box, const struct ward_facts *max,
                    struct ward_report *r);

/* The exposure score of the findings: 10 * (sum of the weights of the rules that trip) /
 * (sum of the weights of every rule), weights info 0, low 1, medium 3, high 6, critical 10; raised
 * to at least 5.0 by a high finding and 9.0 by a critical one. One decimal. */
double policy_score(const struct ward_report *r);
/* "OK" (< 2.0), "MEDIUM" (< 5.0), "EXPOSED" (< 8.0), "UNSAFE". */
const char *policy_score_label(double score);

/* The highest severity among the findings not waived (WARD_SEV_NONE when there is none). */
enum ward_severity policy_report_max(const struct ward_report *r);

/* The fix for a rule, in the language of the facts' source. */
const char *policy_rule_fix(const struct ward_policy_rule *rule, enum ward_facts_kind kind);
