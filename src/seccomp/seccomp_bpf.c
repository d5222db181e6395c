/* ward's seccomp filter as classic BPF, generated from the plan (seccomp_bpf.h).
 *
 * The program, top to bottom (cBPF jumps only go forward, by at most 255 instructions):
 *
 *   prologue  ld arch; jeq AUDIT_ARCH_X86_64 ? next : KILL
 *             ld nr;   jge 0x40000000 ? next : search
 *             jeq 0xffffffff ? ENOSYS : KILL
 *   search    jge <start of a run> ..., a balanced binary search over the runs
 *   clone     ld args[0] low; jset WARD_CLONE_NS_FLAGS ? REFUSE : ALLOW
 *   persona   ld args[0] high; jeq 0 ? next : ENOSYS
 *             ld args[0] low;  jeq 0, 8 or 0xffffffff ? ALLOW : ENOSYS
 *   socket    ld args[0] low; jeq each refused family ? SOCK_FAMILY; jge 64 ? ENOSYS
 *             [Landlock TCP rules: jeq AF_INET/AF_INET6 ? inet : ALLOW
 *              inet: ld args[1] low & 0xf; jeq DGRAM ? ALLOW; jeq STREAM ? next : SOCK_PROTO
 *              ld args[2] low; jeq 0 or IPPROTO_TCP ? ALLOW : SOCK_PROTO]
 *   modes     per argument that holds a mode (1, 2, 3), where the plan uses it:
 *             ld args[n] low; jset S_ISUID|S_ISGID ? REFUSE : ALLOW
 *   returns   KILL_PROCESS, ERRNO(ENOSYS), the refusal, ALLOW, then, when the socket block
 *             uses them, EAFNOSUPPORT and EPROTONOSUPPORT (or the plan's kill/log)
 *
 * The prologue is libseccomp's, verdict for verdict: a foreign ABI (i386 int 0x80) and an
 * x32 number (bit 30) kill the process, so neither can sidestep the rules; nr -1 (a call a
 * tracer skipped) gets the default action, ENOSYS, as libseccomp's search gives it.
 *
 * A run is a stretch of consecutive syscall numbers that all end in the same place (89 for
 * the default plan, against ~460 numbers); the numbers past the plan, up to the x32 bit, end
 * in ENOSYS, as in libseccomp's program. The search is one `jge` per
 * boundary between runs, halving the runs at each step, and its leaves are jumps to the
 * shared code below it rather than returns of their own: the program is runs + ~15
 * instructions, and the path of any number (what the kernel's constant-action cache runs at
 * load, once per number) is the prologue, ~log2(runs) compares and a return.
 *
 * Only clone, personality, socket and the mode-setting calls (chmod, open...: refused with
 * a setuid/setgid mode) read an argument. Every other path loads nothing but arch and
 * nr, so the kernel's cache still sees each allowed number as always allowed and lets it
 * through without running the filter at all.
 *
 * Anything unexpected (a verdict or action this file does not know, a jump the layout did
 * not foresee) is an error, never a guess; a plan too fragmented for 8-bit jumps is -E2BIG,
 * and the caller then loads libseccomp's program instead. */
#include "ward/seccomp_bpf.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ward/util.h"

/* Where a syscall number's path ends: one of the four returns or one of the two blocks. The
 * returns are laid out in this order, last in the program. */
enum target {
        T_KILL,        /* SECCOMP_RET_KILL_PROCESS: a foreign ABI */
        T_ENOSYS,      /* the default action: unknown numbers and clone3 */
        T_REFUSE,      /* the plan's refusal: EPERM, kill or log */
        T_ALLOW,       /* SECCOMP_RET_ALLOW */
        T_SOCK_FAMILY, /* a refused socket family: EAFNOSUPPORT, or the plan's kill/log */
        T_SOCK_PROTO,  /* an inet protocol Landlock cannot see: EPROTONOSUPPORT, or kill/log */
        T_CLONE,       /* the clone block */
        T_PERSONA,     /* the personality block */
        T_SOCKET,      /* the socket block */
        T_MODE1,       /* the mode blocks: args[1], args[2], args[3] */
        T_MODE2,
        T_MODE3,
        N_TARGETS,
};

#define X32_SYSCALL_BIT 0x40000000u
#define PROLOGUE_LEN 5
#define CLONE_LEN 2
#define PERSONA_LEN 6
#define SOCKET_INET_LEN 9 /* jeq inet, jeq inet6, then the type and protocol checks */
#define MODE_LEN 2        /* ld the mode; jset WARD_SETID_BITS */
#define NEXT SIZE_MAX     /* as a jump target: the instruction that follows */

#define OFF_NR offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
/* args[0]'s two halves as x86_64 (little-endian) lays them out: the program lets no other
 * ABI past its prologue, whatever machine built it. */
#define OFF_ARG0_LO offsetof(struct seccomp_data, args[0])
#define OFF_ARG0_HI (OFF_ARG0_LO + 4)
#define OFF_ARG1_LO offsetof(struct seccomp_data, args[1])
#define OFF_ARG2_LO offsetof(struct seccomp_data, args[2])
#define OFF_ARG3_LO offsetof(struct seccomp_data, args[3])

_Static_assert(WARD_CLONE_NS_FLAGS <= UINT32_MAX, "clone's namespace flags fit the low word");
_Static_assert(WARD_PER_QUERY <= UINT32_MAX, "the personas fit the low word");
_Static_assert(PROLOGUE_LEN + WARD_SECCOMP_MAX_NR + CLONE_LEN + PERSONA_LEN + 2 +
                       WARD_SOCKET_FAMILY_LIMIT + SOCKET_INET_LEN + 3 * MODE_LEN + T_SOCK_PROTO +
                       1 <=
                   BPF_MAXINSNS,
               "the longest program the layout can make is one the kernel takes");

/* The syscall numbers from start up to the next run's start, which all end in target. */
struct run {
        uint32_t start;
        enum target target;
};

struct gen {
        struct run runs[WARD_SECCOMP_MAX_NR + 1]; /* + the numbers past the plan */
        size_t n_runs;
        bool used[N_TARGETS];
        size_t at[N_TARGETS]; /* where each target's code starts */
        struct sock_filter *insn;
        size_t len, cap; /* cap: the length the layout computed */
        uint64_t refused_families;
        bool tcp_only;
};

static int target_of(uint8_t verdict, enum target *t)
{
        switch (verdict) {
        case WARD_SC_UNKNOWN:
        case WARD_SC_ENOSYS:
                *t = T_ENOSYS;
                return 0;
        case WARD_SC_REFUSE:
                *t = T_REFUSE;
                return 0;
        case WARD_SC_ALLOW:
                *t = T_ALLOW;
                return 0;
        case WARD_SC_ALLOW_NO_NS:
                *t = T_CLONE;
                return 0;
        case WARD_SC_ALLOW_PERSONA:
                *t = T_PERSONA;
                return 0;
        case WARD_SC_ALLOW_SOCKET:
                *t = T_SOCKET;
                return 0;
        case WARD_SC_ALLOW_MODE1:
        case WARD_SC_ALLOW_MODE2:
        case WARD_SC_ALLOW_MODE3:
                *t = T_MODE1 + (verdict - WARD_SC_ALLOW_MODE1);
                return 0;
        default:
                return -EINVAL;
        }
}

/* The same values seccomp.c's refusal() gives libseccomp. */
static int refusal_of(int action, uint32_t *ret)
{
        switch (action) {
        case WARD_SECCOMP_ERRNO:
                *ret = SECCOMP_RET_ERRNO | EPERM;
                return 0;
        case WARD_SECCOMP_KILL:
                *ret = SECCOMP_RET_KILL_PROCESS;
                return 0;
        case WARD_SECCOMP_LOG:
                *ret = SECCOMP_RET_LOG;
                return 0;
        default:
                return -EINVAL;
        }
}

static void add_run(struct gen *g, uint32_t start, enum target t)
{
        g->used[t] = true;
        if (g->n_runs && g->runs[g->n_runs - 1].target == t)
                return;
        g->runs[g->n_runs].start = start;
        g->runs[g->n_runs].target = t;
        g->n_runs++;
}

static int find_runs(struct gen *g, const struct ward_seccomp_plan *p, struct ward_error *e)
{
        enum target t;

        for (uint32_t nr = 0; nr < WARD_SECCOMP_MAX_NR; nr++) {
                if (target_of(p->verdict[nr], &t) < 0)
                        return ward_error_set(e, EINVAL,
                                              "seccomp plan: unknown verdict %u for syscall %u",
                                              p->verdict[nr], nr);
                add_run(g, nr, t);
        }
        add_run(g, WARD_SECCOMP_MAX_NR, T_ENOSYS);
        if (g->used[T_SOCKET]) {
                g->refused_families = p->socket_refused_families;
                g->tcp_only = p->socket_tcp_only;
                g->used[T_SOCK_FAMILY] = g->refused_families != 0;
                g->used[T_SOCK_PROTO] = g->tcp_only;
        }
        return 0;
}

/* ld family, a jeq per refused family, jge the limit, then the inet checks if any. */
static size_t socket_len(const struct gen *g)
{
        return 2 + (size_t)__builtin_popcountll(g->refused_families) +
               (g->tcp_only ? SOCKET_INET_LEN : 0);
}

/* Everything's place, before anything is emitted: the search is n_runs - 1 compares, the
 * blocks follow it (only those the plan uses), then the returns. */
static void lay_out(struct gen *g)
{
        size_t pc = PROLOGUE_LEN + g->n_runs - 1;

        if (g->used[T_CLONE]) {
                g->at[T_CLONE] = pc;
                pc += CLONE_LEN;
        }
        if (g->used[T_PERSONA]) {
                g->at[T_PERSONA] = pc;
                pc += PERSONA_LEN;
        }
        if (g->used[T_SOCKET]) {
                g->at[T_SOCKET] = pc;
                pc += socket_len(g);
        }
        for (int t = T_MODE1; t <= T_MODE3; t++)
                if (g->used[t]) {
                        g->at[t] = pc;
                        pc += MODE_LEN;
                }
        for (int t = T_KILL; t <= T_SOCK_PROTO; t++)
                if (t <= T_ALLOW || g->used[t])
                        g->at[t] = pc++;
        g->cap = pc;
}

/* -EINVAL past the computed length: the layout was miscounted, a bug, never a program. */
static int put(struct gen *g, struct sock_filter f)
{
        if (g->len >= g->cap)
                return -EINVAL;
        g->insn[g->len++] = f;
        return 0;
}

/* cBPF counts a jump from the next instruction, forward only, in 8 bits. */
static int offset_to(size_t from, size_t to, uint8_t *off)
{
        if (to == NEXT) {
                *off = 0;
                return 0;
        }
        if (to <= from)
                return -EINVAL;
        if (to - from - 1 > UINT8_MAX)
                return -E2BIG;
        *off = (uint8_t)(to - from - 1);
        return 0;
}

static int load(struct gen *g, uint32_t offset)
{
        return put(g, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset));
}

/* A conditional jump on the accumulator against k; jt and jf are instruction indexes. */
static int jump(struct gen *g, uint16_t op, uint32_t k, size_t jt, size_t jf)
{
        uint8_t t, f;
        int r;

        if ((r = offset_to(g->len, jt, &t)) < 0 || (r = offset_to(g->len, jf, &f)) < 0)
                return r;
        return put(g, (struct sock_filter)BPF_JUMP(BPF_JMP | op | BPF_K, k, t, f));
}

/* Code for target t starts here, where lay_out() put it. */
static int expect_at(const struct gen *g, enum target t)
{
        return g->len == g->at[t] ? 0 : -EINVAL;
}

/* Where the search over runs [lo, hi) starts if its first compare goes at pc: a single run
 * needs no compare, its numbers go straight to their target. */
static size_t search_at(const struct gen *g, size_t lo, size_t hi, size_t pc)
{
        return hi - lo == 1 ? g->at[g->runs[lo].target] : pc;
}

static int emit_prologue(struct gen *g)
{
        int r;

        if ((r = load(g, OFF_ARCH)) < 0 ||
            (r = jump(g, BPF_JEQ, AUDIT_ARCH_X86_64, NEXT, g->at[T_KILL])) < 0 ||
            (r = load(g, OFF_NR)) < 0 ||
            (r = jump(g, BPF_JGE, X32_SYSCALL_BIT, NEXT,
                      search_at(g, 0, g->n_runs, PROLOGUE_LEN))) < 0)
                return r;
        return jump(g, BPF_JEQ, UINT32_MAX, g->at[T_ENOSYS], g->at[T_KILL]);
}

/* The search over runs [lo, hi) in preorder: the compare with the middle run's start, the
 * lower half's compares right after it, then the upper half's: hi - lo - 1 in all. */
static int emit_search(struct gen *g, size_t lo, size_t hi)
{
        size_t mid, lower, upper;
        int r;

        if (hi - lo == 1)
                return 0;
        mid = lo + (hi - lo) / 2;
        lower = g->len + 1;
        upper = lower + (mid - lo - 1);
        if ((r = jump(g, BPF_JGE, g->runs[mid].start, search_at(g, mid, hi, upper),
                      search_at(g, lo, mid, lower))) < 0 ||
            (r = emit_search(g, lo, mid)) < 0)
                return r;
        return emit_search(g, mid, hi);
}

/* The kernel takes clone's flags from the low word only (lower_32_bits()); libseccomp's
 * program masks the high word with 0, i.e. ignores it too. */
static int emit_clone(struct gen *g)
{
        int r;

        if (!g->used[T_CLONE])
                return 0;
        if ((r = expect_at(g, T_CLONE)) < 0 || (r = load(g, OFF_ARG0_LO)) < 0)
                return r;
        return jump(g, BPF_JSET, WARD_CLONE_NS_FLAGS, g->at[T_REFUSE], g->at[T_ALLOW]);
}

/* All 64 bits compared, as libseccomp's SCMP_CMP_EQ does: any other value is ENOSYS. */
static int emit_personality(struct gen *g)
{
        int r;

        if (!g->used[T_PERSONA])
                return 0;
        if ((r = expect_at(g, T_PERSONA)) < 0 || (r = load(g, OFF_ARG0_HI)) < 0 ||
            (r = jump(g, BPF_JEQ, 0, NEXT, g->at[T_ENOSYS])) < 0 ||
            (r = load(g, OFF_ARG0_LO)) < 0 ||
            (r = jump(g, BPF_JEQ, WARD_PER_LINUX, g->at[T_ALLOW], NEXT)) < 0 ||
            (r = jump(g, BPF_JEQ, WARD_PER_LINUX32, g->at[T_ALLOW], NEXT)) < 0)
                return r;
        return jump(g, BPF_JEQ, WARD_PER_QUERY, g->at[T_ALLOW], g->at[T_ENOSYS]);
}

/* Under Landlock TCP rules, AF_INET and AF_INET6 go on to their type and protocol: a
 * datagram socket (UDP, ping) passes, a stream socket only with protocol 0 or IPPROTO_TCP,
 * every other type is refused. Type's low four bits are the type (SOCK_TYPE_MASK), the
 * rest are SOCK_NONBLOCK and SOCK_CLOEXEC or make the kernel fail the call itself. */
static int emit_socket_inet(struct gen *g)
{
        size_t inet = g->len + 2;
        int r;

        if ((r = jump(g, BPF_JEQ, AF_INET, inet, NEXT)) < 0 ||
            (r = jump(g, BPF_JEQ, AF_INET6, inet, g->at[T_ALLOW])) < 0 ||
            (r = load(g, OFF_ARG1_LO)) < 0 ||
            (r = put(g, (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf))) < 0 ||
            (r = jump(g, BPF_JEQ, SOCK_DGRAM, g->at[T_ALLOW], NEXT)) < 0 ||
            (r = jump(g, BPF_JEQ, SOCK_STREAM, NEXT, g->at[T_SOCK_PROTO])) < 0 ||
            (r = load(g, OFF_ARG2_LO)) < 0 || (r = jump(g, BPF_JEQ, 0, g->at[T_ALLOW], NEXT)) < 0)
                return r;
        return jump(g, BPF_JEQ, IPPROTO_TCP, g->at[T_ALLOW], g->at[T_SOCK_PROTO]);
}

/* The family is an int: its low word is all the kernel reads. A refused family ends in
 * T_SOCK_FAMILY; families past WARD_SOCKET_FAMILY_LIMIT (none exists) in ENOSYS, where
 * libseccomp's rules, which name the families below it one by one, leave them. */
static int emit_socket(struct gen *g)
{
        int r;

        if (!g->used[T_SOCKET])
                return 0;
        if ((r = expect_at(g, T_SOCKET)) < 0 || (r = load(g, OFF_ARG0_LO)) < 0)
                return r;
        for (uint32_t f = 0; f < WARD_SOCKET_FAMILY_LIMIT; f++)
                if ((g->refused_families & (1ULL << f)) &&
                    (r = jump(g, BPF_JEQ, f, g->at[T_SOCK_FAMILY], NEXT)) < 0)
                        return r;
        if ((r = jump(g, BPF_JGE, WARD_SOCKET_FAMILY_LIMIT, g->at[T_ENOSYS],
                      g->tcp_only ? NEXT : g->at[T_ALLOW])) < 0)
                return r;
        return g->tcp_only ? emit_socket_inet(g) : 0;
}

/* A mode is a umode_t: the low word is all the kernel reads. Either bit set is the plan's
 * refusal (EPERM, kill or log), as libseccomp's rules in seccomp.c give it. */
static int emit_modes(struct gen *g)
{
        static const uint32_t offset[] = {OFF_ARG1_LO, OFF_ARG2_LO, OFF_ARG3_LO};
        int r;

        for (int t = T_MODE1; t <= T_MODE3; t++)
                if (g->used[t] &&
                    ((r = expect_at(g, t)) < 0 || (r = load(g, offset[t - T_MODE1])) < 0 ||
                     (r = jump(g, BPF_JSET, WARD_SETID_BITS, g->at[T_REFUSE], g->at[T_ALLOW])) < 0))
                        return r;
        return 0;
}

static int emit_returns(struct gen *g, uint32_t refusal, int action)
{
        const uint32_t value[] = {
            [T_KILL] = SECCOMP_RET_KILL_PROCESS,
            [T_ENOSYS] = SECCOMP_RET_ERRNO | ENOSYS,
            [T_REFUSE] = refusal,
            [T_ALLOW] = SECCOMP_RET_ALLOW,
            [T_SOCK_FAMILY] = action == WARD_SECCOMP_ERRNO
                                  ? SECCOMP_RET_ERRNO | WARD_SOCKET_FAMILY_ERRNO
                                  : refusal,
            [T_SOCK_PROTO] = action == WARD_SECCOMP_ERRNO
                                 ? SECCOMP_RET_ERRNO | WARD_SOCKET_PROTO_ERRNO
                                 : refusal,
        };
        int r;

        for (int t = T_KILL; t <= T_SOCK_PROTO; t++)
                if ((t <= T_ALLOW || g->used[t]) &&
                    ((r = expect_at(g, t)) < 0 ||
                     (r = put(g, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, value[t]))) < 0))
                        return r;
        return 0;
}

static int emit(struct gen *g, uint32_t refusal, int action)
{
        int r;

        if ((r = emit_prologue(g)) < 0 || (r = emit_search(g, 0, g->n_runs)) < 0 ||
            (r = emit_clone(g)) < 0 || (r = emit_personality(g)) < 0 || (r = emit_socket(g)) < 0 ||
            (r = emit_modes(g)) < 0 || (r = emit_returns(g, refusal, action)) < 0)
                return r;
        return g->len == g->cap ? 0 : -EINVAL;
}

int seccomp_bpf_generate(const struct ward_seccomp_plan *p, void **bpf, size_t *len,
                         struct ward_error *e)
{
        _cleanup_free_ struct gen *g = calloc(1, sizeof(*g));
        _cleanup_free_ struct sock_filter *insn = NULL;
        uint32_t refusal;
        int r;

        if (!g)
                return ward_error_set(e, ENOMEM, "out of memory");
        if (refusal_of(p->action, &refusal) < 0)
                return ward_error_set(e, EINVAL, "seccomp plan: unknown refusal action %d",
                                      p->action);
        if ((r = find_runs(g, p, e)) < 0)
                return r;
        lay_out(g);
        if (!(insn = g->insn = calloc(g->cap, sizeof(*insn))))
                return ward_error_set(e, ENOMEM, "out of memory");
        r = emit(g, refusal, p->action);
        if (r == -E2BIG)
                return ward_error_set(e, E2BIG,
                                      "the seccomp plan has %zu runs of syscall numbers, too "
                                      "many for the BPF generator's short jumps",
                                      g->n_runs);
        if (r < 0)
                return ward_error_set(e, EINVAL, "the seccomp filter's layout is inconsistent");
        *len = g->len;
        *bpf = ward_take_ptr(&insn);
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Running a program (seccomp_bpf_run): the kernel's seccomp subset of classic BPF.       */

struct vm {
        uint32_t a, x, mem[BPF_MEMWORDS];
};

static int vm_load(const struct seccomp_data *d, uint32_t k, uint32_t *out)
{
        if (k % 4 || k > sizeof(*d) - 4)
                return -EINVAL;
        memcpy(out, (const char *)d + k, sizeof(*out));
        return 0;
}

static int vm_alu(struct vm *m, uint16_t code, uint32_t k)
{
        uint32_t v = BPF_SRC(code) == BPF_X ? m->x : k;

        switch (BPF_OP(code)) {
        case BPF_ADD:
                m->a += v;
                return 0;
        case BPF_SUB:
                m->a -= v;
                return 0;
        case BPF_MUL:
                m->a *= v;
                return 0;
        case BPF_DIV:
                if (!v)
                        return -EINVAL;
                m->a /= v;
                return 0;
        case BPF_MOD:
                if (!v)
                        return -EINVAL;
                m->a %= v;
                return 0;
        case BPF_AND:
                m->a &= v;
                return 0;
        case BPF_OR:
                m->a |= v;
                return 0;
        case BPF_XOR:
                m->a ^= v;
                return 0;
        case BPF_LSH:
                m->a = v < 32 ? m->a << v : 0;
                return 0;
        case BPF_RSH:
                m->a = v < 32 ? m->a >> v : 0;
                return 0;
        case BPF_NEG:
                m->a = -m->a;
                return 0;
        default:
                return -EINVAL;
        }
}

/* The next pc after a jump at pc, or SIZE_MAX for an opcode it does not know. */
static size_t vm_jump(const struct vm *m, const struct sock_filter *i, size_t pc)
{
        uint32_t v = BPF_SRC(i->code) == BPF_X ? m->x : i->k;
        bool taken;

        switch (BPF_OP(i->code)) {
        case BPF_JA:
                return pc + 1 + i->k;
        case BPF_JEQ:
                taken = m->a == v;
                break;
        case BPF_JGT:
                taken = m->a > v;
                break;
        case BPF_JGE:
                taken = m->a >= v;
                break;
        case BPF_JSET:
                taken = (m->a & v) != 0;
                break;
        default:
                return SIZE_MAX;
        }
        return pc + 1 + (taken ? i->jt : i->jf);
}

/* One instruction that is neither a jump nor a return. */
static int vm_step(struct vm *m, const struct sock_filter *i, const struct seccomp_data *d)
{
        switch (i->code) {
        case BPF_LD | BPF_W | BPF_ABS:
                return vm_load(d, i->k, &m->a);
        case BPF_LD | BPF_W | BPF_LEN:
                m->a = sizeof(*d);
                return 0;
        case BPF_LDX | BPF_W | BPF_LEN:
                m->x = sizeof(*d);
                return 0;
        case BPF_LD | BPF_IMM:
                m->a = i->k;
                return 0;
        case BPF_LDX | BPF_IMM:
                m->x = i->k;
                return 0;
        case BPF_MISC | BPF_TAX:
                m->x = m->a;
                return 0;
        case BPF_MISC | BPF_TXA:
                m->a = m->x;
                return 0;
        }
        if (i->code == (BPF_LD | BPF_MEM) || i->code == (BPF_LDX | BPF_MEM) || i->code == BPF_ST ||
            i->code == BPF_STX) {
                if (i->k >= BPF_MEMWORDS)
                        return -EINVAL;
                if (i->code == (BPF_LD | BPF_MEM))
                        m->a = m->mem[i->k];
                else if (i->code == (BPF_LDX | BPF_MEM))
                        m->x = m->mem[i->k];
                else
                        m->mem[i->k] = i->code == BPF_ST ? m->a : m->x;
                return 0;
        }
        return BPF_CLASS(i->code) == BPF_ALU ? vm_alu(m, i->code, i->k) : -EINVAL;
}

int seccomp_bpf_run(const void *bpf, size_t len, const struct seccomp_data *d, uint32_t *ret)
{
        const struct sock_filter *f = bpf;
        struct vm m = {0};
        size_t pc = 0;
        int r;

        while (pc < len) {
                const struct sock_filter *i = &f[pc];
                if (i->code == (BPF_RET | BPF_K) || i->code == (BPF_RET | BPF_A)) {
                        *ret = i->code == (BPF_RET | BPF_K) ? i->k : m.a;
                        return 0;
                }
                if (BPF_CLASS(i->code) == BPF_JMP) {
                        if ((pc = vm_jump(&m, i, pc)) == SIZE_MAX)
                                return -EINVAL;
                        continue;
                }
                if ((r = vm_step(&m, i, d)) < 0)
                        return r;
                pc++;
        }
        return -EINVAL; /* ran off the end: the kernel would not have taken it */
}
