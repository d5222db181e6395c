#!/usr/bin/env python3
"""Turn the config.json written by `crun spec` into the bundle bench/startup.sh times.

Usage: crun-bundle.py CONFIG_JSON ROOTFS ID_MAP_BASE

The result is as close as an OCI config gets to `ward run --profile default`:
the same seven namespaces (user pid mount net uts ipc cgroup), the same uid/gid map
as ward uses when run as root (container 0..65535 -> host ID_MAP_BASE..+65535), a
read-only root, a tmpfs on /tmp, no capabilities in any set, no_new_privs, no
terminal, no cgroup limits (crun runs with --cgroup-manager=disabled), and
/bin/true as the process. crun's default mounts (/proc, /dev, /dev/pts, /dev/shm,
/dev/mqueue, /sys, /sys/fs/cgroup) and masked/read-only paths are kept.
"""
import json
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: crun-bundle.py CONFIG_JSON ROOTFS ID_MAP_BASE")
    path, rootfs, base = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path) as f:
        spec = json.load(f)

    proc = spec["process"]
    proc["terminal"] = False
    proc["args"] = ["/bin/true"]
    proc["env"] = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
    proc["cwd"] = "/"
    proc["user"] = {"uid": 0, "gid": 0}
    proc["capabilities"] = {k: [] for k in
                            ("bounding", "effective", "inheritable", "permitted", "ambient")}
    proc["noNewPrivileges"] = True

    spec["root"] = {"path": rootfs, "readonly": True}
    spec["hostname"] = "crun"

    mounts = [m for m in spec.get("mounts", []) if m.get("destination") != "/tmp"]
    mounts.append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                   "options": ["nosuid", "nodev", "noexec", "mode=1777", "size=65536k"]})
    spec["mounts"] = mounts

    linux = spec.setdefault("linux", {})
    linux["namespaces"] = [{"type": t} for t in
                           ("user", "pid", "mount", "network", "uts", "ipc", "cgroup")]
    linux["uidMappings"] = [{"containerID": 0, "hostID": base, "size": 65536}]
    linux["gidMappings"] = [{"containerID": 0, "hostID": base, "size": 65536}]
    linux.pop("resources", None)     # no cgroup limits: nothing for crun to write
    linux.pop("cgroupsPath", None)
    linux.pop("seccomp", None)       # ward's default profile has no seccomp yet either

    with open(path, "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
