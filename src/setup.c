/* Setup: in the new namespaces, wait for the monitor's GO, then walk the step table's setup
 * rows (steps.c), which end in the exec of the init. The order is the table's. */
#include "ward/setup.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ward/steps.h"
#include "ward/sync.h"

_Noreturn static void setup_fail(const struct ward_setup_args *a, const struct ward_error *e)
{
        sync_send(a->sync_fd, WARD_SYNC_ERROR, e);
        _exit(e->exit_code ? e->exit_code : WARD_EXIT_FAILED);
}

static int wait_for_monitor(const struct ward_setup_args *a, struct ward_error *e)
{
        struct ward_sync_msg msg;
        int fd, r = sync_recv(a->sync_fd, &msg, &fd);

        if (r <= 0 || msg.type != WARD_SYNC_GO)
                return ward_error_set(e, r < 0 ? -r : EPIPE, "the monitor went away");
        return 0;
}

_Noreturn void setup_run(const struct ward_setup_args *a)
{
        struct ward_step_ctx ctx = {.config = a->config,
                                    .mode = WARD_STEPS_SETUP,
                                    .sync_fd = a->sync_fd,
                                    .init_fd = a->init_fd,
                                    .report_fd = a->report_fd,
                                    .plan = a->plan};
        struct ward_error e;

        memset(&e, 0, sizeof(e));
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        steps_reset_signals();
        if (wait_for_monitor(a, &e) < 0)
                _exit(WARD_EXIT_FAILED);
        steps_run(&ctx, &e);
        setup_fail(a, &e);
}
