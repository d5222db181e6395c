/* config.json (OCI runtime spec 1.x) onto a ward_config, field by field (oci_map.h).
 *
 * Every object is read against an allowlist of the keys ward maps; any other key, a value
 * of the wrong type, or a value ward cannot honor is exit 125 naming the JSON path
 * (oci_map_read.c). This file reads the top level, root and hostname, and hands each other
 * section to its own file: oci_map_process.c, oci_map_mounts.c, oci_map_linux.c (with
 * oci_map_resources.c) and oci_map_hooks.c. */
#include "ward/oci_map.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_map_internal.h"
#include "ward/util.h"

static int map_root(struct oci *x, json_t *root)
{
        static const char *const keys[] = {"path", "readonly", NULL};
        char full[PATH_MAX * 2];
        const char *path;
        json_t *ro;
        int r;

        if (!root)
                return oci_bad(x, "root", "missing: the root filesystem");
        if ((r = oci_want(x, "root", root, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "root", root, keys)) < 0)
                return r;
        if (!json_object_get(root, "path"))
                return oci_bad(x, "root.path", "missing");
        if ((r = oci_get_string(x, "root.path", json_object_get(root, "path"), &path)) < 0)
                return r;
        if (!path[0])
                return oci_bad(x, "root.path", "empty");
        /* Relative to the bundle, as the spec says. */
        if (path[0] == '/')
                snprintf(full, sizeof(full), "%s", path);
        else
                snprintf(full, sizeof(full), "%s/%s", x->dir, path);
        if (config_set_string(&x->c->root, full) < 0)
                return oci_nomem(x);
        /* mount.c and the others name these by their JSON paths (ward_origin.key). */
        x->c->root_origin = oci_origin_fixed(x, "root.path");
        x->c->read_only = false; /* the spec's default */
        x->c->read_only_origin = oci_origin_fixed(x, "root.readonly");
        ro = json_object_get(root, "readonly");
        return ro ? oci_get_bool(x, "root.readonly", ro, &x->c->read_only) : 0;
}

/* domainname: the uts namespace's domain name, as Sysctl=kernel.domainname= sets it (its
 * checks, and config_validate()'s: it needs the uts namespace). "" is no domain name. */
static int map_domainname(struct oci *x, json_t *doc)
{
        json_t *v = json_object_get(doc, "domainname");
        const char *s;
        int r;

        if (!v)
                return 0;
        if ((r = oci_get_string(x, "domainname", v, &s)) < 0 || !s[0])
                return r;
        return oci_set_sysctl(x, "domainname", "kernel.domainname", s);
}

static int map_hostname(struct oci *x, json_t *doc)
{
        json_t *v = json_object_get(doc, "hostname");
        const char *s;
        int r;

        free(x->c->hostname);
        x->c->hostname = NULL;
        if (!v)
                return 0;
        if ((r = oci_get_string(x, "hostname", v, &s)) < 0)
                return r;
        if (!(x->c->unshare_flags & CLONE_NEWUTS))
                return oci_bad(x, "hostname",
                               "a hostname needs the uts namespace (it would rename "
                               "the host)"),
                       ward_error_hint(x->e, "add {\"type\": \"uts\"} to linux.namespaces, or "
                                             "remove hostname"),
                       -EINVAL;
        if (!s[0] || strlen(s) > 64)
                return oci_bad(x, "hostname", "\"%.80s\" is not a hostname (1-64 bytes)", s);
        x->c->hostname_origin = oci_origin_fixed(x, "hostname");
        return config_set_string(&x->c->hostname, s) < 0 ? oci_nomem(x) : 0;
}

static int map_version(struct oci *x, json_t *v)
{
        const char *s;
        int r;

        if (!v)
                return oci_bad(x, "ociVersion", "missing");
        if ((r = oci_get_string(x, "ociVersion", v, &s)) < 0)
                return r;
        if (strncmp(s, "1.", 2) != 0)
                return oci_unsupported(x, "ociVersion", "a runtime spec other than 1.x");
        return 0;
}

/* ward's defaults that the spec does not share: config.json says all of it. */
static void reset_defaults(struct ward_config *c, const struct ward_origin *o)
{
        c->seccomp.enabled = false;
        c->seccomp.origin = c->seccomp.profile_origin = *o;
        c->init = false; /* process.args is PID 1, as under crun */
        c->init_origin = *o;
        /* A bundle's mounts and rlimits are its config's, as under crun: ward's built-in
         * /tmp and /run tmpfs and limits are for profiles (config_init()). */
        config_remove_mounts(c, WARD_MOUNT_TMPFS, true);
        for (int res = 0; res < WARD_RLIMIT_COUNT; res++)
                if (!c->rlimits[res].origin.file)
                        memset(&c->rlimits[res], 0, sizeof(c->rlimits[res]));
}

int oci_map_config(struct ward_config *c, void *tree, const char *dir, const char *file,
                   struct ward_error *e)
{
        static const char *const keys[] = {"ociVersion", "process", "root",  "hostname",
                                           "domainname", "mounts",  "hooks", "annotations",
                                           "linux",      NULL};
        struct oci x = {.c = c, .dir = dir, .e = e};
        json_t *root = tree, *lx, *ann;
        _cleanup_(json_decrefp) json_t *none = NULL;
        int r;

        if (!(x.o.file = config_intern(c, file)))
                return oci_nomem(&x);
        if ((r = oci_want(&x, "(top level)", root, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(&x, "", root, keys)) < 0 ||
            (r = map_version(&x, json_object_get(root, "ociVersion"))) < 0)
                return r;
        if ((ann = json_object_get(root, "annotations")) &&
            (r = oci_want(&x, "annotations", ann, JSON_OBJECT)) < 0)
                return r;
        reset_defaults(c, &x.o);
        if (!(lx = json_object_get(root, "linux")) && !(lx = none = json_object()))
                return oci_nomem(&x);
        /* linux first: the mounts need to know the namespaces. */
        if ((r = oci_map_linux(&x, lx)) < 0 ||
            (r = map_root(&x, json_object_get(root, "root"))) < 0 ||
            (r = oci_map_process(&x, json_object_get(root, "process"))) < 0 ||
            (r = oci_check_own_id_mappings(&x)) < 0 || (r = map_hostname(&x, root)) < 0 ||
            (r = map_domainname(&x, root)) < 0 ||
            (r = oci_map_mounts(&x, json_object_get(root, "mounts"))) < 0)
                return r;
        return oci_map_hooks(&x, json_object_get(root, "hooks"), ann);
}
