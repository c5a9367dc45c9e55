# Cross-compiling for 64-bit ARM with Debian 12's cross toolchain (crossbuild-essential-arm64)
# and multiarch :arm64 library packages; scripts/bootstrap --arch arm64 installs both and
# builds the static libpq and mbedTLS for aarch64 under /var/cache/ballast/aarch64-linux-gnu.
#
#   cmake --preset release-aarch64     (scripts/release uses this)
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(BALLAST_TRIPLET aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${BALLAST_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${BALLAST_TRIPLET}-g++)
set(CMAKE_AR ${BALLAST_TRIPLET}-gcc-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${BALLAST_TRIPLET}-gcc-ranlib CACHE FILEPATH "")
set(CMAKE_STRIP ${BALLAST_TRIPLET}-strip CACHE FILEPATH "")
set(CMAKE_LIBRARY_ARCHITECTURE ${BALLAST_TRIPLET})
set(PKG_CONFIG_EXECUTABLE ${BALLAST_TRIPLET}-pkg-config CACHE FILEPATH "")
# Headers are shared between architectures in /usr/include (arch-specific ones under
# /usr/include/aarch64-linux-gnu, which the cross compiler searches itself); libraries only
# from the aarch64 folders, never the build machine's.
set(CMAKE_FIND_ROOT_PATH /usr/${BALLAST_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/include/x86_64-linux-gnu)
# Tests that run a built program go through qemu-user (qemu-user-static's binfmt handler runs
# the ones started by scripts).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
set(BALLAST_LIBPQ_PREFIX /var/cache/ballast/${BALLAST_TRIPLET}/libpq CACHE PATH "")
set(BALLAST_MBEDTLS_PREFIX /var/cache/ballast/${BALLAST_TRIPLET}/mbedtls CACHE PATH "")
