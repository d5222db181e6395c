[Profile]
Description=includes a profile that does not exist
Include=no-such-profile-anywhere
