# rp_add_unit_test(NAME n SOURCES a.c .. LIBS rp_x .. LABELS unit ..)
# One cmocka executable per source file under test (STYLE.md B7). Tests are compiled with
# RP_TESTING (so RP_STATIC functions are reachable when the source is compiled in) and find
# their fixtures through RP_FIXTURES_DIR, never through the working directory.
function(rp_add_unit_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_compile_definitions(${T_NAME} PRIVATE RP_TESTING
      RP_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/tests/fixtures"
      RP_DATA_DIR="${CMAKE_SOURCE_DIR}/data")
  target_include_directories(${T_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} PkgConfig::CMOCKA)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT 300)
endfunction()
