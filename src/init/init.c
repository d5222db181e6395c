/* ward-init: PID 1 of the sandbox, and `ward init` on its own (like tini).
 *
 * The init blocks every asynchronous signal, forks the app, then waits for signals with
 * sigwaitinfo(): SIGCHLD means "reap", everything else is forwarded to the app (or its
 * process group with -g). It exits with the app's status as soon as the app is gone.
 *
 * This file is linked into the static ward-init binary on its own: only libc here, and
 * only the static inline parts of ward/util.h. No heap allocation after start-up. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/init.h"
#include "ward/path_search.h"
#include "ward/util.h"

#define INIT_EXIT_FAILED 125    /* the init itself failed: usage, fork */
#define INIT_EXIT_NOT_EXEC 126  /* the command exists but cannot be invoked */
#define INIT_EXIT_NOT_FOUND 127 /* the command was not found */

extern char **environ;

struct init_state {
        bool group;         /* -g: signal the app's process group, not only the app */
        bool same_group;    /* --same-group: the app stays in our process group */
        bool take_terminal; /* the app's group gets the terminal: we held its foreground */
        bool verbose;       /* -v */
        bool warn_zombies;  /* -w: say so each time an orphan is reaped */
        int parent_death;   /* -p: the signal we get when our parent dies, or 0 */
        uint32_t remap[8];  /* -e: bit n set means app exit status n is reported as 0 */
        char **command;     /* NULL-terminated argv of the app */
        sigset_t handled;   /* blocked here and taken with sigwaitinfo() */
        sigset_t original;  /* the mask we were started with, given back to the app */
        sigset_t ignored;   /* signals we were started with ignored: the app keeps them so */
        pid_t app;
        bool app_done;
        int app_status;      /* wait status of the app once app_done */
        unsigned listen_fds; /* socket activation fds (3..) addressed to us, for the app */
        int report_fd;       /* --report-fd: where ward's monitor learns how the app ended */
};

static const char usage[] =
    "Usage: ward-init [OPTIONS] [--] COMMAND [ARG...]\n"
    "       ward init [OPTIONS] -- COMMAND [ARG...]\n"
    "\n"
    "Run COMMAND as the child of a minimal init: forward signals to it, reap every zombie,\n"
    "and exit with its status (128+N if it died of signal N). When not PID 1, the init\n"
    "makes itself a child subreaper so that orphaned descendants are reaped too.\n"
    "COMMAND leads a process group of its own, made the terminal's foreground group when\n"
    "the init holds it, and starts with the signal mask and the ignored signals the init\n"
    "was started with (as under tini).\n"
    "\n"
    "Options:\n"
    "  -g          send signals to the command's whole process group, not only to it\n"
    "  -e CODE     report exit status CODE (0-255, 128+N for signal N) as 0; repeatable\n"
    "  -s          accepted for tini compatibility: ward-init always becomes a child\n"
    "              subreaper when it is not PID 1\n"
    "  -p SIGNAL   get SIGNAL (a name, TERM or SIGTERM, or a number) when our parent\n"
    "              dies, and forward it like any other (tini's -p)\n"
    "  -w          warn on stderr each time an orphaned zombie is reaped (tini's -w)\n"
    "  -v          say what happens on stderr\n"
    "  -h, --help  print this text\n"
    "\n"
    "Environment (as tini's): TINI_KILL_PROCESS_GROUP non-empty is -g; TINI_VERBOSITY 3\n"
    "or more is -v; TINI_SUBREAPER is accepted (a subreaper is always used).\n"
    "\n"
    "Exit status: COMMAND's (128+N for signal N, 0 for a CODE given with -e); 125 when\n"
    "the init itself failed (a bad option, no command: tini exits 1 there); 126 when\n"
    "COMMAND cannot be executed; 127 when it is not found.\n";

__attribute__((format(printf, 1, 2))) static void say_error(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        fputs("ward-init: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

/* -v chatter; stderr is unbuffered, so nothing is left behind in a buffer at fork. */
__attribute__((format(printf, 2, 3))) static void say(const struct init_state *s, const char *fmt,
                                                      ...)
{
        va_list ap;

        if (!s->verbose)
                return;
        va_start(ap, fmt);
        fputs("ward-init: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

/* "0".."255", nothing else (util.c's parsers are not linked into ward-init). */
static int parse_exit_code(const char *s, unsigned *out)
{
        unsigned v = 0;

        if (*s == '\0' || strlen(s) > 3)
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned)(*s - '0');
        }
        if (v > 255)
                return -ERANGE;
        *out = v;
        return 0;
}

/* A signal by name (TERM, SIGTERM) or number, for -p. Only the names Linux has on every
 * architecture ward runs on. */
static int parse_signal(const char *text)
{
        static const struct {
                const char *name;
                int sig;
        } names[] = {
            {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"ILL", SIGILL},
            {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"BUS", SIGBUS},     {"FPE", SIGFPE},
            {"KILL", SIGKILL},     {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
            {"PIPE", SIGPIPE},     {"ALRM", SIGALRM}, {"TERM", SIGTERM},   {"CHLD", SIGCHLD},
            {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},
            {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
            {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
            {"PWR", SIGPWR},       {"SYS", SIGSYS}};
        unsigned n;

        if (strncmp(text, "SIG", 3) == 0)
                text += 3;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (strcmp(text, names[i].name) == 0)
                        return names[i].sig;
        if (parse_exit_code(text, &n) == 0 && n >= 1 && n < (unsigned)NSIG)
                return (int)n;
        return -EINVAL;
}

/* The app's end for ward's monitor, which sees only our exit status (128+N for a signal
 * death, as an app's own exit(128+N) would look): "exited N" or "killed N". The fd is ours
 * alone: close-on-exec from the start, so the app never holds it. */
static void take_report_fd(struct init_state *s)
{
        if (s->report_fd > 2 && fcntl(s->report_fd, F_SETFD, FD_CLOEXEC) == 0)
                return;
        /* Unusable: never left open for the app to inherit (0-2 are the app's stdio). */
        if (s->report_fd > 2)
                close(s->report_fd);
        s->report_fd = -1;
}

/* The Threads: of the process whose status file is path when its real uid is uid, else 0. */
static long own_threads(const char *path, uid_t uid, char *status, size_t len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, status, len - 1) : -1;
        const char *u, *t;

        if (fd >= 0)
                close(fd);
        if (n <= 0)
                return 0; /* gone meanwhile */
        status[n] = '\0';
        u = strstr(status, "\nUid:\t");
        t = strstr(status, "\nThreads:\t");
        if (!u || !t || strtoul(u + 6, NULL, 10) != uid)
                return 0;
        return strtol(t + 10, NULL, 10);
}

/* getdents64's record (the C libraries' dirent64 differ in name and availability). */
struct linux_dirent64 {
        uint64_t d_ino;
        int64_t d_off;
        unsigned short d_reclen;
        unsigned char d_type;
        char d_name[];
};

/* How many tasks (threads included) of our real uid exist now, the count RLIMIT_NPROC
 * holds against a fork: the app's user is ours. -1 when /proc cannot tell. With a heap of
 * no use here, /proc is listed with getdents64 into the stack. */
static long count_own_tasks(void)
{
        char buf[4096] __attribute__((aligned(8))), path[64], status[4096];
        long total = 0;
        uid_t uid = getuid();
        int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        long n;

        if (dir < 0)
                return -1;
        while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0) {
                for (long off = 0; off < n;) {
                        struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
                        off += d->d_reclen;
                        if (d->d_name[0] < '1' || d->d_name[0] > '9')
                                continue;
                        snprintf(path, sizeof(path), "/proc/%s/status", d->d_name);
                        total += own_threads(path, uid, status, sizeof(status));
                }
        }
        close(dir);
        return total;
}

/* "killed N" or "exited N", and for a failure under a finite RLIMIT_NPROC " tasks T": how
 * many tasks of the app's user were left when it ended, so that ward can tell a failure at
 * that limit (a fork refused with EAGAIN leaves no other trace). */
static void report_end(const struct init_state *s)
{
        char line[64];
        struct rlimit nproc;
        long tasks = -1;
        int n;

        if (s->report_fd < 0 || !s->app_done)
                return;
        if (WIFSIGNALED(s->app_status))
                n = snprintf(line, sizeof(line), "killed %d", WTERMSIG(s->app_status));
        else
                n = snprintf(line, sizeof(line), "exited %d", WEXITSTATUS(s->app_status));
        if (s->app_status != 0 && getrlimit(RLIMIT_NPROC, &nproc) == 0 &&
            nproc.rlim_cur != RLIM_INFINITY)
                tasks = count_own_tasks();
        if (tasks >= 0)
                n += snprintf(line + n, sizeof(line) - (size_t)n, " tasks %ld", tasks);
        n += snprintf(line + n, sizeof(line) - (size_t)n, "\n");
        if (write(s->report_fd, line, (size_t)n) < 0)
                say(s, "cannot report the app's end to ward: %s", strerror(errno));
}

/* tini's environment variables, for images that set them. */
static void read_tini_environment(struct init_state *s)
{
        const char *group = getenv("TINI_KILL_PROCESS_GROUP");
        const char *verbosity = getenv("TINI_VERBOSITY");

        if (group && *group)
                s->group = true;
        if (verbosity && verbosity[0] >= '3' && verbosity[0] <= '9')
                s->verbose = true;
}

static int usage_error(const char *fmt, const char *arg)
{
        fputs("ward-init: ", stderr);
        fprintf(stderr, fmt, arg);
        fputs("\nward-init: usage: ward-init [-g] [-v] [-w] [-p SIGNAL] [-e CODE]... -- COMMAND "
              "[ARG...]"
              " (ward-init --help)\n",
              stderr);
        return INIT_EXIT_FAILED;
}

/* A positive decimal number that fits an int, else 0. */
static int parse_positive(const char *s)
{
        long v = 0;

        if (!s || !*s)
                return 0;
        for (; *s; s++) {
                if (*s < '0' || *s > '9' || v > 100000000)
                        return 0;
                v = v * 10 + (*s - '0');
        }
        return (int)v;
}

/* Returns -1 to go on and run the command, or the exit status to return right away. */
static int parse_options(struct init_state *s, int argc, char **argv)
{
        /* --report-fd and --same-group are ward run's (init_args.c), not for users. */
        static const struct option longopts[] = {{"help", no_argument, NULL, 'h'},
                                                 {"report-fd", required_argument, NULL, 'R'},
                                                 {"same-group", no_argument, NULL, 'S'},
                                                 {NULL, 0, NULL, 0}};
        char optchar[2] = {0};
        unsigned code;
        int c;

        /* `ward init` may have run getopt before us: 0 makes glibc and musl start afresh.
         * "+" stops at the command, so its own options are never taken for ours. */
        optind = 0;
        opterr = 0;
        read_tini_environment(s);
        while ((c = getopt_long(argc, argv, "+hgsvwp:e:", longopts, NULL)) != -1) {
                switch (c) {
                case 'h':
                        fputs(usage, stdout);
                        return fflush(stdout) == 0 ? 0 : INIT_EXIT_FAILED;
                case 'g':
                        s->group = true;
                        break;
                case 's':
                        break;
                case 'v':
                        s->verbose = true;
                        break;
                case 'w':
                        s->warn_zombies = true;
                        break;
                case 'R':
                        s->report_fd = parse_positive(optarg);
                        break;
                case 'S':
                        s->same_group = true;
                        break;
                case 'p':
                        if ((s->parent_death = parse_signal(optarg)) < 0)
                                return usage_error("-p wants a signal (TERM, SIGKILL, 15), not "
                                                   "\"%s\"",
                                                   optarg);
                        break;
                case 'e':
                        if (parse_exit_code(optarg, &code) < 0)
                                return usage_error("-e wants an exit status 0-255, not \"%s\"",
                                                   optarg);
                        s->remap[code / 32] |= 1u << (code % 32);
                        break;
                default:
                        optchar[0] = (char)optopt;
                        if (optopt == 'e')
                                return usage_error("-%s wants an exit status", optchar);
                        if (optopt == 'p')
                                return usage_error("-%s wants a signal", optchar);
                        if (optopt)
                                return usage_error("unknown option -%s", optchar);
                        return usage_error("unknown option %s", argv[optind - 1]);
                }
        }
        if (s->group) /* -g signals the app's own group: it must have one */
                s->same_group = false;
        if (optind >= argc)
                return usage_error("%s", "no command given");
        s->command = argv + optind;
        return -1;
}

/* Orphans of the app are re-parented to the nearest subreaper; as PID 1 that is us anyway,
 * elsewhere we ask for it so that they do not end up as zombies of someone else. */
static void become_subreaper(void)
{
        if (getpid() == 1)
                return;
        /* Always said, -v or not (as tini does): without it zombies pile up unseen. */
        if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
                say_error("warning: not PID 1 and cannot register as a child subreaper (%s): "
                          "orphans of the command will not be reaped by ward-init; run it as "
                          "PID 1, or allow prctl(PR_SET_CHILD_SUBREAPER) in the seccomp profile",
                          strerror(errno));
}

/* The synchronous signals report a fault of the init itself: they stay unblocked so that
 * such a fault kills us instead of being queued (and then forced anyway by the kernel).
 * SIGSYS is not among them: it is what a service manager's or a user's kill(1) sends as
 * often as a fault (ward forwards it), and a seccomp kill of the init itself is forced by
 * the kernel, blocked or not. */
static void fill_handled_set(sigset_t *set)
{
        static const int synchronous[] = {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGTRAP};

        sigfillset(set);
        for (size_t i = 0; i < ARRAY_SIZE(synchronous); i++)
                sigdelset(set, synchronous[i]);
        sigdelset(set, SIGKILL);
        sigdelset(set, SIGSTOP);
}

/* An app started by a parent that ignores SIGPIPE or SIGINT (nohup, a shell's background
 * job, a supervisor) expects to find them ignored, as it would without an init between. */
static void note_ignored_signals(struct init_state *s)
{
        struct sigaction old;

        sigemptyset(&s->ignored);
        for (int sig = 1; sig < NSIG; sig++)
                if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
                        sigaddset(&s->ignored, sig);
}

static int block_signals(struct init_state *s)
{
        struct sigaction dfl = {.sa_handler = SIG_DFL};

        note_ignored_signals(s);
        fill_handled_set(&s->handled);
        if (sigprocmask(SIG_SETMASK, &s->handled, &s->original) < 0) {
                say_error("sigprocmask: %s", strerror(errno));
                return -errno;
        }
        /* An inherited SIG_IGN for SIGCHLD would make the kernel reap our children itself
         * and we would never learn the app's status. */
        if (sigaction(SIGCHLD, &dfl, NULL) < 0) {
                say_error("sigaction(SIGCHLD): %s", strerror(errno));
                return -errno;
        }
        return 0;
}

/* The app leads its own group, as under tini: a -g signal reaches its children and not us,
 * and a job-control shell that runs it under us keeps its own group intact. It takes the
 * terminal's foreground from us if we held it (so that ^C and ^Z reach it, and not us).
 * SIGTTOU is still blocked here, which lets a process outside the foreground group call
 * tcsetpgrp(). */
static void enter_own_group(const struct init_state *s)
{
        if (setpgid(0, 0) < 0) {
                /* -g would have no group to signal. Without it, the app runs on in ours (a
                 * seccomp filter that refuses setpgid): only the group differs from tini. */
                if (s->group) {
                        say_error("setpgid: %s", strerror(errno));
                        _exit(INIT_EXIT_FAILED);
                }
                say(s,
                    "cannot give the command a process group of its own (%s): it stays in "
                    "ours",
                    strerror(errno));
                return;
        }
        if (s->take_terminal && tcsetpgrp(STDIN_FILENO, getpid()) < 0)
                say_error("cannot give the terminal to the command: %s", strerror(errno));
}

/* The app starts as our parent left us: the mask we were given (never our own, which
 * blocks everything), the signals we were started with ignored still ignored, and the
 * default for every other one (SIGCHLD included, which we may have reset). */
static void restore_signals(const struct init_state *s)
{
        struct sigaction dfl = {.sa_handler = SIG_DFL}, ign = {.sa_handler = SIG_IGN};

        for (int sig = 1; sig < NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP) /* libc-reserved ones fail: fine */
                        sigaction(sig, sigismember(&s->ignored, sig) == 1 ? &ign : &dfl, NULL);
        sigprocmask(SIG_SETMASK, &s->original, NULL);
}

static bool is_search_miss(int err)
{
        return err == ENOENT || err == ENOTDIR || err == ENAMETOOLONG || err == ESTALE ||
               err == ENODEV || err == ETIMEDOUT;
}

/* execvp() without its fallback of running a file it cannot execute through /bin/sh:
 * an executable that is not a valid binary or script is an error (126), as in Docker.
 * Returns the errno that explains why nothing could be executed. */
static int exec_search_path(char **argv)
{
        const char *cmd = argv[0], *path = getenv("PATH");
        bool denied = false;
        char buf[4096];
        int r;

        if (*cmd == '\0')
                return ENOENT;
        if (strchr(cmd, '/')) {
                execve(cmd, argv, environ);
                return errno;
        }
        /* The same walk as ward's own check before the exec (path_search.h). */
        for (const char *cursor = path; (r = ward_path_next(&cursor, cmd, buf, sizeof(buf)));) {
                if (r < 0)
                        continue;
                execve(buf, argv, environ);
                if (errno == EACCES)
                        denied = true;
                else if (!is_search_miss(errno))
                        return errno;
        }
        return denied ? EACCES : ENOENT;
}

/* sd_listen_fds(3): fds 3.. are for the process LISTEN_PID names. When that is us, they
 * are really the app's: it gets LISTEN_PID set to its own pid, and we close our copies
 * (an accepted connection must end when the app closes it, not when we exit). */
static void take_listen_fds(struct init_state *s)
{
        int n = parse_positive(getenv("LISTEN_FDS"));

        if (n > 0 && parse_positive(getenv("LISTEN_PID")) == getpid())
                s->listen_fds = (unsigned)n;
}

static void hand_on_listen_fds(const struct init_state *s, bool in_app)
{
        char pid[16];

        if (!s->listen_fds)
                return;
        if (in_app) {
                snprintf(pid, sizeof(pid), "%d", (int)getpid());
                setenv("LISTEN_PID", pid, 1);
                return;
        }
        for (unsigned i = 0; i < s->listen_fds; i++)
                close(3 + (int)i);
        say(s, "handed %u socket activation fd(s) to the command", s->listen_fds);
}

_Noreturn static void run_app(const struct init_state *s)
{
        int err;

        hand_on_listen_fds(s, true);
        if (!s->same_group)
                enter_own_group(s);
        restore_signals(s);
        err = exec_search_path(s->command);
        /* EACCES on a file with its x bits set comes from a policy the init cannot query. */
        say_error("%s: %s%s", s->command[0], strerror(err),
                  err == EACCES ? " (not executable, on a noexec mount, or outside the "
                                  "profile's [Landlock] Execute= list)"
                                : "");
        _exit(err == ENOENT || err == ENOTDIR ? INIT_EXIT_NOT_FOUND : INIT_EXIT_NOT_EXEC);
}

static int spawn_app(struct init_state *s)
{
        fflush(NULL); /* nothing buffered may be written twice */
        /* Decided here, before fork: once the parent has moved the child to its own group
         * (below), the child could no longer tell. Only a foreground we actually hold is
         * handed over: `ward-init ... &` must not steal the terminal from the shell (tini
         * does, having SIGTTOU ignored). */
        s->take_terminal = !s->same_group && tcgetpgrp(STDIN_FILENO) == getpgrp();
        s->app = fork();
        if (s->app < 0) {
                say_error("fork: %s", strerror(errno));
                return -errno;
        }
        if (s->app == 0)
                run_app(s);
        hand_on_listen_fds(s, false);
        /* Also from this side, so that a -g signal forwarded before the child ran has a
         * group to go to. Fails harmlessly (EACCES) once the child has exec'd. */
        if (!s->same_group)
                setpgid(s->app, s->app);
        say(s, "started %s as pid %d%s", s->command[0], (int)s->app,
            s->same_group ? "" : " in its own process group");
        return 0;
}

/* Reap every child that has exited, the app and orphans re-parented to us alike.
 * __WALL: also children that were cloned with an exit signal other than SIGCHLD. */
static void reap_children(struct init_state *s)
{
        for (;;) {
                int status;
                pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);

                if (pid < 0 && errno == EINTR)
                        continue;
                if (pid <= 0)
                        return; /* 0: children left, all running; ECHILD: none left */
                if (pid == s->app) {
                        s->app_done = true;
                        s->app_status = status;
                        say(s, "%s (pid %d) exited with status %d", s->command[0], (int)pid,
                            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
                } else if (s->warn_zombies) {
                        say_error("warning: reaped zombie process %d (an orphan of the command)",
                                  (int)pid);
                } else {
                        say(s, "reaped zombie %d", (int)pid);
                }
        }
}

/* The terminal sends ^C, ^\, ^Z and window size changes to its whole foreground group
 * (si_code SI_KERNEL, which no process can forge): if the app shares our group it got the
 * signal from the kernel already, and a second copy could cut its clean-up short. */
static bool app_got_it_from_tty(const struct init_state *s, const siginfo_t *si)
{
        if (si->si_code != SI_KERNEL)
                return false;
        if (si->si_signo != SIGINT && si->si_signo != SIGQUIT && si->si_signo != SIGTSTP &&
            si->si_signo != SIGWINCH)
                return false;
        return getpgid(s->app) == getpgrp();
}

/* SIGPIPE and SIGXFSZ raised by our own write to stderr are ours, not the app's. */
static bool sent_to_ourselves(const siginfo_t *si)
{
        return si->si_code == SI_USER && si->si_pid == getpid();
}

static void forward_signal(const struct init_state *s, const siginfo_t *si)
{
        int sig = si->si_signo;
        pid_t target = s->group ? -s->app : s->app;

        if (sent_to_ourselves(si))
                return;
        if (app_got_it_from_tty(s, si)) {
                say(s, "%s came from the terminal to the command's group too: not forwarded",
                    strsignal(sig));
                return;
        }
        say(s, "forwarding %s to %s %d", strsignal(sig), s->group ? "process group" : "pid",
            (int)s->app);
        /* ESRCH: the app is gone and its SIGCHLD is on its way; nothing to do. */
        if (kill(target, sig) < 0 && errno != ESRCH)
                say_error("cannot forward %s: %s", strsignal(sig), strerror(errno));
}

static int app_exit_code(const struct init_state *s)
{
        int status = s->app_status, code;

        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (code >= 0 && code <= 255 && (s->remap[code / 32] & (1u << (code % 32)))) {
                say(s, "exit status %d reported as 0 (-e)", code);
                return 0;
        }
        return code;
}

/* The loop of PID 1: never returns while the app is alive. When it is gone, we return at
 * once; as PID 1 of a pid namespace our exit makes the kernel kill whatever is left. */
static int supervise(struct init_state *s)
{
        siginfo_t si;

        for (;;) {
                reap_children(s);
                if (s->app_done)
                        return app_exit_code(s);
                if (sigwaitinfo(&s->handled, &si) < 0) {
                        if (errno != EINTR) {
                                /* Cannot happen with a valid set; keep reaping regardless. */
                                say_error("sigwaitinfo: %s", strerror(errno));
                                sleep(1);
                        }
                        continue;
                }
                if (si.si_signo != SIGCHLD)
                        forward_signal(s, &si);
        }
}

int init_main(int argc, char **argv)
{
        struct init_state s = {.app = -1, .report_fd = -1};
        int r;

        /* First of all: a non-dumpable process's /proc/PID/exe, mem, fds and environ are
         * closed to other processes of the same uid, so the sandbox cannot reach the
         * binary we were executed from through /proc/1/exe (CVE-2019-5736). */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
                say_error("prctl(PR_SET_DUMPABLE): %s", strerror(errno));
                return INIT_EXIT_FAILED;
        }
        if ((r = parse_options(&s, argc, argv)) >= 0)
                return r;
        /* Before the app exists: a parent that died already leaves nobody to signal us. */
        if (s.parent_death && prctl(PR_SET_PDEATHSIG, s.parent_death, 0, 0, 0) < 0) {
                say_error("prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
                return INIT_EXIT_FAILED;
        }
        take_report_fd(&s);
        become_subreaper();
        take_listen_fds(&s);
        if (block_signals(&s) < 0 || spawn_app(&s) < 0)
                return INIT_EXIT_FAILED;
        r = supervise(&s);
        report_end(&s);
        return r;
}
