/* `ward hook --policy NAME|FILE`: an OCI runtime hook (createRuntime or prestart) that
 * refuses a container going beyond a ward profile read as the maximum permissions.
 *
 * The runtime writes the container's state to stdin; the bundle's config.json says what
 * the container will have. Each violated rule is one line on stderr and one in the log
 * (runtimes often swallow a hook's stderr): --log-file, syslog or the journal, whichever
 * comes first (src/oci/hook_log.c). */
#include "ward/check.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/flags.h"
#include "ward/hook_log.h"
#include "ward/oci_facts.h"
#include "ward/oci_norm.h"
#include "ward/policy.h"
#include "ward/profile.h"
#include "ward/util.h"

/* The annotation naming rules the container asks to be excused from. */
#define EXCEPTION_ANNOTATION "org.ward.exception"

struct hook_ctx {
        const char *policy;
        const char *log_file; /* --log-file */
        struct hook_log log;
        bool audit; /* --mode audit: log what would be refused, refuse nothing */
        struct hook_state st;
        json_t *config;
        struct ward_facts box;
        struct ward_facts max;
        struct ward_config policy_config;
        bool have_box, have_max, have_config;
};

/* Control characters (a container id or path could carry them) become '?': one message
 * stays one line, and nothing can forge another. */
static void one_line(char *s)
{
        for (; *s; s++)
                if ((unsigned char)*s < 0x20 || *s == 0x7f)
                        *s = '?';
}

/* One line in the log, and on stderr too when it is a warning. */
__attribute__((format(printf, 3, 4))) static void say(struct hook_ctx *h, int priority,
                                                      const char *fmt, ...)
{
        char line[1024];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        one_line(line);
        if (priority <= LOG_WARNING)
                fprintf(stderr, "ward hook: %s\n", line);
        hook_log_line(&h->log, priority, line);
}

static int fail(struct hook_ctx *h, const struct ward_error *e)
{
        char where[sizeof(e->where) + sizeof(e->key) + 4];
        char line[sizeof(where) + sizeof(e->msg) + sizeof(e->hint) + 400];

        ward_error_print(e, stderr);
        snprintf(where, sizeof(where), "%s%s%s", e->where, e->where[0] && e->key[0] ? ": " : "",
                 e->key);
        /* The fix too: runtimes often keep only "error executing hook" of stderr. */
        snprintf(line, sizeof(line), "refused container %s: error: %s%s%s%s%s%s%s",
                 h->st.id[0] ? h->st.id : "(unknown)", where, where[0] ? ": " : "", e->msg,
                 e->err ? ": " : "", e->err ? strerror(e->err) : "", e->hint[0] ? "; fix: " : "",
                 e->hint);
        one_line(line);
        hook_log_line(&h->log, LOG_ERR, line);
        if (h->audit) {
                say(h, LOG_WARNING, "audit mode: container %s allowed despite the error",
                    h->st.id[0] ? h->st.id : "(unknown)");
                return 0;
        }
        return WARD_EXIT_FAILED;
}

/* e, set with what is wrong: blame the command line, show the usage. */
static int usage_error(struct ward_error *e)
{
        snprintf(e->where, sizeof(e->where), "command line");
        ward_error_hint(e, "ward hook --policy NAME|FILE < STATE.JSON (ward hook --help)");
        return WARD_EXIT_FAILED;
}

/* Returns -1 to go on, 0 after --help, or WARD_EXIT_FAILED with e filled. */
static int parse_args(int argc, char **argv, struct hook_ctx *h, struct ward_error *e)
{
        static const struct option options[] = {
            {"policy", required_argument, NULL, 'p'},
            {"mode", required_argument, NULL, 'm'},
            {"log-file", required_argument, NULL, 'l'},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
        };
        int opt;

        optind = 0; /* a fresh getopt: argv[0] is "hook" */
        opterr = 0;
        while ((opt = flags_next(argc, argv, "+:h", options, "hook", e)) > 0) {
                if (opt == 'h') {
                        hook_print_usage(stdout);
                        return 0;
                }
                if (opt == 'm') {
                        if (strcmp(optarg, "audit") != 0 && strcmp(optarg, "enforce") != 0) {
                                ward_error_set(e, 0, "--mode \"%.64s\": use enforce or audit",
                                               optarg);
                                return usage_error(e);
                        }
                        h->audit = strcmp(optarg, "audit") == 0;
                        continue;
                }
                if (opt == 'l') {
                        h->log_file = optarg;
                        continue;
                }
                h->policy = optarg; /* 'p' */
        }
        if (opt < 0)
                return WARD_EXIT_FAILED;
        if (optind < argc) {
                ward_error_set(e, 0, "unexpected argument \"%.64s\"", argv[optind]);
                return usage_error(e);
        }
        if (!h->policy) {
                ward_error_set(e, 0, "--policy NAME|FILE is required");
                return usage_error(e);
        }
        return -1;
}

static int state_error(struct ward_error *e, const char *key, const char *msg)
{
        ward_error_set(e, 0, "%s", msg);
        snprintf(e->where, sizeof(e->where), "OCI state (stdin)");
        snprintf(e->key, sizeof(e->key), "%s", key);
        ward_error_hint(e, "run ward hook as an OCI hook: the runtime writes the state JSON "
                           "to its stdin");
        return -EINVAL;
}

int hook_state_read(int fd, struct hook_state *st, struct ward_error *e)
{
        json_t *id, *bundle, *ann;
        int r;

        if ((r = oci_json_read_fd(fd, "OCI state (stdin)", &st->doc, e)) < 0)
                return r;
        id = json_object_get(st->doc, "id");
        bundle = json_object_get(st->doc, "bundle");
        ann = json_object_get(st->doc, "annotations");
        if (id && !json_is_string(id))
                return state_error(e, "id", "not a string");
        if (id)
                snprintf(st->id, sizeof(st->id), "%s", json_string_value(id));
        one_line(st->id);
        if (!bundle || !json_is_string(bundle))
                return state_error(e, "bundle", "missing, or not a string");
        if (json_string_value(bundle)[0] != '/')
                return state_error(e, "bundle", "not an absolute path");
        if (strlen(json_string_value(bundle)) >= sizeof(st->bundle))
                return state_error(e, "bundle", "path too long");
        snprintf(st->bundle, sizeof(st->bundle), "%s", json_string_value(bundle));
        if (ann && !json_is_object(ann) && !json_is_null(ann))
                return state_error(e, "annotations", "not an object");
        st->annotations = json_is_object(ann) ? ann : NULL;
        return 0;
}

void hook_state_free(struct hook_state *st)
{
        json_decrefp(&st->doc);
}

static int read_config(struct hook_ctx *h, struct ward_error *e)
{
        char display[sizeof(h->st.bundle) + 16];
        _cleanup_close_ int dirfd = -1;
        json_t *ann;
        int r;

        snprintf(display, sizeof(display), "%s/config.json", h->st.bundle);
        /* The bundle path comes from the runtime; config.json inside it must be a plain
         * file, never a symlink pointing elsewhere. */
        dirfd = open(h->st.bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return ward_error_set(e, errno, "cannot open the bundle %.300s", h->st.bundle);
        if ((r = oci_json_load_at(dirfd, "config.json", display, &h->config, e)) < 0)
                return r;
        /* Sources, root.path and namespace paths as the runtime will resolve them: from
         * the bundle, on this host. */
        struct oci_host host = {.bundle = h->st.bundle, .proc_root = "/proc"};
        if ((r = oci_facts_from_json_host(h->config, display, &host, &h->box, e)) < 0)
                return r;
        h->have_box = true;
        ann = json_object_get(h->config, "annotations");
        if (!h->st.annotations && json_is_object(ann))
                h->st.annotations = ann;
        return 0;
}

static int read_policy(struct hook_ctx *h, struct ward_error *e)
{
        int r;

        if ((r = config_init(&h->policy_config, e)) < 0)
                return r;
        h->have_config = true;
        if ((r = profile_load(&h->policy_config, h->policy, e)) < 0)
                return r;
        if ((r = policy_max_from_config(&h->policy_config, h->policy, &h->max, e)) < 0)
                return r;
        h->have_max = true;
        return 0;
}

static bool policy_allows_exception(const struct ward_config *c, const char *id)
{
        for (size_t i = 0; i < c->n_policy_exceptions; i++)
                if (strcmp(c->policy_exceptions[i], id) == 0)
                        return true;
        return false;
}

/* Waive the findings the annotation names and the policy allows; with report, say what is
 * not waived and why (after the summary: its line stays the first on stderr). */
static void apply_exceptions(struct hook_ctx *h, struct ward_report *r, bool report)
{
        json_t *v =
            h->st.annotations ? json_object_get(h->st.annotations, EXCEPTION_ANNOTATION) : NULL;
        _cleanup_free_ char *copy = NULL;
        char *save = NULL;

        if (!v)
                return;
        if (!json_is_string(v) || !(copy = strdup(json_string_value(v)))) {
                if (report)
                        say(h, LOG_WARNING, "container %s: annotation %s is not a string; ignored",
                            h->st.id, EXCEPTION_ANNOTATION);
                return;
        }
        for (char *w = strtok_r(copy, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
                const struct ward_policy_rule *rule = policy_rule_find(w);
                if (!rule) {
                        if (report)
                                say(h, LOG_WARNING,
                                    "container %s: %s names no rule \"%.64s\"; ignored", h->st.id,
                                    EXCEPTION_ANNOTATION, w);
                        continue;
                }
                if (!policy_allows_exception(&h->policy_config, rule->id)) {
                        if (report)
                                say(h, LOG_WARNING,
                                    "container %s: exception for %s requested by %s, but policy %s "
                                    "allows no exception for it ([Policy] AllowExceptions=)",
                                    h->st.id, rule->id, EXCEPTION_ANNOTATION, h->policy);
                        continue;
                }
                for (size_t i = 0; i < r->n; i++)
                        if (r->findings[i].rule == rule)
                                r->findings[i].waived = true;
        }
}

/* The first line a runtime shows of a hook's stderr: which rules, at once. */
static void summary(struct hook_ctx *h, const struct ward_report *r)
{
        char ids[WARD_POLICY_MAX_FINDINGS * 6] = "";

        for (size_t i = 0; i < r->n; i++)
                if (!r->findings[i].waived)
                        snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s%s",
                                 ids[0] ? " " : "", r->findings[i].rule->id);
        if (ids[0])
                say(h, LOG_WARNING, "%s container %s under policy %s: %s (details follow)",
                    h->audit ? "audit mode, would refuse" : "refusing", h->st.id, h->policy, ids);
}

static int verdict(struct hook_ctx *h)
{
        struct ward_report r;
        size_t refused = 0;
        const char *verb = h->audit ? "would refuse" : "refused";

        policy_compare(&h->box, &h->max, &r);
        apply_exceptions(h, &r, false);
        summary(h, &r);
        apply_exceptions(h, &r, true);
        for (size_t i = 0; i < r.n; i++) {
                const struct ward_finding *fi = &r.findings[i];
                if (fi->waived) {
                        say(h, LOG_NOTICE,
                            "container %s: %s %s waived by %s (allowed by policy %s)", h->st.id,
                            fi->rule->id, fi->rule->name, EXCEPTION_ANNOTATION, h->policy);
                        continue;
                }
                refused++;
                say(h, LOG_WARNING, "%s container %s: %s %s (%s): %s%s%s%s; fix: %s", verb,
                    h->st.id, fi->rule->id, fi->rule->name,
                    policy_severity_name(fi->rule->severity), fi->rule->reason,
                    fi->detail[0] ? " [" : "", fi->detail, fi->detail[0] ? "]" : "",
                    policy_rule_fix(fi->rule, WARD_FACTS_OCI));
        }
        if (refused) {
                say(h, LOG_WARNING,
                    "%s container %s (bundle %s): %zu rule%s of policy %s violated%s", verb,
                    h->st.id, h->st.bundle, refused, refused == 1 ? "" : "s", h->policy,
                    h->audit ? " (audit mode: allowed)" : "");
                return h->audit ? 0 : WARD_EXIT_POLICY;
        }
        say(h, LOG_INFO, "allowed container %s (bundle %s) under policy %s", h->st.id, h->st.bundle,
            h->policy);
        return 0;
}

static void hook_free(struct hook_ctx *h)
{
        if (h->have_box)
                policy_facts_free(&h->box);
        if (h->have_max)
                policy_facts_free(&h->max);
        if (h->have_config)
                config_free(&h->policy_config);
        json_decrefp(&h->config);
        hook_state_free(&h->st);
}

/* The command line, the log file and the policy are judged first: any of them broken
 * refuses every container, and says so in the log too (a hooks.d entry's typo is found
 * there). The state is read before them all the same, so that the refusal names the
 * container, unless stdin is a terminal (someone trying `ward hook` by hand), where reading
 * would wait for them. log_r: hook_log_open_file()'s result, log_e its error. */
static int decide(struct hook_ctx *h, int args, int log_r, struct ward_error *log_e,
                  struct ward_error *e)
{
        struct ward_error state_e;
        int state = 0;

        memset(&state_e, 0, sizeof(state_e));
        if (!isatty(STDIN_FILENO))
                state = hook_state_read(STDIN_FILENO, &h->st, &state_e);
        /* A bad command line refuses even in audit mode: its mode cannot be trusted. */
        if (args > 0)
                h->audit = false;
        if (args > 0)
                return fail(h, e);
        /* A log file that cannot be used is the hooks.d entry's mistake like the policy's:
         * audit mode still lets the container run (its lines went to the next sink). */
        if (log_r < 0)
                return fail(h, log_e);
        if (read_policy(h, e) < 0)
                return fail(h, e);
        if (state < 0)
                return fail(h, &state_e);
        if ((isatty(STDIN_FILENO) && hook_state_read(STDIN_FILENO, &h->st, e) < 0) ||
            read_config(h, e) < 0)
                return fail(h, e);
        return verdict(h);
}

int hook_main(int argc, char **argv)
{
        struct hook_ctx h = {0};
        struct ward_error e, log_e;
        int r, log_r = 0;

        memset(&e, 0, sizeof(e));
        if ((r = parse_args(argc, argv, &h, &e)) == 0)
                return 0; /* --help */
        /* A runtime may run hooks in the bundle, which the container's creator writes: a
         * relative --policy FILE must never be resolved from there. */
        if (chdir("/") < 0)
                return WARD_EXIT_FAILED;
        /* Opened even after a bad flag: the file an operator watches then says so. */
        memset(&log_e, 0, sizeof(log_e));
        if (h.log_file)
                log_r = hook_log_open_file(&h.log, h.log_file, &log_e);
        else
                hook_log_open_default(&h.log);
        r = decide(&h, r, log_r, &log_e, &e);
        hook_free(&h);
        hook_log_close(&h.log);
        return r;
}

static const char usage_hook[] =
    "Usage: ward hook --policy NAME|FILE [--mode enforce|audit] [--log-file PATH]\n"
    "                 < STATE.JSON\n"
    "\n"
    "An OCI runtime hook (createRuntime or prestart, e.g. from podman's or CRI-O's\n"
    "hooks.d): read the container's state JSON on stdin, load <bundle>/config.json, and\n"
    "refuse the container when it goes beyond the policy, a ward profile read as the\n"
    "maximum permissions (ward check --list-rules shows the rules compared).\n"
    "\n"
    "Built-in policies: default (ward's default profile: what ward gives its own\n"
    "sandboxes) and podman (what `podman run IMAGE` gives with podman's defaults, and\n"
    "nothing more; ward(1), CHECKING CONFIGURATIONS, says what it tolerates and why).\n"
    "\n"
    "The annotation org.ward.exception=W070[,W021...] waives a rule, but only one the\n"
    "policy lists in [Policy] AllowExceptions= (ward.profile(5)).\n"
    "\n"
    "Each violated rule is one line on stderr and one in the log, followed by the\n"
    "verdict; an error too. The log is the first that works of: --log-file; syslog\n"
    "(/dev/log; facility authpriv, tag ward-hook); the journal's socket\n"
    "(/run/systemd/journal/socket); else stderr alone, which then says so at its end.\n"
    "\n"
    "Options:\n"
    "  --policy NAME|FILE    the policy profile: an absolute FILE, or a NAME looked up in\n"
    "                        /etc/ward/profiles and the installed profiles (never in the\n"
    "                        directory the runtime runs the hook in: ward hook works in /)\n"
    "  --mode enforce|audit  enforce (the default) refuses; audit logs what it would\n"
    "                        refuse (\"would refuse container ...\") and any error, and\n"
    "                        lets every container run: for rolling the gate out\n"
    "  --log-file PATH       append every line to PATH (absolute; created 0600) instead\n"
    "                        of syslog or the journal: podman shows no hook's stderr.\n"
    "                        Refused (125) if another user than root may write PATH or\n"
    "                        a directory above it, or PATH is a symlink, FIFO or device\n"
    "  -h, --help            print this text\n"
    "\n"
    "The first line of a refusal lists the rules (\"refusing container ID under policy\n"
    "P: W071 W072 (details follow)\"): runtimes that show one line of a hook show it.\n"
    "\n"
    "An entrypoint-mode profile (Namespaces.Unshare=none) is no policy: it says what\n"
    "ward does inside a container, not what a container may be given. Use a profile\n"
    "that unshares namespaces: default, or a copy of it.\n"
    "\n"
    "Exit status: 0 allowed; 1 refused (a rule is violated); 125 on bad input (a bad\n"
    "flag; the policy, the state or config.json cannot be read; an entrypoint-mode\n"
    "policy; an unusable --log-file), which refuses the container too. In audit mode\n"
    "always 0, except for a bad flag (125).\n"
    "\n"
    "Example (config.json):\n"
    "  \"hooks\": {\"createRuntime\": [{\"path\": \"/usr/bin/ward\",\n"
    "      \"args\": [\"ward\", \"hook\", \"--policy\", \"default\",\n"
    "               \"--log-file\", \"/var/log/ward-hook.log\"]}]}\n";

void hook_print_usage(FILE *out)
{
        fputs(usage_hook, out);
}
