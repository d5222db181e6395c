/* ward: main() parses the command line and dispatches; only here are errors printed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ward/check.h"
#include "ward/doctor.h"
#include "ward/cli.h"
#include "ward/config.h"
#include "ward/config_validate.h"
#include "ward/entrypoint.h"
#include "ward/explain.h"
#include "ward/keys.h"
#include "ward/cgroup.h"
#include "ward/idmap.h"
#include "ward/init.h"
#include "ward/landlock.h"
#include "ward/monitor.h"
#include "ward/mount.h"
#include "ward/oci_bundle.h"
#include "ward/plan.h"
#include "ward/process.h"
#include "ward/systemd.h"
#include "ward/trust.h"
#include "ward/trust_exposure.h"
#include "ward/util.h"

/* Everything that bad input can break is checked here, before any clone. The checks read
 * the settings; what they open or learn goes into the plan (the root's fd, the cgroup); the
 * resolve steps (entrypoint mode's container defaults, User=) are the settings' last
 * writes. */
static int preflight(struct ward_config *c, struct ward_plan *p, struct ward_error *e)
{
        int r;

        if (c->in_place)
                return (r = trust_check_in_place_profiles(c, e)) < 0 ? r
                                                                     : entrypoint_preflight(c, e);
        r = config_validate(c, e);
        if (r >= 0)
                r = cgroup_prepare(c, p, e);
        if (r >= 0)
                r = trust_check_not_exposed(c, e);
        if (r >= 0)
                r = mount_validate(c, p, e);
        if (r >= 0)
                r = process_resolve_user(c, p, e);
        if (r >= 0)
                r = landlock_validate(c, e);
        return r;
}

static int fail(const struct ward_error *e)
{
        ward_error_print(e, stderr);
        return e->exit_code ? e->exit_code : WARD_EXIT_FAILED;
}

/* A bundle's config.json is judged by ward check --oci and ward hook, on facts richer
 * than the config ward makes of it (its own seccomp filter is stacked under ward's and
 * would read as none): warnings from that config could be wrong. */
static int run(struct ward_config *c, bool bundle, int *app_signal)
{
        _cleanup_(idmap_lease_release) struct ward_id_lease lease = WARD_ID_LEASE_NONE;
        _cleanup_(plan_done) struct ward_plan plan = WARD_PLAN_EMPTY;
        struct ward_error e;
        int status;

        memset(&e, 0, sizeof(e));
        config_resolve(c);
        /* First: the preflight checks the root's owner against the range leased here. The
         * lease lives as long as this process; the kernel drops it if we are killed. */
        if (plan_init(&plan, c, &e) < 0 || idmap_acquire(c, &lease, &e) < 0 ||
            preflight(c, &plan, &e) < 0)
                return fail(&e);
        if (!bundle)
                check_warn_run(c, stderr);
        fflush(NULL);
        if (c->in_place)
                status = entrypoint_run(c, &plan, &e);
        else if (systemd_prepare(c, &plan, &e) < 0)
                status = WARD_EXIT_FAILED;
        else
                status = monitor_run(c, &plan, app_signal, &e);
        if (e.msg[0])
                return fail(&e);
        return status;
}

static int explain(struct ward_config *c)
{
        _cleanup_(plan_done) struct ward_plan plan = WARD_PLAN_EMPTY;
        struct ward_error e;

        memset(&e, 0, sizeof(e));
        config_resolve(c);
        if (plan_init(&plan, c, &e) < 0)
                return fail(&e);
        /* Reading only: a Delegate=yes unit's cgroup is where the sandbox would go. */
        if (cgroup_detect_delegation(c, &plan) < 0) {
                ward_error_set(&e, ENOMEM, "out of memory");
                return fail(&e);
        }
        if (explain_print(c, &plan, stdout, &e) < 0)
                return fail(&e);
        if (!c->argv) {
                /* A dry run without a command still checks everything else. */
                static char *placeholder[] = {"COMMAND", NULL};
                c->argv = placeholder;
                int r = preflight(c, &plan, &e);
                c->argv = NULL;
                if (r < 0)
                        goto refused;
                return 0;
        }
        if (preflight(c, &plan, &e) < 0)
                goto refused;
        return 0;
refused:
        printf("\nward run would refuse this configuration:\n");
        fflush(stdout);
        return fail(&e);
}

/* `ward spec`: the config.json of what run would build. */
static int spec(struct ward_config *c)
{
        struct ward_error e;

        memset(&e, 0, sizeof(e));
        if (oci_spec_print(c, stdout, &e) < 0)
                return fail(&e);
        return 0;
}

/* What ward printed on stdout (a report, a spec, the help) must have reached it: a write
 * that failed is an error the exit status shows. A reader that went away (EPIPE: `ward
 * check | head -1`) ends ward as it ends any writer in a pipeline, 141, silently. */
static int check_stdout(int status)
{
        if (fflush(stdout) == 0 && !ferror(stdout))
                return status;
        if (errno == EPIPE)
                return 128 + SIGPIPE;
        fprintf(stderr, "ward: error: cannot write the output to standard output: %s\n",
                strerror(errno));
        return WARD_EXIT_FAILED;
}

/* No core dump of ward's own (it would be of ward, not of the app, whose core, if any, the
 * kernel wrote already); a signal whose default is not to die (the app cannot have died of
 * it) falls back to the status. */
_Noreturn static void die_of_signal(int sig, int status)
{
        struct rlimit no_core = {0, 0};
        sigset_t set;

        fflush(NULL);
        setrlimit(RLIMIT_CORE, &no_core);
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        signal(sig, SIG_DFL);
        sigemptyset(&set);
        sigaddset(&set, sig);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise(sig);
        _exit(status);
}

int main(int argc, char **argv)
{
        struct ward_config c;
        struct ward_cli cli;
        struct ward_error e;
        int status, app_signal = 0;
        bool exit_like_app;
        void (*inherited_sigpipe)(int);

        /* An error message to a closed stderr must not kill ward with SIGPIPE (141 instead
         * of 125); every process ward starts gets the default back (setup, in-place mode,
         * the hooks), and ward init what our parent gave (it keeps an ignored SIGPIPE for
         * the app, as tini does). */
        inherited_sigpipe = signal(SIGPIPE, SIG_IGN);
        memset(&e, 0, sizeof(e));
        memset(&cli, 0, sizeof(cli));
        if (config_init(&c, &e) < 0)
                return fail(&e);
        if (cli_parse(argc, argv, &cli, &c, &e) < 0) {
                status = fail(&e);
                config_free(&c);
                return status;
        }
        if (cli.help) {
                cli_print_usage(cli.command, stdout);
                status = 0;
        } else if (cli.command == WARD_CMD_VERSION) {
                printf("ward %s\n", WARD_VERSION_STRING);
                status = 0;
        } else if (cli.command == WARD_CMD_INIT) {
                signal(SIGPIPE, inherited_sigpipe == SIG_IGN ? SIG_IGN : SIG_DFL);
                status = init_main(cli.init_argc, cli.init_argv);
        } else if (cli.command == WARD_CMD_CHECK) {
                status = check_main(&cli.check, &c);
        } else if (cli.command == WARD_CMD_HOOK) {
                status = hook_main(cli.init_argc, cli.init_argv);
        } else if (cli.command == WARD_CMD_DOCTOR) {
                status = doctor_main(cli.init_argc, cli.init_argv, &c);
        } else if (cli.command == WARD_CMD_EXPLAIN) {
                status = explain(&c);
        } else if (cli.command == WARD_CMD_SPEC) {
                status = spec(&c);
        } else if (cli.command == WARD_CMD_RUN) {
                status = run(&c, cli.bundle, &app_signal);
        } else if (cli.help_keys) {
                status = keys_print(cli.help_keys) < 0 ? WARD_EXIT_FAILED : 0;
        } else {
                cli_print_usage(WARD_CMD_HELP, stdout);
                status = 0;
        }
        exit_like_app = c.exit_like_app == WARD_EXIT_LIKE_APP_YES ||
                        (c.exit_like_app == WARD_EXIT_LIKE_APP_AUTO && systemd_is_main_process());
        config_free(&c);
        status = check_stdout(status);
        /* A service's main process ends the way its app did: systemd then sees the signal
         * (Restart=on-abnormal, SuccessExitStatus=SIGTERM, a clean `systemctl stop`), not
         * the 128+N docker reports by hand and in images. */
        if (app_signal && exit_like_app)
                die_of_signal(app_signal, status);
        return status;
}
