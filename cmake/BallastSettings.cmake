# Build settings as INTERFACE targets, linked only by Ballast's own targets so that
# third-party code is compiled with its own flags.

# The commit --version names: BALLAST_COMMIT when given (scripts/release passes it), else the
# checkout's HEAD at configure time.
set(BALLAST_COMMIT "" CACHE STRING "The commit --version names (default: git HEAD when configured)")
if(NOT BALLAST_COMMIT)
  execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                  OUTPUT_VARIABLE _commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  set(BALLAST_COMMIT "${_commit}")
endif()

add_library(ballast_settings INTERFACE)
target_compile_features(ballast_settings INTERFACE cxx_std_20)
target_include_directories(ballast_settings INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_definitions(ballast_settings INTERFACE
  BALLAST_VERSION="${PROJECT_VERSION}"
  # spdlog and fmt header-only, so nothing of theirs needs a shared library at run time.
  SPDLOG_HEADER_ONLY SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY SPDLOG_NO_THREAD_ID
  # No std::locale in fmt: it would link (and initialise) the whole locale machinery.
  FMT_STATIC_THOUSANDS_SEPARATOR=','
  SPDLOG_DISABLE_DEFAULT_LOGGER
  # No try/catch in spdlog::logger: its error handler would link localtime_r and strftime (and
  # with them glibc's time-zone reader and sscanf); log::write catches everything itself.
  SPDLOG_NO_EXCEPTIONS
  "SPDLOG_LEVEL_NAMES={\"trace\",\"debug\",\"info\",\"warning\",\"error\",\"fatal\",\"off\"}"
  # Boost.Asio/Beast and Process header-only where they can be.
  BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_DISABLE_THREADS BOOST_ERROR_CODE_HEADER_ONLY)

add_library(ballast_warnings INTERFACE)
target_compile_options(ballast_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
  -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough -Wcast-qual -Wnon-virtual-dtor
  -Woverloaded-virtual -Wmisleading-indentation -Wduplicated-cond -Wlogical-op
  -Wuseless-cast)
if(BALLAST_WERROR)
  target_compile_options(ballast_warnings INTERFACE -Werror)
endif()

add_library(ballast_hardening INTERFACE)
target_compile_options(ballast_hardening INTERFACE
  -fstack-protector-strong -fstack-clash-protection
  $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
# Control-flow protection: Intel CET on x86-64, branch target identification and pointer
# authentication on 64-bit ARM (no-ops on CPUs without them).
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  target_compile_options(ballast_hardening INTERFACE -mbranch-protection=standard)
else()
  target_compile_options(ballast_hardening INTERFACE -fcf-protection)
endif()
target_link_options(ballast_hardening INTERFACE -Wl,-z,relro,-z,now -Wl,-z,noexecstack)

if(BALLAST_SANITIZE)
  target_compile_options(ballast_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(ballast_settings INTERFACE -fsanitize=address,undefined)
endif()

if(BALLAST_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "BALLAST_FUZZ needs clang (libFuzzer): use the fuzz preset or scripts/fuzz")
  endif()
  # Every Ballast object carries libFuzzer's coverage hooks and ASan/UBSan checks; undefined
  # behaviour aborts (no recovery), so a fuzzer sees it as a crash. The harnesses add libFuzzer's
  # main (tests/fuzz/CMakeLists.txt).
  # NDEBUG as in the release build: the code is fuzzed as it ships (Boost's debug assertions,
  # off in every binary, are not what is under test; ASan and UBSan are).
  target_compile_options(ballast_settings INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g -DNDEBUG)
  target_link_options(ballast_settings INTERFACE -fsanitize=address,undefined)
endif()

if(BALLAST_STATIC)
  if(BALLAST_SANITIZE OR BALLAST_FUZZ)
    message(FATAL_ERROR "BALLAST_STATIC cannot be combined with sanitizers (they need a dynamic loader)")
  endif()
  # Size: drop unused sections; the release preset also strips (-s).
  target_compile_options(ballast_settings INTERFACE -ffunction-sections -fdata-sections)
  # --eh-frame-hdr: GCC leaves it out of static links, and then the first exception thrown sorts
  # every unwind entry of the binary (65 million instructions in migrate) instead of a lookup.
  target_link_options(ballast_settings INTERFACE -static -Wl,--gc-sections -Wl,--eh-frame-hdr)
endif()

# ballast_program(NAME LIB): the thin executable NAME built from NAME/main.cpp and linked to LIB.
function(ballast_program name lib)
  add_executable(${name} main.cpp)
  target_link_libraries(${name} PRIVATE ${lib} ballast_settings ballast_warnings ballast_hardening)
  if(BALLAST_STATIC AND CMAKE_BUILD_TYPE STREQUAL "Release")
    target_link_options(${name} PRIVATE -s)
  endif()
  # The linker's map names every archive member it took: scripts/sbom reads it to list the
  # libraries really linked in, not the ones we think are.
  target_link_options(${name} PRIVATE -Wl,-Map=${CMAKE_CURRENT_BINARY_DIR}/${name}.map)
  set_property(GLOBAL APPEND PROPERTY BALLAST_PROGRAMS ${name})
endfunction()
