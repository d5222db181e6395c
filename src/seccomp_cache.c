/* The compiled seccomp filter, cached on disk and verified before use (seccomp_cache.h). */
#include "ward/seccomp_cache.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/util.h"

/* WARDBPF3: ward's own generator (seccomp_bpf.c) writes the program, no longer libseccomp:
 * a file of an older format is never read. */
#define CACHE_MAGIC "WARDBPF3"
#define MAX_KEY_TEXT 8192

/* What decides the compiled filter: this very binary (its build-id: a rebuilt ward with
 * other tables gets other files), libseccomp's version, and the [Seccomp] inputs. Stored
 * whole in the file and compared byte for byte; the file name is only its hash. */
struct cache_key {
        char magic[8];
        uint8_t build_id[32];
        uint32_t build_id_len;
        uint32_t scmp_version[3];
        int32_t action;
        uint32_t text_len;
        uint64_t caps_keep;
        char text[MAX_KEY_TEXT]; /* "allow:...\ndeny:...\n", NUL-padded */
};

struct cache_header {
        struct cache_key key;
        uint32_t bpf_len; /* instructions */
        uint32_t pad;
};

static int note_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
        struct cache_key *k = data;

        (void)size;
        if (info->dlpi_name && info->dlpi_name[0])
                return 0; /* only the main program */
        for (int i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
                const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
                const char *end = p + ph->p_memsz;
                if (ph->p_type != PT_NOTE)
                        continue;
                while (p + sizeof(ElfW(Nhdr)) <= end) {
                        const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
                        const char *desc = p + sizeof(*n) + ((n->n_namesz + 3) & ~3u);
                        if (n->n_type == NT_GNU_BUILD_ID && n->n_descsz <= sizeof(k->build_id)) {
                                memcpy(k->build_id, desc, n->n_descsz);
                                k->build_id_len = n->n_descsz;
                                return 1;
                        }
                        p = desc + ((n->n_descsz + 3) & ~3u);
                }
        }
        return 1;
}

static void append_words(char *buf, size_t len, const char *label, char **words, size_t n)
{
        size_t used = strlen(buf);

        used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s:", label);
        for (size_t i = 0; i < n && used < len; i++)
                used += (size_t)snprintf(buf + used, len - used, "%s ", words[i]);
        if (used < len)
                snprintf(buf + used, len - used, "\n");
}

/* The argument checks: socket()'s come from AllowSocketFamily= and from [Landlock]'s TCP
 * lists, the mode checks from AllowSetuidFiles=. */
static void append_arg_checks(const struct ward_config *c, char *buf, size_t len)
{
        size_t used = strlen(buf);

        if (used < len)
                snprintf(buf + used, len - used,
                         "socket-families-allowed:%llx tcp-only:%d setid-files-allowed:%d\n",
                         (unsigned long long)c->seccomp.socket_families_allowed,
                         seccomp_socket_tcp_only(c), c->seccomp.allow_setid_files);
}

/* -E2BIG when the inputs do not fit the key: then there is simply no cache. */
static int key_for(const struct ward_config *c, struct cache_key *k)
{
        const struct scmp_version *v = seccomp_version();

        memset(k, 0, sizeof(*k));
        memcpy(k->magic, CACHE_MAGIC, sizeof(k->magic));
        dl_iterate_phdr(note_build_id, k);
        if (!k->build_id_len)
                return -ENOENT;
        k->scmp_version[0] = v->major;
        k->scmp_version[1] = v->minor;
        k->scmp_version[2] = v->micro;
        k->action = c->seccomp.default_action;
        k->caps_keep = c->caps_keep;
        append_words(k->text, sizeof(k->text), "allow", c->seccomp.allow, c->seccomp.n_allow);
        append_words(k->text, sizeof(k->text), "deny", c->seccomp.deny, c->seccomp.n_deny);
        append_arg_checks(c, k->text, sizeof(k->text));
        k->text_len = (uint32_t)strlen(k->text);
        return k->text_len + 1 < sizeof(k->text) ? 0 : -E2BIG;
}

static void cache_name(const struct cache_key *k, char *buf, size_t len)
{
        const unsigned char *b = (const unsigned char *)k;
        uint64_t x = 0xcbf29ce484222325ULL;

        for (size_t i = 0; i < sizeof(*k); i++)
                x = (x ^ b[i]) * 0x100000001b3ULL;
        snprintf(buf, len, "%016llx.bpf", (unsigned long long)x);
}

void seccomp_cache_dir(char *buf, size_t len)
{
        const char *env = getenv("WARD_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");

        if (env && env[0] == '/')
                snprintf(buf, len, "%s", env);
        else if (geteuid() == 0)
                snprintf(buf, len, "/var/cache/ward/seccomp");
        else if (xdg && xdg[0] == '/')
                snprintf(buf, len, "%s/ward/seccomp", xdg);
        else if (home && home[0] == '/')
                snprintf(buf, len, "%s/.cache/ward/seccomp", home);
        else
                buf[0] = '\0';
}

/* Ours alone: owned by our euid, writable by nobody else. */
static bool trusted(int fd, bool want_dir)
{
        struct stat st;

        return fstat(fd, &st) == 0 && st.st_uid == geteuid() && !(st.st_mode & 022) &&
               (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* The last two levels (ward/seccomp) are created 0700 if missing; the rest must exist.
 * Opened first: the mkdir()s are for the first run only. */
static int open_cache_dir(void)
{
        const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        char path[4096], *slash;
        int fd;

        seccomp_cache_dir(path, sizeof(path));
        if (!path[0])
                return -ENOENT;
        if ((fd = open(path, flags)) < 0 && errno == ENOENT) {
                if ((slash = strrchr(path, '/')) && slash != path) {
                        *slash = '\0';
                        mkdir(path, 0700);
                        *slash = '/';
                }
                mkdir(path, 0700);
                fd = open(path, flags);
        }
        if (fd < 0)
                return -errno;
        if (!trusted(fd, true)) {
                close(fd);
                return -EPERM;
        }
        return fd;
}

static int read_cached(int dirfd, const char *name, const struct cache_key *want,
                       struct ward_plan_seccomp *s)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        _cleanup_free_ struct sock_filter *bpf = NULL;
        struct cache_header have;
        struct stat st;

        if (fd < 0 || !trusted(fd, false) || fstat(fd, &st) < 0)
                return -ENOENT;
        if (ward_read_all(fd, &have, sizeof(have)) < 0 || have.bpf_len == 0 ||
            have.bpf_len > BPF_MAXINSNS ||
            (size_t)st.st_size != sizeof(have) + have.bpf_len * sizeof(*bpf))
                return -EINVAL;
        /* The same binary, libseccomp and inputs, byte for byte. */
        if (memcmp(&have.key, want, sizeof(*want)) != 0)
                return -ESTALE;
        if (!(bpf = calloc(have.bpf_len, sizeof(*bpf))) ||
            ward_read_all(fd, bpf, have.bpf_len * sizeof(*bpf)) < 0)
                return -EIO;
        s->bpf = ward_take_ptr(&bpf);
        s->bpf_len = have.bpf_len;
        s->from_cache = true;
        return 0;
}

/* A JSON profile is compiled by libseccomp, which exports only to an fd. */
static int compile_json(const struct ward_config *c, struct ward_plan_seccomp *s,
                        struct ward_error *e)
{
        _cleanup_close_ int fd = memfd_create("ward-seccomp", MFD_CLOEXEC);
        int r;

        if (fd < 0)
                return ward_error_set(e, errno, "memfd_create() for the seccomp filter");
        if ((r = seccomp_json_export(c, fd, NULL, e)) < 0)
                return r;
        return seccomp_bpf_read_back(fd, &s->bpf, &s->bpf_len, e);
}

#define CACHE_MAX_FILES 256 /* beyond it the oldest go: each distinct [Seccomp] makes one */
#define CACHE_KEEP_FILES 192

static bool write_entry(int fd, const struct cache_header *h, const struct ward_plan_seccomp *s)
{
        return ward_write_all(fd, h, sizeof(*h)) == 0 &&
               ward_write_all(fd, s->bpf, s->bpf_len * sizeof(struct sock_filter)) == 0;
}

/* An unnamed file (O_TMPFILE) gets its name only once it is whole: a reader never sees half
 * a file, and a writer killed meanwhile leaves nothing behind. Linked under a private name
 * and renamed, as a file system without O_TMPFILE is written directly. */
static void store(int dirfd, const char *name, const struct cache_header *h,
                  const struct ward_plan_seccomp *s)
{
        char tmp[128], self[64];
        _cleanup_close_ int fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);

        snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
        if (fd >= 0) {
                snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
                if (write_entry(fd, h, s) &&
                    linkat(AT_FDCWD, self, dirfd, tmp, AT_SYMLINK_FOLLOW) == 0 &&
                    renameat(dirfd, tmp, dirfd, name) < 0)
                        unlinkat(dirfd, tmp, 0);
                return;
        }
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return;
        if (!write_entry(fd, h, s) || renameat(dirfd, tmp, dirfd, name) < 0)
                unlinkat(dirfd, tmp, 0);
}

struct cache_file {
        char name[64];
        struct timespec mtime;
};

static int by_age(const void *a, const void *b)
{
        const struct timespec *x = &((const struct cache_file *)a)->mtime;
        const struct timespec *y = &((const struct cache_file *)b)->mtime;

        return x->tv_sec != y->tv_sec ? (x->tv_sec < y->tv_sec ? -1 : 1)
                                      : (x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec);
}

/* A private name ".HASH.bpf.PID" whose writer is gone (killed by an older ward, which wrote
 * under that name directly). */
static bool stale_private_name(const char *name)
{
        const char *dot = strrchr(name, '.');
        char *end;
        long pid;

        if (name[0] != '.' || !dot || dot == name || !strstr(name, ".bpf."))
                return false;
        pid = strtol(dot + 1, &end, 10);
        return *end == '\0' && pid > 0 && pid != getpid() && kill((pid_t)pid, 0) < 0 &&
               errno == ESRCH;
}

/* Keep the cache bounded: stale private names go, and beyond CACHE_MAX_FILES entries the
 * oldest written (a hot entry that goes is compiled and written again). */
static void prune(int dirfd)
{
        _cleanup_free_ struct cache_file *files = NULL;
        size_t n = 0, cap = 0;
        int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent *de;
        struct stat st;
        DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;

        if (!dir) {
                if (dfd >= 0)
                        close(dfd);
                return;
        }
        while ((de = readdir(dir))) {
                size_t len = strlen(de->d_name);
                if (stale_private_name(de->d_name)) {
                        unlinkat(dirfd, de->d_name, 0);
                        continue;
                }
                if (len != 20 || strcmp(de->d_name + 16, ".bpf") != 0 ||
                    fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (n == cap) {
                        struct cache_file *more =
                            reallocarray(files, cap ? cap * 2 : 64, sizeof(*files));
                        if (!more)
                                break;
                        files = more;
                        cap = cap ? cap * 2 : 64;
                }
                snprintf(files[n].name, sizeof(files[n].name), "%s", de->d_name);
                files[n++].mtime = st.st_mtim;
        }
        closedir(dir);
        if (n <= CACHE_MAX_FILES)
                return;
        qsort(files, n, sizeof(*files), by_age);
        for (size_t i = 0; i < n - CACHE_KEEP_FILES; i++)
                unlinkat(dirfd, files[i].name, 0);
}

static int prepare_bpf(const struct ward_config *c, struct ward_plan_seccomp *s,
                       struct ward_error *e)
{
        struct ward_seccomp_plan plan;
        struct cache_header h;
        char name[64];
        _cleanup_close_ int dirfd = -1;
        int r;

        if (!c->seccomp.enabled || s->bpf)
                return 0;
        /* A JSON profile is compiled every time and never cached: the key would have to hold
         * the file's whole content (compared byte for byte, like the rest of the key) and
         * its path, and a user-supplied file is not the hot path ward's own allowlist is. */
        if (c->seccomp.json_path)
                return compile_json(c, s, e);
        /* No writable view of the cache reaches the sandbox: trust_check_not_exposed(). */
        if (key_for(c, &h.key) == 0) {
                cache_name(&h.key, name, sizeof(name));
                dirfd = open_cache_dir();
        }
        if (dirfd >= 0 && read_cached(dirfd, name, &h.key, s) == 0)
                return 0;
        if ((r = seccomp_plan_build(c, &plan, e)) < 0 ||
            (r = seccomp_plan_bpf(&plan, &s->bpf, &s->bpf_len, e)) < 0)
                return r;
        if (dirfd >= 0) {
                h.bpf_len = (uint32_t)s->bpf_len;
                h.pad = 0;
                store(dirfd, name, &h, s);
                prune(dirfd);
        }
        return 0;
}

int seccomp_cache_prepare(const struct ward_config *c, struct ward_plan *p, struct ward_error *e)
{
        int r;

        if ((r = prepare_bpf(c, &p->seccomp, e)) < 0)
                return r;
        if (c->seccomp.extra_bpf &&
            ((r = seccomp_check_init_needs(c, c->seccomp.extra_bpf, c->seccomp.extra_bpf_len,
                                           &c->seccomp.extra_origin, "linux.seccomp",
                                           "the bundle's linux.seccomp filter", e)) < 0 ||
             (r = seccomp_check_setup_needs(c, e)) < 0))
                return r;
        return p->seccomp.bpf
                   ? seccomp_check_filter_for_init(c, p->seccomp.bpf, p->seccomp.bpf_len, e)
                   : 0;
}
