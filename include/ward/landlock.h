/* Landlock: what the app may open, execute, bind and connect to, inside the sandbox.
 *
 *   [Landlock]  Landlock=yes|no|try  ReadOnly=  ReadWrite=  Execute=  BindTCP=  ConnectTCP=
 *
 * When Landlock is on, the ruleset handles every access right the kernel's ABI offers, so
 * whatever the lists do not grant is refused (EACCES): files and directories outside them,
 * executing anything not under Execute=, binding or connecting any TCP port not listed
 * (ABI 4+). Scoping (ABI 6+) is always on with it: the app cannot signal processes outside
 * its Landlock domain (the monitor, the host) nor connect to abstract unix sockets bound
 * outside it. The character devices every program opens (/dev/null, zero, full, random,
 * urandom, tty) stay readable and writable.
 *
 * Any list key with a value implies Landlock=yes unless a Landlock= line says otherwise. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward/config.h"
#include "ward/landlock_spec.h"

#define WARD_LANDLOCK_ABI_MAX 7 /* the newest ABI whose rights ward knows */

enum ward_landlock_list {
        WARD_LANDLOCK_READ_ONLY,  /* read files, list directories */
        WARD_LANDLOCK_READ_WRITE, /* all of the above plus create, write, remove, rename */
        WARD_LANDLOCK_EXECUTE,    /* read and execute */
};

/* The kernel's Landlock ABI version; 0 when it has none (not built, or disabled at boot). */
int landlock_abi(void);

/* The rights a ruleset handles at ABI abi (capped at WARD_LANDLOCK_ABI_MAX). */
uint64_t landlock_handled_fs(int abi);
uint64_t landlock_handled_net(int abi);
uint64_t landlock_scoped(int abi);
/* The rights a path in list grants at ABI abi; a file gets only the rights that apply to
 * files (the kernel refuses directory rights on a file). */
uint64_t landlock_list_access(enum ward_landlock_list list, int abi, bool is_dir);

/* Parse one [Landlock] key (the profile reader's handler); key is "ReadOnly" etc. */
int landlock_parse_key(struct ward_config *c, const char *key, const char *value,
                       const struct ward_origin *origin, struct ward_error *e);

/* Whether Landlock will be applied with this kernel ABI: 1 yes, 0 no (off, or try on a kernel
 * or configuration that cannot have it), or -errno with *e filled (required but impossible). */
int landlock_decide(const struct ward_config *c, int abi, struct ward_error *e);

/* The monitor's check before clone: landlock_decide with this kernel's ABI. */
int landlock_validate(const struct ward_config *c, struct ward_error *e);

/* In setup, after pivot_root and no_new_privs: build the ruleset from the sandbox's paths
 * and restrict this process (and so the init and the app). */
int landlock_apply(const struct ward_config *c, struct ward_error *e);

/* One line for `ward explain`'s steps: what landlock_apply would do with ABI abi. */
void landlock_describe(const struct ward_config *c, int abi, char *buf, size_t len);
/* "80,443", or "none". */
void landlock_format_ports(const uint16_t *ports, size_t n, char *buf, size_t len);

void landlock_config_free(struct ward_landlock_config *l);
