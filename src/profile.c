/* The INI profile reader: sections map to modules, repeated keys append, Include= composes.
 *
 * The reader is deliberately strict: anything it does not understand (a section, a key, a
 * value, a stray byte) is an error naming the file and line, because a typo silently ignored
 * is a protection silently lost. */
#include "ward/profile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/cgroup.h"
#include "ward/landlock.h"
#include "ward/namespace.h"
#include "ward/oci_norm.h"
#include "ward/path.h"
#include "ward/policy.h"
#include "ward/rlimit.h"
#include "ward/memfd_exec.h"
#include "ward/seccomp.h"
#include "ward/seccomp_json.h"
#include "ward/trust.h"
#include "ward/util.h"

#define LIST_SEPARATORS " \t,"
#define WORD_SEPARATORS " \t"
#define TMPFS_DEFAULT_SIZE_TEXT "64M"
#define MAX_SUPPLEMENTARY_GROUPS 65536

/* One Key=value being applied: everything a handler and its error messages need. */
static void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}
#define _cleanup_closedir_ _cleanup_(closedirp)

struct setting {
        struct ward_config *c;
        const char *name; /* "Filesystem.Tmpfs" */
        const char *value;
        const struct ward_origin *origin;
        struct ward_error *e;
};

typedef int (*apply_fn)(const struct setting *s);

struct key_handler {
        const char *section;
        const char *key;
        apply_fn apply; /* NULL: handled by the file loader (Include=) */
};

static const char *const sections[] = {
    "Profile", "Namespaces", "Filesystem", "Process", "Resources", "Network",
    "Init",    "Seccomp",    "Landlock",   "Policy",  NULL,
};

/* ------------------------------------------------------------------------------------- */
/* Small helpers                                                                         */

static int invalid(const struct setting *s, const char *why)
{
        return ward_error_at(s->e, s->origin, s->name, 0, "invalid value \"%.256s\": %s", s->value,
                             why);
}

static int out_of_memory(const struct setting *s)
{
        return ward_error_at(s->e, s->origin, s->name, ENOMEM, "out of memory");
}

static bool valid_env_name(const char *name, size_t len)
{
        if (len == 0 || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
                return false;
        for (size_t i = 1; i < len; i++)
                if (!(isalnum((unsigned char)name[i]) || name[i] == '_'))
                        return false;
        return true;
}

/* A path as the sandbox sees it, normalized in place (path.h): absolute, no "..", and not
 * the root itself unless allowed. Every later check and duplicate search sees this form. */
static int check_sandbox_path(const struct setting *s, char *path, bool allow_root)
{
        int r = ward_path_normalize_at(path, s->origin, s->name, s->e);

        if (r < 0)
                return r;
        if (!allow_root && strcmp(path, "/") == 0) {
                ward_error_at(s->e, s->origin, s->name, 0, "cannot mount over the root");
                ward_error_hint(s->e, "choose the root with Filesystem.Root= (--rootfs)");
                return -EINVAL;
        }
        return 0;
}

static int require_value(const struct setting *s, const char *accepted)
{
        if (*s->value)
                return 0;
        ward_error_at(s->e, s->origin, s->name, 0, "empty value");
        ward_error_hint(s->e, "%s", accepted);
        return -EINVAL;
}

static int parse_bool_setting(const struct setting *s, bool *out)
{
        if (ward_parse_bool(s->value, out) < 0) {
                invalid(s, "not a boolean");
                ward_error_hint(s->e, "use yes or no (true/false, on/off and 1/0 work too)");
                return -EINVAL;
        }
        return 0;
}

/* A yes/no key and the origin that goes with it. */
static int set_bool(const struct setting *s, bool *field, struct ward_origin *origin)
{
        int r = parse_bool_setting(s, field);

        if (r >= 0)
                *origin = *s->origin;
        return r;
}

/* ------------------------------------------------------------------------------------- */
/* [Profile]                                                                             */

static int apply_description(const struct setting *s)
{
        if (config_set_string(&s->c->description, *s->value ? s->value : NULL) < 0)
                return out_of_memory(s);
        s->c->description_origin = *s->origin;
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* [Namespaces]                                                                          */

/* Network.Mode mirrors CLONE_NEWNET, so whichever of Unshare= and Mode= came last wins. */
static void set_unshare_flags(struct ward_config *c, unsigned long flags,
                              const struct ward_origin *origin)
{
        enum ward_net_mode mode = (flags & CLONE_NEWNET) ? WARD_NET_NONE : WARD_NET_HOST;

        c->unshare_flags = flags;
        c->unshare_origin = *origin;
        if (mode != c->net_mode) {
                c->net_mode = mode;
                c->net_origin = *origin;
        }
}

static int unknown_namespace(const struct setting *s, const char *name)
{
        const char *names[ARRAY_SIZE(ward_ns_all) + 1] = {NULL};
        const char *closest;

        for (size_t i = 0; i < ARRAY_SIZE(ward_ns_all); i++)
                names[i] = ns_to_name(ward_ns_all[i]);
        closest = ward_closest(name, names);
        ward_error_at(s->e, s->origin, s->name, 0, "unknown namespace \"%.64s\"", name);
        if (closest)
                ward_error_hint(s->e, "did you mean \"%s\"?", closest);
        else
                ward_error_hint(s->e, "namespaces: user pid mount net uts ipc cgroup");
        return -EINVAL;
}

static int apply_unshare(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        unsigned long flags = 0;
        char *save = NULL;

        if (!copy)
                return out_of_memory(s);
        /* "none": entrypoint mode, ward hardens its own process in place (entrypoint.h). */
        if (strcmp(s->value, "none") == 0) {
                set_unshare_flags(s->c, 0, s->origin);
                s->c->in_place = true;
                /* No mount namespace: /tmp and /run are the container runtime's, so ward's
                 * built-in tmpfs have nothing to apply to (a profile's own are refused). */
                config_remove_mounts(s->c, WARD_MOUNT_TMPFS, true);
                return 0;
        }
        s->c->in_place = false;
        for (char *tok = strtok_r(copy, LIST_SEPARATORS, &save); tok;
             tok = strtok_r(NULL, LIST_SEPARATORS, &save)) {
                unsigned long flag;
                if (ns_from_name(tok, &flag) < 0)
                        return unknown_namespace(s, tok);
                flags |= flag;
        }
        /* An empty assignment resets the list; anything else adds to it. */
        set_unshare_flags(s->c, *s->value ? s->c->unshare_flags | flags : 0, s->origin);
        return 0;
}

/* RFC 1123 labels: what sethostname accepts and every resolver understands. */
static bool valid_hostname(const char *h)
{
        size_t len = strlen(h);

        if (len == 0 || len > 64 || h[0] == '-' || h[0] == '.' || h[len - 1] == '.')
                return false;
        for (const char *p = h; *p; p++)
                if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.') ||
                    (p[0] == '.' && p[1] == '.'))
                        return false;
        return true;
}

static int apply_hostname(const struct setting *s)
{
        if (!valid_hostname(s->value)) {
                invalid(s, "not a valid hostname");
                ward_error_hint(s->e, "use 1 to 64 letters, digits, '-' and '.', e.g. web-1");
                return -EINVAL;
        }
        if (config_set_string(&s->c->hostname, s->value) < 0)
                return out_of_memory(s);
        s->c->hostname_origin = *s->origin;
        return 0;
}

static int apply_id_map_base(const struct setting *s)
{
        uint32_t base = 0;
        int r = ward_parse_u32(s->value, &base);

        if (r < 0 || base == 0 || (uint64_t)base + WARD_ID_MAP_RANGE > UINT32_MAX) {
                invalid(s, r == -EINVAL         ? "not a number"
                           : r < 0 || base != 0 ? "the range of 65536 ids does not fit in a uid"
                                                : "0 would map the sandbox's root to the host's");
                ward_error_hint(s->e, "give the first of 65536 unused host ids, e.g. %u",
                                WARD_ID_MAP_BASE);
                return -EINVAL;
        }
        s->c->id_map_base = base;
        s->c->id_map_fixed = true;
        s->c->id_map_origin = *s->origin;
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* [Filesystem]                                                                          */

static int apply_root(const struct setting *s)
{
        if (*s->value && s->value[0] != '/') {
                invalid(s, "not an absolute path");
                ward_error_hint(s->e, "give the image directory from /, e.g. /srv/images/web");
                return -EINVAL;
        }
        if (config_set_string(&s->c->root, *s->value ? s->value : NULL) < 0)
                return out_of_memory(s);
        s->c->root_origin = *s->origin;
        return 0;
}

/* yes, no, or try: only entrypoint mode can meet a root it cannot make read-only. */
static int apply_read_only(const struct setting *s)
{
        bool try = strcmp(s->value, "try") == 0;

        s->c->read_only_try = try;
        if (!try)
                return set_bool(s, &s->c->read_only, &s->c->read_only_origin);
        s->c->read_only = true;
        s->c->read_only_origin = *s->origin;
        return 0;
}

static void free_mount(struct ward_mount *m)
{
        if (m->tree_fd >= 0)
                close(m->tree_fd);
        free(m->source);
        free(m->target);
}

static int replace_mount(const struct setting *s, struct ward_mount *old,
                         const struct ward_mount *m)
{
        struct ward_mount copy = *m;

        copy.tree_fd = -1; /* the monitor clones the source later */
        copy.source = m->source ? strdup(m->source) : NULL;
        copy.target = strdup(m->target);
        if ((m->source && !copy.source) || !copy.target) {
                free_mount(&copy);
                return out_of_memory(s);
        }
        free_mount(old);
        *old = copy;
        return 0;
}

/* Two lines mounting one target in the same file (or two flags) is a mistake; a later file
 * naming a target again overrides it in place, keeping the mount order. The same line read
 * again (a profile included twice, by two others) just replaces itself. */
static bool conflicting_origins(const struct ward_origin *a, const struct ward_origin *b)
{
        return a->file && a->file == b->file && (a->line != b->line || a->line == 0);
}

static int add_or_replace_mount(const struct setting *s, const struct ward_mount *m)
{
        struct ward_config *c = s->c;

        for (size_t i = 0; i < c->n_mounts; i++) {
                struct ward_mount *old = &c->mounts[i];
                if (strcmp(old->target, m->target) != 0)
                        continue;
                if (conflicting_origins(&old->origin, &m->origin)) {
                        char where[320];
                        ward_origin_format(&old->origin, where, sizeof(where));
                        ward_error_at(s->e, s->origin, s->name, 0,
                                      "%.256s is already a mount target (%s)", m->target, where);
                        ward_error_hint(s->e, "keep one of the two; an empty Tmpfs= or Bind= "
                                              "clears the list first");
                        return -EINVAL;
                }
                return replace_mount(s, old, m);
        }
        return config_add_mount(c, m) < 0 ? out_of_memory(s) : 0;
}

/* World-writable sticky for the directories programs expect to share, 0755 elsewhere. */
static unsigned default_tmpfs_mode(const char *target)
{
        return strcmp(target, "/tmp") == 0 || strcmp(target, "/var/tmp") == 0 ? 01777 : 0755;
}

static int bad_tmpfs_option(const struct setting *s, const char *opt, const char *why)
{
        static const char *const known[] = {"size=", "mode=", "exec", "noexec", "optional", NULL};
        bool unknown = strcmp(why, "unknown option") == 0;
        const char *closest = unknown ? ward_closest(opt, known) : NULL;

        ward_error_at(s->e, s->origin, s->name, 0, "tmpfs option \"%.64s\": %s", opt, why);
        if (closest)
                ward_error_hint(s->e,
                                "did you mean \"%s\"? options: size=SIZE mode=OCTAL exec "
                                "optional",
                                closest);
        else
                ward_error_hint(s->e, "options: size=SIZE (e.g. 64M) mode=OCTAL (e.g. 1777) "
                                      "exec optional");
        return -EINVAL;
}

static int parse_tmpfs_option(const struct setting *s, const char *opt, struct ward_mount *m)
{
        if (strncmp(opt, "size=", 5) == 0) {
                if (ward_parse_size(opt + 5, &m->size_bytes) < 0)
                        return bad_tmpfs_option(s, opt, "not a size");
                /* The kernel reads 0 as "no limit": half of the host's memory. */
                if (m->size_bytes == 0)
                        return bad_tmpfs_option(s, opt, "0 would be unlimited");
                return 0;
        }
        if (strncmp(opt, "mode=", 5) == 0)
                return ward_parse_mode(opt + 5, &m->mode) < 0
                           ? bad_tmpfs_option(s, opt, "not an octal mode up to 7777")
                           : 0;
        if (strcmp(opt, "exec") == 0 || strcmp(opt, "noexec") == 0) {
                m->exec = opt[0] == 'e';
                return 0;
        }
        /* For a profile meant for many images: mount where the image has the path, skip
         * where it has none (Tmpfs=/run in default.profile). */
        if (strcmp(opt, "optional") == 0) {
                m->optional = true;
                return 0;
        }
        /* Docker spellings of what ward always does anyway. */
        if (strcmp(opt, "rw") == 0 || strcmp(opt, "nosuid") == 0 || strcmp(opt, "nodev") == 0)
                return 0;
        return bad_tmpfs_option(s, opt, "unknown option");
}

static int apply_tmpfs(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        struct ward_mount m = {.kind = WARD_MOUNT_TMPFS, .tree_fd = -1, .origin = *s->origin};
        char *save = NULL, *opt;
        int r;

        if (!copy)
                return out_of_memory(s);
        if (!*s->value) {
                config_remove_mounts(s->c, WARD_MOUNT_TMPFS, false);
                return 0;
        }
        if (!(m.target = strtok_r(copy, WORD_SEPARATORS, &save)))
                return invalid(s, "no target path");
        if ((r = check_sandbox_path(s, m.target, false)) < 0)
                return r;
        m.mode = default_tmpfs_mode(m.target);
        while ((opt = strtok_r(NULL, WORD_SEPARATORS, &save)))
                if ((r = parse_tmpfs_option(s, opt, &m)) < 0)
                        return r;
        return add_or_replace_mount(s, &m);
}

static int bind_usage(const struct setting *s, const char *why)
{
        invalid(s, why);
        ward_error_hint(s->e, "write Bind=SOURCE TARGET [ro|rw] (read-only unless rw), e.g. "
                              "Bind=/srv/data /data rw");
        return -EINVAL;
}

static int apply_bind(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        struct ward_mount m = {.kind = WARD_MOUNT_BIND, .tree_fd = -1, .origin = *s->origin};
        char *save = NULL, *mode, *extra;
        int r;

        if (!copy)
                return out_of_memory(s);
        if (!*s->value) {
                config_remove_mounts(s->c, WARD_MOUNT_BIND, false);
                return 0;
        }
        m.source = strtok_r(copy, WORD_SEPARATORS, &save);
        m.target = strtok_r(NULL, WORD_SEPARATORS, &save);
        mode = strtok_r(NULL, WORD_SEPARATORS, &save);
        extra = strtok_r(NULL, WORD_SEPARATORS, &save);
        if (!m.source || !m.target || extra)
                return bind_usage(s, m.target ? "too many words" : "no target");
        if (mode && strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0)
                return bind_usage(s, "the mode must be ro or rw");
        if (m.source[0] != '/')
                return bind_usage(s, "the source is not an absolute host path");
        if ((r = check_sandbox_path(s, m.target, false)) < 0)
                return r;
        m.writable = mode && strcmp(mode, "rw") == 0;
        return add_or_replace_mount(s, &m);
}

static bool path_listed(const struct ward_path *list, size_t n, const char *path)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(list[i].path, path) == 0)
                        return true;
        return false;
}

static int apply_path_list(const struct setting *s, struct ward_path **list, size_t *n)
{
        _cleanup_free_ char *copy = strdup(s->value);
        char *save = NULL;
        int r;

        if (!copy)
                return out_of_memory(s);
        if (!*s->value) {
                config_clear_paths(list, n);
                return 0;
        }
        for (char *p = strtok_r(copy, WORD_SEPARATORS, &save); p;
             p = strtok_r(NULL, WORD_SEPARATORS, &save)) {
                if ((r = check_sandbox_path(s, p, false)) < 0)
                        return r;
                /* Listing a default path again is harmless: keep one entry. */
                if (!path_listed(*list, *n, p) && config_add_path(list, n, p, s->origin) < 0)
                        return out_of_memory(s);
        }
        return 0;
}

static int apply_mask_path(const struct setting *s)
{
        return apply_path_list(s, &s->c->masked_paths, &s->c->n_masked_paths);
}

static int apply_readonly_path(const struct setting *s)
{
        return apply_path_list(s, &s->c->readonly_paths, &s->c->n_readonly_paths);
}

/* ------------------------------------------------------------------------------------- */
/* [Process]                                                                             */

/* POSIX portable user and group names (what useradd accepts by default). */
static bool valid_account_name(const char *name, size_t len)
{
        if (len == 0 || len > 32 || name[0] == '-')
                return false;
        for (size_t i = 0; i < len; i++)
                if (!(isalnum((unsigned char)name[i]) || strchr("._-", name[i])))
                        return false;
        return true;
}

/* One half of User=: a number (not the reserved -1) or a name for process.c to resolve. */
static int parse_id_part(const char *text, size_t len, uint32_t *id, bool *numeric)
{
        char buf[33];

        if (len == 0 || len >= sizeof(buf))
                return -EINVAL;
        memcpy(buf, text, len);
        buf[len] = '\0';
        *numeric = isdigit((unsigned char)buf[0]);
        if (*numeric)
                return ward_parse_u32(buf, id) < 0 || *id == UINT32_MAX ? -EINVAL : 0;
        return valid_account_name(buf, len) ? 0 : -EINVAL;
}

static void reset_user(struct ward_config *c, const struct ward_origin *origin)
{
        free(c->user_spec);
        c->user_spec = NULL;
        c->user_set = false;
        c->uid = 0;
        c->gid = 0;
        c->user_origin = *origin;
}

static int apply_user(const struct setting *s)
{
        const char *colon = strchr(s->value, ':');
        size_t ulen = colon ? (size_t)(colon - s->value) : strlen(s->value);
        uint32_t uid = 0, gid = 0;
        bool uid_numeric, gid_numeric = true;
        struct ward_config *c = s->c;

        if (!*s->value) {
                reset_user(c, s->origin);
                return 0;
        }
        if (parse_id_part(s->value, ulen, &uid, &uid_numeric) < 0 ||
            (colon && parse_id_part(colon + 1, strlen(colon + 1), &gid, &gid_numeric) < 0)) {
                invalid(s, "not UID[:GID] or a user name");
                ward_error_hint(s->e, "write User=UID[:GID] (e.g. 9999:9999) or a name from "
                                      "the image's /etc/passwd (e.g. nginx or nginx:www)");
                return -EINVAL;
        }
        if (config_set_string(&c->user_spec, s->value) < 0)
                return out_of_memory(s);
        c->user_set = true;
        c->user_origin = *s->origin;
        /* Numbers are final now; names are looked up in the rootfs before the clone. */
        if (uid_numeric)
                c->uid = uid;
        if (uid_numeric && gid_numeric)
                c->gid = colon ? gid : uid;
        return 0;
}

static bool group_listed(const struct ward_config *c, gid_t gid)
{
        for (size_t i = 0; i < c->n_groups; i++)
                if (c->groups[i] == gid)
                        return true;
        return false;
}

static int add_group(const struct setting *s, gid_t gid)
{
        struct ward_config *c = s->c;
        gid_t *grown;

        if (group_listed(c, gid))
                return 0;
        if (c->n_groups >= MAX_SUPPLEMENTARY_GROUPS)
                return invalid(s, "too many supplementary groups");
        if (!(grown = realloc(c->groups, (c->n_groups + 1) * sizeof(*grown))))
                return out_of_memory(s);
        c->groups = grown;
        c->groups[c->n_groups++] = gid;
        return 0;
}

static int apply_groups(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        char *save = NULL;
        int r;

        if (!copy)
                return out_of_memory(s);
        s->c->groups_origin = *s->origin;
        if (!*s->value) {
                free(s->c->groups);
                s->c->groups = NULL;
                s->c->n_groups = 0;
                return 0;
        }
        for (char *g = strtok_r(copy, LIST_SEPARATORS, &save); g;
             g = strtok_r(NULL, LIST_SEPARATORS, &save)) {
                uint32_t gid;
                if (ward_parse_u32(g, &gid) < 0 || gid == UINT32_MAX) {
                        invalid(s, "supplementary groups are numeric gids");
                        ward_error_hint(s->e, "write the gids separated by spaces, e.g. "
                                              "SupplementaryGroups=27 100");
                        return -EINVAL;
                }
                if ((r = add_group(s, gid)) < 0)
                        return r;
        }
        return 0;
}

static int unknown_capability(const struct setting *s, const char *name)
{
        const char *names[65] = {NULL};
        const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
        size_t n = 0;

        for (int cap = 0; cap < 64; cap++)
                if (caps_to_name(cap))
                        names[n++] = caps_to_name(cap);
        const char *closest = ward_closest(bare, names);
        ward_error_at(s->e, s->origin, s->name, 0, "unknown capability \"%.64s\"", name);
        if (closest)
                ward_error_hint(s->e, "did you mean %s?", closest);
        else
                ward_error_hint(s->e, "give names from capabilities(7) without CAP_, e.g. "
                                      "NET_BIND_SERVICE, or ALL");
        return -EINVAL;
}

static int apply_capabilities(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        uint64_t keep = 0;
        char *save = NULL;

        if (!copy)
                return out_of_memory(s);
        for (char *name = strtok_r(copy, LIST_SEPARATORS, &save); name;
             name = strtok_r(NULL, LIST_SEPARATORS, &save)) {
                int cap;
                if (strcasecmp(name, "ALL") == 0)
                        keep |= caps_all();
                else if (caps_from_name(name, &cap) < 0 || cap < 0 || cap > 63)
                        return unknown_capability(s, name);
                else
                        keep |= UINT64_C(1) << cap;
        }
        /* Empty: keep none. Otherwise the names are added to what is kept already. */
        s->c->caps_keep = *s->value ? s->c->caps_keep | keep : 0;
        s->c->caps_origin = *s->origin;
        return 0;
}

static int apply_no_new_privs(const struct setting *s)
{
        return set_bool(s, &s->c->no_new_privs, &s->c->no_new_privs_origin);
}

static int apply_drop_bounding_set(const struct setting *s)
{
        if (strcmp(s->value, "try") == 0) {
                s->c->bounding_try = true;
        } else if (strcmp(s->value, "yes") == 0) {
                s->c->bounding_try = false;
        } else {
                invalid(s, "not yes or try");
                ward_error_hint(s->e, "use yes (the bounding set is emptied, or exit 125) or try "
                                      "(what cannot be dropped without CAP_SETPCAP stays)");
                return -EINVAL;
        }
        s->c->bounding_origin = *s->origin;
        return 0;
}

static int apply_environment(const struct setting *s)
{
        const char *eq = strchr(s->value, '=');

        if (!*s->value) {
                config_clear_env(s->c);
                return 0;
        }
        if (!eq || !valid_env_name(s->value, (size_t)(eq - s->value))) {
                invalid(s, eq ? "the name is not a valid variable name" : "no '='");
                ward_error_hint(s->e, "write Environment=NAME=VALUE (NAME: letters, digits, "
                                      "'_'); PassEnvironment=NAME copies ward's own");
                return -EINVAL;
        }
        return config_add_env(s->c, s->value, s->origin) < 0 ? out_of_memory(s) : 0;
}

/* Copies the values now; an empty PassEnvironment= has nothing to reset, and is allowed. */
static int apply_pass_environment(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        char *save = NULL;

        if (!copy)
                return out_of_memory(s);
        for (char *name = strtok_r(copy, WORD_SEPARATORS, &save); name;
             name = strtok_r(NULL, WORD_SEPARATORS, &save)) {
                const char *value = getenv(name);
                _cleanup_free_ char *kv = NULL;
                if (!valid_env_name(name, strlen(name))) {
                        invalid(s, "not a valid variable name");
                        ward_error_hint(s->e, "give names separated by spaces, e.g. "
                                              "PassEnvironment=TERM LANG");
                        return -EINVAL;
                }
                if (!value)
                        continue;
                if (asprintf(&kv, "%s=%s", name, value) < 0) {
                        kv = NULL;
                        return out_of_memory(s);
                }
                if (config_add_env(s->c, kv, s->origin) < 0)
                        return out_of_memory(s);
        }
        return 0;
}

/* Rootless, the caller's supplementary groups cannot be dropped (process.h): yes accepts
 * that they stay, no (the default) refuses such a start. */
static int apply_keep_groups(const struct setting *s)
{
        return set_bool(s, &s->c->keep_groups, &s->c->keep_groups_origin);
}

static int apply_working_directory(const struct setting *s)
{
        int r = require_value(s, "give an absolute path, e.g. WorkingDirectory=/srv");
        _cleanup_free_ char *dir = NULL;

        if (r < 0)
                return r;
        if (!(dir = strdup(s->value)))
                return out_of_memory(s);
        if ((r = check_sandbox_path(s, dir, true)) < 0)
                return r;
        if (config_set_string(&s->c->cwd, dir) < 0)
                return out_of_memory(s);
        s->c->cwd_origin = *s->origin;
        return 0;
}

static int apply_umask(const struct setting *s)
{
        unsigned mask;

        if (ward_parse_mode(s->value, &mask) < 0 || mask > 0777) {
                invalid(s, "not an octal umask");
                ward_error_hint(s->e, "give an octal mask up to 0777, e.g. 022 or 077");
                return -EINVAL;
        }
        s->c->umask = mask;
        s->c->umask_origin = *s->origin;
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* [Resources], [Network], [Init]                                                        */

/* The systemd names, "LimitNOFILE" ..., built from rlimit.c's table. */
static size_t rlimit_key_names(char names[][32], const char **ptrs, size_t max)
{
        size_t n = 0;

        for (int res = 0; res < WARD_RLIMIT_COUNT && n + 1 < max; res++) {
                const char *name = rlimit_to_name(res);
                if (!name)
                        continue;
                snprintf(names[n], 32, "Limit%s", name);
                ptrs[n] = names[n];
                n++;
        }
        ptrs[n] = NULL;
        return n;
}

/* Memory= CPUs= Pids= ...: the key after "Resources." names the limit (cgroup.h). */
static int apply_cgroup_limit(const struct setting *s)
{
        int id = cgroup_limit_from_key(strchr(s->name, '.') + 1);
        struct ward_cg_limit *l = &s->c->cgroup.limits[id < 0 ? 0 : id];
        const char *why;
        uint64_t v;

        if (id < 0)
                return ward_error_at(s->e, s->origin, s->name, 0, "unknown cgroup limit");
        if (!*s->value) { /* Key= resets, like every list */
                *l = (struct ward_cg_limit){0};
                return 0;
        }
        if (cgroup_parse_limit(id, s->value, &v, &why) < 0) {
                invalid(s, why);
                ward_error_hint(s->e, "e.g. Memory=256M, MemorySwap=0, CPUs=0.5, CPUWeight=100, "
                                      "Pids=128, IOWeight=100 (max: no limit)");
                return -EINVAL;
        }
        *l = (struct ward_cg_limit){.set = true, .value = v, .origin = *s->origin};
        if (id == WARD_CG_MEMORY_SWAP)
                s->c->cgroup.swap_is_total = false; /* the profile's MemorySwap= is swap alone */
        return 0;
}

/* Resources=yes: limits that cannot be applied are an error; try: run without them. */
static int apply_resources_mode(const struct setting *s)
{
        bool yes;

        if (strcmp(s->value, "try") == 0)
                s->c->cgroup.try_only = true;
        else if (ward_parse_bool(s->value, &yes) == 0 && yes)
                s->c->cgroup.try_only = false;
        else {
                invalid(s, "expected yes or try");
                ward_error_hint(s->e, "Resources=yes refuses to run without the limits; "
                                      "Resources=try runs without them where cgroup v2 "
                                      "controllers are missing");
                return -EINVAL;
        }
        s->c->cgroup.mode_origin = *s->origin;
        return 0;
}

/* A cgroup path below /sys/fs/cgroup such as /ward or /system.slice/web.service/payload.
 * The full path /sys/fs/cgroup/ward names the same cgroup: the prefix is dropped. */
static int apply_cgroup_parent(const struct setting *s)
{
        const char *v = s->value;
        size_t root_len = strlen(WARD_CGROUP_ROOT);

        if (strncmp(v, WARD_CGROUP_ROOT "/", root_len + 1) == 0)
                v += root_len;
        else if (strcmp(v, WARD_CGROUP_ROOT) == 0)
                v = "/"; /* the root cgroup: refused below */
        if (v[0] != '/' || strstr(v, "/../") || strstr(v, "/./") || strstr(v, "//") ||
            (strlen(v) >= 3 && strcmp(v + strlen(v) - 3, "/..") == 0) ||
            (strlen(v) >= 2 && strcmp(v + strlen(v) - 2, "/.") == 0) || strcmp(v, "/") == 0 ||
            v[strlen(v) - 1] == '/' || strlen(v) > 1024) {
                invalid(s, "expected a cgroup path below /sys/fs/cgroup, such as /ward");
                ward_error_hint(s->e, "write it relative to the cgroup2 mount, without . or .. "
                                      "or a trailing /");
                return -EINVAL;
        }
        if (config_set_string(&s->c->cgroup.parent, v) < 0)
                return out_of_memory(s);
        s->c->cgroup.parent_origin = *s->origin;
        return 0;
}

/* "LimitNOFILE" -> RLIMIT_NOFILE; exact spelling only, like every other key. */
static int rlimit_from_key(const char *key, int *resource)
{
        const char *name;

        if (strncmp(key, "Limit", 5) != 0 || rlimit_from_name(key + 5, resource) < 0 ||
            *resource < 0 || *resource >= WARD_RLIMIT_COUNT)
                return -EINVAL;
        name = rlimit_to_name(*resource);
        return name && strcmp(name, key + 5) == 0 ? 0 : -EINVAL;
}

static int apply_rlimit(const struct setting *s, int res)
{
        struct ward_rlimit *l = &s->c->rlimits[res];
        rlim_t soft, hard;

        if (!*s->value) {
                /* Reset: the limit is inherited from ward's caller again. */
                memset(l, 0, sizeof(*l));
                return 0;
        }
        int r = rlimit_parse_value(res, s->value, &soft, &hard);

        if (r < 0 || soft > hard) {
                invalid(s, r < 0 ? "not a limit" : "the soft limit is above the hard one");
                ward_error_hint(s->e, "write SOFT[:HARD] with numbers or \"infinity\" (byte "
                                      "limits take K/M/G), e.g. 1024 or 1024:4096");
                return -EINVAL;
        }
        *l = (struct ward_rlimit){.set = true, .soft = soft, .hard = hard, .origin = *s->origin};
        return 0;
}

static int apply_net_mode(const struct setting *s)
{
        struct ward_config *c = s->c;

        if (strcmp(s->value, "none") == 0)
                c->unshare_flags |= CLONE_NEWNET;
        else if (strcmp(s->value, "host") == 0)
                c->unshare_flags &= ~(unsigned long)CLONE_NEWNET;
        else {
                invalid(s, "unknown network mode");
                ward_error_hint(s->e, "use none (a private network with only lo) or host");
                return -EINVAL;
        }
        c->net_mode = strcmp(s->value, "none") == 0 ? WARD_NET_NONE : WARD_NET_HOST;
        c->net_origin = *s->origin;
        return 0;
}

static int apply_init(const struct setting *s)
{
        return set_bool(s, &s->c->init, &s->c->init_origin);
}

static int apply_process_group(const struct setting *s)
{
        return set_bool(s, &s->c->init_group, &s->c->init_group_origin);
}

/* Exit statuses ward-init reports as 0 (its -e): a list, an empty value empties it. */
static int apply_success_exit_status(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        char *save = NULL;

        if (!copy)
                return out_of_memory(s);
        if (!*s->value)
                memset(s->c->init_success, 0, sizeof(s->c->init_success));
        for (char *w = strtok_r(copy, LIST_SEPARATORS, &save); w;
             w = strtok_r(NULL, LIST_SEPARATORS, &save)) {
                uint32_t code;
                if (ward_parse_u32(w, &code) < 0 || code > 255) {
                        invalid(s, "not an exit status 0-255");
                        ward_error_hint(s->e, "list statuses, 128+N for death by signal N, e.g. "
                                              "SuccessExitStatus=143");
                        return -EINVAL;
                }
                s->c->init_success[code / 32] |= 1u << (code % 32);
        }
        s->c->init_success_origin = *s->origin;
        return 0;
}

static int apply_stop_timeout(const struct setting *s)
{
        if (ward_parse_duration_ms(s->value, &s->c->stop_timeout_ms) < 0) {
                invalid(s, "not a duration");
                ward_error_hint(s->e, "write a number with a unit: 500ms, 10s, 2min, 1h "
                                      "(a bare number is seconds)");
                return -EINVAL;
        }
        s->c->stop_timeout_origin = *s->origin;
        return 0;
}

/* [Landlock]: every key is parsed in src/landlock.c, next to the code that applies it. */
static int apply_landlock(const struct setting *s)
{
        return landlock_parse_key(s->c, strchr(s->name, '.') + 1, s->value, s->origin, s->e);
}

/* ------------------------------------------------------------------------------------- */
/* [Seccomp] (the allowlist and the groups live in src/seccomp.c)                         */

static bool is_json_profile(const char *value)
{
        size_t n = strlen(value);

        return strchr(value, '/') || (n > 5 && strcmp(value + n - 5, ".json") == 0);
}

/* A Docker/OCI JSON profile: read and compiled here already, so that its errors name this
 * line; the monitor compiles it again with the final capabilities. */
static int apply_seccomp_json(const struct setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;
        char *copy;
        int r;

        if (s->value[0] != '/') {
                invalid(s, "a JSON seccomp profile needs an absolute path");
                ward_error_hint(s->e, "write the full path, e.g. /etc/ward/seccomp.json");
                return -EINVAL;
        }
        if ((r = seccomp_json_compile(s->value, s->c->caps_keep, s->origin, NULL, NULL, s->e)) < 0)
                return r;
        if (!(copy = strdup(s->value)))
                return out_of_memory(s);
        free(sc->json_path);
        sc->json_path = copy;
        sc->enabled = true;
        sc->profile_origin = sc->origin = *s->origin;
        return 0;
}

static int apply_seccomp_profile(const struct setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;

        if (is_json_profile(s->value))
                return apply_seccomp_json(s);
        if (strcmp(s->value, "default") != 0 && strcmp(s->value, "unconfined") != 0) {
                invalid(s, "unknown seccomp profile");
                ward_error_hint(s->e, "use default (ward's allowlist, adjusted with Allow= and "
                                      "Deny=), unconfined, or the absolute path of a "
                                      "Docker/OCI JSON profile");
                return -EINVAL;
        }
        free(sc->json_path);
        sc->json_path = NULL;
        sc->enabled = strcmp(s->value, "default") == 0;
        sc->profile_origin = sc->origin = *s->origin;
        return 0;
}

static int unknown_syscall(const struct setting *s, const char *word, const char *closest)
{
        ward_error_at(s->e, s->origin, s->name, 0, "unknown %s \"%.64s\"",
                      word[0] == '@' ? "syscall group" : "x86_64 syscall", word);
        if (*closest)
                ward_error_hint(s->e, "did you mean \"%s\"?", closest);
        else
                ward_error_hint(s->e, "give syscall names as in syscalls(2), or a group: "
                                      "@system-service @mount @module @privileged ...");
        return -EINVAL;
}

/* Names and @groups, checked here so that a typo is reported with its line. */
static int apply_seccomp_list(const struct setting *s, char ***list, size_t *n,
                              struct ward_origin *list_origin)
{
        _cleanup_free_ char *copy = strdup(s->value);
        char *save = NULL, closest[64];

        if (!copy)
                return out_of_memory(s);
        if (!*s->value)
                config_clear_strings(list, n); /* an empty assignment resets the list */
        for (char *w = strtok_r(copy, LIST_SEPARATORS, &save); w;
             w = strtok_r(NULL, LIST_SEPARATORS, &save)) {
                if (seccomp_check_word(w, closest, sizeof(closest)) < 0)
                        return unknown_syscall(s, w, closest);
                if (config_add_string(list, n, w) < 0)
                        return out_of_memory(s);
        }
        *list_origin = s->c->seccomp.origin = *s->origin;
        return 0;
}

static int apply_seccomp_allow(const struct setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;
        return apply_seccomp_list(s, &sc->allow, &sc->n_allow, &sc->allow_origin);
}

static int apply_seccomp_deny(const struct setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;
        return apply_seccomp_list(s, &sc->deny, &sc->n_deny, &sc->deny_origin);
}

static int apply_seccomp_default_action(const struct setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;

        if (seccomp_action_from_name(s->value, &sc->default_action) < 0) {
                invalid(s, "unknown action");
                ward_error_hint(s->e, "use errno (EPERM), kill (the process dies of SIGSYS) or "
                                      "log (audit mode: logged and allowed)");
                return -EINVAL;
        }
        sc->default_action_origin = sc->origin = *s->origin;
        return 0;
}

/* MemfdExec=no|try|yes: parsed next to the code that applies it, src/memfd_exec.c. */
static int apply_memfd_exec(const struct setting *s)
{
        return memfd_exec_parse(s->c, s->value, s->origin, s->e);
}

/* AllowSocketFamily=vsock alg: parsed next to the family table, in src/seccomp.c. */
static int apply_seccomp_socket_families(const struct setting *s)
{
        return seccomp_parse_socket_families(s->c, s->value, s->origin, s->e);
}

/* AllowSetuidFiles=yes: the filter lets chmod and friends set S_ISUID/S_ISGID (seccomp.h). */
static int apply_seccomp_setid_files(const struct setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;
        int r = set_bool(s, &sc->allow_setid_files, &sc->allow_setid_files_origin);

        if (r >= 0)
                sc->origin = *s->origin;
        return r;
}

/* ------------------------------------------------------------------------------------- */
/* Key lookup                                                                            */

/* [Policy] AllowExceptions=W070 host-network ...: rule ids or names (policy.h). */
static int apply_policy_exceptions(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        struct ward_config *c = s->c;
        char *save = NULL;

        if (!copy)
                return out_of_memory(s);
        if (!*s->value)
                config_clear_strings(&c->policy_exceptions, &c->n_policy_exceptions);
        for (char *w = strtok_r(copy, LIST_SEPARATORS, &save); w;
             w = strtok_r(NULL, LIST_SEPARATORS, &save)) {
                const struct ward_policy_rule *rule = policy_rule_find(w);
                if (!rule) {
                        invalid(s, "not a rule of ward's policy");
                        ward_error_hint(s->e, "use rule ids such as W001 or names such as "
                                              "privileged (ward check --list-rules)");
                        return -EINVAL;
                }
                if (config_add_string(&c->policy_exceptions, &c->n_policy_exceptions, rule->id) < 0)
                        return out_of_memory(s);
        }
        c->policy_exceptions_origin = *s->origin;
        return 0;
}

/* [Policy] AllowCalls=mount setns ...: names of the dangerous calls policy.c judges. A name
 * outside that list is an error: it would tolerate nothing, and the writer meant something. */
static int apply_policy_calls(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        struct ward_config *c = s->c;
        char *save = NULL;
        size_t n;
        const struct oci_call *calls = oci_dangerous_calls(&n);

        if (!copy)
                return out_of_memory(s);
        if (!*s->value)
                c->policy_calls = 0;
        for (char *w = strtok_r(copy, LIST_SEPARATORS, &save); w;
             w = strtok_r(NULL, LIST_SEPARATORS, &save)) {
                size_t i = 0;
                while (i < n && strcmp(calls[i].name, w) != 0)
                        i++;
                if (i == n) {
                        ward_error_at(s->e, s->origin, s->name, 0,
                                      "\"%.64s\" is not one of the dangerous system calls "
                                      "ward's policy judges (W041, W042)",
                                      w);
                        ward_error_hint(s->e, "name calls that ward check --oci reports under "
                                              "W041 or W042, such as mount or keyctl; any "
                                              "other call is never judged and needs no entry");
                        return -EINVAL;
                }
                c->policy_calls |= UINT64_C(1) << i;
        }
        c->policy_calls_origin = *s->origin;
        return 0;
}

/* [Policy] AllowJoinNamespaces=net ...: namespace names as Unshare= takes them. */
static int apply_policy_join_ns(const struct setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        char *save = NULL;

        if (!copy)
                return out_of_memory(s);
        if (!*s->value)
                s->c->policy_join_ns = 0;
        for (char *tok = strtok_r(copy, LIST_SEPARATORS, &save); tok;
             tok = strtok_r(NULL, LIST_SEPARATORS, &save)) {
                unsigned long flag;
                if (ns_from_name(tok, &flag) < 0)
                        return unknown_namespace(s, tok);
                s->c->policy_join_ns |= flag;
        }
        s->c->policy_join_ns_origin = *s->origin;
        return 0;
}

static const struct key_handler handlers[] = {
    {"Profile", "Include", NULL},
    {"Profile", "Description", apply_description},
    {"Namespaces", "Unshare", apply_unshare},
    {"Namespaces", "Hostname", apply_hostname},
    {"Namespaces", "IdMapBase", apply_id_map_base},
    {"Filesystem", "Root", apply_root},
    {"Filesystem", "ReadOnly", apply_read_only},
    {"Filesystem", "Tmpfs", apply_tmpfs},
    {"Filesystem", "Bind", apply_bind},
    {"Filesystem", "MaskPath", apply_mask_path},
    {"Filesystem", "ReadOnlyPath", apply_readonly_path},
    {"Process", "User", apply_user},
    {"Process", "SupplementaryGroups", apply_groups},
    {"Process", "KeepGroups", apply_keep_groups},
    {"Process", "Capabilities", apply_capabilities},
    {"Process", "NoNewPrivileges", apply_no_new_privs},
    {"Process", "DropBoundingSet", apply_drop_bounding_set},
    {"Process", "Environment", apply_environment},
    {"Process", "PassEnvironment", apply_pass_environment},
    {"Process", "WorkingDirectory", apply_working_directory},
    {"Process", "UMask", apply_umask},
    {"Process", "MemfdExec", apply_memfd_exec},
    {"Resources", "Resources", apply_resources_mode},
    {"Resources", "Memory", apply_cgroup_limit},
    {"Resources", "MemorySwap", apply_cgroup_limit},
    {"Resources", "MemoryHigh", apply_cgroup_limit},
    {"Resources", "CPUs", apply_cgroup_limit},
    {"Resources", "CPUWeight", apply_cgroup_limit},
    {"Resources", "Pids", apply_cgroup_limit},
    {"Resources", "IOWeight", apply_cgroup_limit},
    {"Resources", "CgroupParent", apply_cgroup_parent},
    {"Network", "Mode", apply_net_mode},
    {"Init", "Init", apply_init},
    {"Init", "StopTimeout", apply_stop_timeout},
    {"Init", "ProcessGroup", apply_process_group},
    {"Init", "SuccessExitStatus", apply_success_exit_status},
    {"Landlock", "Landlock", apply_landlock},
    {"Landlock", "ReadOnly", apply_landlock},
    {"Landlock", "ReadWrite", apply_landlock},
    {"Landlock", "Execute", apply_landlock},
    {"Landlock", "BindTCP", apply_landlock},
    {"Landlock", "ConnectTCP", apply_landlock},
    {"Seccomp", "Profile", apply_seccomp_profile},
    {"Seccomp", "Allow", apply_seccomp_allow},
    {"Seccomp", "Deny", apply_seccomp_deny},
    {"Seccomp", "DefaultAction", apply_seccomp_default_action},
    {"Seccomp", "AllowSocketFamily", apply_seccomp_socket_families},
    {"Seccomp", "AllowSetuidFiles", apply_seccomp_setid_files},
    {"Policy", "AllowExceptions", apply_policy_exceptions},
    {"Policy", "AllowCalls", apply_policy_calls},
    {"Policy", "AllowJoinNamespaces", apply_policy_join_ns},
};

static const struct key_handler *find_handler(const char *section, const char *key)
{
        for (size_t i = 0; i < ARRAY_SIZE(handlers); i++)
                if (strcmp(handlers[i].section, section) == 0 && strcmp(handlers[i].key, key) == 0)
                        return &handlers[i];
        return NULL;
}

static bool section_known(const char *section)
{
        for (size_t i = 0; sections[i]; i++)
                if (strcmp(sections[i], section) == 0)
                        return true;
        return false;
}

/* The section a key belongs in, for "Hostname= goes in [Namespaces]". */
static const char *section_of_key(const char *key)
{
        int res;

        for (size_t i = 0; i < ARRAY_SIZE(handlers); i++)
                if (strcmp(handlers[i].key, key) == 0)
                        return handlers[i].section;
        return rlimit_from_key(key, &res) == 0 ? "Resources" : NULL;
}

/* Every key of section, NULL-terminated, for suggestions and listings. */
static size_t section_keys(const char *section, const char **keys, size_t max,
                           char limit_names[][32])
{
        size_t n = 0;

        for (size_t i = 0; i < ARRAY_SIZE(handlers) && n + 1 < max; i++)
                if (strcmp(handlers[i].section, section) == 0)
                        keys[n++] = handlers[i].key;
        keys[n] = NULL;
        if (strcmp(section, "Resources") == 0)
                n += rlimit_key_names(limit_names, keys + n, max - n);
        return n;
}

static void join_words(const char *const *words, char *buf, size_t len)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; words[i] && used < len; i++) {
                int n = snprintf(buf + used, len - used, "%s%s=", i ? " " : "", words[i]);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
}

static int unknown_key(const struct setting *s, const char *section, const char *key)
{
        char limit_names[WARD_RLIMIT_COUNT + 1][32], list[400];
        const char *keys[ARRAY_SIZE(handlers) + WARD_RLIMIT_COUNT + 1];
        const char *closest, *home = section_of_key(key);

        ward_error_at(s->e, s->origin, s->name, 0, "unknown key \"%.64s\" in [%s]", key, section);
        if (home) {
                ward_error_hint(s->e, "%s= belongs in [%s]", key, home);
                return -EINVAL;
        }
        section_keys(section, keys, ARRAY_SIZE(keys), limit_names);
        if ((closest = ward_closest(key, keys)))
                ward_error_hint(s->e, "did you mean %s=?", closest);
        else {
                join_words(keys, list, sizeof(list));
                ward_error_hint(s->e, "keys in [%s]: %s", section, list);
        }
        return -EINVAL;
}

static int unknown_section(struct ward_error *e, const struct ward_origin *origin,
                           const char *section)
{
        const char *closest = ward_closest(section, sections);

        ward_error_at(e, origin, section, 0, "unknown section [%.64s]", section);
        if (strcasecmp(section, "Cgroup") == 0) {
                ward_error_hint(e, "cgroup limits go in [Resources]: Memory=, CPUs=, Pids=, ...");
                return -EINVAL;
        }
        if (closest)
                ward_error_hint(e, "did you mean [%s]?", closest);
        else
                ward_error_hint(e, "sections: [Profile] [Namespaces] [Filesystem] [Process] "
                                   "[Resources] [Network] [Init] [Seccomp] [Landlock] [Policy]");
        return -EINVAL;
}

int profile_apply(struct ward_config *c, const char *section, const char *key, const char *value,
                  const struct ward_origin *origin, struct ward_error *e)
{
        char name[128];
        struct setting s = {.c = c, .name = name, .value = value, .origin = origin, .e = e};
        const struct key_handler *h;
        int res;

        if (!section_known(section))
                return unknown_section(e, origin, section);
        snprintf(name, sizeof(name), "%s.%.64s", section, key);
        if (strcmp(section, "Resources") == 0 && rlimit_from_key(key, &res) == 0)
                return apply_rlimit(&s, res);
        if (!(h = find_handler(section, key)))
                return unknown_key(&s, section, key);
        if (!h->apply) {
                ward_error_at(e, origin, name, 0, "Include= is only valid in a profile file");
                ward_error_hint(e, "pass more profiles with --profile instead");
                return -EINVAL;
        }
        return h->apply(&s);
}

/* ------------------------------------------------------------------------------------- */
/* Finding profiles                                                                      */

static bool is_regular_file(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A binary run from its build tree uses the source tree's profiles, so a developer tests
 * what they edit; an installed binary never looks there. */
static bool running_from_build_tree(void)
{
#if defined(WARD_BUILD_DIR) && defined(WARD_SOURCE_PROFILES_DIR)
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        size_t blen = strlen(WARD_BUILD_DIR);

        if (n <= 0)
                return false;
        exe[n] = '\0';
        return strncmp(exe, WARD_BUILD_DIR, blen) == 0 && exe[blen] == '/';
#else
        return false;
#endif
}

static void add_dir(char dirs[][4096], size_t *n, size_t max, const char *dir)
{
        for (size_t i = 0; i < *n; i++)
                if (strcmp(dirs[i], dir) == 0)
                        return;
        if (*n < max && strlen(dir) < 4096)
                snprintf(dirs[(*n)++], 4096, "%s", dir);
}

/* The caller's own directory only for a caller other than root: a root-run ward must not
 * take its settings from whatever $HOME or $XDG_CONFIG_HOME points at. */
static void add_user_dir(char dirs[][4096], size_t *n, size_t max)
{
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        char buf[4096];

        if (geteuid() == 0)
                return;
        /* Relative XDG or HOME values are ignored, as the XDG spec requires. */
        if (xdg && xdg[0] == '/' &&
            (size_t)snprintf(buf, sizeof(buf), "%s/ward/profiles", xdg) < sizeof(buf))
                add_dir(dirs, n, max, buf);
        else if (home && home[0] == '/' &&
                 (size_t)snprintf(buf, sizeof(buf), "%s/.config/ward/profiles", home) < sizeof(buf))
                add_dir(dirs, n, max, buf);
}

size_t profile_search_path(char dirs[][4096], size_t max)
{
        char buf[4096], exe_dir[4096];
        size_t n = 0;

        add_user_dir(dirs, &n, max);
        add_dir(dirs, &n, max, "/etc/ward/profiles");
        add_dir(dirs, &n, max, WARD_BUILTIN_PROFILE_DIR);
        /* Relative to the binary, so `cmake --install --prefix P` works for any P. */
        if (ward_exe_dir(exe_dir, sizeof(exe_dir)) == 0 &&
            (size_t)snprintf(buf, sizeof(buf), "%s/../share/ward/profiles", exe_dir) < sizeof(buf))
                add_dir(dirs, &n, max, buf);
#ifdef WARD_PROFILES_INSTALL_DIR
        add_dir(dirs, &n, max, WARD_PROFILES_INSTALL_DIR);
#endif
#ifdef WARD_SOURCE_PROFILES_DIR
        if (running_from_build_tree())
                add_dir(dirs, &n, max, WARD_SOURCE_PROFILES_DIR);
#endif
        if (n < max)
                dirs[n][0] = '\0';
        return n;
}

static const struct ward_builtin_profile *builtin_profile(const char *name)
{
        for (const struct ward_builtin_profile *b = ward_builtin_profiles; b->name; b++)
                if (strcmp(b->name, name) == 0)
                        return b;
        return NULL;
}

static bool is_builtin_dir(const char *dir)
{
        return strcmp(dir, WARD_BUILTIN_PROFILE_DIR) == 0;
}

/* The built-in profile a path names ("<built-in>/NAME.profile"), or NULL. */
static const struct ward_builtin_profile *builtin_of_path(const char *path)
{
        const size_t dir_len = strlen(WARD_BUILTIN_PROFILE_DIR);
        char name[256];
        size_t len;

        if (strncmp(path, WARD_BUILTIN_PROFILE_DIR "/", dir_len + 1) != 0)
                return NULL;
        path += dir_len + 1;
        len = strlen(path);
        if (len <= 8 || len - 8 >= sizeof(name) || strcmp(path + len - 8, ".profile") != 0)
                return NULL;
        snprintf(name, sizeof(name), "%.*s", (int)(len - 8), path);
        return builtin_profile(name);
}

/* Only a '/' makes a path: "x.profile" alone is not looked up in the current directory. */
static bool is_profile_path(const char *s)
{
        return strchr(s, '/') != NULL;
}

static bool ends_in_profile(const char *s)
{
        size_t len = strlen(s);

        return len > 8 && strcmp(s + len - 8, ".profile") == 0;
}

static bool valid_profile_name(const char *name)
{
        if (!*name || name[0] == '.' || strlen(name) > 200)
                return false;
        for (const char *p = name; *p; p++)
                if (!(isalnum((unsigned char)*p) || strchr("._-", *p)))
                        return false;
        return true;
}

static int copy_out(const char *path, char *out, size_t out_len, struct ward_error *e)
{
        if ((size_t)snprintf(out, out_len, "%s", path) >= out_len)
                return ward_error_set(e, ENAMETOOLONG, "profile path \"%.256s\"", path);
        return 0;
}

static int find_profile_file(const char *path, char *out, size_t out_len, struct ward_error *e)
{
        struct stat st;

        if (stat(path, &st) < 0) {
                int err = errno;
                ward_error_set(e, err, "cannot read profile %.512s", path);
                ward_error_hint(e, "check the path; a bare NAME is looked up as NAME.profile "
                                   "in the profile directories");
                return -err;
        }
        if (!S_ISREG(st.st_mode))
                return ward_error_set(e, EINVAL, "profile %.512s is not a regular file", path);
        return copy_out(path, out, out_len, e);
}

static void list_dirs(char dirs[][4096], size_t n, char *buf, size_t len)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < n && used < len; i++) {
                int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", dirs[i]);
                if (w < 0)
                        break;
                used += (size_t)w;
        }
}

/* The NAME.profile files in dir, collected for "did you mean". */
static void collect_profile_names(const char *dir, char names[][64], size_t *n, size_t max)
{
        _cleanup_closedir_ DIR *d = opendir(dir);
        struct dirent *de;

        while (d && *n < max && (de = readdir(d))) {
                size_t len = strlen(de->d_name);
                if (len > 8 && len - 8 < 64 && strcmp(de->d_name + len - 8, ".profile") == 0)
                        snprintf(names[(*n)++], 64, "%.*s", (int)(len - 8), de->d_name);
        }
}

static const char *closest_profile(const char *name, char dirs[][4096], size_t n_dirs,
                                   char names[][64], size_t max)
{
        const char *ptrs[65];
        size_t n = 0;

        for (size_t i = 0; i < n_dirs; i++) {
                if (!is_builtin_dir(dirs[i])) {
                        collect_profile_names(dirs[i], names, &n, max < 64 ? max : 64);
                        continue;
                }
                for (const struct ward_builtin_profile *b = ward_builtin_profiles;
                     b->name && n < max && n < 64; b++)
                        snprintf(names[n++], 64, "%s", b->name);
        }
        for (size_t i = 0; i < n; i++)
                ptrs[i] = names[i];
        ptrs[n] = NULL;
        return ward_closest(name, ptrs);
}

static int profile_not_found(const char *name, char dirs[][4096], size_t n, struct ward_error *e)
{
        char searched[600], names[64][64];
        const char *closest = closest_profile(name, dirs, n, names, ARRAY_SIZE(names));

        list_dirs(dirs, n, searched, sizeof(searched));
        ward_error_set(e, ENOENT, "profile \"%.64s\" not found in %s", name, searched);
        if (closest)
                ward_error_hint(e, "did you mean \"%s\"?", closest);
        else
                ward_error_hint(e,
                                "install %.64s.profile in one of these directories, or pass a "
                                "path (e.g. --profile ./%.64s.profile)",
                                name, name);
        return -ENOENT;
}

int profile_find(const char *name_or_path, char *out, size_t out_len, struct ward_error *e)
{
        char dirs[8][4096], candidate[PATH_MAX + 16];
        size_t n;

        if (is_profile_path(name_or_path))
                return find_profile_file(name_or_path, out, out_len, e);
        if (ends_in_profile(name_or_path)) {
                ward_error_set(e, EINVAL,
                               "\"%.64s\" is a file name: ward does not look for profiles in "
                               "the current directory",
                               name_or_path);
                ward_error_hint(e,
                                "give it as a path, ./%.64s, or the profile's name without "
                                ".profile to look it up in the profile directories",
                                name_or_path);
                return -EINVAL;
        }
        if (!valid_profile_name(name_or_path)) {
                ward_error_set(e, EINVAL, "\"%.64s\" is not a profile name", name_or_path);
                ward_error_hint(e, "a name has letters, digits, '.', '_' and '-'; give a file "
                                   "as a path (with a '/')");
                return -EINVAL;
        }
        n = profile_search_path(dirs, ARRAY_SIZE(dirs));
        for (size_t i = 0; i < n; i++) {
                snprintf(candidate, sizeof(candidate), "%s/%s.profile", dirs[i], name_or_path);
                if (is_builtin_dir(dirs[i]) ? builtin_profile(name_or_path) != NULL
                                            : is_regular_file(candidate))
                        return copy_out(candidate, out, out_len, e);
        }
        return profile_not_found(name_or_path, dirs, n, e);
}

/* ------------------------------------------------------------------------------------- */
/* Reading profile files                                                                 */

struct loader {
        struct ward_config *c;
        struct ward_error *e;
        char *stack[WARD_PROFILE_MAX_INCLUDE_DEPTH + 1]; /* real paths of the open files */
        size_t depth;
};

/* The state of one file being parsed. */
struct file_ctx {
        const char *file; /* interned: origins point at it */
        const char *dir;  /* includes given as relative paths are resolved from here */
        char section[64]; /* "" before the first [Section] */
};

static int parse_text(struct loader *l, struct file_ctx *f, const char *text, size_t len);

static void loader_free(struct loader *l)
{
        for (size_t i = 0; i < l->depth; i++)
                free(l->stack[i]);
        l->depth = 0;
}

static int record_loaded(struct loader *l, const char *path)
{
        struct ward_config *c = l->c;
        char **grown = realloc(c->profiles_loaded, (c->n_profiles_loaded + 1) * sizeof(*grown));

        if (!grown)
                return ward_error_set(l->e, ENOMEM, "out of memory");
        c->profiles_loaded = grown;
        if (!(grown[c->n_profiles_loaded] = strdup(path)))
                return ward_error_set(l->e, ENOMEM, "out of memory");
        c->n_profiles_loaded++;
        return 0;
}

static const char *base_name(const char *path)
{
        const char *slash = strrchr(path, '/');
        return slash ? slash + 1 : path;
}

static int include_cycle(struct loader *l, size_t first, const char *real,
                         const struct ward_origin *origin)
{
        char chain[600];
        size_t used = 0;

        chain[0] = '\0';
        for (size_t i = first; i < l->depth && used < sizeof(chain); i++) {
                int n =
                    snprintf(chain + used, sizeof(chain) - used, "%s -> ", base_name(l->stack[i]));
                if (n < 0)
                        break;
                used += (size_t)n;
        }
        if (used < sizeof(chain))
                snprintf(chain + used, sizeof(chain) - used, "%s", base_name(real));
        ward_error_at(l->e, origin, "Profile.Include", ELOOP, "include cycle: %s", chain);
        ward_error_hint(l->e, "remove the Include= that closes the loop");
        return -ELOOP;
}

/* Push real onto the include stack, refusing cycles and runaway depth. */
static int push_file(struct loader *l, const char *real, const struct ward_origin *origin)
{
        for (size_t i = 0; i < l->depth; i++)
                if (strcmp(l->stack[i], real) == 0)
                        return include_cycle(l, i, real, origin);
        if (l->depth > WARD_PROFILE_MAX_INCLUDE_DEPTH) {
                ward_error_at(l->e, origin, "Profile.Include", ELOOP,
                              "includes are nested deeper than %d levels",
                              WARD_PROFILE_MAX_INCLUDE_DEPTH);
                ward_error_hint(l->e, "flatten the chain of Include= lines");
                return -ELOOP;
        }
        if (!(l->stack[l->depth] = strdup(real)))
                return ward_error_set(l->e, ENOMEM, "out of memory");
        l->depth++;
        return 0;
}

static void pop_file(struct loader *l)
{
        free(l->stack[--l->depth]);
}

static int read_error(struct loader *l, const struct ward_origin *origin, int err, const char *path,
                      const char *what)
{
        if (origin)
                return ward_error_at(l->e, origin, "Profile.Include", err, "%s %.512s", what, path);
        return ward_error_set(l->e, err, "%s %.512s", what, path);
}

/* Read a whole profile: a built-in one from ward itself, a file only when trust.h's
 * ownership rule holds for it and every directory above it. */
static int read_profile_file(struct loader *l, const char *path, const struct ward_origin *origin,
                             char **text, size_t *len)
{
        const struct ward_builtin_profile *b = builtin_of_path(path);
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        if (b) {
                if (!(*text = malloc(b->len + 1)))
                        return ward_error_set(l->e, ENOMEM, "out of memory");
                memcpy(*text, b->text, b->len + 1);
                *len = b->len;
                return 0;
        }
        if ((fd = trust_open_config_file(path, "profile", l->e)) < 0) {
                if (origin) {
                        ward_origin_format(origin, l->e->where, sizeof(l->e->where));
                        snprintf(l->e->key, sizeof(l->e->key), "Profile.Include");
                }
                return fd;
        }
        if (fstat(fd, &st) < 0)
                return read_error(l, origin, errno, path, "cannot read profile");
        if (st.st_size > WARD_PROFILE_MAX_SIZE)
                return read_error(l, origin, EFBIG, path, "profile larger than 1 MiB:");
        r = ward_read_fd_bounded(fd, WARD_PROFILE_MAX_SIZE, text, len);
        if (r == -EFBIG)
                return read_error(l, origin, EFBIG, path, "profile larger than 1 MiB:");
        if (r < 0)
                return read_error(l, origin, -r, path, "cannot read profile");
        return 0;
}

static int dir_of(const char *path, char *dir, size_t len)
{
        const char *slash = strrchr(path, '/');

        if (!slash)
                return snprintf(dir, len, ".") < 0 ? -EINVAL : 0;
        if (slash == path)
                return snprintf(dir, len, "/") < 0 ? -EINVAL : 0;
        return (size_t)snprintf(dir, len, "%.*s", (int)(slash - path), path) >= len ? -ENAMETOOLONG
                                                                                    : 0;
}

/* Parse text as the file `file` (real: its resolved path for the cycle check). */
static int parse_as_file(struct loader *l, const char *file, const char *real,
                         const struct ward_origin *origin, const char *text, size_t len)
{
        struct file_ctx f = {.section = ""};
        char dir[PATH_MAX];
        int r;

        if (len > WARD_PROFILE_MAX_SIZE)
                return read_error(l, origin, EFBIG, file, "profile larger than 1 MiB:");
        if (!(f.file = config_intern(l->c, file)))
                return ward_error_set(l->e, ENOMEM, "out of memory");
        if (dir_of(file, dir, sizeof(dir)) < 0)
                return read_error(l, origin, ENAMETOOLONG, file, "path too long:");
        f.dir = dir;
        if ((r = push_file(l, real, origin)) < 0)
                return r;
        r = record_loaded(l, real);
        if (r >= 0)
                r = parse_text(l, &f, text, len);
        pop_file(l);
        return r;
}

static int load_file(struct loader *l, const char *path, const struct ward_origin *origin)
{
        _cleanup_free_ char *text = NULL;
        char real[PATH_MAX];
        size_t len = 0;
        int r;

        if (builtin_of_path(path))
                snprintf(real, sizeof(real), "%s", path);
        else if (!realpath(path, real))
                return read_error(l, origin, errno, path, "cannot read profile");
        if ((r = read_profile_file(l, path, origin, &text, &len)) < 0)
                return r;
        return parse_as_file(l, path, real, origin, text, len);
}

/* Include=NAME finds NAME.profile beside the including file first, then on the search path;
 * Include=PATH is taken relative to the including file's directory. */
static int resolve_include(struct loader *l, const struct file_ctx *f, const char *value, char *out,
                           size_t len)
{
        char candidate[PATH_MAX + 16];

        /* A built-in profile includes built-in ones only: it has no directory on disk. */
        if (is_builtin_dir(f->dir)) {
                if (is_profile_path(value) || !builtin_profile(value))
                        return ward_error_set(l->e, ENOENT,
                                              "a built-in profile includes \"%.64s\", which is "
                                              "not built in",
                                              value);
                snprintf(candidate, sizeof(candidate), "%s/%s.profile", f->dir, value);
                return copy_out(candidate, out, len, l->e);
        }
        /* A file name or relative path is taken beside the including file, never in the
         * current directory: that file passed the ownership rule, so its directory did. */
        if ((is_profile_path(value) || ends_in_profile(value)) && value[0] != '/') {
                snprintf(candidate, sizeof(candidate), "%s/%s", f->dir, value);
                return profile_find(candidate, out, len, l->e);
        }
        if (!is_profile_path(value)) {
                snprintf(candidate, sizeof(candidate), "%s/%s.profile", f->dir, value);
                if (valid_profile_name(value) && is_regular_file(candidate))
                        return copy_out(candidate, out, len, l->e);
        }
        return profile_find(value, out, len, l->e);
}

static int handle_include(struct loader *l, const struct file_ctx *f, const char *value,
                          const struct ward_origin *origin)
{
        char path[PATH_MAX];
        int r;

        if (!*value) {
                ward_error_at(l->e, origin, "Profile.Include", 0, "empty value");
                ward_error_hint(l->e, "give a profile name or path, e.g. Include=default");
                return -EINVAL;
        }
        if ((r = resolve_include(l, f, value, path, sizeof(path))) < 0) {
                /* Keep profile_find's message and hint, but say which line asked. */
                ward_origin_format(origin, l->e->where, sizeof(l->e->where));
                snprintf(l->e->key, sizeof(l->e->key), "Profile.Include");
                return r;
        }
        return load_file(l, path, origin);
}

/* ------------------------------------------------------------------------------------- */
/* Lines                                                                                 */

static char *trim(char *s)
{
        char *end;

        while (isspace((unsigned char)*s))
                s++;
        end = s + strlen(s);
        while (end > s && isspace((unsigned char)end[-1]))
                *--end = '\0';
        return s;
}

/* An inline comment starts at whitespace followed by '#': "Tmpfs=/tmp   # scratch". */
static void strip_inline_comment(char *line)
{
        for (char *p = line; *p; p++)
                if (isspace((unsigned char)p[0]) && p[1] == '#') {
                        *p = '\0';
                        return;
                }
}

static int parse_section(struct loader *l, struct file_ctx *f, char *line,
                         const struct ward_origin *o)
{
        size_t len = strlen(line);
        char *name;

        if (line[len - 1] != ']') {
                ward_error_at(l->e, o, "", 0, "section header without a closing ']'");
                ward_error_hint(l->e, "write it as [Section], e.g. [Process]");
                return -EINVAL;
        }
        line[len - 1] = '\0';
        name = trim(line + 1);
        if (!section_known(name))
                return unknown_section(l->e, o, name);
        snprintf(f->section, sizeof(f->section), "%s", name);
        return 0;
}

static int key_outside_section(struct loader *l, const char *key, const struct ward_origin *o)
{
        const char *home = section_of_key(key);

        ward_error_at(l->e, o, key, 0, "%.64s= comes before any [Section]", key);
        if (home)
                ward_error_hint(l->e, "put it under a [%s] line", home);
        else
                ward_error_hint(l->e, "start the file with a section, e.g. [Profile]");
        return -EINVAL;
}

static int parse_assignment(struct loader *l, struct file_ctx *f, char *line,
                            const struct ward_origin *o)
{
        char *eq = strchr(line, '='), *key, *value;

        if (!eq) {
                ward_error_at(l->e, o, f->section, 0, "line without '=': \"%.64s\"", line);
                ward_error_hint(l->e, "write Key=Value; comment lines start with # or ;");
                return -EINVAL;
        }
        *eq = '\0';
        key = trim(line);
        value = trim(eq + 1);
        if (!*key) {
                ward_error_at(l->e, o, f->section, 0, "no key before '='");
                ward_error_hint(l->e, "write Key=Value");
                return -EINVAL;
        }
        if (!f->section[0])
                return key_outside_section(l, key, o);
        if (strcmp(f->section, "Profile") == 0 && strcmp(key, "Include") == 0)
                return handle_include(l, f, value, o);
        return profile_apply(l->c, f->section, key, value, o, l->e);
}

static int parse_line(struct loader *l, struct file_ctx *f, const char *start, size_t len,
                      const struct ward_origin *o)
{
        char buf[WARD_PROFILE_MAX_LINE + 1], *line;

        if (len > WARD_PROFILE_MAX_LINE) {
                ward_error_at(l->e, o, "", E2BIG, "line longer than %d bytes",
                              WARD_PROFILE_MAX_LINE);
                ward_error_hint(l->e, "split the value over several lines of the same key");
                return -E2BIG;
        }
        if (memchr(start, '\0', len)) {
                ward_error_at(l->e, o, "", 0, "NUL byte in the profile");
                ward_error_hint(l->e, "a profile is a text file; check its encoding");
                return -EINVAL;
        }
        memcpy(buf, start, len);
        buf[len] = '\0';
        line = trim(buf);
        if (!*line || line[0] == '#' || line[0] == ';')
                return 0;
        strip_inline_comment(line);
        line = trim(line);
        if (line[0] == '[')
                return parse_section(l, f, line, o);
        return parse_assignment(l, f, line, o);
}

static int parse_text(struct loader *l, struct file_ctx *f, const char *text, size_t len)
{
        struct ward_origin o = {.file = f->file, .line = 0};
        size_t pos = 0;

        /* An editor's UTF-8 byte order mark is not part of the first line. */
        if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
                pos = 3;
        while (pos < len) {
                const char *nl = memchr(text + pos, '\n', len - pos);
                size_t end = nl ? (size_t)(nl - text) : len;
                int r;
                o.line++;
                if ((r = parse_line(l, f, text + pos, end - pos, &o)) < 0)
                        return r;
                pos = end + 1;
        }
        return 0;
}

int profile_load(struct ward_config *c, const char *name_or_path, struct ward_error *e)
{
        struct loader l = {.c = c, .e = e};
        char path[PATH_MAX];
        int r = profile_find(name_or_path, path, sizeof(path), e);

        if (r < 0)
                return r;
        r = load_file(&l, path, NULL);
        loader_free(&l);
        return r;
}

int profile_load_buffer(struct ward_config *c, const char *text, size_t len, const char *filename,
                        struct ward_error *e)
{
        struct loader l = {.c = c, .e = e};
        char real[PATH_MAX];
        int r;

        /* The file need not exist; its real path only serves the include cycle check. */
        if (!realpath(filename, real))
                snprintf(real, sizeof(real), "%s", filename);
        r = parse_as_file(&l, filename, real, NULL, text, len);
        loader_free(&l);
        return r;
}
