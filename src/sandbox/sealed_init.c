/* The sealed copy of ward-init (sealed_init.h). */
#include "ward/sealed_init.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/util.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

/* ward-init next to our own binary (build tree), in ../libexec/ward relative to it (an
 * install under any prefix), else where the build said it would be installed. */
static int open_init_binary(struct ward_error *e)
{
        static const char *const relative[] = {"ward-init", "../libexec/ward/ward-init"};
        char dir[PATH_MAX], candidate[PATH_MAX + 32];
        int fd;

        for (size_t i = 0; i < ARRAY_SIZE(relative) && ward_exe_dir(dir, sizeof(dir)) == 0; i++) {
                snprintf(candidate, sizeof(candidate), "%s/%s", dir, relative[i]);
                if ((fd = open(candidate, O_RDONLY | O_CLOEXEC)) >= 0)
                        return fd;
        }
        fd = open(WARD_INIT_INSTALL_PATH, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                int r = ward_error_set(e, errno, "cannot find ward-init next to ward or at %s",
                                       WARD_INIT_INSTALL_PATH);
                ward_error_hint(e, "reinstall ward (cmake --install), or run with --no-init");
                return r;
        }
        return fd;
}

/* The init runs from a sealed anonymous copy: the sandbox's /proc/1/exe then leads to that
 * copy, never to the host's binary, which it could otherwise overwrite (CVE-2019-5736). */
int sealed_init_make(struct ward_error *e)
{
        _cleanup_close_ int src = open_init_binary(e);
        _cleanup_close_ int memfd = -1;
        struct stat st;

        if (src < 0)
                return src;
        memfd = memfd_create("ward-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
        if (memfd < 0 && errno == EINVAL)
                memfd = memfd_create("ward-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (memfd < 0 && errno == EACCES) {
                /* vm.memfd_noexec=2 in our own pid namespace: no executable memfd at all. */
                ward_error_set(e, EACCES,
                               "memfd_create(MFD_EXEC) for the sealed init copy: "
                               "this pid namespace has vm.memfd_noexec=2");
                ward_error_hint(e, "ward runs its init from a sealed executable memfd, so that "
                                   "the sandbox cannot reach the host's binary (CVE-2019-5736): "
                                   "set vm.memfd_noexec to 0 or 1 where ward runs, or use "
                                   "--no-init");
                return -EACCES;
        }
        if (memfd < 0)
                return ward_error_set(e, errno, "memfd_create() for the sealed init copy");
        if (fstat(src, &st) < 0)
                return ward_error_set(e, errno, "fstat(ward-init)");
        for (off_t done = 0; done < st.st_size;) {
                ssize_t n = sendfile(memfd, src, NULL, (size_t)(st.st_size - done));
                if (n <= 0)
                        return ward_error_set(e, n < 0 ? errno : EIO, "copying ward-init");
                done += n;
        }
        if (fcntl(memfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
                return ward_error_set(e, errno, "sealing the init copy");
        return ward_take_fd(&memfd);
}
