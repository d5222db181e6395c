# Run by `cmake --install` (install(CODE) in CMakeLists.txt) with WARD_SOURCE, WARD_OUT,
# WARD_BINDIR, WARD_DATADIR, WARD_DOCDIR, WARD_HOOK_MODE and WARD_HOOK_LOG_FILE set: the
# hooks.d entry and the example units are configured here, at install time, so that they
# name ward where this install puts it (`cmake --install --prefix P` changes the prefix
# after configuration). DESTDIR stays out of the paths written (a staging area is not where
# ward runs from) and file(INSTALL) adds it to where they are written.

# full_dir VAR DIR: DIR under the install prefix unless it is absolute.
function(full_dir var dir)
  if(IS_ABSOLUTE "${dir}")
    set(${var} "${dir}" PARENT_SCOPE)
  else()
    set(${var} "${CMAKE_INSTALL_PREFIX}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

full_dir(CMAKE_INSTALL_FULL_BINDIR "${WARD_BINDIR}")
full_dir(hooks_dir "${WARD_DATADIR}/containers/oci/hooks.d")
full_dir(units_dir "${WARD_DOCDIR}/examples/systemd")

configure_file("${WARD_SOURCE}/examples/oci-hooks.d/ward-policy.json.in"
               "${WARD_OUT}/oci-hooks.d/ward-policy.json" @ONLY)
file(INSTALL "${WARD_OUT}/oci-hooks.d/ward-policy.json" DESTINATION "${hooks_dir}"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
foreach(unit echo.service web-notify.service)
  configure_file("${WARD_SOURCE}/examples/systemd/${unit}.in" "${WARD_OUT}/systemd/${unit}"
                 @ONLY)
endforeach()
file(INSTALL "${WARD_OUT}/systemd/echo.service" "${WARD_OUT}/systemd/web-notify.service"
     "${WARD_SOURCE}/examples/systemd/echo.socket" "${WARD_SOURCE}/examples/systemd/README.md"
     DESTINATION "${units_dir}" FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
