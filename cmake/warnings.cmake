option(PYPREFIX_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)

# The warning set pyprefix is kept clean under, with g++ and clang++ alike.
function(pyprefix_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
      $<$<BOOL:${PYPREFIX_WARNINGS_AS_ERRORS}>:-Werror>)
  endif()
endfunction()
