#!/usr/bin/env python3
"""Turn the config.json written by `crun spec` into one of the bundles test_oci_hook.sh runs.

Usage: oci_bundle.py CONFIG_JSON ROOTFS VARIANT HOOK_JSON [KEY=VALUE ...]

VARIANT:
  hardened    within ward's default profile: every namespace (the sandbox's ids mapped to
              host 2000000..+65535), a read-only root, no capabilities, no_new_privs, a
              seccomp denylist refusing every call ward check's W041/W042 name
              (and clone with namespace flags; clone3 gets ENOSYS, so that glibc
              falls back to clone), RLIMIT_NOFILE 1024 and
              RLIMIT_NPROC 512, crun's masked and read-only paths
  privileged  what `--privileged` gives: every capability, no seccomp, no masked or
              read-only paths, every device allowed (still in a user namespace, so that a
              hook that let it through would harm nothing)
  docker-sock hardened, plus a bind of the host file SOCK (KEY=VALUE) at /run/docker.sock
  tmp-dotdot  hardened, plus a read-only bind of /tmp/.. (the host's /) at /tmp/host
  host-ns     hardened, but in the host's pid and network namespaces (what an entrypoint
              profile read as a policy would let through); without /proc and /sys, which
              a user namespace cannot mount for the host's pid and network namespaces
HOOK_JSON: the createRuntime hook, e.g. {"path": "/usr/bin/ward", "args": [...]}.
KEY=VALUE: ARGS="word ..." (the process, default /bin/true), SOCK=path,
           ANNOTATION=key=value (added to config.json's annotations).
"""
import json
import sys

ALL_CAPS = [
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
]
SETS = ("bounding", "effective", "inheritable", "permitted", "ambient")
# What ward check's W041/W042 look for (src/policy/oci_norm.c): a denylist must refuse them all,
# and clone with any CLONE_NEW* flag.
DANGEROUS_CALLS = [
    "mount", "umount2", "umount", "pivot_root", "fsopen", "fsconfig", "fsmount", "fspick",
    "move_mount", "open_tree", "mount_setattr", "unshare", "clone3", "setns",
    "open_by_handle_at", "init_module", "finit_module", "delete_module", "kexec_load",
    "kexec_file_load", "bpf", "iopl", "ioperm", "swapon", "swapoff", "reboot", "ptrace",
    "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key",
    "perf_event_open", "userfaultfd", "name_to_handle_at", "acct", "quotactl", "syslog",
    "settimeofday", "clock_settime", "lookup_dcookie", "uselib",
]
CLONE_NEW_FLAGS = [0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000,
                   0x40000000]


def hardened(spec, rootfs, args):
    proc = spec["process"]
    proc["terminal"] = False
    proc["args"] = args
    proc["env"] = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
    proc["cwd"] = "/"
    proc["user"] = {"uid": 0, "gid": 0}
    proc["capabilities"] = {k: [] for k in SETS}
    proc["noNewPrivileges"] = True
    proc["rlimits"] = [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024},
                       {"type": "RLIMIT_NPROC", "hard": 512, "soft": 512}]
    spec["root"] = {"path": rootfs, "readonly": True}
    spec["hostname"] = "crun"
    mounts = [m for m in spec.get("mounts", []) if m.get("destination") != "/tmp"]
    mounts.append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                   "options": ["nosuid", "nodev", "noexec", "mode=1777", "size=65536k"]})
    spec["mounts"] = mounts
    linux = spec.setdefault("linux", {})
    linux["namespaces"] = [{"type": t} for t in
                           ("user", "pid", "mount", "network", "uts", "ipc", "cgroup")]
    # Above ward's id pool, as `ward spec` maps: a fixed range inside it would wait for
    # (and, after 5 s, fail beside) any other suite's sandbox that leased it.
    linux["uidMappings"] = [{"containerID": 0, "hostID": 69108864, "size": 65536}]
    linux["gidMappings"] = [{"containerID": 0, "hostID": 69108864, "size": 65536}]
    linux.pop("resources", None)  # crun runs with --cgroup-manager=disabled
    linux.pop("cgroupsPath", None)
    linux["seccomp"] = {
        "defaultAction": "SCMP_ACT_ALLOW",
        "architectures": ["SCMP_ARCH_X86_64"],
        "syscalls": [{"names": [c for c in DANGEROUS_CALLS if c != "clone3"],
                      "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                     {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}] +
                    [{"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                      "args": [{"index": 0, "value": f, "valueTwo": f,
                                "op": "SCMP_CMP_MASKED_EQ"}]} for f in CLONE_NEW_FLAGS],
    }


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    path, rootfs, variant, hook = sys.argv[1:5]
    opts = dict(a.split("=", 1) for a in sys.argv[5:])
    with open(path) as f:
        spec = json.load(f)
    hardened(spec, rootfs, opts.get("ARGS", "/bin/true").split())
    if variant == "privileged":
        spec["process"]["capabilities"] = {k: list(ALL_CAPS) for k in SETS}
        spec["process"]["noNewPrivileges"] = False
        spec["linux"].pop("seccomp")
        spec["linux"]["maskedPaths"] = []
        spec["linux"]["readonlyPaths"] = []
        spec["linux"]["resources"] = {"devices": [{"allow": True, "access": "rwm"}]}
    elif variant == "docker-sock":
        spec["mounts"].append({"destination": "/run/docker.sock", "type": "bind",
                               "source": opts["SOCK"], "options": ["rbind", "rw"]})
    elif variant == "tmp-dotdot":
        # The host's / spelled as /tmp/..: what ward hook must judge by where it leads.
        spec["mounts"].append({"destination": "/tmp/host", "type": "bind", "source": "/tmp/..",
                               "options": ["rbind", "ro"]})
    elif variant == "host-ns":
        spec["linux"]["namespaces"] = [n for n in spec["linux"]["namespaces"]
                                       if n["type"] not in ("pid", "network")]
        spec["mounts"] = [m for m in spec["mounts"]
                          if m["destination"] not in ("/proc", "/sys", "/sys/fs/cgroup")]
    elif variant != "hardened":
        sys.exit("unknown variant " + variant)
    if "ANNOTATION" in opts:
        key, value = opts["ANNOTATION"].split("=", 1)
        spec.setdefault("annotations", {})[key] = value
    spec["hooks"] = {"createRuntime": [json.loads(hook)]}
    with open(path, "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
