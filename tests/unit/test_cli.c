/* Unit tests for the command line (cli.c) and the dry run (explain.c). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ward/cgroup.h"
#include "ward/cli.h"
#include "ward/config.h"
#include "ward/explain.h"
#include "ward/util.h"

#define DATA WARD_TEST_DATA_DIR
#define CLI_PROFILE DATA "/cli.profile"
#define CAP_CHOWN_BIT (UINT64_C(1) << 0)
#define CAP_NET_BIND_SERVICE_BIT (UINT64_C(1) << 10)
#define CAP_NET_RAW_BIT (UINT64_C(1) << 13)

static struct ward_config c;
static struct ward_cli cli;
static struct ward_error e;
static char *args[64]; /* cli.init_argv points in here */

static void setup(void)
{
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(config_init(&c, &e), 0);
}

static void teardown(void)
{
        config_free(&c);
}

/* parse("run", "--flag", ..., NULL): cli_parse on a fresh config, as main() does. */
static int parse(const char *first, ...)
{
        va_list ap;
        int argc = 0;

        config_free(&c);
        ck_assert_int_eq(config_init(&c, &e), 0);
        memset(&e, 0, sizeof(e));
        args[argc++] = "ward";
        va_start(ap, first);
        for (const char *a = first; a; a = va_arg(ap, const char *)) {
                ck_assert_int_lt(argc, (int)ARRAY_SIZE(args) - 1);
                args[argc++] = (char *)a;
        }
        va_end(ap);
        args[argc] = NULL;
        return cli_parse(argc, args, &cli, &c, &e);
}

static void assert_cli_error(int r, const char *key, const char *msg_part, const char *hint_part)
{
        ck_assert_int_lt(r, 0);
        ck_assert_str_eq(e.where, "command line");
        ck_assert_str_eq(e.key, key);
        ck_assert_msg(strstr(e.msg, msg_part), "message \"%s\" lacks \"%s\"", e.msg, msg_part);
        if (hint_part)
                ck_assert_msg(strstr(e.hint, hint_part), "hint \"%s\" lacks \"%s\"", e.hint,
                              hint_part);
        ck_assert_int_eq(e.exit_code, WARD_EXIT_FAILED);
}

static bool from_command_line(const struct ward_origin *o)
{
        return o->file && strcmp(o->file, "command line") == 0 && o->line == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
        size_t ls = strlen(s), lx = strlen(suffix);
        return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* ------------------------------------------------------------------------------------- */

START_TEST(test_flag_beats_profile_in_any_order)
{
        ck_assert_int_eq(parse("run", "--hostname", "flaghost", "--profile", CLI_PROFILE,
                               "--stop-timeout", "3s", "--", "/bin/true", NULL),
                         0);
        ck_assert_int_eq(cli.command, WARD_CMD_RUN);
        ck_assert_str_eq(c.hostname, "flaghost");
        ck_assert(from_command_line(&c.hostname_origin));
        ck_assert_uint_eq(c.stop_timeout_ms, 3000);
        ck_assert_str_eq(c.root, "/srv/images/cli"); /* not given as a flag: the profile's */
        ck_assert(ends_with(c.root_origin.file, "/cli.profile"));

        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--hostname", "flaghost", "--",
                               "/bin/true", NULL),
                         0);
        ck_assert_str_eq(c.hostname, "flaghost");
        ck_assert_uint_eq(c.stop_timeout_ms, 20000);
        ck_assert_uint_eq(c.n_profiles_loaded, 1);
}
END_TEST

START_TEST(test_profiles_in_order_and_default)
{
        ck_assert_int_eq(parse("run", "--profile", DATA "/include_base.profile", "--profile",
                               CLI_PROFILE, "/bin/true", NULL),
                         0);
        ck_assert_str_eq(c.hostname, "fromprofile"); /* the later profile wins */
        ck_assert_uint_eq(c.n_profiles_loaded, 2);
        ck_assert(ends_with(c.profiles_loaded[0], "/include_base.profile"));

        /* No --profile: the shipped default (found in the source tree from a build tree). */
        ck_assert_int_eq(parse("run", "--rootfs", "/", "/bin/true", NULL), 0);
        ck_assert_uint_eq(c.n_profiles_loaded, 1);
        ck_assert_str_eq(c.profiles_loaded[0], "<built-in>/default.profile");
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].hard, 1024);
}
END_TEST

START_TEST(test_profile_errors)
{
        assert_cli_error(parse("run", "--profile", "no-such-profile", "/bin/true", NULL),
                         "--profile", "profile \"no-such-profile\" not found", NULL);
        ck_assert_int_eq(e.err, ENOENT);
        /* An error inside a profile keeps the profile's file, line and key. */
        ck_assert_int_lt(parse("run", "--profile", DATA "/cycle_a.profile", "/bin/true", NULL), 0);
        ck_assert_str_eq(e.key, "Profile.Include");
        ck_assert(ends_with(e.where, "cycle_b.profile:3"));
}
END_TEST

START_TEST(test_cap_drop_all_then_add)
{
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--cap-drop", "ALL", "--cap-add",
                               "NET_BIND_SERVICE", "/bin/true", NULL),
                         0);
        ck_assert_uint_eq(c.caps_keep, CAP_NET_BIND_SERVICE_BIT);
        ck_assert(from_command_line(&c.caps_origin));
        /* Drops are applied first whatever the order, as docker does. */
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--cap-add", "NET_BIND_SERVICE",
                               "--cap-drop", "ALL", "/bin/true", NULL),
                         0);
        ck_assert_uint_eq(c.caps_keep, CAP_NET_BIND_SERVICE_BIT);
        /* The profile keeps CHOWN and NET_RAW; drop one. */
        ck_assert_int_eq(
            parse("run", "--profile", CLI_PROFILE, "--cap-drop", "CAP_NET_RAW", "/bin/true", NULL),
            0);
        ck_assert_uint_eq(c.caps_keep, CAP_CHOWN_BIT);
        ck_assert_int_eq(
            parse("run", "--profile", CLI_PROFILE, "--cap-add", "ALL", "/bin/true", NULL), 0);
        ck_assert_uint_eq(c.caps_keep & CAP_NET_BIND_SERVICE_BIT, CAP_NET_BIND_SERVICE_BIT);

        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--cap-drop", "NETRAW", "/bin/true", NULL),
            "--cap-drop", "unknown capability \"NETRAW\"", "did you mean NET_RAW?");
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--cap-add", "SYS_ADMN", "/bin/true", NULL),
            "--cap-add", "unknown capability", "did you mean SYS_ADMIN?");
}
END_TEST

START_TEST(test_volume)
{
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "-v", "/srv/a:/a", "--volume",
                               "/srv/b:/b:rw", "-v", "/srv/c:/c:ro", "/bin/true", NULL),
                         0);
        /* the profile's /tmp (replacing the built-in one), the built-in /run, the binds */
        ck_assert_uint_eq(c.n_mounts, 5);
        ck_assert_str_eq(c.mounts[1].target, "/run");
        ck_assert_int_eq(c.mounts[2].kind, WARD_MOUNT_BIND);
        ck_assert_str_eq(c.mounts[2].source, "/srv/a");
        ck_assert_str_eq(c.mounts[2].target, "/a");
        ck_assert(!c.mounts[2].writable); /* read-only unless :rw */
        ck_assert(c.mounts[3].writable);
        ck_assert(!c.mounts[4].writable);
        ck_assert(from_command_line(&c.mounts[2].origin));

        static const struct {
                const char *arg;
                const char *msg;
        } bad[] = {
            {"/srv/a", "no target path"},
            {"/srv/a:/a:rx", "the mode must be ro or rw"},
            {"/srv/a:/a:ro:z", "too many ':'"},
            {"data:/a", "not an absolute host path"},
            {":/a", "empty source"},
            {"/srv/a:", "empty target"},
            {"/srv/my dir:/a", "whitespace"},
        };
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                int r = parse("run", "--profile", CLI_PROFILE, "-v", bad[i].arg, "/bin/true", NULL);
                ck_assert_msg(r < 0, "-v %s accepted", bad[i].arg);
                ck_assert_str_eq(e.key, "--volume");
                ck_assert_str_eq(e.where, "command line");
                ck_assert_msg(strstr(e.msg, bad[i].msg), "-v %s: %s", bad[i].arg, e.msg);
        }
        /* A relative target gets the profile parser's message, naming the flag. */
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "-v", "/srv/a:a", "/bin/true", NULL), "--volume",
            "not an absolute path", NULL);
}
END_TEST

START_TEST(test_tmpfs)
{
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--tmpfs",
                               "/run:size=8m,mode=700,exec", "--tmpfs", "/tmp:size=128m", "--tmpfs",
                               "/cache", "/bin/true", NULL),
                         0);
        ck_assert_uint_eq(c.n_mounts, 3);
        /* The profile's /tmp (8M) is replaced in place by the flag's. */
        ck_assert_str_eq(c.mounts[0].target, "/tmp");
        ck_assert_uint_eq(c.mounts[0].size_bytes, 128u << 20);
        ck_assert(from_command_line(&c.mounts[0].origin));
        ck_assert_str_eq(c.mounts[1].target, "/run");
        ck_assert_uint_eq(c.mounts[1].size_bytes, 8u << 20);
        ck_assert_uint_eq(c.mounts[1].mode, 0700);
        ck_assert(c.mounts[1].exec);
        ck_assert_str_eq(c.mounts[2].target, "/cache");
        ck_assert_uint_eq(c.mounts[2].mode, 0755);
        ck_assert(!c.mounts[2].exec);

        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--tmpfs", "/run:size=big", "/bin/true", NULL),
            "--tmpfs", "not a size", NULL);
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--tmpfs", "/run:suid", "/bin/true", NULL),
            "--tmpfs", "unknown option", NULL);
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--tmpfs", "run", "/bin/true", NULL), "--tmpfs",
            "not an absolute path", NULL);
        assert_cli_error(parse("run", "--profile", CLI_PROFILE, "--tmpfs", "/a", "--tmpfs",
                               "/a:size=1m", "/bin/true", NULL),
                         "--tmpfs", "already a mount target", NULL);
}
END_TEST

START_TEST(test_ulimit)
{
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--ulimit", "nofile=100:200",
                               "--ulimit", "core=0", "--ulimit", "RLIMIT_NPROC=50", "/bin/true",
                               NULL),
                         0);
        ck_assert(c.rlimits[RLIMIT_NOFILE].set);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].soft, 100);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NOFILE].hard, 200);
        ck_assert(from_command_line(&c.rlimits[RLIMIT_NOFILE].origin));
        ck_assert_uint_eq(c.rlimits[RLIMIT_CORE].hard, 0);
        ck_assert(c.rlimits[RLIMIT_CORE].set);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NPROC].soft, 50);
        ck_assert_uint_eq(c.rlimits[RLIMIT_NPROC].hard, 50);

        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--ulimit", "nofle=1", "/bin/true", NULL),
            "--ulimit", "unknown limit \"nofle\"", "did you mean nofile?");
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--ulimit", "nofile", "/bin/true", NULL),
            "--ulimit", "expected NAME=SOFT[:HARD]", NULL);
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--ulimit", "nofile=", "/bin/true", NULL),
            "--ulimit", "expected NAME=SOFT[:HARD]", NULL);
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--ulimit", "nofile=9:3", "/bin/true", NULL),
            "--ulimit", "soft limit is above the hard one", NULL);
}
END_TEST

/* Short flags cluster: "-tititi" is six flags in one argument. The fuzzer found that the
 * flag list, sized by argc, overflowed (tests/fuzz/corpus/cli/short-cluster): more flags
 * than arguments are refused, a real cluster works. */
START_TEST(test_short_flag_cluster)
{
        assert_cli_error(
            parse("run", "--rootfs", "/", "-titititititititititi", "-ti", "--", "/bin/true", NULL),
            "", "more flags than arguments", "-ti");
        ck_assert_int_eq(parse("run", "--rootfs", "/", "-ti", "--", "/bin/true", NULL), 0);
        ck_assert(c.tty);
        ck_assert(c.interactive);
}
END_TEST

START_TEST(test_env)
{
        setenv("WARD_TEST_PASSED", "from the caller", 1);
        setenv("WARD_TEST_FLAGPASS", "flag copy", 1);
        unsetenv("WARD_TEST_UNSET");
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "-e", "BOTH=flag", "--env-file",
                               DATA "/env.list", "-e", "WARD_TEST_FLAGPASS", "--env",
                               "WARD_TEST_UNSET", "-e", "EMPTY=", "/bin/true", NULL),
                         0);
        ck_assert_str_eq(config_get_env(&c, "FROM_PROFILE"), "1");
        ck_assert_str_eq(config_get_env(&c, "FROM_FILE"), "yes");
        ck_assert_str_eq(config_get_env(&c, "SPACED"), "a value with spaces");
        ck_assert_str_eq(config_get_env(&c, "WARD_TEST_PASSED"), "from the caller");
        /* -e wins over --env-file even when given before it (as docker). */
        ck_assert_str_eq(config_get_env(&c, "BOTH"), "flag");
        ck_assert_str_eq(config_get_env(&c, "WARD_TEST_FLAGPASS"), "flag copy");
        ck_assert_ptr_null(config_get_env(&c, "WARD_TEST_UNSET"));
        ck_assert_str_eq(config_get_env(&c, "EMPTY"), "");
        ck_assert_ptr_nonnull(config_get_env(&c, "PATH"));

        assert_cli_error(parse("run", "--profile", CLI_PROFILE, "-e", "1BAD=x", "/bin/true", NULL),
                         "--env", "not a valid variable name", NULL);
        ck_assert_int_lt(parse("run", "--profile", CLI_PROFILE, "--env-file", DATA "/no-such.env",
                               "/bin/true", NULL),
                         0);
        ck_assert_str_eq(e.key, "--env-file");
        ck_assert_int_eq(e.err, ENOENT);
}
END_TEST

START_TEST(test_env_file_error_line)
{
        char path[] = "/tmp/ward-env-XXXXXX";
        int fd = mkostemp(path, O_CLOEXEC);
        char where[64];

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(ward_write_all(fd, "# ok\nA=1\nBAD-NAME=2\n", 20), 0);
        close(fd);
        ck_assert_int_lt(
            parse("run", "--profile", CLI_PROFILE, "--env-file", path, "/bin/true", NULL), 0);
        snprintf(where, sizeof(where), "%s:3", path);
        ck_assert_str_eq(e.where, where);
        ck_assert_str_eq(e.key, "--env-file");
        unlink(path);
}
END_TEST

START_TEST(test_unknown_flag)
{
        assert_cli_error(parse("run", "--read-onyl", "/bin/true", NULL), "--read-onyl",
                         "unknown flag --read-onyl", "did you mean --read-only?");
        assert_cli_error(parse("explain", "--hostnme=x", NULL), "--hostnme",
                         "unknown flag --hostnme", "did you mean --hostname?");
        ck_assert_msg(strstr(e.hint, "ward explain --help"), "%s", e.hint);
        /* No GNU abbreviations: a later flag must not change what a command line means. */
        assert_cli_error(parse("run", "--host", "h", "/bin/true", NULL), "--host",
                         "unknown flag --host", "did you mean --hostname?");
        assert_cli_error(parse("run", "-t", "--read=no", "/bin/true", NULL), "--read",
                         "unknown flag --read", "did you mean --read-only?");
        assert_cli_error(parse("run", "-x", "/bin/true", NULL), "-x", "unknown flag -x",
                         "ward run --help");
        assert_cli_error(parse("run", "--tty=yes", "/bin/true", NULL), "--tty",
                         "--tty takes no value", NULL);
        assert_cli_error(parse("run", "--tmpfs", NULL), "--tmpfs", "--tmpfs needs a value", NULL);
        assert_cli_error(parse("run", "--hostname=", "/bin/true", NULL), "--hostname",
                         "empty value", NULL);
        assert_cli_error(parse("--profile", "x", "run", NULL), "--profile", "unknown flag",
                         "put it after the command");
        assert_cli_error(parse("--frobnicate", NULL), "--frobnicate", "unknown flag", NULL);
}
END_TEST

START_TEST(test_command)
{
        assert_cli_error(parse("run", "--profile", CLI_PROFILE, NULL), "", "no command given",
                         "ward run [OPTIONS] -- COMMAND");
        assert_cli_error(parse("run", "--profile", CLI_PROFILE, "--", NULL), "", "no command given",
                         NULL);

        /* The first non-option is the command; its own flags are not ours. */
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "sh", "-c", "echo hi", NULL), 0);
        ck_assert_uint_eq(c.argc, 3);
        ck_assert_str_eq(c.argv[0], "sh");
        ck_assert_str_eq(c.argv[1], "-c");
        ck_assert_str_eq(c.argv[2], "echo hi");
        ck_assert_ptr_null(c.argv[3]);
        ck_assert_ptr_ne(c.argv[0], args[4]); /* a copy */

        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--", "--weird", "-t", NULL), 0);
        ck_assert_uint_eq(c.argc, 2);
        ck_assert_str_eq(c.argv[0], "--weird");
        ck_assert(!c.tty);

        /* explain needs no command. */
        ck_assert_int_eq(parse("explain", "--profile", CLI_PROFILE, NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_EXPLAIN);
        ck_assert_ptr_null(c.argv);
        ck_assert_uint_eq(c.argc, 0);
}
END_TEST

START_TEST(test_simple_flags)
{
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--read-only=false", "-u",
                               "1000:1001", "--group-add", "10", "--group-add", "20",
                               "--security-opt", "no-new-privileges=false", "--no-init", "-ti",
                               "-w", "/srv", "--stop-timeout", "500ms", "/bin/true", NULL),
                         0);
        ck_assert(!c.read_only);
        ck_assert(from_command_line(&c.read_only_origin));
        ck_assert(c.user_set);
        ck_assert_uint_eq(c.uid, 1000);
        ck_assert_uint_eq(c.gid, 1001);
        ck_assert_uint_eq(c.n_groups, 2);
        ck_assert_uint_eq(c.groups[1], 20);
        ck_assert(!c.no_new_privs);
        ck_assert(!c.init);
        ck_assert(c.tty);
        ck_assert(c.interactive);
        ck_assert_str_eq(c.cwd, "/srv");
        ck_assert_uint_eq(c.stop_timeout_ms, 500);

        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--read-only=no", "--read-only",
                               "--security-opt", "no-new-privileges", "--init", "--user", "nginx",
                               "/bin/true", NULL),
                         0);
        ck_assert(c.read_only);
        ck_assert(c.no_new_privs);
        ck_assert(c.init);
        ck_assert_str_eq(c.user_spec, "nginx");
        ck_assert(!c.tty);

        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--security-opt",
                               "no-new-privileges:true", "/bin/true", NULL),
                         0);
        ck_assert(c.no_new_privs);
        assert_cli_error(parse("run", "--profile", CLI_PROFILE, "--security-opt",
                               "apparmor=unconfined", "/bin/true", NULL),
                         "--security-opt", "unsupported security option", "no-new-privileges");
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--security-opt",
                               "seccomp=unconfined", "/bin/true", NULL),
                         0);
        ck_assert(!c.seccomp.enabled);
        assert_cli_error(parse("run", "--profile", CLI_PROFILE, "--security-opt",
                               "seccomp=profile.json", "/bin/true", NULL),
                         "--security-opt", "not unconfined, default, or an absolute path",
                         "absolute path");
        assert_cli_error(parse("run", "--profile", CLI_PROFILE, "--security-opt",
                               "seccomp=/nonexistent/profile.json", "/bin/true", NULL),
                         "--security-opt", "cannot read seccomp profile /nonexistent/profile.json",
                         NULL);
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--read-only=maybe", "/bin/true", NULL),
            "--read-only", "not a boolean", NULL);
        assert_cli_error(parse("run", "--profile", CLI_PROFILE, "-w", "srv", "/bin/true", NULL),
                         "--workdir", "not an absolute path", NULL);
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--stop-timeout", "soon", "/bin/true", NULL),
            "--stop-timeout", "not a duration", NULL);
}
END_TEST

START_TEST(test_namespaces_and_network)
{
        const unsigned long all = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET |
                                  CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;

        ck_assert_int_eq(
            parse("run", "--profile", CLI_PROFILE, "--network", "host", "/bin/true", NULL), 0);
        ck_assert_uint_eq(c.unshare_flags, all & ~(unsigned long)CLONE_NEWNET);
        ck_assert_int_eq(c.net_mode, WARD_NET_HOST);
        ck_assert(from_command_line(&c.net_origin));

        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--share", "ipc", "--share",
                               "cgroup", "/bin/true", NULL),
                         0);
        ck_assert_uint_eq(c.unshare_flags, all & ~(unsigned long)(CLONE_NEWIPC | CLONE_NEWCGROUP));
        ck_assert(from_command_line(&c.unshare_origin));

        /* Flags apply in their order: the later --unshare brings net back. */
        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "--share", "net", "--unshare",
                               "net,uts", "/bin/true", NULL),
                         0);
        ck_assert_uint_eq(c.unshare_flags, all);
        ck_assert_int_eq(c.net_mode, WARD_NET_NONE);

        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--share", "ipcc", "/bin/true", NULL), "--share",
            "unknown namespace", "did you mean \"ipc\"?");
        assert_cli_error(
            parse("run", "--profile", CLI_PROFILE, "--network", "bridge", "/bin/true", NULL),
            "--network", "unknown network mode", NULL);
        assert_cli_error(parse("run", "--profile", CLI_PROFILE, "--hostname", "no_underscores",
                               "/bin/true", NULL),
                         "--hostname", "not a valid hostname", NULL);
}
END_TEST

START_TEST(test_rootfs)
{
        ck_assert_int_eq(chdir("/tmp"), 0);
        ck_assert_int_eq(
            parse("run", "--profile", CLI_PROFILE, "--rootfs", "images/alpine", "/bin/true", NULL),
            0);
        ck_assert_str_eq(c.root, "/tmp/images/alpine");
        ck_assert(from_command_line(&c.root_origin));
        ck_assert_int_eq(chdir("/"), 0);
        ck_assert_int_eq(
            parse("run", "--profile", CLI_PROFILE, "--rootfs", "srv", "/bin/true", NULL), 0);
        ck_assert_str_eq(c.root, "/srv");
}
END_TEST

START_TEST(test_init_help_version)
{
        ck_assert_int_eq(parse("init", "--", "/bin/app", "arg", NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_INIT);
        ck_assert(!cli.help);
        ck_assert_int_eq(cli.init_argc, 4);
        ck_assert_str_eq(cli.init_argv[0], "init");
        ck_assert_str_eq(cli.init_argv[1], "--");
        ck_assert_str_eq(cli.init_argv[3], "arg");
        ck_assert_ptr_null(cli.init_argv[4]);
        ck_assert_uint_eq(c.n_profiles_loaded, 0); /* init reads no profile */
        ck_assert_ptr_null(c.argv);
        ck_assert_int_eq(parse("init", "--help", NULL), 0);
        ck_assert(cli.help);
        ck_assert_int_eq(parse("init", "--", "app", "--help", NULL), 0);
        ck_assert(!cli.help); /* the app's --help */

        ck_assert_int_eq(parse("run", "--help", NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_RUN);
        ck_assert(cli.help);
        ck_assert_uint_eq(c.n_profiles_loaded, 0);
        ck_assert_int_eq(parse("help", "explain", NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_EXPLAIN);
        ck_assert(cli.help);
        ck_assert_int_eq(parse("--help", "run", NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_RUN);
        ck_assert(cli.help);
        ck_assert_int_eq(parse(NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_HELP);
        ck_assert_int_eq(parse("help", NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_HELP);
        ck_assert_int_eq(parse("--version", NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_VERSION);
        ck_assert_int_eq(parse("version", NULL), 0);
        ck_assert_int_eq(cli.command, WARD_CMD_VERSION);

        assert_cli_error(parse("rnu", NULL), "", "unknown command \"rnu\"",
                         "did you mean \"ward run\"?");
        assert_cli_error(parse("help", "frob", NULL), "", "unknown command \"frob\"",
                         "commands: run");
}
END_TEST

static char *usage_of(enum ward_command command)
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        ck_assert_ptr_nonnull(f);
        cli_print_usage(command, f);
        fclose(f);
        return text;
}

/* ward check goes through run's parser: the same config from the same flags, check's own
 * flags aside; --oci, --list-rules and a bare check build no config at all. */
START_TEST(test_check_parses_as_run)
{
        struct ward_config run;

        ck_assert_int_eq(parse("run", "--profile", CLI_PROFILE, "-v", "/proc:/x", "--memory", "64m",
                               "--", "true", NULL),
                         0);
        run = c;
        memset(&c, 0, sizeof(c));
        ck_assert_int_eq(parse("check", "--format", "json", "--profile", CLI_PROFILE, "-v",
                               "/proc:/x", "--fail-on", "high", "--memory", "64m", "--", "true",
                               NULL),
                         0);
        ck_assert_int_eq(cli.command, WARD_CMD_CHECK);
        ck_assert_str_eq(cli.check.format, "json");
        ck_assert_str_eq(cli.check.fail_on, "high");
        ck_assert_str_eq(cli.check.profile, CLI_PROFILE);
        ck_assert(cli.check.run_flags);
        ck_assert_str_eq(cli.check.run_text, "--volume /proc:/x --memory 64m");
        ck_assert_uint_eq(c.n_mounts, run.n_mounts);
        ck_assert_str_eq(c.mounts[c.n_mounts - 1].source, "/proc");
        ck_assert_uint_eq(c.cgroup.limits[WARD_CG_MEMORY].value,
                          run.cgroup.limits[WARD_CG_MEMORY].value);
        ck_assert_uint_eq(c.caps_keep, run.caps_keep);
        ck_assert_str_eq(c.argv[0], "true");
        config_free(&run);

        /* A profile alone: the profile form. */
        ck_assert_int_eq(parse("check", "--profile", CLI_PROFILE, NULL), 0);
        ck_assert(!cli.check.run_flags);
        ck_assert_uint_eq(c.n_profiles_loaded, 1);
        /* Nothing to build. */
        ck_assert_int_eq(parse("check", "--oci", "/x/config.json", NULL), 0);
        ck_assert_str_eq(cli.check.oci, "/x/config.json");
        ck_assert_uint_eq(c.n_profiles_loaded, 0);
        ck_assert_int_eq(parse("check", "--list-rules", NULL), 0);
        ck_assert(cli.check.list_rules);
        ck_assert_uint_eq(c.n_profiles_loaded, 0);
        ck_assert_int_eq(parse("check", NULL), 0);
        ck_assert_uint_eq(c.n_profiles_loaded, 0);
        ck_assert_ptr_null(c.argv);

        /* Run's errors, with run's key. */
        assert_cli_error(parse("check", "--memory", "lots", "--", "true", NULL), "--memory", "lots",
                         NULL);
        assert_cli_error(parse("check", "-v", "/proc:/x", NULL), "", "no command given",
                         "ward check [OPTIONS] -- COMMAND");
        assert_cli_error(parse("check", "--bundle", "/b", NULL), "--bundle", "takes no --bundle",
                         "--oci");
        assert_cli_error(parse("check", "--format", "", NULL), "--format", "empty value", NULL);
}
END_TEST

START_TEST(test_usage_lists_every_flag)
{
        static const char *const flags[] = {
            "--profile",
            "--rootfs",
            "--read-only",
            "--tmpfs",
            "--volume",
            "--cap-drop",
            "--cap-add",
            "--security-opt",
            "--ulimit",
            "--user",
            "--group-add",
            "--network",
            "--hostname",
            "--env",
            "--env-file",
            "--workdir",
            "--init",
            "--no-init",
            "--stop-timeout",
            "--unshare",
            "--share",
            "--tty",
            "--interactive",
            "--help",
            "-v,",
            "-u,",
            "-e,",
            "-w,",
            "-t,",
            "-i,",
            "-h, --hostname",
            "-m, --memory",
        };
        enum ward_command both[] = {WARD_CMD_RUN, WARD_CMD_EXPLAIN};

        for (size_t j = 0; j < ARRAY_SIZE(both); j++) {
                _cleanup_free_ char *text = usage_of(both[j]);
                for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
                        ck_assert_msg(strstr(text, flags[i]), "usage lacks %s", flags[i]);
                ck_assert(strstr(text, "READ-ONLY unless :rw"));
                ck_assert(strstr(text, "Examples:"));
        }
        _cleanup_free_ char *top = usage_of(WARD_CMD_HELP);
        ck_assert(strstr(top, "Usage: ward [--help | --version] COMMAND"));
        ck_assert(strstr(top, "explain"));
        _cleanup_free_ char *init = usage_of(WARD_CMD_INIT);
        ck_assert(strstr(init, "Usage: ward init [OPTIONS] -- COMMAND"));
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* explain                                                                                */

static char *explain_text(void)
{
        struct ward_plan plan = WARD_PLAN_EMPTY;
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(explain_print(&c, &plan, f, &e), 0);
        fclose(f);
        return text;
}

static void assert_line(const char *text, const char *line)
{
        char *found = strstr(text, line);

        bool ok = found && (found == text || found[-1] == '\n') && found[strlen(line)] == '\n';

        if (!ok)
                fprintf(stderr, "%s", text);
        ck_assert_msg(ok, "no line \"%s\"", line);
}

START_TEST(test_explain_settings)
{
        _cleanup_free_ char *text = NULL;

        ck_assert_int_eq(parse("explain", "--profile", CLI_PROFILE, "--hostname", "flaghost",
                               "--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE", "-v",
                               "/srv/data:/data:rw", "--ulimit", "nproc=10:20", "--ulimit",
                               "fsize=64m:infinity", "-u", "1000", "--", "nginx", "-g",
                               "daemon off;", NULL),
                         0);
        text = explain_text();
        assert_line(text, "  " DATA "/cli.profile");
        assert_line(text, "Namespaces.Hostname = flaghost    (command line)");
        assert_line(text, "Namespaces.Unshare = user pid mount net uts ipc cgroup    (built-in "
                          "default)");
        assert_line(text, "Filesystem.Root = /srv/images/cli    (" DATA "/cli.profile:6)");
        assert_line(text, "Filesystem.ReadOnly = yes    (built-in default)");
        assert_line(text,
                    "Filesystem.Tmpfs = /tmp size=8M mode=1777 noexec    (" DATA "/cli.profile:7)");
        assert_line(text, "Filesystem.Bind = /srv/data /data rw    (command line)");
        assert_line(text, "Filesystem.MaskPath = /proc/kcore    (built-in default)");
        assert_line(text, "Filesystem.ReadOnlyPath = /proc/sys    (built-in default)");
        assert_line(text, "Process.User = 1000    (command line)");
        assert_line(text, "Process.Capabilities = NET_BIND_SERVICE    (command line)");
        assert_line(text, "Process.Environment = FROM_PROFILE=1    (" DATA "/cli.profile:11)");
        assert_line(text, "Process.UMask = 0022    (built-in default)");
        assert_line(text, "Resources.LimitNOFILE = 64:64    (" DATA "/cli.profile:15)");
        assert_line(text, "Resources.LimitNPROC = 10:20    (command line)");
        assert_line(text, "Resources.LimitFSIZE = 64M:infinity    (command line)");
        assert_line(text, "Network.Mode = none    (built-in default)");
        assert_line(text, "Init.StopTimeout = 20s    (" DATA "/cli.profile:18)");
        assert_line(text, "Command = nginx -g daemon off;    (command line)");
}
END_TEST

/* Every line says where its value came from: variables (each by the last place that set
 * its name), the description, groups apart from the user, the command. */
START_TEST(test_explain_origins)
{
        _cleanup_free_ char *text = NULL;

        setenv("WARD_TEST_PASSED", "from the caller", 1);
        ck_assert_int_eq(parse("explain", "--profile", CLI_PROFILE, "--group-add", "27", "-e",
                               "FLAG=1", "--env-file", DATA "/env.list", "-t", "--", "/bin/true",
                               NULL),
                         0);
        text = explain_text();
        assert_line(text, "Profile.Description = the command-line tests' base    (" DATA
                          "/cli.profile:21)");
        assert_line(text, "Process.User = 0:0 (the sandbox's root)    (built-in default)");
        assert_line(text, "Process.SupplementaryGroups = 27    (command line)");
        assert_line(text, "Process.Environment = PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                          "/usr/bin:/sbin:/bin    (built-in default)");
        assert_line(text, "Process.Environment = FROM_PROFILE=1    (" DATA "/cli.profile:11)");
        /* The profile's BOTH= is replaced by the file's, in its place. */
        assert_line(text, "Process.Environment = BOTH=file    (" DATA "/env.list:4)");
        assert_line(text, "Process.Environment = FROM_FILE=yes    (" DATA "/env.list:3)");
        assert_line(text, "Process.Environment = WARD_TEST_PASSED=from the caller    (" DATA
                          "/env.list:6)");
        assert_line(text, "Process.Environment = FLAG=1    (command line)");
        assert_line(text, "Command = /bin/true    (with a tty)    (command line)");
        ck_assert(strstr(text, "FROM_PROFILE=1    (") < strstr(text, "BOTH=file    ("));
}
END_TEST

START_TEST(test_explain_steps)
{
        _cleanup_free_ char *text = NULL;
        const char *order[] = {"clone3 with CLONE_PIDFD into new namespaces: user pid mount "
                               "net uts ipc cgroup",
                               "uid/gid map",
                               "sethostname(\"fromprofile\")",
                               "bring lo up",
                               "make every mount private",
                               "bind the root /srv/images/cli read-only",
                               "mount a new /proc",
                               "/dev: a minimal tmpfs",
                               "/sys read-only",
                               "tmpfs /tmp size=8M",
                               "bind /srv/a /a ro",
                               "mask (files: /dev/null, directories: an empty read-only "
                               "tmpfs): /proc/acpi /proc/asound",
                               "/proc/kcore",
                               "make read-only: /proc/bus",
                               "/proc/sys",
                               "pivot_root",
                               "setrlimit CORE=0:0 NPROC=512:512 NOFILE=64:64",
                               "umask 0022, chdir /",
                               /* Before the uid switch: it needs CAP_SETPCAP. */
                               "bounding set reduced to CHOWN NET_RAW",
                               "setgroups (cleared), setresgid, setresuid to 0:0",
                               "capabilities: effective, permitted and inheritable = CHOWN "
                               "NET_RAW",
                               "set no_new_privs",
                               /* Before seccomp, as setup does it: a user's filter must
                                * not decide what ward itself needs. */
                               "close every fd above 2",
                               "load the seccomp filter",
                               "exec ward-init (PID 1) -> /bin/true",
                               "forward TERM"};
        const char *at;

        ck_assert_int_eq(
            parse("explain", "--profile", CLI_PROFILE, "-v", "/srv/a:/a", "--", "/bin/true", NULL),
            0);
        text = explain_text();
        ck_assert(strstr(text, "\nSteps ward run would take:\n  1. monitor: check"));
        at = text;
        for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
                const char *found = strstr(at, order[i]);
                if (!found)
                        fprintf(stderr, "%s", text);
                ck_assert_msg(found, "step \"%s\" missing or out of order", order[i]);
                at = found;
        }
        /* The id map step says which mapping applies to the caller. */
        if (geteuid() == 0)
                ck_assert(strstr(text, "(as root): 0..65535 -> 2000000..2065535"));
        else
                ck_assert(strstr(text, "(as non-root): 0:0 -> your uid"));
}
END_TEST

START_TEST(test_explain_variants)
{
        _cleanup_free_ char *text = NULL;

        ck_assert_int_eq(parse("explain", "--profile", CLI_PROFILE, "--no-init", "--network",
                               "host", "--read-only=no", "--security-opt",
                               "no-new-privileges=false", "-u", "nobody", NULL),
                         0);
        text = explain_text();
        assert_line(text, "Command = (none given)");
        ck_assert(strstr(text, "exec COMMAND directly (Init=no"));
        ck_assert(strstr(text, "keep the host's network"));
        ck_assert(strstr(text, "read-WRITE"));
        ck_assert(strstr(text, "no_new_privs NOT set"));
        ck_assert(strstr(text, "setresuid to nobody (looked up in the image's /etc/passwd)"));
        ck_assert(!strstr(text, "bring lo up"));
}
END_TEST

static Suite *cli_suite(void)
{
        Suite *s = suite_create("cli");
        TCase *tc = tcase_create("flags");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_flag_beats_profile_in_any_order);
        tcase_add_test(tc, test_profiles_in_order_and_default);
        tcase_add_test(tc, test_profile_errors);
        tcase_add_test(tc, test_cap_drop_all_then_add);
        tcase_add_test(tc, test_volume);
        tcase_add_test(tc, test_tmpfs);
        tcase_add_test(tc, test_ulimit);
        tcase_add_test(tc, test_short_flag_cluster);
        tcase_add_test(tc, test_env);
        tcase_add_test(tc, test_env_file_error_line);
        tcase_add_test(tc, test_unknown_flag);
        tcase_add_test(tc, test_command);
        tcase_add_test(tc, test_simple_flags);
        tcase_add_test(tc, test_namespaces_and_network);
        tcase_add_test(tc, test_rootfs);
        tcase_add_test(tc, test_init_help_version);
        tcase_add_test(tc, test_usage_lists_every_flag);
        tcase_add_test(tc, test_check_parses_as_run);
        suite_add_tcase(s, tc);

        tc = tcase_create("explain");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_explain_settings);
        tcase_add_test(tc, test_explain_origins);
        tcase_add_test(tc, test_explain_steps);
        tcase_add_test(tc, test_explain_variants);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(cli_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
