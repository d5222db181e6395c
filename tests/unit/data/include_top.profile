[Namespaces]
# Set before the include: the include's value replaces it.
Hostname=before-include

[Profile]
Include=include_base

[Namespaces]
IdMapBase=4000000

[Resources]
# Set after the include: this line wins.
LimitNOFILE=200

[Filesystem]
# The same target as the included file: overrides it in place.
Tmpfs=/tmp size=16M
MaskPath=/top-masked
