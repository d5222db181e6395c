/* bench/seccomp_load.c: what seccomp(SECCOMP_SET_MODE_FILTER) costs the kernel for ward's
 * default filter, as libseccomp compiles it and as ward generates it (seccomp_bpf.c).
 *
 *   ward-bench-seccomp-load [LOADS] [PROFILE]
 *
 * Builds PROFILE's plan (default: the default profile), then forks LOADS children per
 * program (default 200), taking the programs in turn so that drift hits them alike; a
 * one-instruction allow-all program gives the floor any filter costs. Each
 * child sets no_new_privs, times the one seccomp() call with CLOCK_MONOTONIC, reports it
 * through a pipe and exits; the filter dies with it. bench/seccomp.sh runs this inside a
 * `ward run` sandbox. Prints the instruction counts and min / median / p90 in µs. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/profile.h"
#include "ward/seccomp.h"
#include "ward/seccomp_bpf.h"
#include "ward/util.h"

struct program {
        const char *name;
        struct sock_fprog prog;
        double *us;
};

static double now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* In a fresh child: one load, timed; -1 if the kernel refused it. */
static double load_once(const struct sock_fprog *prog)
{
        int fds[2];
        double us = -1;
        pid_t pid;

        if (pipe(fds) < 0 || (pid = fork()) < 0)
                return -1;
        if (pid == 0) {
                double t0, t1;
                close(fds[0]);
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(1);
                t0 = now_us();
                if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
                        _exit(1);
                t1 = now_us();
                us = t1 - t0;
                _exit(write(fds[1], &us, sizeof(us)) == sizeof(us) ? 0 : 1);
        }
        close(fds[1]);
        if (read(fds[0], &us, sizeof(us)) != sizeof(us))
                us = -1;
        close(fds[0]);
        waitpid(pid, NULL, 0);
        return us;
}

static int by_value(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return (x > y) - (x < y);
}

static void report(struct program *p, int n)
{
        qsort(p->us, (size_t)n, sizeof(double), by_value);
        printf("%-26s %5u instructions   min %7.1f µs   median %7.1f µs   p90 %7.1f µs\n", p->name,
               p->prog.len, p->us[0], p->us[n / 2], p->us[n * 9 / 10]);
}

static int libseccomp_program(const struct ward_seccomp_plan *plan, struct sock_fprog *prog,
                              struct ward_error *e)
{
        int fd = memfd_create("bench", MFD_CLOEXEC), r;
        void *bpf = NULL;
        size_t len = 0;

        if (fd < 0)
                return -errno;
        if ((r = seccomp_plan_export(plan, fd, e)) == 0 &&
            (r = seccomp_bpf_read_back(fd, &bpf, &len, e)) == 0) {
                prog->filter = bpf;
                prog->len = (unsigned short)len;
        }
        close(fd);
        return r;
}

static int ward_program(const struct ward_seccomp_plan *plan, struct sock_fprog *prog,
                        struct ward_error *e)
{
        void *bpf = NULL;
        size_t len = 0;
        int r = seccomp_bpf_generate(plan, &bpf, &len, e);

        prog->filter = bpf;
        prog->len = (unsigned short)len;
        return r;
}

static int build_plan(const char *profile, struct ward_seccomp_plan *plan, struct ward_error *e)
{
        struct ward_config c;
        int r;

        if ((r = config_init(&c, e)) < 0)
                return r;
        if ((r = profile_load(&c, profile, e)) == 0)
                r = seccomp_plan_build(&c, plan, e);
        config_free(&c);
        return r;
}

int main(int argc, char **argv)
{
        int loads = argc > 1 ? atoi(argv[1]) : 200;
        const char *profile = argc > 2 ? argv[2] : "default";
        static struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        struct program progs[] = {{.name = "libseccomp 2.5 (-O2 tree)"},
                                  {.name = "ward (seccomp_bpf.c)"},
                                  {.name = "allow-all (the floor)", .prog = {1, &allow}}};
        const int n_progs = (int)ARRAY_SIZE(progs);
        struct ward_seccomp_plan plan;
        struct ward_error e = {0};

        if (loads < 1 || build_plan(profile, &plan, &e) < 0 ||
            libseccomp_program(&plan, &progs[0].prog, &e) < 0 ||
            ward_program(&plan, &progs[1].prog, &e) < 0) {
                fprintf(stderr, "seccomp-load: %s\n",
                        e.msg[0] ? e.msg : "usage: [LOADS] [PROFILE]");
                return 1;
        }
        for (int i = 0; i < n_progs; i++)
                if (!(progs[i].us = calloc((size_t)loads, sizeof(double))))
                        return 1;
        for (int n = 0; n < loads; n++)
                for (int k = 0; k < n_progs; k++) {
                        int i = (n + k) % n_progs;
                        if ((progs[i].us[n] = load_once(&progs[i].prog)) < 0) {
                                fprintf(stderr, "seccomp-load: the kernel refused %s's\n",
                                        progs[i].name);
                                return 1;
                        }
                }
        for (int i = 0; i < n_progs; i++)
                report(&progs[i], loads);
        return 0;
}
