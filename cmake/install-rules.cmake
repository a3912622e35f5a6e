# cmake --install: headers, the three static libraries, the pyprefix tool, a CMake package
# (pyprefixConfig.cmake, its version file, the exported targets) and a pkg-config file for
# each library.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY include/pyprefix DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS pyprefix_core pyprefix pyprefix_module EXPORT pyprefixTargets ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(TARGETS pyprefix_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(TARGETS pyprefix_live_plugin LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/pyprefix")

set(pyprefix_config_dir "${CMAKE_INSTALL_LIBDIR}/cmake/pyprefix")
install(EXPORT pyprefixTargets NAMESPACE pyprefix:: DESTINATION "${pyprefix_config_dir}")
set(PYPREFIX_PYTHON_VERSION "${Python3_VERSION}")
configure_package_config_file(cmake/pyprefixConfig.cmake.in "${PROJECT_BINARY_DIR}/pyprefixConfig.cmake"
  INSTALL_DESTINATION "${pyprefix_config_dir}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/pyprefixConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/pyprefixConfig.cmake" "${PROJECT_BINARY_DIR}/pyprefixConfigVersion.cmake"
  DESTINATION "${pyprefix_config_dir}")

# pkg-config: everything a plain compiler line needs, since a static library's dependencies
# must be named when linking. pyprefix-core needs nothing; pyprefix adds libpython (with an
# rpath where it is not in a system folder) and Boost.Filesystem; pyprefix-module adds
# Boost.Filesystem and the Python headers, and never libpython.
get_filename_component(pyprefix_python_libdir "${PYPREFIX_PYTHON_LIBRARY}" DIRECTORY)
set(PYPREFIX_PC_PYTHON_LIBS "${PYPREFIX_PYTHON_LIBRARY}")
if(NOT pyprefix_python_libdir MATCHES "^/(usr/)?lib")
  string(APPEND PYPREFIX_PC_PYTHON_LIBS " -Wl,-rpath,${pyprefix_python_libdir}")
endif()
# Relocatable: the prefix is found from the .pc file's own folder, wherever the install went.
file(RELATIVE_PATH PYPREFIX_PC_PREFIX_FROM_PCFILEDIR "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
foreach(package IN ITEMS pyprefix-core pyprefix pyprefix-module)
  configure_file("cmake/${package}.pc.in" "${PROJECT_BINARY_DIR}/${package}.pc.in" @ONLY)
  file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/${package}.pc" INPUT "${PROJECT_BINARY_DIR}/${package}.pc.in")
  install(FILES "${PROJECT_BINARY_DIR}/${package}.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endforeach()

# The Python package, into <prefix>/lib/pythonX.Y/site-packages unless PYPREFIX_PYTHON_INSTALL_DIR
# says otherwise: `cmake --install build --component python --prefix <venv>` installs it into
# a venv, even one without pip's build tools.
if(PYPREFIX_BUILD_PYTHON)
  set(PYPREFIX_PYTHON_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/site-packages"
    CACHE STRING "Where the Python package pyprefix is installed, relative to the prefix")
  install(TARGETS pyprefix_python LIBRARY DESTINATION "${PYPREFIX_PYTHON_INSTALL_DIR}/pyprefix" COMPONENT python)
  foreach(file IN LISTS pyprefix_python_files)
    install(FILES "lib/python/pyprefix/${file}" DESTINATION "${PYPREFIX_PYTHON_INSTALL_DIR}/pyprefix" COMPONENT python)
  endforeach()
endif()
