# After a build, print each program's size against its budget; static release builds fail
# over budget.
get_property(_programs GLOBAL PROPERTY BALLAST_PROGRAMS)
set(_budget_entrypoint 1572864)   # 1.5 MiB
set(_budget_healthcheck 2621440)  # 2.5 MiB
set(_budget_migrate 12582912)     # 12 MiB
if(BALLAST_STATIC AND CMAKE_BUILD_TYPE STREQUAL "Release")
  set(_enforce ON)
else()
  set(_enforce OFF)
endif()
set(_files "")
foreach(p IN LISTS _programs)
  list(APPEND _files "${p}|$<TARGET_FILE:${p}>|${_budget_${p}}")
endforeach()
list(JOIN _files "," _joined)
add_custom_target(sizes ALL
  COMMAND ${CMAKE_COMMAND} -DFILES=${_joined} -DENFORCE=${_enforce}
          -P ${PROJECT_SOURCE_DIR}/cmake/print_sizes.cmake
  DEPENDS ${_programs} VERBATIM)
