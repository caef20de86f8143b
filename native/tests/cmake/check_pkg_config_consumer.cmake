# Builds and runs SOURCE against the Harmonia installed in PREFIX using only `pkg-config harmonia`, linked as the
# README says for a prefix the dynamic linker does not search (-Wl,-rpath with pkg-config's libdir), and run
# without LD_LIBRARY_PATH. Inputs: PREFIX, CC, SOURCE.
find_program(PKG_CONFIG pkg-config REQUIRED)
file(GLOB_RECURSE pc_files "${PREFIX}/*/harmonia.pc")
if(NOT pc_files)
  message(FATAL_ERROR "harmonia.pc was not installed under ${PREFIX}")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs harmonia
  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
execute_process(COMMAND ${PKG_CONFIG} --variable=libdir harmonia
  OUTPUT_VARIABLE libdir OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE libdir_status)
if(NOT status EQUAL 0 OR NOT libdir_status EQUAL 0)
  message(FATAL_ERROR "pkg-config cannot find harmonia in ${pc_dir}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
set(program "${PREFIX}/pkg-config-consumer")
execute_process(COMMAND ${CC} -std=c11 -Wall -Werror ${SOURCE} ${flags} -Wl,-rpath,${libdir} -o ${program}
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "compiling against the installed headers failed (flags: ${flags})")
endif()
unset(ENV{LD_LIBRARY_PATH})
execute_process(COMMAND ${program} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the program built against the installed library failed")
endif()
