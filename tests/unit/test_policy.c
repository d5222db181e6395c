/* Unit tests for the policy engine (src/policy/policy.c, src/policy/policy_profile.c,
 * src/policy/oci_facts.c): every rule with a configuration that trips it and one that does not,
 * from a ward profile and from an OCI config.json; the score; an entrypoint (in-place) profile,
 * where what the outer container decides is not judged; the comparison `ward hook` makes; hostile
 * JSON. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config_fixture.h"
#include "ward/oci_facts.h"
#include "ward/policy.h"
#include "ward/syscalls.h"
#include "ward/util.h"

/* A profile with no finding at all: the built-in defaults plus limits. */
static const char base_profile[] = "[Resources]\nMemory=256M\nPids=128\nCPUs=1\n"
                                   "LimitNOFILE=1024\nLimitNPROC=512\n";

/* An OCI config with no finding at all. */
static const char base_oci[] =
    "{\"ociVersion\": \"1.0.2\","
    " \"process\": {\"user\": {\"uid\": 1000, \"gid\": 1000}, \"args\": [\"/bin/true\"],"
    "   \"noNewPrivileges\": true,"
    "   \"capabilities\": {\"bounding\": [], \"effective\": [], \"permitted\": [],"
    "                      \"inheritable\": [], \"ambient\": []},"
    "   \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024},"
    "                 {\"type\": \"RLIMIT_NPROC\", \"hard\": 512, \"soft\": 512}],"
    "   \"apparmorProfile\": \"docker-default\","
    "   \"selinuxLabel\": \"system_u:system_r:container_t:s0\"},"
    " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
    " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
    "   {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
    "    \"options\": [\"nosuid\"]},"
    "   {\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"/srv/data\","
    "    \"options\": [\"rbind\", \"rw\"]}],"
    " \"linux\": {"
    "   \"namespaces\": [{\"type\": \"user\"}, {\"type\": \"pid\"}, {\"type\": \"network\"},"
    "     {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}, {\"type\": \"cgroup\"}],"
    "   \"uidMappings\": [{\"containerID\": 0, \"hostID\": 2000000, \"size\": 65536}],"
    "   \"resources\": {\"memory\": {\"limit\": 268435456}, \"pids\": {\"limit\": 128},"
    "     \"cpu\": {\"quota\": 100000, \"period\": 100000},"
    "     \"devices\": [{\"allow\": false, \"access\": \"rwm\"}]},"
    "   \"devices\": [{\"path\": \"/dev/null\", \"type\": \"c\", \"major\": 1, \"minor\": 3}],"
    "   \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\","
    "     \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]},"
    "   \"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\","
    "     \"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\","
    "     \"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"],"
    "   \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\","
    "     \"/proc/sysrq-trigger\"]},"
    " \"annotations\": {\"unknown.field\": \"ignored\"},"
    " \"someFutureField\": {\"nested\": [1, 2, 3]}}";

#define NS(...) "{\"linux\": {\"namespaces\": [" __VA_ARGS__ "]}}"
#define N_USER "{\"type\": \"user\"}, "
#define N_PID "{\"type\": \"pid\"}, "
#define N_NET "{\"type\": \"network\"}, "
#define N_IPC "{\"type\": \"ipc\"}, "
#define N_UTS "{\"type\": \"uts\"}, "
#define N_MNT "{\"type\": \"mount\"}, "
#define N_CG "{\"type\": \"cgroup\"}"

static struct ward_facts facts;
static struct ward_report report;

static void facts_setup(void)
{
        setup();
        policy_facts_init(&facts, WARD_FACTS_PROFILE);
}

static void facts_teardown(void)
{
        policy_facts_free(&facts);
        teardown();
}

/* The base profile plus extra, evaluated. */
static void eval_profile(const char *extra)
{
        ck_assert_int_eq(load_text(base_profile), 0);
        if (extra)
                ck_assert_msg(load_text(extra) == 0, "profile \"%s\": %s", extra, e.msg);
        policy_facts_free(&facts);
        ck_assert_int_eq(policy_facts_from_config(&c, &facts, &e), 0);
        policy_evaluate(&facts, &report);
}

/* base_oci with a JSON merge patch applied (objects merge, everything else replaces). */
static void eval_oci(const char *patch)
{
        json_error_t err;
        json_t *doc = json_loads(base_oci, JSON_DECODE_INT_AS_REAL, &err), *p;

        ck_assert_msg(doc, "base: %d:%d %s", err.line, err.column, err.text);
        if (patch) {
                p = json_loads(patch, JSON_DECODE_INT_AS_REAL, &err);
                ck_assert_msg(p, "patch %s: %d:%d %s", patch, err.line, err.column, err.text);
                ck_assert_int_eq(json_object_update_recursive(doc, p), 0);
                json_decref(p);
        }
        policy_facts_free(&facts);
        memset(&e, 0, sizeof(e));
        ck_assert_msg(oci_facts_from_json(doc, "config.json", &facts, &e) == 0, "%s: %s: %s", patch,
                      e.key, e.msg);
        json_decref(doc);
        policy_evaluate(&facts, &report);
}

static const struct ward_finding *found(const char *id)
{
        for (size_t i = 0; i < report.n; i++)
                if (strcmp(report.findings[i].rule->id, id) == 0)
                        return &report.findings[i];
        return NULL;
}

static void report_text(char *buf, size_t len)
{
        buf[0] = '\0';
        for (size_t i = 0; i < report.n; i++) {
                size_t used = strlen(buf);
                snprintf(buf + used, len - used, "%s[%s] ", report.findings[i].rule->id,
                         report.findings[i].detail);
        }
}

#define ASSERT_FOUND(id, where)                                                                    \
        do {                                                                                       \
                char _t[2048];                                                                     \
                report_text(_t, sizeof(_t));                                                       \
                ck_assert_msg(found(id), "%s: %s not found; findings: %s", where, id, _t);         \
        } while (0)
#define ASSERT_NOT_FOUND(id, where)                                                                \
        do {                                                                                       \
                char _t[2048];                                                                     \
                report_text(_t, sizeof(_t));                                                       \
                ck_assert_msg(!found(id), "%s: %s found; findings: %s", where, id, _t);            \
        } while (0)

/* ------------------------------------------------------------------------------------- */
/* One row per rule: profile text and OCI patch that trip it, and ones that do not (NULL:
 * that side cannot express it; the base then serves as the "does not trip" case). */

struct rule_case {
        const char *id;
        const char *profile_trips, *profile_ok;
        const char *oci_trips, *oci_ok;
};

#define ALL_CAPS                                                                                   \
        "[\"CAP_CHOWN\", \"CAP_DAC_OVERRIDE\", \"CAP_DAC_READ_SEARCH\", \"CAP_FOWNER\","           \
        " \"CAP_FSETID\", \"CAP_KILL\", \"CAP_SETGID\", \"CAP_SETUID\", \"CAP_SETPCAP\","          \
        " \"CAP_LINUX_IMMUTABLE\", \"CAP_NET_BIND_SERVICE\", \"CAP_NET_BROADCAST\","               \
        " \"CAP_NET_ADMIN\", \"CAP_NET_RAW\", \"CAP_IPC_LOCK\", \"CAP_IPC_OWNER\","                \
        " \"CAP_SYS_MODULE\", \"CAP_SYS_RAWIO\", \"CAP_SYS_CHROOT\", \"CAP_SYS_PTRACE\","          \
        " \"CAP_SYS_PACCT\", \"CAP_SYS_ADMIN\", \"CAP_SYS_BOOT\", \"CAP_SYS_NICE\","               \
        " \"CAP_SYS_RESOURCE\", \"CAP_SYS_TIME\", \"CAP_SYS_TTY_CONFIG\", \"CAP_MKNOD\","          \
        " \"CAP_LEASE\", \"CAP_AUDIT_WRITE\", \"CAP_AUDIT_CONTROL\", \"CAP_SETFCAP\","             \
        " \"CAP_MAC_OVERRIDE\", \"CAP_MAC_ADMIN\", \"CAP_SYSLOG\", \"CAP_WAKE_ALARM\","            \
        " \"CAP_BLOCK_SUSPEND\", \"CAP_AUDIT_READ\"]"

static const struct rule_case cases[] = {
    {"W001", "[Process]\nCapabilities=ALL\n", "[Process]\nCapabilities=SYS_ADMIN CHOWN\n",
     "{\"process\": {\"capabilities\": {\"bounding\": " ALL_CAPS "}}}",
     "{\"process\": {\"capabilities\": {\"bounding\": [\"CAP_SYS_ADMIN\", \"CAP_CHOWN\"]}}}"},
    {"W002", "[Process]\nCapabilities=SYS_PTRACE\n", "[Process]\nCapabilities=NET_BIND_SERVICE\n",
     "{\"process\": {\"capabilities\": {\"ambient\": [\"CAP_NET_ADMIN\"]}}}",
     "{\"process\": {\"capabilities\": {\"effective\": [\"CAP_CHOWN\"]}}}"},
    {"W003", "[Process]\nCapabilities=NET_BIND_SERVICE\n", "[Process]\nCapabilities=SYS_ADMIN\n",
     "{\"process\": {\"capabilities\": {\"permitted\": [\"CAP_KILL\"]}}}",
     "{\"process\": {\"capabilities\": {\"permitted\": [\"CAP_SYS_MODULE\"]}}}"},
    {"W010", "[Namespaces]\nUnshare=\nUnshare=pid mount net uts ipc cgroup\n",
     "[Namespaces]\nUnshare=\nUnshare=pid mount net uts ipc cgroup\n[Process]\nUser=1000\n",
     "{\"process\": {\"user\": {\"uid\": 0}}, \"linux\": {\"namespaces\": [" N_PID N_NET N_IPC N_UTS
         N_MNT N_CG "]}}",
     "{\"process\": {\"user\": {\"uid\": 0}}}"},
    /* A profile cannot map the host root: the loader refuses IdMapBase=0. */
    {"W011", NULL, "[Namespaces]\nIdMapBase=3000000\n",
     "{\"linux\": {\"uidMappings\": [{\"containerID\": 0, \"hostID\": 0, \"size\": 1}]}}",
     "{\"linux\": {\"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 1}]}}"},
    /* A config.json has no such key: its groups are process.user.additionalGids. */
    {"W012", "[Process]\nKeepGroups=yes\n", "[Process]\nKeepGroups=no\n", NULL, NULL},
    {"W020", "[Namespaces]\nUnshare=\nUnshare=user mount net uts ipc cgroup\n", NULL,
     NS(N_USER N_NET N_IPC N_UTS N_MNT N_CG),
     NS(N_USER
        "{\"type\": \"pid\", \"path\": \"/proc/4242/ns/pid\"}, " N_NET N_IPC N_UTS N_MNT N_CG)},
    {"W021", "[Network]\nMode=host\n", "[Network]\nMode=none\n",
     NS(N_USER N_PID
        "{\"type\": \"network\", \"path\": \"/proc/1/ns/net\"}, " N_IPC N_UTS N_MNT N_CG),
     NS(N_USER N_PID
        "{\"type\": \"network\", \"path\": \"/var/run/netns/c1\"}, " N_IPC N_UTS N_MNT N_CG)},
    {"W022", "[Namespaces]\nUnshare=\nUnshare=user pid mount net uts cgroup\n", NULL,
     NS(N_USER N_PID N_NET N_UTS N_MNT N_CG), NULL},
    {"W023", "[Namespaces]\nUnshare=\nUnshare=user pid mount net ipc cgroup\n", NULL,
     NS(N_USER N_PID N_NET N_IPC N_MNT N_CG), NULL},
    {"W024", "[Namespaces]\nUnshare=\nUnshare=user pid net uts ipc cgroup\n", NULL,
     NS(N_USER N_PID N_NET N_IPC N_UTS N_CG), NULL},
    {"W025", "[Namespaces]\nUnshare=\nUnshare=user pid mount net uts ipc\n", NULL,
     NS(N_USER N_PID N_NET N_IPC N_UTS "{\"type\": \"mount\"}"), NULL},
    /* Any path is a joined namespace (unknown paths too); without one it is new. */
    {"W026", NULL, NULL,
     NS(N_USER N_PID N_NET "{\"type\": \"ipc\", \"path\": \"/var/run/ipc/x\"}, " N_UTS N_MNT N_CG),
     NS(N_USER N_PID N_NET N_IPC N_UTS N_MNT N_CG)},
    {"W030", "[Filesystem]\nReadOnly=no\n", "[Filesystem]\nReadOnly=yes\n",
     "{\"root\": {\"readonly\": false}}", "{\"root\": {\"readonly\": true}}"},
    {"W040", "[Seccomp]\nProfile=unconfined\n", "[Seccomp]\nProfile=default\n",
     "{\"linux\": {\"seccomp\": null}}", NULL},
    {"W041", "[Seccomp]\nDefaultAction=log\n", "[Seccomp]\nDefaultAction=kill\n",
     "{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
     "[{\"names\": [\"reboot\"], \"action\": \"SCMP_ACT_ERRNO\"}]}}}",
     "{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
     "[{\"names\": [\"read\", \"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}]}}}"},
    {"W042", "[Seccomp]\nAllow=ptrace\n", NULL,
     "{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
     "[{\"names\": [\"keyctl\"], \"action\": \"SCMP_ACT_ALLOW\"}]}}}",
     "{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
     "[{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\"}]}}}"},
    {"W043", "[Seccomp]\nAllowSocketFamily=vsock\n", "[Seccomp]\nAllowSocketFamily=\n", NULL, NULL},
    {"W050", "[Process]\nNoNewPrivileges=no\n", NULL, "{\"process\": {\"noNewPrivileges\": false}}",
     NULL},
    {"W060", "[Resources]\nMemory=max\n", "[Resources]\nMemory=1G\n",
     "{\"linux\": {\"resources\": {\"memory\": {\"limit\": -1}}}}",
     "{\"linux\": {\"resources\": {\"memory\": {\"limit\": 1073741824}}}}"},
    {"W061", "[Resources]\nPids=max\n", "[Resources]\nPids=64\n",
     "{\"linux\": {\"resources\": {\"pids\": null}}}",
     "{\"linux\": {\"resources\": {\"pids\": {\"limit\": 64}}}}"},
    {"W062", "[Resources]\nLimitNOFILE=infinity\n", "[Resources]\nLimitNOFILE=64\n",
     "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NPROC\", \"hard\": 1, \"soft\": 1}]}}",
     "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 8, \"soft\": 8}]}}"},
    {"W063", "[Resources]\nLimitNPROC=infinity\n", "[Resources]\nLimitNPROC=64\n",
     "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1, \"soft\": 1},"
     " {\"type\": \"RLIMIT_NPROC\", \"hard\": 18446744073709551615, \"soft\": 1}]}}",
     "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NPROC\", \"hard\": 8, \"soft\": 8}]}}"},
    {"W064", "[Resources]\nCPUs=max\n", "[Resources]\nCPUs=0.5\n",
     "{\"linux\": {\"resources\": {\"cpu\": {\"quota\": -1}}}}",
     "{\"linux\": {\"resources\": {\"cpu\": {\"quota\": 5000, \"period\": 10000}}}}"},
    {"W070", "[Filesystem]\nBind=/var/run/docker.sock /var/run/docker.sock\n",
     "[Filesystem]\nBind=/srv/data /data\n",
     "{\"mounts\": [{\"destination\": \"/sock\", \"type\": \"none\", \"source\": "
     "\"/run/containerd/containerd.sock\", \"options\": [\"bind\"]}]}",
     "{\"mounts\": [{\"destination\": \"/sock\", \"type\": \"bind\", \"source\": "
     "\"/srv/app/app.sock\"}]}"},
    {"W071", "[Filesystem]\nBind=/ /host\n", "[Filesystem]\nBind=/srv /srv\n",
     "{\"mounts\": [{\"destination\": \"/host\", \"type\": \"bind\", \"source\": \"//\","
     " \"options\": [\"rbind\", \"ro\"]}]}",
     "{\"mounts\": [{\"destination\": \"/host\", \"type\": \"tmpfs\", \"source\": \"/\"}]}"},
    {"W072", "[Filesystem]\nBind=/etc /host-etc\n", "[Filesystem]\nBind=/etc/hostname /etc/x\n",
     "{\"mounts\": [{\"destination\": \"/s\", \"type\": \"bind\", \"source\": \"/var/run\"}]}",
     "{\"mounts\": [{\"destination\": \"/tz\", \"type\": \"bind\", \"source\": "
     "\"/etc/localtime\", \"options\": [\"rw\", \"ro\"]}]}"},
    {"W073", NULL, NULL,
     "{\"mounts\": [{\"destination\": \"/host/sys\", \"type\": \"sysfs\", \"source\": "
     "\"sysfs\"}]}",
     "{\"mounts\": [{\"destination\": \"/sys/\", \"type\": \"sysfs\", \"source\": "
     "\"sysfs\"}]}"},
    {"W080", "[Filesystem]\nBind=/dev/sda /dev/sda rw\n", "[Filesystem]\nBind=/dev/null /x\n",
     "{\"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"access\": \"rwm\"}]}}}",
     "{\"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"type\": \"c\", \"major\": "
     "1, \"minor\": 3, \"access\": \"rwm\"}]}, \"devices\": [{\"path\": \"/dev/null\"}]}}"},
    {"W090", "[Filesystem]\nMaskPath=\n", "[Filesystem]\nMaskPath=/proc/cpuinfo\n",
     "{\"linux\": {\"maskedPaths\": null}}",
     "{\"linux\": {\"maskedPaths\": [\"/proc\", \"/sys\"], \"readonlyPaths\": [\"/proc\"]}}"},
    {"W100", NULL, NULL, "{\"process\": {\"apparmorProfile\": \"unconfined\"}}", NULL},
    {"W101", NULL, NULL, "{\"process\": {\"selinuxLabel\": \"system_u:system_r:spc_t:s0\"}}",
     "{\"process\": {\"selinuxLabel\": \"system_u:system_r:container_t:s0:c1,c2\"}}"},
    /* An OCI config.json describes the container itself: it is never in place. */
    {"W110", "[Namespaces]\nUnshare=none\n", "[Namespaces]\nUnshare=user pid\n", NULL, NULL},
};

START_TEST(test_rules_table_complete)
{
        size_t n;
        const struct ward_policy_rule *all = policy_rules(&n);

        ck_assert_uint_eq(n, ARRAY_SIZE(cases));
        for (size_t i = 0; i < n; i++) {
                ck_assert_str_eq(all[i].id, cases[i].id);
                ck_assert_ptr_nonnull(all[i].reason);
                ck_assert_ptr_nonnull(all[i].fix_profile);
                ck_assert_ptr_nonnull(all[i].fix_oci);
                ck_assert_int_gt(all[i].severity, WARD_SEV_NONE);
                /* Only the in-place note is info: every other rule is an exposure. */
                ck_assert_int_eq(all[i].severity == WARD_SEV_INFO, strcmp(all[i].id, "W110") == 0);
                ck_assert_ptr_eq(policy_rule_find(all[i].id), &all[i]);
                ck_assert_ptr_eq(policy_rule_find(all[i].name), &all[i]);
                /* Every rule trips on at least one side. */
                ck_assert(cases[i].profile_trips || cases[i].oci_trips);
        }
        ck_assert_ptr_null(policy_rule_find("W999"));
}
END_TEST

START_TEST(test_base_has_no_findings)
{
        char t[2048];

        eval_profile(NULL);
        report_text(t, sizeof(t));
        ck_assert_msg(report.n == 0, "profile: %s", t);
        ck_assert_double_eq(report.score, 0.0);
        eval_oci(NULL);
        report_text(t, sizeof(t));
        ck_assert_msg(report.n == 0, "oci: %s", t);
        ck_assert_double_eq(report.score, 0.0);
}
END_TEST

START_TEST(test_rule_profile)
{
        const struct rule_case *rc = &cases[_i];

        if (rc->profile_trips) {
                eval_profile(rc->profile_trips);
                ASSERT_FOUND(rc->id, rc->profile_trips);
                ck_assert_uint_eq(facts.kind, WARD_FACTS_PROFILE);
        }
        teardown();
        setup();
        eval_profile(rc->profile_ok);
        ASSERT_NOT_FOUND(rc->id, rc->profile_ok ? rc->profile_ok : "base profile");
}
END_TEST

START_TEST(test_rule_oci)
{
        const struct rule_case *rc = &cases[_i];

        if (rc->oci_trips) {
                eval_oci(rc->oci_trips);
                ASSERT_FOUND(rc->id, rc->oci_trips);
        }
        eval_oci(rc->oci_ok);
        ASSERT_NOT_FOUND(rc->id, rc->oci_ok ? rc->oci_ok : "base config");
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Details and overlaps                                                                  */

START_TEST(test_privileged_reported_once)
{
        eval_oci("{\"process\": {\"capabilities\": {\"bounding\": " ALL_CAPS "}}}");
        ASSERT_FOUND("W001", "all caps");
        ASSERT_NOT_FOUND("W002", "all caps");
        ASSERT_NOT_FOUND("W003", "all caps");
}
END_TEST

START_TEST(test_details_name_what_tripped)
{
        eval_profile("[Process]\nCapabilities=SYS_ADMIN NET_ADMIN CHOWN\n"
                     "[Filesystem]\nBind=/run/podman/podman.sock /p rw\n");
        ck_assert_str_eq(found("W002")->detail, "NET_ADMIN SYS_ADMIN");
        ck_assert_str_eq(found("W003")->detail, "CHOWN");
        ck_assert_str_eq(found("W070")->detail, "/run/podman/podman.sock (rw)");
        /* An engine socket below /run is W070, not also W072. */
        ASSERT_NOT_FOUND("W072", "podman.sock");
}
END_TEST

START_TEST(test_root_is_host_root)
{
        eval_profile("[Filesystem]\nRoot=/\n");
        ASSERT_FOUND("W071", "Root=/");
        ck_assert_str_eq(found("W071")->detail, "/ (the root filesystem)");
        eval_profile("[Filesystem]\nRoot=/srv/images/web\n");
        ASSERT_NOT_FOUND("W071", "Root=/srv/images/web");
}
END_TEST

START_TEST(test_details_one_line)
{
        eval_oci("{\"mounts\": [{\"destination\": \"/s\", \"type\": \"bind\", "
                 "\"source\": \"/x\\nward-hook: allowed\\u001b[0m/docker.sock\"}]}");
        ASSERT_FOUND("W070", "a source with a newline and an escape");
        ck_assert_str_eq(found("W070")->detail, "/x?ward-hook: allowed?[0m/docker.sock (rw)");
}
END_TEST

START_TEST(test_engine_sockets)
{
        static const char *const sockets[] = {"/var/run/docker.sock", "/run/crio/crio.sock",
                                              "/tmp/x/docker.sock", "/var/run/containerd",
                                              "/run/podman/podman.sock"};
        char patch[512];

        for (size_t i = 0; i < ARRAY_SIZE(sockets); i++) {
                snprintf(patch, sizeof(patch),
                         "{\"mounts\": [{\"destination\": \"/s\", \"type\": \"bind\", "
                         "\"source\": \"%s\"}]}",
                         sockets[i]);
                eval_oci(patch);
                ASSERT_FOUND("W070", sockets[i]);
        }
        eval_oci("{\"mounts\": [{\"destination\": \"/s\", \"type\": \"bind\", "
                 "\"source\": \"/srv/docker.socket.txt\"}]}");
        ASSERT_NOT_FOUND("W070", "docker.socket.txt");
}
END_TEST

START_TEST(test_devtmpfs_and_devices)
{
        eval_oci("{\"mounts\": [{\"destination\": \"/dev\", \"type\": \"devtmpfs\", "
                 "\"source\": \"devtmpfs\"}]}");
        ASSERT_FOUND("W080", "devtmpfs");
        eval_oci("{\"linux\": {\"devices\": [{\"path\": \"/dev/sda\", \"type\": \"b\"}]}}");
        ASSERT_FOUND("W080", "/dev/sda");
        ck_assert_str_eq(found("W080")->detail, "/dev/sda");
        /* A later refuse-all cancels an earlier allow-all. */
        eval_oci("{\"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"access\": "
                 "\"rwm\"}, {\"allow\": false, \"access\": \"rwm\"}]}}}");
        ASSERT_NOT_FOUND("W080", "allow then refuse");
}
END_TEST

START_TEST(test_seccomp_json_profile)
{
        char dir[] = "/tmp/ward-test-policy.XXXXXX", path[128], text[256];
        FILE *f;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/allow.json", dir);
        ck_assert_ptr_nonnull(f = fopen(path, "we"));
        fputs("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", f);
        fclose(f);
        snprintf(text, sizeof(text), "[Seccomp]\nProfile=%s\n", path);
        eval_profile(text);
        ASSERT_FOUND("W041", "allow-all JSON profile");
        ck_assert_int_eq(unlink(path), 0);
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Entrypoint mode: the outer container's business is not the host's exposure            */

/* The shipped entrypoint profile plus extra (on top, as a later --profile would be). */
static void eval_entrypoint(const char *extra)
{
        teardown();
        setup();
        ck_assert_msg(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/entrypoint.profile", &e) == 0,
                      "entrypoint.profile: %s", e.msg);
        if (extra)
                ck_assert_msg(load_text(extra) == 0, "profile \"%s\": %s", extra, e.msg);
        policy_facts_free(&facts);
        ck_assert_int_eq(policy_facts_from_config(&c, &facts, &e), 0);
        policy_evaluate(&facts, &report);
}

/* The rules the outer runtime answers for when ward runs in place. */
static const char *const outer_rules[] = {"W010", "W011", "W020", "W021", "W022", "W023", "W024",
                                          "W025", "W026", "W060", "W061", "W064", "W090"};

START_TEST(test_entrypoint_outer_rules)
{
        char t[2048];

        eval_entrypoint(NULL);
        ck_assert(facts.in_place);
        for (size_t i = 0; i < ARRAY_SIZE(outer_rules); i++)
                ASSERT_NOT_FOUND(outer_rules[i], "entrypoint.profile");
        ASSERT_FOUND("W110", "entrypoint.profile");
        ck_assert_int_eq(found("W110")->rule->severity, WARD_SEV_INFO);
        ck_assert_str_eq(found("W110")->detail, "Unshare=none (not judged: W010 W011 W020 W021 "
                                                "W022 W023 W024 W025 W026 W060 W061 W064 W090)");
        ck_assert_ptr_nonnull(strstr(found("W110")->rule->fix_profile, "ward check --oci"));
        ck_assert_ptr_nonnull(strstr(found("W110")->rule->fix_profile, "ward hook --policy"));
        /* What is left is ward's own: no RLIMIT_NPROC (low, weight 1 of 132): 0.1. */
        report_text(t, sizeof(t));
        ck_assert_msg(report.n == 2 && found("W063"), "entrypoint.profile: %s", t);
        ck_assert_double_eq(report.score, 0.1);
        ck_assert_str_eq(policy_score_label(report.score), "OK");
        ck_assert_int_eq(policy_report_max(&report), WARD_SEV_LOW);
}
END_TEST

START_TEST(test_entrypoint_info_not_scored)
{
        eval_entrypoint("[Resources]\nLimitNPROC=512\n");
        ck_assert_uint_eq(report.n, 1);
        ASSERT_FOUND("W110", "entrypoint.profile + LimitNPROC");
        ck_assert_double_eq(report.score, 0.0);
        /* Below low: --fail-on low (the lowest it takes) does not fail on it. */
        ck_assert_int_eq(policy_report_max(&report), WARD_SEV_INFO);
        ck_assert_int_lt(policy_report_max(&report), WARD_SEV_LOW);
}
END_TEST

/* In place does not excuse what ward itself applies there. */
START_TEST(test_entrypoint_own_rules_judged)
{
        static const struct {
                const char *extra, *id;
        } own[] = {
            {"[Process]\nNoNewPrivileges=no\n", "W050"},
            {"[Process]\nCapabilities=SYS_ADMIN\n", "W002"},
            {"[Process]\nCapabilities=NET_BIND_SERVICE\n", "W003"},
            {"[Seccomp]\nProfile=unconfined\n", "W040"},
            {"[Seccomp]\nDefaultAction=log\n", "W041"},
            {"[Filesystem]\nReadOnly=no\n", "W030"},
            {"[Resources]\nLimitNOFILE=infinity\n", "W062"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(own); i++) {
                eval_entrypoint(own[i].extra);
                ck_assert(facts.in_place);
                ASSERT_FOUND(own[i].id, own[i].extra);
                ASSERT_FOUND("W110", own[i].extra);
        }
        eval_entrypoint("[Process]\nNoNewPrivileges=no\n");
        ck_assert_str_eq(policy_severity_name(found("W050")->rule->severity), "medium");
        ck_assert_double_eq(report.score, 0.3); /* 10 * (3 + 1) / 116, one decimal */
        /* In place, / is the container's own root (entrypoint.c sets Root=/ at run time),
         * not the host's: ward run's warnings once called it W071. */
        eval_entrypoint("[Filesystem]\nRoot=/\n");
        ASSERT_NOT_FOUND("W071", "entrypoint with Root=/");
        teardown();
        setup();
        eval_profile("[Filesystem]\nRoot=/\n");
        ASSERT_FOUND("W071", "control: Root=/ with namespaces");
}
END_TEST

/* The same profile with namespaces of its own is a normal one, judged for what it lacks. */
START_TEST(test_entrypoint_control_with_namespaces)
{
        eval_entrypoint("[Namespaces]\nUnshare=user\n");
        ck_assert(!facts.in_place);
        ASSERT_NOT_FOUND("W110", "Unshare=user");
        ASSERT_FOUND("W020", "Unshare=user");
        ASSERT_FOUND("W024", "Unshare=user");
        ASSERT_FOUND("W060", "Unshare=user");
        ASSERT_FOUND("W061", "Unshare=user");
        ck_assert_double_ge(report.score, 5.0);

        eval_entrypoint("[Namespaces]\nUnshare=user pid mount\n");
        ck_assert(!facts.in_place);
        ASSERT_NOT_FOUND("W110", "Unshare=user pid mount");
        ASSERT_NOT_FOUND("W010", "Unshare=user pid mount");
        ASSERT_NOT_FOUND("W020", "Unshare=user pid mount");
        ASSERT_NOT_FOUND("W024", "Unshare=user pid mount");
        ASSERT_FOUND("W021", "Unshare=user pid mount");
        ASSERT_FOUND("W022", "Unshare=user pid mount");
        ASSERT_FOUND("W060", "Unshare=user pid mount");
        ASSERT_FOUND("W061", "Unshare=user pid mount");

        /* Without the user namespace, the root inside is the host's root again. */
        eval_entrypoint("[Namespaces]\nUnshare=pid mount\n");
        ASSERT_FOUND("W010", "Unshare=pid mount");
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Score                                                                                 */

START_TEST(test_score)
{
        eval_profile(NULL);
        ck_assert_double_eq(report.score, 0.0);
        ck_assert_str_eq(policy_score_label(report.score), "OK");
        /* Two medium findings and a low one (no memory, pids, CPU limit): 10 * 7 / 132. */
        teardown();
        setup();
        ck_assert_int_eq(load_text("[Resources]\nLimitNOFILE=1024\nLimitNPROC=512\n"), 0);
        policy_facts_free(&facts);
        ck_assert_int_eq(policy_facts_from_config(&c, &facts, &e), 0);
        policy_evaluate(&facts, &report);
        ck_assert_uint_eq(report.n, 3);
        ck_assert_double_eq(report.score, 0.5);
        /* A high finding is at least 5.0, a critical one at least 9.0. */
        eval_oci("{\"process\": {\"noNewPrivileges\": false, \"apparmorProfile\": "
                 "\"unconfined\"}, \"linux\": {\"seccomp\": null}}");
        ck_assert_double_eq(report.score, 5.0);
        ck_assert_str_eq(policy_score_label(report.score), "EXPOSED");
        eval_oci("{\"mounts\": [{\"destination\": \"/s\", \"type\": \"bind\", "
                 "\"source\": \"/var/run/docker.sock\"}]}");
        ck_assert_double_eq(report.score, 9.0);
        ck_assert_str_eq(policy_score_label(report.score), "UNSAFE");
        ck_assert_int_eq(policy_report_max(&report), WARD_SEV_CRITICAL);
}
END_TEST

START_TEST(test_score_no_protection_is_ten)
{
        /* An empty config.json: the host's namespaces, root, nothing limited. */
        json_t *doc = json_loads("{\"process\": {\"capabilities\": {\"bounding\": " ALL_CAPS
                                 "}, \"apparmorProfile\": \"unconfined\", \"selinuxLabel\": "
                                 "\"x:y:spc_t:s0\"}, \"mounts\": ["
                                 "{\"destination\": \"/h\", \"type\": \"bind\", \"source\": \"/\"},"
                                 "{\"destination\": \"/d\", \"type\": \"bind\", \"source\": "
                                 "\"/run/docker.sock\"},"
                                 "{\"destination\": \"/e\", \"type\": \"bind\", \"source\": "
                                 "\"/etc\"}],"
                                 "\"linux\": {\"uidMappings\": [{\"hostID\": 0}],"
                                 "\"resources\": {\"devices\": [{\"allow\": true}]}}}",
                                 0, NULL);
        size_t n;

        ck_assert_ptr_nonnull(doc);
        ck_assert_int_eq(oci_facts_from_json(doc, "x", &facts, &e), 0);
        json_decref(doc);
        /* W011 needs a user namespace and W041 a filter; W002/W003 are folded into W001. */
        facts.host_ns[WARD_NS_USER] = false;
        policy_evaluate(&facts, &report);
        policy_rules(&n);
        ck_assert_double_ge(report.score, 9.0);
        ck_assert_double_le(report.score, 10.0);
        ck_assert_str_eq(policy_score_label(report.score), "UNSAFE");
}
END_TEST

START_TEST(test_severity_names)
{
        enum ward_severity s;

        ck_assert_int_eq(policy_severity_from_name("HIGH", &s), 0);
        ck_assert_int_eq(s, WARD_SEV_HIGH);
        ck_assert_int_eq(policy_severity_from_name("none", &s), 0);
        ck_assert_int_eq(s, WARD_SEV_NONE);
        ck_assert_int_eq(policy_severity_from_name("severe", &s), -EINVAL);
        ck_assert_int_eq(policy_severity_from_name("info", &s), 0);
        ck_assert_int_eq(s, WARD_SEV_INFO);
        ck_assert_str_eq(policy_severity_name(WARD_SEV_INFO), "info");
        ck_assert_int_lt(WARD_SEV_INFO, WARD_SEV_LOW);
        ck_assert_str_eq(policy_severity_name(WARD_SEV_CRITICAL), "critical");
}
END_TEST

START_TEST(test_normalize_path)
{
        char a[] = "//var/./run//docker.sock/", b[] = "/", c1[] = "/./", d[] = "/a/../b";

        policy_normalize_path(a);
        ck_assert_str_eq(a, "/var/run/docker.sock");
        policy_normalize_path(b);
        ck_assert_str_eq(b, "/");
        policy_normalize_path(c1);
        ck_assert_str_eq(c1, "/");
        policy_normalize_path(d);
        ck_assert_str_eq(d, "/a/../b");
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* The hook's comparison: the profile as the maximum permissions                         */

static struct ward_facts max;

/* The policy: config_init defaults plus text; box: base_oci plus patch. */
static void compare(const char *policy_text, const char *patch)
{
        struct ward_config pc;
        struct ward_error pe;

        memset(&pe, 0, sizeof(pe));
        ck_assert_int_eq(config_init(&pc, &pe), 0);
        ck_assert_msg(
            profile_load_buffer(&pc, policy_text, strlen(policy_text), "p.profile", &pe) == 0, "%s",
            pe.msg);
        ck_assert_int_eq(policy_facts_from_config(&pc, &max, &pe), 0);
        config_free(&pc);
        eval_oci(patch);
        policy_compare(&facts, &max, &report);
        policy_facts_free(&max);
}

START_TEST(test_compare_within_policy)
{
        compare("[Resources]\nLimitNOFILE=1024\nLimitNPROC=512\n"
                "[Filesystem]\nBind=/srv/data /data rw\n",
                NULL);
        ck_assert_uint_eq(report.n, 0);
        /* Limits below the policy's are fine; none where the policy has none is fine. */
        compare("[Resources]\nMemory=1G\n", "{\"linux\": {\"resources\": {\"pids\": null}}}");
        ck_assert_uint_eq(report.n, 0);
}
END_TEST

START_TEST(test_compare_beyond_policy)
{
        compare("[Process]\nCapabilities=CHOWN\n",
                "{\"process\": {\"capabilities\": {\"bounding\": [\"CAP_CHOWN\", "
                "\"CAP_SYS_ADMIN\", \"CAP_KILL\"]}}}");
        ck_assert_str_eq(found("W002")->detail, "SYS_ADMIN");
        ck_assert_str_eq(found("W003")->detail, "KILL");
        compare("[Resources]\nMemory=128M\n", NULL);
        ASSERT_FOUND("W060", "256M > 128M");
        ck_assert_str_eq(found("W060")->detail, "268435456, the policy allows at most 134217728");
        compare("[Resources]\nLimitNOFILE=64\n", NULL);
        ASSERT_FOUND("W062", "1024 > 64");
        /* A read-only bind of the policy's does not allow a writable one. */
        compare(
            "[Filesystem]\nBind=/etc /etc-host\n",
            "{\"mounts\": [{\"destination\": \"/e\", \"type\": \"bind\", \"source\": \"/etc\"}]}");
        ASSERT_FOUND("W072", "rw beyond ro");
        compare(
            "[Filesystem]\nBind=/etc /etc-host rw\n",
            "{\"mounts\": [{\"destination\": \"/e\", \"type\": \"bind\", \"source\": \"/etc\"}]}");
        ASSERT_NOT_FOUND("W072", "rw within rw");
        /* A device the policy binds may be a device node of the container. */
        compare("[Filesystem]\nBind=/dev/kvm /dev/kvm rw\n",
                "{\"linux\": {\"devices\": [{\"path\": \"/dev/kvm\"}]}}");
        ASSERT_NOT_FOUND("W080", "/dev/kvm bound by the policy");
        compare("", "{\"linux\": {\"devices\": [{\"path\": \"/dev/kvm\"}]}}");
        ASSERT_FOUND("W080", "/dev/kvm not in the policy");
        /* Sharing a namespace the policy keeps private. */
        compare("", NS(N_USER N_PID N_IPC N_UTS N_MNT N_CG));
        ASSERT_FOUND("W021", "host network");
        compare("[Network]\nMode=host\n", NS(N_USER N_PID N_IPC N_UTS N_MNT N_CG));
        ASSERT_NOT_FOUND("W021", "policy allows host network");
        /* The in-place note is for `ward check`: a container is never refused for it (and
         * ward hook refuses an in-place policy before comparing: test_max_in_place_refused). */
        compare("[Namespaces]\nUnshare=none\n", NULL);
        ASSERT_NOT_FOUND("W110", "in-place policy");
}
END_TEST

/* The line of entrypoint.profile that says Unshare=none. */
static unsigned unshare_none_line(void)
{
        _cleanup_fclose_ FILE *f = fopen(WARD_SOURCE_PROFILES_DIR "/entrypoint.profile", "re");
        char buf[512];
        unsigned n = 0;

        ck_assert_ptr_nonnull(f);
        while (fgets(buf, sizeof(buf), f)) {
                n++;
                if (strcmp(buf, "Unshare=none\n") == 0)
                        return n;
        }
        ck_abort_msg("entrypoint.profile has no Unshare=none line");
        return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
        size_t n = strlen(s), k = strlen(suffix);
        return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* An entrypoint profile says what ward does inside a container, not what a container may
 * be given: read as the maximum, its namespaces (all the host's) would let a container
 * share the host's pid and network namespaces. */
START_TEST(test_max_in_place_refused)
{
        char where[64];

        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/entrypoint.profile", &e), 0);
        ck_assert_int_eq(policy_max_from_config(&c, "entrypoint", &max, &e), -EINVAL);
        snprintf(where, sizeof(where), "/profiles/entrypoint.profile:%u", unshare_none_line());
        ck_assert_msg(ends_with(e.where, where), "where: %s", e.where);
        ck_assert_str_eq(e.key, "Namespaces.Unshare");
        ck_assert_msg(strstr(e.msg, "policy entrypoint is an entrypoint-mode profile "
                                    "(Unshare=none)") &&
                          strstr(e.msg, "share the host's pid, network and every other namespace"),
                      "msg: %s", e.msg);
        ck_assert_msg(strstr(e.hint, "--policy default, or a copy of it"), "hint: %s", e.hint);

        /* Wherever Unshare=none is set: on top of the default profile too, blamed there. */
        teardown();
        setup();
        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/default.profile", &e), 0);
        ck_assert_int_eq(load_text("[Profile]\n[Namespaces]\nUnshare=none\n"), 0);
        ck_assert_int_eq(policy_max_from_config(&c, "mine", &max, &e), -EINVAL);
        ck_assert_str_eq(e.where, "test.profile:3");
        ck_assert_ptr_nonnull(strstr(e.msg, "policy mine is an entrypoint-mode profile"));
}
END_TEST

/* Controls: a policy with namespaces of its own is read as one, and judges them. */
START_TEST(test_max_with_namespaces)
{
        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/default.profile", &e), 0);
        ck_assert_int_eq(policy_max_from_config(&c, "default", &max, &e), 0);
        ck_assert(!max.in_place);
        eval_oci(NULL);
        policy_compare(&facts, &max, &report);
        ASSERT_NOT_FOUND("W020", "a container with every namespace, under default");
        ASSERT_NOT_FOUND("W021", "a container with every namespace, under default");
        eval_oci(NS(N_USER N_IPC N_UTS N_MNT N_CG));
        policy_compare(&facts, &max, &report);
        ASSERT_FOUND("W020", "the host's pid namespace, under default");
        ASSERT_FOUND("W021", "the host's network namespace, under default");
        policy_facts_free(&max);

        /* The entrypoint profile given namespaces is no longer in place: a policy again. */
        teardown();
        setup();
        ck_assert_int_eq(profile_load(&c, WARD_SOURCE_PROFILES_DIR "/entrypoint.profile", &e), 0);
        ck_assert_int_eq(load_text("[Namespaces]\nUnshare=user pid net\n"), 0);
        ck_assert_int_eq(policy_max_from_config(&c, "entrypoint+ns", &max, &e), 0);
        policy_compare(&facts, &max, &report);
        ASSERT_FOUND("W020", "the host's pid namespace, under entrypoint+ns");
        ASSERT_FOUND("W021", "the host's network namespace, under entrypoint+ns");
        policy_facts_free(&max);
}
END_TEST

START_TEST(test_policy_exceptions_key)
{
        ck_assert_int_eq(load_text("[Policy]\nAllowExceptions=W070 host-network,w021\n"), 0);
        ck_assert_uint_eq(c.n_policy_exceptions, 3);
        ck_assert_str_eq(c.policy_exceptions[0], "W070");
        ck_assert_str_eq(c.policy_exceptions[1], "W021");
        ck_assert_str_eq(c.policy_exceptions[2], "W021");
        ck_assert_int_eq(load_text("[Policy]\nAllowExceptions=\n"), 0);
        ck_assert_uint_eq(c.n_policy_exceptions, 0);
        ck_assert_int_eq(load_text("[Policy]\nAllowExceptions=W999\n"), -EINVAL);
        ck_assert_str_eq(e.where, "test.profile:2");
        ck_assert_str_eq(e.key, "Policy.AllowExceptions");
        ck_assert_int_eq(load_text("[Policy]\nAllowException=W001\n"), -EINVAL);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Hostile JSON                                                                          */

/* Feed text through a pipe, as the hook reads its state. */
static int read_text(const char *text, size_t len, json_t **out)
{
        int fds[2];
        pid_t pid;
        int r;

        ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                close(fds[0]);
                while (len) {
                        ssize_t n = write(fds[1], text, len);
                        if (n <= 0)
                                _exit(0);
                        text += n;
                        len -= (size_t)n;
                }
                _exit(0);
        }
        close(fds[1]);
        memset(&e, 0, sizeof(e));
        r = oci_json_read_fd(fds[0], "state", out, &e);
        close(fds[0]);
        ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
        return r;
}

START_TEST(test_hostile_truncated)
{
        json_t *j = NULL;
        const char *t = "{\"ociVersion\": \"1.0\",\n \"bundle\": \"/x";

        ck_assert_int_eq(read_text(t, strlen(t), &j), -EINVAL);
        ck_assert_ptr_null(j);
        ck_assert_msg(strncmp(e.where, "state:2:", 8) == 0, "%s", e.where);
        ck_assert_int_eq(e.exit_code, 125);
}
END_TEST

START_TEST(test_hostile_huge)
{
        size_t len = WARD_OCI_JSON_MAX_SIZE + 100;
        char *big = malloc(len);
        json_t *j = NULL;

        ck_assert_ptr_nonnull(big);
        memset(big, ' ', len);
        big[0] = '{';
        big[len - 1] = '}';
        ck_assert_int_eq(read_text(big, len, &j), -EFBIG);
        ck_assert_ptr_null(j);
        free(big);
}
END_TEST

START_TEST(test_hostile_deep)
{
        size_t depth = 100000;
        char *deep = malloc(2 * depth);
        json_t *j = NULL;

        ck_assert_ptr_nonnull(deep);
        memset(deep, '[', depth);
        memset(deep + depth, ']', depth);
        ck_assert_int_eq(read_text(deep, 2 * depth, &j), -EINVAL);
        ck_assert_ptr_null(j);
        ck_assert_msg(strstr(e.where, "state:1:"), "%s", e.where);
        free(deep);
}
END_TEST

START_TEST(test_hostile_duplicates_and_top_level)
{
        json_t *j = NULL;
        const char *dup = "{\"process\": {}, \"process\": {}}", *arr = "[1]",
                   *nul = "{\"a\": \"\\u0000\"}";

        ck_assert_int_eq(read_text(dup, strlen(dup), &j), -EINVAL);
        ck_assert_msg(strstr(e.msg, "duplicate"), "%s", e.msg);
        ck_assert_int_eq(read_text(arr, strlen(arr), &j), -EINVAL);
        ck_assert_ptr_null(j);
        ck_assert_int_eq(read_text(nul, strlen(nul), &j), -EINVAL);
        ck_assert_int_eq(read_text("", 0, &j), -EINVAL);
}
END_TEST

static void assert_wrong(const char *doc_text, const char *key)
{
        json_t *doc = json_loads(doc_text, JSON_DECODE_INT_AS_REAL, NULL);

        ck_assert_ptr_nonnull(doc);
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(oci_facts_from_json(doc, "config.json", &facts, &e), -EINVAL);
        json_decref(doc);
        ck_assert_str_eq(e.where, "config.json");
        ck_assert_str_eq(e.key, key);
        ck_assert_int_eq(e.exit_code, 125);
}

START_TEST(test_hostile_wrong_types)
{
        assert_wrong("{\"process\": []}", "process");
        assert_wrong("{\"process\": {\"user\": {\"uid\": \"0\"}}}", "process.user.uid");
        assert_wrong("{\"process\": {\"capabilities\": {\"bounding\": \"CAP_SYS_ADMIN\"}}}",
                     "process.capabilities.bounding");
        assert_wrong("{\"process\": {\"capabilities\": {\"bounding\": [7]}}}",
                     "process.capabilities.bounding[0]");
        assert_wrong("{\"process\": {\"capabilities\": {\"bounding\": [\"CAP_NOPE\"]}}}",
                     "process.capabilities.bounding[0]");
        assert_wrong("{\"root\": {\"readonly\": \"yes\"}}", "root.readonly");
        assert_wrong("{\"mounts\": {}}", "mounts");
        assert_wrong("{\"mounts\": [{\"source\": 1}]}", "mounts[0].source");
        assert_wrong("{\"linux\": {\"namespaces\": [{\"type\": 1}]}}", "linux.namespaces[0].type");
        assert_wrong("{\"linux\": {\"resources\": {\"memory\": {\"limit\": \"1G\"}}}}",
                     "linux.resources.memory.limit");
        assert_wrong("{\"linux\": {\"seccomp\": {}}}", "linux.seccomp.defaultAction");
        assert_wrong("{\"linux\": {\"maskedPaths\": [null]}}", "linux.maskedPaths[0]");
}
END_TEST

START_TEST(test_file_limits)
{
        char dir[] = "/tmp/ward-test-policy.XXXXXX", path[128], link[128];
        json_t *j = NULL;
        int dfd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/real.json", dir);
        snprintf(link, sizeof(link), "%s/config.json", dir);
        FILE *f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs("{}", f);
        fclose(f);
        ck_assert_int_eq(symlink("real.json", link), 0);
        dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(dfd, 0);
        /* A symlinked config.json is not followed. */
        ck_assert_int_lt(oci_json_load_at(dfd, "config.json", link, &j, &e), 0);
        ck_assert_ptr_null(j);
        ck_assert_int_eq(oci_json_load_at(dfd, "real.json", path, &j, &e), 0);
        json_decref(j);
        /* A directory is not a config. */
        ck_assert_int_lt(oci_json_load_file(dir, &j, &e), 0);
        close(dfd);
        unlink(link);
        unlink(path);
        rmdir(dir);
}
END_TEST

/* The base config, mutated many times over (bytes flipped, cut, structure characters
 * inserted): every result is either facts or an error with a message, never a crash (run
 * it under -DWARD_SANITIZE=ON to see memory errors too). */
START_TEST(test_mutations_never_crash)
{
        size_t len = strlen(base_oci), parsed = 0, refused = 0;
        static const char inject[] = "{}[]\",:0-9.e\\u\0";
        char *buf = malloc(len + 16);
        unsigned seed = 12345;

        ck_assert_ptr_nonnull(buf);
        for (int round = 0; round < 3000; round++) {
                size_t n = len;
                memcpy(buf, base_oci, len);
                for (int k = 0; k < 1 + round % 4; k++) {
                        size_t at = (size_t)rand_r(&seed) % n;
                        switch (rand_r(&seed) % 3) {
                        case 0:
                                buf[at] = inject[(size_t)rand_r(&seed) % (sizeof(inject) - 1)];
                                break;
                        case 1:
                                n = at + 1; /* truncated */
                                break;
                        default:
                                buf[at] = (char)(rand_r(&seed) & 0xff);
                        }
                }
                json_error_t err;
                json_t *doc =
                    json_loadb(buf, n, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &err);
                if (!doc || !json_is_object(doc)) {
                        json_decref(doc);
                        refused++;
                        continue;
                }
                memset(&e, 0, sizeof(e));
                policy_facts_free(&facts);
                if (oci_facts_from_json(doc, "m.json", &facts, &e) == 0) {
                        policy_evaluate(&facts, &report);
                        ck_assert(report.score >= 0.0 && report.score <= 10.0);
                        parsed++;
                } else {
                        ck_assert_msg(e.msg[0], "an error without a message");
                        refused++;
                }
                json_decref(doc);
        }
        free(buf);
        /* Both paths were taken many times. */
        ck_assert_uint_gt(parsed, 100);
        ck_assert_uint_gt(refused, 100);
}
END_TEST

/* ward run's warnings judge policy_facts_at_run(), which skips the seccomp plan when
 * nothing can open the built-in allowlist: on every config here both give the same
 * findings, kept capabilities (seccomp.c's cap gates) and Allow= included. */
START_TEST(test_facts_at_run_agree)
{
        static const char *const extras[] = {
            NULL,
            "[Seccomp]\nDefaultAction=kill\n",
            "[Seccomp]\nDeny=ptrace\n",
            "[Seccomp]\nDefaultAction=log\n",
            "[Seccomp]\nAllow=ptrace\n",
            "[Seccomp]\nAllow=@mount\n",
            "[Process]\nCapabilities=SYS_ADMIN\n",
            "[Process]\nCapabilities=SYS_PTRACE\n",
            "[Process]\nCapabilities=NET_BIND_SERVICE CHOWN\n",
            "[Filesystem]\nBind=/proc /x\n",
            "[Seccomp]\nProfile=unconfined\n",
        };
        struct ward_facts run;
        struct ward_report at_run;

        for (size_t i = 0; i < ARRAY_SIZE(extras); i++) {
                eval_profile(extras[i]);
                ck_assert_int_eq(policy_facts_at_run(&c, &run, &e), 0);
                policy_evaluate(&run, &at_run);
                ck_assert_msg(run.seccomp_reachable == facts.seccomp_reachable,
                              "%s: reachable %llx at run, %llx in check", extras[i],
                              (unsigned long long)run.seccomp_reachable,
                              (unsigned long long)facts.seccomp_reachable);
                ck_assert_uint_eq(at_run.n, report.n);
                for (size_t k = 0; k < report.n; k++)
                        ck_assert_str_eq(at_run.findings[k].rule->id, report.findings[k].rule->id);
                policy_facts_free(&run);
                teardown();
                setup();
        }
}
END_TEST

static bool openat2_works(void)
{
        struct open_how how = {.flags = O_PATH | O_CLOEXEC};
        int fd = ward_openat2(AT_FDCWD, "/", &how);

        if (fd >= 0)
                close(fd);
        return fd >= 0;
}

/* ... but binds by name: a symlink to an engine socket is ward check's to find. */
START_TEST(test_facts_at_run_binds_by_name)
{
        char dir[] = "/tmp/ward-policy-XXXXXX", link[64], sock[64], text[256];
        struct ward_facts run;
        int fd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(sock, sizeof(sock), "%s/docker.sock", dir);
        snprintf(link, sizeof(link), "%s/innocent", dir);
        ck_assert_int_ge(fd = open(sock, O_CREAT | O_WRONLY | O_CLOEXEC, 0600), 0);
        close(fd);
        ck_assert_int_eq(symlink("docker.sock", link), 0);
        snprintf(text, sizeof(text), "[Filesystem]\nBind=%s/./innocent /x\n", dir);
        eval_profile(text);
        ck_assert_int_eq(policy_facts_at_run(&c, &run, &e), 0);
        ck_assert_str_eq(run.mounts[run.n_mounts - 1].source, link);
        /* check resolves with openat2 (valgrind has none: it judges by name there too). */
        if (openat2_works())
                ck_assert_str_eq(facts.mounts[facts.n_mounts - 1].source, sock);
        policy_facts_free(&run);
        unlink(link);
        unlink(sock);
        rmdir(dir);
}
END_TEST

static Suite *policy_suite(void)
{
        Suite *s = suite_create("policy");
        TCase *tc = tcase_create("rules");

        tcase_add_checked_fixture(tc, facts_setup, facts_teardown);
        tcase_add_test(tc, test_rules_table_complete);
        tcase_add_test(tc, test_base_has_no_findings);
        tcase_add_loop_test(tc, test_rule_profile, 0, ARRAY_SIZE(cases));
        tcase_add_loop_test(tc, test_rule_oci, 0, ARRAY_SIZE(cases));
        tcase_add_test(tc, test_privileged_reported_once);
        tcase_add_test(tc, test_details_name_what_tripped);
        tcase_add_test(tc, test_engine_sockets);
        tcase_add_test(tc, test_root_is_host_root);
        tcase_add_test(tc, test_details_one_line);
        tcase_add_test(tc, test_devtmpfs_and_devices);
        tcase_add_test(tc, test_seccomp_json_profile);
        tcase_add_test(tc, test_facts_at_run_agree);
        tcase_add_test(tc, test_facts_at_run_binds_by_name);
        suite_add_tcase(s, tc);

        tc = tcase_create("entrypoint");
        tcase_add_checked_fixture(tc, facts_setup, facts_teardown);
        tcase_add_test(tc, test_entrypoint_outer_rules);
        tcase_add_test(tc, test_entrypoint_info_not_scored);
        tcase_add_test(tc, test_entrypoint_own_rules_judged);
        tcase_add_test(tc, test_entrypoint_control_with_namespaces);
        suite_add_tcase(s, tc);

        tc = tcase_create("score");
        tcase_add_checked_fixture(tc, facts_setup, facts_teardown);
        tcase_add_test(tc, test_score);
        tcase_add_test(tc, test_score_no_protection_is_ten);
        tcase_add_test(tc, test_severity_names);
        tcase_add_test(tc, test_normalize_path);
        suite_add_tcase(s, tc);

        tc = tcase_create("compare");
        tcase_add_checked_fixture(tc, facts_setup, facts_teardown);
        tcase_add_test(tc, test_compare_within_policy);
        tcase_add_test(tc, test_compare_beyond_policy);
        tcase_add_test(tc, test_max_in_place_refused);
        tcase_add_test(tc, test_max_with_namespaces);
        tcase_add_test(tc, test_policy_exceptions_key);
        suite_add_tcase(s, tc);

        tc = tcase_create("hostile");
        tcase_add_checked_fixture(tc, facts_setup, facts_teardown);
        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, test_hostile_truncated);
        tcase_add_test(tc, test_hostile_huge);
        tcase_add_test(tc, test_hostile_deep);
        tcase_add_test(tc, test_hostile_duplicates_and_top_level);
        tcase_add_test(tc, test_hostile_wrong_types);
        tcase_add_test(tc, test_file_limits);
        tcase_add_test(tc, test_mutations_never_crash);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(policy_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
