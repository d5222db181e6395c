/* ward-probe: a small static program that the integration tests run inside the sandbox.
 * It reports facts about its own process as `key=value` lines, one subcommand at a time:
 *
 *   ward-probe [--tag=MARKER] SUBCOMMAND [ARGS] [SUBCOMMAND [ARGS]]...
 *
 * Several subcommands may follow each other in one run; each prints its own lines. The
 * optional --tag= argument is ignored: the tests put a unique marker in the command line so
 * that they can find (and prove the absence of) the processes they started.
 *
 * Subcommands that try privileged things (mount, write, put, sethostname, syscalls) refuse to run
 * in the host's initial user or pid namespace: a broken sandbox, or a probe run by hand on the
 * host, must never touch the host. They print "probe: refusing to attack outside a sandbox"
 * and exit 99. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PROC_USER_INIT_INO 0xEFFFFFFDU
#define PROC_PID_INIT_INO 0xEFFFFFFCU
#define EXIT_REFUSED 99
#define EXIT_USAGE 2

extern char **environ;

static const char *errname(int err)
{
        const char *n;

        if (err == 0)
                return "OK";
        n = strerrorname_np(err);
        return n ? n : "E?";
}

/* Whitespace runs collapsed to one space, leading/trailing whitespace dropped. */
static void squeeze(char *s)
{
        char *w = s;
        bool space = false;

        for (char *r = s; *r; r++) {
                if (*r == ' ' || *r == '\t' || *r == '\n') {
                        space = w != s;
                        continue;
                }
                if (space)
                        *w++ = ' ';
                space = false;
                *w++ = *r;
        }
        *w = '\0';
}

/* Read a small file whole; returns bytes read or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        size_t got = 0;

        if (fd < 0)
                return -errno;
        while (got + 1 < len) {
                ssize_t n = read(fd, buf + got, len - 1 - got);
                if (n < 0) {
                        int err = errno;
                        close(fd);
                        return -err;
                }
                if (n == 0)
                        break;
                got += (size_t)n;
        }
        buf[got] = '\0';
        close(fd);
        return (ssize_t)got;
}

static bool ns_is_initial(const char *name, unsigned long init_ino, char *why, size_t len)
{
        char path[64];
        struct stat st;

        snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
        if (stat(path, &st) < 0) {
                snprintf(why, len, "cannot stat %s: %s", path, errname(errno));
                return true; /* cannot tell: assume the worst */
        }
        if ((unsigned long)st.st_ino == init_ino) {
                snprintf(why, len, "%s namespace is the host's initial one", name);
                return true;
        }
        return false;
}

/* Called before any subcommand that tries something privileged. */
static void refuse_outside_sandbox(void)
{
        char why[160];

        if (ns_is_initial("user", PROC_USER_INIT_INO, why, sizeof(why)) ||
            ns_is_initial("pid", PROC_PID_INIT_INO, why, sizeof(why))) {
                fflush(stdout);
                fprintf(stderr, "probe: refusing to attack outside a sandbox (%s)\n", why);
                printf("probe: refusing to attack outside a sandbox\n");
                fflush(stdout);
                exit(EXIT_REFUSED);
        }
}

/* ---------------------------------------------------------------------------------------- */

static void print_status_line(const char *status, const char *field, const char *key)
{
        size_t flen = strlen(field);

        for (const char *line = status; line && *line;) {
                const char *end = strchr(line, '\n');
                size_t n = end ? (size_t)(end - line) : strlen(line);
                if (n > flen && strncmp(line, field, flen) == 0 && line[flen] == ':') {
                        char value[256];
                        size_t vlen = n - flen - 1;
                        if (vlen >= sizeof(value))
                                vlen = sizeof(value) - 1;
                        memcpy(value, line + flen + 1, vlen);
                        value[vlen] = '\0';
                        squeeze(value);
                        printf("%s=%s\n", key, value);
                        return;
                }
                line = end ? end + 1 : NULL;
        }
        printf("%s=missing\n", key);
}

static int cmd_status(void)
{
        static char status[16384];
        uid_t ru, eu, su;
        gid_t rg, eg, sg;
        gid_t groups[NGROUPS_MAX];
        int n;
        ssize_t len = read_small("/proc/self/status", status, sizeof(status));
        static const char *const fields[] = {"CapInh", "CapPrm",     "CapEff",  "CapBnd",
                                             "CapAmb", "NoNewPrivs", "Seccomp", "Umask",
                                             "SigBlk", "SigIgn",     NULL};

        if (len < 0) {
                printf("status=%s\n", errname((int)-len));
        } else {
                for (size_t i = 0; fields[i]; i++)
                        print_status_line(status, fields[i], fields[i]);
        }
        if (getresuid(&ru, &eu, &su) == 0)
                printf("uid=%u\neuid=%u\nsuid=%u\n", ru, eu, su);
        else
                printf("uid=%s\n", errname(errno));
        if (getresgid(&rg, &eg, &sg) == 0)
                printf("gid=%u\negid=%u\nsgid=%u\n", rg, eg, sg);
        else
                printf("gid=%s\n", errname(errno));
        n = getgroups(NGROUPS_MAX, groups);
        printf("groups=");
        for (int i = 0; i < n; i++)
                printf("%s%u", i ? "," : "", groups[i]);
        printf("\n");
        printf("ngroups=%d\n", n < 0 ? -1 : n);
        printf("pid=%d\nppid=%d\n", (int)getpid(), (int)getppid());
        printf("pgid=%d\nsid=%d\n", (int)getpgrp(), (int)getsid(0));
        printf("dumpable=%d\n", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
        return 0;
}

static int cmd_uidmap(void)
{
        static const char *const files[] = {"uid_map", "gid_map", NULL};
        char buf[4096], path[64];

        for (size_t i = 0; files[i]; i++) {
                snprintf(path, sizeof(path), "/proc/self/%s", files[i]);
                ssize_t len = read_small(path, buf, sizeof(buf));
                if (len < 0) {
                        printf("%s=%s\n", files[i], errname((int)-len));
                        continue;
                }
                for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
                        squeeze(line);
                        printf("%s=%s\n", files[i], line);
                }
        }
        ssize_t len = read_small("/proc/self/setgroups", buf, sizeof(buf));
        if (len < 0) {
                printf("setgroups=%s\n", errname((int)-len));
        } else {
                squeeze(buf);
                printf("setgroups=%s\n", buf);
        }
        return 0;
}

static void print_rlim(rlim_t v)
{
        if (v == RLIM_INFINITY)
                printf("unlimited");
        else
                printf("%llu", (unsigned long long)v);
}

static int cmd_rlimits(void)
{
        static const struct {
                int res;
                const char *name;
        } limits[] = {
            {RLIMIT_CPU, "cpu"},           {RLIMIT_FSIZE, "fsize"},
            {RLIMIT_DATA, "data"},         {RLIMIT_STACK, "stack"},
            {RLIMIT_CORE, "core"},         {RLIMIT_RSS, "rss"},
            {RLIMIT_NPROC, "nproc"},       {RLIMIT_NOFILE, "nofile"},
            {RLIMIT_MEMLOCK, "memlock"},   {RLIMIT_AS, "as"},
            {RLIMIT_LOCKS, "locks"},       {RLIMIT_SIGPENDING, "sigpending"},
            {RLIMIT_MSGQUEUE, "msgqueue"}, {RLIMIT_NICE, "nice"},
            {RLIMIT_RTPRIO, "rtprio"},     {RLIMIT_RTTIME, "rttime"},
        };

        for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
                struct rlimit rl;
                printf("rlimit.%s=", limits[i].name);
                if (getrlimit((__rlimit_resource_t)limits[i].res, &rl) < 0) {
                        printf("%s\n", errname(errno));
                        continue;
                }
                print_rlim(rl.rlim_cur);
                printf(":");
                print_rlim(rl.rlim_max);
                printf("\n");
        }
        return 0;
}

static int cmd_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        struct dirent *de;
        int self;
        int fds[1024];
        size_t n = 0;

        if (!d) {
                printf("fds=%s\n", errname(errno));
                return 0;
        }
        self = dirfd(d);
        while ((de = readdir(d)) != NULL && n < sizeof(fds) / sizeof(fds[0])) {
                char *end;
                long fd = strtol(de->d_name, &end, 10);
                if (de->d_name[0] == '.' || *end || fd == self)
                        continue;
                fds[n++] = (int)fd;
        }
        closedir(d);
        /* Sort, so that the output is stable. */
        for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
                        int t = fds[j];
                        fds[j] = fds[j - 1];
                        fds[j - 1] = t;
                }
        printf("fds=");
        for (size_t i = 0; i < n; i++)
                printf("%s%d", i ? "," : "", fds[i]);
        printf("\n");
        for (size_t i = 0; i < n; i++) {
                char path[64], target[PATH_MAX];
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
                ssize_t len = readlink(path, target, sizeof(target) - 1);
                if (len < 0) {
                        printf("fd.%d=%s\n", fds[i], errname(errno));
                        continue;
                }
                target[len] = '\0';
                printf("fd.%d=%s\n", fds[i], target);
        }
        return 0;
}

/* Whether walking ".." up from the cwd ends at the same directory as "/": a cwd outside the
 * sandbox's root (CVE-2024-21626) climbs to the host's root instead. */
static int cmd_cwd(void)
{
        char buf[PATH_MAX];
        struct stat root, here, up;
        int fd, depth = 0;

        errno = 0;
        if (getcwd(buf, sizeof(buf)))
                printf("cwd=%s\ncwd_errno=OK\n", buf);
        else
                printf("cwd=\ncwd_errno=%s\n", errname(errno));
        ssize_t len = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
        if (len >= 0) {
                buf[len] = '\0';
                printf("cwd_link=%s\n", buf);
        } else {
                printf("cwd_link=%s\n", errname(errno));
        }
        if (stat("/", &root) < 0) {
                printf("cwd_top_is_root=%s\n", errname(errno));
                return 0;
        }
        fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                /* An unreadable cwd: try O_PATH. */
                fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        }
        if (fd < 0 || fstat(fd, &here) < 0) {
                printf("cwd_top_is_root=%s\n", errname(errno));
                if (fd >= 0)
                        close(fd);
                return 0;
        }
        for (;;) {
                int parent = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (parent < 0 || fstat(parent, &up) < 0) {
                        printf("cwd_top_is_root=%s\n", errname(errno));
                        close(fd);
                        if (parent >= 0)
                                close(parent);
                        return 0;
                }
                close(fd);
                fd = parent;
                if (up.st_dev == here.st_dev && up.st_ino == here.st_ino)
                        break;
                here = up;
                if (++depth > 4096)
                        break;
        }
        close(fd);
        printf("cwd_top_is_root=%s\n",
               here.st_dev == root.st_dev && here.st_ino == root.st_ino ? "yes" : "no");
        return 0;
}

static bool on_pseudo_fs(int fd)
{
        struct statfs sf;

        if (fstatfs(fd, &sf) < 0)
                return true;
        return sf.f_type == 0x9fa0 /* PROC_SUPER_MAGIC */ ||
               sf.f_type == 0x62656572 /* SYSFS_MAGIC */ || sf.f_type == 0x1cd1 /* DEVPTS */ ||
               sf.f_type == 0x27e0eb /* CGROUP */ || sf.f_type == 0x63677270 /* CGROUP2 */;
}

/* Open PATH for writing (creating it) and, if it is an ordinary file, write content. On
 * /proc, /sys and the like the file is only opened: "OPENED" means the open succeeded and
 * nothing was written (writing random bytes to /proc/sysrq-trigger must never happen). */
static int cmd_write(const char *path, const char *content)
{
        int fd, err = 0;

        refuse_outside_sandbox();
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0644);
        if (fd < 0) {
                printf("write %s=%s\n", path, errname(errno));
                return 0;
        }
        if (on_pseudo_fs(fd)) {
                close(fd);
                printf("write %s=OPENED\n", path);
                return 0;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
                if (ftruncate(fd, 0) < 0)
                        err = errno;
                size_t len = strlen(content);
                if (!err && write(fd, content, len) != (ssize_t)len)
                        err = errno ? errno : EIO;
        } else if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode)) {
                /* /dev/null, /dev/full: one byte tells whether writing works. */
                if (write(fd, "x", 1) != 1)
                        err = errno ? errno : EIO;
        }
        if (close(fd) < 0 && !err)
                err = errno;
        printf("write %s=%s\n", path, errname(err));
        return 0;
}

static int cmd_read(const char *path)
{
        char buf[65536];
        size_t total = 0;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

        if (fd < 0) {
                printf("read %s=%s\n", path, errname(errno));
                return 0;
        }
        for (;;) {
                ssize_t n = read(fd, buf, sizeof(buf));
                if (n < 0) {
                        int err = errno;
                        close(fd);
                        printf("read %s=%s\n", path, errname(err));
                        return 0;
                }
                if (n == 0)
                        break;
                total += (size_t)n;
                if (total >= 1024 * 1024)
                        break; /* /proc/kcore unmasked: enough to tell */
        }
        close(fd);
        printf("read %s=OK\n", path);
        printf("bytes %s=%zu\n", path, total);
        return 0;
}

/* Print the first line of a file (e.g. content a bind mount exposes). */
static int cmd_cat(const char *path)
{
        char buf[4096];
        ssize_t len = read_small(path, buf, sizeof(buf));

        if (len < 0) {
                printf("cat %s=%s\n", path, errname((int)-len));
                return 0;
        }
        char *nl = strchr(buf, '\n');
        if (nl)
                *nl = '\0';
        printf("cat %s=%s\n", path, buf);
        return 0;
}

static int cmd_ls(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *de;
        char *names[4096];
        size_t n = 0;

        if (!d) {
                printf("ls %s=%s\n", path, errname(errno));
                return 0;
        }
        while ((de = readdir(d)) != NULL && n < sizeof(names) / sizeof(names[0])) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                names[n] = strdup(de->d_name);
                if (names[n])
                        n++;
        }
        closedir(d);
        for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
                        char *t = names[j];
                        names[j] = names[j - 1];
                        names[j - 1] = t;
                }
        printf("ls %s=", path);
        for (size_t i = 0; i < n; i++)
                printf("%s%s", i ? "," : "", names[i]);
        printf("\n");
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        return 0;
}

static int cmd_stat(const char *path)
{
        struct stat st;

        if (lstat(path, &st) < 0) {
                printf("stat %s=%s\n", path, errname(errno));
                return 0;
        }
        const char *type = S_ISREG(st.st_mode)    ? "file"
                           : S_ISDIR(st.st_mode)  ? "dir"
                           : S_ISCHR(st.st_mode)  ? "char"
                           : S_ISBLK(st.st_mode)  ? "block"
                           : S_ISLNK(st.st_mode)  ? "link"
                           : S_ISFIFO(st.st_mode) ? "fifo"
                                                  : "socket";
        printf("stat %s=%s mode=%04o uid=%u gid=%u rdev=%u:%u size=%lld\n", path, type,
               (unsigned)(st.st_mode & 07777), st.st_uid, st.st_gid, major(st.st_rdev),
               minor(st.st_rdev), (long long)st.st_size);
        return 0;
}

static int cmd_statfs(const char *path)
{
        struct statfs sf;
        struct statvfs sv;

        if (statfs(path, &sf) < 0 || statvfs(path, &sv) < 0) {
                printf("statfs %s=%s\n", path, errname(errno));
                return 0;
        }
        printf("statfs %s=OK\n", path);
        printf("fstype %s=0x%lx\n", path, (unsigned long)sf.f_type);
        printf("size %s=%llu\n", path,
               (unsigned long long)sv.f_blocks * (unsigned long long)sv.f_frsize);
        printf("flags %s=%s%s%s%s\n", path, sv.f_flag & ST_RDONLY ? "ro" : "rw",
               sv.f_flag & ST_NOSUID ? ",nosuid" : "", sv.f_flag & ST_NODEV ? ",nodev" : "",
               sv.f_flag & ST_NOEXEC ? ",noexec" : "");
        return 0;
}

static int cmd_mount(void)
{
        refuse_outside_sandbox();
        /* Each attempt on its own line; a sandbox without capabilities refuses all. */
        int r = mount("ward-probe", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m");
        printf("mount=%s\n", errname(r < 0 ? errno : 0));
        if (r == 0)
                umount2("/tmp", MNT_DETACH);
        r = mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL);
        printf("remount_root_rw=%s\n", errname(r < 0 ? errno : 0));
        r = umount2("/proc", MNT_DETACH);
        printf("umount_proc=%s\n", errname(r < 0 ? errno : 0));
        return 0;
}

static int cmd_sethostname(void)
{
        refuse_outside_sandbox();
        int r = sethostname("ward-probe-attack", strlen("ward-probe-attack"));
        printf("sethostname=%s\n", errname(r < 0 ? errno : 0));
        return 0;
}

/* Try to push a character into the terminal on fds 0-2 (TIOCSTI): a sandboxed app must not
 * be able to type commands into the caller's shell. */
static int cmd_tiocsti(void)
{
        refuse_outside_sandbox();
        for (int fd = 0; fd <= 2; fd++) {
                char c = ' ';
                int r = ioctl(fd, TIOCSTI, &c);
                printf("tiocsti.%d=%s\n", fd, errname(r < 0 ? errno : 0));
        }
        int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
        printf("ctty=%s\n", fd >= 0 ? "yes" : errname(errno));
        if (fd >= 0)
                close(fd);
        for (int i = 0; i <= 2; i++)
                printf("isatty.%d=%d\n", i, isatty(i));
        return 0;
}

static int cmd_net(void)
{
        struct if_nameindex *ifs = if_nameindex();
        int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        if (!ifs) {
                printf("ifaces=%s\n", errname(errno));
                if (sock >= 0)
                        close(sock);
                return 0;
        }
        printf("ifaces=");
        for (struct if_nameindex *i = ifs; i->if_index; i++)
                printf("%s%s", i == ifs ? "" : ",", i->if_name);
        printf("\n");
        for (struct if_nameindex *i = ifs; i->if_index; i++) {
                struct ifreq req;
                memset(&req, 0, sizeof(req));
                snprintf(req.ifr_name, sizeof(req.ifr_name), "%s", i->if_name);
                if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &req) < 0) {
                        printf("if.%s=%s\n", i->if_name, errname(errno));
                        continue;
                }
                printf("if.%s=%s%s\n", i->if_name, req.ifr_flags & IFF_UP ? "up" : "down",
                       req.ifr_flags & IFF_LOOPBACK ? ",loopback" : "");
        }
        if_freenameindex(ifs);
        if (sock >= 0)
                close(sock);
        return 0;
}

static int cmd_hostname(void)
{
        struct utsname u;

        if (uname(&u) < 0) {
                printf("hostname=%s\n", errname(errno));
                return 0;
        }
        printf("hostname=%s\ndomainname=%s\n", u.nodename, u.domainname);
        return 0;
}

static void sleep_ms(long ms)
{
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

/* Count the processes of this pid namespace in state Z. */
static int count_zombies(char *list, size_t len)
{
        DIR *d = opendir("/proc");
        struct dirent *de;
        int count = 0;
        size_t used = 0;

        list[0] = '\0';
        if (!d)
                return -1;
        while ((de = readdir(d)) != NULL) {
                char path[300], buf[1024];
                if (de->d_name[0] < '0' || de->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
                if (read_small(path, buf, sizeof(buf)) <= 0)
                        continue;
                char *rp = strrchr(buf, ')');
                if (rp && rp[1] == ' ' && rp[2] == 'Z') {
                        count++;
                        int w =
                            snprintf(list + used, len - used, "%s%s", used ? "," : "", de->d_name);
                        if (w > 0 && (size_t)w < len - used)
                                used += (size_t)w;
                }
        }
        closedir(d);
        return count;
}

/* Make orphans that exit: each child forks a grandchild and exits at once; the grandchild
 * waits until it has been re-parented, reports its new parent, and exits without anyone
 * but that new parent (the sandbox's init) to reap it. */
static int cmd_zombies(void)
{
        enum { ORPHANS = 5 };
        int pipefd[2];
        char list[512], adopters[128] = "";
        size_t used = 0;

        if (pipe2(pipefd, O_CLOEXEC) < 0) {
                printf("zombies=%s\n", errname(errno));
                return 0;
        }
        for (int i = 0; i < ORPHANS; i++) {
                pid_t child = fork();
                if (child < 0) {
                        printf("fork=%s\n", errname(errno));
                        break;
                }
                if (child == 0) {
                        pid_t parent = getpid();
                        pid_t grandchild = fork();
                        if (grandchild == 0) {
                                for (int t = 0; t < 2000 && getppid() == parent; t++)
                                        sleep_ms(1);
                                int ppid = (int)getppid();
                                if (write(pipefd[1], &ppid, sizeof(ppid)) < 0)
                                        _exit(1);
                                _exit(0);
                        }
                        _exit(grandchild < 0 ? 1 : 0);
                }
                waitpid(child, NULL, 0);
        }
        close(pipefd[1]);
        for (int i = 0; i < ORPHANS; i++) {
                int ppid;
                if (read(pipefd[0], &ppid, sizeof(ppid)) != (ssize_t)sizeof(ppid))
                        break;
                int w = snprintf(adopters + used, sizeof(adopters) - used, "%s%d", used ? "," : "",
                                 ppid);
                if (w > 0 && (size_t)w < sizeof(adopters) - used)
                        used += (size_t)w;
        }
        close(pipefd[0]);
        printf("orphans=%d\n", ORPHANS);
        printf("adopted_by=%s\n", adopters);
        /* Give the adopter time to reap: up to 2 s, done as soon as there are none. */
        int count = -1;
        for (int t = 0; t < 40; t++) {
                sleep_ms(50);
                count = count_zombies(list, sizeof(list));
                if (count == 0)
                        break;
        }
        printf("zombies=%d\n", count);
        printf("zombie_pids=%s\n", list);
        return 0;
}

static volatile sig_atomic_t got_term;

static void on_term(int sig)
{
        (void)sig;
        got_term = 1;
}

static int cmd_sleep_trap(void)
{
        struct sigaction sa;
        sigset_t set;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_term;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGTERM, &sa, NULL) < 0) {
                printf("sigaction=%s\n", errname(errno));
                return 1;
        }
        /* Report (but do not fix) a blocked SIGTERM: the init must hand over a clean mask. */
        sigprocmask(SIG_BLOCK, NULL, &set);
        if (sigismember(&set, SIGTERM))
                printf("sigterm_blocked=1\n");
        printf("ready\n");
        fflush(stdout);
        for (int t = 0; t < 60 * 20 && !got_term; t++)
                sleep_ms(50);
        if (!got_term) {
                printf("timeout\n");
                fflush(stdout);
                return 1;
        }
        printf("got SIGTERM\n");
        fflush(stdout);
        exit(42);
}

static int cmd_env(void)
{
        for (char **e = environ; e && *e; e++)
                printf("%s\n", *e);
        return 0;
}

static int cmd_pid1(void)
{
        char buf[4096];
        ssize_t len = read_small("/proc/1/cmdline", buf, sizeof(buf));

        if (len < 0) {
                printf("pid1_cmdline=%s\n", errname((int)-len));
        } else {
                for (ssize_t i = 0; i + 1 < len; i++)
                        if (buf[i] == '\0')
                                buf[i] = ' ';
                printf("pid1_cmdline=%s\n", buf);
        }
        len = read_small("/proc/1/comm", buf, sizeof(buf));
        if (len < 0) {
                printf("pid1_comm=%s\n", errname((int)-len));
        } else {
                squeeze(buf);
                printf("pid1_comm=%s\n", buf);
        }
        len = readlink("/proc/1/exe", buf, sizeof(buf) - 1);
        if (len < 0) {
                printf("pid1_exe=%s\n", errname(errno));
        } else {
                buf[len] = '\0';
                printf("pid1_exe=%s\n", buf);
        }
        int fd = open("/proc/1/exe", O_RDONLY | O_CLOEXEC);
        printf("pid1_exe_open=%s\n", errname(fd < 0 ? errno : 0));
        if (fd >= 0)
                close(fd);
        return 0;
}

/* Every process this pid namespace shows: pid, ppid and comm. */
static int cmd_ps(void)
{
        DIR *d = opendir("/proc");
        struct dirent *de;
        int n = 0;

        if (!d) {
                printf("ps=%s\n", errname(errno));
                return 0;
        }
        while ((de = readdir(d)) != NULL) {
                char path[300], buf[1024], comm[64] = "";
                int ppid = -1;
                char state = '?';
                if (de->d_name[0] < '0' || de->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
                if (read_small(path, buf, sizeof(buf)) <= 0)
                        continue;
                char *lp = strchr(buf, '('), *rp = strrchr(buf, ')');
                if (lp && rp && rp > lp) {
                        size_t cl = (size_t)(rp - lp - 1);
                        if (cl >= sizeof(comm))
                                cl = sizeof(comm) - 1;
                        memcpy(comm, lp + 1, cl);
                        comm[cl] = '\0';
                        if (sscanf(rp + 1, " %c %d", &state, &ppid) != 2)
                                ppid = -1;
                }
                printf("proc=%s ppid=%d state=%c comm=%s\n", de->d_name, ppid, state, comm);
                n++;
        }
        closedir(d);
        printf("nprocs=%d\n", n);
        return 0;
}

/* Execute PATH in a child and report whether execve itself worked (the child's own status
 * does not matter): argv is PATH -c "exit 0", which a shell runs and the probe refuses. */
static int cmd_exec(const char *path)
{
        int p[2], err = 0;
        pid_t child;

        fflush(stdout);
        if (pipe2(p, O_CLOEXEC) < 0) {
                printf("exec %s=%s\n", path, errname(errno));
                return 0;
        }
        child = fork();
        if (child == 0) {
                char *argv[] = {(char *)path, "-c", "exit 0", NULL};
                int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
                if (null >= 0 && (dup2(null, 1) < 0 || dup2(null, 2) < 0))
                        _exit(127);
                execv(path, argv);
                err = errno;
                if (write(p[1], &err, sizeof(err)) < 0)
                        _exit(126);
                _exit(127);
        }
        close(p[1]);
        if (child < 0)
                err = errno;
        else if (read(p[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
                err = 0; /* the pipe closed on a successful exec */
        close(p[0]);
        if (child > 0)
                waitpid(child, NULL, 0);
        printf("exec %s=%s\n", path, errname(err));
        return 0;
}

/* bind(2) or connect(2) a TCP socket on 127.0.0.1:PORT; prints the errno (connecting to a
 * port nobody listens on is ECONNREFUSED when allowed). */
static int cmd_tcp(const char *what, const char *port)
{
        struct sockaddr_in sin = {.sin_family = AF_INET};
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), r, one = 1;

        sin.sin_port = htons((uint16_t)atoi(port));
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0) {
                printf("%s %s=%s\n", what, port, errname(errno));
                return 0;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (strcmp(what, "bind-tcp") == 0)
                r = bind(fd, (struct sockaddr *)&sin, sizeof(sin));
        else
                r = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
        printf("%s %s=%s\n", what, port, errname(r < 0 ? errno : 0));
        close(fd);
        return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Socket families, MPTCP past Landlock, memfd exec (issue 11)                               */

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

struct probe_sockaddr_vm { /* struct sockaddr_vm, without linux/vm_sockets.h */
        unsigned short svm_family;
        unsigned short svm_reserved1;
        unsigned int svm_port;
        unsigned int svm_cid;
        unsigned char svm_zero[4];
};

/* socket() through the raw syscall, so that a family with high bits set reaches the kernel
 * as it is (the kernel reads an int): OK or the errno. */
static int raw_socket(long family, long type, long proto)
{
        long fd = syscall(SYS_socket, family, type, proto);

        if (fd < 0)
                return errno;
        close((int)fd);
        return 0;
}

static void cmd_socket_families(void)
{
        refuse_outside_sandbox();
        printf("socket_vsock=%s\n", errname(raw_socket(AF_VSOCK, SOCK_STREAM, 0)));
        printf("socket_vsock_dgram=%s\n", errname(raw_socket(AF_VSOCK, SOCK_DGRAM, 0)));
        printf("socket_vsock_highbits=%s\n",
               errname(raw_socket(0x100000000L | AF_VSOCK, SOCK_STREAM, 0)));
        printf("socket_alg=%s\n", errname(raw_socket(AF_ALG, SOCK_SEQPACKET, 0)));
        printf("socket_unix=%s\n", errname(raw_socket(AF_UNIX, SOCK_STREAM, 0)));
        printf("socket_inet=%s\n", errname(raw_socket(AF_INET, SOCK_STREAM, 0)));
        printf("socket_inet6=%s\n", errname(raw_socket(AF_INET6, SOCK_DGRAM, 0)));
        printf("socket_netlink=%s\n", errname(raw_socket(AF_NETLINK, SOCK_RAW, 0)));
}

/* Setuid/setgid files (issue 11): each call that sets a mode, made raw (what the filter
 * sees, whatever libc would turn it into) on a file of its own in DIR, then whether that
 * file has S_ISUID/S_ISGID: setid_NAME=ERRNO and setid_NAME_bits=MODE (octal, & 07777) or
 * "absent". chmod_plain and open_plain are the ordinary calls, which must still work. */
struct setid_attempt {
        const char *name;
        long (*call)(int dir, const char *file);
};

static long setid_plain_file(int dir, const char *file)
{
        long fd = syscall(SYS_openat, dir, file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd >= 0)
                close((int)fd);
        return fd;
}
static long setid_chmod(int dir, const char *file)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dir, file);
        return setid_plain_file(dir, file) < 0 ? -1 : syscall(SYS_chmod, path, 04755);
}
static long setid_chmod_highbits(int dir, const char *file)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dir, file);
        return setid_plain_file(dir, file) < 0 ? -1
                                               : syscall(SYS_chmod, path, 0x100000000L | 04755);
}
static long setid_fchmod(int dir, const char *file)
{
        long fd = syscall(SYS_openat, dir, file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644), r;
        if (fd < 0)
                return fd;
        r = syscall(SYS_fchmod, fd, 04755);
        close((int)fd);
        return r;
}
static long setid_fchmodat(int dir, const char *file)
{
        return setid_plain_file(dir, file) < 0 ? -1 : syscall(SYS_fchmodat, dir, file, 02755);
}
static long setid_fchmodat2(int dir, const char *file)
{
        return setid_plain_file(dir, file) < 0 ? -1
                                               : syscall(452 /* fchmodat2 */, dir, file, 06755, 0);
}
static long setid_open(int dir, const char *file)
{
        char path[PATH_MAX];
        long fd;
        snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dir, file);
        if ((fd = syscall(SYS_open, path, O_CREAT | O_WRONLY | O_CLOEXEC, 04755)) >= 0)
                close((int)fd);
        return fd;
}
static long setid_openat(int dir, const char *file)
{
        long fd = syscall(SYS_openat, dir, file, O_CREAT | O_WRONLY | O_CLOEXEC, 02755);
        if (fd >= 0)
                close((int)fd);
        return fd;
}
static long setid_creat(int dir, const char *file)
{
        char path[PATH_MAX];
        long fd;
        snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dir, file);
        if ((fd = syscall(SYS_creat, path, 04755)) >= 0)
                close((int)fd);
        return fd;
}
static long setid_mknod(int dir, const char *file)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dir, file);
        return syscall(SYS_mknod, path, S_IFREG | 04755, 0);
}
static long setid_mknodat(int dir, const char *file)
{
        return syscall(SYS_mknodat, dir, file, S_IFREG | 02755, 0);
}
/* openat2's mode is in a struct the filter cannot read: the filter gives ENOSYS. */
static long setid_openat2(int dir, const char *file)
{
        struct {
                uint64_t flags, mode, resolve;
        } how = {O_CREAT | O_WRONLY | O_CLOEXEC, 04755, 0};
        long fd = syscall(SYS_openat2, dir, file, &how, sizeof(how));
        if (fd >= 0)
                close((int)fd);
        return fd;
}
static long setid_chmod_plain(int dir, const char *file)
{
        return setid_plain_file(dir, file) < 0 ? -1 : syscall(SYS_fchmodat, dir, file, 0755);
}

static void cmd_setid_files(const char *dir_path)
{
        static const struct setid_attempt attempts[] = {
            {"chmod", setid_chmod},           {"chmod_highbits", setid_chmod_highbits},
            {"fchmod", setid_fchmod},         {"fchmodat", setid_fchmodat},
            {"fchmodat2", setid_fchmodat2},   {"open", setid_open},
            {"openat", setid_openat},         {"creat", setid_creat},
            {"mknod", setid_mknod},           {"mknodat", setid_mknodat},
            {"openat2", setid_openat2},       {"chmod_plain", setid_chmod_plain},
            {"open_plain", setid_plain_file},
        };
        int dir;

        refuse_outside_sandbox();
        if ((dir = open(dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
                printf("setid_dir=%s\n", errname(errno));
                return;
        }
        for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
                struct stat st;
                errno = 0;
                long r = attempts[i].call(dir, attempts[i].name);
                printf("setid_%s=%s\n", attempts[i].name, errname(r < 0 ? errno : 0));
                if (fstatat(dir, attempts[i].name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        printf("setid_%s_bits=absent\n", attempts[i].name);
                else
                        printf("setid_%s_bits=%04o\n", attempts[i].name,
                               (unsigned)(st.st_mode & 07777));
        }
        close(dir);
}

/* The kernel crypto API: a hash socket bound and asked for sha256 of "abc". */
static void cmd_alg_hash(void)
{
        struct {
                unsigned short salg_family;
                unsigned char salg_type[14];
                unsigned int salg_feat, salg_mask;
                unsigned char salg_name[64];
        } sa = {.salg_family = AF_ALG, .salg_type = "hash", .salg_name = "sha256"};
        unsigned char digest[32];
        int s, op = -1, err = 0;

        refuse_outside_sandbox();
        s = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            (op = accept4(s, NULL, NULL, SOCK_CLOEXEC)) < 0 || write(op, "abc", 3) != 3 ||
            read(op, digest, sizeof(digest)) != (ssize_t)sizeof(digest))
                err = errno ? errno : EIO;
        printf("alg_hash=%s\n", errname(err));
        if (!err)
                printf("alg_sha256_abc_first_byte=%02x\n", digest[0]);
        if (op >= 0)
                close(op);
        if (s >= 0)
                close(s);
}

/* vsock between sandboxes: serve PORT on any CID for SECONDS and print what one client
 * sends; vsock-send connects to CID (1: this machine, with vsock_loopback; 2: the host of
 * a VM) and sends TEXT: any answer but EAFNOSUPPORT means the packet left the sandbox. */
static int cmd_vsock_listen(const char *port, const char *seconds)
{
        struct probe_sockaddr_vm a = {.svm_family = AF_VSOCK,
                                      .svm_port = (unsigned)atoi(port),
                                      .svm_cid = 0xffffffffU /* VMADDR_CID_ANY */};
        struct timeval tv = {.tv_sec = atoi(seconds)};
        char buf[128];
        int l, c;
        ssize_t n;

        refuse_outside_sandbox();
        l = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0) {
                printf("vsock_listen=%s\n", errname(errno));
                return 0;
        }
        printf("vsock_listen=OK\n");
        fflush(stdout);
        setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        if ((c = accept4(l, NULL, NULL, SOCK_CLOEXEC)) < 0) {
                printf("vsock_accept=%s\n", errname(errno));
                close(l);
                return 0;
        }
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        n = read(c, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        printf("vsock_received=%s\n", buf);
        close(c);
        close(l);
        return 0;
}

static void cmd_vsock_send(const char *cid, const char *port, const char *text)
{
        struct probe_sockaddr_vm a = {.svm_family = AF_VSOCK,
                                      .svm_port = (unsigned)atoi(port),
                                      .svm_cid = (unsigned)strtoul(cid, NULL, 10)};
        int s, err = 0;

        refuse_outside_sandbox();
        s = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
            write(s, text, strlen(text)) != (ssize_t)strlen(text))
                err = errno ? errno : EIO;
        printf("vsock_send=%s\n", errname(err));
        if (s >= 0)
                close(s);
}

/* Inet sockets Landlock's TCP rules do not see: an MPTCP socket listening on 127.0.0.1:PORT
 * and an MPTCP client connecting to it, then SCTP and UDP sockets, and plain TCP on the
 * same port for comparison (Landlock answers that one). */
static void cmd_mptcp(const char *port)
{
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)atoi(port)),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int l, c = -1, err = 0;

        refuse_outside_sandbox();
        l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_MPTCP);
        printf("mptcp_socket=%s\n", errname(l < 0 ? errno : 0));
        if (l >= 0) {
                if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0)
                        err = errno;
                printf("mptcp_listen=%s\n", errname(err));
                c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_MPTCP);
                err = c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0 ? errno : 0;
                printf("mptcp_connect=%s\n", errname(err));
                if (c >= 0)
                        close(c);
                close(l);
        }
        printf("mptcp6_socket=%s\n", errname(raw_socket(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP)));
        printf("sctp_socket=%s\n", errname(raw_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP)));
        printf("sctp_stream_socket=%s\n", errname(raw_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)));
        printf("udp_socket=%s\n", errname(raw_socket(AF_INET, SOCK_DGRAM, 0)));
        printf("tcp_socket=%s\n",
               errname(raw_socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP)));
        l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        err = l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 ? errno : 0;
        printf("tcp_bind=%s\n", errname(err));
        if (l >= 0)
                close(l);
}

/* A program "downloaded" into PATH's directory: a copy of this probe written to PATH. It is
 * run straight (a noexec mount refuses that), then copied into a memfd and run from there
 * with execveat(AT_EMPTY_PATH), and a memfd asked for with MFD_EXEC. The copy runs
 * `in-sandbox`, whose exit status 0 says it ran. */
static int copy_fd(int from, int to)
{
        char buf[65536];
        ssize_t n;

        while ((n = read(from, buf, sizeof(buf))) > 0)
                if (write(to, buf, (size_t)n) != n)
                        return -1;
        return n < 0 ? -1 : 0;
}

static const char *run_child(int fd, const char *path)
{
        static char out[64];
        char *argv[] = {"ward-probe", "in-sandbox", NULL};
        int status = 0;
        pid_t pid;

        fflush(stdout);
        if ((pid = fork()) == 0) {
                int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
                if (devnull >= 0)
                        dup2(devnull, 1);
                if (fd >= 0)
                        syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
                else
                        execve(path, argv, environ);
                _exit(errno & 0xff);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0)
                return "fork-failed";
        if (WIFSIGNALED(status))
                snprintf(out, sizeof(out), "killed:%s", sigabbrev_np(WTERMSIG(status)));
        else
                snprintf(out, sizeof(out), "%s", errname(WEXITSTATUS(status)));
        return out;
}

static void cmd_memfd_exec(const char *path)
{
        int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), file, mfd;
        char noexec[16] = "?";

        refuse_outside_sandbox();
        file = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
        if (self < 0 || file < 0 || copy_fd(self, file) < 0) {
                printf("memfd_exec=setup:%s\n", errname(errno));
                return;
        }
        close(file);
        if (read_small("/proc/sys/vm/memfd_noexec", noexec, sizeof(noexec)) < 0)
                snprintf(noexec, sizeof(noexec), "absent");
        squeeze(noexec);
        printf("memfd_noexec=%s\n", noexec);
        printf("exec_direct=%s\n", run_child(-1, path));
        mfd = (int)syscall(SYS_memfd_create, "payload", MFD_CLOEXEC | MFD_EXEC);
        printf("memfd_create_exec=%s\n", errname(mfd < 0 ? errno : 0));
        if (mfd >= 0)
                close(mfd);
        mfd = (int)syscall(SYS_memfd_create, "payload", MFD_CLOEXEC);
        file = open(path, O_RDONLY | O_CLOEXEC);
        if (mfd < 0 || file < 0 || copy_fd(file, mfd) < 0) {
                printf("memfd_exec=setup:%s\n", errname(errno));
                return;
        }
        printf("memfd_exec=%s\n", run_child(mfd, NULL));
        close(mfd);
        close(file);
        close(self);
        unlink(path);
}

/* ---------------------------------------------------------------------------------------- */
/* Seccomp: each refused syscall is tried in a child of its own, so that a filter that kills
 * (SIGSYS) or a call that succeeds (a nested user namespace) does not end the probe. */

static void cmd_seccomp(void)
{
        char status[8192];

        if (read_small("/proc/self/status", status, sizeof(status)) < 0) {
                printf("Seccomp=<unreadable>\n");
                return;
        }
        print_status_line(status, "Seccomp", "Seccomp");
        print_status_line(status, "Seccomp_filters", "Seccomp_filters");
}

/* The errno of the call (OK on success), or killed:SIGNAME if the child died of a signal. */
static void try_in_child(const char *name, long (*attempt)(void))
{
        int status = 0;
        pid_t pid;

        fflush(stdout);
        pid = fork();
        if (pid == 0) {
                long r = attempt();
                _exit(r < 0 ? (int)(-r & 0xff) : 0);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0) {
                printf("%s=fork:%s\n", name, errname(errno));
                return;
        }
        if (WIFSIGNALED(status))
                printf("%s=killed:%s\n", name, sigabbrev_np(WTERMSIG(status)));
        else
                printf("%s=%s\n", name, errname(WEXITSTATUS(status)));
}

#define ERRNO_OF(call) ((call) < 0 ? -(long)errno : 0)

static long try_unshare_user(void)
{
        return ERRNO_OF(unshare(CLONE_NEWUSER));
}
static long try_clone_newuser(void)
{
        long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (r == 0)
                _exit(0);
        return r < 0 ? -(long)errno : (waitpid((pid_t)r, NULL, 0), 0);
}
static long try_setns(void)
{
        return ERRNO_OF(setns(0, CLONE_NEWNS));
}
static long try_mount_tmpfs(void)
{
        long r = ERRNO_OF(mount("ward-probe", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m"));
        if (r == 0)
                umount2("/tmp", MNT_DETACH);
        return r;
}
/* The process keyring (-2), never the session keyring inherited from ward's caller: an
 * unconfined control run must not leave a key behind. */
static long try_keyctl(void)
{
        return ERRNO_OF(syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -2, 1));
}
static long try_add_key(void)
{
        return ERRNO_OF(syscall(SYS_add_key, "user", "ward-probe", "x", 1, -2 /* process */));
}
static long try_bpf(void)
{
        union bpf_attr attr;
        memset(&attr, 0, sizeof(attr));
        attr.map_type = BPF_MAP_TYPE_ARRAY;
        attr.key_size = 4;
        attr.value_size = 4;
        attr.max_entries = 1;
        long fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
        return fd < 0 ? -(long)errno : (close((int)fd), 0);
}
static long try_init_module(void)
{
        return ERRNO_OF(syscall(SYS_init_module, "", 0, ""));
}
static long try_reboot(void)
{
        return ERRNO_OF(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                                LINUX_REBOOT_CMD_CAD_OFF, NULL));
}
static long try_perf_event_open(void)
{
        struct perf_event_attr attr;
        memset(&attr, 0, sizeof(attr));
        attr.size = sizeof(attr);
        attr.type = PERF_TYPE_SOFTWARE;
        attr.config = PERF_COUNT_SW_TASK_CLOCK;
        attr.exclude_kernel = 1;
        long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
        return fd < 0 ? -(long)errno : (close((int)fd), 0);
}
/* PTRACE_SEIZE, not ATTACH: it does not stop the init, so a success cannot leave PID 1
 * stopped when this child exits. */
static long try_ptrace_pid1(void)
{
        long r = ERRNO_OF(ptrace(PTRACE_SEIZE, 1, 0, 0));
        if (r == 0)
                ptrace(PTRACE_DETACH, 1, 0, 0);
        return r;
}
/* Attach to our own child: the kernel allows it without any capability (same uid, a
 * descendant), so only seccomp can refuse it. */
static long try_ptrace_child(void)
{
        pid_t child = fork();
        long r;
        if (child == 0) {
                pause();
                _exit(0);
        }
        r = ERRNO_OF(ptrace(PTRACE_ATTACH, child, 0, 0));
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        return r;
}
static long try_userfaultfd(void)
{
        long fd = syscall(SYS_userfaultfd, 0);
        return fd < 0 ? -(long)errno : (close((int)fd), 0);
}
static long try_personality(void)
{
        long r = ERRNO_OF(personality(ADDR_NO_RANDOMIZE));
        if (r == 0)
                personality(PER_LINUX);
        return r;
}
static long try_clone3(void)
{
        return ERRNO_OF(syscall(SYS_clone3, NULL, 0));
}
/* Through syscall(2): glibc's getppid() cannot fail, so it does not set errno. */
static long try_getppid(void)
{
        return ERRNO_OF(syscall(SYS_getppid));
}
/* close_range (Linux 5.9) on fds nobody holds: only a filter that predates it refuses. */
static long try_close_range(void)
{
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
        return ERRNO_OF(syscall(SYS_close_range, 1000U, 1001U, 4U /* CLOSE_RANGE_CLOEXEC */));
}
/* getpid through the i386 entry point: a foreign architecture for the filter. */
static long try_int80(void)
{
        long r;
        __asm__ volatile("int $0x80" : "=a"(r) : "0"(20L /* i386 getpid */) : "memory");
        return r < 0 ? r : 0;
}
/* getpid with the x32 bit: refused by the filter (and ENOSYS on kernels without x32). */
static long try_x32(void)
{
        return ERRNO_OF(syscall(0x40000000L | SYS_getpid));
}

static void cmd_syscalls(void)
{
        static const struct {
                const char *name;
                long (*attempt)(void);
        } attempts[] = {
            {"unshare_user", try_unshare_user},
            {"clone_newuser", try_clone_newuser},
            {"setns", try_setns},
            {"mount", try_mount_tmpfs},
            {"keyctl", try_keyctl},
            {"add_key", try_add_key},
            {"bpf", try_bpf},
            {"init_module", try_init_module},
            {"reboot", try_reboot},
            {"perf_event_open", try_perf_event_open},
            {"ptrace_pid1", try_ptrace_pid1},
            {"ptrace_child", try_ptrace_child},
            {"userfaultfd", try_userfaultfd},
            {"personality", try_personality},
            {"clone3", try_clone3},
            {"getppid", try_getppid},
            {"close_range", try_close_range},
            {"int80", try_int80},
            {"x32", try_x32},
        };

        refuse_outside_sandbox();
        for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++)
                try_in_child(attempts[i].name, attempts[i].attempt);
}

static void *thread_main(void *arg)
{
        *(int *)arg = 42;
        return NULL;
}

/* Loopback TCP: listen on 127.0.0.1, connect, send a byte, accept, read it. */
static int tcp_roundtrip(void)
{
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        socklen_t len = sizeof(a);
        int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), c = -1, s = -1, err = 0;
        char byte = 0;

        errno = 0;
        if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
            getsockname(l, (struct sockaddr *)&a, &len) < 0 ||
            (c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
            connect(c, (struct sockaddr *)&a, sizeof(a)) < 0 || write(c, "x", 1) != 1 ||
            (s = accept4(l, NULL, NULL, SOCK_CLOEXEC)) < 0 || read(s, &byte, 1) != 1)
                err = errno ? errno : EIO;
        if (s >= 0)
                close(s);
        if (c >= 0)
                close(c);
        if (l >= 0)
                close(l);
        return err ? err : (byte == 'x' ? 0 : EIO);
}

/* What an ordinary program does: files, a socketpair, loopback TCP, a thread, fork+exec. */
static void cmd_workload(void)
{
        int sv[2], r, value = 0;
        pthread_t t;
        char buf[4] = "";

        cmd_write("/tmp/ward-probe-workload", "data\n");
        r = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
        if (r == 0 && (write(sv[0], "ok", 2) != 2 || read(sv[1], buf, 2) != 2))
                r = -1;
        printf("socketpair=%s\n", errname(r < 0 ? errno : 0));
        if (r == 0) {
                close(sv[0]);
                close(sv[1]);
        }
        printf("tcp_loopback=%s\n", errname(tcp_roundtrip()));
        r = pthread_create(&t, NULL, thread_main, &value);
        if (r == 0)
                pthread_join(t, NULL);
        printf("thread=%s\nthread_value=%d\n", errname(r), value);
        try_in_child("fork", try_getppid);
}

/* An abstract unix socket address: "\0NAME". */
static socklen_t abstract_addr(const char *name, struct sockaddr_un *sun)
{
        size_t len = strnlen(name, sizeof(sun->sun_path) - 1);

        memset(sun, 0, sizeof(*sun));
        sun->sun_family = AF_UNIX;
        memcpy(sun->sun_path + 1, name, len);
        return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

/* Listen on the abstract socket NAME; print "ready", serve connections for SECONDS. */
static int cmd_listen_abstract(const char *name, const char *seconds)
{
        struct sockaddr_un sun;
        socklen_t len = abstract_addr(name, &sun);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) < 0 || listen(fd, 8) < 0) {
                printf("listen-abstract %s=%s\n", name, errname(errno));
                return 1;
        }
        printf("ready\n");
        fflush(stdout);
        alarm((unsigned)atoi(seconds));
        for (;;) {
                int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
                if (c >= 0)
                        close(c);
        }
}

/* Listen on the unix socket PATH (the test's stand-in for an engine's control socket, run
 * on the host); print "ready", serve connections for SECONDS, then remove it. */
static int cmd_listen_unix(const char *path, const char *seconds)
{
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

        snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 8) < 0) {
                printf("listen-unix %s=%s\n", path, errname(errno));
                return 1;
        }
        printf("ready\n");
        fflush(stdout);
        for (time_t end = time(NULL) + atoi(seconds); time(NULL) < end;) {
                struct timespec ts = {0, 50 * 1000 * 1000};
                int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
                if (c >= 0)
                        close(c);
                else
                        nanosleep(&ts, NULL);
        }
        unlink(path);
        return 0;
}

static int cmd_connect_abstract(const char *name)
{
        struct sockaddr_un sun;
        socklen_t len = abstract_addr(name, &sun);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

        r = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&sun, len);
        printf("connect-abstract %s=%s\n", name, errname(r < 0 ? errno : 0));
        if (fd >= 0)
                close(fd);
        return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Attacks: the escape battery (tests/attack/). Each reproduces one step of a known
 * container-runtime escape and reports how far it got; none of them writes anything that
 * is not the attacker's own (an exe is rewritten with the byte it already holds). All
 * refuse to run outside a sandbox. */

/* Rewrite the first byte of FD with itself: a real write(2) that the kernel must refuse
 * (a sealed memfd, ETXTBSY, a read-only mount) yet changes nothing when it is allowed. */
static int rewrite_first_byte(int fd)
{
        char c;

        if (pread(fd, &c, 1, 0) != 1)
                return errno ? errno : EIO;
        if (pwrite(fd, &c, 1, 0) != 1)
                return errno ? errno : EIO;
        return 0;
}

/* CVE-2019-5736: reach the binary PID runs through /proc/PID/exe, directly and through an
 * O_PATH fd reopened via /proc/self/fd, and write to it. */
static int cmd_exe_attack(const char *pid)
{
        char path[64], reopen[64];
        int o, w;

        refuse_outside_sandbox();
        snprintf(path, sizeof(path), "/proc/%s/exe", pid);
        o = open(path, O_PATH | O_CLOEXEC);
        printf("exe_opath %s=%s\n", pid, errname(o < 0 ? errno : 0));
        if (o >= 0) {
                snprintf(reopen, sizeof(reopen), "/proc/self/fd/%d", o);
                w = open(reopen, O_RDWR | O_CLOEXEC);
                printf("exe_reopen %s=%s\n", pid, errname(w < 0 ? errno : 0));
                if (w >= 0) {
                        printf("exe_reopen_write %s=%s\n", pid, errname(rewrite_first_byte(w)));
                        close(w);
                }
                close(o);
        }
        w = open(path, O_RDWR | O_CLOEXEC);
        printf("exe_open_rw %s=%s\n", pid, errname(w < 0 ? errno : 0));
        if (w >= 0) {
                printf("exe_write %s=%s\n", pid, errname(rewrite_first_byte(w)));
                close(w);
        }
        return 0;
}

/* The runc variant: hold an O_PATH fd on the exe of a process that runs PATH, wait for it
 * to exit (no more ETXTBSY), then reopen the fd for writing. PATH is run as "sleep 5" (a
 * busybox copy runs its sleep applet). */
static int cmd_exe_attack_exited(const char *path)
{
        char link[64], reopen[64], self[PATH_MAX], target[PATH_MAX];
        int o = -1, w;
        pid_t child;

        refuse_outside_sandbox();
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        self[n > 0 ? n : 0] = '\0';
        fflush(stdout);
        child = fork();
        if (child == 0) {
                char *argv[] = {"sleep", "5", NULL};
                execv(path, argv);
                _exit(127);
        }
        snprintf(link, sizeof(link), "/proc/%d/exe", (int)child);
        for (int t = 0; child > 0 && t < 2000; t++) {
                n = readlink(link, target, sizeof(target) - 1);
                if (n > 0) {
                        target[n] = '\0';
                        if (strcmp(target, self) != 0) {
                                o = open(link, O_PATH | O_CLOEXEC);
                                break;
                        }
                }
                sleep_ms(1);
        }
        printf("exited_opath=%s\n", o < 0 ? "FAILED" : "OK");
        if (child > 0) {
                kill(child, SIGKILL);
                waitpid(child, NULL, 0);
        }
        if (o < 0)
                return 0;
        snprintf(reopen, sizeof(reopen), "/proc/self/fd/%d", o);
        w = open(reopen, O_RDWR | O_CLOEXEC);
        printf("exited_reopen=%s\n", errname(w < 0 ? errno : 0));
        if (w >= 0) {
                printf("exited_write=%s\n", errname(rewrite_first_byte(w)));
                close(w);
        }
        close(o);
        return 0;
}

/* Whether walking ".." up from the directory FD ends outside our root. */
static bool dir_leads_outside(int fd, const struct stat *root)
{
        struct stat here, up;
        int cur = fcntl(fd, F_DUPFD_CLOEXEC, 0);

        if (cur < 0 || fstat(cur, &here) < 0) {
                if (cur >= 0)
                        close(cur);
                return false;
        }
        for (int depth = 0; depth < 4096; depth++) {
                int parent = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                close(cur);
                if (parent < 0 || fstat(parent, &up) < 0) {
                        if (parent >= 0)
                                close(parent);
                        return false;
                }
                cur = parent;
                if (up.st_dev == here.st_dev && up.st_ino == here.st_ino)
                        break;
                here = up;
        }
        close(cur);
        return here.st_dev != root->st_dev || here.st_ino != root->st_ino;
}

/* CVE-2024-21626: an inherited directory fd that leads out of the root. */
static int cmd_fd_escape(void)
{
        struct stat root, st;
        int found = 0;

        refuse_outside_sandbox();
        if (stat("/", &root) < 0) {
                printf("fd_escape=%s\n", errname(errno));
                return 0;
        }
        for (int fd = 3; fd < 1024; fd++) {
                if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                if (dir_leads_outside(fd, &root)) {
                        printf("fd_escape.%d=yes\n", fd);
                        found++;
                }
        }
        printf("fd_escape=%s\n", found ? "yes" : "no");
        return 0;
}

/* CVE-2016-9962: what another process of the sandbox (the init, set up by the host side)
 * exposes through /proc/PID: its memory, environment, fds, root and cwd, ptrace. */
static int cmd_proc_attack(const char *pid)
{
        char path[300], buf[4096], target[PATH_MAX];
        struct stat root;
        DIR *d;
        struct dirent *de;
        int fd;

        refuse_outside_sandbox();
        snprintf(path, sizeof(path), "/proc/%s/mem", pid);
        fd = open(path, O_RDWR | O_CLOEXEC); /* never written */
        printf("proc_mem %s=%s\n", pid, errname(fd < 0 ? errno : 0));
        if (fd >= 0)
                close(fd);
        snprintf(path, sizeof(path), "/proc/%s/environ", pid);
        ssize_t len = read_small(path, buf, sizeof(buf));
        printf("proc_environ %s=%s\n", pid, errname(len < 0 ? (int)-len : 0));
        snprintf(path, sizeof(path), "/proc/%s/fd", pid);
        d = opendir(path);
        printf("proc_fd_dir %s=%s\n", pid, errname(d ? 0 : errno));
        stat("/", &root);
        while (d && (de = readdir(d)) != NULL) {
                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid, de->d_name);
                ssize_t n = readlink(path, target, sizeof(target) - 1);
                target[n > 0 ? n : 0] = '\0';
                printf("proc_fd %s.%s=%s\n", pid, de->d_name, target);
                fd = open(path, O_PATH | O_CLOEXEC);
                if (fd >= 0) {
                        struct stat st;
                        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) &&
                            dir_leads_outside(fd, &root))
                                printf("proc_fd_outside %s.%s=yes\n", pid, de->d_name);
                        close(fd);
                }
        }
        if (d)
                closedir(d);
        static const char *const dirs[] = {"root", "cwd"};
        for (size_t i = 0; i < 2; i++) {
                snprintf(path, sizeof(path), "/proc/%s/%s", pid, dirs[i]);
                fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
                printf("proc_%s %s=%s\n", dirs[i], pid, errname(fd < 0 ? errno : 0));
                if (fd >= 0) {
                        printf("proc_%s_outside %s=%s\n", dirs[i], pid,
                               dir_leads_outside(fd, &root) ? "yes" : "no");
                        close(fd);
                }
        }
        long r = ptrace(PTRACE_SEIZE, (pid_t)atoi(pid), 0, 0);
        printf("proc_ptrace %s=%s\n", pid, errname(r < 0 ? errno : 0));
        if (r == 0)
                ptrace(PTRACE_DETACH, (pid_t)atoi(pid), 0, 0);
        return 0;
}

/* Push TEXT into the input queue of the first terminal on fds 0-2 (TIOCSTI), and try
 * TIOCLINUX's paste-selection on it: a sandboxed app must not type into its caller's
 * shell. Reports tiocsti_inject=OK|ERRNO|notty and tioclinux=OK|ERRNO. */
static int cmd_tiocsti_inject(const char *text)
{
        int fd = -1, err = 0;

        refuse_outside_sandbox();
        for (int i = 0; i <= 2 && fd < 0; i++)
                if (isatty(i))
                        fd = i;
        if (fd < 0) {
                printf("tiocsti_inject=notty\ntioclinux=notty\n");
                return 0;
        }
        for (const char *p = text; *p && !err; p++)
                if (ioctl(fd, TIOCSTI, p) < 0)
                        err = errno;
        printf("tiocsti_inject=%s\n", errname(err));
        char sub = 3; /* TIOCL_PASTESEL */
        int r = ioctl(fd, TIOCLINUX, &sub);
        printf("tioclinux=%s\n", errname(r < 0 ? errno : 0));
        return 0;
}

/* Read what is typed on fd 0 or any terminal among fds 1-2 for up to MS milliseconds: with
 * the caller's terminal (opened read-write, as a login's is) the app steals keystrokes. */
static void terminal_read_typed(int ms)
{
        struct pollfd p[3];
        char buf[256];
        int open_fds = 0;

        /* fd 0 also when it is not a terminal: with -i the typed text arrives there. */
        for (int i = 0; i < 3; i++) {
                p[i] = (struct pollfd){.fd = i == 0 || isatty(i) ? i : -1, .events = POLLIN};
                open_fds += p[i].fd >= 0;
        }
        for (long waited = 0; open_fds > 0 && waited < ms; waited += 50) {
                if (poll(p, 3, 50) <= 0)
                        continue;
                for (int i = 0; i < 3; i++) {
                        if (p[i].fd < 0 || !p[i].revents)
                                continue;
                        ssize_t n = read(p[i].fd, buf, sizeof(buf) - 1);
                        if (n > 0) {
                                buf[n] = '\0';
                                buf[strcspn(buf, "\r\n")] = '\0';
                                printf("typed=[%s]\n", buf);
                                return;
                        }
                        p[i].fd = -1;
                        open_fds--;
                }
        }
        printf("typed=none\n");
}

/* The caller's terminal handed to the app: which of fds 0-2 are terminals, /dev/tty, then
 * (after a "ready" line) keystrokes typed meanwhile, echo turned off (TCSETS) and the line
 * discipline set to N_NULL (TIOCSETD) on the first terminal fd: both outlive the app on
 * the caller's terminal. Reports tty_fds=LIST|none devtty=OK|ERRNO ready typed=[TEXT]|none
 * tcsets=OK|ERRNO|notty tiocsetd=OK|ERRNO|notty. */
static int cmd_terminal_attack(const char *ms)
{
        char list[16] = "";
        int fd = -1, dev;
        struct termios t;

        refuse_outside_sandbox();
        for (int i = 0; i < 3; i++)
                if (isatty(i)) {
                        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d",
                                 fd < 0 ? "" : ",", i);
                        fd = fd < 0 ? i : fd;
                }
        printf("tty_fds=%s\n", fd < 0 ? "none" : list);
        dev = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        printf("devtty=%s\nready\n", errname(dev < 0 ? errno : 0));
        if (dev >= 0)
                close(dev);
        fflush(stdout);
        terminal_read_typed(atoi(ms));
        if (fd < 0) {
                printf("tcsets=notty\ntiocsetd=notty\n");
                return 0;
        }
        int r = tcgetattr(fd, &t);
        t.c_lflag &= ~(tcflag_t)ECHO;
        if (r == 0)
                r = tcsetattr(fd, TCSANOW, &t);
        printf("tcsets=%s\n", errname(r < 0 ? errno : 0));
        int ldisc = 27; /* N_NULL */
        r = ioctl(fd, TIOCSETD, &ldisc);
        printf("tiocsetd=%s\n", errname(r < 0 ? errno : 0));
        return 0;
}

/* Device nodes: make a /dev/mem twin at PATH; it is removed again if that worked. */
static int cmd_mknod(const char *path)
{
        refuse_outside_sandbox();
        int r = mknod(path, S_IFCHR | 0600, makedev(1, 1));
        printf("mknod %s=%s\n", path, errname(r < 0 ? errno : 0));
        if (r == 0)
                unlink(path);
        return 0;
}

/* Raw sockets need CAP_NET_RAW: an IPv4 ICMP raw socket and a packet socket. */
static int cmd_raw_socket(void)
{
        refuse_outside_sandbox();
        int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
        printf("raw_inet=%s\n", errname(fd < 0 ? errno : 0));
        if (fd >= 0)
                close(fd);
        fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        printf("raw_packet=%s\n", errname(fd < 0 ? errno : 0));
        if (fd >= 0)
                close(fd);
        return 0;
}

/* A write through /proc/sys: a sysctl of the sandbox's own network namespace (which its
 * user namespace's root owns), rewritten with the value it already holds, so that even
 * where the write is allowed nothing changes. */
static int cmd_sysctl_write(void)
{
        static const char path[] = "/proc/sys/net/ipv4/ip_unprivileged_port_start";
        char value[256];
        ssize_t len;
        int fd, err = 0;

        refuse_outside_sandbox();
        len = read_small(path, value, sizeof(value));
        if (len <= 0) {
                printf("sysctl_write=%s\n", len < 0 ? errname((int)-len) : "EMPTY");
                return 0;
        }
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                err = errno;
        else if (write(fd, value, (size_t)len) != len)
                err = errno ? errno : EIO;
        if (fd >= 0)
                close(fd);
        printf("sysctl_write=%s\n", errname(err));
        return 0;
}

/* connect(2) to the unix socket at PATH (an engine's control socket). */
static int cmd_connect_unix(const char *path)
{
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

        refuse_outside_sandbox();
        snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
        r = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&sun, sizeof(sun));
        printf("connect-unix %s=%s\n", path, errname(r < 0 ? errno : 0));
        if (fd >= 0)
                close(fd);
        return 0;
}

static void usage(FILE *out)
{
        fputs("usage: ward-probe [--tag=MARKER] SUBCOMMAND [ARG]... [SUBCOMMAND [ARG]...]...\n"
              "  status            CapInh/Prm/Eff/Bnd/Amb, NoNewPrivs, Seccomp, Umask, ids, pid\n"
              "  listen-unix PATH SECONDS  serve the unix socket PATH, then remove it\n"
              "attacks (tests/attack/), all *:\n"
              "  exe-attack PID    open /proc/PID/exe rw, directly and O_PATH-then-reopen;\n"
              "                    rewrite its first byte with itself (CVE-2019-5736)\n"
              "  exe-attack-exited PATH  run PATH, hold its exe O_PATH, reopen rw after exit\n"
              "  fd-escape         inherited directory fds that lead out of the root\n"
              "  proc-attack PID   /proc/PID mem, environ, fds, root, cwd; ptrace\n"
              "  tiocsti-inject TEXT  TIOCSTI TEXT into the terminal on fds 0-2; TIOCLINUX\n"
              "  terminal-attack MS  the caller's terminal on fds 0-2: read keystrokes for MS\n"
              "                    ms after a \"ready\" line, echo off (TCSETS), N_NULL (TIOCSETD)\n"
              "  mknod PATH        make a char device 1:1 at PATH\n"
              "  raw-socket        AF_INET SOCK_RAW and AF_PACKET sockets\n"
              "  sysctl-write      rewrite net.ipv4.ip_unprivileged_port_start as it is\n"
              "  connect-unix PATH connect to a unix socket\n"
              "  uidmap            uid_map, gid_map, setgroups\n"
              "  rlimits           rlimit.NAME=soft:hard for every limit\n"
              "  fds               the open fds and their targets\n"
              "  cwd               getcwd, and whether the cwd is inside the root\n"
              "  write PATH        create/write PATH: 'write PATH=OK' or '=ERRNO' *\n"
              "  put PATH TEXT     same, writing TEXT *\n"
              "  read PATH         read PATH whole: 'read PATH=OK' and 'bytes PATH=N'\n"
              "  cat PATH          the first line of PATH\n"
              "  ls DIR            the entries of DIR, sorted\n"
              "  stat PATH         type, mode, owner, device\n"
              "  statfs PATH       file system type, size and flags\n"
              "  mount             try mount(2), remount and umount: the errno of each *\n"
              "  sethostname       try sethostname(2) *\n"
              "  tiocsti           try TIOCSTI on fds 0-2; whether /dev/tty opens (ctty) *\n"
              "  seccomp           Seccomp and Seccomp_filters from /proc/self/status\n"
              "  syscalls          try each syscall a seccomp filter refuses, each in a child:\n"
              "                    NAME=ERRNO, OK, or killed:SIG (unshare, mount, keyctl, bpf,\n"
              "                    ptrace, close_range, int 0x80, x32, ...) *\n"
              "  workload          file, socketpair, loopback TCP, a thread, a fork\n"
              "  getppid           getppid(2) in the probe itself: its errno\n"
              "  x32-getpid        getpid through the x32 ABI in the probe itself: its errno\n"
              "  in-sandbox        exit 99 unless in a non-initial user and pid namespace\n"
              "  net               interfaces and whether they are up\n"
              "  hostname          uname's nodename and domainname\n"
              "  pid1              /proc/1 cmdline, comm, exe\n"
              "  ps                every process of the pid namespace\n"
              "  zombies           make exiting orphans; count zombies after a while\n"
              "  sleep-trap        print 'ready', exit 42 on SIGTERM ('got SIGTERM')\n"
              "  env               the environment, one VAR=value a line\n"
              "  exec PATH         execve PATH in a child: 'exec PATH=OK' or '=ERRNO'\n"
              "  bind-tcp PORT     bind a TCP socket to 127.0.0.1:PORT: '=OK' or '=ERRNO'\n"
              "  connect-tcp PORT  connect to 127.0.0.1:PORT: '=OK' or '=ERRNO'\n"
              "  listen-abstract NAME SECONDS  serve the abstract unix socket NAME\n"
              "  connect-abstract NAME  connect to it: '=OK' or '=ERRNO'\n"
              "  hog               allocate and touch memory until killed\n"
              "  forks N           fork N sleeping children: 'forks started=X refused=Y'\n"
              "  exit N            exit with status N\n"
              "  notify TEXT       send TEXT (e.g. READY=1) to $NOTIFY_SOCKET: 'notify=OK'\n"
              "  notify-attack     * MAINPID=, fds, >64 KiB, a NUL, a forked child to\n"
              "                    $NOTIFY_SOCKET: 'notify_attack.NAME=OK|ERRNO'\n"
              "  notify-flood      * STATUS= datagrams to $NOTIFY_SOCKET from 4 processes\n"
              "  listen-echo       socket activation: check LISTEN_PID/LISTEN_FDS, serve one\n"
              "                    connection on fd 3, answering 'echo: LINE'\n"
              "  recv-dgram PATH S bind a datagram socket at PATH (@name: abstract), print\n"
              "                    'dgram=TEXT' (newlines as |) for each one until S seconds\n"
              "                    pass without any\n"
              "  burn SECONDS      spin for SECONDS of wall time: 'burn wall_ms=W cpu_ms=C'\n"
              "  setid-files DIR   * chmod/fchmod/fchmodat(2)/open(at)/creat/mknod(at)/openat2\n"
              "                    with S_ISUID|S_ISGID on files in DIR, then chmod 0755 and\n"
              "                    open 0644: 'setid_NAME=ERRNO', 'setid_NAME_bits=MODE|absent'\n"
              "  socket-families   * socket() of vsock, alg, unix, inet...: socket_NAME=ERRNO\n"
              "  alg-hash          * sha256 through an AF_ALG socket: 'alg_hash=OK|ERRNO'\n"
              "  vsock-listen PORT S  * serve vsock PORT for S seconds: 'vsock_received=TEXT'\n"
              "  vsock-send CID PORT TEXT * send TEXT to vsock CID:PORT: 'vsock_send=ERRNO'\n"
              "  mptcp PORT        * MPTCP listen and connect on 127.0.0.1:PORT, SCTP, UDP\n"
              "  memfd-exec PATH   * copy this probe to PATH, run it, then from a memfd\n"
              "(* refused, exit 99, in the host's initial user or pid namespace)\n",
              out);
}

/* Allocate and touch memory, 1 MiB at a time, until killed (the cgroup OOM test); prints
 * how far it got every 16 MiB so a log shows the limit was reached. */
static int cmd_hog(void)
{
        for (size_t mib = 1;; mib++) {
                char *p = malloc(1 << 20);
                if (!p) {
                        printf("hog: malloc failed at %zu MiB\n", mib);
                        return 1;
                }
                memset(p, (int)mib, 1 << 20);
                if (mib % 16 == 0)
                        printf("hog: %zu MiB\n", mib);
        }
}

/* Fork n children that sleep; print how many forks succeeded and how many were refused
 * (EAGAIN under pids.max), then end the children. */
static int cmd_forks(const char *arg)
{
        int n = atoi(arg), started = 0, refused = 0;
        pid_t *kids = calloc((size_t)(n > 0 ? n : 1), sizeof(pid_t));

        for (int k = 0; kids && k < n; k++) {
                pid_t pid = fork();
                if (pid == 0) {
                        sleep(30);
                        _exit(0);
                }
                if (pid < 0)
                        refused++;
                else
                        kids[started++] = pid;
        }
        printf("forks started=%d refused=%d\n", started, refused);
        for (int k = 0; k < started; k++) {
                kill(kids[k], SIGKILL);
                waitpid(kids[k], NULL, 0);
        }
        free(kids);
        return 0;
}

/* sd_notify(3) without libsystemd: one datagram to the path or @abstract name. */
static int cmd_notify(const char *text)
{
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        socklen_t len;
        int fd, r = 0;

        if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa.sun_path)) {
                printf("notify=no-socket\n");
                return 1;
        }
        memcpy(sa.sun_path, path, strlen(path));
        if (path[0] == '@')
                sa.sun_path[0] = '\0';
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || sendto(fd, text, strlen(text), 0, (struct sockaddr *)&sa, len) < 0)
                r = errno;
        printf("notify=%s socket=%s\n", errname(r), path);
        if (fd >= 0)
                close(fd);
        return r ? 1 : 0;
}

/* The notify socket's address from $NOTIFY_SOCKET, and a datagram socket for it. */
static int notify_socket(struct sockaddr_un *sa, socklen_t *len)
{
        const char *path = getenv("NOTIFY_SOCKET");

        if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa->sun_path))
                return -1;
        memset(sa, 0, sizeof(*sa));
        sa->sun_family = AF_UNIX;
        memcpy(sa->sun_path, path, strlen(path));
        if (path[0] == '@')
                sa->sun_path[0] = '\0';
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
        return socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

/* One datagram of len bytes, with fd (if >= 0) passed as SCM_RIGHTS: errno or 0. */
static int notify_send(int s, const struct sockaddr_un *sa, socklen_t salen, const char *text,
                       size_t len, int fd)
{
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = (void *)text, .iov_len = len};
        struct msghdr mh = {
            .msg_name = (void *)sa, .msg_namelen = salen, .msg_iov = &iov, .msg_iovlen = 1};

        if (fd >= 0) {
                memset(&control, 0, sizeof(control));
                mh.msg_control = control.buf;
                mh.msg_controllen = sizeof(control.buf);
                struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
                cm->cmsg_level = SOL_SOCKET;
                cm->cmsg_type = SCM_RIGHTS;
                cm->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(cm), &fd, sizeof(int));
        }
        return sendmsg(s, &mh, 0) < 0 ? errno : 0;
}

/* Attack the notify relay: MAINPID= among allowed lines, fds passed (a directory of the
 * sandbox, and with FDSTORE=1), a datagram above 64 KiB, one of 4097 bytes, a NUL inside a
 * line, one from a forked child, then STATUS=done. 'notify_attack.NAME=OK|ERRNO' each. */
static int cmd_notify_attack(void)
{
        static char big[70000];
        struct sockaddr_un sa;
        socklen_t len;
        int s, dir, r;
        pid_t child;

        refuse_outside_sandbox();
        if ((s = notify_socket(&sa, &len)) < 0) {
                printf("notify_attack=no-socket\n");
                return 1;
        }
        dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#define SEND(name, text, n, fd)                                                                    \
        printf("notify_attack." name "=%s\n", errname(notify_send(s, &sa, len, text, n, fd)))
#define SENDL(name, literal, fd) SEND(name, literal, sizeof(literal) - 1, fd)
        SENDL("mainpid", "MAINPID=1\nREADY=1", -1);
        SENDL("fd", "STATUS=with-fd", dir);
        SENDL("fdstore", "FDSTORE=1\nFDNAME=x", dir);
        memcpy(big, "STATUS=big", 10);
        memset(big + 10, 'A', sizeof(big) - 10);
        SEND("64k", big, sizeof(big), -1);
        SEND("4097", big, 4097, -1);
        SENDL("nul", "STATUS=a\0MAINPID=1\nERRNO=7", -1);
        fflush(stdout);
        child = fork();
        if (child == 0) {
                r = notify_send(s, &sa, len, "STATUS=child", 12, -1);
                _exit(r ? 1 : 0);
        }
        if (child > 0)
                waitpid(child, &r, 0);
        printf("notify_attack.child=%s\n",
               child > 0 && WIFEXITED(r) && WEXITSTATUS(r) == 0 ? "OK" : "failed");
        SENDL("done", "X_OTHER=1\nMAINPID=2\nSTATUS=done", -1);
#undef SENDL
#undef SEND
        close(s);
        return 0;
}

/* Flood the notify socket with STATUS= datagrams from four processes, without blocking,
 * until killed: 'notify_flood=started' first. */
static int cmd_notify_flood(void)
{
        struct sockaddr_un sa;
        socklen_t len;
        char text[64];
        unsigned long n = 0;
        int s;

        refuse_outside_sandbox();
        if ((s = notify_socket(&sa, &len)) < 0) {
                printf("notify_flood=no-socket\n");
                return 1;
        }
        printf("notify_flood=started\n");
        fflush(stdout);
        /* Four senders (this process and three children, which end with the sandbox): more
         * than the relay drains, so that its socket is rarely found empty. */
        for (int i = 0; i < 3; i++)
                if (fork() == 0)
                        break;
        for (;;) {
                int k = snprintf(text, sizeof(text), "STATUS=flood %lu\nMAINPID=1", n++);
                sendto(s, text, (size_t)k, MSG_DONTWAIT, (struct sockaddr *)&sa, len);
        }
}

/* A stand-in for systemd's notification socket, for tests on a host without systemd. */
static int cmd_recv_dgram(const char *path, const char *seconds)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        struct timeval tv = {.tv_sec = atoi(seconds)};
        char buf[4097];
        socklen_t len;
        ssize_t n;
        int fd;

        if (strlen(path) >= sizeof(sa.sun_path))
                return EXIT_USAGE;
        memcpy(sa.sun_path, path, strlen(path));
        if (path[0] == '@')
                sa.sun_path[0] = '\0';
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + (path[0] != '@'));
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len) < 0 ||
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
                printf("recv-dgram=%s\n", errname(errno));
                return 1;
        }
        printf("recv-dgram=listening\n");
        while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) >= 0) {
                buf[n] = '\0';
                for (char *p = buf; *p; p++)
                        if (*p == '\n')
                                *p = '|';
                printf("dgram=%s\n", buf);
        }
        close(fd);
        return 0;
}

/* Socket activation as sd_listen_fds(3) does it, then one echo round on fd 3: accept when
 * it listens (Accept=no), else it is the connection itself (Accept=yes). */
static int cmd_listen_echo(void)
{
        const char *pid_s = getenv("LISTEN_PID"), *fds_s = getenv("LISTEN_FDS");
        const char *names = getenv("LISTEN_FDNAMES");
        int listening = 0, conn;
        socklen_t sl = sizeof(listening);
        char line[256];
        ssize_t n;

        printf("listen_pid=%s getpid=%d listen_fds=%s names=%s\n", pid_s ? pid_s : "-",
               (int)getpid(), fds_s ? fds_s : "-", names ? names : "-");
        if (!pid_s || atoi(pid_s) != getpid() || !fds_s || atoi(fds_s) < 1) {
                printf("listen=not-for-us\n");
                return 1;
        }
        if (getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &listening, &sl) < 0) {
                printf("listen=fd3-%s\n", errname(errno));
                return 1;
        }
        conn = listening ? accept4(3, NULL, NULL, SOCK_CLOEXEC) : 3;
        if (conn < 0 || (n = read(conn, line, sizeof(line) - 1)) < 0) {
                printf("listen=io-%s\n", errname(errno));
                return 1;
        }
        line[n] = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        dprintf(conn, "echo: %s\n", line);
        close(conn);
        printf("listen=served line=%s\n", line);
        return 0;
}

/* Spin for the given wall time and report the CPU time we got: under cpu.max the ratio is
 * the quota. */
static int cmd_burn(const char *arg)
{
        struct timespec w0, w1, c1;
        long wall_ms = 0, limit_ms = atol(arg) * 1000;
        volatile unsigned long spin = 0;

        clock_gettime(CLOCK_MONOTONIC, &w0);
        while (wall_ms < limit_ms) {
                for (int k = 0; k < 100000; k++)
                        spin++;
                clock_gettime(CLOCK_MONOTONIC, &w1);
                wall_ms = (w1.tv_sec - w0.tv_sec) * 1000 + (w1.tv_nsec - w0.tv_nsec) / 1000000;
        }
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        printf("burn wall_ms=%ld cpu_ms=%ld\n", wall_ms, c1.tv_sec * 1000 + c1.tv_nsec / 1000000);
        return 0;
}

int main(int argc, char **argv)
{
        int i = 1;

        setvbuf(stdout, NULL, _IOLBF, 0);
        if (i < argc && strncmp(argv[i], "--tag=", 6) == 0)
                i++;
        if (i >= argc) {
                usage(stderr);
                return EXIT_USAGE;
        }
        while (i < argc) {
                const char *cmd = argv[i++];
                const char *arg = i < argc ? argv[i] : NULL;
#define NEED_ARG()                                                                                 \
        do {                                                                                       \
                if (!arg) {                                                                        \
                        fprintf(stderr, "ward-probe: %s needs an argument\n", cmd);                \
                        return EXIT_USAGE;                                                         \
                }                                                                                  \
                i++;                                                                               \
        } while (0)
                if (strcmp(cmd, "status") == 0) {
                        cmd_status();
                } else if (strcmp(cmd, "listen-unix") == 0) {
                        NEED_ARG();
                        if (i >= argc) {
                                fprintf(stderr, "ward-probe: listen-unix needs PATH and SECONDS\n");
                                return EXIT_USAGE;
                        }
                        return cmd_listen_unix(arg, argv[i]);
                } else if (strcmp(cmd, "exe-attack") == 0) {
                        NEED_ARG();
                        cmd_exe_attack(arg);
                } else if (strcmp(cmd, "exe-attack-exited") == 0) {
                        NEED_ARG();
                        cmd_exe_attack_exited(arg);
                } else if (strcmp(cmd, "fd-escape") == 0) {
                        cmd_fd_escape();
                } else if (strcmp(cmd, "proc-attack") == 0) {
                        NEED_ARG();
                        cmd_proc_attack(arg);
                } else if (strcmp(cmd, "tiocsti-inject") == 0) {
                        NEED_ARG();
                        cmd_tiocsti_inject(arg);
                } else if (strcmp(cmd, "terminal-attack") == 0) {
                        NEED_ARG();
                        cmd_terminal_attack(arg);
                } else if (strcmp(cmd, "mknod") == 0) {
                        NEED_ARG();
                        cmd_mknod(arg);
                } else if (strcmp(cmd, "raw-socket") == 0) {
                        cmd_raw_socket();
                } else if (strcmp(cmd, "sysctl-write") == 0) {
                        cmd_sysctl_write();
                } else if (strcmp(cmd, "connect-unix") == 0) {
                        NEED_ARG();
                        cmd_connect_unix(arg);
                } else if (strcmp(cmd, "uidmap") == 0)
                        cmd_uidmap();
                else if (strcmp(cmd, "rlimits") == 0)
                        cmd_rlimits();
                else if (strcmp(cmd, "fds") == 0)
                        cmd_fds();
                else if (strcmp(cmd, "cwd") == 0)
                        cmd_cwd();
                else if (strcmp(cmd, "write") == 0) {
                        NEED_ARG();
                        cmd_write(arg, "ward-probe\n");
                } else if (strcmp(cmd, "put") == 0) {
                        NEED_ARG();
                        if (i >= argc) {
                                fprintf(stderr, "ward-probe: put needs PATH and TEXT\n");
                                return EXIT_USAGE;
                        }
                        cmd_write(arg, argv[i++]);
                } else if (strcmp(cmd, "read") == 0) {
                        NEED_ARG();
                        cmd_read(arg);
                } else if (strcmp(cmd, "cat") == 0) {
                        NEED_ARG();
                        cmd_cat(arg);
                } else if (strcmp(cmd, "ls") == 0) {
                        NEED_ARG();
                        cmd_ls(arg);
                } else if (strcmp(cmd, "stat") == 0) {
                        NEED_ARG();
                        cmd_stat(arg);
                } else if (strcmp(cmd, "statfs") == 0) {
                        NEED_ARG();
                        cmd_statfs(arg);
                } else if (strcmp(cmd, "mount") == 0)
                        cmd_mount();
                else if (strcmp(cmd, "sethostname") == 0)
                        cmd_sethostname();
                else if (strcmp(cmd, "tiocsti") == 0)
                        cmd_tiocsti();
                else if (strcmp(cmd, "seccomp") == 0)
                        cmd_seccomp();
                else if (strcmp(cmd, "syscalls") == 0)
                        cmd_syscalls();
                else if (strcmp(cmd, "workload") == 0)
                        cmd_workload();
                else if (strcmp(cmd, "getppid") == 0)
                        printf("getppid=%s\n", errname(try_getppid() < 0 ? errno : 0));
                else if (strcmp(cmd, "x32-getpid") == 0)
                        printf("x32_getpid=%s\n", errname(try_x32() < 0 ? errno : 0));
                else if (strcmp(cmd, "in-sandbox") == 0) {
                        refuse_outside_sandbox();
                        printf("in-sandbox=yes\n");
                } else if (strcmp(cmd, "net") == 0)
                        cmd_net();
                else if (strcmp(cmd, "hostname") == 0)
                        cmd_hostname();
                else if (strcmp(cmd, "pid1") == 0)
                        cmd_pid1();
                else if (strcmp(cmd, "ps") == 0)
                        cmd_ps();
                else if (strcmp(cmd, "zombies") == 0)
                        cmd_zombies();
                else if (strcmp(cmd, "sleep-trap") == 0)
                        return cmd_sleep_trap();
                else if (strcmp(cmd, "env") == 0)
                        cmd_env();
                else if (strcmp(cmd, "exec") == 0) {
                        NEED_ARG();
                        cmd_exec(arg);
                } else if (strcmp(cmd, "bind-tcp") == 0 || strcmp(cmd, "connect-tcp") == 0) {
                        NEED_ARG();
                        cmd_tcp(cmd, arg);
                } else if (strcmp(cmd, "connect-abstract") == 0) {
                        NEED_ARG();
                        cmd_connect_abstract(arg);
                } else if (strcmp(cmd, "listen-abstract") == 0) {
                        NEED_ARG();
                        if (i >= argc) {
                                fprintf(stderr, "ward-probe: listen-abstract needs NAME and "
                                                "SECONDS\n");
                                return EXIT_USAGE;
                        }
                        return cmd_listen_abstract(arg, argv[i]);
                } else if (strcmp(cmd, "hog") == 0) {
                        return cmd_hog();
                } else if (strcmp(cmd, "forks") == 0) {
                        NEED_ARG();
                        return cmd_forks(arg);
                } else if (strcmp(cmd, "notify") == 0) {
                        NEED_ARG();
                        if (cmd_notify(arg))
                                return 1;
                } else if (strcmp(cmd, "notify-attack") == 0) {
                        if (cmd_notify_attack())
                                return 1;
                } else if (strcmp(cmd, "notify-flood") == 0) {
                        return cmd_notify_flood();
                } else if (strcmp(cmd, "recv-dgram") == 0) {
                        NEED_ARG();
                        if (i >= argc) {
                                fprintf(stderr, "ward-probe: recv-dgram needs PATH and SECONDS\n");
                                return EXIT_USAGE;
                        }
                        return cmd_recv_dgram(arg, argv[i]);
                } else if (strcmp(cmd, "listen-echo") == 0) {
                        return cmd_listen_echo();
                } else if (strcmp(cmd, "setid-files") == 0) {
                        NEED_ARG();
                        cmd_setid_files(arg);
                } else if (strcmp(cmd, "socket-families") == 0) {
                        cmd_socket_families();
                } else if (strcmp(cmd, "alg-hash") == 0) {
                        cmd_alg_hash();
                } else if (strcmp(cmd, "vsock-listen") == 0) {
                        NEED_ARG();
                        if (i >= argc) {
                                fprintf(stderr, "ward-probe: vsock-listen needs PORT and "
                                                "SECONDS\n");
                                return EXIT_USAGE;
                        }
                        return cmd_vsock_listen(arg, argv[i]);
                } else if (strcmp(cmd, "vsock-send") == 0) {
                        NEED_ARG();
                        if (i + 1 >= argc) {
                                fprintf(stderr, "ward-probe: vsock-send needs CID PORT TEXT\n");
                                return EXIT_USAGE;
                        }
                        cmd_vsock_send(arg, argv[i], argv[i + 1]);
                        i += 2;
                } else if (strcmp(cmd, "mptcp") == 0) {
                        NEED_ARG();
                        cmd_mptcp(arg);
                } else if (strcmp(cmd, "memfd-exec") == 0) {
                        NEED_ARG();
                        cmd_memfd_exec(arg);
                } else if (strcmp(cmd, "burn") == 0) {
                        NEED_ARG();
                        return cmd_burn(arg);
                } else if (strcmp(cmd, "exit") == 0) {
                        NEED_ARG();
                        fflush(stdout);
                        return atoi(arg);
                } else if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0) {
                        usage(stdout);
                } else {
                        fprintf(stderr, "ward-probe: unknown subcommand \"%s\"\n", cmd);
                        usage(stderr);
                        return EXIT_USAGE;
                }
#undef NEED_ARG
        }
        return 0;
}
