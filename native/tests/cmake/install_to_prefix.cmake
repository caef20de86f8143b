# Installs the build into PREFIX with `cmake --install --prefix`, as a user installing elsewhere than the configured
# prefix does (the tests that need an installed Harmonia use this one install). Inputs: BUILD_DIR, PREFIX.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}"
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install --prefix ${PREFIX} failed")
endif()
