[Profile]
Description=the second half of a cycle
Include=cycle_a.profile
