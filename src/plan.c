/* The plan (plan.h): what the monitor prepares, and the one place its fds are closed. */
#include "ward/plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int plan_init(struct ward_plan *p, const struct ward_config *c, struct ward_error *e)
{
        memset(p, 0, sizeof(*p));
        p->rootless = geteuid() != 0;
        p->root_fd = -1;
        p->root_path_fd = -1;
        p->systemd.notify_fd = -1;
        if (c->n_mounts && !(p->tree_fds = calloc(c->n_mounts, sizeof(*p->tree_fds))))
                return ward_error_set(e, ENOMEM, "out of memory");
        p->n_tree_fds = c->n_mounts;
        for (size_t i = 0; i < p->n_tree_fds; i++)
                p->tree_fds[i] = -1;
        return 0;
}

void plan_release_clones(struct ward_plan *p)
{
        if (p->root_fd >= 0)
                close(p->root_fd);
        p->root_fd = -1;
        for (size_t i = 0; i < p->n_tree_fds; i++) {
                if (p->tree_fds[i] >= 0)
                        close(p->tree_fds[i]);
                p->tree_fds[i] = -1;
        }
}

void plan_done(struct ward_plan *p)
{
        plan_release_clones(p);
        if (p->root_path_fd >= 0)
                close(p->root_path_fd);
        p->root_path_fd = -1;
        if (p->systemd.notify_fd >= 0)
                close(p->systemd.notify_fd);
        p->systemd.notify_fd = -1;
        free(p->tree_fds);
        p->tree_fds = NULL;
        p->n_tree_fds = 0;
        free(p->seccomp.bpf);
        p->seccomp.bpf = NULL;
        free(p->cgroup.delegated);
        p->cgroup.delegated = NULL;
}
