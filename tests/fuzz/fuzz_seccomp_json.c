/* libFuzzer target: the Docker/OCI seccomp JSON reader (src/seccomp/seccomp_json.c), compiled into
 * a libseccomp context that is then released, never loaded. The input reaches the real
 * entry point as a file: a memfd, opened through /proc/self/fd. The first byte's low bit
 * chooses the kept capabilities (none or all), which steers includes/excludes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ward/error.h"
#include "ward/seccomp_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static int fd = -1;
        static char path[64];
        static const struct ward_origin origin = {.file = "fuzz.profile", .line = 1};
        struct ward_error e;

        if (fd < 0) {
                fd = memfd_create("fuzz.json", MFD_CLOEXEC);
                if (fd < 0)
                        return 0;
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        }
        if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
                return 0;
        memset(&e, 0, sizeof(e));
        seccomp_json_compile(path, size && (data[0] & 1) ? ~0ULL : 0, &origin, NULL, NULL, &e);
        return 0;
}
