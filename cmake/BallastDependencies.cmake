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

# mbedTLS for healthcheck's https:// (see common/tls_stream.hpp for why not OpenSSL there).
find_path(MBEDTLS_INCLUDE_DIR mbedtls/ssl.h REQUIRED)
find_library(MBEDTLS_LIBRARY NAMES mbedtls REQUIRED)
find_library(MBEDX509_LIBRARY NAMES mbedx509 REQUIRED)
find_library(MBEDCRYPTO_LIBRARY NAMES mbedcrypto REQUIRED)
add_library(ballast::mbedtls INTERFACE IMPORTED)
target_include_directories(ballast::mbedtls INTERFACE "${MBEDTLS_INCLUDE_DIR}")
target_link_libraries(ballast::mbedtls INTERFACE "${MBEDTLS_LIBRARY}" "${MBEDX509_LIBRARY}" "${MBEDCRYPTO_LIBRARY}")


# nghttp2 for healthcheck's grpc:// probes (HTTP/2); Debian ships the static library.
find_path(NGHTTP2_INCLUDE_DIR nghttp2/nghttp2.h REQUIRED)
find_library(NGHTTP2_LIBRARY NAMES nghttp2 REQUIRED)
add_library(ballast::nghttp2 UNKNOWN IMPORTED)
set_target_properties(ballast::nghttp2 PROPERTIES IMPORTED_LOCATION "${NGHTTP2_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${NGHTTP2_INCLUDE_DIR}")
