[Profile]
Include=sub/child.profile
