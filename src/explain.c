/* `ward explain`: a dry run. Prints every resolved setting with where it came from, then the
 * ordered steps `ward run` would take with this configuration. It only reads the config and
 * the caller's ids: nothing is created, so it needs no privileges. */
#include "ward/explain.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "ward/caps.h"
#include "ward/cgroup.h"
#include "ward/entrypoint.h"
#include "ward/explain_format.h"
#include "ward/idmap.h"
#include "ward/keys.h"
#include "ward/landlock.h"
#include "ward/mount.h"
#include "ward/oci_hooks.h"
#include "ward/profile.h"
#include "ward/rlimit.h"
#include "ward/memfd_exec.h"
#include "ward/process.h"
#include "ward/seccomp.h"
#include "ward/steps.h"
#include "ward/util.h"

/* ------------------------------------------------------------------------------------- */
/* Settings: the key table's (keys_explain), then what is not a key                      */

static void print_profiles(const struct ward_config *c, FILE *out)
{
        fprintf(out, "Profiles read (in order):\n");
        if (!c->n_profiles_loaded)
                fprintf(out, "  (none: built-in defaults only)\n");
        for (size_t i = 0; i < c->n_profiles_loaded; i++)
                fprintf(out, "  %s\n", c->profiles_loaded[i]);
        fputc('\n', out);
}

/* A bundle's hooks, each with its place in config.json: what ward will execute on the host,
 * as root, around the sandbox. */
static void print_hook_list(const struct ward_config *c, const struct ward_oci_hook *list, size_t n,
                            FILE *out)
{
        char args[2048];

        for (size_t i = 0; i < n; i++) {
                struct ward_origin o = c->oci_hooks->origin;
                size_t used = 0;

                args[0] = '\0';
                for (size_t k = 0; list[i].argv && list[i].argv[k] && used < sizeof(args); k++) {
                        int w = snprintf(args + used, sizeof(args) - used, "%s%s", k ? " " : "",
                                         k ? list[i].argv[k] : list[i].path);
                        if (w < 0)
                                break;
                        used += (size_t)w;
                }
                o.key = list[i].name;
                explain_format_setting(out, "Hook", args, &o);
        }
}

static void print_hooks(const struct ward_config *c, FILE *out)
{
        if (!c->oci_hooks)
                return;
        print_hook_list(c, c->oci_hooks->create, c->oci_hooks->n_create, out);
        print_hook_list(c, c->oci_hooks->poststop, c->oci_hooks->n_poststop, out);
}

static void print_command(const struct ward_config *c, FILE *out)
{
        char where[448];

        fprintf(out, "Command =");
        if (!c->argv || !c->argv[0]) {
                fprintf(out, " (none given)\n");
                return;
        }
        for (size_t i = 0; c->argv[i]; i++)
                fprintf(out, " %s", c->argv[i]);
        explain_format_origin(&c->argv_origin, where, sizeof(where));
        fprintf(out, "%s%s    (%s)\n", c->tty ? "    (with a tty)" : "",
                c->interactive ? "    (stdin relayed)" : "", where);
}

int explain_print(const struct ward_config *c, const struct ward_plan *p, FILE *out,
                  struct ward_error *e)
{
        print_profiles(c, out);
        keys_explain(c, out);
        print_hooks(c, out);
        print_command(c, out);
        if (c->in_place)
                entrypoint_explain(out);
        steps_explain(c, p, out);
        if (fflush(out) == EOF || ferror(out))
                return ward_error_set(e, errno ? errno : EIO, "cannot write the explanation");
        return 0;
}
