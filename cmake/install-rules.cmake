# cmake --install: headers, the static libraries, a CMake package (pyprefixConfig.cmake, its
# version file, the exported targets) and a pkg-config file for each library; lib/tool and
# lib/python install the tool and the Python package. With PYPREFIX_CORE_ONLY, pyprefix::core
# alone.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# A core-only install ships no header that needs Python: its umbrella headers (cmake/core-only/)
# include the core's alone (consumer.core-only builds every installed header by itself).
if(PYPREFIX_CORE_ONLY)
  install(DIRECTORY include/pyprefix DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
    PATTERN prefixes.hpp EXCLUDE PATTERN pyprefix.hpp EXCLUDE PATTERN pyprefix.h EXCLUDE)
  install(FILES cmake/core-only/pyprefix.hpp cmake/core-only/pyprefix.h
    DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/pyprefix")
else()
  install(DIRECTORY include/pyprefix DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(pyprefix_libraries pyprefix_core)
set(pyprefix_packages pyprefix-core)
if(NOT PYPREFIX_CORE_ONLY)
  list(APPEND pyprefix_libraries pyprefix pyprefix_module)
  list(APPEND pyprefix_packages pyprefix pyprefix-module)
endif()
install(TARGETS ${pyprefix_libraries} EXPORT pyprefixTargets ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")

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
if(NOT PYPREFIX_CORE_ONLY)
  get_filename_component(pyprefix_python_libdir "${PYPREFIX_PYTHON_LIBRARY}" DIRECTORY)
  set(PYPREFIX_PC_PYTHON_LIBS "${PYPREFIX_PYTHON_LIBRARY}")
  if(NOT pyprefix_python_libdir MATCHES "^/(usr/)?lib")
    string(APPEND PYPREFIX_PC_PYTHON_LIBS " -Wl,-rpath,${pyprefix_python_libdir}")
  endif()
endif()
# Relocatable: the prefix is found from the .pc file's own folder, wherever the install went.
file(RELATIVE_PATH PYPREFIX_PC_PREFIX_FROM_PCFILEDIR "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
foreach(package IN LISTS pyprefix_packages)
  configure_file("cmake/${package}.pc.in" "${PROJECT_BINARY_DIR}/${package}.pc.in" @ONLY)
  file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/${package}.pc" INPUT "${PROJECT_BINARY_DIR}/${package}.pc.in")
  install(FILES "${PROJECT_BINARY_DIR}/${package}.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endforeach()
