/* Unit tests for src/oci/oci_bundle.c, src/oci/oci_map*.c and src/oci/oci_spec.c: config.json onto
 * a ward_config and back. Nothing runs: the documents are mapped from memory. */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ward/cgroup.h"
#include "ward/config.h"
#include "ward/mount.h"
#include "ward/oci_bundle.h"
#include "ward/profile.h"
#include "ward/seccomp.h"
#include "ward/seccomp_json.h"

static struct ward_config c;
static struct ward_error e;

#define DIR "/b"
/* The smallest document ward runs: the members the spec makes required. */
static const struct {
        const char *key, *member;
} minimal[] = {
    {"\"ociVersion\":", "\"ociVersion\": \"1.0.2\""},
    {"\"root\":", "\"root\": {\"path\": \"rootfs\"}"},
    {"\"linux\":", "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}]}"},
    {"\"process\":", "\"process\": {\"args\": [\"/bin/app\", \"-x\"], \"cwd\": \"/srv\", "
                     "\"user\": {\"uid\": 0, \"gid\": 0}}"},
};

static void setup(void)
{
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(config_init(&c, &e), 0);
}

static void teardown(void)
{
        config_free(&c);
}

static int load(const char *text)
{
        memset(&e, 0, sizeof(e));
        config_free(&c);
        ck_assert_int_eq(config_init(&c, &e), 0);
        return oci_bundle_load_buffer(&c, text, strlen(text), DIR, &e);
}

/* The minimal members, except those extra replaces, then extra (a JSON fragment starting
 * with ','; "" for none). */
static int load_with(const char *extra)
{
        char text[8192];
        size_t used = 0;

        text[used++] = '{';
        for (size_t i = 0; i < sizeof(minimal) / sizeof(minimal[0]); i++)
                if (!strstr(extra, minimal[i].key))
                        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s",
                                                 used > 1 ? ", " : "", minimal[i].member);
        snprintf(text + used, sizeof(text) - used, "%s}", extra);
        return load(text);
}

static void refused_at(const char *extra, const char *path)
{
        ck_assert_int_lt(load_with(extra), 0);
        ck_assert_msg(strcmp(e.key, path) == 0, "%s: key \"%s\", want \"%s\" (%s)", extra, e.key,
                      path, e.msg);
        ck_assert_str_eq(e.where, DIR "/config.json");
}

START_TEST(test_minimal)
{
        ck_assert_msg(load_with("") == 0, "%s: %s", e.key, e.msg);
        ck_assert_str_eq(c.root, DIR "/rootfs");
        ck_assert(!c.read_only);    /* the spec's default, not ward's */
        ck_assert(!c.no_new_privs); /* idem */
        ck_assert(!c.seccomp.enabled);
        ck_assert(!c.init);
        ck_assert_uint_eq(c.caps_keep, 0);
        ck_assert_uint_eq(c.unshare_flags, CLONE_NEWNS);
        ck_assert_int_eq(c.net_mode, WARD_NET_HOST);
        ck_assert_ptr_null(c.hostname);
        ck_assert_uint_eq(c.n_masked_paths, 0);
        ck_assert_uint_eq(c.n_readonly_paths, 0);
        ck_assert_uint_eq(c.n_env, 0);
        ck_assert_uint_eq(c.argc, 2);
        ck_assert_str_eq(c.argv[1], "-x");
        ck_assert_ptr_null(c.argv[2]);
        ck_assert_str_eq(c.cwd, "/srv");
        ck_assert(c.user_set);
        ck_assert_ptr_null(c.user_spec);
}
END_TEST

START_TEST(test_crun_like)
{
        ck_assert_msg(
            load_with(
                ", \"hostname\": \"h\", \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\","
                " \"user\": {\"uid\": 0, \"gid\": 0, \"umask\": 18, \"additionalGids\": [5]},"
                " \"env\": [\"A=1\", \"PATH=/bin\"], \"noNewPrivileges\": true,"
                " \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_AUDIT_WRITE\"],"
                " \"effective\": [\"CAP_KILL\"], \"permitted\": [\"CAP_KILL\"],"
                " \"inheritable\": [],"
                " \"ambient\": [\"CAP_KILL\", \"CAP_AUDIT_WRITE\"]},"
                " \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 10, \"hard\": 20}]},"
                " \"root\": {\"path\": \"/abs\", \"readonly\": true},"
                " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\"},"
                " {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"m\","
                " \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},"
                " {\"destination\": \"/t\", \"type\": \"tmpfs\", \"options\": "
                " [\"size=65536k\", \"mode=700\", \"noexec\"]},"
                " {\"destination\": \"/d\", \"type\": \"none\", \"source\": \"data\","
                " \"options\": [\"rbind\", \"ro\", \"noexec\"]}],"
                " \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"ipc\"},"
                " {\"type\": \"uts\"}, {\"type\": \"mount\"}, {\"type\": \"network\"}],"
                " \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\"],"
                " \"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]}}") == 0,
            "%s: %s", e.key, e.msg);
        ck_assert_str_eq(c.hostname, "h");
        ck_assert_str_eq(c.root, "/abs");
        ck_assert(c.read_only && c.no_new_privs);
        ck_assert_uint_eq(c.caps_keep, (1ULL << 5) | (1ULL << 29));
        ck_assert_uint_eq(c.umask, 022); /* JSON numbers are decimal */
        ck_assert_uint_eq(c.n_groups, 1);
        ck_assert_uint_eq(c.groups[0], 5);
        ck_assert_str_eq(config_get_env(&c, "A"), "1");
        ck_assert(c.rlimits[RLIMIT_NOFILE].set);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].soft, 10);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].hard, 20);
        ck_assert_uint_eq(c.unshare_flags,
                          CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWNET);
        ck_assert_int_eq(c.net_mode, WARD_NET_NONE);
        ck_assert_uint_eq(c.n_mounts, 3);
        ck_assert_int_eq(c.mounts[0].kind, WARD_MOUNT_MQUEUE);
        ck_assert_int_eq(c.mounts[1].kind, WARD_MOUNT_TMPFS);
        ck_assert_uint_eq(c.mounts[1].size_bytes, 65536 * 1024);
        ck_assert_uint_eq(c.mounts[1].mode, 0700);
        ck_assert(!c.mounts[1].exec);
        ck_assert_int_eq(c.mounts[2].kind, WARD_MOUNT_BIND);
        ck_assert_str_eq(c.mounts[2].source, DIR "/data");
        ck_assert(!c.mounts[2].writable && c.mounts[2].noexec);
        ck_assert_str_eq(c.masked_paths[0].path, "/proc/kcore");
        ck_assert_str_eq(c.readonly_paths[0].path, "/proc/sys");
        /* Every setting names where in config.json it came from (ward explain prints it). */
        ck_assert_str_eq(c.hostname_origin.key, "hostname");
        ck_assert_str_eq(c.umask_origin.key, "process.user.umask");
        ck_assert_str_eq(c.groups_origin.key, "process.user.additionalGids");
        ck_assert_str_eq(c.caps_origin.key, "process.capabilities");
        ck_assert_str_eq(c.no_new_privs_origin.key, "process.noNewPrivileges");
        ck_assert_str_eq(c.rlimits[RLIMIT_NOFILE].origin.key, "process.rlimits[0]");
        ck_assert_str_eq(c.env_origins[1].key, "process.env[1]");
}
END_TEST

/* A later KEY=VALUE replaces the earlier one in its place; a hostile 200,000-entry array
 * is mapped in linear time (it took minutes with a scan per entry), duplicates included. */
START_TEST(test_env)
{
        static const size_t n = 200000;
        size_t len = n * 16 + 256, used;
        char *text = malloc(len);

        ck_assert_int_eq(load_with(", \"process\": {\"args\": [\"/a\"], \"cwd\": \"/\", "
                                   "\"user\": {\"uid\": 0, \"gid\": 0}, "
                                   "\"env\": [\"A=1\", \"B=2\", \"A=3\", \"C==\"]}"),
                         0);
        ck_assert_uint_eq(c.n_env, 3);
        ck_assert_str_eq(c.env[0], "A=3");
        ck_assert_str_eq(c.env[1], "B=2");
        ck_assert_str_eq(c.env[2], "C==");
        ck_assert_ptr_null(c.env[3]);
        /* Each in force where it was last set: A by the later entry. */
        ck_assert_str_eq(c.env_origins[0].key, "process.env[2]");
        ck_assert_str_eq(c.env_origins[1].key, "process.env[1]");
        ck_assert_str_eq(c.env_origins[2].key, "process.env[3]");
        ck_assert_str_eq(c.env_origins[0].file, DIR "/config.json");
        refused_at(", \"process\": {\"args\": [\"/a\"], \"cwd\": \"/\", "
                   "\"user\": {\"uid\": 0, \"gid\": 0}, \"env\": [\"A=1\", \"=x\"]}",
                   "process.env[1]");

        ck_assert_ptr_nonnull(text);
        used =
            (size_t)snprintf(text, len,
                             "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"r\"}, \"linux\": "
                             "{\"namespaces\": [{\"type\": \"mount\"}]}, "
                             "\"process\": {\"args\": [\"/a\"], \"cwd\": \"/\", "
                             "\"user\": {\"uid\": 0, \"gid\": 0}, \"env\": [");
        for (size_t i = 0; i < n; i++)
                used += (size_t)snprintf(text + used, len - used, "%s\"K%zu=%zu\"", i ? "," : "",
                                         i % (n / 2), i);
        snprintf(text + used, len - used, "]}}");
        ck_assert_msg(load(text) == 0, "%s: %s", e.key, e.msg);
        ck_assert_uint_eq(c.n_env, n / 2);
        ck_assert_str_eq(c.env[0], "K0=100000");
        ck_assert_str_eq(c.env[n / 2 - 1], "K99999=199999");
        ck_assert_str_eq(c.env_origins[0].key, "process.env[100000]");
        ck_assert_str_eq(c.env_origins[n / 2 - 1].key, "process.env[199999]");
        free(text);
}
END_TEST

START_TEST(test_resources)
{
        ck_assert_msg(load_with(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], "
                                "\"resources\": {\"memory\": {\"limit\": 1048576,"
                                " \"swap\": 2097152}, \"cpu\": {\"quota\": 50000, \"period\": "
                                "200000}, \"pids\": {\"limit\": 64}}}") == 0,
                      "%s: %s", e.key, e.msg);
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_MEMORY].value, 1048576);
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_MEMORY_SWAP].value, 2097152);
        ck_assert(c.cgroup.swap_is_total);
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_CPUS].value, 25000); /* a quarter CPU */
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_PIDS].value, 64);
        ck_assert_str_eq(c.cgroup.limits[WARD_CG_MEMORY_SWAP].origin.key,
                         "linux.resources.memory.swap");
        ck_assert_str_eq(c.cgroup.limits[WARD_CG_CPUS].origin.key, "linux.resources.cpu.quota");
        ck_assert_msg(load_with(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], "
                                "\"resources\": {\"memory\": {\"limit\": -1}}}") == 0,
                      "%s", e.msg);
        ck_assert(!c.cgroup.limits[WARD_CG_MEMORY].set);
}
END_TEST

START_TEST(test_refused)
{
        refused_at(", \"solaris\": {}", "solaris");
        refused_at(", \"process\": {\"args\": [\"a\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, "
                   "\"gid\": 0}, \"oomScoreAdj\": 1001}",
                   "process.oomScoreAdj");
        refused_at(", \"process\": {\"args\": [\"a\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, "
                   "\"gid\": 0}, \"oomScoreAdj\": \"5\"}",
                   "process.oomScoreAdj");
        ck_assert_msg(load_with(", \"process\": {\"args\": [\"a\"], \"cwd\": \"/\", \"user\": "
                                "{\"uid\": 0, \"gid\": 0}, \"oomScoreAdj\": -5}") == 0,
                      "%s", e.msg);
        ck_assert(c.oom_score_adj_set);
        ck_assert_int_eq(c.oom_score_adj, -5);
        ck_assert_str_eq(c.oom_score_adj_origin.key, "process.oomScoreAdj");
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"time\"}]}",
                   "linux.namespaces[1].type");
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"net\", \"path\": \"/x\"}]}",
                   "linux.namespaces[0].path");
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"pid\"}]}",
                   "linux.namespaces[1]");
        refused_at(", \"linux\": {\"intelRdt\": {}}", "linux.intelRdt");
        /* linux.sysctl: what Sysctl= takes, each refusal at its member. */
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"sysctl\": []}",
                   "linux.sysctl");
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"sysctl\": "
                   "{\"kernel.panic\": \"1\"}}",
                   "linux.sysctl[\"kernel.panic\"]");
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"sysctl\": "
                   "{\"net.ipv4.ip_forward\": 1}}",
                   "linux.sysctl[\"net.ipv4.ip_forward\"]");
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"sysctl\": "
                   "{\"net..x\": \"1\"}}",
                   "linux.sysctl[\"net..x\"]");
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"sysctl\": "
                   "{\"net/../../x\": \"1\"}}",
                   "linux.sysctl[\"net/../../x\"]");
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"resources\": "
                   "{\"memory\": {\"reservation\": 1}}}",
                   "linux.resources.memory.reservation");
        refused_at(", \"hooks\": {\"createContainer\": [{\"path\": \"/x\"}]}",
                   "hooks.createContainer[0]");
        refused_at(", \"hooks\": {\"later\": []}", "hooks.later");
        refused_at(", \"hooks\": {\"poststart\": [{\"path\": \"/x\"}]}", "hooks.poststart[0]");
        refused_at(", \"hooks\": {\"prestart\": [{\"path\": \"x\"}]}", "hooks.prestart[0].path");
        refused_at(", \"hooks\": {\"poststop\": [{\"path\": \"/x\", \"timeout\": 0}]}",
                   "hooks.poststop[0].timeout");
        refused_at(", \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", "
                   "\"options\": [\"rw\"]}]",
                   "mounts[0].options[0]");
        refused_at(", \"mounts\": [{\"destination\": \"/sys\", \"type\": \"tmpfs\"}]",
                   "mounts[0].type");
        refused_at(", \"mounts\": [{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": "
                   "[\"ro\"]}]",
                   "mounts[0].options[0]");
        refused_at(", \"mounts\": [{\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\"}]",
                   "mounts[0]"); /* without an ipc namespace */
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"uidMappings\": "
                   "[{\"containerID\": 0, \"hostID\": 1, "
                   "\"size\": 65536}]}",
                   "linux.uidMappings"); /* without a user namespace */
        refused_at(", \"domainname\": 1", "domainname");
        refused_at(", \"hostname\": \"h\"", "hostname"); /* without a uts namespace */
        refused_at(", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}]}", "linux.namespaces");
        refused_at(", \"ociVersion\": \"0.9\"", "ociVersion");
}
END_TEST

/* domainname is Sysctl=kernel.domainname= with the member as its origin; config_validate()
 * refuses it without a uts namespace (test_oci_conformance runs both). "" sets nothing. */
START_TEST(test_domainname)
{
        ck_assert_msg(load_with(", \"domainname\": \"example\"") == 0, "%s: %s", e.key, e.msg);
        ck_assert_uint_eq(c.n_sysctls, 1);
        ck_assert_str_eq(c.sysctls[0].name, "kernel.domainname");
        ck_assert_str_eq(c.sysctls[0].value, "example");
        ck_assert_str_eq(c.sysctls[0].origin.key, "domainname");
        ck_assert_msg(load_with(", \"domainname\": \"\"") == 0, "%s: %s", e.key, e.msg);
        ck_assert_uint_eq(c.n_sysctls, 0);
}
END_TEST

/* A non-bind mount keeps its "source" (the name mountinfo shows), ward's own ones too,
 * and each of ward's own records how many of the list's mounts come before it. */
START_TEST(test_mount_sources_and_order)
{
        ck_assert_msg(
            load_with(", \"mounts\": [{\"destination\": \"/t\", \"type\": \"tmpfs\","
                      " \"source\": \"scratch\"},"
                      " {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
                      " {\"destination\": \"/u\", \"type\": \"tmpfs\", \"source\": \"\"},"
                      " {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\","
                      " \"options\": [\"ro\"]}],"
                      " \"linux\": {\"namespaces\": [{\"type\": \"mount\"},"
                      " {\"type\": \"network\"}]}") == 0,
            "%s: %s", e.key, e.msg);
        ck_assert_uint_eq(c.n_mounts, 2);
        ck_assert_str_eq(c.mounts[0].source, "scratch");
        ck_assert_ptr_null(c.mounts[1].source); /* empty: the kernel's "none" */
        ck_assert_str_eq(c.fixed[WARD_FIXED_PROC].source, "proc");
        ck_assert_uint_eq(c.fixed[WARD_FIXED_PROC].after, 1);
        ck_assert_str_eq(c.fixed[WARD_FIXED_SYS].source, "sysfs");
        ck_assert_uint_eq(c.fixed[WARD_FIXED_SYS].after, 2);
        ck_assert_ptr_null(c.fixed[WARD_FIXED_DEV].source); /* not listed: ward's default */
        ck_assert_uint_eq(c.fixed[WARD_FIXED_DEV].after, 0);

        /* Listed twice ("/dev/." is /dev): the first place counts, or the tmpfs between would
         * be mounted before a /dev that then covers it. */
        ck_assert_msg(load_with(", \"mounts\": [{\"destination\": \"/dev\", \"type\": \"tmpfs\","
                                " \"source\": \"first\"},"
                                " {\"destination\": \"/dev/x\", \"type\": \"tmpfs\"},"
                                " {\"destination\": \"/dev/.\", \"type\": \"tmpfs\","
                                " \"source\": \"second\"}]") == 0,
                      "%s: %s", e.key, e.msg);
        ck_assert_uint_eq(c.fixed[WARD_FIXED_DEV].after, 0);
        ck_assert_str_eq(c.fixed[WARD_FIXED_DEV].source, "first");

        char big[400];
        memset(big, 'x', 256);
        big[256] = '\0';
        char extra[600];
        snprintf(
            extra, sizeof(extra),
            ", \"mounts\": [{\"destination\": \"/t\", \"type\": \"tmpfs\", \"source\": \"%s\"}]",
            big);
        refused_at(extra, "mounts[0].source");
        big[255] = '\0'; /* what fsconfig(2) takes */
        snprintf(
            extra, sizeof(extra),
            ", \"mounts\": [{\"destination\": \"/t\", \"type\": \"tmpfs\", \"source\": \"%s\"}]",
            big);
        ck_assert_msg(load_with(extra) == 0, "%s: %s", e.key, e.msg);
}
END_TEST

/* Mounts, masked paths, the root and every other setting keep their JSON paths in their
 * origins: the errors found later, by mount.c before the sandbox is created or while it is
 * built, name those rather than a profile key, and ward explain prints them. */
START_TEST(test_mount_origins)
{
        ck_assert_msg(load_with(", \"root\": {\"path\": \"/\"},"
                                " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\"},"
                                " {\"destination\": \"/t\", \"type\": \"tmpfs\"},"
                                " {\"destination\": \"/proc/sys\", \"type\": \"tmpfs\"}],"
                                " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}],"
                                " \"maskedPaths\": [\"/a\", \"/b\"]}") == 0,
                      "%s: %s", e.key, e.msg);
        ck_assert_uint_eq(c.n_mounts, 2); /* /proc is ward's own: not a mount of the list */
        ck_assert_str_eq(c.mounts[0].origin.key, "mounts[1]");
        ck_assert_str_eq(c.mounts[1].origin.key, "mounts[2]");
        ck_assert_str_eq(c.mounts[1].origin.file, DIR "/config.json");
        ck_assert_str_eq(c.masked_paths[1].origin.key, "linux.maskedPaths[1]");
        ck_assert_str_eq(c.root_origin.key, "root.path");
        ck_assert_str_eq(c.read_only_origin.key, "root.readonly");
        ck_assert_str_eq(c.user_origin.key, "process.user");
        ck_assert_str_eq(c.cwd_origin.key, "process.cwd");
        ck_assert_str_eq(c.argv_origin.key, "process.args");
        ck_assert_str_eq(c.unshare_origin.key, "linux.namespaces");

        struct ward_plan plan = WARD_PLAN_EMPTY;
        ck_assert_int_lt(mount_validate(&c, &plan, &e), 0);
        plan_done(&plan);
        ck_assert_str_eq(e.key, "mounts[2]");
        ck_assert_str_eq(e.where, DIR "/config.json");
        ck_assert_msg(strstr(e.msg, "cannot mount on /proc/sys"), "%s", e.msg);
}
END_TEST

START_TEST(test_wrong_types)
{
        refused_at(", \"hostname\": 5, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, "
                   "{\"type\": \"uts\"}]}",
                   "hostname");
        refused_at(", \"process\": {\"args\": [\"a\", {}], \"cwd\": \"/\", \"user\": {\"uid\": 0,"
                   " \"gid\": 0}}",
                   "process.args[1]");
        ck_assert_msg(strstr(e.msg, "expected a string, found an object"), "%s", e.msg);
        refused_at(", \"process\": {\"args\": [\"a\"], \"cwd\": \"/\", \"user\": {\"uid\": -1,"
                   " \"gid\": 0}}",
                   "process.user.uid");
        refused_at(", \"process\": {\"args\": [\"a\"], \"cwd\": \"rel\", \"user\": {\"uid\": 0,"
                   " \"gid\": 0}}",
                   "process.cwd");
        refused_at(
            ", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"maskedPaths\": [true]}",
            "linux.maskedPaths[0]");
        refused_at(", \"annotations\": []", "annotations");
}
END_TEST

START_TEST(test_syntax)
{
        ck_assert_int_lt(load("{\n  \"ociVersion\": \"1.0.0\",\n  \"root\": }"), 0);
        ck_assert_str_eq(e.where, DIR "/config.json:3:11");
        ck_assert_int_lt(load("{\"a\": 1, \"a\": 2}"), 0);
        ck_assert_msg(strstr(e.msg, "duplicate"), "%s", e.msg);
        ck_assert_int_lt(load(""), 0);
        ck_assert_msg(strstr(e.where, "config.json:"), "%s", e.where);
}
END_TEST

/* ward's allowlist as OCI seccomp JSON reads back with ward's own JSON reader. */
START_TEST(test_seccomp_export)
{
        struct ward_seccomp_plan plan;
        static const struct ward_origin o = {.file = "t", .line = 0};
        json_t *doc;
        size_t n = 0;

        ck_assert_int_eq(seccomp_plan_build(&c, &plan, &e), 0);
        ck_assert_ptr_nonnull(doc = seccomp_plan_to_oci(&plan));
        ck_assert_int_eq(
            seccomp_json_compile_tree(doc, "t", "k", "", c.caps_keep, &o, NULL, &n, &e), 0);
        /* One rule per allowed and refused name, clone's 1+7 and personality's 3. */
        ck_assert_uint_eq(n, plan.n_rules);
        json_decref(doc);
}
END_TEST

/* ward spec, read back by ward run --bundle: the same protections. */
START_TEST(test_spec_round_trip)
{
        struct ward_config p;
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        static char *argv[] = {"/bin/app", NULL};

        ck_assert_int_eq(config_init(&p, &e), 0);
        ck_assert_msg(profile_load(&p, WARD_SOURCE_PROFILES_DIR "/strict.profile", &e) == 0, "%s",
                      e.msg);
        p.argv = argv;
        p.argc = 1;
        ck_assert_msg(oci_spec_print(&p, f, &e) == 0, "%s", e.msg);
        fclose(f);
        ck_assert_msg(load(text) == 0, "%s: %s", e.key, e.msg);
        ck_assert_uint_eq(c.caps_keep, p.caps_keep);
        ck_assert_int_eq(c.no_new_privs, p.no_new_privs);
        ck_assert_int_eq(c.read_only, p.read_only);
        ck_assert_uint_eq(c.unshare_flags, p.unshare_flags);
        ck_assert_uint_eq(c.uid, 65534);
        ck_assert_uint_eq(c.umask, p.umask);
        ck_assert_uint_eq(c.n_masked_paths, p.n_masked_paths);
        ck_assert_uint_eq(c.n_mounts, p.n_mounts);
        for (int i = 0; i < WARD_RLIMIT_COUNT; i++) {
                ck_assert_int_eq(c.rlimits[i].set, p.rlimits[i].set);
                ck_assert_uint_eq(c.rlimits[i].soft, p.rlimits[i].soft);
                ck_assert_uint_eq(c.rlimits[i].hard, p.rlimits[i].hard);
        }
        p.argv = NULL;
        p.argc = 0;
        config_free(&p);
        free(text);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("oci_bundle");
        TCase *t = tcase_create("core");

        tcase_add_checked_fixture(t, setup, teardown);
        tcase_add_test(t, test_minimal);
        tcase_add_test(t, test_crun_like);
        tcase_add_test(t, test_env);
        tcase_add_test(t, test_resources);
        tcase_add_test(t, test_refused);
        tcase_add_test(t, test_domainname);
        tcase_add_test(t, test_mount_origins);
        tcase_add_test(t, test_mount_sources_and_order);
        tcase_add_test(t, test_wrong_types);
        tcase_add_test(t, test_syntax);
        tcase_add_test(t, test_seccomp_export);
        tcase_add_test(t, test_spec_round_trip);
        suite_add_tcase(s, t);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
