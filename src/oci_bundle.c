/* OCI runtime bundles: config.json onto a ward_config (oci_bundle.h).
 *
 * The reader is an allowlist: every object's keys are checked against what ward maps, and
 * anything else (a newer spec's fields included) is exit 125 with its JSON path. Values of
 * the wrong type are refused the same way. Syntax errors carry jansson's line:column. */
#include "ward/oci_bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/cgroup.h"
#include "ward/landlock.h"
#include "ward/namespace.h"
#include "ward/oci_map.h"
#include "ward/process.h"
#include "ward/profile.h"
#include "ward/rlimit.h"
#include "ward/util.h"

/* ------------------------------------------------------------------------------------- */
/* Reading config.json                                                                   */

static int syntax_error(struct ward_error *e, const char *file, const json_error_t *err)
{
        ward_error_set(e, 0, "not valid JSON: %.300s", err->text);
        snprintf(e->where, sizeof(e->where), "%.250s:%d:%d", file, err->line, err->column);
        ward_error_hint(e, "config.json must be an OCI runtime spec document (crun spec writes "
                           "one)");
        return -EINVAL;
}

/* config.json: a bounded regular file, refused without being opened when it is anything
 * else (a device's open may act, a FIFO's would wait; util.h). */
static int read_config(const char *file, char **text, size_t *len, struct ward_error *e)
{
        int r = ward_read_regular_at(AT_FDCWD, file, 0, 0, WARD_OCI_CONFIG_MAX_SIZE, text, len);

        if (r == -EINVAL)
                return ward_error_set(e, 0,
                                      "%.400s is not a regular file (a device, FIFO, socket or "
                                      "directory); refused without opening it",
                                      file);
        if (r == -EFBIG)
                return ward_error_set(e, EFBIG, "%.400s is larger than %d bytes", file,
                                      WARD_OCI_CONFIG_MAX_SIZE);
        if (r < 0)
                return ward_error_set(e, -r, "cannot open %.400s", file),
                       ward_error_hint(e, "a bundle is a directory with config.json and the "
                                          "root filesystem"),
                       r;
        return 0;
}

static int parse_text(const char *text, size_t len, const char *file, json_t **root,
                      struct ward_error *e)
{
        json_error_t err;

        if (len > WARD_OCI_CONFIG_MAX_SIZE)
                return ward_error_set(e, EFBIG, "%.400s is larger than %d bytes", file,
                                      WARD_OCI_CONFIG_MAX_SIZE);
        /* Duplicate keys would make "the" value of a key depend on the reader. */
        *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
        return *root ? 0 : syntax_error(e, file, &err);
}

/* ------------------------------------------------------------------------------------- */
/* The profile floor                                                                     */

static void floor_rlimits(struct ward_config *c, const struct ward_config *p)
{
        for (int i = 0; i < WARD_RLIMIT_COUNT; i++) {
                const struct ward_rlimit *f = &p->rlimits[i];
                struct ward_rlimit *r = &c->rlimits[i];
                if (!f->set)
                        continue;
                if (!r->set) {
                        *r = *f;
                        continue;
                }
                r->soft = f->soft < r->soft ? f->soft : r->soft;
                r->hard = f->hard < r->hard ? f->hard : r->hard;
                r->origin = f->origin;
        }
}

static void floor_cgroup(struct ward_config *c, const struct ward_config *p)
{
        for (int i = 0; i < WARD_CG_COUNT; i++) {
                const struct ward_cg_limit *f = &p->cgroup.limits[i];
                struct ward_cg_limit *l = &c->cgroup.limits[i];
                if (!f->set || (l->set && l->value <= f->value))
                        continue;
                *l = *f;
                if (i == WARD_CG_MEMORY_SWAP)
                        c->cgroup.swap_is_total = p->cgroup.swap_is_total;
        }
}

static int floor_paths(struct ward_path **list, size_t *n, const struct ward_path *add,
                       size_t n_add)
{
        for (size_t i = 0; i < n_add; i++) {
                bool have = false;
                for (size_t j = 0; j < *n && !have; j++)
                        have = strcmp((*list)[j].path, add[i].path) == 0;
                int r = have ? 0 : config_add_path(list, n, add[i].path, &add[i].origin);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The profile's filter becomes ward's main one; the bundle's stays stacked under it. */
static void floor_seccomp(struct ward_config *c, struct ward_config *p)
{
        struct ward_seccomp_config *s = &c->seccomp, *f = &p->seccomp;

        s->enabled = f->enabled;
        s->profile_origin = f->profile_origin;
        s->origin = f->origin;
        s->default_action = f->default_action;
        s->default_action_origin = f->default_action_origin;
        free(s->json_path);
        s->json_path = ward_take_ptr(&f->json_path);
        config_clear_strings(&s->allow, &s->n_allow);
        config_clear_strings(&s->deny, &s->n_deny);
        s->allow = ward_take_ptr(&f->allow);
        s->n_allow = f->n_allow;
        s->allow_origin = f->allow_origin;
        s->deny = ward_take_ptr(&f->deny);
        s->n_deny = f->n_deny;
        s->deny_origin = f->deny_origin;
        f->n_allow = f->n_deny = 0;
}

static void floor_namespaces(struct ward_config *c, const struct ward_config *p)
{
        unsigned long added = p->unshare_flags & ~c->unshare_flags;

        if (!added)
                return;
        c->unshare_flags |= added;
        c->unshare_origin = p->unshare_origin;
        if (added & CLONE_NEWUSER) {
                c->id_map_base = p->id_map_base;
                c->id_map_fixed = p->id_map_fixed;
                c->id_map_origin = p->id_map_origin;
        }
        if (added & CLONE_NEWNET) {
                c->net_mode = WARD_NET_NONE;
                c->net_origin = p->unshare_origin;
        }
}

/* The identity is the bundle's: a profile that asks for another one is a conflict. */
static int floor_user(const struct ward_config *c, struct ward_config *p, struct ward_error *e)
{
        int r;

        if (!p->user_set)
                return 0;
        if ((r = config_set_string(&p->root, c->root)) < 0)
                return ward_error_set(e, -r, "out of memory");
        if ((r = process_resolve_user(p, NULL, e)) < 0)
                return r;
        if (p->uid == c->uid && p->gid == c->gid)
                return 0;
        ward_error_at(e, &p->user_origin, "Process.User", 0,
                      "the profile runs as %u:%u but config.json's process.user is %u:%u",
                      (unsigned)p->uid, (unsigned)p->gid, (unsigned)c->uid, (unsigned)c->gid);
        ward_error_hint(e, "make them agree: with --bundle the user comes from config.json, "
                           "and a profile's User= must name the same ids");
        return -EINVAL;
}

static int apply_floor(struct ward_config *c, struct ward_config *p, struct ward_error *e)
{
        int r;

        if ((r = floor_user(c, p, e)) < 0)
                return r;
        if ((c->caps_keep & p->caps_keep) != c->caps_keep) {
                c->caps_keep &= p->caps_keep;
                c->caps_origin = p->caps_origin;
        }
        if (p->read_only && !c->read_only) {
                c->read_only = true;
                c->read_only_origin = p->read_only_origin;
        }
        if (p->no_new_privs && !c->no_new_privs) {
                c->no_new_privs = true;
                c->no_new_privs_origin = p->no_new_privs_origin;
        }
        floor_namespaces(c, p);
        floor_rlimits(c, p);
        floor_cgroup(c, p);
        floor_seccomp(c, p);
        landlock_config_free(&c->landlock);
        c->landlock = p->landlock;
        memset(&p->landlock, 0, sizeof(p->landlock));
        if ((r = floor_paths(&c->masked_paths, &c->n_masked_paths, p->masked_paths,
                             p->n_masked_paths)) < 0 ||
            (r = floor_paths(&c->readonly_paths, &c->n_readonly_paths, p->readonly_paths,
                             p->n_readonly_paths)) < 0)
                return ward_error_set(e, -r, "out of memory");
        return 0;
}

/* Each profile is read on its own config (from ward's defaults, as `ward run --profile`
 * would), then laid on c as a floor. Profiles loaded are listed for `ward explain`. */
static int load_floor(struct ward_config *c, const char *const *profiles, size_t n,
                      struct ward_error *e)
{
        struct ward_config p;
        int r;

        if (!n)
                return 0;
        if ((r = config_init(&p, e)) < 0)
                return config_free(&p), r;
        for (size_t i = 0; i < n && r >= 0; i++)
                r = profile_load(&p, profiles[i], e);
        if (r >= 0)
                r = apply_floor(c, &p, e);
        for (size_t i = 0; r >= 0 && i < p.n_profiles_loaded; i++)
                if (config_add_string(&c->profiles_loaded, &c->n_profiles_loaded,
                                      p.profiles_loaded[i]) < 0)
                        r = ward_error_set(e, ENOMEM, "out of memory");
        /* Origins in c now point at p's interned file names: hand them over to c. */
        if (r >= 0 && (r = config_take_interned(c, &p)) < 0)
                ward_error_set(e, -r, "out of memory");
        config_free(&p);
        return r;
}

/* ------------------------------------------------------------------------------------- */
/* Entry points                                                                          */

static int bundle_dir(const char *dir, char *abs, size_t len, struct ward_error *e)
{
        char real[PATH_MAX];

        if (!realpath(dir, real))
                return ward_error_set(e, errno, "bundle directory %.400s", dir),
                       ward_error_hint(e, "give the directory that holds config.json"), -errno;
        snprintf(abs, len, "%s", real);
        return 0;
}

static int load_and_map(struct ward_config *c, const char *text, size_t len, const char *dir,
                        const char *file, json_t **root, struct ward_error *e)
{
        int r;

        if ((r = parse_text(text, len, file, root, e)) < 0)
                return r;
        return oci_map_config(c, *root, dir, file, e);
}

int oci_bundle_load_buffer(struct ward_config *c, const char *text, size_t len, const char *dir,
                           struct ward_error *e)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        char file[PATH_MAX + 16];

        snprintf(file, sizeof(file), "%s/config.json", dir);
        return load_and_map(c, text, len, dir, file, &root, e);
}

int oci_bundle_load(struct ward_config *c, const char *dir, const char *const *profiles,
                    size_t n_profiles, struct ward_error *e)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        _cleanup_free_ char *text = NULL;
        char abs[PATH_MAX], file[PATH_MAX + 16];
        size_t len = 0;
        int r;

        if ((r = bundle_dir(dir, abs, sizeof(abs), e)) < 0)
                return r;
        snprintf(file, sizeof(file), "%s/config.json", strcmp(abs, "/") ? abs : "");
        if ((r = read_config(file, &text, &len, e)) < 0 ||
            (r = load_and_map(c, text, len, abs, file, &root, e)) < 0 ||
            (r = load_floor(c, profiles, n_profiles, e)) < 0)
                return r;
        return oci_map_seccomp(c, root, file, e);
}
