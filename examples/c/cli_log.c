/*
 * cli_log.c: the remoteit CLI's log sink (see cli_log.h).
 */
#include <stdio.h>

#include "cli_log.h"
#include "remoteit.h"

static const char *level_name(uint32_t level)
{
    switch (level) {
    case REMOTEIT_LOG_ERROR:
        return "error";
    case REMOTEIT_LOG_WARN:
        return "warn";
    case REMOTEIT_LOG_INFO:
        return "info";
    default:
        return "debug";
    }
}

void cli_log_line(void *userdata, uint32_t level, const char *message)
{
    const char *name = level_name(level);
    const unsigned char *c = (const unsigned char *)message;
    (void)userdata;
    fprintf(stderr, "remoteit: %s: ", name);
    for (; *c != '\0'; c++) {
        if (*c == '\n') {
            fprintf(stderr, "\nremoteit: %s:   ", name);
        } else {
            fputc(*c < 0x20 || *c == 0x7f ? '?' : *c, stderr);
        }
    }
    fputc('\n', stderr);
}
