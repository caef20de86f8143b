# Fails unless every dynamic symbol libharmonia defines matches ALLOWED_REGEX.
# Inputs: NM (the target's nm), LIBRARY, ALLOWED_REGEX.
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY}
  OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIBRARY}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(exported 0)
foreach(line IN LISTS lines)
  # "<address> <type> <name>"; only code (T) and data (D, B, R) symbols are ours; the rest are linker markers.
  if(line MATCHES "^[0-9a-f]+ ([TDBR]) ([^ @]+)")
    set(name "${CMAKE_MATCH_2}")
    if(name MATCHES "^_(init|fini|edata|end|_bss_start)$")
      continue()
    endif()
    if(NOT name MATCHES "${ALLOWED_REGEX}")
      message(FATAL_ERROR "libharmonia exports '${name}', which is not part of the API (allowed: ${ALLOWED_REGEX}); "
                          "mark internal functions static or leave them without HM_API")
    endif()
    math(EXPR exported "${exported} + 1")
  endif()
endforeach()
if(exported EQUAL 0)
  message(FATAL_ERROR "libharmonia exports nothing: HM_API is not taking effect")
endif()
message(STATUS "${exported} exported symbols, all matching ${ALLOWED_REGEX}")
