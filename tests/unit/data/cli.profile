# The base profile of the command-line tests.
[Namespaces]
Hostname=fromprofile

[Filesystem]
Root=/srv/images/cli
Tmpfs=/tmp size=8M

[Process]
Capabilities=CHOWN NET_RAW
Environment=FROM_PROFILE=1
Environment=BOTH=profile

[Resources]
LimitNOFILE=64

[Init]
StopTimeout=20s

[Profile]
Description=the command-line tests' base
