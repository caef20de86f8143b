# Install rules beyond copying files: the CMake package (find_package(Harmonia)), the dynamic linker's cache, and
# programs with a path under the prefix compiled in, which must follow the prefix given at install time.
include(CMakePackageConfigHelpers)

# harmonia_install_package(<export set>): HarmoniaConfig.cmake, its version file and the exported targets under
# <libdir>/cmake/Harmonia, so `find_package(Harmonia)` gives the imported target Harmonia::harmonia.
# Relocatable like harmonia.pc: every path is relative to the installed files.
function(harmonia_install_package export_set)
  set(package_dir "${CMAKE_INSTALL_LIBDIR}/cmake/Harmonia")
  install(EXPORT ${export_set} NAMESPACE Harmonia:: FILE HarmoniaTargets.cmake DESTINATION "${package_dir}")
  configure_package_config_file("${PROJECT_SOURCE_DIR}/native/HarmoniaConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/HarmoniaConfig.cmake" INSTALL_DESTINATION "${package_dir}")
  # The library's soname changes with the major version; within one major version the ABI only grows.
  write_basic_package_version_file("${PROJECT_BINARY_DIR}/HarmoniaConfigVersion.cmake"
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
  install(FILES "${PROJECT_BINARY_DIR}/HarmoniaConfig.cmake" "${PROJECT_BINARY_DIR}/HarmoniaConfigVersion.cmake"
    DESTINATION "${package_dir}")
endfunction()

# harmonia_install_ldconfig(): after installing the library straight into a directory the dynamic linker
# searches (/usr/local/lib on Debian), refresh its cache (as root) so programs find libharmonia without
# LD_LIBRARY_PATH; otherwise say how they will find it. Nothing for a staged install (DESTDIR) or a cross build.
function(harmonia_install_ldconfig)
  if(CMAKE_CROSSCOMPILING)
    return()
  endif()
  find_program(HARMONIA_LDCONFIG ldconfig PATHS /sbin /usr/sbin)
  if(NOT HARMONIA_LDCONFIG)
    return()
  endif()
  install(CODE "set(HM_LDCONFIG \"${HARMONIA_LDCONFIG}\")\nset(HM_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")")
  install(CODE [[
    if("$ENV{DESTDIR}" STREQUAL "")
      if(IS_ABSOLUTE "${HM_LIBDIR}")
        set(hm_libdir "${HM_LIBDIR}")
      else()
        set(hm_libdir "${CMAKE_INSTALL_PREFIX}/${HM_LIBDIR}")
      endif()
      file(REAL_PATH "${hm_libdir}" hm_libdir)
      execute_process(COMMAND "${HM_LDCONFIG}" -v -N -X OUTPUT_VARIABLE hm_listing ERROR_QUIET)
      string(REGEX MATCHALL "(^|\n)/[^:\n]*:" hm_dirs "${hm_listing}")
      set(hm_searched FALSE)
      foreach(hm_dir IN LISTS hm_dirs)
        string(REGEX REPLACE "^\n?(.*):$" "\\1" hm_dir "${hm_dir}")
        file(REAL_PATH "${hm_dir}" hm_dir)
        if(hm_dir STREQUAL hm_libdir)
          set(hm_searched TRUE)
        endif()
      endforeach()
      execute_process(COMMAND id -u OUTPUT_VARIABLE hm_uid OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(hm_searched AND hm_uid STREQUAL "0")
        execute_process(COMMAND "${HM_LDCONFIG}")
        message(STATUS "Ran ldconfig: programs find libharmonia in ${hm_libdir}")
      elseif(hm_searched)
        message(STATUS "Run 'sudo ldconfig' so that programs find libharmonia in ${hm_libdir}")
      else()
        message(STATUS "${hm_libdir} is not searched by the dynamic linker: link programs with "
          "-Wl,-rpath,${hm_libdir} (CMake: INSTALL_RPATH_USE_LINK_PATH), or list the directory in "
          "/etc/ld.so.conf.d/ and run ldconfig")
      endif()
    endif()
  ]])
endfunction()

# harmonia_rebuild_for_install_prefix(<program> DESTINATION <directory under the prefix>)
# For a program with a path under the install prefix compiled in (the daemon's default launcher): when
# `cmake --install --prefix` names another prefix than the one configured, the program is built again with
# CMAKE_INSTALL_PREFIX set to it, in a build tree of its own under this one (kept for the next install), and that
# build is installed over the first. Call it after the program's install(TARGETS). A staged install (DESTDIR)
# keeps the configured prefix, as it should: the files will live there.
function(harmonia_rebuild_for_install_prefix target)
  cmake_parse_arguments(ARG "" "DESTINATION" "" ${ARGN})
  # What the build for another prefix must share with this one.
  set(cache_args "-G${CMAKE_GENERATOR}")
  foreach(var CMAKE_TOOLCHAIN_FILE CMAKE_C_COMPILER CMAKE_BUILD_TYPE CMAKE_C_FLAGS CMAKE_EXE_LINKER_FLAGS
      HARMONIA_SANITIZE CMAKE_INSTALL_BINDIR CMAKE_INSTALL_SBINDIR CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_LIBEXECDIR)
    if(NOT "${${var}}" STREQUAL "")
      list(APPEND cache_args "-D${var}=${${var}}")
    endif()
  endforeach()
  list(APPEND cache_args -DBUILD_TESTING=OFF -DHARMONIA_FUZZ=OFF)
  install(CODE "
    set(HM_TARGET \"${target}\")
    set(HM_TARGET_FILE \"$<TARGET_FILE:${target}>\")
    set(HM_CONFIGURED_PREFIX \"${CMAKE_INSTALL_PREFIX}\")
    set(HM_DESTINATION \"${ARG_DESTINATION}\")
    set(HM_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
    set(HM_BINARY_DIR \"${PROJECT_BINARY_DIR}\")
    set(HM_CACHE_ARGS [==[${cache_args}]==])
    include(\"${CMAKE_CURRENT_FUNCTION_LIST_DIR}/rebuild_for_prefix.cmake\")
  ")
endfunction()
