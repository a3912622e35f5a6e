# Refuse in-source builds: they scatter generated files through the sources.
if(CMAKE_SOURCE_DIR STREQUAL CMAKE_BINARY_DIR)
  message(FATAL_ERROR "Build pyprefix in a folder of its own: cmake -S . -B build")
endif()
