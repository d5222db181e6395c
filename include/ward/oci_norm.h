/* The normalizer between an OCI config.json and the policy's facts: what the runtime will
 * actually do with each field, so that the rules (policy.c) judge effects, never spellings.
 *
 * - a mount source is resolved as the runtime resolves it: relative to the bundle, then
 *   `..` and symbolic links on the host (openat2, O_PATH: nothing is opened for reading);
 *   a source that does not exist is judged by its lexical normalization;
 * - mount options are applied in order (["ro", "rw"] is writable);
 * - overlay layers (lowerdir=, upperdir=, workdir=) are sources;
 * - a namespace path is the namespace it names: the host's when it is /proc/1/ns/TYPE's;
 * - a device cgroup rule list is what it lets the container open;
 * - a seccomp profile is which dangerous system calls stay reachable. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the config comes from, for what resolves on the host. NULL: nothing is looked up on
 * the host (lexical only), for fuzzing and for configs of another machine. */
struct oci_host {
        const char *bundle;    /* the bundle directory: relative sources and root.path */
        const char *proc_root; /* "/proc", or a fake one in tests */
};

#define OCI_PATH_MAX 4096

/* base + path ("/" when base is NULL and path relative), with "." and ".." resolved as
 * names only ("/a/../.." is "/"), repeated '/' collapsed, no trailing '/'. -ENAMETOOLONG
 * when out is too small. */
int oci_path_lexical(const char *base, const char *path, char *out, size_t len);

/* The path the runtime will reach: the longest existing prefix of base + path resolved on
 * the host (symlinks followed, magic links refused), the rest lexical. Never opens anything
 * but with O_PATH. Falls back to oci_path_lexical when host is NULL. *existed: the whole
 * path exists. */
int oci_path_resolve(const struct oci_host *host, const char *path, char *out, size_t len,
                     bool *existed);

/* Mount flags after applying the options in order, as runc and crun do. */
struct oci_mount_opts {
        bool bind;      /* "bind" or "rbind" */
        bool recursive; /* "rbind" */
        bool ro;        /* last of "ro"/"rw" */
        bool nosuid, nodev, noexec;
};
void oci_mount_options(const char *const *opts, size_t n, struct oci_mount_opts *out);

/* The host directories of an overlay mount's options, in order: every lowerdir= layer
 * (':' separated, "\:" escaped), lowerdir+=, datadir+=, upperdir=, workdir=. *writable gets
 * whether each layer may be written (upperdir, workdir). Returns the count, or -ENOMEM /
 * -E2BIG (more than max layers). The strings are malloc'd. */
int oci_overlay_layers(const char *const *opts, size_t n, char **layers, bool *writable,
                       size_t max);

enum oci_ns_kind {
        OCI_NS_HOST,    /* the host's own (the same inode as proc_root/1/ns/TYPE) */
        OCI_NS_JOINED,  /* another existing namespace (a pod's, another container's) */
        OCI_NS_UNKNOWN, /* the path names nothing ward can stat */
};
/* A linux.namespaces[].path: type is the /proc name ("net", "pid", "mnt", "ipc", "uts",
 * "user", "cgroup"). Lexically /proc/1/, /proc/self/ and /proc/thread-self/ are the host's
 * whatever stat says (the hook runs on the host). */
enum oci_ns_kind oci_ns_classify(const struct oci_host *host, const char *path, const char *type);

/* Dangerous system calls, by what they reach. */
enum oci_call_tier {
        OCI_CALL_ESCAPE,  /* mounts, namespaces, modules, kexec, bpf, handles, raw I/O */
        OCI_CALL_SURFACE, /* ptrace, keys, perf, userfaultfd: large kernel attack surface */
};
struct oci_call {
        const char *name;
        enum oci_call_tier tier;
        bool ns_flags; /* clone/unshare: only with CLONE_NEW* flags */
};
/* The list (bit i of a reachable mask is entry i); *n gets its length (at most 64). */
const struct oci_call *oci_dangerous_calls(size_t *n);
/* Mask of every call of the tier. */
uint64_t oci_calls_of_tier(enum oci_call_tier tier);

/* A seccomp JSON object (already type-checked by the reader): the mask of dangerous calls it
 * lets through for a process holding caps. Conditions on arguments it cannot decide count
 * as letting the call through; so does an unknown action (named in note). */
uint64_t oci_seccomp_reachable(const json_t *seccomp, uint64_t caps, char *note, size_t len);
/* The part of that mask a tracer or a user-space supervisor may let through
 * (SCMP_ACT_TRACE, SCMP_ACT_NOTIFY, an unknown action; also as the default action): there
 * the kernel's own checks of the calling process are not what decides. */
uint64_t oci_seccomp_delegated(const json_t *seccomp, uint64_t caps);

/* What a linux.resources.devices list (already type-checked) lets the container open: a
 * space separated description ("every char device", "b 8:0 (disk)") in out, "" when
 * nothing dangerous. Rules apply in order, the last match wins; the runtime starts from
 * "deny all". */
void oci_device_access(const json_t *rules, char *out, size_t len);
