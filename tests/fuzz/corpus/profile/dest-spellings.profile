[Filesystem]
Tmpfs=/dev/. size=1M
Tmpfs=//tmp//./x/
Bind=/srv /./proc ro
Bind=/srv /mnt/../etc rw
MaskPath=/proc/./kcore /proc/../x
ReadOnlyPath=///sys/ /.

[Process]
WorkingDirectory=/./srv/..
KeepGroups=yes
KeepGroups=maybe
