# Every section once, lists emptied and appended, quoting and odd spacing.
[Profile]
Include=default
Description=fuzz seed: every section
[Namespaces]
Unshare=user pid mount net uts ipc cgroup
Hostname=seed
[Filesystem]
ReadOnly=yes
Tmpfs=
Tmpfs=/tmp size=1M mode=1777 exec
Bind=/srv /srv ro
MaskPath=/proc/kcore
ReadOnlyPath=/proc/sys
[Process]
User=1000:1000
SupplementaryGroups=5 6
Capabilities=NET_BIND_SERVICE
NoNewPrivileges=yes
Environment=A=B
PassEnvironment=TERM
WorkingDirectory=/
UMask=0027
[Resources]
LimitNOFILE=64:128
Memory=64M
Pids=16
Resources=try
[Network]
Mode=none
[Init]
Init=yes
StopTimeout=500ms
[Seccomp]
Allow=@mount
Deny=ptrace
DefaultAction=errno
[Landlock]
ReadOnly=/usr
BindTCP=8080
