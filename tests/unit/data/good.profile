# A profile that sets every key once; tests check the values and the lines.
[Profile]
Description=every key, once

[Namespaces]
Unshare=
Unshare=user pid mount uts
Hostname=web-1   # an inline comment
IdMapBase=3000000

[Filesystem]
Root=/srv/images/web
ReadOnly=no
Tmpfs=/tmp size=32M
Tmpfs=/run size=1M mode=700 exec
Bind=/srv/data /data rw
Bind=/etc/ssl/certs /etc/ssl/certs
MaskPath=/proc/mask-me
ReadOnlyPath=/proc/readonly-me

[Process]
User=9999:8888
SupplementaryGroups=27 100
Capabilities=NET_BIND_SERVICE
Capabilities=cap_chown
NoNewPrivileges=yes
Environment=LANG=C.UTF-8
Environment=COLOR=#fff
WorkingDirectory=/srv
UMask=0077

; semicolon comments work too
[Resources]
LimitNOFILE=512:1024
LimitCORE=0
LimitAS=1G

[Network]
Mode=host

[Init]
Init=no
StopTimeout=1500ms
