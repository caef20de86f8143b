# Compiler flags shared by every Harmonia target, collected on one interface target
# so the library, daemons, tests and fuzzers cannot drift apart.
add_library(harmonia_build_flags INTERFACE)

target_compile_options(harmonia_build_flags INTERFACE
  -Wall -Wextra -Werror
  -Wformat=2 -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wvla
  -Wno-unused-parameter
  -fstack-protector-strong
  -fno-strict-aliasing)
# _FORTIFY_SOURCE needs optimisation; adding it to -O0 builds only produces a warning (an error under -Werror).
target_compile_definitions(harmonia_build_flags INTERFACE
  _GNU_SOURCE
  $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)

if(HARMONIA_SANITIZE)
  set(_hm_sanitize_flags -fsanitize=${HARMONIA_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(harmonia_build_flags INTERFACE ${_hm_sanitize_flags})
  target_link_options(harmonia_build_flags INTERFACE ${_hm_sanitize_flags})
  # Sanitizer runtimes intercept symbols the fortified wrappers also replace; keep reports readable.
  target_compile_options(harmonia_build_flags INTERFACE -U_FORTIFY_SOURCE)
endif()
