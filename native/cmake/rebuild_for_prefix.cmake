# Install-time part of harmonia_rebuild_for_install_prefix() (HarmoniaInstall.cmake): when the prefix given to
# `cmake --install` is not the configured one, builds HM_TARGET again with CMAKE_INSTALL_PREFIX set to it and
# installs that build over the one just installed. Inputs: the HM_* variables set by the function.
if(CMAKE_INSTALL_PREFIX STREQUAL HM_CONFIGURED_PREFIX)
  return()
endif()
string(MD5 hm_key "${CMAKE_INSTALL_PREFIX}")
set(hm_build "${HM_BINARY_DIR}/for-prefix/${hm_key}")
message(STATUS "Building ${HM_TARGET} again for the prefix ${CMAKE_INSTALL_PREFIX}, as the build tree was "
  "configured for ${HM_CONFIGURED_PREFIX} and the program names paths under its prefix (in ${hm_build})")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${HM_SOURCE_DIR}" -B "${hm_build}" ${HM_CACHE_ARGS}
          "-DCMAKE_INSTALL_PREFIX=${CMAKE_INSTALL_PREFIX}"
  RESULT_VARIABLE hm_status OUTPUT_VARIABLE hm_output ERROR_VARIABLE hm_output)
if(hm_status EQUAL 0)
  set(hm_config)
  if(CMAKE_INSTALL_CONFIG_NAME)
    set(hm_config --config "${CMAKE_INSTALL_CONFIG_NAME}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${hm_build}" --target "${HM_TARGET}" ${hm_config}
    RESULT_VARIABLE hm_status OUTPUT_VARIABLE hm_output ERROR_VARIABLE hm_output)
endif()
if(NOT hm_status EQUAL 0)
  message(FATAL_ERROR "building ${HM_TARGET} for the prefix ${CMAKE_INSTALL_PREFIX} failed:\n${hm_output}\n"
    "Configure the build with -DCMAKE_INSTALL_PREFIX=${CMAKE_INSTALL_PREFIX} instead.")
endif()
file(RELATIVE_PATH hm_relative "${HM_BINARY_DIR}" "${HM_TARGET_FILE}")
file(INSTALL "${hm_build}/${hm_relative}" DESTINATION "${CMAKE_INSTALL_PREFIX}/${HM_DESTINATION}"
  USE_SOURCE_PERMISSIONS)
