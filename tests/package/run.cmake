# Package test: configure, build and run a consumer project of llmap.
#   cmake -DMODE=find_package|add_subdirectory -DLLMAP_ROOT=<source> -DLLMAP_BUILD_DIR=<build>
#         -DWORK_DIR=<scratch> -DCXX_COMPILER=<c++> [-DCXX_COMPILER_LAUNCHER=<ccache>]
#         [-DGENERATOR=<generator>] [-DMAKE_PROGRAM=<make>] -P run.cmake
# find_package:     `cmake --install` LLMAP_BUILD_DIR into WORK_DIR/prefix, then build the
#                   consumer with CMAKE_PREFIX_PATH=WORK_DIR/prefix.
# add_subdirectory: build the consumer with -DLLMAP_ROOT=LLMAP_ROOT.
cmake_minimum_required(VERSION 3.25)

foreach(var MODE LLMAP_ROOT LLMAP_BUILD_DIR WORK_DIR CXX_COMPILER)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "run.cmake: -D${var}=... is required")
    endif()
endforeach()

function(run_step what)
    list(JOIN ARGN " " command_line)
    message(STATUS "${what}: ${command_line}")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output
        ERROR_VARIABLE output)
    if(NOT result EQUAL 0)
        message("${output}")
        message(FATAL_ERROR "package.${MODE}: ${what} failed (${result})")
    endif()
    set(step_output "${output}" PARENT_SCOPE)
endfunction()

set(consumer_source "${LLMAP_ROOT}/tests/package/${MODE}")
set(consumer_build "${WORK_DIR}/build")
set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(configure_args
    -S "${consumer_source}" -B "${consumer_build}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
if(GENERATOR)
    list(APPEND configure_args -G "${GENERATOR}")
endif()
if(MAKE_PROGRAM)
    list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER_LAUNCHER)
    list(APPEND configure_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_COMPILER_LAUNCHER}")
endif()

if(MODE STREQUAL "find_package")
    run_step("install" "${CMAKE_COMMAND}" --install "${LLMAP_BUILD_DIR}" --prefix "${prefix}")
    list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${prefix}")
elseif(MODE STREQUAL "add_subdirectory")
    list(APPEND configure_args "-DLLMAP_ROOT=${LLMAP_ROOT}")
else()
    message(FATAL_ERROR "run.cmake: unknown MODE '${MODE}'")
endif()

run_step("configure" "${CMAKE_COMMAND}" ${configure_args})

if(MODE STREQUAL "find_package")
    # The llmap found must be the one just installed, not another one on this machine.
    file(STRINGS "${consumer_build}/CMakeCache.txt" llmap_dir REGEX "^llmap_DIR:")
    string(REGEX REPLACE "^llmap_DIR:[A-Z]+=" "" llmap_dir "${llmap_dir}")
    file(REAL_PATH "${prefix}" real_prefix)
    file(REAL_PATH "${llmap_dir}" real_llmap_dir)
    string(FIND "${real_llmap_dir}" "${real_prefix}/" position)
    if(NOT position EQUAL 0)
        message(FATAL_ERROR "package.find_package: found llmap in '${llmap_dir}', "
            "not in the fresh install '${prefix}'")
    endif()
endif()

run_step("build" "${CMAKE_COMMAND}" --build "${consumer_build}")
run_step("run" "${consumer_build}/llmap_consumer")
message("${step_output}")
