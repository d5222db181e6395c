/* Landlock: the [Landlock] keys, the ruleset built from them, and restrict_self.
 *
 * Raw syscalls rather than a library: three calls and three structs, and the installed
 * uapi header is older than the kernels ward runs on. The ruleset handles every right the
 * running kernel's ABI offers, so that anything the profile does not grant is denied; the
 * rights of a newer ABI than ward knows are left unhandled (allowed), never guessed. */
#include "ward/landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ward/util.h"

/* Debian 12's linux-libc-dev stops at ABI 2. The values are the kernel's uapi
 * (include/uapi/linux/landlock.h), defined here only where the installed header lacks them. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0) /* ABI 4 */
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif
/* Rule types are enum members in the uapi header, so #ifndef cannot tell whether the
 * network one exists: use our own names for both. */
#define WARD_RULE_PATH_BENEATH 1
#define WARD_RULE_NET_PORT 2

/* The uapi structs at their ABI 6 size. The kernel zero-extends a shorter struct and accepts
 * a longer one whose extra fields are zero, so one layout serves every ABI. */
struct ward_ruleset_attr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net; /* ABI 4 */
        uint64_t scoped;             /* ABI 6 */
};

struct ward_path_beneath_attr {
        uint64_t allowed_access;
        int32_t parent_fd;
} __attribute__((packed));

struct ward_net_port_attr {
        uint64_t allowed_access;
        uint64_t port;
};

#define FS_ABI1 ((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1) /* EXECUTE .. MAKE_SYM */
#define FS_FILE_RIGHTS                                                                             \
        (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |                              \
         LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |                              \
         LANDLOCK_ACCESS_FS_IOCTL_DEV)
#define FS_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* Device nodes are never created, even in a ReadWrite= tree: nothing legitimate needs them
 * and every ward mount is nodev anyway. */
#define FS_READ_WRITE                                                                              \
        (~(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_MAKE_CHAR |                             \
           LANDLOCK_ACCESS_FS_MAKE_BLOCK))
#define FS_EXECUTE (FS_READ | LANDLOCK_ACCESS_FS_EXECUTE)

static const char *const list_keys[] = {"ReadOnly", "ReadWrite", "Execute"};

/* The character devices nearly every program opens; ward's /dev holds little else. */
static const struct {
        const char *path;
        uint64_t access;
} device_rules[] = {
    {"/dev/null", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE},
    {"/dev/zero", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE},
    {"/dev/full", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE},
    {"/dev/random", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE},
    {"/dev/urandom", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE},
    /* A terminal needs its ioctls (tcgetattr, TIOCGWINSZ). */
    {"/dev/tty",
     LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_IOCTL_DEV},
};

/* ------------------------------------------------------------------------------------- */
/* Rights per ABI                                                                        */

static int capped(int abi)
{
        return abi > WARD_LANDLOCK_ABI_MAX ? WARD_LANDLOCK_ABI_MAX : abi;
}

uint64_t landlock_handled_fs(int abi)
{
        uint64_t m = 0;

        abi = capped(abi);
        if (abi >= 1)
                m |= FS_ABI1;
        if (abi >= 2)
                m |= LANDLOCK_ACCESS_FS_REFER;
        if (abi >= 3)
                m |= LANDLOCK_ACCESS_FS_TRUNCATE;
        if (abi >= 5)
                m |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
        return m;
}

uint64_t landlock_handled_net(int abi)
{
        return capped(abi) >= 4 ? LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP
                                : 0;
}

uint64_t landlock_scoped(int abi)
{
        return capped(abi) >= 6 ? LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL : 0;
}

uint64_t landlock_list_access(enum ward_landlock_list list, int abi, bool is_dir)
{
        uint64_t m = list == WARD_LANDLOCK_READ_ONLY    ? FS_READ
                     : list == WARD_LANDLOCK_READ_WRITE ? FS_READ_WRITE
                                                        : FS_EXECUTE;

        m &= landlock_handled_fs(abi);
        return is_dir ? m : m & FS_FILE_RIGHTS;
}

int landlock_abi(void)
{
        long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

        /* ENOSYS: not built; EOPNOTSUPP: not in the lsm= boot list; EPERM: an outer seccomp
         * filter. All mean the same here: no Landlock to be had. */
        return v < 0 ? 0 : (int)v;
}

/* ------------------------------------------------------------------------------------- */
/* Profile keys                                                                          */

struct key_ctx {
        struct ward_landlock_config *l;
        const char *name; /* "Landlock.ReadOnly" */
        const char *value;
        const struct ward_origin *origin;
        struct ward_error *e;
};

static int bad_value(const struct key_ctx *k, const char *what, const char *why, const char *fix)
{
        ward_error_at(k->e, k->origin, k->name, 0, "invalid value \"%.256s\": %s", what, why);
        ward_error_hint(k->e, "%s", fix);
        return -EINVAL;
}

static int parse_mode(const struct key_ctx *k)
{
        bool on;

        if (strcmp(k->value, "try") == 0)
                k->l->mode = WARD_LANDLOCK_TRY;
        else if (ward_parse_bool(k->value, &on) == 0)
                k->l->mode = on ? WARD_LANDLOCK_ON : WARD_LANDLOCK_OFF;
        else
                return bad_value(k, k->value, "not yes, no or try",
                                 "use yes (required), no, or try (applied where the kernel "
                                 "has Landlock)");
        k->l->mode_set = true;
        k->l->origin = *k->origin;
        return 0;
}

static bool has_dotdot(const char *path)
{
        for (const char *p = path; (p = strstr(p, "..")); p += 2)
                if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
                        return true;
        return false;
}

static int check_path(const struct key_ctx *k, const char *path)
{
        if (path[0] != '/')
                return bad_value(k, path, "not an absolute path",
                                 "write the path as the sandbox sees it, from /");
        if (strlen(path) >= PATH_MAX)
                return bad_value(k, "(path)", "too long", "shorten the path");
        if (has_dotdot(path))
                return bad_value(k, path, "a \"..\" component is refused",
                                 "write the path without \"..\"");
        return 0;
}

static int parse_paths(const struct key_ctx *k, struct ward_path **list, size_t *n)
{
        _cleanup_free_ char *copy = strdup(k->value);
        char *save = NULL;
        int r;

        if (!copy)
                return ward_error_at(k->e, k->origin, k->name, ENOMEM, "out of memory");
        if (!*k->value) {
                config_clear_paths(list, n);
                return 0;
        }
        for (char *p = strtok_r(copy, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
                if ((r = check_path(k, p)) < 0)
                        return r;
                if (config_add_path(list, n, p, k->origin) < 0)
                        return ward_error_at(k->e, k->origin, k->name, ENOMEM, "out of memory");
        }
        return 0;
}

static int add_port(uint16_t **ports, size_t *n, uint16_t port)
{
        uint16_t *grown;

        for (size_t i = 0; i < *n; i++)
                if ((*ports)[i] == port)
                        return 0;
        if (!(grown = ward_grow(*ports, *n, sizeof(*grown))))
                return -ENOMEM;
        grown[(*n)++] = port;
        *ports = grown;
        return 0;
}

static int parse_ports(const struct key_ctx *k, uint16_t **ports, size_t *n, bool *any,
                       struct ward_origin *origin)
{
        _cleanup_free_ char *copy = strdup(k->value);
        char *save = NULL;

        if (!copy)
                return ward_error_at(k->e, k->origin, k->name, ENOMEM, "out of memory");
        *any = strcmp(k->value, "any") == 0;
        if (!*k->value || *any) {
                free(*ports);
                *ports = NULL;
                *n = 0;
        }
        for (char *p = *any ? NULL : strtok_r(copy, " \t,", &save); p;
             p = strtok_r(NULL, " \t,", &save)) {
                uint32_t port;
                if (ward_parse_u32(p, &port) < 0 || port > 65535)
                        return bad_value(k, p, "not a TCP port",
                                         "give port numbers from 0 to 65535, e.g. 80 443");
                if (add_port(ports, n, (uint16_t)port) < 0)
                        return ward_error_at(k->e, k->origin, k->name, ENOMEM, "out of memory");
        }
        *origin = *k->origin;
        return 0;
}

static int parse_list_key(const struct key_ctx *k, const char *key)
{
        struct ward_landlock_config *l = k->l;

        if (strcmp(key, "ReadOnly") == 0)
                return parse_paths(k, &l->read_only, &l->n_read_only);
        if (strcmp(key, "ReadWrite") == 0)
                return parse_paths(k, &l->read_write, &l->n_read_write);
        if (strcmp(key, "Execute") == 0)
                return parse_paths(k, &l->execute, &l->n_execute);
        if (strcmp(key, "BindTCP") == 0)
                return parse_ports(k, &l->bind_tcp, &l->n_bind_tcp, &l->bind_tcp_any,
                                   &l->bind_tcp_origin);
        if (strcmp(key, "ConnectTCP") == 0)
                return parse_ports(k, &l->connect_tcp, &l->n_connect_tcp, &l->connect_tcp_any,
                                   &l->connect_tcp_origin);
        ward_error_at(k->e, k->origin, k->name, 0, "unknown key \"%.64s\" in [Landlock]", key);
        ward_error_hint(k->e, "keys in [Landlock]: Landlock= ReadOnly= ReadWrite= Execute= "
                              "BindTCP= ConnectTCP=");
        return -EINVAL;
}

int landlock_parse_key(struct ward_config *c, const char *key, const char *value,
                       const struct ward_origin *origin, struct ward_error *e)
{
        char name[96];
        struct key_ctx k = {&c->landlock, name, value, origin, e};
        int r;

        snprintf(name, sizeof(name), "Landlock.%.64s", key);
        if (strcmp(key, "Landlock") == 0)
                return parse_mode(&k);
        if ((r = parse_list_key(&k, key)) < 0)
                return r;
        /* A rule asks for Landlock, unless a Landlock= line decided already (or later). */
        if (*value && !c->landlock.mode_set && c->landlock.mode == WARD_LANDLOCK_OFF) {
                c->landlock.mode = WARD_LANDLOCK_ON;
                c->landlock.origin = *origin;
        }
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Deciding                                                                              */

static int refuse(const struct ward_config *c, struct ward_error *e, int err, const char *why,
                  const char *fix)
{
        int r = ward_error_at(e, &c->landlock.origin, "Landlock.Landlock", err, "%s", why);

        ward_error_hint(e, "%s", fix);
        return r;
}

int landlock_decide(const struct ward_config *c, int abi, struct ward_error *e)
{
        const struct ward_landlock_config *l = &c->landlock;
        bool try = l->mode == WARD_LANDLOCK_TRY;
        /* landlock_restrict_self's own condition, as the process will be when it runs. */
        bool may_restrict = c->no_new_privs || (c->caps_keep & (1ULL << CAP_SYS_ADMIN));
        char why[256];

        if (l->mode == WARD_LANDLOCK_OFF)
                return 0;
        if (!l->n_execute)
                return refuse(c, e, 0,
                              "Landlock is on but Execute= is empty: nothing could be "
                              "executed, not even the command",
                              "list the command (and whatever it runs) in Landlock.Execute=");
        if (!may_restrict && try)
                return 0;
        if (!may_restrict)
                return refuse(c, e, EPERM,
                              "Landlock needs no_new_privs or CAP_SYS_ADMIN, and "
                              "NoNewPrivileges=no drops the first without keeping the second",
                              "set Process.NoNewPrivileges=yes, or Landlock=try to run without "
                              "Landlock");
        if (abi < 1 && try)
                return 0;
        if (abi < 1)
                return refuse(c, e, EOPNOTSUPP,
                              "Landlock is not available (ABI 0): the kernel was built without "
                              "it or booted without it in lsm=",
                              "enable Landlock (CONFIG_SECURITY_LANDLOCK, lsm=...,landlock), or "
                              "set Landlock=try to run without");
        if ((l->n_bind_tcp || l->n_connect_tcp) && abi < 4 && !try) {
                snprintf(why, sizeof(why),
                         "BindTCP= and ConnectTCP= need Landlock ABI 4 "
                         "(Linux 6.7); this kernel has ABI %d",
                         abi);
                return refuse(c, e, EOPNOTSUPP, why,
                              "remove the port lists, or set Landlock=try to apply the file "
                              "rules only");
        }
        return 1;
}

int landlock_validate(const struct ward_config *c, struct ward_error *e)
{
        int r = landlock_decide(c, c->landlock.mode == WARD_LANDLOCK_OFF ? 0 : landlock_abi(), e);

        return r < 0 ? r : 0;
}

/* ------------------------------------------------------------------------------------- */
/* Applying                                                                              */

static int add_path_rule(int ruleset, int fd, uint64_t access)
{
        struct ward_path_beneath_attr attr = {.allowed_access = access, .parent_fd = fd};

        if (!access) /* e.g. ReadWrite= on a file at ABI 1: nothing to grant */
                return 0;
        return syscall(SYS_landlock_add_rule, ruleset, WARD_RULE_PATH_BENEATH, &attr, 0) < 0
                   ? -errno
                   : 0;
}

static int open_rule_path(const struct ward_path *p, const char *key, bool *is_dir,
                          struct ward_error *e)
{
        /* After pivot_root "/" is the sandbox's root, and symlinks resolve inside it. */
        int fd = open(p->path, O_PATH | O_CLOEXEC);
        struct stat st;
        char name[64];

        snprintf(name, sizeof(name), "Landlock.%s", key);
        if (fd < 0 || fstat(fd, &st) < 0) {
                int err = errno;
                if (fd >= 0)
                        close(fd);
                ward_error_at(e, &p->origin, name, err, "cannot open %.256s in the sandbox",
                              p->path);
                ward_error_hint(e,
                                err == ENOENT ? "create it in the image (or mount it), or "
                                                "remove it from %s="
                                              : "check the path and its parents' modes in "
                                                "the image, or remove it from %s=",
                                key);
                return -err;
        }
        *is_dir = S_ISDIR(st.st_mode);
        return fd;
}

static int add_list_rules(int ruleset, int abi, enum ward_landlock_list list,
                          const struct ward_path *paths, size_t n, struct ward_error *e)
{
        for (size_t i = 0; i < n; i++) {
                bool is_dir = false;
                _cleanup_close_ int fd = open_rule_path(&paths[i], list_keys[list], &is_dir, e);
                int r;
                if (fd < 0)
                        return fd;
                r = add_path_rule(ruleset, fd, landlock_list_access(list, abi, is_dir));
                if (r < 0)
                        return ward_error_at(e, &paths[i].origin, "Landlock.Landlock", -r,
                                             "landlock_add_rule(%.256s)", paths[i].path);
        }
        return 0;
}

static int add_device_rules(int ruleset, int abi, struct ward_error *e)
{
        for (size_t i = 0; i < ARRAY_SIZE(device_rules); i++) {
                _cleanup_close_ int fd = open(device_rules[i].path, O_PATH | O_CLOEXEC);
                int r;
                if (fd < 0) /* a /dev without it (Root=/ keeps ward's own /dev, though) */
                        continue;
                r = add_path_rule(ruleset, fd, device_rules[i].access & landlock_handled_fs(abi));
                if (r < 0)
                        return ward_error_set(e, -r, "landlock_add_rule(%s)", device_rules[i].path);
        }
        return 0;
}

static int add_port_rules(int ruleset, uint64_t access, const uint16_t *ports, size_t n,
                          const struct ward_origin *origin, const char *key, struct ward_error *e)
{
        for (size_t i = 0; i < n; i++) {
                struct ward_net_port_attr attr = {.allowed_access = access, .port = ports[i]};
                if (syscall(SYS_landlock_add_rule, ruleset, WARD_RULE_NET_PORT, &attr, 0) < 0)
                        return ward_error_at(e, origin, key, errno, "landlock_add_rule(port %u)",
                                             (unsigned)ports[i]);
        }
        return 0;
}

static int add_rules(const struct ward_config *c, int ruleset, int abi, struct ward_error *e)
{
        const struct ward_landlock_config *l = &c->landlock;
        int r;

        if ((r = add_list_rules(ruleset, abi, WARD_LANDLOCK_READ_ONLY, l->read_only, l->n_read_only,
                                e)) < 0 ||
            (r = add_list_rules(ruleset, abi, WARD_LANDLOCK_READ_WRITE, l->read_write,
                                l->n_read_write, e)) < 0 ||
            (r = add_list_rules(ruleset, abi, WARD_LANDLOCK_EXECUTE, l->execute, l->n_execute, e)) <
                0)
                return r;
        if ((r = add_device_rules(ruleset, abi, e)) < 0)
                return r;
        /* Below ABI 4 (only reached with Landlock=try) TCP is not handled: nothing to add. */
        if (!landlock_handled_net(abi))
                return 0;
        if ((r = add_port_rules(ruleset, LANDLOCK_ACCESS_NET_BIND_TCP, l->bind_tcp, l->n_bind_tcp,
                                &l->bind_tcp_origin, "Landlock.BindTCP", e)) < 0)
                return r;
        return add_port_rules(ruleset, LANDLOCK_ACCESS_NET_CONNECT_TCP, l->connect_tcp,
                              l->n_connect_tcp, &l->connect_tcp_origin, "Landlock.ConnectTCP", e);
}

/* BindTCP=any / ConnectTCP=any: those rights are left unhandled, so the kernel allows them. */
static uint64_t unconfined_net(const struct ward_landlock_config *l)
{
        return (l->bind_tcp_any ? LANDLOCK_ACCESS_NET_BIND_TCP : 0) |
               (l->connect_tcp_any ? LANDLOCK_ACCESS_NET_CONNECT_TCP : 0);
}

int landlock_apply(const struct ward_config *c, struct ward_error *e)
{
        int abi = c->landlock.mode == WARD_LANDLOCK_OFF ? 0 : landlock_abi();
        struct ward_ruleset_attr attr = {
            .handled_access_fs = landlock_handled_fs(abi),
            .handled_access_net = landlock_handled_net(abi) & ~unconfined_net(&c->landlock),
            .scoped = landlock_scoped(abi),
        };
        _cleanup_close_ int ruleset = -1;
        int r = landlock_decide(c, abi, e);

        if (r <= 0)
                return r;
        ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
        if (ruleset < 0)
                return ward_error_at(e, &c->landlock.origin, "Landlock.Landlock", errno,
                                     "landlock_create_ruleset() with ABI %d", abi);
        if ((r = add_rules(c, ruleset, abi, e)) < 0)
                return r;
        /* no_new_privs is set already, or CAP_SYS_ADMIN is kept (landlock_decide checked). */
        if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
                return ward_error_at(e, &c->landlock.origin, "Landlock.Landlock", errno,
                                     "landlock_restrict_self()");
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Explaining                                                                            */

void landlock_format_ports(const uint16_t *ports, size_t n, char *buf, size_t len)
{
        size_t used = 0;

        snprintf(buf, len, "none");
        for (size_t i = 0; i < n && used < len; i++) {
                int w = snprintf(buf + used, len - used, "%s%u", i ? "," : "", (unsigned)ports[i]);
                if (w < 0)
                        break;
                used += (size_t)w;
        }
}

static void describe_applied(const struct ward_config *c, int abi, char *buf, size_t len)
{
        const struct ward_landlock_config *l = &c->landlock;
        char bind[256], connect[256], net[600];

        landlock_format_ports(l->bind_tcp, l->n_bind_tcp, bind, sizeof(bind));
        landlock_format_ports(l->connect_tcp, l->n_connect_tcp, connect, sizeof(connect));
        if (l->bind_tcp_any)
                snprintf(bind, sizeof(bind), "any port");
        if (l->connect_tcp_any)
                snprintf(connect, sizeof(connect), "any port");
        if (landlock_handled_net(abi))
                snprintf(net, sizeof(net), "TCP bind to %s, connect to %s", bind, connect);
        else
                snprintf(net, sizeof(net), "TCP NOT confined (needs ABI 4)");
        snprintf(buf, len,
                 "setup: Landlock ABI %d: ruleset with read-only %zu, read-write %zu, execute %zu "
                 "path(s) and /dev/null,zero,full,random,urandom,tty; everything else refused "
                 "(EACCES); %s; %s; restrict_self (after no_new_privs)",
                 abi, l->n_read_only, l->n_read_write, l->n_execute, net,
                 landlock_scoped(abi) ? "signals and abstract unix sockets scoped to the sandbox"
                                      : "signals NOT scoped (needs ABI 6)");
}

void landlock_describe(const struct ward_config *c, int abi, char *buf, size_t len)
{
        struct ward_error e;
        int r;

        memset(&e, 0, sizeof(e));
        r = landlock_decide(c, abi, &e);
        if (c->landlock.mode == WARD_LANDLOCK_OFF)
                snprintf(buf, len, "setup: no Landlock (Landlock=no, no [Landlock] rules)");
        else if (r < 0)
                snprintf(buf, len, "setup: Landlock REFUSED, ward run exits 125: %s", e.msg);
        else if (r == 0)
                snprintf(buf, len, "setup: Landlock NOT applied (Landlock=try): %s",
                         !c->no_new_privs ? "NoNewPrivileges=no and no CAP_SYS_ADMIN"
                                          : "the kernel has no Landlock (ABI 0)");
        else
                describe_applied(c, abi, buf, len);
}
