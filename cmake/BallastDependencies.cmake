# Every dependency comes from a Debian 12 package installed by scripts/bootstrap, except libpq,
# which bootstrap builds from PostgreSQL's source (see there why) into BALLAST_LIBPQ_PREFIX.

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)

if(BALLAST_STATIC)
  set(OPENSSL_USE_STATIC_LIBS ON)
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
endif()

find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(Boost 1.74 REQUIRED)

find_path(LIBCAP_INCLUDE_DIR sys/capability.h REQUIRED)
find_library(LIBCAP_LIBRARY NAMES cap REQUIRED)
add_library(ballast::cap UNKNOWN IMPORTED)
set_target_properties(ballast::cap PROPERTIES IMPORTED_LOCATION "${LIBCAP_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${LIBCAP_INCLUDE_DIR}")

find_path(PG_QUERY_INCLUDE_DIR pg_query.h PATH_SUFFIXES pg_query REQUIRED)
find_library(PG_QUERY_LIBRARY NAMES libpg_query.a pg_query REQUIRED)
add_library(ballast::pg_query UNKNOWN IMPORTED)
set_target_properties(ballast::pg_query PROPERTIES IMPORTED_LOCATION "${PG_QUERY_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${PG_QUERY_INCLUDE_DIR}")

set(BALLAST_LIBPQ_PREFIX "/var/cache/ballast/libpq" CACHE PATH "Static libpq built by scripts/bootstrap")
find_library(BALLAST_LIBPQ NAMES libpq.a PATHS "${BALLAST_LIBPQ_PREFIX}/lib" NO_DEFAULT_PATH)
find_library(BALLAST_PGCOMMON NAMES libpgcommon_shlib.a PATHS "${BALLAST_LIBPQ_PREFIX}/lib" NO_DEFAULT_PATH)
find_library(BALLAST_PGPORT NAMES libpgport_shlib.a PATHS "${BALLAST_LIBPQ_PREFIX}/lib" NO_DEFAULT_PATH)
if(NOT BALLAST_LIBPQ OR NOT BALLAST_PGCOMMON OR NOT BALLAST_PGPORT)
  message(FATAL_ERROR "static libpq not found in ${BALLAST_LIBPQ_PREFIX}; run scripts/bootstrap as root "
                      "(or set BALLAST_LIBPQ_PREFIX)")
endif()
add_library(ballast::pq INTERFACE IMPORTED)
target_include_directories(ballast::pq INTERFACE "${BALLAST_LIBPQ_PREFIX}/include")
target_link_libraries(ballast::pq INTERFACE "${BALLAST_LIBPQ}" "${BALLAST_PGCOMMON}" "${BALLAST_PGPORT}"
  OpenSSL::SSL OpenSSL::Crypto Threads::Threads)

find_path(SPDLOG_INCLUDE_DIR spdlog/spdlog.h REQUIRED)
find_path(FMT_INCLUDE_DIR fmt/format.h REQUIRED)

# mbedTLS 3.6 LTS for healthcheck's TLS (1.2 and 1.3) and hashes (see common/tls/tls_stream.hpp
# for why not OpenSSL there), built by scripts/bootstrap from Debian 13's source package: Debian
# 12's 2.28 has no TLS 1.3.
set(BALLAST_MBEDTLS_PREFIX "/var/cache/ballast/mbedtls" CACHE PATH "Static mbedTLS 3.6 built by scripts/bootstrap")
find_path(MBEDTLS_INCLUDE_DIR mbedtls/ssl.h PATHS "${BALLAST_MBEDTLS_PREFIX}/include" NO_DEFAULT_PATH)
find_library(MBEDTLS_LIBRARY NAMES libmbedtls.a PATHS "${BALLAST_MBEDTLS_PREFIX}/lib" NO_DEFAULT_PATH)
find_library(MBEDX509_LIBRARY NAMES libmbedx509.a PATHS "${BALLAST_MBEDTLS_PREFIX}/lib" NO_DEFAULT_PATH)
find_library(MBEDCRYPTO_LIBRARY NAMES libmbedcrypto.a PATHS "${BALLAST_MBEDTLS_PREFIX}/lib" NO_DEFAULT_PATH)
if(NOT MBEDTLS_INCLUDE_DIR OR NOT MBEDTLS_LIBRARY OR NOT MBEDX509_LIBRARY OR NOT MBEDCRYPTO_LIBRARY)
  message(FATAL_ERROR "static mbedTLS 3.6 not found in ${BALLAST_MBEDTLS_PREFIX}; run scripts/bootstrap "
                      "as root (or set BALLAST_MBEDTLS_PREFIX)")
endif()
add_library(ballast::mbedtls INTERFACE IMPORTED)
# Before the system include folder, where Debian's mbedTLS 2.28 headers may also be.
target_include_directories(ballast::mbedtls BEFORE INTERFACE "${MBEDTLS_INCLUDE_DIR}")
target_link_libraries(ballast::mbedtls INTERFACE "${MBEDTLS_LIBRARY}" "${MBEDX509_LIBRARY}" "${MBEDCRYPTO_LIBRARY}")


# nghttp2 for healthcheck's grpc:// probes (HTTP/2); Debian ships the static library.
find_path(NGHTTP2_INCLUDE_DIR nghttp2/nghttp2.h REQUIRED)
find_library(NGHTTP2_LIBRARY NAMES nghttp2 REQUIRED)
add_library(ballast::nghttp2 UNKNOWN IMPORTED)
set_target_properties(ballast::nghttp2 PROPERTIES IMPORTED_LOCATION "${NGHTTP2_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${NGHTTP2_INCLUDE_DIR}")

# ballast_debian_version(VAR FILE): the upstream version of the Debian package that installed
# FILE ("2.66" for 1:2.66-4+deb12u3), for --version where a library's headers carry none
# (libcap, libpg_query's release as opposed to its parser's PostgreSQL version); "unknown"
# when FILE is not from a package.
function(ballast_debian_version var file)
  set(_version "unknown")
  get_filename_component(_real "${file}" REALPATH)
  execute_process(COMMAND dpkg-query -S "${_real}" OUTPUT_VARIABLE _owner ERROR_QUIET
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(_rc EQUAL 0 AND _owner MATCHES "^([^:,]+(:[a-z0-9]+)?):")
    execute_process(COMMAND dpkg-query -W -f=\${Version} "${CMAKE_MATCH_1}"
                    OUTPUT_VARIABLE _deb ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    string(REGEX REPLACE "^[0-9]+:" "" _deb "${_deb}")
    string(REGEX REPLACE "-[^-]*$" "" _deb "${_deb}")
    if(_deb)
      set(_version "${_deb}")
    endif()
  endif()
  set(${var} "${_version}" PARENT_SCOPE)
endfunction()
ballast_debian_version(BALLAST_LIBCAP_VERSION "${LIBCAP_LIBRARY}")
ballast_debian_version(BALLAST_PG_QUERY_VERSION "${PG_QUERY_LIBRARY}")
