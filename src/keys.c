/* The key table (keys.h): every setting ward knows, once. */
#include "ward/keys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "key_values.h"
#include "ward/util.h"

const char *const ward_key_sections[] = {
    "Profile", "Namespaces", "Filesystem", "Process", "Resources", "Network",
    "Init",    "Seccomp",    "Landlock",   "Policy",  NULL,
};

#define LIMIT(name, res, oci_note)                                                                 \
        {                                                                                          \
                .section = "Resources", .key = "Limit" name, .parse = key_set_rlimit, .arg = res,  \
                .also = "--ulimit " oci_note "=SOFT[:HARD]", .oci = "process.rlimits"              \
        }

// clang-format off
static const struct ward_key table[] = {
    {.section = "Profile", .key = "Include", .also = "--profile NAME|PATH"},
    {.section = "Profile", .key = "Description", .parse = key_set_description},

    {.section = "Namespaces", .key = "Unshare", .parse = key_set_unshare, .flag = "unshare",
     .flag_arg = WARD_FLAG_REQUIRED, .also = "--share NS[,NS]", .oci = "linux.namespaces"},
    {.section = "Namespaces", .key = "Hostname", .parse = key_set_hostname, .flag = "hostname",
     .short_flag = 'h', .flag_arg = WARD_FLAG_REQUIRED, .oci = "hostname"},
    {.section = "Namespaces", .key = "IdMapBase", .parse = key_set_id_map_base,
     .oci = "linux.uidMappings"},

    {.section = "Filesystem", .key = "Root", .parse = key_set_root, .flag = "rootfs",
     .flag_arg = WARD_FLAG_REQUIRED, .from_flag = flag_absolute_path, .oci = "root.path"},
    {.section = "Filesystem", .key = "ReadOnly", .parse = key_set_read_only, .flag = "read-only",
     .flag_arg = WARD_FLAG_OPTIONAL, .flag_value = "yes", .oci = "root.readonly"},
    {.section = "Filesystem", .key = "Tmpfs", .parse = key_set_tmpfs,
     .also = "--tmpfs PATH[:OPTIONS]", .oci = "mounts"},
    {.section = "Filesystem", .key = "Bind", .parse = key_set_bind,
     .also = "-v, --volume SRC:DST[:ro|rw]", .oci = "mounts"},
    {.section = "Filesystem", .key = "MaskPath", .parse = key_set_mask_path,
     .oci = "linux.maskedPaths"},
    {.section = "Filesystem", .key = "ReadOnlyPath", .parse = key_set_readonly_path,
     .oci = "linux.readonlyPaths"},

    {.section = "Process", .key = "User", .parse = key_set_user, .flag = "user", .short_flag = 'u',
     .flag_arg = WARD_FLAG_REQUIRED, .oci = "process.user"},
    {.section = "Process", .key = "SupplementaryGroups", .parse = key_set_groups,
     .also = "--group-add GROUP", .oci = "process.user.additionalGids"},
    {.section = "Process", .key = "KeepGroups", .parse = key_set_keep_groups,
     .flag = "keep-groups", .flag_arg = WARD_FLAG_NONE, .flag_value = "yes",
     .also = "--group-add keep-groups"},
    {.section = "Process", .key = "Capabilities", .parse = key_set_capabilities,
     .also = "--cap-add CAP, --cap-drop CAP", .oci = "process.capabilities"},
    {.section = "Process", .key = "NoNewPrivileges", .parse = key_set_no_new_privs,
     .also = "--security-opt no-new-privileges[=BOOL]", .oci = "process.noNewPrivileges"},
    {.section = "Process", .key = "DropBoundingSet", .parse = key_set_drop_bounding_set},
    {.section = "Process", .key = "Environment", .parse = key_set_environment,
     .also = "-e, --env KEY=VALUE, --env-file FILE", .oci = "process.env"},
    {.section = "Process", .key = "PassEnvironment", .parse = key_set_pass_environment,
     .also = "-e, --env KEY"},
    {.section = "Process", .key = "WorkingDirectory", .parse = key_set_working_directory,
     .flag = "workdir", .short_flag = 'w', .flag_arg = WARD_FLAG_REQUIRED, .oci = "process.cwd"},
    {.section = "Process", .key = "UMask", .parse = key_set_umask, .oci = "process.user.umask"},
    {.section = "Process", .key = "MemfdExec", .parse = key_set_memfd_exec},

    {.section = "Resources", .key = "Resources", .parse = key_set_resources_mode},
    {.section = "Resources", .key = "Memory", .parse = key_set_cgroup_limit, .flag = "memory",
     .short_flag = 'm', .flag_arg = WARD_FLAG_REQUIRED, .oci = "linux.resources.memory.limit"},
    {.section = "Resources", .key = "MemorySwap", .parse = key_set_cgroup_limit,
     .also = "--memory-swap BYTES (memory plus swap, as docker)",
     .oci = "linux.resources.memory.swap"},
    {.section = "Resources", .key = "MemoryHigh", .parse = key_set_cgroup_limit},
    {.section = "Resources", .key = "CPUs", .parse = key_set_cgroup_limit, .flag = "cpus",
     .flag_arg = WARD_FLAG_REQUIRED, .oci = "linux.resources.cpu.quota"},
    {.section = "Resources", .key = "CPUWeight", .parse = key_set_cgroup_limit},
    {.section = "Resources", .key = "Pids", .parse = key_set_cgroup_limit, .flag = "pids-limit",
     .flag_arg = WARD_FLAG_REQUIRED, .from_flag = flag_unlimited_or_zero,
     .oci = "linux.resources.pids.limit"},
    {.section = "Resources", .key = "IOWeight", .parse = key_set_cgroup_limit},
    {.section = "Resources", .key = "CgroupParent", .parse = key_set_cgroup_parent,
     .flag = "cgroup-parent", .flag_arg = WARD_FLAG_REQUIRED},
    LIMIT("AS", RLIMIT_AS, "as"),
    LIMIT("CORE", RLIMIT_CORE, "core"),
    LIMIT("CPU", RLIMIT_CPU, "cpu"),
    LIMIT("DATA", RLIMIT_DATA, "data"),
    LIMIT("FSIZE", RLIMIT_FSIZE, "fsize"),
    LIMIT("LOCKS", RLIMIT_LOCKS, "locks"),
    LIMIT("MEMLOCK", RLIMIT_MEMLOCK, "memlock"),
    LIMIT("MSGQUEUE", RLIMIT_MSGQUEUE, "msgqueue"),
    LIMIT("NICE", RLIMIT_NICE, "nice"),
    LIMIT("NOFILE", RLIMIT_NOFILE, "nofile"),
    LIMIT("NPROC", RLIMIT_NPROC, "nproc"),
    LIMIT("RSS", RLIMIT_RSS, "rss"),
    LIMIT("RTPRIO", RLIMIT_RTPRIO, "rtprio"),
    LIMIT("RTTIME", RLIMIT_RTTIME, "rttime"),
    LIMIT("SIGPENDING", RLIMIT_SIGPENDING, "sigpending"),
    LIMIT("STACK", RLIMIT_STACK, "stack"),

    {.section = "Network", .key = "Mode", .parse = key_set_net_mode, .flag = "network",
     .flag_arg = WARD_FLAG_REQUIRED, .oci = "linux.namespaces"},

    {.section = "Init", .key = "Init", .parse = key_set_init, .flag = "init",
     .flag_arg = WARD_FLAG_NONE, .flag_value = "yes", .no_flag = "no-init"},
    {.section = "Init", .key = "StopTimeout", .parse = key_set_stop_timeout,
     .flag = "stop-timeout", .flag_arg = WARD_FLAG_REQUIRED},
    {.section = "Init", .key = "ProcessGroup", .parse = key_set_process_group},
    {.section = "Init", .key = "SuccessExitStatus", .parse = key_set_success_exit_status},

    {.section = "Seccomp", .key = "Profile", .parse = key_set_seccomp_profile,
     .also = "--security-opt seccomp=unconfined|default|/abs/path.json", .oci = "linux.seccomp"},
    {.section = "Seccomp", .key = "Allow", .parse = key_set_seccomp_allow},
    {.section = "Seccomp", .key = "Deny", .parse = key_set_seccomp_deny},
    {.section = "Seccomp", .key = "DefaultAction", .parse = key_set_seccomp_default_action},
    {.section = "Seccomp", .key = "AllowSocketFamily", .parse = key_set_seccomp_socket_families},
    {.section = "Seccomp", .key = "AllowSetuidFiles", .parse = key_set_seccomp_setid_files},

    {.section = "Landlock", .key = "Landlock", .parse = key_set_landlock},
    {.section = "Landlock", .key = "ReadOnly", .parse = key_set_landlock},
    {.section = "Landlock", .key = "ReadWrite", .parse = key_set_landlock},
    {.section = "Landlock", .key = "Execute", .parse = key_set_landlock},
    {.section = "Landlock", .key = "BindTCP", .parse = key_set_landlock},
    {.section = "Landlock", .key = "ConnectTCP", .parse = key_set_landlock},

    {.section = "Policy", .key = "AllowExceptions", .parse = key_set_policy_exceptions},
    {.section = "Policy", .key = "AllowCalls", .parse = key_set_policy_calls},
    {.section = "Policy", .key = "AllowJoinNamespaces", .parse = key_set_policy_join_ns},
};
// clang-format on
_Static_assert(ARRAY_SIZE(table) <= WARD_KEYS_MAX, "cli.c sizes its option tables by it");

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

/* "--hostname, -h NAME" */
static void format_flag(const struct ward_key *k, char *buf, size_t len)
{
        char short_part[8] = "";

        buf[0] = '\0';
        if (!k->flag)
                return;
        if (k->short_flag)
                snprintf(short_part, sizeof(short_part), "-%c, ", k->short_flag);
        snprintf(buf, len, "%s--%s%s%s%s%s", short_part, k->flag,
                 k->flag_arg == WARD_FLAG_REQUIRED   ? " VALUE"
                 : k->flag_arg == WARD_FLAG_OPTIONAL ? "[=VALUE]"
                                                     : "",
                 k->no_flag ? ", --" : "", k->no_flag ? k->no_flag : "", "");
}

int keys_print(const char *format)
{
        bool tsv = strcmp(format, "tsv") == 0;
        char flag[96];

        if (!tsv && strcmp(format, "text") != 0)
                return -EINVAL;
        if (tsv)
                printf("section\tkey\tflag\talso\toci\n");
        for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
                const struct ward_key *k = &table[i];
                format_flag(k, flag, sizeof(flag));
                if (tsv)
                        printf("%s\t%s\t%s\t%s\t%s\n", k->section, k->key, flag,
                               k->also ? k->also : "", k->oci ? k->oci : "");
                else
                        printf("[%s] %s=%s%s%s%s%s%s\n", k->section, k->key,
                               flag[0] ? "\n    flag: " : "", flag,
                               k->also && k->also[0] ? "\n    also: " : "", k->also ? k->also : "",
                               k->oci && k->oci[0] ? "\n    OCI:  " : "", k->oci ? k->oci : "");
        }
        return fflush(stdout) == 0 ? 0 : -errno;
}
