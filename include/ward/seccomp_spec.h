/* What [Seccomp] asks for: the seccomp module's spec (seccomp.h builds and loads the
 * filter; the compiled one the monitor prepares is the plan's, plan.h). Composed by
 * config.h; includes nothing of the settings. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward/error.h"

struct ward_seccomp_config {
        bool enabled; /* false: Profile=unconfined (--security-opt seccomp=) */
        struct ward_origin profile_origin;
        char *json_path; /* Profile=/abs/path.json (seccomp_json.h); NULL: ours */
        char **allow;    /* extra syscall names / @groups, validated, in order */
        size_t n_allow;
        struct ward_origin allow_origin;
        char **deny; /* refused names / @groups; Deny= wins over Allow= */
        size_t n_deny;
        struct ward_origin deny_origin;
        int default_action; /* enum ward_seccomp_action, see seccomp.h */
        struct ward_origin default_action_origin;
        /* AllowSocketFamily=: bit f: family f, otherwise refused, is let through */
        uint64_t socket_families_allowed;
        struct ward_origin socket_families_origin;
        /* AllowSetuidFiles=yes: let the sandbox create setuid/setgid files */
        bool allow_setid_files;
        struct ward_origin allow_setid_files_origin;
        struct ward_origin origin; /* where the last [Seccomp] key was set */
        /* A second filter stacked under the first: an OCI bundle's linux.seccomp,
         * compiled when the bundle is read (oci_map_linux.c). A setting, not part of
         * the plan: it is what the bundle asked, in the only form ward keeps it, and
         * nothing changes it after parsing. Loaded first, whether or not enabled is
         * set; the kernel then applies the stricter verdict of the two. */
        void *extra_bpf;
        size_t extra_bpf_len;
        struct ward_origin extra_origin;
};
