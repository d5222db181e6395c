/* ward-init: PID 1 of the sandbox. Forks the app, forwards signals, reaps every zombie,
 * exits with the app's status (128+N when it died of signal N). Usable alone like tini:
 * `ward init -- CMD` (a child subreaper when it is not PID 1). */
#pragma once

/* argv: [progname, options..., "--", CMD, ARGS...]; progname is "ward-init" or "init".
 * Options: -g (signal the app's process group), -e CODE (report CODE as 0, repeatable),
 * -s (no-op, tini compatibility), -v (verbose), -h/--help.
 * Returns once the app has exited: its exit status, 128+N if signal N killed it, 0 for a
 * status named by -e; 126/127 when the command cannot be executed / is not found (from
 * the forked child); 125 on a usage error or when the app cannot be started; 0 for -h. */
int init_main(int argc, char **argv);
