# The interpreters the --python tests ask: Debian's /usr/bin/python3 and every pyenv CPython 3.8
# or newer on the machine, unless PYPREFIX_TEST_PYTHONS names them (a ;-list of executables).
# Older ones (2.x, 3.6, 3.7) become PYPREFIX_TEST_OLD_PYTHONS, which pyprefix must refuse.
set(PYPREFIX_TEST_PYTHONS "" CACHE STRING "Python executables the --python tests run against")
set(PYPREFIX_TEST_OLD_PYTHONS "" CACHE STRING "Python executables older than 3.8, which pyprefix must refuse")

if(DEFINED ENV{PYENV_ROOT})
  set(pyprefix_pyenv_root "$ENV{PYENV_ROOT}")
else()
  set(pyprefix_pyenv_root "$ENV{HOME}/.pyenv")
endif()

if(PYPREFIX_TEST_PYTHONS STREQUAL "")
  set(found "${PYPREFIX_PYTHON_EXECUTABLE}")
  if(EXISTS /usr/bin/python3)
    list(APPEND found /usr/bin/python3)
  endif()
  file(GLOB candidates "${pyprefix_pyenv_root}/versions/3.*/bin/python3")
  foreach(candidate IN LISTS candidates)
    string(REGEX MATCH "versions/([0-9]+\\.[0-9]+)" version "${candidate}")
    if(CMAKE_MATCH_1 VERSION_GREATER_EQUAL "3.8")
      list(APPEND found "${candidate}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES found)
  set(PYPREFIX_TEST_PYTHONS "${found}" CACHE STRING "Python executables the --python tests run against" FORCE)
endif()

if(PYPREFIX_TEST_OLD_PYTHONS STREQUAL "")
  file(GLOB candidates "${pyprefix_pyenv_root}/versions/2.*/bin/python" "${pyprefix_pyenv_root}/versions/3.[67].*/bin/python3")
  set(PYPREFIX_TEST_OLD_PYTHONS "${candidates}" CACHE STRING "Python executables older than 3.8" FORCE)
endif()
message(STATUS "pyprefix tests ask: ${PYPREFIX_TEST_PYTHONS}")
message(STATUS "pyprefix tests refuse: ${PYPREFIX_TEST_OLD_PYTHONS}")

# As |-separated strings: a ; would split the compile definition.
string(REPLACE ";" "|" pyprefix_test_pythons "${PYPREFIX_TEST_PYTHONS}")
string(REPLACE ";" "|" pyprefix_test_old_pythons "${PYPREFIX_TEST_OLD_PYTHONS}")
