[Profile]
Include=cycle_b
