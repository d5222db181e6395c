/* The parsers behind the key table (keys.c): one per setting, each turning a value into
 * its part of struct ward_config with the origin that set it. The profile reader and the
 * command line reach them only through keys_find(), so each setting has one parser. */
#include "ward/key_values.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include "ward/sysctl.h"
#include "ward/util.h"

#define LIST_SEPARATORS " \t,"
#define WORD_SEPARATORS " \t"
#define TMPFS_DEFAULT_SIZE_TEXT "64M"
#define MAX_SUPPLEMENTARY_GROUPS 65536

/* ------------------------------------------------------------------------------------- */
/* Small helpers                                                                         */

static int invalid(const struct ward_setting *s, const char *why)
{
        return ward_error_at(s->e, s->origin, s->name, 0, "invalid value \"%.256s\": %s", s->value,
                             why);
}

static int out_of_memory(const struct ward_setting *s)
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
static int check_sandbox_path(const struct ward_setting *s, char *path, bool allow_root)
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

static int require_value(const struct ward_setting *s, const char *accepted)
{
        if (*s->value)
                return 0;
        ward_error_at(s->e, s->origin, s->name, 0, "empty value");
        ward_error_hint(s->e, "%s", accepted);
        return -EINVAL;
}

static int parse_bool_setting(const struct ward_setting *s, bool *out)
{
        if (ward_parse_bool(s->value, out) < 0) {
                invalid(s, "not a boolean");
                ward_error_hint(s->e, "use yes or no (true/false, on/off and 1/0 work too)");
                return -EINVAL;
        }
        return 0;
}

/* A yes/no key and the origin that goes with it. */
static int set_bool(const struct ward_setting *s, bool *field, struct ward_origin *origin)
{
        int r = parse_bool_setting(s, field);

        if (r >= 0)
                *origin = *s->origin;
        return r;
}

/* ------------------------------------------------------------------------------------- */
/* [Profile]                                                                             */

int key_set_description(const struct ward_setting *s)
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

static int unknown_namespace(const struct ward_setting *s, const char *name)
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

int key_set_unshare(const struct ward_setting *s)
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

int key_set_hostname(const struct ward_setting *s)
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

/* NAME=VALUE; empty: none (the profiles' so far dropped). */
int key_set_sysctl(const struct ward_setting *s)
{
        _cleanup_free_ char *name = strdup(s->value);
        const char *value, *why;
        char *eq;

        if (!name)
                return out_of_memory(s);
        if (!*s->value) {
                sysctl_list_clear(&s->c->sysctls, &s->c->n_sysctls);
                return 0;
        }
        if (!(eq = strchr(name, '=')))
                return invalid(s, "no '='"),
                       ward_error_hint(s->e, "write Sysctl=NAME=VALUE, e.g. "
                                             "Sysctl=net.ipv4.ip_unprivileged_port_start=80"),
                       -EINVAL;
        *eq = '\0';
        value = eq + 1;
        if ((why = sysctl_refusal(name, value)))
                return invalid(s, why), ward_error_hint(s->e, "%s", sysctl_allowed_hint(false)),
                       -EINVAL;
        if (sysctl_list_set(&s->c->sysctls, &s->c->n_sysctls, name, value, s->origin) < 0)
                return out_of_memory(s);
        return 0;
}

int key_set_id_map_base(const struct ward_setting *s)
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

int key_set_root(const struct ward_setting *s)
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
int key_set_read_only(const struct ward_setting *s)
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
        free(m->source);
        free(m->target);
}

static int replace_mount(const struct ward_setting *s, struct ward_mount *old,
                         const struct ward_mount *m)
{
        struct ward_mount copy = *m;

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

static int add_or_replace_mount(const struct ward_setting *s, const struct ward_mount *m)
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

static int bad_tmpfs_option(const struct ward_setting *s, const char *opt, const char *why)
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

static int parse_tmpfs_option(const struct ward_setting *s, const char *opt, struct ward_mount *m)
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

int key_set_tmpfs(const struct ward_setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        struct ward_mount m = {.kind = WARD_MOUNT_TMPFS, .origin = *s->origin};
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

static int bind_usage(const struct ward_setting *s, const char *why)
{
        invalid(s, why);
        ward_error_hint(s->e, "write Bind=SOURCE TARGET [ro|rw] (read-only unless rw), e.g. "
                              "Bind=/srv/data /data rw");
        return -EINVAL;
}

int key_set_bind(const struct ward_setting *s)
{
        _cleanup_free_ char *copy = strdup(s->value);
        struct ward_mount m = {.kind = WARD_MOUNT_BIND, .origin = *s->origin};
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

static int set_path_list(const struct ward_setting *s, struct ward_path **list, size_t *n)
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

int key_set_mask_path(const struct ward_setting *s)
{
        return set_path_list(s, &s->c->masked_paths, &s->c->n_masked_paths);
}

int key_set_readonly_path(const struct ward_setting *s)
{
        return set_path_list(s, &s->c->readonly_paths, &s->c->n_readonly_paths);
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

int key_set_user(const struct ward_setting *s)
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

static int add_group(const struct ward_setting *s, gid_t gid)
{
        struct ward_config *c = s->c;
        gid_t *grown;

        if (group_listed(c, gid))
                return 0;
        if (c->n_groups >= MAX_SUPPLEMENTARY_GROUPS)
                return invalid(s, "too many supplementary groups");
        if (!(grown = ward_grow(c->groups, c->n_groups, sizeof(*grown))))
                return out_of_memory(s);
        c->groups = grown;
        c->groups[c->n_groups++] = gid;
        return 0;
}

int key_set_groups(const struct ward_setting *s)
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

static int unknown_capability(const struct ward_setting *s, const char *name)
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

int key_set_capabilities(const struct ward_setting *s)
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

int key_set_no_new_privs(const struct ward_setting *s)
{
        return set_bool(s, &s->c->no_new_privs, &s->c->no_new_privs_origin);
}

int key_set_drop_bounding_set(const struct ward_setting *s)
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

int key_set_environment(const struct ward_setting *s)
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
int key_set_pass_environment(const struct ward_setting *s)
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
int key_set_keep_groups(const struct ward_setting *s)
{
        return set_bool(s, &s->c->keep_groups, &s->c->keep_groups_origin);
}

int key_set_working_directory(const struct ward_setting *s)
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

int key_set_umask(const struct ward_setting *s)
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

/* OOMScoreAdjust=-1000..1000; empty: inherit ward's own again. */
int key_set_oom_score_adjust(const struct ward_setting *s)
{
        int32_t v;

        if (!*s->value) {
                s->c->oom_score_adj_set = false;
                s->c->oom_score_adj_origin = *s->origin;
                return 0;
        }
        if (ward_parse_i32(s->value, &v) < 0 || v < -1000 || v > 1000) {
                invalid(s, "not an OOM score adjustment");
                ward_error_hint(s->e, "give a number from -1000 (never chosen by the OOM killer) "
                                      "to 1000 (chosen first), e.g. 500");
                return -EINVAL;
        }
        s->c->oom_score_adj_set = true;
        s->c->oom_score_adj = v;
        s->c->oom_score_adj_origin = *s->origin;
        return 0;
}

/* ------------------------------------------------------------------------------------- */
/* [Resources], [Network], [Init]                                                        */

/* Memory= CPUs= Pids= ...: the key after "Resources." names the limit (cgroup.h). */
int key_set_cgroup_limit(const struct ward_setting *s)
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
int key_set_resources_mode(const struct ward_setting *s)
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
int key_set_cgroup_parent(const struct ward_setting *s)
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

int key_set_rlimit(const struct ward_setting *s)
{
        const int res = s->row->arg;
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

int key_set_net_mode(const struct ward_setting *s)
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

int key_set_init(const struct ward_setting *s)
{
        return set_bool(s, &s->c->init, &s->c->init_origin);
}

int key_set_process_group(const struct ward_setting *s)
{
        return set_bool(s, &s->c->init_group, &s->c->init_group_origin);
}

int key_set_exit_like_app(const struct ward_setting *s)
{
        bool yes;

        if (strcmp(s->value, "auto") == 0)
                s->c->exit_like_app = WARD_EXIT_LIKE_APP_AUTO;
        else if (ward_parse_bool(s->value, &yes) == 0)
                s->c->exit_like_app = yes ? WARD_EXIT_LIKE_APP_YES : WARD_EXIT_LIKE_APP_NO;
        else {
                invalid(s, "not yes, no or auto");
                ward_error_hint(s->e, "yes: ward dies of the signal the app died of; no: it exits "
                                      "128+N; auto: yes when ward is a systemd service's main "
                                      "process");
                return -EINVAL;
        }
        s->c->exit_like_app_origin = *s->origin;
        return 0;
}

/* Exit statuses ward-init reports as 0 (its -e): a list, an empty value empties it. */
int key_set_success_exit_status(const struct ward_setting *s)
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

int key_set_stop_timeout(const struct ward_setting *s)
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

/* [Landlock]: every key is parsed in src/sandbox/landlock.c, next to the code that applies it. */
int key_set_landlock(const struct ward_setting *s)
{
        return landlock_parse_key(s->c, strchr(s->name, '.') + 1, s->value, s->origin, s->e);
}

/* ------------------------------------------------------------------------------------- */
/* [Seccomp] (the allowlist and the groups live in src/seccomp/seccomp.c)                         */

static bool is_json_profile(const char *value)
{
        size_t n = strlen(value);

        return strchr(value, '/') || (n > 5 && strcmp(value + n - 5, ".json") == 0);
}

/* A Docker/OCI JSON profile: read and compiled here already, so that its errors name this
 * line; the monitor compiles it again with the final capabilities. */
static int set_seccomp_json(const struct ward_setting *s)
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

int key_set_seccomp_profile(const struct ward_setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;

        if (is_json_profile(s->value))
                return set_seccomp_json(s);
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

static int unknown_syscall(const struct ward_setting *s, const char *word, const char *closest)
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
static int set_seccomp_list(const struct ward_setting *s, char ***list, size_t *n,
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

int key_set_seccomp_allow(const struct ward_setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;
        return set_seccomp_list(s, &sc->allow, &sc->n_allow, &sc->allow_origin);
}

int key_set_seccomp_deny(const struct ward_setting *s)
{
        struct ward_seccomp_config *sc = &s->c->seccomp;
        return set_seccomp_list(s, &sc->deny, &sc->n_deny, &sc->deny_origin);
}

int key_set_seccomp_default_action(const struct ward_setting *s)
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

/* MemfdExec=no|try|yes: parsed next to the code that applies it, src/sandbox/memfd_exec.c. */
int key_set_memfd_exec(const struct ward_setting *s)
{
        return memfd_exec_parse(s->c, s->value, s->origin, s->e);
}

/* AllowSocketFamily=vsock alg: parsed next to the family table, in src/seccomp/seccomp.c. */
int key_set_seccomp_socket_families(const struct ward_setting *s)
{
        return seccomp_parse_socket_families(s->c, s->value, s->origin, s->e);
}

/* AllowSetuidFiles=yes: the filter lets chmod and friends set S_ISUID/S_ISGID (seccomp.h). */
int key_set_seccomp_setid_files(const struct ward_setting *s)
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
int key_set_policy_exceptions(const struct ward_setting *s)
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
int key_set_policy_calls(const struct ward_setting *s)
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
int key_set_policy_join_ns(const struct ward_setting *s)
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

/* ------------------------------------------------------------------------------------- */
/* docker's spellings of values                                                          */

const char *flag_unlimited(const char *arg, char *buf, size_t len)
{
        (void)buf, (void)len;
        return strcmp(arg, "-1") == 0 ? "max" : arg;
}

/* --pids-limit: docker also takes 0 for "no limit". */
const char *flag_unlimited_or_zero(const char *arg, char *buf, size_t len)
{
        return strcmp(arg, "0") == 0 ? "max" : flag_unlimited(arg, buf, len);
}

/* A relative --rootfs is relative to where ward was started, as with docker -v. */
const char *flag_absolute_path(const char *arg, char *buf, size_t len)
{
        char cwd[PATH_MAX];

        if (arg[0] == '/')
                return arg;
        if (!getcwd(cwd, sizeof(cwd)))
                return NULL;
        if ((size_t)snprintf(buf, len, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, arg) >= len) {
                errno = ENAMETOOLONG;
                return NULL;
        }
        return buf;
}
