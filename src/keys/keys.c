/* The key table (keys.h): every setting ward knows, once. */
#include "ward/keys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "ward/key_values.h"
#include "ward/util.h"

const char *const ward_key_sections[] = {
    "Profile", "Namespaces", "Filesystem", "Process", "Resources", "Network",
    "Init",    "Seccomp",    "Landlock",   "Policy",  NULL,
};

/* A [Resources] Limit key: docker's --ulimit spells it in lower case. */
// clang-format off
#define LIMIT(name, res, docker_name, eg)                                                          \
        {.section = "Resources", .key = "Limit" name, .parse = key_set_rlimit, .arg = res,         \
         .also = "--ulimit " docker_name "=SOFT[:HARD]", .oci = "process.rlimits", .example = eg, \
         .show = key_show_rlimit}
// clang-format on

// clang-format off
static const struct ward_key table[] = {
    {.section = "Profile", .key = "Include", .also = "--profile NAME|PATH", .example = "default"},
    {.section = "Profile", .key = "Description", .parse = key_set_description, .example = "a web server", .show = key_show_description},

    {.section = "Namespaces", .key = "Unshare", .parse = key_set_unshare, .flag = "unshare",
     .flag_arg = WARD_FLAG_REQUIRED, .also = "--share NS[,NS]", .oci = "linux.namespaces", .example = "user pid mount uts ipc", .show = key_show_unshare},
    {.section = "Namespaces", .key = "Hostname", .parse = key_set_hostname, .flag = "hostname",
     .short_flag = 'h', .flag_arg = WARD_FLAG_REQUIRED, .oci = "hostname", .example = "web", .show = key_show_hostname},
    {.section = "Namespaces", .key = "Sysctl", .parse = key_set_sysctl, .flag = "sysctl",
     .flag_arg = WARD_FLAG_REQUIRED, .oci = "linux.sysctl", .example = "net.ipv4.ip_unprivileged_port_start=80", .show = key_show_sysctl},
    {.section = "Namespaces", .key = "IdMapBase", .parse = key_set_id_map_base,
     .oci = "linux.uidMappings", .example = "3000000", .show = key_show_id_map_base},

    {.section = "Filesystem", .key = "Root", .parse = key_set_root, .flag = "rootfs",
     .flag_arg = WARD_FLAG_REQUIRED, .from_flag = flag_absolute_path, .oci = "root.path", .example = "/srv/web/rootfs", .show = key_show_root},
    {.section = "Filesystem", .key = "ReadOnly", .parse = key_set_read_only, .flag = "read-only",
     .flag_arg = WARD_FLAG_OPTIONAL, .flag_value = "yes", .oci = "root.readonly", .example = "try", .show = key_show_read_only},
    {.section = "Filesystem", .key = "Tmpfs", .parse = key_set_tmpfs,
     .also = "--tmpfs PATH[:OPTIONS]", .oci = "mounts", .example = "/data size=8M", .show = key_show_mounts},
    {.section = "Filesystem", .key = "Bind", .parse = key_set_bind,
     .also = "-v, --volume SRC:DST[:ro|rw]", .oci = "mounts", .example = "/usr/share /mnt ro"},
    {.section = "Filesystem", .key = "MaskPath", .parse = key_set_mask_path,
     .oci = "linux.maskedPaths", .example = "/proc/version", .show = key_show_mask_path},
    {.section = "Filesystem", .key = "ReadOnlyPath", .parse = key_set_readonly_path,
     .oci = "linux.readonlyPaths", .example = "/proc/sys/net", .show = key_show_readonly_path},

    {.section = "Process", .key = "User", .parse = key_set_user, .flag = "user", .short_flag = 'u',
     .flag_arg = WARD_FLAG_REQUIRED, .oci = "process.user", .example = "1000:1000", .show = key_show_user},
    {.section = "Process", .key = "SupplementaryGroups", .parse = key_set_groups,
     .also = "--group-add GROUP", .oci = "process.user.additionalGids", .example = "1000 1001", .show = key_show_groups},
    {.section = "Process", .key = "KeepGroups", .parse = key_set_keep_groups,
     .flag = "keep-groups", .flag_arg = WARD_FLAG_NONE, .flag_value = "yes",
     .also = "--group-add keep-groups", .example = "yes", .show = key_show_keep_groups},
    {.section = "Process", .key = "Capabilities", .parse = key_set_capabilities,
     .also = "--cap-add CAP, --cap-drop CAP", .oci = "process.capabilities", .example = "NET_BIND_SERVICE", .show = key_show_capabilities},
    {.section = "Process", .key = "NoNewPrivileges", .parse = key_set_no_new_privs,
     .also = "--security-opt no-new-privileges[=BOOL]", .oci = "process.noNewPrivileges", .example = "yes", .show = key_show_no_new_privs},
    {.section = "Process", .key = "DropBoundingSet", .parse = key_set_drop_bounding_set, .example = "try", .show = key_show_drop_bounding_set},
    {.section = "Process", .key = "Environment", .parse = key_set_environment,
     .also = "-e, --env KEY=VALUE, --env-file FILE", .oci = "process.env", .example = "LANG=C.UTF-8", .show = key_show_environment},
    {.section = "Process", .key = "PassEnvironment", .parse = key_set_pass_environment,
     .also = "-e, --env KEY", .example = "TERM"},
    {.section = "Process", .key = "WorkingDirectory", .parse = key_set_working_directory,
     .flag = "workdir", .short_flag = 'w', .flag_arg = WARD_FLAG_REQUIRED, .oci = "process.cwd", .example = "/srv", .show = key_show_working_directory},
    {.section = "Process", .key = "UMask", .parse = key_set_umask, .oci = "process.user.umask", .example = "0027", .show = key_show_umask},
    {.section = "Process", .key = "OOMScoreAdjust", .parse = key_set_oom_score_adjust,
     .flag = "oom-score-adj", .flag_arg = WARD_FLAG_REQUIRED, .oci = "process.oomScoreAdj",
     .example = "500", .show = key_show_oom_score_adjust},
    {.section = "Process", .key = "MemfdExec", .parse = key_set_memfd_exec, .example = "no", .show = key_show_memfd_exec},

    {.section = "Resources", .key = "Resources", .parse = key_set_resources_mode, .example = "try", .show = key_show_resources_mode},
    {.section = "Resources", .key = "Memory", .parse = key_set_cgroup_limit, .flag = "memory",
     .short_flag = 'm', .flag_arg = WARD_FLAG_REQUIRED, .oci = "linux.resources.memory.limit", .example = "64M", .show = key_show_cgroup_limit},
    {.section = "Resources", .key = "MemorySwap", .parse = key_set_cgroup_limit,
     .also = "--memory-swap BYTES (memory plus swap, as docker)",
     .oci = "linux.resources.memory.swap", .example = "32M", .show = key_show_cgroup_limit},
    {.section = "Resources", .key = "MemoryHigh", .parse = key_set_cgroup_limit, .example = "48M", .show = key_show_cgroup_limit},
    {.section = "Resources", .key = "CPUs", .parse = key_set_cgroup_limit, .flag = "cpus",
     .flag_arg = WARD_FLAG_REQUIRED, .oci = "linux.resources.cpu.quota", .example = "0.5", .show = key_show_cgroup_limit},
    {.section = "Resources", .key = "CPUWeight", .parse = key_set_cgroup_limit, .example = "50", .show = key_show_cgroup_limit},
    {.section = "Resources", .key = "Pids", .parse = key_set_cgroup_limit, .flag = "pids-limit",
     .flag_arg = WARD_FLAG_REQUIRED, .from_flag = flag_unlimited_or_zero,
     .oci = "linux.resources.pids.limit", .example = "64", .show = key_show_cgroup_limit},
    {.section = "Resources", .key = "IOWeight", .parse = key_set_cgroup_limit, .example = "50", .show = key_show_cgroup_limit},
    {.section = "Resources", .key = "CgroupParent", .parse = key_set_cgroup_parent,
     .flag = "cgroup-parent", .flag_arg = WARD_FLAG_REQUIRED, .example = "/ward/web", .show = key_show_cgroup_parent},
    LIMIT("AS", RLIMIT_AS, "as", "4G"),
    LIMIT("CORE", RLIMIT_CORE, "core", "0"),
    LIMIT("CPU", RLIMIT_CPU, "cpu", "60"),
    LIMIT("DATA", RLIMIT_DATA, "data", "1G"),
    LIMIT("FSIZE", RLIMIT_FSIZE, "fsize", "1G"),
    LIMIT("LOCKS", RLIMIT_LOCKS, "locks", "100"),
    LIMIT("MEMLOCK", RLIMIT_MEMLOCK, "memlock", "64K"),
    LIMIT("MSGQUEUE", RLIMIT_MSGQUEUE, "msgqueue", "800K"),
    LIMIT("NICE", RLIMIT_NICE, "nice", "0"),
    LIMIT("NOFILE", RLIMIT_NOFILE, "nofile", "4096"),
    LIMIT("NPROC", RLIMIT_NPROC, "nproc", "256"),
    LIMIT("RSS", RLIMIT_RSS, "rss", "1G"),
    LIMIT("RTPRIO", RLIMIT_RTPRIO, "rtprio", "0"),
    LIMIT("RTTIME", RLIMIT_RTTIME, "rttime", "1000000"),
    LIMIT("SIGPENDING", RLIMIT_SIGPENDING, "sigpending", "100"),
    LIMIT("STACK", RLIMIT_STACK, "stack", "8M"),

    {.section = "Network", .key = "Mode", .parse = key_set_net_mode, .flag = "network",
     .flag_arg = WARD_FLAG_REQUIRED, .oci = "linux.namespaces", .example = "host", .show = key_show_net_mode},

    {.section = "Init", .key = "Init", .parse = key_set_init, .flag = "init",
     .flag_arg = WARD_FLAG_NONE, .flag_value = "yes", .no_flag = "no-init", .example = "no", .show = key_show_init},
    {.section = "Init", .key = "StopTimeout", .parse = key_set_stop_timeout,
     .flag = "stop-timeout", .flag_arg = WARD_FLAG_REQUIRED, .example = "30s", .show = key_show_stop_timeout},
    {.section = "Init", .key = "ProcessGroup", .parse = key_set_process_group, .example = "yes", .show = key_show_process_group},
    {.section = "Init", .key = "SuccessExitStatus", .parse = key_set_success_exit_status, .example = "3", .show = key_show_success_exit_status},
    {.section = "Init", .key = "ExitLikeApp", .parse = key_set_exit_like_app, .example = "yes",
     .show = key_show_exit_like_app},

    {.section = "Seccomp", .key = "Profile", .parse = key_set_seccomp_profile,
     .also = "--security-opt seccomp=unconfined|default|/abs/path.json", .oci = "linux.seccomp", .example = "unconfined", .show = key_show_seccomp_profile},
    {.section = "Seccomp", .key = "Allow", .parse = key_set_seccomp_allow, .example = "@clock", .show = key_show_seccomp_allow},
    {.section = "Seccomp", .key = "Deny", .parse = key_set_seccomp_deny, .example = "ptrace", .show = key_show_seccomp_deny},
    {.section = "Seccomp", .key = "DefaultAction", .parse = key_set_seccomp_default_action, .example = "kill", .show = key_show_seccomp_default_action},
    {.section = "Seccomp", .key = "AllowSocketFamily", .parse = key_set_seccomp_socket_families, .example = "AF_VSOCK", .show = key_show_seccomp_socket_families},
    {.section = "Seccomp", .key = "AllowSetuidFiles", .parse = key_set_seccomp_setid_files, .example = "yes", .show = key_show_seccomp_setid_files},

    {.section = "Landlock", .key = "Landlock", .parse = key_set_landlock, .example = "try", .show = key_show_landlock_mode},
    {.section = "Landlock", .key = "ReadOnly", .parse = key_set_landlock, .example = "/usr", .show = key_show_landlock_list},
    {.section = "Landlock", .key = "ReadWrite", .parse = key_set_landlock, .example = "/tmp", .show = key_show_landlock_list},
    {.section = "Landlock", .key = "Execute", .parse = key_set_landlock, .example = "/usr/bin", .show = key_show_landlock_list},
    {.section = "Landlock", .key = "BindTCP", .parse = key_set_landlock, .example = "8080", .show = key_show_landlock_ports},
    {.section = "Landlock", .key = "ConnectTCP", .parse = key_set_landlock, .example = "443", .show = key_show_landlock_ports},

    {.section = "Policy", .key = "AllowExceptions", .parse = key_set_policy_exceptions, .example = "W070", .show = key_show_policy_exceptions},
    {.section = "Policy", .key = "AllowCalls", .parse = key_set_policy_calls, .example = "mount", .show = key_show_policy_calls},
    {.section = "Policy", .key = "AllowJoinNamespaces", .parse = key_set_policy_join_ns, .example = "net", .show = key_show_policy_join_ns},
};
// clang-format on
_Static_assert(ARRAY_SIZE(table) <= WARD_KEYS_MAX, "cli.c sizes its option tables by it");

void keys_explain(const struct ward_config *c, FILE *out)
{
        for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
                struct ward_key_out o = {.out = out, .row = &table[i]};
                if (table[i].show)
                        table[i].show(c, &o);
        }
}

const struct ward_key *keys_table(size_t *n)
{
        *n = ARRAY_SIZE(table);
        return table;
}

const struct ward_key *keys_find(const char *section, const char *key)
{
        for (size_t i = 0; i < ARRAY_SIZE(table); i++)
                if (strcmp(table[i].section, section) == 0 && strcmp(table[i].key, key) == 0)
                        return &table[i];
        return NULL;
}

const struct ward_key *keys_find_any_section(const char *key)
{
        for (size_t i = 0; i < ARRAY_SIZE(table); i++)
                if (strcmp(table[i].key, key) == 0)
                        return &table[i];
        return NULL;
}

bool keys_section_known(const char *section)
{
        for (size_t i = 0; ward_key_sections[i]; i++)
                if (strcmp(ward_key_sections[i], section) == 0)
                        return true;
        return false;
}

static const char *or_empty(const char *s)
{
        return s ? s : "";
}

/* "-h, --hostname VALUE" */
static void format_flag(const struct ward_key *k, char *buf, size_t len)
{
        char short_part[8] = "";

        buf[0] = '\0';
        if (!k->flag)
                return;
        if (k->short_flag)
                snprintf(short_part, sizeof(short_part), "-%c, ", k->short_flag);
        snprintf(buf, len, "%s--%s%s%s%s", short_part, k->flag,
                 k->flag_arg == WARD_FLAG_REQUIRED   ? " VALUE"
                 : k->flag_arg == WARD_FLAG_OPTIONAL ? "[=VALUE]"
                                                     : "",
                 k->no_flag ? ", --" : "", or_empty(k->no_flag));
}

static void print_row_text(const struct ward_key *k, const char *flag)
{
        char name[64];

        snprintf(name, sizeof(name), "[%s] %s=", k->section, k->key);
        printf("%-32s e.g. %s=%s\n", name, k->key, k->example);
        if (flag[0])
                printf("    flag: %s\n", flag);
        if (k->also && k->also[0])
                printf("    also: %s\n", k->also);
        if (k->oci && k->oci[0])
                printf("    OCI:  %s\n", k->oci);
}

int keys_print(const char *format)
{
        bool tsv = strcmp(format, "tsv") == 0;
        char flag[96];

        if (!tsv && strcmp(format, "text") != 0)
                return -EINVAL;
        if (tsv)
                printf("section\tkey\tflag\talso\toci\texample\n");
        for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
                const struct ward_key *k = &table[i];
                format_flag(k, flag, sizeof(flag));
                if (tsv)
                        printf("%s\t%s\t%s\t%s\t%s\t%s\n", k->section, k->key, flag,
                               or_empty(k->also), or_empty(k->oci), k->example);
                else
                        print_row_text(k, flag);
        }
        return fflush(stdout) == 0 ? 0 : -errno;
}
