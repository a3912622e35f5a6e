# cmake --install: headers, the static library, the pyprefix tool, a CMake package
# (pyprefixConfig.cmake, its version file, the exported targets) and pyprefix.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY include/pyprefix DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS pyprefix EXPORT pyprefixTargets ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(TARGETS pyprefix_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

set(pyprefix_config_dir "${CMAKE_INSTALL_LIBDIR}/cmake/pyprefix")
install(EXPORT pyprefixTargets NAMESPACE pyprefix:: DESTINATION "${pyprefix_config_dir}")
# A static library carries its dependencies: the consumer's build must find the very same
# libpython (the library embeds that interpreter) and Boost.Filesystem again.
set(PYPREFIX_PYTHON_VERSION "${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}")
list(GET Python3_LIBRARIES 0 PYPREFIX_PYTHON_LIBRARY)
list(GET Python3_INCLUDE_DIRS 0 PYPREFIX_PYTHON_INCLUDE_DIR)
configure_package_config_file(cmake/pyprefixConfig.cmake.in "${PROJECT_BINARY_DIR}/pyprefixConfig.cmake"
  INSTALL_DESTINATION "${pyprefix_config_dir}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/pyprefixConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/pyprefixConfig.cmake" "${PROJECT_BINARY_DIR}/pyprefixConfigVersion.cmake"
  DESTINATION "${pyprefix_config_dir}")

# pkg-config: everything a plain compiler line needs, since a static library's dependencies
# must be named when linking: libpython (with an rpath where it is not in a system folder)
# and Boost.Filesystem.
get_filename_component(pyprefix_python_libdir "${PYPREFIX_PYTHON_LIBRARY}" DIRECTORY)
set(PYPREFIX_PC_REQUIRES_LIBS "${PYPREFIX_PYTHON_LIBRARY}")
if(NOT pyprefix_python_libdir MATCHES "^/(usr/)?lib")
  string(APPEND PYPREFIX_PC_REQUIRES_LIBS " -Wl,-rpath,${pyprefix_python_libdir}")
endif()
# Relocatable: the prefix is found from the .pc file's own folder, wherever the install went.
file(RELATIVE_PATH PYPREFIX_PC_PREFIX_FROM_PCFILEDIR "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(cmake/pyprefix.pc.in "${PROJECT_BINARY_DIR}/pyprefix.pc.in" @ONLY)
file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/pyprefix.pc" INPUT "${PROJECT_BINARY_DIR}/pyprefix.pc.in")
install(FILES "${PROJECT_BINARY_DIR}/pyprefix.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
