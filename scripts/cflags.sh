# Sourced by the build and test scripts: the project's C compiler and flags, in one place.
# The Makefile reads STRICT_CFLAGS from this file too (`make -s print-cflags` prints it).
#   STRICT_CFLAGS    every C file of the project compiles cleanly with these
#   POSIX_CFLAGS     for the tests, which use POSIX functions beyond C11
#   SANITIZE_CFLAGS  AddressSanitizer (leaks too) and UndefinedBehaviorSanitizer
#   CC               the compiler: $CC when set, else cc
STRICT_CFLAGS="-std=c11 -Wall -Wextra -Wpedantic -Werror"
POSIX_CFLAGS="-D_POSIX_C_SOURCE=200809L"
SANITIZE_CFLAGS="-g -fsanitize=address,undefined -fno-omit-frame-pointer"
CC=${CC:-cc}
