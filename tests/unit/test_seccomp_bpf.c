/* Unit tests for src/seccomp/seccomp_bpf.c: the program ward generates for a plan gives the very
 * verdicts of libseccomp's program for the same plan (seccomp_plan_export), for every x86_64
 * number, x32 and foreign-arch calls and the argument values clone and personality look at.
 * Both programs run in a small classic-BPF interpreter below; one child process loads
 * ward's program into the kernel, the test process itself stays unconfined. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <jansson.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/profile.h"
#include "ward/seccomp.h"
#include "ward/seccomp_bpf.h"
#include "ward/seccomp_json.h"
#include "ward/util.h"

#include "config_fixture.h"

/* ------------------------------------------------------------------------------------- */
/* A classic BPF interpreter for seccomp programs: the opcodes both generators use, and a
 * test failure on any other (or on a jump or load out of bounds). It runs millions of
 * times: plain ifs and ck_abort_msg, as every ck_assert writes to Check's pipe.          */

struct outcome {
        uint32_t ret;
        unsigned steps; /* instructions run, the return included */
        bool read_args; /* loaded something other than nr or arch */
};

static uint32_t load_word(const struct seccomp_data *d, uint32_t k, struct outcome *o)
{
        uint32_t v;

        if (k % 4 || k + 4 > sizeof(*d))
                ck_abort_msg("load at %u", k);
        if (k != offsetof(struct seccomp_data, nr) && k != offsetof(struct seccomp_data, arch))
                o->read_args = true;
        memcpy(&v, (const char *)d + k, sizeof(v));
        return v;
}

static bool condition(uint16_t code, uint32_t a, uint32_t k)
{
        switch (BPF_OP(code)) {
        case BPF_JEQ:
                return a == k;
        case BPF_JGT:
                return a > k;
        case BPF_JGE:
                return a >= k;
        case BPF_JSET:
                return (a & k) != 0;
        }
        ck_abort_msg("unknown jump 0x%04x", code);
        return false;
}

static struct outcome run(const struct sock_filter *f, size_t len, const struct seccomp_data *d)
{
        struct outcome o = {0};
        uint32_t a = 0;

        for (size_t pc = 0;; pc++) {
                if (pc >= len)
                        ck_abort_msg("ran off the program at %zu", pc);
                const struct sock_filter *i = &f[pc];
                o.steps++;
                if (i->code == (BPF_RET | BPF_K)) {
                        o.ret = i->k;
                        return o;
                } else if (i->code == (BPF_LD | BPF_W | BPF_ABS)) {
                        a = load_word(d, i->k, &o);
                } else if (i->code == (BPF_ALU | BPF_AND | BPF_K)) {
                        a &= i->k;
                } else if (i->code == (BPF_JMP | BPF_JA)) {
                        pc += i->k;
                } else if (BPF_CLASS(i->code) == BPF_JMP && BPF_SRC(i->code) == BPF_K) {
                        pc += condition(i->code, a, i->k) ? i->jt : i->jf;
                } else {
                        ck_abort_msg("unknown opcode 0x%04x at %zu", i->code, pc);
                }
        }
}

/* ------------------------------------------------------------------------------------- */
/* The two programs of one plan                                                           */

struct program {
        struct sock_filter *f;
        size_t len;
};

static struct ward_seccomp_plan plan;
static struct program ours, theirs;

static void free_programs(void)
{
        free(ours.f);
        free(theirs.f);
        ours = theirs = (struct program){0};
}

static struct program libseccomp_program(const struct ward_seccomp_plan *p)
{
        _cleanup_close_ int fd = memfd_create("bpf", MFD_CLOEXEC);
        struct program prog;
        void *bpf = NULL;

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(seccomp_plan_export(p, fd, &e), 0);
        ck_assert_int_eq(seccomp_bpf_read_back(fd, &bpf, &prog.len, &e), 0);
        prog.f = bpf;
        return prog;
}

static void compile_both(void)
{
        void *bpf = NULL;

        free_programs();
        ck_assert_int_eq(seccomp_plan_build(&c, &plan, &e), 0);
        ck_assert_msg(seccomp_bpf_generate(&plan, &bpf, &ours.len, &e) == 0, "%s", e.msg);
        ours.f = bpf;
        theirs = libseccomp_program(&plan);
}

static void teardown_programs(void)
{
        free_programs();
        teardown();
}

/* ------------------------------------------------------------------------------------- */
/* Equivalence                                                                            */

#define NS_ALL                                                                                     \
        ((uint64_t)(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |  \
                    CLONE_NEWPID | CLONE_NEWNET))
#define FORK_FLAGS ((uint64_t)(SIGCHLD | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND))

/* args[0] values: what clone's and personality's blocks look at, and more. */
static const uint64_t arg0s[] = {
    0,
    CLONE_NEWNS,
    CLONE_NEWCGROUP,
    CLONE_NEWUTS,
    CLONE_NEWIPC,
    CLONE_NEWUSER,
    CLONE_NEWPID,
    CLONE_NEWNET,
    NS_ALL,
    FORK_FLAGS,
    FORK_FLAGS | CLONE_THREAD | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
    FORK_FLAGS | CLONE_NEWUSER,
    0x0000000100000000ULL,
    0xffffffff00000000ULL,
    0xffffffff00000000ULL | FORK_FLAGS,
    0x0000000100000000ULL | CLONE_NEWNET,
    0xffffffff00000000ULL | NS_ALL,
    0x0008,
    0xffffffff,
    0x0040000, /* ADDR_NO_RANDOMIZE */
    0x0400000, /* READ_IMPLIES_EXEC */
    0x100000000ULL,
    0x100000008ULL,
    0xffffffffffffffffULL,
    0xfffffffe,
};

static void expect_same_args(uint32_t arch, uint32_t nr, uint64_t arg0, uint64_t arg1,
                             uint64_t arg2)
{
        struct seccomp_data d = {.nr = (int)nr,
                                 .arch = arch,
                                 .instruction_pointer = 0x7f0000001234ULL,
                                 .args = {arg0, arg1, arg2, 3, 4, 5}};
        struct outcome a = run(ours.f, ours.len, &d), b = run(theirs.f, theirs.len, &d);

        if (a.ret != b.ret)
                ck_abort_msg("arch 0x%08x nr 0x%x (%u) args 0x%llx 0x%llx 0x%llx: ward 0x%08x, "
                             "libseccomp 0x%08x",
                             arch, nr, nr, (unsigned long long)arg0, (unsigned long long)arg1,
                             (unsigned long long)arg2, a.ret, b.ret);
}

static void expect_same(uint32_t arch, uint32_t nr, uint64_t arg0)
{
        expect_same_args(arch, nr, arg0, 1, 2);
}

/* socket(): every family below the limit and past it, with high bits set (the kernel reads
 * ints), every type with and without its flags, and the protocols that matter (TCP, UDP,
 * SCTP, MPTCP) and then some. */
static void expect_socket_equivalent(void)
{
        static const uint64_t highs[] = {0, 0x100000000ULL, 0xffffffff00000000ULL};
        static const uint64_t flags[] = {0, SOCK_NONBLOCK, SOCK_CLOEXEC, 0x10, 0x100000000ULL};
        static const uint64_t protos[] = {0,          1,
                                          2,          3,
                                          4,          5,
                                          6,          7,
                                          17,         33,
                                          132,        136,
                                          256,        262,
                                          263,        518,
                                          0x80000006, 0x100000006ULL,
                                          0xffffffff, 0xfffffffffffffffaULL};

        for (uint64_t f = 0; f < 72; f++)
                for (size_t h = 0; h < ARRAY_SIZE(highs); h++)
                        for (uint64_t t = 0; t < 16; t++)
                                for (size_t k = 0; k < ARRAY_SIZE(flags); k++)
                                        for (size_t q = 0; q < ARRAY_SIZE(protos); q++)
                                                expect_same_args(AUDIT_ARCH_X86_64, SYS_socket,
                                                                 f | highs[h], t | flags[k],
                                                                 protos[q]);
        for (uint32_t bit = 0; bit < 32; bit++)
                expect_same_args(AUDIT_ARCH_X86_64, SYS_socket, 1ULL << bit, SOCK_STREAM,
                                 IPPROTO_TCP);
}

/* The mode-setting calls (and openat2, their ENOSYS neighbour): each mode value in each of
 * args[1..3], the other arguments innocent or O_CREAT/O_TMPFILE flags, since a filter that
 * looked at the wrong argument would still pass with every argument the same. */
static const uint64_t modes[] = {
    0,
    0644,
    0755,
    01755,
    04755,
    02755,
    06755,
    04000,
    02000,
    07777,
    S_IFREG | 04755,
    S_IFCHR | 02644,
    0x100000000ULL | 04000, /* the high word is not the mode: S_ISUID all the same */
    0x100000000ULL | 02755,
    0x100004000ULL, /* hex 0x4000 is S_IFDIR (040000), no setid bit: allowed */
    0x100000000ULL | 0755,
    0xffffffff00000000ULL | 0755,
    0xfffff9ffULL, /* every bit but the two */
    0x80000000ULL,
    0xffffffffffffffffULL,
};

static void expect_same_data(const struct seccomp_data *d)
{
        struct outcome a = run(ours.f, ours.len, d), b = run(theirs.f, theirs.len, d);

        if (a.ret != b.ret)
                ck_abort_msg("nr %d args 0x%llx 0x%llx 0x%llx 0x%llx: ward 0x%08x, libseccomp "
                             "0x%08x",
                             d->nr, (unsigned long long)d->args[0], (unsigned long long)d->args[1],
                             (unsigned long long)d->args[2], (unsigned long long)d->args[3], a.ret,
                             b.ret);
}

static void expect_mode_equivalent(void)
{
        static const int nrs[] = {
            SYS_open,    SYS_creat,    SYS_chmod,           SYS_fchmod,  SYS_mknod, SYS_openat,
            SYS_mknodat, SYS_fchmodat, 452 /* fchmodat2 */, SYS_openat2, SYS_mkdir, SYS_mkdirat};
        static const uint64_t others[] = {0, O_CREAT | O_WRONLY, O_TMPFILE | O_RDWR, 04755};

        for (size_t n = 0; n < ARRAY_SIZE(nrs); n++)
                for (unsigned arg = 1; arg <= 3; arg++)
                        for (size_t m = 0; m < ARRAY_SIZE(modes); m++)
                                for (size_t o = 0; o < ARRAY_SIZE(others); o++) {
                                        struct seccomp_data d = {.nr = nrs[n],
                                                                 .arch = AUDIT_ARCH_X86_64};
                                        for (unsigned i = 0; i < 6; i++)
                                                d.args[i] = others[o];
                                        d.args[0] = (uint64_t)AT_FDCWD;
                                        d.args[arg] = modes[m];
                                        expect_same_data(&d);
                                }
}

static void expect_same_all_args(uint32_t arch, uint32_t nr)
{
        for (size_t i = 0; i < ARRAY_SIZE(arg0s); i++)
                expect_same(arch, nr, arg0s[i]);
}

static void expect_equivalent(void)
{
        static const uint32_t huge[] = {0x3fffffff, 0x7fffffff, 0x80000000, 0xfffffffe,
                                        0xffffffff, 0x40000000, 0x4fffffff, 0xbfffffff};
        static const uint32_t foreign[] = {AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0,
                                           AUDIT_ARCH_X86_64 ^ 1, 0xffffffff};

        for (uint32_t nr = 0; nr < 1100; nr++)
                expect_same_all_args(AUDIT_ARCH_X86_64, nr);
        for (uint32_t nr = 0; nr <= 600; nr++)
                expect_same_all_args(AUDIT_ARCH_X86_64, nr | 0x40000000);
        for (uint32_t bit = 0; bit < 32; bit++) {
                expect_same_all_args(AUDIT_ARCH_X86_64, 1u << bit);
                expect_same_all_args(AUDIT_ARCH_X86_64, (1u << bit) - 1);
        }
        for (size_t i = 0; i < ARRAY_SIZE(huge); i++)
                expect_same_all_args(AUDIT_ARCH_X86_64, huge[i]);
        for (size_t i = 0; i < ARRAY_SIZE(foreign); i++)
                for (uint32_t nr = 0; nr < 1024; nr += 7)
                        expect_same(foreign[i], nr, 0);
        expect_socket_equivalent();
        expect_mode_equivalent();
        for (size_t i = 0; i < ARRAY_SIZE(foreign); i++) {
                expect_same_all_args(foreign[i], 56);  /* x86_64 clone */
                expect_same_all_args(foreign[i], 120); /* i386 clone */
                expect_same_all_args(foreign[i], 135); /* personality */
                expect_same_all_args(foreign[i], 0xffffffff);
        }
}

/* The kernel's constant-action cache takes a number as always allowed only if its path
 * loads nothing but nr and arch: only clone, personality, socket and the mode-setting
 * calls may read an argument. */
static void expect_constant_paths(void)
{
        for (uint32_t nr = 0; nr < WARD_SECCOMP_MAX_NR; nr++) {
                struct seccomp_data d = {.nr = (int)nr, .arch = AUDIT_ARCH_X86_64};
                struct outcome o = run(ours.f, ours.len, &d);
                bool reads = plan.verdict[nr] == WARD_SC_ALLOW_NO_NS ||
                             plan.verdict[nr] == WARD_SC_ALLOW_PERSONA ||
                             plan.verdict[nr] == WARD_SC_ALLOW_SOCKET ||
                             (plan.verdict[nr] >= WARD_SC_ALLOW_MODE1 &&
                              plan.verdict[nr] <= WARD_SC_ALLOW_MODE3);

                if (o.read_args != reads)
                        ck_abort_msg("nr %u: reads an argument: %d", nr, o.read_args);
                if (plan.verdict[nr] == WARD_SC_ALLOW && o.ret != SECCOMP_RET_ALLOW)
                        ck_abort_msg("nr %u: allowed by the plan, 0x%08x here", nr, o.ret);
        }
}

/* seccomp_bpf_run (what ward checks the init's needs with) agrees with this file's
 * interpreter on both programs, number by number. */
static void expect_runner_agrees(void)
{
        for (uint32_t nr = 0; nr < 600; nr++) {
                struct seccomp_data d = {.nr = (int)nr, .arch = AUDIT_ARCH_X86_64, .args = {2, 1}};
                uint32_t a = 0, b = 0;
                ck_assert_int_eq(seccomp_bpf_run(ours.f, ours.len, &d, &a), 0);
                ck_assert_int_eq(seccomp_bpf_run(theirs.f, theirs.len, &d, &b), 0);
                if (a != run(ours.f, ours.len, &d).ret || b != run(theirs.f, theirs.len, &d).ret)
                        ck_abort_msg("nr %u: seccomp_bpf_run disagrees", nr);
        }
}

static void check_plan(void)
{
        compile_both();
        expect_equivalent();
        expect_constant_paths();
        expect_runner_agrees();
}

static void load_profile(const char *name)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s.profile", WARD_SOURCE_PROFILES_DIR, name);
        ck_assert_msg(profile_load(&c, path, &e) == 0, "%s: %s", name, e.msg);
}

START_TEST(test_default_profile)
{
        load_profile("default");
        check_plan();
}
END_TEST

START_TEST(test_strict_profile)
{
        load_profile("strict");
        check_plan();
}
END_TEST

START_TEST(test_refusal_actions)
{
        static const char *const actions[] = {"errno", "kill", "log"};

        for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
                char text[128];
                snprintf(text, sizeof(text), "[Seccomp]\nDefaultAction=%s\n", actions[i]);
                ck_assert_int_eq(load_text(text), 0);
                check_plan();
                ck_assert_int_eq(plan.action, (int)i);
        }
}
END_TEST

START_TEST(test_allow_and_deny)
{
        /* Each profile, and one verdict it changes (that the plan really differs). */
        static const struct {
                const char *text;
                uint64_t caps;
                int nr, verdict;
        } cases[] = {
            {"[Seccomp]\nAllow=@mount\n", 0, SYS_mount, WARD_SC_ALLOW},
            {"[Seccomp]\nAllow=ptrace\nDeny=write\n", 1ULL << CAP_SYS_PTRACE, SYS_write,
             WARD_SC_REFUSE},
            {"[Seccomp]\nDeny=write clone personality\nDefaultAction=kill\n", 0, SYS_clone,
             WARD_SC_REFUSE},
            {"[Seccomp]\nAllow=clone3 @keyring @debug\nDefaultAction=log\n", 0, SYS_clone3,
             WARD_SC_ALLOW},
            {"[Seccomp]\nDeny=@system-service\n", 0, SYS_read, WARD_SC_REFUSE},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                config_free(&c);
                ck_assert_int_eq(config_init(&c, &e), 0);
                ck_assert_msg(load_text(cases[i].text) == 0, "%s: %s", cases[i].text, e.msg);
                c.caps_keep = cases[i].caps;
                check_plan();
                ck_assert_int_eq(plan.verdict[cases[i].nr], cases[i].verdict);
        }
}
END_TEST

/* The plan as OCI JSON (ward spec), compiled back through ward's JSON reader: what crun or
 * runc would load for it. */
static struct program oci_program(void)
{
        static const struct ward_origin o = {.file = "t", .line = 0};
        _cleanup_close_ int fd = memfd_create("bpf", MFD_CLOEXEC);
        json_t *doc = seccomp_plan_to_oci(&plan);
        void *ctx = NULL, *bpf = NULL;
        struct program prog;

        ck_assert_ptr_nonnull(doc);
        ck_assert_msg(
            seccomp_json_compile_tree(doc, "t", "k", "", c.caps_keep, &o, &ctx, NULL, &e) == 0,
            "%s", e.msg);
        json_decref(doc);
        ck_assert_int_eq(seccomp_export_bpf(ctx, fd), 0);
        seccomp_release(ctx);
        ck_assert_int_eq(seccomp_bpf_read_back(fd, &bpf, &prog.len, &e), 0);
        prog.f = bpf;
        return prog;
}

/* AllowSocketFamily= and Landlock's TCP lists decide socket()'s block: each combination,
 * under each refusal action, is still libseccomp's program verdict for verdict. */
START_TEST(test_socket_plans)
{
        static const struct {
                const char *text;
                uint64_t refused;
                bool tcp_only;
        } cases[] = {
            {"", (1ULL << AF_VSOCK) | (1ULL << AF_ALG), false},
            {"[Seccomp]\nAllowSocketFamily=vsock\n", 1ULL << AF_ALG, false},
            {"[Seccomp]\nAllowSocketFamily=AF_ALG\nAllowSocketFamily=VSOCK\n", 0, false},
            {"[Landlock]\nBindTCP=8080\n", (1ULL << AF_VSOCK) | (1ULL << AF_ALG), true},
            {"[Landlock]\nLandlock=try\n[Seccomp]\nAllowSocketFamily=vsock alg\n", 0, true},
            {"[Landlock]\nBindTCP=any\nConnectTCP=80\n", (1ULL << AF_VSOCK) | (1ULL << AF_ALG),
             true},
            {"[Landlock]\nBindTCP=any\nConnectTCP=any\n", (1ULL << AF_VSOCK) | (1ULL << AF_ALG),
             false},
            {"[Landlock]\nBindTCP=8080\n[Seccomp]\nAllow=@system-service socket\n",
             (1ULL << AF_VSOCK) | (1ULL << AF_ALG), true},
        };
        static const char *const actions[] = {"errno", "kill", "log"};

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
                for (size_t a = 0; a < ARRAY_SIZE(actions); a++) {
                        char text[512];
                        config_free(&c);
                        ck_assert_int_eq(config_init(&c, &e), 0);
                        snprintf(text, sizeof(text), "%s[Seccomp]\nDefaultAction=%s\n",
                                 cases[i].text, actions[a]);
                        ck_assert_msg(load_text(text) == 0, "%s: %s", text, e.msg);
                        check_plan();
                        ck_assert_uint_eq(plan.socket_refused_families, cases[i].refused);
                        ck_assert_int_eq(plan.socket_tcp_only, cases[i].tcp_only);
                        ck_assert_int_eq(plan.verdict[SYS_socket],
                                         cases[i].refused || cases[i].tcp_only
                                             ? WARD_SC_ALLOW_SOCKET
                                             : WARD_SC_ALLOW);
                        /* ward spec carries the same rules, verdict for verdict. */
                        free(theirs.f);
                        theirs = oci_program();
                        expect_equivalent();
                }
        /* Deny=socket still refuses every socket: the checks only narrow an allowed one. */
        config_free(&c);
        ck_assert_int_eq(config_init(&c, &e), 0);
        ck_assert_int_eq(load_text("[Landlock]\nBindTCP=1\n[Seccomp]\nDeny=socket\n"), 0);
        check_plan();
        ck_assert_int_eq(plan.verdict[SYS_socket], WARD_SC_REFUSE);
}
END_TEST

/* AllowSetuidFiles= and Allow=/Deny= decide the mode checks: each combination, under each
 * refusal action, is libseccomp's program and ward spec's verdict for verdict. */
START_TEST(test_setid_plans)
{
        static const struct {
                const char *text;
                int chmod_verdict, openat_verdict, openat2_verdict;
        } cases[] = {
            {"", WARD_SC_ALLOW_MODE1, WARD_SC_ALLOW_MODE3, WARD_SC_ENOSYS},
            {"[Seccomp]\nAllowSetuidFiles=yes\n", WARD_SC_ALLOW, WARD_SC_ALLOW, WARD_SC_ALLOW},
            {"[Seccomp]\nAllowSetuidFiles=yes\nAllowSetuidFiles=no\n", WARD_SC_ALLOW_MODE1,
             WARD_SC_ALLOW_MODE3, WARD_SC_ENOSYS},
            {"[Seccomp]\nDeny=chmod openat2\n", WARD_SC_REFUSE, WARD_SC_ALLOW_MODE3,
             WARD_SC_REFUSE},
            {"[Seccomp]\nAllowSetuidFiles=yes\nDeny=openat\n", WARD_SC_ALLOW, WARD_SC_REFUSE,
             WARD_SC_ALLOW},
            {"[Landlock]\nBindTCP=8080\n[Seccomp]\nAllow=@system-service\n", WARD_SC_ALLOW_MODE1,
             WARD_SC_ALLOW_MODE3, WARD_SC_ENOSYS},
        };
        static const char *const actions[] = {"errno", "kill", "log"};

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
                for (size_t a = 0; a < ARRAY_SIZE(actions); a++) {
                        char text[512];
                        config_free(&c);
                        ck_assert_int_eq(config_init(&c, &e), 0);
                        snprintf(text, sizeof(text), "%s[Seccomp]\nDefaultAction=%s\n",
                                 cases[i].text, actions[a]);
                        ck_assert_msg(load_text(text) == 0, "%s: %s", text, e.msg);
                        check_plan();
                        ck_assert_int_eq(plan.refuse_setid_modes,
                                         cases[i].chmod_verdict != WARD_SC_ALLOW);
                        ck_assert_int_eq(plan.verdict[SYS_chmod], cases[i].chmod_verdict);
                        ck_assert_int_eq(plan.verdict[SYS_openat], cases[i].openat_verdict);
                        ck_assert_int_eq(plan.verdict[SYS_openat2], cases[i].openat2_verdict);
                        free(theirs.f);
                        theirs = oci_program();
                        expect_equivalent();
                }
}
END_TEST

/* Where each call keeps its mode, against the x86_64 numbers the test knows them by. */
START_TEST(test_setid_calls)
{
        static const struct {
                int nr, verdict;
        } expected[] = {
            {SYS_chmod, WARD_SC_ALLOW_MODE1},
            {SYS_fchmod, WARD_SC_ALLOW_MODE1},
            {SYS_creat, WARD_SC_ALLOW_MODE1},
            {SYS_mknod, WARD_SC_ALLOW_MODE1},
            {SYS_open, WARD_SC_ALLOW_MODE2},
            {SYS_fchmodat, WARD_SC_ALLOW_MODE2},
            {452 /* fchmodat2 */, WARD_SC_ALLOW_MODE2},
            {SYS_mknodat, WARD_SC_ALLOW_MODE2},
            {SYS_openat, WARD_SC_ALLOW_MODE3},
            {SYS_openat2, WARD_SC_ENOSYS},
            {SYS_mkdir, WARD_SC_ALLOW},
            {SYS_io_uring_setup, WARD_SC_REFUSE},
            {SYS_io_uring_enter, WARD_SC_REFUSE},
            {SYS_io_uring_register, WARD_SC_REFUSE},
        };

        load_profile("default");
        ck_assert_int_eq(seccomp_plan_build(&c, &plan, &e), 0);
        for (size_t i = 0; i < ARRAY_SIZE(expected); i++)
                ck_assert_msg(plan.verdict[expected[i].nr] == expected[i].verdict, "nr %d: %d",
                              expected[i].nr, plan.verdict[expected[i].nr]);
        ck_assert_int_lt(load_text("[Seccomp]\nAllowSetuidFiles=maybe\n"), 0);
}
END_TEST

START_TEST(test_socket_family_names)
{
        ck_assert_int_lt(load_text("[Seccomp]\nAllowSocketFamily=vsok\n"), 0);
        ck_assert_msg(strstr(e.msg, "vsok") && strstr(e.hint, "vsock"), "%s / %s", e.msg, e.hint);
        ck_assert_int_lt(load_text("[Seccomp]\nAllowSocketFamily=inet\n"), 0);
        ck_assert_int_eq(load_text("[Seccomp]\nAllowSocketFamily=vsock\nAllowSocketFamily=\n"), 0);
        ck_assert_uint_eq(c.seccomp.socket_families_allowed, 0);
}
END_TEST

START_TEST(test_kept_capabilities)
{
        c.caps_keep = (1ULL << CAP_SYS_PTRACE) | (1ULL << CAP_SYS_TIME) | (1ULL << CAP_SYS_BOOT) |
                      (1ULL << CAP_SYS_MODULE) | (1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_SYS_NICE) |
                      (1ULL << CAP_SYS_RESOURCE) | (1ULL << CAP_SYS_RAWIO) | (1ULL << CAP_SYSLOG) |
                      (1ULL << CAP_SYS_PACCT);
        check_plan();
        ck_assert_int_eq(plan.verdict[SYS_ptrace], WARD_SC_ALLOW);
}
END_TEST

/* A plan the generator cannot lay out: seccomp_plan_bpf loads libseccomp's program. */
static void expect_fallback(void)
{
        void *bpf = NULL;
        size_t len = 0;

        ck_assert_int_eq(seccomp_plan_bpf(&plan, &bpf, &len, &e), 0);
        ck_assert_uint_eq(len, theirs.len);
        ck_assert_int_eq(memcmp(bpf, theirs.f, len * sizeof(*theirs.f)), 0);
        free(bpf);
}

/* Plans nobody writes by hand: random verdicts in random stretches over the numbers
 * libseccomp knows. Those too fragmented for the generator must fall back to libseccomp. */
START_TEST(test_random_plans)
{
        static const uint8_t verdicts[] = {
            WARD_SC_REFUSE, WARD_SC_ALLOW,       WARD_SC_ALLOW_NO_NS, WARD_SC_ALLOW_PERSONA,
            WARD_SC_ENOSYS, WARD_SC_ALLOW_MODE1, WARD_SC_ALLOW_MODE2, WARD_SC_ALLOW_MODE3};
        struct ward_seccomp_plan base;
        unsigned seed = 20261123;

        int fitted = 0, fell_back = 0;

        ck_assert_int_eq(seccomp_plan_build(&c, &base, &e), 0);
        for (int round = 0; round < 15; round++) {
                /* About how many numbers per change: 1 makes ~300 runs, too many. */
                int every = round < 6 ? 12 : round < 9 ? 3 : round < 12 ? 2 : 1;
                uint8_t v = 0;
                void *bpf = NULL;
                int r;

                plan = base;
                plan.action = round % 3;
                plan.socket_tcp_only = round % 2;
                plan.socket_refused_families =
                    (uint64_t)rand_r(&seed) << 20 | (uint64_t)rand_r(&seed);
                for (int nr = 0; nr < WARD_SECCOMP_MAX_NR; nr++) {
                        if (rand_r(&seed) % every == 0)
                                v = verdicts[rand_r(&seed) % ARRAY_SIZE(verdicts)];
                        if (base.verdict[nr] != WARD_SC_UNKNOWN)
                                plan.verdict[nr] = v;
                }
                /* socket's block, when the plan allows it, in every other round. */
                if (round % 3 != 1 && plan.verdict[SYS_socket] == WARD_SC_ALLOW)
                        plan.verdict[SYS_socket] = WARD_SC_ALLOW_SOCKET;
                free_programs();
                theirs = libseccomp_program(&plan);
                r = seccomp_bpf_generate(&plan, &bpf, &ours.len, &e);
                ck_assert_msg(r == 0 || r == -E2BIG, "round %d: %d %s", round, r, e.msg);
                if (r == -E2BIG) {
                        expect_fallback();
                        fell_back++;
                        continue;
                }
                ours.f = bpf;
                expect_equivalent();
                fitted++;
        }
        ck_assert_int_ge(fitted, 9);
        ck_assert_int_ge(fell_back, 1);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Size and speed                                                                         */

START_TEST(test_default_is_small)
{
        struct seccomp_data d = {.arch = AUDIT_ARCH_X86_64};
        unsigned steps = 0, theirs_steps = 0;

        load_profile("default");
        compile_both();
        ck_assert_uint_lt(ours.len, 200);
        ck_assert_uint_lt(ours.len * 4, theirs.len);
        for (d.nr = 0; d.nr <= 462; d.nr++) {
                steps += run(ours.f, ours.len, &d).steps;
                theirs_steps += run(theirs.f, theirs.len, &d).steps;
        }
        ck_assert_msg(steps < 12 * 463, "average path %.2f instructions", steps / 463.0);
        ck_assert_uint_lt(steps, theirs_steps);
        /* seccomp_plan_bpf uses the generator for a real plan, not the fallback. */
        void *bpf = NULL;
        size_t len = 0;
        ck_assert_int_eq(seccomp_plan_bpf(&plan, &bpf, &len, &e), 0);
        ck_assert_uint_eq(len, ours.len);
        ck_assert_int_eq(memcmp(bpf, ours.f, len * sizeof(*ours.f)), 0);
        free(bpf);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Refusals                                                                               */

START_TEST(test_refuses_the_unexpected)
{
        void *bpf = NULL;
        size_t len = 0;

        ck_assert_int_eq(seccomp_plan_build(&c, &plan, &e), 0);
        plan.verdict[SYS_getppid] = WARD_SC_LAST + 1;
        ck_assert_int_eq(seccomp_bpf_generate(&plan, &bpf, &len, &e), -EINVAL);
        ck_assert(strstr(e.msg, "unknown verdict"));
        ck_assert_int_eq(seccomp_plan_bpf(&plan, &bpf, &len, &e), -EINVAL);

        ck_assert_int_eq(seccomp_plan_build(&c, &plan, &e), 0);
        plan.action = WARD_SECCOMP_LOG + 1;
        ck_assert_int_eq(seccomp_bpf_generate(&plan, &bpf, &len, &e), -EINVAL);
        ck_assert(strstr(e.msg, "unknown refusal action"));
        plan.action = -1;
        ck_assert_int_eq(seccomp_bpf_generate(&plan, &bpf, &len, &e), -EINVAL);
        ck_assert_ptr_null(bpf);
}
END_TEST

/* Every other number allowed, the rest refused: ~370 runs, so the search's first compares
 * would have to jump more than 255 instructions to the returns. */
START_TEST(test_too_fragmented)
{
        void *bpf = NULL;
        size_t len = 0;

        ck_assert_int_eq(seccomp_plan_build(&c, &plan, &e), 0);
        for (int nr = 0; nr < 400; nr++)
                plan.verdict[nr] = nr % 2 ? WARD_SC_ALLOW : WARD_SC_REFUSE;
        ck_assert_int_eq(seccomp_bpf_generate(&plan, &bpf, &len, &e), -E2BIG);
        ck_assert_ptr_null(bpf);
        ck_assert(strstr(e.msg, "runs of syscall numbers"));
        free_programs();
        theirs = libseccomp_program(&plan);
        expect_fallback();
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* The kernel takes the program, and decides as it says (in a child: the test stays free). */

/* Under Landlock TCP rules: TCP and UDP sockets open, MPTCP and SCTP get EPROTONOSUPPORT. */
static int child_checks_tcp_only(void)
{
        long fd;

        if ((fd = syscall(SYS_socket, AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP)) < 0)
                return 20;
        close((int)fd);
        if ((fd = syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0)) < 0)
                return 21;
        close((int)fd);
        if (syscall(SYS_socket, AF_INET, SOCK_STREAM, 262 /* IPPROTO_MPTCP */) != -1 ||
            errno != EPROTONOSUPPORT)
                return 22;
        if (syscall(SYS_socket, AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP) != -1 ||
            errno != EPROTONOSUPPORT)
                return 23;
        return 0;
}

/* A directory of the test's for the child's files (mode calls need real paths), made by
 * test_kernel_loads_it only. */
static char setid_dir[] = "/tmp/ward-test-setid-XXXXXX";
static bool check_setid;

static bool refused_with(long ret, int err)
{
        return ret == -1 && errno == err;
}

/* Each way to set S_ISUID/S_ISGID is refused, the same calls with plain modes work, and
 * openat2 gets ENOSYS. */
static int child_checks_setid(void)
{
        _cleanup_close_ int dir = open(setid_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int fd = -1;

        if (dir < 0 || (fd = (int)syscall(SYS_openat, dir, "f", O_CREAT | O_RDWR, 0644)) < 0)
                return 30;
        if (!refused_with(syscall(SYS_openat, dir, "g", O_CREAT | O_RDWR, 04755), EPERM) ||
            !refused_with(syscall(SYS_fchmod, fd, 04755), EPERM) ||
            !refused_with(syscall(SYS_fchmod, fd, 0x100000000L | 02000), EPERM) ||
            !refused_with(syscall(SYS_fchmodat, dir, "f", 02755, 0), EPERM) ||
            !refused_with(syscall(SYS_mknodat, dir, "n", S_IFREG | 04755, 0), EPERM))
                return 31;
        if (syscall(SYS_fchmod, fd, 0x100000000L | 0755) < 0 ||
            syscall(SYS_fchmodat, dir, "f", 0700, 0) < 0)
                return 32;
        if (!refused_with(syscall(SYS_openat2, dir, "f", NULL, 0), ENOSYS))
                return 33;
        return 0;
}

static int child_checks(const struct program *p)
{
        int r;
        struct sock_fprog prog = {.len = (unsigned short)p->len, .filter = p->f};

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
                return 10;
        if (syscall(SYS_getppid) <= 0)
                return 11;
        if (syscall(SYS_unshare, 0) != -1 || errno != EPERM)
                return 12;
        if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
                return 13;
        if (syscall(SYS_personality, 0x0040000UL) != -1 || errno != ENOSYS)
                return 14;
        if (syscall(SYS_personality, 0xffffffffUL) < 0)
                return 15;
        if (syscall(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
                return 16;
        if (syscall(SYS_socket, AF_VSOCK | 0x100000000L, SOCK_STREAM, 0) != -1 ||
            errno != EAFNOSUPPORT)
                return 17;
        if (syscall(SYS_socket, AF_ALG, SOCK_SEQPACKET, 0) != -1 || errno != EAFNOSUPPORT)
                return 18;
        if (check_setid && (r = child_checks_setid()) != 0)
                return r;
        return plan.socket_tcp_only ? child_checks_tcp_only() : 0;
}

START_TEST(test_kernel_loads_it)
{
        struct stat st;
        int status;
        pid_t pid;

        load_profile("default");
        compile_both();
        ck_assert(plan.refuse_setid_modes);
        ck_assert_ptr_nonnull(mkdtemp(setid_dir));
        check_setid = true;
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(child_checks(&ours));
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        /* What the child left: f, mode 0700 and no setid bit; g and n never made. Removed
         * before the checks, so that a failure leaves nothing behind. */
        _cleanup_close_ int dir = open(setid_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int f = fstatat(dir, "f", &st, 0), g = faccessat(dir, "g", F_OK, AT_SYMLINK_NOFOLLOW),
            n = faccessat(dir, "n", F_OK, AT_SYMLINK_NOFOLLOW);
        static const char *const names[] = {"f", "g", "n"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                unlinkat(dir, names[i], 0);
        ck_assert_int_eq(rmdir(setid_dir), 0);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status 0x%x", status);
        ck_assert_int_eq(f, 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0700);
        ck_assert_int_lt(g, 0);
        ck_assert_int_lt(n, 0);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status 0x%x", status);
}
END_TEST

START_TEST(test_kernel_loads_tcp_only)
{
        int status;
        pid_t pid;

        ck_assert_int_eq(load_text("[Landlock]\nBindTCP=8080\n"), 0);
        compile_both();
        ck_assert(plan.socket_tcp_only);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(child_checks(&ours));
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status 0x%x", status);
}
END_TEST

static Suite *seccomp_bpf_suite(void)
{
        Suite *s = suite_create("seccomp_bpf");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown_programs);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_default_profile);
        tcase_add_test(tc, test_strict_profile);
        tcase_add_test(tc, test_refusal_actions);
        tcase_add_test(tc, test_allow_and_deny);
        tcase_add_test(tc, test_kept_capabilities);
        tcase_add_test(tc, test_random_plans);
        tcase_add_test(tc, test_default_is_small);
        tcase_add_test(tc, test_refuses_the_unexpected);
        tcase_add_test(tc, test_too_fragmented);
        tcase_add_test(tc, test_kernel_loads_it);
        tcase_add_test(tc, test_kernel_loads_tcp_only);
        tcase_add_test(tc, test_socket_plans);
        tcase_add_test(tc, test_socket_family_names);
        tcase_add_test(tc, test_setid_plans);
        tcase_add_test(tc, test_setid_calls);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(seccomp_bpf_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
