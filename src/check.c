/* `ward check`: the policy rules on a ward profile or an OCI config.json, with the
 * exposure score, as text or JSON. */
#include "ward/check.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "ward/config.h"
#include "ward/oci_facts.h"
#include "ward/policy.h"
#include "ward/util.h"

struct check_args {
        const struct ward_check_cli *cli;
        bool json;
        enum ward_severity fail_on;
};

static int usage_error(const char *fmt, const char *arg)
{
        fprintf(stderr, "ward: error: command line: ");
        fprintf(stderr, fmt, arg);
        fprintf(stderr, "\nward:   fix: see ward check --help\n");
        return WARD_EXIT_FAILED;
}

/* cli.c parsed the line (ward run's flags with check's own); the values of check's own
 * are read here. Returns -1 to go on, otherwise the exit status. */
static int parse_args(const struct ward_check_cli *k, const struct ward_config *c,
                      struct check_args *a)
{
        a->cli = k;
        if (k->format) {
                if (strcmp(k->format, "json") != 0 && strcmp(k->format, "text") != 0)
                        return usage_error("--format \"%s\": use text or json", k->format);
                a->json = strcmp(k->format, "json") == 0;
        }
        /* An info finding is no exposure: nothing should fail on it. */
        if (k->fail_on &&
            (policy_severity_from_name(k->fail_on, &a->fail_on) < 0 || a->fail_on == WARD_SEV_INFO))
                return usage_error("--fail-on \"%s\": use low, medium, high, critical or none",
                                   k->fail_on);
        if (k->list_rules)
                return -1;
        if (k->oci && (k->profile || k->run_flags || c->argv))
                return usage_error("%s", "--oci takes no --profile, no other flag of ward run "
                                         "and no command: give either --profile NAME|FILE "
                                         "or --oci CONFIG.JSON");
        if (!k->oci && !k->profile && !k->run_flags && !c->argv)
                return usage_error("%s", "give --profile NAME|FILE, --oci CONFIG.JSON, or ward "
                                         "run's options and -- COMMAND");
        return -1;
}

static int fail(const struct ward_error *e)
{
        ward_error_print(e, stderr);
        return e->exit_code ? e->exit_code : WARD_EXIT_FAILED;
}

/* The first line: the profile alone reads as before the command form existed, so that
 * `--profile P -- CMD` prints what `--profile P` does (the command changes no fact). */
static void describe_config(const struct ward_check_cli *k, char *buf, size_t len)
{
        const char *profile = k->profile ? k->profile : "default";

        if (k->run_flags)
                snprintf(buf, len, "%s (ward profile) with %s", profile, k->run_text);
        else
                snprintf(buf, len, "%s (ward profile)", profile);
}

static void print_text(const struct ward_report *r, const struct ward_facts *f, const char *what)
{
        size_t count[WARD_SEV_CRITICAL + 1] = {0};

        printf("ward check: %s\n\n", what);
        for (size_t i = 0; i < r->n; i++) {
                const struct ward_finding *fi = &r->findings[i];
                count[fi->rule->severity]++;
                printf("%s %-8s %s: %s\n", fi->rule->id, policy_severity_name(fi->rule->severity),
                       fi->rule->name, fi->rule->reason);
                if (fi->detail[0])
                        printf("     found: %s\n", fi->detail);
                printf("     fix: %s\n", policy_rule_fix(fi->rule, f->kind));
        }
        if (!r->n)
                printf("no findings\n");
        printf("\nexposure: %.1f/10 %s (%zu critical, %zu high, %zu medium, %zu low", r->score,
               policy_score_label(r->score), count[WARD_SEV_CRITICAL], count[WARD_SEV_HIGH],
               count[WARD_SEV_MEDIUM], count[WARD_SEV_LOW]);
        if (count[WARD_SEV_INFO])
                printf("; %zu info, not scored", count[WARD_SEV_INFO]);
        printf(")\n");
}

static json_t *finding_json(const struct ward_finding *fi, enum ward_facts_kind kind)
{
        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", fi->rule->id, "name",
                         fi->rule->name, "severity", policy_severity_name(fi->rule->severity),
                         "reason", fi->rule->reason, "fix", policy_rule_fix(fi->rule, kind),
                         "detail", fi->detail);
}

static int print_json(const struct ward_report *r, const struct ward_facts *f, const char *what)
{
        json_t *list = json_array(), *root;

        for (size_t i = 0; list && i < r->n; i++)
                if (json_array_append_new(list, finding_json(&r->findings[i], f->kind)) < 0) {
                        json_decref(list);
                        list = NULL;
                }
        root = list ? json_pack("{s:s, s:s, s:f, s:s, s:o}", "source", what, "kind",
                                f->kind == WARD_FACTS_OCI ? "oci" : "profile", "score", r->score,
                                "rating", policy_score_label(r->score), "findings", list)
                    : NULL;
        if (!root || json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(3)) < 0) {
                json_decref(root);
                fprintf(stderr, "ward: error: out of memory\n");
                return WARD_EXIT_FAILED;
        }
        putchar('\n');
        json_decref(root);
        return 0;
}

static void list_rules(void)
{
        size_t n;
        const struct ward_policy_rule *all = policy_rules(&n);

        for (size_t i = 0; i < n; i++)
                printf("%s %-8s %-22s %s\n", all[i].id, policy_severity_name(all[i].severity),
                       all[i].name, all[i].reason);
}

int check_main(const struct ward_check_cli *k, const struct ward_config *c)
{
        struct check_args a = {0};
        struct ward_facts f;
        struct ward_report report;
        struct ward_error e;
        char what[4200];
        int r;

        memset(&e, 0, sizeof(e));
        if ((r = parse_args(k, c, &a)) >= 0)
                return r;
        if (a.cli->list_rules) {
                list_rules();
                return 0;
        }
        if (a.cli->oci) {
                r = oci_facts_load(a.cli->oci, &f, &e);
                snprintf(what, sizeof(what), "%s (OCI config)", a.cli->oci);
        } else {
                r = policy_facts_from_config(c, &f, &e);
                describe_config(a.cli, what, sizeof(what));
        }
        if (r < 0)
                return fail(&e);
        policy_evaluate(&f, &report);
        r = a.json ? print_json(&report, &f, what) : (print_text(&report, &f, what), 0);
        policy_facts_free(&f);
        if (r == 0 && a.fail_on != WARD_SEV_NONE && policy_report_max(&report) >= a.fail_on)
                r = WARD_EXIT_POLICY;
        return r;
}

/* One line per finding: a warning on the terminal or in a journal stays one record, and
 * one write(2) (stderr is unbuffered). */
static void print_warning(FILE *out, const struct ward_finding *fi, enum ward_facts_kind kind)
{
        char line[2048];
        int n;

        n = snprintf(line, sizeof(line), "ward: warning: %s %s (%s): %s%s%s%s; fix: %s\n",
                     fi->rule->id, fi->rule->name, policy_severity_name(fi->rule->severity),
                     fi->rule->reason, fi->detail[0] ? " (found: " : "", fi->detail,
                     fi->detail[0] ? ")" : "", policy_rule_fix(fi->rule, kind));
        if (n >= (int)sizeof(line))
                memcpy(line + sizeof(line) - 5, "...\n", 5);
        fputs(line, out);
}

void check_warn_run(const struct ward_config *c, FILE *out)
{
        struct ward_facts f;
        struct ward_report report;
        struct ward_error e;

        memset(&e, 0, sizeof(e));
        /* A warning is advice: facts that cannot be had (out of memory) leave the run be. */
        if (policy_facts_at_run(c, &f, &e) < 0)
                return;
        policy_evaluate(&f, &report);
        for (size_t i = 0; i < report.n; i++)
                if (report.findings[i].rule->severity >= WARD_SEV_HIGH)
                        print_warning(out, &report.findings[i], f.kind);
        policy_facts_free(&f);
}

static const char usage_check_head[] =
    "Usage: ward check --profile NAME|FILE [--profile ...] [OPTIONS]\n"
    "       ward check [RUN OPTIONS] [OPTIONS] [--] COMMAND [ARG...]\n"
    "       ward check --oci CONFIG.JSON [OPTIONS]\n"
    "       ward check --list-rules\n"
    "\n"
    "Evaluate ward's hardening rules on a ward profile (as `ward run` would resolve it),\n"
    "on what `ward run` with the same options would apply to COMMAND, or on an OCI\n"
    "runtime config.json; print each finding with its reason and fix, and an exposure\n"
    "score from 0.0 (locked down) to 10.0 (no protection). Creates nothing.\n"
    "\n"
    "Options:\n"
    "  --profile NAME|FILE   the profile to check (repeatable, applied in order); alone,\n"
    "                        a command after it changes nothing\n"
    "  --oci FILE            the OCI config.json to check (at most 4 MiB); no other\n"
    "                        option of ward run and no command with it\n"
    "  --format text|json    json: {\"score\": N, \"rating\": ..., \"findings\": [{\"id\",\n"
    "                        \"name\", \"severity\", \"reason\", \"fix\", \"detail\"}, ...]}\n"
    "  --fail-on SEVERITY    exit 1 when a finding of SEVERITY or above is present:\n"
    "                        low, medium, high, critical (default none: exit 0);\n"
    "                        an info finding never fails\n"
    "  --list-rules          print every rule: id, severity, name and reason\n"
    "  -h, --help            print this text\n"
    "\n"
    "RUN OPTIONS: every option of ward run but --bundle (check a bundle's config.json\n"
    "with --oci), parsed by ward run's own code: the same values are refused with the\n"
    "same message. Without --profile, \"default\" is loaded, as ward run does.\n"
    "\n";

static const char usage_check_tail[] =
    "\n"
    "Score: 10 x (weights of the rules found) / (weights of every rule), with weights\n"
    "info 0, low 1, medium 3, high 6, critical 10; a high finding makes it at least 5.0\n"
    "and a critical one at least 9.0.\n"
    "Ratings: OK < 2.0 <= MEDIUM < 5.0 <= EXPOSED < 8.0 <= UNSAFE.\n"
    "\n"
    "ward run prints a one-line warning on stderr for each high or critical finding on\n"
    "the configuration it is about to apply, and runs as before.\n"
    "\n"
    "An entrypoint-mode profile (Namespaces.Unshare=none) hardens ward's own process\n"
    "inside a container that another runtime made: the namespaces, cgroup limits and\n"
    "masked paths are that runtime's, and are not judged (no W010, W011, W020-W026,\n"
    "W060, W061, W064, W090). The info finding W110 says so; judge the outer\n"
    "container's config.json with --oci.\n"
    "\n"
    "--oci judges what the runtime will do: mount sources resolved from the bundle\n"
    "(config.json's directory) through .. and symlinks on this host, options in order,\n"
    "overlay layers, namespace paths compared with /proc/1/ns, the seccomp profile by\n"
    "the dangerous calls it lets through, device rules by what they open.\n"
    "\n"
    "Exit status: 0; 1 when --fail-on is met; 125 on bad input (an unreadable profile,\n"
    "an option ward run refuses, invalid JSON at LINE:COLUMN, a field of the wrong type).\n"
    "\n"
    "Examples:\n"
    "  ward check --profile strict\n"
    "  ward check -v /srv/data:/data --network host --fail-on high -- /app/server\n"
    "  ward check --oci /run/containers/bundle/config.json --format json --fail-on high\n";

void check_print_usage(FILE *out, const char *run_flags)
{
        fputs(usage_check_head, out);
        fputs(run_flags, out);
        fputs(usage_check_tail, out);
}
