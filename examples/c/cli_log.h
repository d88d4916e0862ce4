/*
 * cli_log.h: the library's log lines on standard error, for the remoteit CLI's --verbose and
 * --debug (remoteit.c). Public header only.
 */
#ifndef REMOTEIT_CLI_LOG_H
#define REMOTEIT_CLI_LOG_H

#include <stdint.h>

/* A remoteit_log_callback: writes `message` to standard error as "remoteit: LEVEL: ..." lines
 * (a multi-line message, such as a signing string, continues on indented lines with the same
 * prefix), control characters shown as '?'. `userdata` is not used. */
void cli_log_line(void *userdata, uint32_t level, const char *message);

#endif
