/* Unit tests for the app's process: User= resolution against a fake image (including symlinks
 * that must resolve inside it), the environment, and the apply functions, which only run in
 * a forked child inside a user namespace this test created. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/config.h"
#include "ward/process.h"
#include "ward/rlimit.h"
#include "ward/util.h"

/* ---- running code in a child inside a new user namespace ------------------------------ */

/* What the child saw, sent back over a pipe: the parent makes the assertions. */
struct report {
        int setup_err; /* errno of the namespace setup; 0 when the child's function ran */
        char setup_what[64];
        int rc;
        struct ward_error e;
        long long v[8];
        char s[4][256];
};

#include "userns_child.h"

/* ---- fake images, made once per test case by the runner (unchecked fixture) ------------ */

static char top[64];      /* the mkdtemp directory holding the images */
static char image[128];   /* etc/passwd and etc/group as plain files */
static char linked[128];  /* etc/passwd -> /etc/passwd-real, etc/group -> ../../etc/.. */
static char viadir[128];  /* etc -> /real/etc: a symlink on the way, not the file itself */
static char special[128]; /* etc/passwd a FIFO, etc/group a directory */

static void put(const char *dir, const char *name, const char *content)
{
        char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "we");
        ck_assert_msg(f != NULL, "cannot create %s", path);
        fputs(content, f);
        ck_assert_int_eq(fclose(f), 0);
}

static void make_dir(char *out, const char *name)
{
        char etc[256];

        snprintf(out, sizeof(image), "%s/%s", top, name);
        ck_assert_int_eq(mkdir(out, 0755), 0);
        snprintf(etc, sizeof(etc), "%s/etc", out);
        ck_assert_int_eq(mkdir(etc, 0755), 0);
}

static void images_create(void)
{
        char path[256];

        snprintf(top, sizeof(top), "/tmp/ward-test-process-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(top));

        make_dir(image, "image");
        put(image, "etc/passwd",
            "# accounts\n"
            "root:x:0:0:root:/root:/bin/sh\n"
            "+app::::::\n"
            "app:x:1000:1001:App:/home/app:/bin/sh\n"
            "broken:x:notanumber:1::/:/bin/sh\n"
            "dos:x:1003:1004::/:/bin/sh\r\n"
            "last:x:1005:1006::/:/bin/sh"); /* no newline at the end */
        put(image, "etc/group", "root:x:0:\nstaff:x:50:app\napp:x:1001:\n");

        /* Absolute and ".." symlinks: with RESOLVE_IN_ROOT both stay inside the image. Out
         * of it they would reach the host's /etc/passwd-real (absent) and /etc/group. */
        make_dir(linked, "linked");
        put(linked, "etc/passwd-real", "inside:x:1234:5678::/:/bin/sh\n");
        put(linked, "etc/group-real", "inside:x:5679:\n");
        snprintf(path, sizeof(path), "%s/etc/passwd", linked);
        ck_assert_int_eq(symlink("/etc/passwd-real", path), 0);
        snprintf(path, sizeof(path), "%s/etc/group", linked);
        ck_assert_int_eq(symlink("../../../../../../etc/group-real", path), 0);

        /* A directory on the way may be a symlink: it too resolves inside the image (the
         * host has no /real/etc). */
        snprintf(viadir, sizeof(viadir), "%s/viadir", top);
        ck_assert_int_eq(mkdir(viadir, 0755), 0);
        make_dir(path, "viadir/real"); /* viadir/real/etc */
        put(viadir, "real/etc/passwd", "inside:x:1234:5678::/:/bin/sh\n");
        put(viadir, "real/etc/group", "inside:x:5679:\n");
        snprintf(path, sizeof(path), "%s/etc", viadir);
        ck_assert_int_eq(symlink("/real/etc", path), 0);

        make_dir(special, "special");
        snprintf(path, sizeof(path), "%s/etc/passwd", special);
        ck_assert_int_eq(mkfifo(path, 0644), 0);
        snprintf(path, sizeof(path), "%s/etc/group", special);
        ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void images_remove(void)
{
        static const char *const files[] = {
            "image/etc/passwd",
            "image/etc/group",
            "image/etc",
            "image",
            "linked/etc/passwd",
            "linked/etc/group",
            "linked/etc/passwd-real",
            "linked/etc/group-real",
            "linked/etc",
            "linked",
            "viadir/etc",
            "viadir/real/etc/passwd",
            "viadir/real/etc/group",
            "viadir/real/etc",
            "viadir/real",
            "viadir",
            "special/etc/passwd",
            "special/etc/group",
            "special/etc",
            "special",
        };
        char path[256];

        if (!top[0])
                return;
        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
                snprintf(path, sizeof(path), "%s/%s", top, files[i]);
                if (unlink(path) < 0)
                        rmdir(path);
        }
        rmdir(top);
}

/* ---- User= ---------------------------------------------------------------------------- */

static struct ward_config c;
static struct ward_error e;

static void config_setup(void)
{
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(config_init(&c, &e), 0);
}

static void config_teardown(void)
{
        config_free(&c);
}

/* Resolve spec against root; the result is the return value, the ids land in c. */
static int resolve(const char *root, const char *spec)
{
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(config_set_string(&c.root, root), 0);
        ck_assert_int_eq(config_set_string(&c.user_spec, spec), 0);
        c.user_set = true;
        c.user_origin = (struct ward_origin){.file = "test.profile", .line = 5};
        c.uid = c.gid = 77;
        return process_resolve_user(&c, NULL, &e);
}

static void assert_resolves(const char *root, const char *spec, uid_t uid, gid_t gid)
{
        int r = resolve(root, spec);

        ck_assert_msg(r == 0, "\"%s\" refused: %s / %s", spec, e.msg, e.hint);
        ck_assert_uint_eq(c.uid, uid);
        ck_assert_uint_eq(c.gid, gid);
}

/* A refusal names Process.User and where it was set, and the ids stay untouched. */
static void assert_user_error(int r, const char *msg_part)
{
        ck_assert_int_lt(r, 0);
        ck_assert_str_eq(e.key, "Process.User");
        ck_assert_str_eq(e.where, "test.profile:5");
        ck_assert_msg(strstr(e.msg, msg_part), "message \"%s\" lacks \"%s\"", e.msg, msg_part);
        ck_assert_msg(strstr(e.hint, "numeric"), "hint \"%s\" lacks \"numeric\"", e.hint);
        ck_assert_int_eq(e.exit_code, WARD_EXIT_FAILED);
        ck_assert_uint_eq(c.uid, 77);
        ck_assert_uint_eq(c.gid, 77);
}

START_TEST(test_user_numeric)
{
        assert_resolves(image, "9999:9999", 9999, 9999);
        assert_resolves(image, "4242", 4242, 4242); /* gid = uid */
        assert_resolves(image, "0", 0, 0);
        assert_resolves(image, "1000:50", 1000, 50);
        assert_resolves(image, "4294967294:4294967294", 4294967294u, 4294967294u);
        /* Numeric ids need no image at all. */
        assert_resolves("/nonexistent-ward-image", "123:456", 123, 456);
}
END_TEST

START_TEST(test_user_numeric_refused)
{
        assert_user_error(resolve(image, "4294967295"), "4294967295"); /* (uid_t)-1 */
        assert_user_error(resolve(image, "4294967296"), "4294967296");
        assert_user_error(resolve(image, "1000:4294967295"), "1000:4294967295");
        assert_user_error(resolve(image, ""), "");
        assert_user_error(resolve(image, ":100"), ":100");
        assert_user_error(resolve(image, "100:"), "100:");
}
END_TEST

START_TEST(test_user_names)
{
        assert_resolves(image, "app", 1000, 1001);
        assert_resolves(image, "root", 0, 0);
        assert_resolves(image, "app:staff", 1000, 50);
        assert_resolves(image, "app:root", 1000, 0);
        assert_resolves(image, "app:60", 1000, 60);
        assert_resolves(image, "4242:staff", 4242, 50);
        assert_resolves(image, "dos", 1003, 1004);  /* CRLF line */
        assert_resolves(image, "last", 1005, 1006); /* no final newline */
}
END_TEST

START_TEST(test_user_names_refused)
{
        int r = resolve(image, "nosuchuser");

        assert_user_error(r, "nosuchuser");
        ck_assert_int_eq(r, -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "/etc/passwd"));

        r = resolve(image, "app:nosuchgroup");
        assert_user_error(r, "nosuchgroup");
        ck_assert_ptr_nonnull(strstr(e.msg, "/etc/group"));

        /* "+app" is a NIS line, "# accounts" a comment: neither is an account. */
        assert_user_error(resolve(image, "+app"), "+app");
        assert_user_error(resolve(image, "# accounts"), "# accounts");
        /* A name whose entry has no valid uid. */
        assert_user_error(resolve(image, "broken"), "broken");
        /* Names are matched whole, not as prefixes. */
        assert_user_error(resolve(image, "ap"), "ap");
        assert_user_error(resolve(image, "app:staf"), "staf");
}
END_TEST

/* /etc/passwd -> /etc/passwd-real: the file itself a symlink is refused (ELOOP), never
 * followed to the host's; a directory on the way that is a symlink resolves inside the
 * image. */
START_TEST(test_user_symlinks_stay_in_image)
{
        int r = resolve(linked, "inside");

        assert_user_error(r, "inside");
        ck_assert_int_eq(e.err, ELOOP);
        ck_assert_ptr_nonnull(strstr(e.msg, "symbolic link"));
        assert_user_error(resolve(linked, "root"), "root");
        assert_resolves(viadir, "inside", 1234, 5678);
        assert_resolves(viadir, "inside:inside", 1234, 5679);
        /* The host's /etc/passwd and /etc/group have root; the image's files do not. */
        assert_user_error(resolve(viadir, "root"), "root");
        assert_user_error(resolve(viadir, "inside:root"), "root");
        ck_assert_ptr_nonnull(strstr(e.msg, "/etc/group"));
}
END_TEST

START_TEST(test_user_image_unreadable)
{
        int r;

        /* A FIFO is refused at once, not opened (it would block). */
        assert_user_error(resolve(special, "app"), "app");
        ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
        /* A directory is not a group file. */
        assert_user_error(resolve(special, "1000:staff"), "staff");
        ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
        /* No such image: the root's own error, with the system's errno. */
        r = resolve("/nonexistent-ward-image", "app");
        ck_assert_int_lt(r, 0);
        ck_assert_int_eq(e.err, ENOENT);
        ck_assert_str_eq(e.key, "Filesystem.Root");
        ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent-ward-image"));
}
END_TEST

/* A device node as /etc/passwd is refused before it is opened (a watchdog's open arms it;
 * 1:3, /dev/null, is harmless). Creating one needs CAP_MKNOD: skipped without it. */
START_TEST(test_user_image_device)
{
        char root[64] = "/tmp/ward-test-dev-XXXXXX", etc[128], passwd[160];
        int r, made;

        ck_assert_ptr_nonnull(mkdtemp(root));
        snprintf(etc, sizeof(etc), "%s/etc", root);
        snprintf(passwd, sizeof(passwd), "%s/passwd", etc);
        ck_assert_int_eq(mkdir(etc, 0755), 0);
        made = mknod(passwd, S_IFCHR | 0644, makedev(1, 3));
        r = made == 0 ? resolve(root, "app") : 0;
        unlink(passwd);
        rmdir(etc);
        rmdir(root);
        if (made < 0)
                return; /* no CAP_MKNOD here */
        assert_user_error(r, "app");
        ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
}
END_TEST

START_TEST(test_user_unset)
{
        c.user_set = false;
        c.uid = c.gid = 77;
        ck_assert_int_eq(process_resolve_user(&c, NULL, &e), 0);
        ck_assert_uint_eq(c.uid, 0);
        ck_assert_uint_eq(c.gid, 0);
        /* Set numerically by the caller (no spec): left as given. */
        c.user_set = true;
        c.uid = 5;
        c.gid = 6;
        ck_assert_int_eq(process_resolve_user(&c, NULL, &e), 0);
        ck_assert_uint_eq(c.uid, 5);
        ck_assert_uint_eq(c.gid, 6);
}
END_TEST

/* ---- environment ---------------------------------------------------------------------- */

START_TEST(test_environment)
{
        char **env = process_environment(&c);
        struct ward_config empty;
        bool path = false, lang = false;

        ck_assert_ptr_eq(env, c.env);
        ck_assert_ptr_null(env[c.n_env]);
        for (size_t i = 0; env[i]; i++)
                if (strncmp(env[i], "PATH=", 5) == 0)
                        path = true;
        ck_assert(path);
        ck_assert_str_eq(config_get_env(&c, "PATH"),
                         "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

        ck_assert_int_eq(config_add_env(&c, "LANG=C.UTF-8", NULL), 0);
        env = process_environment(&c);
        ck_assert_ptr_eq(env, c.env);
        ck_assert_ptr_null(env[c.n_env]);
        path = false;
        for (size_t i = 0; env[i]; i++) {
                path |= strncmp(env[i], "PATH=", 5) == 0;
                lang |= strcmp(env[i], "LANG=C.UTF-8") == 0;
        }
        ck_assert(path && lang);

        /* No environment at all: an empty, NULL-terminated array. */
        memset(&empty, 0, sizeof(empty));
        env = process_environment(&empty);
        ck_assert_ptr_nonnull(env);
        ck_assert_ptr_null(env[0]);
}
END_TEST

/* ---- applying, in a child ------------------------------------------------------------- */

struct apply_args {
        bool no_new_privs;
        const char *cwd;
        unsigned umask;
        uid_t uid;
        gid_t gid;
        gid_t groups[2];
        size_t n_groups;
        bool setgroups_allowed;
        bool keep_groups;
};

static void child_no_new_privs(struct report *rep, void *arg)
{
        const struct apply_args *a = arg;
        struct ward_config cc;

        memset(&cc, 0, sizeof(cc));
        cc.no_new_privs = a->no_new_privs;
        rep->v[0] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        rep->rc = process_apply_no_new_privs(&cc, &rep->e);
        rep->v[1] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
}

START_TEST(test_no_new_privs)
{
        struct apply_args a = {.no_new_privs = true};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_no_new_privs, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, 0);
        ck_assert_int_eq(rep.v[1], 1);
        if (rep.v[0] == 1) {
                printf("SKIP: test_no_new_privs: the test runs with no_new_privs already set, "
                       "so NoNewPrivileges=no cannot be told apart\n");
                fflush(stdout);
                return;
        }
        a.no_new_privs = false;
        if (!run_in_userns(0, MAP_SELF, child_no_new_privs, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, 0);
        ck_assert_int_eq(rep.v[1], 0);
}
END_TEST

static void child_umask_cwd(struct report *rep, void *arg)
{
        const struct apply_args *a = arg;
        struct ward_config cc;

        memset(&cc, 0, sizeof(cc));
        cc.cwd = (char *)a->cwd;
        cc.umask = a->umask;
        cc.cwd_origin = (struct ward_origin){.file = "command line", .line = 0};
        umask(0);
        rep->rc = process_apply_umask_cwd(&cc, &rep->e);
        rep->v[0] = umask(0);
        if (!getcwd(rep->s[0], sizeof(rep->s[0])))
                snprintf(rep->s[0], sizeof(rep->s[0]), "(getcwd: %s)", strerror(errno));
}

START_TEST(test_umask_cwd)
{
        struct apply_args a = {.cwd = "/tmp", .umask = 027};
        char tmp[PATH_MAX];
        struct report rep;

        ck_assert_ptr_nonnull(realpath("/tmp", tmp));
        if (!run_in_userns(0, MAP_SELF, child_umask_cwd, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        ck_assert_str_eq(rep.s[0], tmp);
        ck_assert_int_eq(rep.v[0], 027);

        a.cwd = "/";
        a.umask = 0777;
        if (!run_in_userns(0, MAP_SELF, child_umask_cwd, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, 0);
        ck_assert_str_eq(rep.s[0], "/");
        ck_assert_int_eq(rep.v[0], 0777);
}
END_TEST

START_TEST(test_umask_cwd_missing)
{
        struct apply_args a = {.cwd = "/nonexistent-ward-dir", .umask = 077};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_umask_cwd, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, -ENOENT);
        ck_assert_int_eq(rep.e.err, ENOENT);
        ck_assert_str_eq(rep.e.key, "Process.WorkingDirectory");
        ck_assert_str_eq(rep.e.where, "command line");
        ck_assert_msg(strstr(rep.e.msg, "/nonexistent-ward-dir"), "message \"%s\"", rep.e.msg);
        ck_assert_str_ne(rep.e.hint, "");
        ck_assert_int_eq(rep.v[0], 077); /* the umask is set before the chdir */
}
END_TEST

static void child_creds(struct report *rep, void *arg)
{
        const struct apply_args *a = arg;
        struct ward_config cc;
        uid_t ru, eu, su;
        gid_t rg, eg, sg, groups[8];

        memset(&cc, 0, sizeof(cc));
        cc.uid = a->uid;
        cc.gid = a->gid;
        cc.groups = (gid_t *)a->groups;
        cc.n_groups = a->n_groups;
        cc.keep_groups = a->keep_groups;
        cc.user_origin = (struct ward_origin){.file = "test.profile", .line = 9};
        cc.groups_origin = (struct ward_origin){.file = "test.profile", .line = 10};
        rep->rc = process_apply_creds(&cc, a->setgroups_allowed, &rep->e);
        getresuid(&ru, &eu, &su);
        getresgid(&rg, &eg, &sg);
        rep->v[0] = ru;
        rep->v[1] = eu;
        rep->v[2] = su;
        rep->v[3] = rg;
        rep->v[4] = eg;
        rep->v[5] = sg;
        rep->v[6] = getgroups(ARRAY_SIZE(groups), groups);
        for (int i = 0; i < rep->v[6] && i < 2; i++)
                rep->s[i][0] = (char)groups[i]; /* small gids only */
}

/* Rootless: only uid/gid 0 (our own ids) exist, and setgroups is denied. The groups the
 * test runs with are not the subject here (KeepGroups=yes), test_creds_rootless_groups. */
START_TEST(test_creds_rootless)
{
        struct apply_args a = {.uid = 0, .gid = 0, .keep_groups = true};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_creds, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        for (int i = 0; i < 6; i++)
                ck_assert_int_eq(rep.v[i], 0);

        /* An unmapped uid cannot be switched to. */
        a.uid = 1000;
        if (!run_in_userns(0, MAP_SELF, child_creds, &a, &rep))
                return;
        ck_assert_int_lt(rep.rc, 0);
        ck_assert_str_eq(rep.e.key, "Process.User");
        ck_assert_str_eq(rep.e.where, "test.profile:9");
        ck_assert_int_eq(rep.e.err, EINVAL);
        ck_assert_int_eq(rep.v[0], 0);

        /* Supplementary groups cannot be set where setgroups is denied: fail closed. */
        a.uid = 0;
        a.groups[0] = 0;
        a.n_groups = 1;
        if (!run_in_userns(0, MAP_SELF, child_creds, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, -EPERM);
        ck_assert_str_eq(rep.e.key, "Process.SupplementaryGroups"); /* not User='s fault */
        ck_assert_str_eq(rep.e.where, "test.profile:10");
}
END_TEST

/* Where setgroups is denied, supplementary groups of the caller that are still held are
 * refused unless KeepGroups=yes; with none held the switch goes through. */
START_TEST(test_creds_rootless_groups)
{
        struct apply_args a = {.uid = 0, .gid = 0};
        struct report rep;
        char held[256];
        int n = process_caller_groups(held, sizeof(held));

        ck_assert_int_ge(n, 0);
        if (!run_in_userns(0, MAP_SELF, child_creds, &a, &rep))
                return;
        if (n == 0) {
                ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
                return;
        }
        ck_assert_int_eq(rep.rc, -EPERM);
        ck_assert_str_eq(rep.e.key, "Process.KeepGroups");
        a.keep_groups = true;
        if (!run_in_userns(0, MAP_SELF, child_creds, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
}
END_TEST

/* As root the sandbox has 65536 ids: switch to 1000:1001 with groups 50 and 60. */
START_TEST(test_creds_mapped)
{
        struct apply_args a = {
            .uid = 1000, .gid = 1001, .groups = {50, 60}, .n_groups = 2, .setgroups_allowed = true};
        struct report rep;

        if (geteuid() != 0) {
                printf("SKIP: test_creds_mapped: mapping uid 1000 into a user namespace needs root "
                       "(an unprivileged user may map only its own uid)\n");
                fflush(stdout);
                return;
        }
        if (!run_in_userns(0, MAP_WIDE, child_creds, &a, &rep))
                return;
        ck_assert_msg(rep.rc == 0, "rc %d: %s", rep.rc, rep.e.msg);
        for (int i = 0; i < 3; i++) {
                ck_assert_int_eq(rep.v[i], 1000);
                ck_assert_int_eq(rep.v[3 + i], 1001);
        }
        ck_assert_int_eq(rep.v[6], 2);
        ck_assert_int_eq(rep.s[0][0], 50);
        ck_assert_int_eq(rep.s[1][0], 60);

        /* No groups given: none kept (root's group 0 included). */
        a.n_groups = 0;
        if (!run_in_userns(0, MAP_WIDE, child_creds, &a, &rep))
                return;
        ck_assert_int_eq(rep.rc, 0);
        ck_assert_int_eq(rep.v[6], 0);

        /* Beyond the 65536 mapped ids. */
        a.uid = 70000;
        if (!run_in_userns(0, MAP_WIDE, child_creds, &a, &rep))
                return;
        ck_assert_int_lt(rep.rc, 0);
        ck_assert_str_eq(rep.e.key, "Process.User");
        ck_assert_ptr_nonnull(strstr(rep.e.msg, "70000"));
}
END_TEST

/* ---- escapes and the whole setup order ------------------------------------------------- */

/* etc/passwd -> /etc/passwd loops inside the image (RESOLVE_IN_ROOT): an error, never the
 * host's /etc/passwd, which has root. */
START_TEST(test_user_symlink_to_itself)
{
        char root[64] = "/tmp/ward-test-loop-XXXXXX", etc[128], passwd[160];
        int r;

        ck_assert_ptr_nonnull(mkdtemp(root));
        snprintf(etc, sizeof(etc), "%s/etc", root);
        snprintf(passwd, sizeof(passwd), "%s/passwd", etc);
        ck_assert_int_eq(mkdir(etc, 0755), 0);
        ck_assert_int_eq(symlink("/etc/passwd", passwd), 0);
        r = resolve(root, "root");
        unlink(passwd);
        rmdir(etc);
        rmdir(root);
        assert_user_error(r, "root");
        ck_assert_int_eq(e.err, ELOOP);
}
END_TEST

/* CVE-2024-21626: a working directory reached through an fd of the host (here /usr, opened
 * before entering the root, as a leaked fd would be) lies outside the root and must be
 * refused, not entered. The root is a chroot with the host's /proc bound in, in a mount
 * namespace of the child's own. */
static void child_cwd_escape(struct report *rep, void *arg)
{
        const char *root = arg;
        char proc[256], via_fd[64];
        struct ward_config cc;
        int outside = open("/usr", O_PATH | O_DIRECTORY | O_CLOEXEC);

        memset(&cc, 0, sizeof(cc));
        cc.cwd_origin = (struct ward_origin){.file = "test.profile", .line = 21};
        snprintf(proc, sizeof(proc), "%s/proc", root);
        if (outside < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
            mount("/proc", proc, NULL, MS_BIND | MS_REC, NULL) < 0 || chroot(root) < 0 ||
            chdir("/") < 0) {
                rep->rc = -1000 - errno;
                return;
        }
        cc.cwd = "/proc"; /* a control: inside the root, through /proc, is fine */
        rep->v[0] = process_apply_umask_cwd(&cc, &rep->e);
        snprintf(via_fd, sizeof(via_fd), "/proc/self/fd/%d", outside);
        cc.cwd = via_fd;
        rep->rc = process_apply_umask_cwd(&cc, &rep->e);
}

START_TEST(test_cwd_outside_root_refused)
{
        char root[64] = "/tmp/ward-test-cwd-XXXXXX", proc[128];
        struct report rep;
        bool ran;

        ck_assert_ptr_nonnull(mkdtemp(root));
        snprintf(proc, sizeof(proc), "%s/proc", root);
        ck_assert_int_eq(mkdir(proc, 0755), 0);
        ran = run_in_userns(CLONE_NEWNS, MAP_SELF, child_cwd_escape, root, &rep);
        rmdir(proc);
        rmdir(root);
        if (!ran)
                return;
        ck_assert_msg(rep.rc > -1000, "child setup failed: %s", strerror(-1000 - rep.rc));
        ck_assert_int_eq(rep.v[0], 0);
        ck_assert_int_lt(rep.rc, 0);
        ck_assert_str_eq(rep.e.key, "Process.WorkingDirectory");
        ck_assert_str_eq(rep.e.where, "test.profile:21");
        ck_assert_msg(strstr(rep.e.msg, "outside"), "message \"%s\"", rep.e.msg);
        ck_assert_str_ne(rep.e.hint, "");
}
END_TEST

struct order_args {
        uid_t uid;
        bool setgroups_allowed;
};

/* The Cap/Uid lines of a /proc/self/status opened earlier (read now, so current). */
static void status_field(const char *status, const char *name, char *out, size_t len)
{
        const char *p = strstr(status, name);

        snprintf(out, len, "(none)");
        if (p) {
                p += strlen(name);
                p += strspn(p, ":\t ");
                snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
        }
}

/* setup's order, with LimitNOFILE= so low that not one more fd can be opened: every step
 * after rlimit_apply() must still work (the caller keeps few fds and needs no new ones). */
static void child_setup_order(struct report *rep, void *arg)
{
        const struct order_args *a = arg;
        struct ward_config cc;
        struct rlimit rl;
        char status[4096];
        int fd, lowest_free = 0, r;
        ssize_t n;

        if (config_init(&cc, &rep->e) < 0 || getrlimit(RLIMIT_NOFILE, &rl) < 0 ||
            (fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)) < 0) {
                rep->rc = -1000 - errno;
                return;
        }
        while (fcntl(lowest_free, F_GETFD) >= 0)
                lowest_free++;
        cc.user_set = true;
        cc.uid = cc.gid = a->uid;
        cc.keep_groups = true; /* the groups the test runs with are not the subject here */
        cc.caps_keep = UINT64_C(1) << 10; /* NET_BIND_SERVICE */
        cc.rlimits[RLIMIT_NOFILE] =
            (struct ward_rlimit){.set = true, .soft = (rlim_t)lowest_free, .hard = rl.rlim_max};
        r = rlimit_apply(&cc, 0, &rep->e);
        rep->v[1] = open("/", O_RDONLY | O_CLOEXEC) < 0 ? errno : 0; /* EMFILE expected */
        if (r >= 0 && (r = process_apply_umask_cwd(&cc, &rep->e)) >= 0 &&
            (r = caps_drop_bounding(&cc, &rep->e)) >= 0 &&
            (r = process_apply_creds(&cc, a->setgroups_allowed, &rep->e)) >= 0 &&
            (r = caps_apply(&cc, &rep->e)) >= 0)
                r = process_apply_no_new_privs(&cc, &rep->e);
        rep->rc = r;
        n = pread(fd, status, sizeof(status) - 1, 0);
        status[n > 0 ? n : 0] = '\0';
        status_field(status, "\nCapEff", rep->s[0], sizeof(rep->s[0]));
        status_field(status, "\nCapBnd", rep->s[1], sizeof(rep->s[1]));
        status_field(status, "\nCapAmb", rep->s[2], sizeof(rep->s[2]));
        status_field(status, "\nUid", rep->s[3], sizeof(rep->s[3]));
        rep->v[0] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        close(fd);
        config_free(&cc);
}

static void assert_setup_order(const struct report *rep, const char *uids, const char *amb)
{
        ck_assert_msg(rep->rc == 0, "rc %d: %s: %s (%s)", rep->rc, rep->e.key, rep->e.msg,
                      rep->e.hint);
        ck_assert_int_eq(rep->v[1], EMFILE);
        ck_assert_str_eq(rep->s[0], "0000000000000400");
        ck_assert_str_eq(rep->s[1], "0000000000000400");
        ck_assert_str_eq(rep->s[2], amb);
        ck_assert_str_eq(rep->s[3], uids);
        ck_assert_int_eq(rep->v[0], 1);
}

START_TEST(test_setup_order_with_no_fd_to_spare)
{
        struct order_args a = {.uid = 0};
        struct report rep;

        if (!run_in_userns(0, MAP_SELF, child_setup_order, &a, &rep))
                return;
        assert_setup_order(&rep, "0\t0\t0\t0", "0000000000000000");
        if (geteuid() != 0) {
                printf("SKIP: test_setup_order_with_no_fd_to_spare as uid 1000: mapping it "
                       "needs root\n");
                fflush(stdout);
                return;
        }
        a = (struct order_args){.uid = 1000, .setgroups_allowed = true};
        if (!run_in_userns(0, MAP_WIDE, child_setup_order, &a, &rep))
                return;
        assert_setup_order(&rep, "1000\t1000\t1000\t1000", "0000000000000400");
}
END_TEST

static Suite *process_suite(void)
{
        Suite *s = suite_create("process");
        TCase *tc = tcase_create("user");

        tcase_add_unchecked_fixture(tc, images_create, images_remove);
        tcase_add_checked_fixture(tc, config_setup, config_teardown);
        tcase_add_test(tc, test_user_numeric);
        tcase_add_test(tc, test_user_numeric_refused);
        tcase_add_test(tc, test_user_names);
        tcase_add_test(tc, test_user_names_refused);
        tcase_add_test(tc, test_user_symlinks_stay_in_image);
        tcase_add_test(tc, test_user_image_unreadable);
        tcase_add_test(tc, test_user_image_device);
        tcase_add_test(tc, test_user_unset);
        tcase_add_test(tc, test_user_symlink_to_itself);
        suite_add_tcase(s, tc);

        tc = tcase_create("environment");
        tcase_add_checked_fixture(tc, config_setup, config_teardown);
        tcase_add_test(tc, test_environment);
        suite_add_tcase(s, tc);

        tc = tcase_create("apply");
        tcase_set_timeout(tc, 20);
        tcase_add_test(tc, test_no_new_privs);
        tcase_add_test(tc, test_umask_cwd);
        tcase_add_test(tc, test_umask_cwd_missing);
        tcase_add_test(tc, test_creds_rootless);
        tcase_add_test(tc, test_creds_rootless_groups);
        tcase_add_test(tc, test_creds_mapped);
        tcase_add_test(tc, test_cwd_outside_root_refused);
        tcase_add_test(tc, test_setup_order_with_no_fd_to_spare);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(process_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
