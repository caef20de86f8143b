# Shared part of the ARM toolchain files; the including file sets HARMONIA_TRIPLE and CMAKE_SYSTEM_PROCESSOR.
set(CMAKE_C_COMPILER ${HARMONIA_TRIPLE}-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/${HARMONIA_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ctest runs the ARM test binaries through qemu-user; -L points it at the target's sysroot for the dynamic loader.
string(REGEX REPLACE "^armhf$" "arm" _hm_qemu_arch "${CMAKE_SYSTEM_PROCESSOR}")
find_program(HARMONIA_QEMU qemu-${_hm_qemu_arch})
if(HARMONIA_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${HARMONIA_QEMU};-L;/usr/${HARMONIA_TRIPLE}")
endif()
