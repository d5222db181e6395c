/* libseccomp helpers (scmp.h). */
#include "ward/scmp.h"

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>

#include "ward/seccomp_rules.h"
#include "ward/util.h"

int scmp_syscall_number(const char *name)
{
        int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name);
        return nr >= 0 && nr < WARD_SECCOMP_MAX_NR ? nr : -1;
}

static size_t count(const char *const *words)
{
        size_t n = 0;

        while (words && words[n])
                n++;
        return n;
}

void scmp_closest_syscall(const char *word, const char *const *extra, char *out, size_t len)
{
        size_t n_extra = count(extra), n = 0, n_owned = 0;
        _cleanup_free_ const char **cands =
            calloc(n_extra + WARD_SECCOMP_MAX_NR + 1, sizeof(*cands));
        _cleanup_free_ char **owned = calloc(WARD_SECCOMP_MAX_NR, sizeof(*owned));
        const char *best = NULL;

        snprintf(out, len, "%s", "");
        if (!cands || !owned)
                return; /* no suggestion is better than none at all */
        for (size_t i = 0; i < n_extra; i++)
                cands[n++] = extra[i];
        for (int nr = 0; nr < WARD_SECCOMP_MAX_NR && word[0] != '@'; nr++) {
                char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                if (name)
                        cands[n++] = owned[n_owned++] = name;
        }
        best = ward_closest(word, cands);
        snprintf(out, len, "%s", best ? best : "");
        for (size_t i = 0; i < n_owned; i++)
                free(owned[i]);
}

void scmp_ctx_releasep(void **ctx)
{
        if (*ctx)
                seccomp_release(*ctx);
}
