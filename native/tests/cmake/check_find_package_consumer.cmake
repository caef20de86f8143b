# Builds the consumer project against the Harmonia installed in PREFIX through find_package(Harmonia), runs it
# from its build tree and installed, without LD_LIBRARY_PATH, and checks that a version of another major release
# is refused. Inputs: PREFIX, WORK_DIR, C_COMPILER, GENERATOR, PROJECT_DIR, SOURCE.
file(REMOVE_RECURSE "${WORK_DIR}")
unset(ENV{LD_LIBRARY_PATH})
set(configure ${CMAKE_COMMAND} -S "${PROJECT_DIR}" -G "${GENERATOR}" -DCMAKE_C_COMPILER=${C_COMPILER}
  -DCMAKE_PREFIX_PATH=${PREFIX} -DCONSUMER_SOURCE=${SOURCE})

execute_process(COMMAND ${configure} -B "${WORK_DIR}/build" -DCMAKE_INSTALL_PREFIX=${WORK_DIR}/installed
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "find_package(Harmonia) failed with CMAKE_PREFIX_PATH=${PREFIX}:\n${output}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK_DIR}/build" RESULT_VARIABLE status
  OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "building against Harmonia::harmonia failed:\n${output}")
endif()
execute_process(COMMAND "${WORK_DIR}/build/consumer" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the consumer in its build tree failed (${status})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --install "${WORK_DIR}/build" RESULT_VARIABLE status OUTPUT_QUIET)
file(GLOB_RECURSE installed "${WORK_DIR}/installed/*/consumer")
if(NOT status EQUAL 0 OR NOT installed)
  message(FATAL_ERROR "installing the consumer failed")
endif()
execute_process(COMMAND ${installed} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the installed consumer failed (${status})")
endif()

execute_process(COMMAND ${configure} -B "${WORK_DIR}/build-wrong-version" -DHARMONIA_WANTED_VERSION=1.0
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(status EQUAL 0 OR NOT output MATCHES "compatible with requested version")
  message(FATAL_ERROR "find_package(Harmonia 1.0) should refuse version 0.x:\n${output}")
endif()
