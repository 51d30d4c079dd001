# Per-target settings shared by every tbsim target: language level, warnings, sanitizers.
function(tbsim_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion -Wnon-virtual-dtor -Woverloaded-virtual)
  # GCC 12 reports false -Wrestrict overlaps inside std::string at -O2/-O3 (GCC bug 105329).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(TBSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # float-cast-overflow is not part of -fsanitize=undefined: a double converted to an integer too
  # small for it (a count or a time out of proportion) wraps silently without it.
  if(TBSIM_FUZZ)
    target_compile_options(${target} PUBLIC -fsanitize=fuzzer-no-link,address,undefined,float-cast-overflow -fno-omit-frame-pointer
                           -fno-sanitize-recover=undefined,float-cast-overflow)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined,float-cast-overflow)
  elseif(TBSIM_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer
                           -fno-sanitize-recover=undefined,float-cast-overflow)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined,float-cast-overflow)
  endif()
endfunction()

# tbsim_add_test(NAME SOURCES...): one doctest executable per layer, registered with CTest.
function(tbsim_add_test name)
  add_executable(${name} ${ARGN})
  tbsim_target_defaults(${name})
  target_link_libraries(${name} PRIVATE doctest::doctest)
  target_compile_definitions(${name} PRIVATE
    TBSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TBSIM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  doctest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
endfunction()
