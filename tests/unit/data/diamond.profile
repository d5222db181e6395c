# Includes include_base twice (directly and through include_path's child): not a cycle.
[Profile]
Include=include_base
Include=include_path.profile
