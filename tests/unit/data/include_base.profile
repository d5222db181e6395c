[Namespaces]
Hostname=base

[Resources]
LimitNOFILE=100

[Filesystem]
Tmpfs=/tmp size=8M
MaskPath=/base-masked
