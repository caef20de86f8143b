# Cross toolchain for 32-bit ARM boards with hardware float
# (Debian: gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armhf)
set(HARMONIA_TRIPLE arm-linux-gnueabihf)
include("${CMAKE_CURRENT_LIST_DIR}/cross-common.cmake")
