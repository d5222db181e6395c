/* Unit tests for the normalizer between config.json and the policy's facts
 * (src/policy/oci_norm.c): lexical paths, host resolution through symlinks (in a temporary
 * directory), mount options in order, overlay layers, namespace paths against a fake /proc,
 * seccomp profiles by what they let through, device cgroup rules by what they open. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/oci_facts.h"
#include "ward/oci_norm.h"
#include "ward/policy.h"
#include "ward/util.h"

static char dir[64];

static void tmp_setup(void)
{
        snprintf(dir, sizeof(dir), "/tmp/ward-test-norm.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void tmp_teardown(void)
{
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}

static void put(const char *rel, const char *kind, const char *target)
{
        char p[256];

        snprintf(p, sizeof(p), "%s/%s", dir, rel);
        if (strcmp(kind, "dir") == 0)
                ck_assert_int_eq(mkdir(p, 0755), 0);
        else if (strcmp(kind, "file") == 0)
                ck_assert_int_eq(close(open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644)), 0);
        else
                ck_assert_int_eq(symlink(target, p), 0);
}

/* ------------------------------------------------------------------------------------- */
/* Paths                                                                                 */

START_TEST(test_lexical)
{
        static const struct {
                const char *base, *path, *want;
        } cases[] = {
            {NULL, "/tmp/..", "/"},
            {NULL, "/tmp/../run", "/run"},
            {NULL, "//var/./run/", "/var/run"},
            {NULL, "/../../..", "/"},
            {NULL, "", "/"},
            {NULL, "relative/x", "/relative/x"},
            {"/b/c", "../../../..", "/"},
            {"/b/c", "../../etc", "/etc"},
            {"/b/c", "rootfs/./x/..", "/b/c/rootfs"},
            {"/b/c", "/abs/ignores/base", "/abs/ignores/base"},
            {NULL, "/a/.../b", "/a/.../b"},
        };
        char out[OCI_PATH_MAX];

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                ck_assert_int_eq(oci_path_lexical(cases[i].base, cases[i].path, out, sizeof(out)),
                                 0);
                ck_assert_msg(strcmp(out, cases[i].want) == 0, "%s + %s: %s, want %s",
                              cases[i].base, cases[i].path, out, cases[i].want);
        }
        ck_assert_int_eq(oci_path_lexical(NULL, "/aaaaaaaa/bbbbbbbb", out, 8), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_resolve_host)
{
        struct oci_host host = {.proc_root = "/proc"};
        char bundle[128], out[OCI_PATH_MAX], want[OCI_PATH_MAX];
        bool existed;

        put("bundle", "dir", NULL);
        put("bundle/rootfs", "dir", NULL);
        put("bundle/to-root", "link", "/");
        put("bundle/to-etc", "link", "../../../../../../../../etc");
        put("bundle/loop", "link", "loop");
        put("bundle/fifo", "file", NULL);
        snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
        host.bundle = bundle;

        ck_assert_int_eq(oci_path_resolve(&host, "to-root", out, sizeof(out), &existed), 0);
        ck_assert_str_eq(out, "/");
        ck_assert(existed);
        ck_assert_int_eq(oci_path_resolve(&host, "to-etc/.", out, sizeof(out), &existed), 0);
        ck_assert_str_eq(out, "/etc");
        /* Relative to the bundle, through .. */
        ck_assert_int_eq(oci_path_resolve(&host, "rootfs/../../..", out, sizeof(out), &existed), 0);
        ck_assert_str_eq(out, "/tmp");
        /* A missing tail: the existing prefix resolved, the rest by name. */
        ck_assert_int_eq(
            oci_path_resolve(&host, "to-root/no-such-dir/../run", out, sizeof(out), &existed), 0);
        ck_assert_str_eq(out, "/run");
        ck_assert(!existed);
        ck_assert_int_eq(oci_path_resolve(&host, "to-etc/no/such", out, sizeof(out), &existed), 0);
        ck_assert_str_eq(out, "/etc/no/such");
        /* A loop is no path: judged by name. */
        ck_assert_int_eq(oci_path_resolve(&host, "loop", out, sizeof(out), &existed), 0);
        snprintf(want, sizeof(want), "%s/loop", bundle);
        ck_assert_str_eq(out, want);
        /* A magic link is not followed (the hook's own /proc/self/root is the host's /): the
         * path stays below /proc, which the rules judge as such. */
        ck_assert_int_eq(oci_path_resolve(&host, "/proc/self/root", out, sizeof(out), &existed), 0);
        snprintf(want, sizeof(want), "/proc/%d/root", (int)getpid());
        ck_assert_str_eq(out, want);
        /* Without a host, nothing is looked up. */
        ck_assert_int_eq(oci_path_resolve(NULL, "/tmp/../run", out, sizeof(out), &existed), 0);
        ck_assert_str_eq(out, "/run");
        ck_assert(!existed);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Mount options and overlay layers                                                      */

START_TEST(test_options_in_order)
{
        struct oci_mount_opts o;
        const char *ro_rw[] = {"ro", "rw"}, *rw_ro[] = {"rbind", "rw", "ro"};
        const char *flags[] = {"nosuid", "suid", "nodev", "noexec", "exec", "noexec", "bind"};

        oci_mount_options(ro_rw, 2, &o);
        ck_assert(!o.ro && !o.bind);
        oci_mount_options(rw_ro, 3, &o);
        ck_assert(o.ro && o.bind && o.recursive);
        oci_mount_options(flags, ARRAY_SIZE(flags), &o);
        ck_assert(!o.nosuid && o.nodev && o.noexec && o.bind && !o.recursive && !o.ro);
        oci_mount_options(NULL, 0, &o);
        ck_assert(!o.ro && !o.bind && !o.nosuid);
}
END_TEST

START_TEST(test_overlay_layers)
{
        const char *opts[] = {"index=off",    "lowerdir=/a:/b\\:c:/tmp/..",
                              "upperdir=/up", "workdir=/wk",
                              "lowerdir+=/d", "datadir+=/e",
                              "lowerdir="};
        char *layers[16];
        bool w[16];
        static const char *const want[] = {"/a", "/b:c", "/tmp/..", "/up", "/wk", "/d", "/e"};
        static const bool want_w[] = {false, false, false, true, true, false, false};
        int n = oci_overlay_layers(opts, ARRAY_SIZE(opts), layers, w, ARRAY_SIZE(layers));

        ck_assert_int_eq(n, 7);
        for (int i = 0; i < n; i++) {
                ck_assert_str_eq(layers[i], want[i]);
                ck_assert_int_eq(w[i], want_w[i]);
                free(layers[i]);
        }
        ck_assert_int_eq(oci_overlay_layers(opts, ARRAY_SIZE(opts), layers, w, 2), -E2BIG);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Namespaces, against a fake /proc                                                      */

START_TEST(test_ns_classify)
{
        struct oci_host host = {.proc_root = dir};
        char p[256];

        put("1", "dir", NULL);
        put("1/ns", "dir", NULL);
        put("1/ns/net", "file", NULL);
        put("42", "dir", NULL);
        put("42/ns", "dir", NULL);
        put("42/ns/net", "file", NULL);
        put("netns-link", "link", "1/ns/net");

        snprintf(p, sizeof(p), "%s/1/ns/net", dir);
        ck_assert_int_eq(oci_ns_classify(&host, p, "net"), OCI_NS_HOST);
        /* The same inode under another name is the same namespace. */
        snprintf(p, sizeof(p), "%s/netns-link", dir);
        ck_assert_int_eq(oci_ns_classify(&host, p, "net"), OCI_NS_HOST);
        snprintf(p, sizeof(p), "%s/42/ns/net", dir);
        ck_assert_int_eq(oci_ns_classify(&host, p, "net"), OCI_NS_JOINED);
        snprintf(p, sizeof(p), "%s/no-such", dir);
        ck_assert_int_eq(oci_ns_classify(&host, p, "net"), OCI_NS_UNKNOWN);
        /* The hook's own and the first process's are the host's by name too. */
        ck_assert_int_eq(oci_ns_classify(NULL, "/proc/self/ns/pid", "pid"), OCI_NS_HOST);
        ck_assert_int_eq(oci_ns_classify(NULL, "/proc//1/./ns/mnt", "mnt"), OCI_NS_HOST);
        ck_assert_int_eq(oci_ns_classify(NULL, "/proc/thread-self/ns/uts", "uts"), OCI_NS_HOST);
        ck_assert_int_eq(oci_ns_classify(NULL, "/proc/7/ns/net", "net"), OCI_NS_UNKNOWN);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Seccomp                                                                               */

static uint64_t bit(const char *call)
{
        size_t n;
        const struct oci_call *calls = oci_dangerous_calls(&n);

        for (size_t i = 0; i < n; i++)
                if (strcmp(calls[i].name, call) == 0)
                        return UINT64_C(1) << i;
        ck_abort_msg("%s is not in the list", call);
        return 0;
}

static uint64_t reach(const char *json, uint64_t caps, char *note, size_t len)
{
        json_error_t err;
        json_t *doc = json_loads(json, JSON_DECODE_INT_AS_REAL, &err);
        uint64_t r;

        ck_assert_msg(doc, "%s: %s", json, err.text);
        note[0] = '\0';
        r = oci_seccomp_reachable(doc, caps, note, len);
        json_decref(doc);
        return r;
}

START_TEST(test_seccomp_reachable)
{
        uint64_t all, escape = oci_calls_of_tier(OCI_CALL_ESCAPE);
        char note[128];
        size_t n;

        oci_dangerous_calls(&n);
        all = n == 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
        /* Everything but reboot is still almost everything. */
        ck_assert_uint_eq(reach("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                                "[{\"names\": [\"reboot\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
                                0, note, sizeof(note)),
                          all & ~bit("reboot"));
        /* An allowlist: only what it names. */
        ck_assert_uint_eq(reach("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                "[{\"names\": [\"read\", \"ptrace\", \"setns\"], "
                                "\"action\": \"SCMP_ACT_ALLOW\"}]}",
                                0, note, sizeof(note)),
                          bit("ptrace") | bit("setns"));
        /* Docker's clone rule: without namespace flags only. */
        ck_assert_uint_eq(reach("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                "[{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", "
                                "\"args\": [{\"index\": 0, \"value\": 2114060288, "
                                "\"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
                                0, note, sizeof(note)),
                          0);
        /* ... and one that lets exactly CLONE_NEWUSER through. */
        ck_assert_uint_eq(reach("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                "[{\"names\": [\"unshare\"], \"action\": \"SCMP_ACT_ALLOW\", "
                                "\"args\": [{\"index\": 0, \"value\": 268435456, "
                                "\"op\": \"SCMP_CMP_EQ\"}]}]}",
                                0, note, sizeof(note)),
                          bit("unshare"));
        /* A condition ward cannot decide (another argument) lets an allowed call through. */
        ck_assert_uint_eq(reach("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                "[{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ALLOW\", "
                                "\"args\": [{\"index\": 2, \"value\": 1, "
                                "\"op\": \"SCMP_CMP_EQ\"}]}]}",
                                0, note, sizeof(note)),
                          bit("bpf"));
        /* ... and does not count as a refusal. */
        ck_assert(reach("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                        "[{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", "
                        "\"args\": [{\"index\": 3, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
                        0, note, sizeof(note)) &
                  bit("mount"));
        /* Capability-gated rules apply only with the capability (Docker's default). */
        static const char gated[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                    "[{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", "
                                    "\"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}";
        ck_assert_uint_eq(reach(gated, 0, note, sizeof(note)), 0);
        ck_assert_uint_eq(reach(gated, UINT64_C(1) << 21, note, sizeof(note)), bit("mount"));
        /* An action ward does not know lets everything through, and says so. */
        ck_assert_uint_eq(reach("{\"defaultAction\": \"SCMP_ACT_NEW\"}", 0, note, sizeof(note)),
                          all);
        ck_assert_str_eq(note, "unknown action SCMP_ACT_NEW read as allowing");
        ck_assert_uint_eq(reach("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                "[{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}",
                                0, note, sizeof(note)) &
                              escape,
                          bit("mount"));
}
END_TEST

static uint64_t delegated(const char *json)
{
        json_error_t err;
        json_t *doc = json_loads(json, JSON_DECODE_INT_AS_REAL, &err);
        uint64_t r;

        ck_assert_msg(doc, "%s: %s", json, err.text);
        r = oci_seccomp_delegated(doc, 0);
        json_decref(doc);
        return r;
}

/* Calls a tracer or supervisor decides on: where a policy's AllowCalls= does not reach. */
START_TEST(test_seccomp_delegated)
{
        size_t n;
        uint64_t all;

        oci_dangerous_calls(&n);
        all = n == 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
        /* Allowed outright: the kernel checks the process; nothing is delegated. */
        ck_assert_uint_eq(delegated("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                    "[{\"names\": [\"mount\", \"keyctl\"], "
                                    "\"action\": \"SCMP_ACT_ALLOW\"}]}"),
                          0);
        /* NOTIFY and TRACE hand the call to another process. */
        ck_assert_uint_eq(delegated("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                    "[{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_NOTIFY\"}, "
                                    "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_TRACE\"}, "
                                    "{\"names\": [\"setns\"], \"action\": \"SCMP_ACT_ALLOW\"}]}"),
                          bit("mount") | bit("ptrace"));
        /* ... even when an allowing rule names the call too. */
        ck_assert_uint_eq(delegated("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                                    "[{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
                                    "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"),
                          bit("mount"));
        /* A delegating or unknown default: every call not refused. */
        ck_assert_uint_eq(delegated("{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"syscalls\": "
                                    "[{\"names\": [\"reboot\"], \"action\": \"SCMP_ACT_ERRNO\"}]}"),
                          all & ~bit("reboot"));
        ck_assert_uint_eq(delegated("{\"defaultAction\": \"SCMP_ACT_NEW\"}"), all);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Device rules                                                                          */

static void access_of(const char *json, char *out, size_t len)
{
        json_error_t err;
        json_t *doc = json_loads(json, JSON_DECODE_INT_AS_REAL, &err);

        ck_assert_msg(doc, "%s: %s", json, err.text);
        oci_device_access(doc, out, len);
        json_decref(doc);
}

START_TEST(test_device_access)
{
        char out[512];

        access_of("[]", out, sizeof(out));
        ck_assert_str_eq(out, "");
        access_of("[{\"allow\": true, \"access\": \"rwm\"}]", out, sizeof(out));
        ck_assert_str_eq(out, "every char device, every block device");
        access_of("[{\"allow\": true, \"type\": \"c\"}]", out, sizeof(out));
        ck_assert_str_eq(out, "every char device");
        access_of("[{\"allow\": false, \"access\": \"rwm\"}, {\"allow\": true, \"type\": \"b\", "
                  "\"major\": 8, \"minor\": 0, \"access\": \"rw\"}]",
                  out, sizeof(out));
        ck_assert_str_eq(out, "b 8:0 (SCSI/SATA disk)");
        access_of("[{\"allow\": true, \"type\": \"c\", \"major\": 1, \"access\": \"r\"}]", out,
                  sizeof(out));
        ck_assert_str_eq(out, "c 1:1 (/dev/mem), c 1:2 (/dev/kmem), c 1:4 (/dev/port), "
                              "c 1:11 (/dev/kmsg)");
        /* Last match wins; mknod alone opens nothing; a harmless device is not reported. */
        access_of("[{\"allow\": true, \"access\": \"rwm\"}, {\"allow\": false, \"access\": "
                  "\"rw\"}]",
                  out, sizeof(out));
        ck_assert_str_eq(out, "");
        access_of("[{\"allow\": true, \"access\": \"m\"}, {\"allow\": true, \"type\": \"c\", "
                  "\"major\": 1, \"minor\": 3, \"access\": \"rwm\"}]",
                  out, sizeof(out));
        ck_assert_str_eq(out, "");
        /* A wildcard given as -1 or null is every number. */
        access_of("[{\"allow\": true, \"type\": \"b\", \"major\": -1, \"minor\": null}]", out,
                  sizeof(out));
        ck_assert_str_eq(out, "every block device");
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* The whole reader, with a bundle on the host                                           */

static const struct ward_fact_mount *mount_to(const struct ward_facts *f, const char *dest)
{
        for (size_t i = 0; i < f->n_mounts; i++)
                if (strcmp(f->mounts[i].destination, dest) == 0)
                        return &f->mounts[i];
        return NULL;
}

START_TEST(test_facts_from_bundle)
{
        static const char config[] =
            "{\"root\": {\"path\": \"../../../../../../../..\", \"readonly\": true},"
            " \"mounts\": ["
            "  {\"destination\": \"/a\", \"type\": \"bind\", \"source\": \"to-etc\","
            "   \"options\": [\"ro\", \"rw\"]},"
            "  {\"destination\": \"/b/../c\", \"type\": \"overlay\", \"source\": \"overlay\","
            "   \"options\": [\"lowerdir=rootfs:/tmp/..\"]},"
            "  {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\"},"
            "  {\"destination\": \"/p\", \"type\": \"proc\", \"source\": \"proc\"}],"
            " \"linux\": {\"namespaces\": [{\"type\": \"user\"}, {\"type\": \"pid\", "
            "\"path\": \"/proc/self/ns/pid\"}]}}";
        struct oci_host host = {.proc_root = "/proc"};
        struct ward_facts f;
        struct ward_error e;
        char bundle[128];
        json_error_t err;
        json_t *doc = json_loads(config, JSON_DECODE_INT_AS_REAL, &err);
        const struct ward_fact_mount *m;

        ck_assert_msg(doc, "%s", err.text);
        put("bundle", "dir", NULL);
        put("bundle/rootfs", "dir", NULL);
        put("bundle/to-etc", "link", "/etc");
        snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
        host.bundle = bundle;
        memset(&e, 0, sizeof(e));
        ck_assert_msg(oci_facts_from_json_host(doc, "config.json", &host, &f, &e) == 0, "%s",
                      e.msg);
        json_decref(doc);
        /* root.path climbing to /: the host's root, read-only as configured. */
        ck_assert_ptr_nonnull(m = mount_to(&f, "/"));
        ck_assert_str_eq(m->source, "/");
        ck_assert_int_eq(m->via, WARD_VIA_ROOT);
        ck_assert(!m->writable);
        /* ["ro", "rw"] through a symlink: /etc, writable. */
        ck_assert_ptr_nonnull(m = mount_to(&f, "/a"));
        ck_assert_str_eq(m->source, "/etc");
        ck_assert(m->writable);
        /* Both overlay layers, the destination by name. */
        ck_assert_uint_eq(f.n_mounts, 5);
        ck_assert_str_eq(f.mounts[2].destination, "/c");
        ck_assert_str_eq(f.mounts[3].source, "/");
        ck_assert_int_eq(f.mounts[3].via, WARD_VIA_OVERLAY);
        /* sysfs in the host's network namespace is the host's /sys; proc elsewhere is extra. */
        ck_assert(f.host_ns[WARD_NS_NET]);
        ck_assert_ptr_nonnull(m = mount_to(&f, "/sys"));
        ck_assert_str_eq(m->source, "/sys");
        ck_assert_uint_eq(f.n_kernel_fs, 1);
        ck_assert_str_eq(f.kernel_fs[0], "proc at /p");
        /* The pid namespace joined through the hook's own: the host's, and joined. */
        ck_assert(f.host_ns[WARD_NS_PID]);
        ck_assert_str_eq(f.ns_joined[WARD_NS_PID], "/proc/self/ns/pid (the host's)");
        ck_assert(!f.host_ns[WARD_NS_USER]);
        ck_assert_ptr_null(f.ns_joined[WARD_NS_USER]);
        policy_facts_free(&f);
}
END_TEST

static Suite *norm_suite(void)
{
        Suite *s = suite_create("oci_norm");
        TCase *tc = tcase_create("norm");

        tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
        tcase_add_test(tc, test_lexical);
        tcase_add_test(tc, test_resolve_host);
        tcase_add_test(tc, test_options_in_order);
        tcase_add_test(tc, test_overlay_layers);
        tcase_add_test(tc, test_ns_classify);
        tcase_add_test(tc, test_seccomp_reachable);
        tcase_add_test(tc, test_seccomp_delegated);
        tcase_add_test(tc, test_device_access);
        tcase_add_test(tc, test_facts_from_bundle);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(norm_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
