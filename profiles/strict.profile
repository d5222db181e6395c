# ward's strict profile: the default profile, tightened for apps that need no root at all
# and little of anything else. Use it for batch jobs, untrusted code and small daemons:
#   ward run --profile strict --rootfs /srv/images/app -- /app/run

[Profile]
Include=default
Description=ward strict: default plus an unprivileged user and tight limits

[Filesystem]
# Replaces the default's /tmp (a later profile naming the same target overrides it).
Tmpfs=/tmp size=16M mode=1777
# The default's empty /run (the image's sockets hidden), smaller; skipped without /run.
Tmpfs=/run size=4M mode=0755 optional

[Process]
# nobody:nogroup: not even the sandbox's root owns anything, so nothing in the image is
# writable unless it was made so on purpose.
User=65534:65534
# Files the app creates are private to it.
UMask=077

[Resources]
LimitNOFILE=256
LimitNPROC=64
# A runaway writer cannot fill a writable bind mount beyond this size per file.
LimitFSIZE=64M

[Init]
# Strict apps are expected to stop promptly.
StopTimeout=5s
