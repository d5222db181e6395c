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

#include "ward/key_values.h"
#include "ward/keys.h"
#include "ward/trust.h"
#include "ward/util.h"

static void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}
#define _cleanup_closedir_ _cleanup_(closedirp)

/* ------------------------------------------------------------------------------------- */
/* Key lookup: the table is keys.c's                                                     */

/* Every key of section, for suggestions and listings. */
static size_t section_keys(const char *section, const char **keys, size_t max)
{
        size_t n_rows, n = 0;
        const struct ward_key *rows = keys_table(&n_rows);

        for (size_t i = 0; i < n_rows && n + 1 < max; i++)
                if (strcmp(rows[i].section, section) == 0)
                        keys[n++] = rows[i].key;
        keys[n] = NULL;
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

static int unknown_key(const struct ward_setting *s, const char *section, const char *key)
{
        const char *closest, *keys[64]; /* the largest section, [Resources], has 25 */
        const struct ward_key *home = keys_find_any_section(key);
        char list[600];

        ward_error_at(s->e, s->origin, s->name, 0, "unknown key \"%.64s\" in [%s]", key, section);
        if (home) {
                ward_error_hint(s->e, "%s= belongs in [%s]", key, home->section);
                return -EINVAL;
        }
        section_keys(section, keys, ARRAY_SIZE(keys));
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
        const char *closest = ward_closest(section, ward_key_sections);

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
        struct ward_setting s = {.c = c, .name = name, .value = value, .origin = origin, .e = e};

        if (!keys_section_known(section))
                return unknown_section(e, origin, section);
        snprintf(name, sizeof(name), "%s.%.64s", section, key);
        if (!(s.row = keys_find(section, key)))
                return unknown_key(&s, section, key);
        if (!s.row->parse) {
                ward_error_at(e, origin, name, 0, "Include= is only valid in a profile file");
                ward_error_hint(e, "pass more profiles with --profile instead");
                return -EINVAL;
        }
        return s.row->parse(&s);
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
        char **grown = ward_grow(c->profiles_loaded, c->n_profiles_loaded, sizeof(*grown));

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
        if (!keys_section_known(name))
                return unknown_section(l->e, o, name);
        snprintf(f->section, sizeof(f->section), "%s", name);
        return 0;
}

static int key_outside_section(struct loader *l, const char *key, const struct ward_origin *o)
{
        const struct ward_key *home = keys_find_any_section(key);

        ward_error_at(l->e, o, key, 0, "%.64s= comes before any [Section]", key);
        if (home)
                ward_error_hint(l->e, "put it under a [%s] line", home->section);
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
