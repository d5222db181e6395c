[Profile]
# Relative to this file's directory (sub/), not to the caller's.
Include=../include_base.profile

[Init]
StopTimeout=3s
