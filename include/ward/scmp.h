/* What ward asks of libseccomp in more than one place: x86_64 system call names (a name's
 * number, the known name closest to a misspelled one) and releasing a filter context. The
 * allowlist (seccomp.c), the JSON profile reader (seccomp_json.c) and the OCI export use
 * it, and none of them needs another for it. */
#pragma once

#include <stddef.h>

/* The x86_64 number of name, or -1 when this architecture (or libseccomp) lacks it. */
int scmp_syscall_number(const char *name);

/* The word closest to word into out ("" when none is close): the NULL-terminated extra
 * words (may be NULL), then, unless word starts with '@', every name libseccomp knows. */
void scmp_closest_syscall(const char *word, const char *const *extra, char *out, size_t len);

/* For _cleanup_(): release a libseccomp context (a scmp_filter_ctx) if there is one. */
void scmp_ctx_releasep(void **ctx);
