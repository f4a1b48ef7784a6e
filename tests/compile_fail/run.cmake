# Compile-fail harness: cmake -DCONFIG=<compile_fail_config.cmake> -DSOURCE=<file.cpp>
#                             -DCONTROL=ON|OFF -P run.cmake
#
# CONTROL=OFF: passes only if compiling SOURCE fails AND the compiler's output contains the
#              text of every `// llmap-expect: <text>` line of SOURCE (at least one required).
# CONTROL=ON:  compiles SOURCE with -DLLMAP_COMPILE_FAIL_CONTROL; passes only if that succeeds.
cmake_minimum_required(VERSION 3.25)

foreach(var CONFIG SOURCE CONTROL)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run.cmake: -D${var}=... is required")
    endif()
endforeach()
include("${CONFIG}")

file(READ "${SOURCE}" content)
if(NOT content MATCHES "LLMAP_COMPILE_FAIL_CONTROL")
    message(FATAL_ERROR "${SOURCE}: a compile-fail test must put its bad line under "
        "`#ifndef LLMAP_COMPILE_FAIL_CONTROL` and a similar good line under `#else` "
        "(see tests/compile_fail/README.md)")
endif()

# One list element per expectation line (file(STRINGS) keeps a `;` inside a line escaped).
# The text is extracted inside each loop, never stored in a list of its own, so it may hold `;`.
set(expect_prefix "^[ \t]*//[ \t]*llmap-expect:")
file(STRINGS "${SOURCE}" expect_lines REGEX "${expect_prefix}")
foreach(line IN LISTS expect_lines)
    string(REGEX REPLACE "${expect_prefix}" "" text "${line}")
    string(STRIP "${text}" text)
    if(text STREQUAL "")
        message(FATAL_ERROR "${SOURCE}: empty `// llmap-expect:` line")
    endif()
endforeach()
list(LENGTH expect_lines expectation_count)
if(expectation_count EQUAL 0)
    message(FATAL_ERROR "${SOURCE}: no `// llmap-expect: <text>` line; a compile-fail test "
        "must name at least one text the compiler's diagnostics have to contain")
endif()

set(include_flags "")
foreach(dir IN LISTS LLMAP_CF_INCLUDES)
    list(APPEND include_flags "-I${dir}")
endforeach()
foreach(dir IN LISTS LLMAP_CF_SYSTEM_INCLUDES)
    list(APPEND include_flags -isystem "${dir}")
endforeach()

set(define_flags "")
if(CONTROL)
    set(define_flags -DLLMAP_COMPILE_FAIL_CONTROL)
endif()

# Plain ASCII diagnostics (GCC uses typographic quotes in UTF-8 locales).
set(ENV{LC_ALL} C)
set(command "${LLMAP_CF_COMPILER}" ${LLMAP_CF_FLAGS} ${define_flags} ${include_flags} "${SOURCE}")
execute_process(COMMAND ${command}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
list(JOIN command " " command_line)

if(CONTROL)
    if(NOT result EQUAL 0)
        message("${output}")
        message(FATAL_ERROR "control: ${SOURCE} must compile with -DLLMAP_COMPILE_FAIL_CONTROL "
            "but did not (${result}); the good line (or the rest of the file) is broken.\n"
            "command: ${command_line}")
    endif()
    message(STATUS "control: ${SOURCE} compiles with -DLLMAP_COMPILE_FAIL_CONTROL")
    return()
endif()

if(result EQUAL 0)
    message("${output}")
    message(FATAL_ERROR "${SOURCE} compiled, but it must not.\ncommand: ${command_line}")
endif()

set(missing "")
foreach(line IN LISTS expect_lines)
    string(REGEX REPLACE "${expect_prefix}" "" text "${line}")
    string(STRIP "${text}" text)
    string(FIND "${output}" "${text}" position)
    if(position EQUAL -1)
        string(APPEND missing "\n  ${text}")
    endif()
endforeach()
if(NOT missing STREQUAL "")
    message("${output}")
    message(FATAL_ERROR "${SOURCE} failed to compile as it should, but the compiler's output "
        "above lacks these expected texts:${missing}\ncommand: ${command_line}")
endif()
message(STATUS "${SOURCE} fails to compile with all ${expectation_count} expected text(s)")
