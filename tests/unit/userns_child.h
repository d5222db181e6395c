/* Unit-test helper: run a function in a forked child inside a new user namespace, and
 * bring its report back to the parent, which makes the assertions.
 *
 * The including file defines `struct report` first, with at least
 *   int setup_err;        errno of the namespace setup, 0 when the function ran
 *   char setup_what[64];  which setup step failed
 * and whatever its own checks need. */
#pragma once

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/util.h"

enum idmap {
        MAP_SELF, /* the child maps only its own ids ("0 <outer euid> 1"): any user may */
        MAP_WIDE, /* the parent, as root, maps 65536 ids from WARD_ID_MAP_BASE (as ward does) */
};

typedef void (*child_fn)(struct report *rep, void *arg);

__attribute__((unused)) static void setup_failed(struct report *rep, const char *what)
{
        rep->setup_err = errno ? errno : EIO;
        snprintf(rep->setup_what, sizeof(rep->setup_what), "%s", what);
}

__attribute__((unused)) static int map_self(struct report *rep, uid_t uid, gid_t gid)
{
        char map[64];

        if (ward_write_file_at(AT_FDCWD, "/proc/self/setgroups", "deny") < 0)
                return setup_failed(rep, "write setgroups"), -1;
        snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
        if (ward_write_file_at(AT_FDCWD, "/proc/self/uid_map", map) < 0)
                return setup_failed(rep, "write uid_map"), -1;
        snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
        if (ward_write_file_at(AT_FDCWD, "/proc/self/gid_map", map) < 0)
                return setup_failed(rep, "write gid_map"), -1;
        return 0;
}

__attribute__((unused)) static void map_wide(pid_t pid)
{
        char path[64], map[64];

        snprintf(map, sizeof(map), "0 %u %u\n", WARD_ID_MAP_BASE, WARD_ID_MAP_RANGE);
        snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
        ck_assert_int_eq(ward_write_file_at(AT_FDCWD, path, map), 0);
        snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
        ck_assert_int_eq(ward_write_file_at(AT_FDCWD, path, map), 0);
}

/* Run fn in a forked child that unshares a user namespace (plus extra) and is mapped as map
 * says; its report lands in *rep. False, after printing why, when this host cannot create
 * user namespaces. */
__attribute__((unused)) static bool run_in_userns(unsigned long extra, enum idmap map, child_fn fn,
                                                  void *arg, struct report *rep)
{
        int res[2], go[2], ready[2], status, r;
        char byte = 0;
        pid_t pid;

        ck_assert_int_eq(pipe2(res, O_CLOEXEC), 0);
        ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
        ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                static struct report child_rep;
                uid_t uid = geteuid();
                gid_t gid = getegid();

                close(res[0]);
                close(go[1]);
                close(ready[0]);
                if (unshare(CLONE_NEWUSER | extra) < 0)
                        setup_failed(&child_rep, "unshare");
                else if (map == MAP_SELF)
                        map_self(&child_rep, uid, gid);
                /* Wait until the parent has written the maps (MAP_WIDE). */
                byte = child_rep.setup_err ? 'F' : 'R';
                if (write(ready[1], &byte, 1) != 1 || read(go[0], &byte, 1) != 1)
                        _exit(3);
                if (!child_rep.setup_err)
                        fn(&child_rep, arg);
                _exit(ward_write_all(res[1], &child_rep, sizeof(child_rep)) < 0 ? 4 : 0);
        }
        close(res[1]);
        close(go[0]);
        close(ready[1]);
        ck_assert_int_eq(read(ready[0], &byte, 1), 1);
        if (map == MAP_WIDE && byte == 'R')
                map_wide(pid);
        ck_assert_int_eq(write(go[1], &byte, 1), 1);
        memset(rep, 0, sizeof(*rep));
        r = ward_read_all(res[0], rep, sizeof(*rep));
        close(res[0]);
        close(go[1]);
        close(ready[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x",
                      (unsigned)status);
        ck_assert_int_eq(r, 0);
        if (rep->setup_err && strcmp(rep->setup_what, "unshare") == 0 &&
            (rep->setup_err == EPERM || rep->setup_err == ENOSPC || rep->setup_err == EUSERS ||
             rep->setup_err == EINVAL)) {
                printf("SKIP: cannot create a user namespace here: %s\n", strerror(rep->setup_err));
                fflush(stdout);
                return false;
        }
        ck_assert_msg(!rep->setup_err, "child setup: %s: %s", rep->setup_what,
                      strerror(rep->setup_err));
        return true;
}
