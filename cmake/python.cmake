# The Python pyprefix embeds. Choose it with -DPython3_EXECUTABLE=/path/to/python3.X (or
# Python3_ROOT_DIR); the default is the python3 that FindPython3 finds first (an active venv,
# then PATH).
find_package(Python3 3.8 REQUIRED COMPONENTS Interpreter Development.Embed Development.Module)

# The executable named as PyConfig.program_name, from which the embedded interpreter finds its
# prefix and site-packages. Asking the interpreter itself sees through launchers such as
# pyenv's shims, which are not Python and would leave the embedded one guessing.
if(NOT DEFINED CACHE{PYPREFIX_PYTHON_EXECUTABLE})
  execute_process(
    COMMAND "${Python3_EXECUTABLE}" -c "import sys; print(sys.executable)"
    OUTPUT_VARIABLE pyprefix_python_executable OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE pyprefix_python_result)
  if(NOT pyprefix_python_result EQUAL 0 OR pyprefix_python_executable STREQUAL "")
    message(FATAL_ERROR "${Python3_EXECUTABLE} did not report its sys.executable")
  endif()
  set(PYPREFIX_PYTHON_EXECUTABLE "${pyprefix_python_executable}" CACHE FILEPATH
    "The Python executable the embedded interpreter is configured as (PyConfig.program_name)")
endif()
message(STATUS "pyprefix embeds Python ${Python3_VERSION}: ${PYPREFIX_PYTHON_EXECUTABLE}")

# libpython and its headers by absolute path, not through FindPython's targets, so that an
# installed package pins the very interpreter it was built against.
list(GET Python3_LIBRARIES 0 PYPREFIX_PYTHON_LIBRARY)
list(GET Python3_INCLUDE_DIRS 0 PYPREFIX_PYTHON_INCLUDE_DIR)
