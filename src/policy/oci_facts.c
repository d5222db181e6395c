/* The policy's facts from an OCI config.json, read with jansson (see oci_facts.h). */
#include "ward/oci_facts.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/json_util.h"
#include "ward/oci_norm.h"
#include "ward/util.h"

/* ------------------------------------------------------------------------------------- */
/* Reading                                                                               */

static int read_bounded(int fd, const char *name, char **out, size_t *len, struct ward_error *e)
{
        int r = ward_read_fd_bounded(fd, WARD_OCI_JSON_MAX_SIZE, out, len);

        if (r == -EFBIG) {
                ward_error_set(e, EFBIG, "larger than %d bytes", WARD_OCI_JSON_MAX_SIZE);
                ward_error_hint(e, "an OCI document this large is not a real one; check its "
                                   "source");
        } else if (r < 0) {
                ward_error_set(e, -r, r == -ENOMEM ? "out of memory" : "cannot read");
        }
        if (r < 0)
                snprintf(e->where, sizeof(e->where), "%.300s", name);
        return r;
}

int oci_json_read_fd(int fd, const char *name, json_t **out, struct ward_error *e)
{
        _cleanup_free_ char *buf = NULL;
        json_error_t err;
        size_t len = 0;
        int r;

        if ((r = read_bounded(fd, name, &buf, &len, e)) < 0)
                return r;
        /* Duplicate keys are refused: two readers could each believe a different one.
         * Integers are read as doubles so that a uint64 rlimit does not fail the parse. */
        *out = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &err);
        if (!*out) {
                ward_error_set(e, 0, "invalid JSON: %.300s", err.text);
                snprintf(e->where, sizeof(e->where), "%.280s:%d:%d", name, err.line, err.column);
                ward_error_hint(e, "fix the JSON at that line and column");
                return -EINVAL;
        }
        if (!json_is_object(*out)) {
                json_decref(*out);
                *out = NULL;
                ward_error_set(e, 0, "the top level is not a JSON object");
                snprintf(e->where, sizeof(e->where), "%.300s", name);
                return -EINVAL;
        }
        return 0;
}

static int load_fd(int fd, const char *name, json_t **out, struct ward_error *e)
{
        struct stat st;

        if (fstat(fd, &st) < 0)
                return ward_error_set(e, errno, "cannot stat %.300s", name);
        if (!S_ISREG(st.st_mode))
                return ward_error_set(e, 0, "%.300s is not a regular file", name);
        if (st.st_size > WARD_OCI_JSON_MAX_SIZE) {
                ward_error_set(e, EFBIG, "larger than %d bytes", WARD_OCI_JSON_MAX_SIZE);
                snprintf(e->where, sizeof(e->where), "%.300s", name);
                return -EFBIG;
        }
        return oci_json_read_fd(fd, name, out, e);
}

/* A device is refused before it is opened (its driver's open may act), not after (util.h). */
static int open_error(const char *name, int r, struct ward_error *e)
{
        if (r == -EINVAL)
                return ward_error_set(e, 0, "%.300s is not a regular file", name);
        if (r == -EFBIG) {
                ward_error_set(e, EFBIG, "larger than %d bytes", WARD_OCI_JSON_MAX_SIZE);
                snprintf(e->where, sizeof(e->where), "%.300s", name);
                return -EFBIG;
        }
        return ward_error_set(e, -r, "cannot open %.300s", name);
}

int oci_json_load_file(const char *path, json_t **out, struct ward_error *e)
{
        _cleanup_close_ int fd = ward_open_regular(path, WARD_OCI_JSON_MAX_SIZE);

        if (fd < 0)
                return open_error(path, fd, e);
        return load_fd(fd, path, out, e);
}

int oci_json_load_at(int dirfd, const char *name, const char *display, json_t **out,
                     struct ward_error *e)
{
        const uint64_t resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
        _cleanup_close_ int fd =
            ward_open_regular_at(dirfd, name, O_NOFOLLOW, resolve, WARD_OCI_JSON_MAX_SIZE);

        if (fd == -ENOSYS)
                fd = ward_open_regular_at(dirfd, name, O_NOFOLLOW, 0, WARD_OCI_JSON_MAX_SIZE);
        if (fd < 0) {
                int err = -fd, r = open_error(display, fd, e);
                if (err == ELOOP || err == EXDEV)
                        ward_error_hint(e, "it is a symbolic link, which ward does not follow");
                return r;
        }
        return load_fd(fd, display, out, e);
}

/* ------------------------------------------------------------------------------------- */
/* Typed access, with the JSON path in every error                                       */

struct reader {
        const char *name; /* the file, for messages */
        struct ward_facts *f;
        struct ward_error *e;
        const struct oci_host *host; /* NULL: nothing is resolved on the host */
        int sysfs;                   /* the standard /sys: 0 none, 1 read-only, 2 writable */
};

static const char *type_name(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_OBJECT:
                return "an object";
        case JSON_ARRAY:
                return "an array";
        case JSON_STRING:
                return "a string";
        case JSON_INTEGER:
        case JSON_REAL:
                return "a number";
        case JSON_TRUE:
        case JSON_FALSE:
                return "a boolean";
        case JSON_NULL:
                return "null";
        }
        return "?";
}

static int wrong_type(struct reader *rd, const char *path, const json_t *v, const char *want)
{
        ward_error_set(rd->e, 0, "expected %s, got %s", want, type_name(v));
        snprintf(rd->e->where, sizeof(rd->e->where), "%.300s", rd->name);
        snprintf(rd->e->key, sizeof(rd->e->key), "%.90s", path);
        ward_error_hint(rd->e, "see the OCI runtime spec (config.md) for this field");
        return -EINVAL;
}

static int bad_value(struct reader *rd, const char *path, const char *why)
{
        ward_error_set(rd->e, 0, "%s", why);
        snprintf(rd->e->where, sizeof(rd->e->where), "%.300s", rd->name);
        snprintf(rd->e->key, sizeof(rd->e->key), "%.90s", path);
        return -EINVAL;
}

enum want { W_OBJECT, W_ARRAY, W_STRING, W_BOOL, W_NUMBER };

static bool has_type(const json_t *v, enum want w)
{
        switch (w) {
        case W_OBJECT:
                return json_is_object(v);
        case W_ARRAY:
                return json_is_array(v);
        case W_STRING:
                return json_is_string(v);
        case W_BOOL:
                return json_is_boolean(v);
        case W_NUMBER:
                return json_is_number(v);
        }
        return false;
}

static const char *want_name(enum want w)
{
        static const char *const names[] = {"an object", "an array", "a string", "a boolean",
                                            "a number"};
        return names[w];
}

/* *out = obj[key] (NULL when absent or null); an error when present with another type. */
static int field(struct reader *rd, const json_t *obj, const char *parent, const char *key,
                 enum want w, json_t **out)
{
        json_t *v = obj ? json_object_get(obj, key) : NULL;
        char path[128];

        *out = NULL;
        if (!v || json_is_null(v))
                return 0;
        if (!has_type(v, w)) {
                snprintf(path, sizeof(path), "%s%s%s", parent, parent[0] ? "." : "", key);
                return wrong_type(rd, path, v, want_name(w));
        }
        *out = v;
        return 0;
}

/* An array element (at path "BASE[i]") of type w. */
static int element(struct reader *rd, const json_t *v, const char *path, enum want w)
{
        return has_type(v, w) ? 0 : wrong_type(rd, path, v, want_name(w));
}

/* A non-negative number as uint64; values beyond 2^63 count as "no limit" (UINT64_MAX). */
static uint64_t as_u64(const json_t *v)
{
        double d = json_number_value(v);

        if (!(d > 0) || isnan(d))
                return 0;
        if (d >= 9223372036854775808.0)
                return UINT64_MAX;
        return (uint64_t)d;
}

static int string_list(struct reader *rd, const json_t *arr, const char *path, char ***list,
                       size_t *n)
{
        struct ward_json_elem el;

        ward_json_foreach(arr, path, &el)
        {
                if (element(rd, el.v, el.path, W_STRING) < 0)
                        return -EINVAL;
                _cleanup_free_ char *copy = strdup(json_string_value(el.v));
                if (!copy)
                        return ward_error_set(rd->e, ENOMEM, "out of memory");
                policy_normalize_path(copy);
                if (config_add_string(list, n, copy) < 0)
                        return ward_error_set(rd->e, ENOMEM, "out of memory");
        }
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* process                                                                               */

static int read_caps(struct reader *rd, const json_t *process)
{
        static const char *const sets[] = {"bounding", "effective", "inheritable", "permitted",
                                           "ambient"};
        struct ward_json_elem el;
        json_t *caps, *arr;
        char path[96];
        int cap;

        if (field(rd, process, "process", "capabilities", W_OBJECT, &caps) < 0)
                return -EINVAL;
        for (size_t s = 0; caps && s < ARRAY_SIZE(sets); s++) {
                if (field(rd, caps, "process.capabilities", sets[s], W_ARRAY, &arr) < 0)
                        return -EINVAL;
                snprintf(path, sizeof(path), "process.capabilities.%s", sets[s]);
                ward_json_foreach(arr, path, &el)
                {
                        if (element(rd, el.v, el.path, W_STRING) < 0)
                                return -EINVAL;
                        /* Unknown names are refused: a check must not skip what it cannot
                         * read (runtimes refuse them too). */
                        if (caps_from_name(json_string_value(el.v), &cap) < 0)
                                return bad_value(rd, el.path, "unknown capability");
                        rd->f->caps |= UINT64_C(1) << cap;
                }
        }
        return 0;
}

static int read_rlimits(struct reader *rd, const json_t *process)
{
        struct ward_json_elem el;
        json_t *arr, *type, *hard;

        if (field(rd, process, "process", "rlimits", W_ARRAY, &arr) < 0)
                return -EINVAL;
        ward_json_foreach(arr, "process.rlimits", &el)
        {
                if (element(rd, el.v, el.path, W_OBJECT) < 0 ||
                    field(rd, el.v, el.path, "type", W_STRING, &type) < 0 ||
                    field(rd, el.v, el.path, "hard", W_NUMBER, &hard) < 0)
                        return -EINVAL;
                if (!type || !hard)
                        continue;
                uint64_t h = as_u64(hard);
                rlim_t lim = h == UINT64_MAX ? RLIM_INFINITY : (rlim_t)h;
                if (strcmp(json_string_value(type), "RLIMIT_NOFILE") == 0)
                        rd->f->nofile = lim;
                else if (strcmp(json_string_value(type), "RLIMIT_NPROC") == 0)
                        rd->f->nproc = lim;
        }
        return 0;
}

/* SELinux types that are not confined: super-privileged and unconfined containers. */
static bool selinux_type_unconfined(const char *label)
{
        return strstr(label, ":spc_t") || strstr(label, ":unconfined_t") ||
               strcmp(label, "disable") == 0;
}

static int read_process(struct reader *rd, const json_t *config)
{
        json_t *process, *user, *uid, *nnp, *aa, *se;

        if (field(rd, config, "", "process", W_OBJECT, &process) < 0 ||
            field(rd, process, "process", "user", W_OBJECT, &user) < 0 ||
            field(rd, user, "process.user", "uid", W_NUMBER, &uid) < 0 ||
            field(rd, process, "process", "noNewPrivileges", W_BOOL, &nnp) < 0 ||
            field(rd, process, "process", "apparmorProfile", W_STRING, &aa) < 0 ||
            field(rd, process, "process", "selinuxLabel", W_STRING, &se) < 0)
                return -EINVAL;
        rd->f->root_inside = !uid || as_u64(uid) == 0; /* the spec's default uid is 0 */
        rd->f->no_new_privs = nnp && json_is_true(nnp);
        rd->f->apparmor_unconfined = aa && strcmp(json_string_value(aa), "unconfined") == 0;
        rd->f->selinux_unconfined = se && selinux_type_unconfined(json_string_value(se));
        if (read_caps(rd, process) < 0)
                return -EINVAL;
        return read_rlimits(rd, process);
}

/* ------------------------------------------------------------------------------------- */
/* root and mounts                                                                       */

static int oom(struct reader *rd)
{
        return ward_error_set(rd->e, ENOMEM, "out of memory");
}

/* A host path as the runtime reaches it (oci_norm.h); bad_value when it cannot be held. */
static int resolve(struct reader *rd, const char *where, const char *path, char *out, size_t len)
{
        bool existed;

        if (oci_path_resolve(rd->host, path, out, len, &existed) < 0)
                return bad_value(rd, where, "path too long");
        return 0;
}

static int add_host_mount(struct reader *rd, const char *where, const char *source,
                          const char *dest, bool writable, enum ward_mount_via via)
{
        char real[OCI_PATH_MAX];

        if (resolve(rd, where, source, real, sizeof(real)) < 0)
                return -EINVAL;
        if (policy_facts_add_mount_via(rd->f, real, dest, writable, via) < 0)
                return oom(rd);
        return 0;
}

/* Kernel filesystems: each shows the kernel's own tunables or objects. The standard places
 * are where runtimes mount them and where the masked and read-only paths apply. */
static bool kernel_fs_standard(const char *type, const char *dest, bool *kernel)
{
        static const struct {
                const char *type, *dest;
        } fs[] = {
            {"proc", "/proc"},
            {"sysfs", "/sys"},
            {"cgroup", "/sys/fs/cgroup"},
            {"cgroup2", "/sys/fs/cgroup"},
            {"securityfs", NULL},
            {"debugfs", NULL},
            {"tracefs", NULL},
            {"bpf", NULL},
            {"configfs", NULL},
            {"efivarfs", NULL},
            {"binfmt_misc", NULL},
            {"pstore", NULL},
            {"fusectl", NULL},
            {"hugetlbfs", NULL},
            {"nsfs", NULL},
        };

        *kernel = false;
        for (size_t i = 0; i < ARRAY_SIZE(fs); i++)
                if (strcmp(type, fs[i].type) == 0) {
                        *kernel = true;
                        return fs[i].dest && strcmp(dest, fs[i].dest) == 0;
                }
        /* cgroup v1 hierarchies below /sys/fs/cgroup are standard too. */
        return false;
}

static int add_kernel_fs(struct reader *rd, const char *type, const char *dest)
{
        char what[OCI_PATH_MAX + 64];

        snprintf(what, sizeof(what), "%s at %s", type, dest);
        if (config_add_string(&rd->f->kernel_fs, &rd->f->n_kernel_fs, what) < 0)
                return oom(rd);
        return 0;
}

static int read_overlay(struct reader *rd, const char *p, const char *const *o, size_t n,
                        const char *dest)
{
        char *layers[64];
        bool writable[64];
        int count = oci_overlay_layers(o, n, layers, writable, ARRAY_SIZE(layers)), r = 0;

        if (count == -E2BIG)
                return bad_value(rd, p, "an overlay mount of more than 64 layers");
        if (count < 0)
                return oom(rd);
        for (int i = 0; i < count; i++) {
                if (r == 0)
                        r = add_host_mount(rd, p, layers[i], dest, writable[i], WARD_VIA_OVERLAY);
                free(layers[i]);
        }
        return r;
}

/* Types whose source is no host path: a fresh instance of a virtual filesystem. */
static bool fs_without_source(const char *type)
{
        static const char *const types[] = {"tmpfs", "devpts", "mqueue", "shm", "ramfs", "none"};

        for (size_t i = 0; i < ARRAY_SIZE(types); i++)
                if (strcmp(type, types[i]) == 0)
                        return true;
        return false;
}

/* One mount as the runtime will do it: options in order, a "bind" option makes a bind
 * whatever the type says; a type ward cannot read with a host path as its source is judged
 * as a bind of that path, the worst it can be. */
static int classify_mount(struct reader *rd, const char *p, const char *t, const char *src,
                          const char *d, const char *const *o, size_t n)
{
        struct oci_mount_opts mo;
        bool kernel;

        oci_mount_options(o, n, &mo);
        if (mo.bind || strcmp(t, "bind") == 0)
                return src ? add_host_mount(rd, p, src, d, !mo.ro, WARD_VIA_BIND) : 0;
        if (strcmp(t, "devtmpfs") == 0) {
                /* The kernel's device filesystem: every device of the host. */
                if (config_add_string(&rd->f->devices, &rd->f->n_devices, "devtmpfs") < 0)
                        return oom(rd);
                return 0;
        }
        if (strcmp(t, "overlay") == 0)
                return read_overlay(rd, p, o, n, d);
        if (!kernel_fs_standard(t, d, &kernel) && kernel)
                return add_kernel_fs(rd, t, d);
        if (kernel && strcmp(t, "sysfs") == 0)
                rd->sysfs = mo.ro ? 1 : 2; /* judged with the network namespace */
        /* Any other type with a source is read as a bind of that source, relative to the
         * bundle as mount(2) would take it: the worst it can be. */
        if (kernel || fs_without_source(t) || !src)
                return 0;
        return add_host_mount(rd, p, src, d, !mo.ro, WARD_VIA_BIND);
}

static int read_mount(struct reader *rd, const char *p, const json_t *m)
{
        json_t *dest, *type, *src, *opts;
        struct ward_json_elem el;
        char opts_path[96], d[OCI_PATH_MAX];
        const char *o[256];
        size_t n = 0;

        if (element(rd, m, p, W_OBJECT) < 0 ||
            field(rd, m, p, "destination", W_STRING, &dest) < 0 ||
            field(rd, m, p, "type", W_STRING, &type) < 0 ||
            field(rd, m, p, "source", W_STRING, &src) < 0 ||
            field(rd, m, p, "options", W_ARRAY, &opts) < 0)
                return -EINVAL;
        ward_json_path(opts_path, sizeof(opts_path), "%s.options", p);
        ward_json_foreach(opts, opts_path, &el)
        {
                if (element(rd, el.v, el.path, W_STRING) < 0)
                        return -EINVAL;
                if (n == ARRAY_SIZE(o))
                        return bad_value(rd, opts_path, "more than 256 options");
                o[n++] = json_string_value(el.v);
        }
        /* The destination is inside the container: by name only. */
        if (oci_path_lexical("/", dest ? json_string_value(dest) : "", d, sizeof(d)) < 0)
                return bad_value(rd, p, "destination too long");
        return classify_mount(rd, p, type ? json_string_value(type) : "",
                              src ? json_string_value(src) : NULL, d, o, n);
}

/* root.path is the host directory the container gets as its /: the host's own / is every
 * host file, as a bind of / would be. */
static int read_root(struct reader *rd, const json_t *root, bool writable)
{
        json_t *path;
        char real[OCI_PATH_MAX];

        if (field(rd, root, "root", "path", W_STRING, &path) < 0)
                return -EINVAL;
        if (!path)
                return 0;
        if (resolve(rd, "root.path", json_string_value(path), real, sizeof(real)) < 0)
                return -EINVAL;
        if (strcmp(real, "/") != 0)
                return 0;
        if (policy_facts_add_mount_via(rd->f, real, "/", writable, WARD_VIA_ROOT) < 0)
                return oom(rd);
        return 0;
}

static int read_root_and_mounts(struct reader *rd, const json_t *config)
{
        struct ward_json_elem el;
        json_t *root, *ro, *mounts;

        if (field(rd, config, "", "root", W_OBJECT, &root) < 0 ||
            field(rd, root, "root", "readonly", W_BOOL, &ro) < 0 ||
            field(rd, config, "", "mounts", W_ARRAY, &mounts) < 0)
                return -EINVAL;
        rd->f->read_only_root = ro && json_is_true(ro);
        if (read_root(rd, root, !rd->f->read_only_root) < 0)
                return -EINVAL;
        ward_json_foreach(mounts, "mounts", &el)
        {
                if (read_mount(rd, el.path, el.v) < 0)
                        return -EINVAL;
        }
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* linux                                                                                 */

static int ns_index(const char *type)
{
        static const char *const names[] = {"user", "pid",   "network", "ipc",
                                            "uts",  "mount", "cgroup"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (strcmp(type, names[i]) == 0)
                        return (int)i;
        return -1;
}

/* A namespace that is not listed is the runtime's own, i.e. the host's. A listed one with a
 * path joins the namespace the path names: the host's own when it is /proc/1/ns/TYPE's (or
 * the hook's own); another one otherwise, which the sandbox shares with its maker. */
static int read_namespaces(struct reader *rd, const json_t *linux_)
{
        static const char *const proc_names[] = {"user", "pid", "net",   "ipc",
                                                 "uts",  "mnt", "cgroup"};
        struct ward_json_elem el;
        json_t *arr, *type, *path;

        for (int n = 0; n < WARD_NS_COUNT; n++)
                rd->f->host_ns[n] = true;
        if (field(rd, linux_, "linux", "namespaces", W_ARRAY, &arr) < 0)
                return -EINVAL;
        ward_json_foreach(arr, "linux.namespaces", &el)
        {
                if (element(rd, el.v, el.path, W_OBJECT) < 0 ||
                    field(rd, el.v, el.path, "type", W_STRING, &type) < 0 ||
                    field(rd, el.v, el.path, "path", W_STRING, &path) < 0)
                        return -EINVAL;
                int n = type ? ns_index(json_string_value(type)) : -1;
                if (n < 0)
                        continue;
                free(rd->f->ns_joined[n]);
                rd->f->ns_joined[n] = NULL;
                rd->f->ns_joined_other[n] = false;
                rd->f->host_ns[n] = false;
                if (!path)
                        continue;
                /* Any path is a shared namespace (W026), the host's own is also that
                 * host namespace's rule. */
                static const char *const whose[] = {[OCI_NS_HOST] = " (the host's)",
                                                    [OCI_NS_JOINED] = "",
                                                    [OCI_NS_UNKNOWN] = " (not found)"};
                const char *p = json_string_value(path);
                enum oci_ns_kind k = oci_ns_classify(rd->host, p, proc_names[n]);
                rd->f->host_ns[n] = k == OCI_NS_HOST;
                rd->f->ns_joined_other[n] = k == OCI_NS_JOINED;
                if (asprintf(&rd->f->ns_joined[n], "%s%s", p, whose[k]) < 0) {
                        rd->f->ns_joined[n] = NULL;
                        return oom(rd);
                }
        }
        return 0;
}

static int read_id_mappings(struct reader *rd, const json_t *linux_)
{
        struct ward_json_elem el;
        json_t *arr, *host, *size;

        if (field(rd, linux_, "linux", "uidMappings", W_ARRAY, &arr) < 0)
                return -EINVAL;
        ward_json_foreach(arr, "linux.uidMappings", &el)
        {
                if (element(rd, el.v, el.path, W_OBJECT) < 0 ||
                    field(rd, el.v, el.path, "hostID", W_NUMBER, &host) < 0 ||
                    field(rd, el.v, el.path, "size", W_NUMBER, &size) < 0)
                        return -EINVAL;
                if (host && as_u64(host) == 0 && (!size || as_u64(size) > 0))
                        rd->f->host_root_mapped = true;
        }
        return 0;
}

static int read_device_rules(struct reader *rd, const json_t *resources)
{
        struct ward_json_elem el;
        json_t *arr, *allow, *type, *major, *minor, *access;
        char what[512];

        if (field(rd, resources, "linux.resources", "devices", W_ARRAY, &arr) < 0)
                return -EINVAL;
        ward_json_foreach(arr, "linux.resources.devices", &el)
        {
                if (element(rd, el.v, el.path, W_OBJECT) < 0 ||
                    field(rd, el.v, el.path, "allow", W_BOOL, &allow) < 0 ||
                    field(rd, el.v, el.path, "type", W_STRING, &type) < 0 ||
                    field(rd, el.v, el.path, "major", W_NUMBER, &major) < 0 ||
                    field(rd, el.v, el.path, "minor", W_NUMBER, &minor) < 0 ||
                    field(rd, el.v, el.path, "access", W_STRING, &access) < 0)
                        return -EINVAL;
        }
        /* Rules apply in order: a later refusal cancels an earlier allowance. */
        oci_device_access(arr, what, sizeof(what));
        if (what[0] && !(rd->f->device_access = strdup(what)))
                return oom(rd);
        return 0;
}

/* cpu.quota over cpu.period, as microseconds per 100 ms (ward's CPUs= unit). */
static int read_cpu(struct reader *rd, const json_t *res)
{
        json_t *cpu, *quota, *period;

        if (field(rd, res, "linux.resources", "cpu", W_OBJECT, &cpu) < 0 ||
            field(rd, cpu, "linux.resources.cpu", "quota", W_NUMBER, &quota) < 0 ||
            field(rd, cpu, "linux.resources.cpu", "period", W_NUMBER, &period) < 0)
                return -EINVAL;
        uint64_t q = quota ? as_u64(quota) : 0, per = period ? as_u64(period) : 100000;
        if (q == 0 || q == UINT64_MAX || per == 0 || per == UINT64_MAX)
                return 0;
        rd->f->cpu_quota = q > UINT64_MAX / 100000 ? UINT64_MAX / per : q * 100000 / per;
        if (rd->f->cpu_quota == 0)
                rd->f->cpu_quota = 1;
        return 0;
}

static int read_resources(struct reader *rd, const json_t *linux_)
{
        json_t *res, *mem, *pids, *lim;

        if (field(rd, linux_, "linux", "resources", W_OBJECT, &res) < 0 ||
            field(rd, res, "linux.resources", "memory", W_OBJECT, &mem) < 0 ||
            field(rd, res, "linux.resources", "pids", W_OBJECT, &pids) < 0)
                return -EINVAL;
        if (field(rd, mem, "linux.resources.memory", "limit", W_NUMBER, &lim) < 0)
                return -EINVAL;
        rd->f->memory_limit = lim ? as_u64(lim) : 0; /* -1 (unlimited) reads as 0 */
        if (rd->f->memory_limit == UINT64_MAX)
                rd->f->memory_limit = 0;
        if (field(rd, pids, "linux.resources.pids", "limit", W_NUMBER, &lim) < 0)
                return -EINVAL;
        rd->f->pids_limit = lim ? as_u64(lim) : 0;
        if (rd->f->pids_limit == UINT64_MAX)
                rd->f->pids_limit = 0;
        if (read_cpu(rd, res) < 0)
                return -EINVAL;
        return read_device_rules(rd, res);
}

static int read_devices(struct reader *rd, const json_t *linux_)
{
        struct ward_json_elem el;
        json_t *arr, *path;

        if (field(rd, linux_, "linux", "devices", W_ARRAY, &arr) < 0)
                return -EINVAL;
        ward_json_foreach(arr, "linux.devices", &el)
        {
                if (element(rd, el.v, el.path, W_OBJECT) < 0 ||
                    field(rd, el.v, el.path, "path", W_STRING, &path) < 0)
                        return -EINVAL;
                if (!path)
                        return bad_value(rd, el.path, "a device without a path");
                _cleanup_free_ char *copy = strdup(json_string_value(path));
                if (!copy)
                        return ward_error_set(rd->e, ENOMEM, "out of memory");
                policy_normalize_path(copy);
                if (config_add_string(&rd->f->devices, &rd->f->n_devices, copy) < 0)
                        return ward_error_set(rd->e, ENOMEM, "out of memory");
        }
        return 0;
}

static bool action_allows(const char *action)
{
        return strcmp(action, "SCMP_ACT_ALLOW") == 0 || strcmp(action, "SCMP_ACT_LOG") == 0;
}

int oci_seccomp_facts(const json_t *seccomp, const char *name, const char *where,
                      struct ward_facts *f, struct ward_error *e)
{
        struct reader rd = {.name = name, .f = f, .e = e};
        struct ward_json_elem el;
        json_t *def, *arr, *action, *names, *args;
        char p[96];

        f->seccomp = true;
        if (field(&rd, seccomp, where, "defaultAction", W_STRING, &def) < 0 ||
            field(&rd, seccomp, where, "syscalls", W_ARRAY, &arr) < 0)
                return -EINVAL;
        if (!def) {
                snprintf(p, sizeof(p), "%s%sdefaultAction", where, where[0] ? "." : "");
                return bad_value(&rd, p, "missing (the runtime spec requires it)");
        }
        f->seccomp_allow_all = action_allows(json_string_value(def));
        ward_json_foreach(arr, "syscalls", &el)
        {
                ward_json_path(p, sizeof(p), "%s%s%s", where, where[0] ? "." : "", el.path);
                if (element(&rd, el.v, p, W_OBJECT) < 0 ||
                    field(&rd, el.v, p, "action", W_STRING, &action) < 0 ||
                    field(&rd, el.v, p, "names", W_ARRAY, &names) < 0 ||
                    field(&rd, el.v, p, "args", W_ARRAY, &args) < 0)
                        return -EINVAL;
        }
        /* What it lets through, for the capabilities the process holds (read before). */
        f->seccomp_note[0] = '\0';
        f->seccomp_reachable =
            oci_seccomp_reachable(seccomp, f->caps, f->seccomp_note, sizeof(f->seccomp_note));
        f->seccomp_delegated = oci_seccomp_delegated(seccomp, f->caps);
        return 0;
}

static int read_linux(struct reader *rd, const json_t *config)
{
        json_t *linux_, *seccomp, *masked, *ro;

        if (field(rd, config, "", "linux", W_OBJECT, &linux_) < 0 ||
            read_namespaces(rd, linux_) < 0 || read_id_mappings(rd, linux_) < 0 ||
            read_resources(rd, linux_) < 0 || read_devices(rd, linux_) < 0 ||
            field(rd, linux_, "linux", "seccomp", W_OBJECT, &seccomp) < 0 ||
            field(rd, linux_, "linux", "maskedPaths", W_ARRAY, &masked) < 0 ||
            field(rd, linux_, "linux", "readonlyPaths", W_ARRAY, &ro) < 0)
                return -EINVAL;
        if (seccomp && oci_seccomp_facts(seccomp, rd->name, "linux.seccomp", rd->f, rd->e) < 0)
                return -EINVAL;
        if (string_list(rd, masked, "linux.maskedPaths", &rd->f->masked_paths,
                        &rd->f->n_masked_paths) < 0)
                return -EINVAL;
        return string_list(rd, ro, "linux.readonlyPaths", &rd->f->readonly_paths,
                           &rd->f->n_readonly_paths);
}

int oci_facts_from_json(const json_t *config, const char *name, struct ward_facts *f,
                        struct ward_error *e)
{
        return oci_facts_from_json_host(config, name, NULL, f, e);
}

int oci_facts_from_json_host(const json_t *config, const char *name, const struct oci_host *host,
                             struct ward_facts *f, struct ward_error *e)
{
        struct reader rd = {.name = name, .f = f, .e = e, .host = host};

        policy_facts_init(f, WARD_FACTS_OCI);
        if (read_process(&rd, config) < 0 || read_root_and_mounts(&rd, config) < 0 ||
            read_linux(&rd, config) < 0) {
                policy_facts_free(f);
                return -EINVAL;
        }
        /* sysfs shows the network namespace of whoever mounts it: in the host's, the
         * container's /sys is the host's, as a bind of it would be (and ward spec writes
         * that bind for a profile with host networking). */
        if (rd.sysfs && f->host_ns[WARD_NS_NET] &&
            policy_facts_add_mount(f, "/sys", "/sys", rd.sysfs == 2) < 0) {
                policy_facts_free(f);
                return ward_error_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

int oci_facts_load(const char *path, struct ward_facts *f, struct ward_error *e)
{
        _cleanup_(json_decrefp) json_t *config = NULL;
        int r;

        _cleanup_free_ char *dir = strdup(path);
        struct oci_host host = {.proc_root = "/proc"};

        if (!dir)
                return ward_error_set(e, ENOMEM, "out of memory");
        if ((r = oci_json_load_file(path, &config, e)) < 0)
                return r;
        /* The bundle is the directory of config.json: relative sources are resolved there. */
        char *slash = strrchr(dir, '/');
        if (slash)
                *(slash == dir ? slash + 1 : slash) = '\0';
        host.bundle = slash ? dir : ".";
        return oci_facts_from_json_host(config, path, &host, f, e);
}
