/* config.json's linux: namespaces, id mappings, masked and read-only paths, the root's
 * propagation, sysctl, what must stay empty (devices, mountLabel), then linux.resources
 * (oci_map_resources.c); and the linux.seccomp filter, compiled once the capabilities are
 * settled (oci_map.h). */
#include "ward/oci_map.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/capability.h>

#include "oci_map_internal.h"
#include "ward/namespace.h"
#include "ward/seccomp.h"
#include "ward/scmp.h"
#include "ward/seccomp_json.h"
#include "ward/sysctl.h"
#include "ward/util.h"

static int ns_flag(struct oci *x, const char *path, json_t *ns, unsigned long *flag)
{
        static const struct {
                const char *oci, *ward;
        } names[] = {{"pid", "pid"}, {"network", "net"}, {"mount", "mount"},  {"ipc", "ipc"},
                     {"uts", "uts"}, {"user", "user"},   {"cgroup", "cgroup"}};
        static const char *const keys[] = {"type", "path", NULL};
        const char *type;
        char p[PATH_LEN];
        int r;

        ward_json_path(p, sizeof(p), "%s.type", path);
        if ((r = oci_want(x, path, ns, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, path, ns, keys)) < 0)
                return r;
        if (!json_object_get(ns, "type"))
                return oci_bad(x, p, "missing");
        if ((r = oci_get_string(x, p, json_object_get(ns, "type"), &type)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.path", path);
        if ((r = oci_must_be_empty(x, p, json_object_get(ns, "path"),
                                   "joining an existing namespace")) < 0)
                return r;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (strcmp(type, names[i].oci) == 0) {
                        return ns_from_name(names[i].ward, flag);
                }
        ward_json_path(p, sizeof(p), "%s.type", path);
        return oci_unsupported(x, p, "this namespace type");
}

static int map_namespaces(struct oci *x, json_t *arr)
{
        struct ward_config *c = x->c;
        struct ward_json_elem el;
        unsigned long flag;
        int r;

        c->unshare_flags = 0;
        c->unshare_origin = oci_origin_fixed(x, "linux.namespaces");
        c->net_mode = WARD_NET_HOST;
        c->net_origin = c->unshare_origin;
        /* No list is no namespace (ward_json_foreach reads NULL as empty). */
        if (arr && (r = oci_want(x, "linux.namespaces", arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, "linux.namespaces", &el)
        {
                if ((r = ns_flag(x, el.path, el.v, &flag)) < 0)
                        return r;
                if (c->unshare_flags & flag)
                        return oci_bad(x, el.path, "this namespace is listed twice");
                c->unshare_flags |= flag;
        }
        if (c->unshare_flags & CLONE_NEWNET)
                c->net_mode = WARD_NET_NONE;
        if (!(c->unshare_flags & CLONE_NEWNS))
                return oci_unsupported(x, "linux.namespaces",
                                       "a bundle without a mount namespace (ward builds the "
                                       "read-only root in one): add {\"type\": \"mount\"}");
        return 0;
}

/* The one range of name: containerID, hostID and size in v. */
static int read_mapping(struct oci *x, const char *name, json_t *arr, uint32_t v[3])
{
        static const char *const keys[] = {"containerID", "hostID", "size", NULL};
        char p[PATH_LEN];
        json_t *m;
        int r;

        if ((r = oci_want(x, name, arr, JSON_ARRAY)) < 0)
                return r;
        if (json_array_size(arr) != 1)
                return oci_unsupported(x, name,
                                       "other than one range (ward maps container ids "
                                       "0-65535 to one host range)");
        m = json_array_get(arr, 0);
        ward_json_path(p, sizeof(p), "%s[0]", name);
        if ((r = oci_want(x, p, m, JSON_OBJECT)) < 0 || (r = oci_only_keys(x, p, m, keys)) < 0)
                return r;
        if (!json_object_get(m, "containerID") || !json_object_get(m, "hostID") ||
            !json_object_get(m, "size"))
                return oci_bad(x, p, "containerID, hostID and size are required");
        for (int i = 0; i < 3; i++) {
                ward_json_path(p, sizeof(p), "%s[0].%s", name, keys[i]);
                if ((r = oci_get_u32(x, p, json_object_get(m, keys[i]), &v[i])) < 0)
                        return r;
        }
        return 0;
}

/* As root: 65536 ids from a host id above 0, as ward maps them. */
static int root_mapping(struct oci *x, const char *name, json_t *arr, uint32_t *host)
{
        uint32_t v[3];
        char p[PATH_LEN];
        int r;

        if ((r = read_mapping(x, name, arr, v)) < 0)
                return r;
        *host = v[1];
        if (v[0] == 0 && v[2] == WARD_ID_MAP_RANGE && v[1] != 0)
                return 0;
        ward_json_path(p, sizeof(p), "%s[0].%s", name,
                       v[0] != 0                   ? "containerID"
                       : v[2] != WARD_ID_MAP_RANGE ? "size"
                                                   : "hostID");
        return oci_unsupported(x, p,
                               "a range other than containerID 0, size 65536, at a "
                               "hostID above 0");
}

/* As a normal user ward maps one id, the process's, to the caller's own (ns_write_id_maps());
 * a config that says exactly that (ward spec writes it) is accepted. The container id is
 * checked against process.user once that is read (oci_check_own_id_mappings()). */
static int own_mapping(struct oci *x, const char *name, json_t *arr, uint32_t own, uint32_t *cont)
{
        uint32_t v[3];
        char p[PATH_LEN];
        int r;

        if ((r = read_mapping(x, name, arr, v)) < 0)
                return r;
        *cont = v[0];
        ward_json_path(p, sizeof(p), "%s[0]", name);
        if (v[1] != own || v[2] != 1) {
                oci_bad(x, p,
                        "not supported by ward as a normal user: it maps only your own id "
                        "(hostID %u, size 1), not hostID %u, size %u",
                        own, v[1], v[2]);
                ward_error_hint(x->e,
                                "write {\"containerID\": %u, \"hostID\": %u, \"size\": 1} (as "
                                "`ward spec` does when run by you), or run ward as root for a "
                                "range",
                                v[0], own);
                return -EINVAL;
        }
        return 0;
}

static int own_mappings(struct oci *x, json_t *u, json_t *g)
{
        int r;

        x->own_ids = true;
        if ((r = own_mapping(x, "linux.uidMappings", u, geteuid(), &x->own_id_cont[0])) < 0)
                return r;
        return own_mapping(x, "linux.gidMappings", g, getegid(), &x->own_id_cont[1]);
}

int oci_check_own_id_mappings(struct oci *x)
{
        static const char *const names[] = {"linux.uidMappings[0].containerID",
                                            "linux.gidMappings[0].containerID"};
        const uint32_t user[2] = {x->c->uid, x->c->gid};

        if (!x->own_ids)
                return 0;
        for (int i = 0; i < 2; i++) {
                if (x->own_id_cont[i] == user[i])
                        continue;
                oci_bad(x, names[i],
                        "%u, but as a normal user ward maps your own id to the process's "
                        "(process.user.%s %u) and to no other",
                        x->own_id_cont[i], i ? "gid" : "uid", user[i]);
                ward_error_hint(x->e, "make containerID the process.user.%s", i ? "gid" : "uid");
                return -EINVAL;
        }
        return 0;
}

static int map_id_mappings(struct oci *x, json_t *lx)
{
        json_t *u = json_object_get(lx, "uidMappings"), *g = json_object_get(lx, "gidMappings");
        uint32_t uid_base, gid_base;
        int r;

        if (!u && !g)
                return 0;
        if (!(x->c->unshare_flags & CLONE_NEWUSER))
                return oci_bad(x, u ? "linux.uidMappings" : "linux.gidMappings",
                               "id mappings without a user namespace");
        if (!u || !g)
                return oci_bad(x, u ? "linux.gidMappings" : "linux.uidMappings",
                               "missing: give both uidMappings and gidMappings");
        if (geteuid() != 0)
                return own_mappings(x, u, g);
        if ((r = root_mapping(x, "linux.uidMappings", u, &uid_base)) < 0 ||
            (r = root_mapping(x, "linux.gidMappings", g, &gid_base)) < 0)
                return r;
        if (uid_base != gid_base)
                return oci_unsupported(x, "linux.gidMappings[0].hostID",
                                       "a gid range at another host id than the uid range");
        x->c->id_map_base = uid_base;
        x->c->id_map_fixed = true; /* a bundle's mapping is taken as written */
        x->c->id_map_origin = oci_origin_fixed(x, "linux.uidMappings");
        return 0;
}

/* Each path with its JSON path as the origin's key, "linux.maskedPaths[2]", for mount.c. */
static int map_paths(struct oci *x, const char *name, json_t *arr, struct ward_path **list,
                     size_t *n)
{
        struct ward_json_elem el;
        struct ward_origin o;
        const char *s;
        char norm[PATH_MAX];
        int r;

        config_clear_paths(list, n);
        if (!arr)
                return 0;
        if ((r = oci_want(x, name, arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, name, &el)
        {
                if ((r = oci_get_string(x, el.path, el.v, &s)) < 0 ||
                    (r = oci_sandbox_path(x, el.path, s, norm)) < 0 ||
                    (r = oci_origin_at(x, el.path, &o)) < 0)
                        return r;
                if (config_add_path(list, n, norm, &o) < 0)
                        return oci_nomem(x);
        }
        return 0;
}

static int map_propagation(struct oci *x, json_t *v)
{
        const char *s;
        int r;

        if (!v)
                return 0;
        if ((r = oci_get_string(x, "linux.rootfsPropagation", v, &s)) < 0)
                return r;
        if (strcmp(s, "private") != 0 && strcmp(s, "rprivate") != 0)
                return oci_unsupported(x, "linux.rootfsPropagation",
                                       "other than private (ward's mounts never propagate)");
        return 0;
}

int oci_set_sysctl(struct oci *x, const char *path, const char *name, const char *value)
{
        struct ward_origin o;
        const char *why = sysctl_refusal(name, value);
        int r;

        if (why)
                return oci_bad(x, path, "%s", why),
                       ward_error_hint(x->e, "%s", sysctl_allowed_hint(true)), -EINVAL;
        if ((r = oci_origin_at(x, path, &o)) < 0)
                return r;
        if (sysctl_list_set(&x->c->sysctls, &x->c->n_sysctls, name, value, &o) < 0)
                return oci_nomem(x);
        return 0;
}

/* linux.sysctl: the names Sysctl= takes; the namespace check is config_validate()'s, as for
 * a profile's. */
static int map_sysctl(struct oci *x, json_t *obj)
{
        const char *name, *value;
        char p[PATH_LEN];
        json_t *v;
        int r;

        if (!obj)
                return 0;
        if ((r = oci_want(x, "linux.sysctl", obj, JSON_OBJECT)) < 0)
                return r;
        json_object_foreach(obj, name, v)
        {
                ward_json_path(p, sizeof(p), "linux.sysctl[\"%s\"]", name);
                if ((r = oci_get_string(x, p, v, &value)) < 0 ||
                    (r = oci_set_sysctl(x, p, name, value)) < 0)
                        return r;
        }
        return 0;
}

static int map_linux_empty(struct oci *x, json_t *lx)
{
        static const struct {
                const char *key, *path, *why;
        } empty[] = {
            {"devices", "linux.devices", "ward creates no device nodes"},
            {"mountLabel", "linux.mountLabel", "ward applies no SELinux label"},
        };
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(empty); i++)
                if ((r = oci_must_be_empty(x, empty[i].path, json_object_get(lx, empty[i].key),
                                           empty[i].why)) < 0)
                        return r;
        return 0;
}

int oci_map_linux(struct oci *x, json_t *lx)
{
        static const char *const keys[] = {"namespaces",  "uidMappings",       "gidMappings",
                                           "maskedPaths", "readonlyPaths",     "seccomp",
                                           "resources",   "rootfsPropagation", "sysctl",
                                           "devices",     "mountLabel",        NULL};
        struct ward_config *c = x->c;
        json_t *v;
        int r;

        if ((r = oci_want(x, "linux", lx, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "linux", lx, keys)) < 0 || (r = map_linux_empty(x, lx)) < 0 ||
            (r = map_namespaces(x, json_object_get(lx, "namespaces"))) < 0 ||
            (r = map_id_mappings(x, lx)) < 0 ||
            (r = map_paths(x, "linux.maskedPaths", json_object_get(lx, "maskedPaths"),
                           &c->masked_paths, &c->n_masked_paths)) < 0 ||
            (r = map_paths(x, "linux.readonlyPaths", json_object_get(lx, "readonlyPaths"),
                           &c->readonly_paths, &c->n_readonly_paths)) < 0 ||
            (r = map_propagation(x, json_object_get(lx, "rootfsPropagation"))) < 0 ||
            (r = map_sysctl(x, json_object_get(lx, "sysctl"))) < 0)
                return r;
        if ((v = json_object_get(lx, "seccomp")) &&
            (r = oci_want(x, "linux.seccomp", v, JSON_OBJECT)) < 0)
                return r;
        return (v = json_object_get(lx, "resources")) ? oci_map_resources(x, v) : 0;
}

/* ------------------------------------------------------------------------------------- */
/* linux.seccomp                                                                         */

static int export_to_memory(struct ward_config *c, scmp_filter_ctx ctx, struct ward_error *e)
{
        _cleanup_close_ int fd = memfd_create("ward-oci-seccomp", MFD_CLOEXEC);
        int r;

        if (fd < 0)
                return ward_error_set(e, errno, "memfd_create() for the seccomp filter");
        if ((r = seccomp_export_bpf(ctx, fd)) < 0)
                return ward_error_set(e, -r, "seccomp_export_bpf()");
        return seccomp_bpf_read_back(fd, &c->seccomp.extra_bpf, &c->seccomp.extra_bpf_len, e);
}

int oci_map_seccomp(struct ward_config *c, void *tree, const char *file, struct ward_error *e)
{
        json_t *lx = json_object_get(tree, "linux");
        json_t *sc = lx ? json_object_get(lx, "seccomp") : NULL;
        _cleanup_(scmp_ctx_releasep) scmp_filter_ctx ctx = NULL;
        struct ward_origin o = {.file = config_intern(c, file), .line = 0};
        int r;

        if (!sc)
                return 0;
        if (!o.file)
                return ward_error_set(e, ENOMEM, "out of memory");
        c->seccomp.extra_origin = o;
        c->seccomp.extra_origin.key = "linux.seccomp"; /* for explain; errors name their own */
        /* Without no_new_privs and CAP_SYS_ADMIN the filter goes in early, before the
         * capabilities are dropped (seccomp_bundle_loads_early()): the filter then sees the
         * uid switch and capset, and could answer them 0 without doing them. The bundle
         * only gives up what it asked for itself; a floor's user and capabilities are not
         * its to give up. */
        if (!c->no_new_privs && !(c->caps_keep & (1ULL << CAP_SYS_ADMIN)) && c->n_profiles_loaded) {
                ward_error_at(e, &o, "process.noNewPrivileges", EPERM,
                              "linux.seccomp without no_new_privs must be loaded before the "
                              "user and capabilities are applied, and so could fake the "
                              "system calls that apply those of the --profile floor");
                ward_error_hint(e, "set \"noNewPrivileges\": true in process, or "
                                   "NoNewPrivileges=yes in the floor profile");
                return -EPERM;
        }
        if ((r = seccomp_json_compile_tree(sc, file, "linux.seccomp", "linux.seccomp.",
                                           c->caps_keep, &o, &ctx, NULL, e)) < 0)
                return r;
        return export_to_memory(c, ctx, e);
}
