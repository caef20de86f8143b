# Cross toolchain for 64-bit ARM boards (Debian: gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(HARMONIA_TRIPLE aarch64-linux-gnu)
include("${CMAKE_CURRENT_LIST_DIR}/cross-common.cmake")
