# The daemon installed into PREFIX (a prefix given only at install time) names the launcher installed beside it
# as its default, and that launcher is there. Inputs: PREFIX, SBINDIR, LIBEXECDIR.
set(launcher "${PREFIX}/${LIBEXECDIR}/harmonia/harmonia-app-launcher")
execute_process(COMMAND "${PREFIX}/${SBINDIR}/harmonia-appspawn" --help RESULT_VARIABLE status
  OUTPUT_VARIABLE usage ERROR_VARIABLE usage)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "harmonia-appspawn --help failed (${status}):\n${usage}")
endif()
string(FIND "${usage}" "cold-start launcher (default ${launcher})" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the installed daemon's default launcher is not ${launcher}:\n${usage}")
endif()
if(NOT EXISTS "${launcher}")
  message(FATAL_ERROR "${launcher} was not installed")
endif()
