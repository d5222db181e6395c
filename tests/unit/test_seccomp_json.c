/* Unit tests for src/seccomp/seccomp_json.c: Docker/OCI seccomp JSON profiles. Profiles are
 * compiled into libseccomp contexts and exported to memory, never loaded: the test stays
 * unconfined. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/profile.h"
#include "ward/seccomp.h"
#include "ward/seccomp_bpf.h"
#include "ward/seccomp_json.h"
#include "ward/util.h"

static struct ward_config c;
static struct ward_error e;
static char dir[64], file[128];
static const struct ward_origin origin = {.file = "test.profile", .line = 7};
static size_t n_rules;

static void setup(void)
{
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(config_init(&c, &e), 0);
        snprintf(dir, sizeof(dir), "/tmp/ward-test-json.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(file, sizeof(file), "%s/p.json", dir);
}

static void teardown(void)
{
        config_free(&c);
        unlink(file);
        rmdir(dir);
}

static void write_file(const char *text)
{
        FILE *f = fopen(file, "we");

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fputs(text, f) >= 0, 1);
        ck_assert_int_eq(fclose(f), 0);
}

static int compile_text(const char *text, uint64_t caps)
{
        write_file(text);
        memset(&e, 0, sizeof(e));
        n_rules = (size_t)-1;
        return seccomp_json_compile(file, caps, &origin, NULL, &n_rules, &e);
}

/* The error is at origin, keyed Seccomp.Profile, and its message is "FILE: " + tail. */
static void assert_refused(const char *text, const char *tail)
{
        char want[512];

        ck_assert_int_lt(compile_text(text, 0), 0);
        ck_assert_str_eq(e.where, "test.profile:7");
        ck_assert_str_eq(e.key, "Seccomp.Profile");
        snprintf(want, sizeof(want), "%s%s", file, tail);
        ck_assert_msg(strstr(e.msg, want), "message \"%s\" lacks \"%s\"", e.msg, want);
        ck_assert_int_eq(e.exit_code, WARD_EXIT_FAILED);
}

START_TEST(test_minimal)
{
        ck_assert_int_eq(compile_text("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", 0), 0);
        ck_assert_uint_eq(n_rules, 0);
        ck_assert_int_eq(compile_text("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [], "
                                      "\"syscalls\": [{\"name\": \"getppid\", \"action\": "
                                      "\"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]}",
                                      0),
                         0);
        ck_assert_uint_eq(n_rules, 1);
}
END_TEST

/* An excerpt in the shape of Docker's default profile. */
static const char docker_like[] =
    "{\n"
    "  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
    "  \"defaultErrnoRet\": 1,\n"
    "  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],\n"
    "  \"archMap\": [\n"
    "    {\"architecture\": \"SCMP_ARCH_X86_64\",\n"
    "     \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]},\n"
    "    {\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}\n"
    "  ],\n"
    "  \"syscalls\": [\n"
    "    {\"names\": [\"read\", \"write\", \"getppid\", \"no_such_syscall_here\"],\n"
    "     \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"\"},\n"
    "    {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
    "     \"includes\": {\"caps\": [\"CAP_SYS_PTRACE\"]}},\n"
    "    {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
    "     \"args\": [{\"index\": 0, \"value\": 0, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\"}]},\n"
    "    {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
    "     \"args\": [{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0,\n"
    "               \"op\": \"SCMP_CMP_MASKED_EQ\"}],\n"
    "     \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"], \"arches\": [\"s390\", \"s390x\"]}},\n"
    "    {\"names\": [\"mount\", \"umount2\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
    "     \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},\n"
    "    {\"names\": [\"arm_fadvise64_64\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
    "     \"includes\": {\"arches\": [\"arm\", \"arm64\"]}},\n"
    "    {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
    "     \"args\": [{\"index\": 0, \"value\": 40, \"op\": \"SCMP_CMP_NE\"},\n"
    "              {\"index\": 0, \"value\": 16, \"op\": \"SCMP_CMP_NE\"}]},\n"
    "    {\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},\n"
    "    {\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
    "     \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_SYS_PTRACE\"],\n"
    "                    \"minKernel\": \"999.0\"}}\n"
    "  ]\n"
    "}\n";

START_TEST(test_docker_like)
{
        /* No caps: read/write/getppid, personality, clone, socket twice (the same argument:
         * one rule per condition); ptrace, mount, arm, uname (= default) and bpf skipped. */
        ck_assert_int_eq(compile_text(docker_like, 0), 0);
        ck_assert_uint_eq(n_rules, 3 + 1 + 1 + 2);
        /* SYS_PTRACE + SYS_ADMIN: ptrace and mount/umount2 join, clone is excluded, bpf still
         * waits for kernel 999.0. */
        ck_assert_int_eq(
            compile_text(docker_like, (1ULL << CAP_SYS_PTRACE) | (1ULL << CAP_SYS_ADMIN)), 0);
        ck_assert_uint_eq(n_rules, 3 + 1 + 1 + 2 + 2);
}
END_TEST

/* The errno a compiled filter returns for getppid, or -1 when it lets it run. */
static int getppid_errno(const char *text)
{
        void *ctx = NULL;
        _cleanup_free_ void *bpf = NULL;
        size_t len = 0;
        uint32_t ret = 0;
        struct seccomp_data d = {.nr = seccomp_syscall_resolve_name("getppid"),
                                 .arch = SCMP_ARCH_X86_64};
        int fd;

        write_file(text);
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(seccomp_json_compile(file, 0, &origin, &ctx, NULL, &e), 0);
        fd = memfd_create("test", MFD_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(seccomp_export_bpf(ctx, fd), 0);
        seccomp_release(ctx);
        ck_assert_int_eq(seccomp_bpf_read_back(fd, &bpf, &len, &e), 0);
        close(fd);
        ck_assert_int_eq(seccomp_bpf_run(bpf, len, &d, &ret), 0);
        if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW)
                return -1;
        ck_assert_uint_eq(ret & SECCOMP_RET_ACTION_FULL, SECCOMP_RET_ERRNO);
        return (int)(ret & SECCOMP_RET_DATA);
}

/* The published shapes: Docker 23+ (nulls), containers-common (errnos by name), the OCI
 * runtime-tools generator (every architecture listed). */
START_TEST(test_published_shapes)
{
        ck_assert_int_eq(
            compile_text("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
                         " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", "
                         "\"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]}, "
                         "{\"architecture\": \"SCMP_ARCH_RISCV64\", \"subArchitectures\": null}],"
                         " \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": "
                         "\"SCMP_ACT_ALLOW\", \"args\": null, \"comment\": null, \"includes\": "
                         "{\"caps\": null, \"arches\": null, \"minKernel\": null}, \"excludes\": "
                         "null, \"errnoRet\": null}], \"listenerPath\": null, \"flags\": null}",
                         0),
            0);
        ck_assert_uint_eq(n_rules, 2);
        ck_assert_int_eq(getppid_errno("{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
                                       "\"defaultErrno\": \"ENOSYS\", \"defaultErrnoRet\": 38}"),
                         ENOSYS);
        ck_assert_int_eq(getppid_errno("{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
                                       "\"defaultErrno\": \"ENXIO\"}"),
                         ENXIO);
        ck_assert_int_eq(getppid_errno("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                                       "[{\"names\": [\"getppid\"], \"action\": "
                                       "\"SCMP_ACT_ERRNO\", \"errno\": \"EACCES\"}]}"),
                         EACCES);
        ck_assert_int_eq(getppid_errno("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                                       "[{\"names\": [\"getppid\"], \"action\": "
                                       "\"SCMP_ACT_ERRNO\", \"errno\": \"EPERM\", "
                                       "\"errnoRet\": 1}]}"),
                         EPERM);
        ck_assert_int_eq(
            getppid_errno("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": null}"), EPERM);
        ck_assert_int_eq(
            getppid_errno(
                "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
                "[\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\", \"SCMP_ARCH_X86_64\", "
                "\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_PPC64LE\"], \"syscalls\": [{\"names\": "
                "[\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
                "\"value\": 0, \"op\": \"SCMP_CMP_GE\"}]}]}"),
            -1);
        ck_assert_int_eq(compile_text("{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
                                      "\"architectures\": [\"SCMP_ARCH_NATIVE\"]}",
                                      0),
                         0);
}
END_TEST

START_TEST(test_min_kernel)
{
        static const char fmt[] = "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": "
                                  "[{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", "
                                  "\"includes\": {\"minKernel\": \"%s\"}}]}";
        char text[256];

        snprintf(text, sizeof(text), fmt, "3.0");
        ck_assert_int_eq(compile_text(text, 0), 0);
        ck_assert_uint_eq(n_rules, 1);
        snprintf(text, sizeof(text), fmt, "999.1");
        ck_assert_int_eq(compile_text(text, 0), 0);
        ck_assert_uint_eq(n_rules, 0);
        snprintf(text, sizeof(text), fmt, "5.x");
        assert_refused(text, ": syscalls[0].includes.minKernel: \"5.x\" is not a kernel version");
}
END_TEST

START_TEST(test_syntax_errors)
{
        /* Truncated: jansson's line and column, after the file name. */
        assert_refused("{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [\n",
                       ":4:0: ");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"defaultAction\": "
                       "\"SCMP_ACT_ALLOW\"}",
                       ":2:16: duplicate object key");
        assert_refused("{\"defaultAction\": SCMP_ACT_ERRNO}", ":1:22: invalid token");
        assert_refused("[]", ": (top level): expected an object, found an array");
}
END_TEST

START_TEST(test_unknown_keys)
{
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"foo\": 1}", ": foo: unknown key");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                       "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"read\"], "
                       "\"action\": \"SCMP_ACT_ALLOW\", \"foo\": true}]}",
                       ": syscalls[1].foo: unknown key");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                       "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"uid\": 0}}]}",
                       ": syscalls[0].includes.uid: unknown key");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                       "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
                       "\"value\": 1, \"op\": \"SCMP_CMP_EQ\", \"x\": 1}]}]}",
                       ": syscalls[0].args[0].x: unknown key");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": "
                       "\"SCMP_ARCH_X86_64\", \"y\": []}]}",
                       ": archMap[0].y: unknown key");
}
END_TEST

START_TEST(test_wrong_types)
{
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}",
                       ": syscalls: expected an array, found an object");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                       "[\"read\", 5], \"action\": \"SCMP_ACT_ALLOW\"}]}",
                       ": syscalls[0].names[1]: expected a string, found an integer");
        assert_refused("{\"defaultAction\": 1}", ": defaultAction: expected a string");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": \"1\"}",
                       ": defaultErrnoRet: expected an integer, found a string");
        /* null is absent (Go writes it), but a required field is still missing. */
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                       "[\"read\"], \"action\": null}]}",
                       ": syscalls[0].action: missing");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                       "[null], \"action\": \"SCMP_ACT_ALLOW\"}]}",
                       ": syscalls[0].names[0]: expected a string, found null");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                       "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
                       "\"value\": null, \"op\": \"SCMP_CMP_EQ\"}]}]}",
                       ": syscalls[0].args[0].value: expected an integer, found null");
}
END_TEST

static void refuse_entry(const char *entry, const char *tail)
{
        char text[1024];

        snprintf(text, sizeof(text), "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [%s]}",
                 entry);
        assert_refused(text, tail);
}

START_TEST(test_refused_values)
{
        assert_refused("{}", ": defaultAction: missing");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}",
                       ": defaultAction: SCMP_ACT_NOTIFY is not supported");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerPath\": \"/run/x\"}",
                       ": listenerPath: not supported");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": "
                       "[\"SECCOMP_FILTER_FLAG_LOG\"]}",
                       ": flags: not supported");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
                       "[\"SCMP_ARCH_AARCH64\"]}",
                       ": architectures: SCMP_ARCH_X86_64 is not listed");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
                       "[\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_VAX\"]}",
                       ": architectures[1]: architecture \"SCMP_ARCH_VAX\" is unknown");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
                       "[\"SCMP_ARCH_X86\"]}",
                       ": architectures: SCMP_ARCH_X86_64 is not listed");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": "
                       "\"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}]}",
                       ": archMap[0].subArchitectures[0]: architecture \"SCMP_ARCH_ARM\" is no "
                       "sub-architecture of x86_64");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrno\": \"EBOGUS\"}",
                       ": defaultErrno: \"EBOGUS\" is not an errno name");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrno\": \"ENOSYS\", "
                       "\"defaultErrnoRet\": 1}",
                       ": defaultErrno: ENOSYS is 38, but defaultErrnoRet says 1");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": 1}",
                     ": syscalls[0].errno: expected a string, found an integer");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": "
                     "\"EPERM\", \"errnoRet\": 22}",
                     ": syscalls[0].errno: EPERM is 1, but errnoRet says 22");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_NOTIFY\"}",
                     ": syscalls[0].action: SCMP_ACT_NOTIFY is not supported");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_TRACE\"}",
                     ": syscalls[0].action: SCMP_ACT_TRACE is not supported");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_MAYBE\"}",
                     ": syscalls[0].action: unknown action \"SCMP_ACT_MAYBE\"");
        refuse_entry("{\"names\": [\"read\"]}", ": syscalls[0].action: missing");
        refuse_entry("{\"action\": \"SCMP_ACT_ALLOW\"}", ": syscalls[0]: neither names nor name");
        refuse_entry("{\"names\": [\"read\"], \"name\": \"write\", \"action\": \"SCMP_ACT_ALLOW\"}",
                     ": syscalls[0]: both names and name");
        refuse_entry("{\"names\": [\"read;rm\"], \"action\": \"SCMP_ACT_ALLOW\"}",
                     ": syscalls[0].names[0]: \"read;rm\" is not a syscall name");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5000}",
                     ": syscalls[0].errnoRet: errno 5000 is out of range");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                     "[{\"index\": 6, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}",
                     ": syscalls[0].args[0].index: 6 is out of range");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                     "[{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_FOO\"}]}",
                     ": syscalls[0].args[0].op: unknown operator \"SCMP_CMP_FOO\"");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                     "[{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]}",
                     ": syscalls[0].args[0].value: missing");
        refuse_entry("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
                     "{\"caps\": [\"SYS_ADMIN\"]}}",
                     ": syscalls[0].includes.caps[0]: \"SYS_ADMIN\" is not a capability name");
}
END_TEST

START_TEST(test_files)
{
        char big[128];
        int fd;

        memset(&e, 0, sizeof(e));
        ck_assert_int_lt(seccomp_json_compile(dir, 0, &origin, NULL, NULL, &e), 0);
        ck_assert_msg(strstr(e.msg, "is not a regular file"), "%s", e.msg);
        snprintf(big, sizeof(big), "%s/big.json", dir);
        fd = open(big, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(ftruncate(fd, WARD_SECCOMP_JSON_MAX_SIZE + 1), 0);
        close(fd);
        ck_assert_int_lt(seccomp_json_compile(big, 0, &origin, NULL, NULL, &e), 0);
        ck_assert_msg(strstr(e.msg, "is larger than"), "%s", e.msg);
        unlink(big);
}
END_TEST

static int load_text(const char *text)
{
        memset(&e, 0, sizeof(e));
        return profile_load_buffer(&c, text, strlen(text), "test.profile", &e);
}

START_TEST(test_profile_key)
{
        char text[256];
        int fd;
        off_t size;

        write_file("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
                   "[\"getppid\", \"keyctl\"], \"action\": \"SCMP_ACT_ERRNO\", "
                   "\"errnoRet\": 1}]}");
        snprintf(text, sizeof(text), "[Seccomp]\nProfile=%s\n", file);
        ck_assert_int_eq(load_text(text), 0);
        ck_assert_str_eq(c.seccomp.json_path, file);
        ck_assert(c.seccomp.enabled);
        ck_assert_int_eq(seccomp_validate(&c, &e), 0);
        fd = memfd_create("test", MFD_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(seccomp_json_export(&c, fd, &n_rules, &e), 0);
        ck_assert_uint_eq(n_rules, 2);
        size = lseek(fd, 0, SEEK_END);
        ck_assert_int_gt(size, 0);
        ck_assert_int_eq(size % 8, 0);
        close(fd);
        /* Allow= adjusts ward's own allowlist: refused next to a JSON profile. */
        ck_assert_int_eq(load_text("[Seccomp]\nAllow=keyctl\n"), 0);
        ck_assert_int_lt(seccomp_validate(&c, &e), 0);
        ck_assert_str_eq(e.key, "Seccomp.Allow");
        ck_assert_msg(strstr(e.msg, "JSON profile"), "%s", e.msg);
        /* Profile=default forgets the file. */
        ck_assert_int_eq(load_text("[Seccomp]\nProfile=default\n"), 0);
        ck_assert_ptr_null(c.seccomp.json_path);
        /* An error in the file names the profile line. */
        write_file("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"bogus\": 1}");
        snprintf(text, sizeof(text), "[Seccomp]\n\nProfile=%s\n", file);
        ck_assert_int_lt(load_text(text), 0);
        ck_assert_str_eq(e.where, "test.profile:3");
        ck_assert_str_eq(e.key, "Seccomp.Profile");
        ck_assert_msg(strstr(e.msg, ": bogus: unknown key"), "%s", e.msg);
}
END_TEST

/* libseccomp 2.5 may never return from merging two rules for one syscall of two or more
 * comparisons with a range among them (found by fuzz_seccomp_json): refused before it sees
 * them; rules of equality tests only are fine. */
START_TEST(test_rules_libseccomp_cannot_merge)
{
        static const char loop[] =
            "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
            "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
            "{\"index\": 2, \"value\": 40, \"op\": \"SCMP_CMP_LE\"},"
            "{\"index\": 1, \"value\": 40, \"op\": \"SCMP_CMP_LE\"}]},"
            "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
            "{\"index\": 1, \"value\": 40, \"op\": \"SCMP_CMP_LE\"},"
            "{\"index\": 3, \"value\": 40, \"op\": \"SCMP_CMP_LE\"}]}]}";
        static const char fine[] =
            "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
            "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
            "{\"index\": 1, \"value\": 40, \"op\": \"SCMP_CMP_EQ\"},"
            "{\"index\": 2, \"value\": 40, \"op\": \"SCMP_CMP_EQ\"}]},"
            "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
            "{\"index\": 1, \"value\": 40, \"op\": \"SCMP_CMP_EQ\"},"
            "{\"index\": 3, \"value\": 40, \"op\": \"SCMP_CMP_EQ\"}]}]}";

        ck_assert_int_eq(compile_text(loop, 0), -EINVAL);
        ck_assert_msg(strstr(e.msg, "syscalls[1]") && strstr(e.msg, "may never return"), "%s",
                      e.msg);
        ck_assert_int_eq(compile_text(fine, 0), 0);
        ck_assert_uint_eq(n_rules, 2);
}
END_TEST

/* A name libseccomp knows for no architecture: an error in a refusal only that rule makes
 * (the default action would let it run), skipped and listed otherwise. Another
 * architecture's name (vm86, i386 only) is skipped silently, as before. */
START_TEST(test_unknown_names)
{
        char skipped[512];

        assert_refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
                       "[\"getppid\", \"ptrce\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
                       ": syscalls[0].names[1]: \"ptrce\" is no syscall libseccomp");
        ck_assert_msg(strstr(e.hint, "did you mean \"ptrace\"?"), "%s", e.hint);
        assert_refused("{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": [{\"name\": "
                       "\"ptrce\", \"action\": \"SCMP_ACT_KILL_PROCESS\"}]}",
                       ": syscalls[0].name: \"ptrce\" is no syscall");
        assert_refused("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
                       "[\"ptrce\"], \"action\": \"SCMP_ACT_TRAP\"}]}",
                       ": syscalls[0].names[0]: \"ptrce\"");
        /* Allowed, logged, or refused by the default action anyway: skipped, and listed. */
        ck_assert_int_eq(compile_text("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
                                      "{\"names\": [\"read\", \"fancy_new_call\"], \"action\": "
                                      "\"SCMP_ACT_ALLOW\"}, {\"names\": [\"ptrce\"], "
                                      "\"action\": \"SCMP_ACT_KILL\"}]}",
                                      0),
                         0);
        ck_assert_uint_eq(n_rules, 1);
        ck_assert_int_eq(seccomp_json_skipped_names(file, 0, &origin, skipped, sizeof(skipped), &e),
                         0);
        ck_assert_str_eq(skipped, "fancy_new_call ptrce");
        ck_assert_int_eq(compile_text("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                                      "{\"names\": [\"fancy_new_call\"], \"action\": "
                                      "\"SCMP_ACT_LOG\"}, {\"names\": [\"vm86\", \"oldstat\"], "
                                      "\"action\": \"SCMP_ACT_ERRNO\"}]}",
                                      0),
                         0);
        ck_assert_int_eq(seccomp_json_skipped_names(file, 0, &origin, skipped, sizeof(skipped), &e),
                         0);
        ck_assert_str_eq(skipped, "fancy_new_call");
        /* A refusing entry that does not apply (a capability not kept) is not a refusal. */
        ck_assert_int_eq(compile_text("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                                      "{\"names\": [\"ptrce\"], \"action\": \"SCMP_ACT_ERRNO\","
                                      " \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}",
                                      0),
                         0);
        ck_assert_int_lt(compile_text("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                                      "{\"names\": [\"ptrce\"], \"action\": \"SCMP_ACT_ERRNO\","
                                      " \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}",
                                      1ULL << CAP_SYS_ADMIN),
                         0);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("seccomp_json");
        TCase *t = tcase_create("core");

        tcase_add_checked_fixture(t, setup, teardown);
        tcase_add_test(t, test_minimal);
        tcase_add_test(t, test_docker_like);
        tcase_add_test(t, test_published_shapes);
        tcase_add_test(t, test_min_kernel);
        tcase_add_test(t, test_syntax_errors);
        tcase_add_test(t, test_unknown_keys);
        tcase_add_test(t, test_wrong_types);
        tcase_add_test(t, test_refused_values);
        tcase_add_test(t, test_files);
        tcase_add_test(t, test_profile_key);
        tcase_add_test(t, test_rules_libseccomp_cannot_merge);
        tcase_add_test(t, test_unknown_names);
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
