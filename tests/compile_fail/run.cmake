# Compile-fail harness: cmake -DCONFIG=<compile_fail_config.cmake> -DSOURCE=<file.cpp>
#                             -DCONTROL=ON|OFF -P run.cmake
#
# CONTROL=OFF: passes only if compiling SOURCE fails, the first error line's message begins
#              with the text of the `// llmap-expect-first: <text>` line of SOURCE (exactly one
#              required), and the compiler's output contains the text of every
#              `// llmap-expect: <text>` line, and of every `// llmap-expect-gcc: <text>` or
#              `// llmap-expect-clang: <text>` line when the compiler is GCC or Clang.
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

# Which compiler-specific expectations apply: Clang and GCC print names differently.
execute_process(COMMAND "${LLMAP_CF_COMPILER}" --version
    OUTPUT_VARIABLE compiler_version ERROR_QUIET)
if(compiler_version MATCHES "clang")
    set(compiler_kind clang)
elseif(compiler_version MATCHES "Free Software Foundation|GCC|g\\+\\+")
    set(compiler_kind gcc)
else()
    set(compiler_kind other)
endif()

# One list element per expectation line (file(STRINGS) keeps a `;` inside a line escaped).
# The text is extracted inside each loop, never stored in a list of its own, so it may hold `;`.
set(expect_prefix "^[ \t]*//[ \t]*llmap-expect(-first|-first-gcc|-first-clang|-gcc|-clang)?:")
file(STRINGS "${SOURCE}" expect_lines REGEX "${expect_prefix}")
set(first_count 0)
foreach(line IN LISTS expect_lines)
    string(REGEX REPLACE "${expect_prefix}" "" text "${line}")
    string(STRIP "${text}" text)
    if(text STREQUAL "")
        message(FATAL_ERROR "${SOURCE}: empty `// llmap-expect...:` line")
    endif()
    # A check evaluated in a consteval function is reported by each compiler in its own
    # words: such a test names the first line per compiler (-first-gcc and -first-clang).
    if(line MATCHES "llmap-expect-first:" OR line MATCHES "llmap-expect-first-${compiler_kind}:")
        math(EXPR first_count "${first_count} + 1")
    endif()
endforeach()
list(LENGTH expect_lines expectation_count)
if(NOT first_count EQUAL 1)
    message(FATAL_ERROR "${SOURCE}: ${first_count} `// llmap-expect-first: <text>` lines; a "
        "compile-fail test must have exactly one, naming how the first error's message begins")
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

# The first error line's message, without the compiler's own static_assert wording
# (GCC: `static assertion failed: msg`; Clang 14: `static_assert failed "msg"`, and
# `static_assert failed due to requirement '...' "msg"` when the condition is not a plain
# bool, which must not happen: the message has to come first).
string(REGEX MATCH "[^\n]*error: [^\n]*" first_error "${output}")
string(FIND "${first_error}" "error: " at)
math(EXPR at "${at} + 7")
string(SUBSTRING "${first_error}" ${at} -1 first_message)
string(REGEX REPLACE "^static[_ ]assert(ion)? failed:? \"?" "" first_message "${first_message}")

set(missing "")
foreach(line IN LISTS expect_lines)
    string(REGEX REPLACE "${expect_prefix}" "" text "${line}")
    string(STRIP "${text}" text)
    if(line MATCHES "llmap-expect-first-(gcc|clang):" AND
       NOT line MATCHES "llmap-expect-first-${compiler_kind}:")
        continue()
    endif()
    if(line MATCHES "llmap-expect-first(-gcc|-clang)?:")
        string(FIND "${first_message}" "${text}" position)
        if(NOT position EQUAL 0)
            string(APPEND missing "\n  first error begins with: ${text}\n"
                "    (the first error line is: ${first_error})")
        endif()
        continue()
    endif()
    if(line MATCHES "llmap-expect-gcc:" AND NOT compiler_kind STREQUAL "gcc")
        continue()
    endif()
    if(line MATCHES "llmap-expect-clang:" AND NOT compiler_kind STREQUAL "clang")
        continue()
    endif()
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
