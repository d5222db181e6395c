#!/bin/bash
# The folders of src/ are layers (ARCHITECTURE.md "Folders"): each folder's library may call
# only the folders CMakeLists.txt's ward_layer() lets it link, which it writes to
# BUILD_DIR/layers.txt ("NAME: BELOW..."). An archive's link order catches most calls the
# other way; this checks all of them: every undefined symbol of every object in
# libward_NAME.a that another folder's archive defines must come from NAME's closure.
#
# First a control: a layers file that lets `steps` call nothing must be reported (steps calls
# the sandbox's modules), so that a checker that finds nothing cannot pass.
#
# Usage: test_link_layers.sh BUILD_DIR    Exit 0: layered; 1: a call the wrong way; 77: no nm.
set -u
build=${1:-${WARD_BUILD_DIR:-}}
if ! command -v nm >/dev/null || ! command -v python3 >/dev/null; then
        echo "1..0 # SKIP nm (binutils) or python3 is not installed"
        exit 77
fi
if [ -z "$build" ] || [ ! -r "$build/layers.txt" ]; then
        echo "Bail out! no layers.txt in '$build': pass the build directory"
        exit 1
fi
exec python3 - "$build" <<'PY'
import os, subprocess, sys

build = sys.argv[1]
layers = {}
with open(os.path.join(build, "layers.txt")) as f:
    for line in f:
        name, _, below = line.partition(":")
        layers[name.strip()] = below.split()

def symbols(archive):
    """{object: (defined, undefined)} of a static archive."""
    out = subprocess.run(["nm", "-A", archive], capture_output=True, text=True, check=True)
    objs = {}
    for line in out.stdout.splitlines():
        where, _, rest = line.rpartition(":")  # "lib.a:obj.o: ... " -> where has the object
        obj = where.split(":")[-1]
        fields = rest.split()
        d, u = objs.setdefault(obj, (set(), set()))
        if len(fields) == 2 and fields[0] == "U":
            u.add(fields[1])
        elif len(fields) == 3 and fields[1] in "TDRBCVW":
            d.add(fields[2])
    return objs

def closure(name, layers):
    seen, todo = set(), [name]
    while todo:
        for below in layers.get(todo.pop(), []):
            if below not in seen:
                seen.add(below)
                todo.append(below)
    return seen

def wrong_way(layers, objs_of):
    owner = {}
    for name, objs in objs_of.items():
        for d, _ in objs.values():
            for sym in d:
                owner[sym] = name
    bad = []
    for name, objs in sorted(objs_of.items()):
        allowed = closure(name, layers) | {name}
        for obj, (_, u) in sorted(objs.items()):
            for sym in sorted(u):
                if sym in owner and owner[sym] not in allowed:
                    bad.append("#   %s/%s calls %s (%s/), which %s may not link"
                               % (name, obj.replace(".c.o", ".c"), sym, owner[sym], name))
    return bad

objs_of = {}
for name in layers:
    archive = os.path.join(build, "libward_%s.a" % name)
    if not os.path.exists(archive):
        print("Bail out! %s is missing: build first" % archive)
        sys.exit(1)
    objs_of[name] = symbols(archive)

print("1..2")
control = dict(layers, steps=[])
found = wrong_way(control, objs_of)
if any(line.split()[1].startswith("steps/") for line in found):
    print("ok 1 - control: steps/ told to link nothing is caught calling below (%d calls)"
          % len(found))
else:
    print("not ok 1 - control: steps/ with no folder below was not caught")
bad = wrong_way(layers, objs_of)
n = sum(len(o) for o in objs_of.values())
if bad:
    print("not ok 2 - %d call(s) go the wrong way among %d objects in %d folders"
          % (len(bad), n, len(layers)))
    print("\n".join(bad))
else:
    print("ok 2 - %d objects in %d folders call only the folders below them" % (n, len(layers)))
for name in layers:
    print("# %s -> %s" % (name, " ".join(sorted(closure(name, layers))) or "(nothing)"))
sys.exit(0 if found and not bad else 1)
PY
