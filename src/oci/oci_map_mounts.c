/* config.json's mounts[]. Where ward's own fixed filesystem already provides a standard
 * mount (/proc, /dev, /dev/pts, /dev/shm, /sys), the mount is accepted only with options
 * that ward's mount meets or exceeds; the others become tmpfs, bind and mqueue mounts whose
 * origin names their JSON path, "mounts[3]", for the errors of mount.c (oci_map_internal.h). */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_map_internal.h"
#include "ward/util.h"

struct mount_opts {
        bool ro, rw, noexec, exec, bind, rbind;
        bool have_size, have_mode;
        uint64_t size;
        unsigned mode;
};

static bool in_list(const char *s, const char *const *list)
{
        for (size_t i = 0; list[i]; i++) {
                size_t n = strlen(list[i]);
                if (list[i][n - 1] == '=' ? strncmp(s, list[i], n) == 0 : strcmp(s, list[i]) == 0)
                        return true;
        }
        return false;
}

/* "65536k" (mount(8) spelling) or "64M". */
static int size_option(const char *v, uint64_t *out)
{
        return ward_parse_size(v, out);
}

static int parse_option(struct oci *x, const char *path, const char *o, struct mount_opts *m)
{
        if (strcmp(o, "ro") == 0)
                m->ro = true;
        else if (strcmp(o, "rw") == 0)
                m->rw = true;
        else if (strcmp(o, "noexec") == 0)
                m->noexec = true;
        else if (strcmp(o, "exec") == 0)
                m->exec = true;
        else if (strcmp(o, "bind") == 0)
                m->bind = true;
        else if (strcmp(o, "rbind") == 0)
                m->rbind = true;
        else if (strncmp(o, "size=", 5) == 0) {
                if (size_option(o + 5, &m->size) < 0)
                        return oci_bad(x, path, "\"%.64s\": not a size", o);
                m->have_size = true;
        } else if (strncmp(o, "mode=", 5) == 0) {
                if (ward_parse_mode(o + 5, &m->mode) < 0)
                        return oci_bad(x, path, "\"%.64s\": not an octal mode", o);
                m->have_mode = true;
        }
        return 0;
}

/* Options ward's mounts always have or that change no protection. */
static const char *const harmless[] = {"nosuid",      "nodev",   "noexec",   "relatime", "noatime",
                                       "strictatime", "private", "rprivate", NULL};

static int check_options(struct oci *x, const char *path, json_t *arr, const char *const *extra,
                         struct mount_opts *m)
{
        struct ward_json_elem el;
        char p[PATH_LEN];
        const char *s;
        int r;

        memset(m, 0, sizeof(*m));
        if (!arr)
                return 0;
        ward_json_path(p, sizeof(p), "%s.options", path);
        if ((r = oci_want(x, p, arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, p, &el)
        {
                if ((r = oci_get_string(x, el.path, el.v, &s)) < 0)
                        return r;
                if (!in_list(s, harmless) && !in_list(s, extra))
                        return oci_unsupported(x, el.path, "this mount option");
                if ((r = parse_option(x, el.path, s, m)) < 0)
                        return r;
        }
        return 0;
}

/* The mounts ward makes itself, accepted with the options its own meet. */
static const struct standard_mount {
        enum ward_fixed_mount which;
        const char *destination, *type;
        const char *const options[8];
} standard[] = {
    {WARD_FIXED_PROC, "/proc", "proc", {NULL}},
    {WARD_FIXED_DEV, "/dev", "tmpfs", {"mode=", "size=", NULL}},
    {WARD_FIXED_DEVPTS,
     "/dev/pts",
     "devpts",
     {"newinstance", "ptmxmode=0666", "mode=0620", "mode=620", "gid=", NULL}},
    {WARD_FIXED_SHM, "/dev/shm", "tmpfs", {"mode=1777", "size=", NULL}},
    /* or a bind of the host's: host_sys_bind */
    {WARD_FIXED_SYS, "/sys", "sysfs", {"ro", "rbind", "bind", NULL}},
};

/* fsconfig(2) takes at most 256 bytes with the NUL for a string value. */
#define FS_SOURCE_MAX 255

/* A non-bind mount's "source": the name /proc/self/mountinfo shows for it, as runtimes
 * mount it (runtimetest compares it). *out is NULL when absent or empty. */
static int fs_source(struct oci *x, const char *path, json_t *m, const char **out)
{
        json_t *v = json_object_get(m, "source");
        char p[PATH_LEN];
        int r;

        *out = NULL;
        if (!v)
                return 0;
        ward_json_path(p, sizeof(p), "%s.source", path);
        if ((r = oci_get_string(x, p, v, out)) < 0)
                return r;
        if (strlen(*out) > FS_SOURCE_MAX)
                return oci_bad(x, p, "longer than the kernel's %d bytes", FS_SOURCE_MAX);
        if (!(*out)[0])
                *out = NULL;
        return 0;
}

/* Without a network namespace of its own the sandbox cannot mount sysfs, and ward binds the
 * host's /sys read-only instead: that is how runtimes (and `ward spec --network host`)
 * write it, and it means the same /sys ward makes. */
static bool host_sys_bind(const struct standard_mount *s, const char *type, json_t *m)
{
        json_t *src = json_object_get(m, "source");

        return strcmp(s->destination, "/sys") == 0 && strcmp(type, "bind") == 0 &&
               json_is_string(src) && strcmp(json_string_value(src), "/sys") == 0;
}

/* Where the config lists it and its source, for mount.c. A bind of the host's /sys keeps
 * the host's source: it is that mount. Ward makes each once: a second listing ("/dev/."
 * after "/dev") moves nothing, or the mounts between would go under it. */
static int record_fixed(struct oci *x, const char *path, const struct standard_mount *s, json_t *m,
                        bool own_source)
{
        struct ward_fixed *f = &x->c->fixed[s->which];
        const char *src = NULL;
        int r;

        if (own_source && (r = fs_source(x, path, m, &src)) < 0)
                return r;
        if (f->listed)
                return 0;
        if (src && !(f->source = strdup(src)))
                return oci_nomem(x);
        f->after = x->c->n_mounts;
        f->listed = true;
        return 0;
}

static int map_standard(struct oci *x, const char *path, const struct standard_mount *s, json_t *m)
{
        struct mount_opts o;
        const char *type;
        char p[PATH_LEN];
        int r;

        ward_json_path(p, sizeof(p), "%s.type", path);
        if (!json_object_get(m, "type"))
                return oci_bad(x, p, "missing");
        if ((r = oci_get_string(x, p, json_object_get(m, "type"), &type)) < 0)
                return r;
        if (strcmp(type, s->type) != 0 && !host_sys_bind(s, type, m))
                return oci_unsupported(x, p, "ward mounts its own filesystem at this place");
        if ((r = check_options(x, path, json_object_get(m, "options"), s->options, &o)) < 0)
                return r;
        if (strcmp(type, "bind") == 0 && !o.ro)
                return oci_unsupported(x, path, "a writable /sys (ward's is read-only)");
        return record_fixed(x, path, s, m, strcmp(type, "bind") != 0);
}

/* Add w, its origin naming the mount's JSON path (path). */
static int add_mount(struct oci *x, const char *path, struct ward_mount *w)
{
        int r = oci_origin_at(x, path, &w->origin);

        if (r < 0)
                return r;
        return config_add_mount(x->c, w) < 0 ? oci_nomem(x) : 0;
}

static int map_tmpfs(struct oci *x, const char *path, const char *dest, json_t *m)
{
        static const char *const extra[] = {"rw", "exec", "mode=", "size=", NULL};
        struct ward_mount w = {.kind = WARD_MOUNT_TMPFS};
        struct mount_opts o;
        const char *src;
        int r;

        if ((r = check_options(x, path, json_object_get(m, "options"), extra, &o)) < 0)
                return r;
        w.target = (char *)dest;
        w.writable = true;
        w.exec = !o.noexec;
        w.size_bytes = o.have_size ? o.size : 0;
        w.mode = o.have_mode ? o.mode : 01777;
        if (o.have_size && o.size == 0)
                return oci_bad(x, path, "size=0 is an unlimited tmpfs; give a size");
        if ((r = fs_source(x, path, m, &src)) < 0)
                return r;
        w.source = (char *)src; /* config_add_mount() copies it */
        return add_mount(x, path, &w);
}

static int map_bind(struct oci *x, const char *path, const char *dest, json_t *m)
{
        static const char *const extra[] = {"ro", "rw", "bind", "rbind", NULL};
        struct ward_mount w = {.kind = WARD_MOUNT_BIND};
        char p[PATH_LEN], full[PATH_MAX * 2];
        struct mount_opts o;
        const char *src;
        int r;

        ward_json_path(p, sizeof(p), "%s.source", path);
        if ((r = check_options(x, path, json_object_get(m, "options"), extra, &o)) < 0)
                return r;
        if (!json_object_get(m, "source"))
                return oci_bad(x, p, "missing");
        if ((r = oci_get_string(x, p, json_object_get(m, "source"), &src)) < 0)
                return r;
        if (!o.rbind) {
                ward_json_path(p, sizeof(p), "%s.options", path);
                return oci_unsupported(x, p,
                                       "a non-recursive bind (ward binds with submounts: "
                                       "write rbind)");
        }
        snprintf(full, sizeof(full), "%s%s%s", src[0] == '/' ? "" : x->dir,
                 src[0] == '/' ? "" : "/", src);
        w.source = full;
        w.target = (char *)dest;
        w.writable = !o.ro;
        w.noexec = o.noexec;
        return add_mount(x, path, &w);
}

static int map_mqueue(struct oci *x, const char *path, const char *dest, json_t *m)
{
        struct ward_mount w = {.kind = WARD_MOUNT_MQUEUE};
        struct mount_opts o;
        const char *src;
        int r;

        if ((r = check_options(x, path, json_object_get(m, "options"),
                               (const char *const[]){"rw", NULL}, &o)) < 0)
                return r;
        if ((r = fs_source(x, path, m, &src)) < 0)
                return r;
        w.source = (char *)src; /* config_add_mount() copies it */
        w.target = (char *)dest;
        return add_mount(x, path, &w);
}

static bool is_bind(json_t *m, const char *type)
{
        json_t *opts = json_object_get(m, "options"), *v;
        size_t i;

        if (strcmp(type, "bind") == 0)
                return true;
        json_array_foreach(opts, i, v)
        {
                if (json_is_string(v) && (strcmp(json_string_value(v), "bind") == 0 ||
                                          strcmp(json_string_value(v), "rbind") == 0))
                        return true;
        }
        return false;
}

static int map_mount(struct oci *x, const char *path, json_t *m)
{
        static const char *const keys[] = {"destination", "type", "source", "options", NULL};
        const char *raw, *type = "";
        char p[PATH_LEN], dest[PATH_MAX];
        int r;

        if ((r = oci_want(x, path, m, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, path, m, keys)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.destination", path);
        if (!json_object_get(m, "destination"))
                return oci_bad(x, p, "missing");
        /* Normalized before the comparisons below and mount.c's: "/./proc" is /proc. */
        if ((r = oci_get_string(x, p, json_object_get(m, "destination"), &raw)) < 0 ||
            (r = oci_sandbox_path(x, p, raw, dest)) < 0)
                return r;
        for (size_t i = 0; i < ARRAY_SIZE(standard); i++)
                if (strcmp(dest, standard[i].destination) == 0)
                        return map_standard(x, path, &standard[i], m);
        ward_json_path(p, sizeof(p), "%s.type", path);
        if (json_object_get(m, "type") &&
            (r = oci_get_string(x, p, json_object_get(m, "type"), &type)) < 0)
                return r;
        if (json_object_get(m, "options") &&
            (r = oci_want(x, path, json_object_get(m, "options"), JSON_ARRAY)) < 0)
                return r;
        if (is_bind(m, type))
                return map_bind(x, path, dest, m);
        if (strcmp(type, "tmpfs") == 0)
                return map_tmpfs(x, path, dest, m);
        if (strcmp(type, "mqueue") == 0 && strcmp(dest, "/dev/mqueue") == 0) {
                if (!(x->c->unshare_flags & CLONE_NEWIPC))
                        return oci_unsupported(x, path,
                                               "an mqueue without an ipc namespace would "
                                               "show the host's message queues");
                return map_mqueue(x, path, dest, m);
        }
        return oci_unsupported(x, p,
                               type[0] ? "this filesystem type here (ward mounts tmpfs, "
                                         "rbind, and mqueue on /dev/mqueue)"
                                       : "a mount without a type");
}

int oci_map_mounts(struct oci *x, json_t *arr)
{
        struct ward_json_elem el;
        int r;

        if (!arr)
                return 0;
        if ((r = oci_want(x, "mounts", arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, "mounts", &el)
        {
                if ((r = map_mount(x, el.path, el.v)) < 0)
                        return r;
        }
        return 0;
}
