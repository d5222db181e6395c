# Example: a web server confined by Landlock on top of the default profile. Landlock is
# off in the shipped profiles because only the application's own profile knows its paths;
# copy this one and adapt the lists (`ward explain --profile FILE` shows the result).
#   ward run --profile ./landlock-web.profile --rootfs /srv/images/nginx \
#            -- /usr/sbin/nginx -g 'daemon off;'
# It is installed as share/ward/profiles/examples/landlock-web.profile.

[Profile]
Include=default
Description=a web server on port 8080 that can read its content, write its scratch space, and run nothing but itself

[Filesystem]
# Writable scratch space the server expects (the targets must exist in the image).
Tmpfs=/run
Tmpfs=/var/cache/nginx mode=0755

[Landlock]
# Any key here turns Landlock on; Landlock=try would run without it on an old kernel.
Landlock=yes
# Configuration, libraries and content: read only.
ReadOnly=/etc /lib /usr/lib /usr/share/nginx
# Scratch space only: the image itself stays unwritable even where the mount is writable.
ReadWrite=/tmp /run /var/cache/nginx
# The server and the dynamic loader the kernel runs for it: no shell, no other binary,
# even though the image has them.
Execute=/usr/sbin/nginx /lib64/ld-linux-x86-64.so.2
# Listen on 8080 only; no outgoing TCP connection at all.
BindTCP=8080
ConnectTCP=
