/*
 * transcript.h: the C tests' part of the secrets scan (tests/secrets_scan.py). When
 * scripts/test.sh sets REMOTEIT_TEST_TRANSCRIPT to a folder, transcript() appends
 * "KIND<TAB>TEXT" (newlines made spaces) to $REMOTEIT_TEST_TRANSCRIPT/SUITE.PID.log, where
 * SUITE is TRANSCRIPT_SUITE, defined before including this file ("c-core", "c-client",
 * "c-abuse"). Otherwise it does nothing. Kinds: "error" (a last error message), "log" (a line
 * the library logged), "warning" (a credentials warning). Safe from several threads: each line
 * is one write of a file opened for appending.
 */
#ifndef REMOTEIT_TESTS_TRANSCRIPT_H
#define REMOTEIT_TESTS_TRANSCRIPT_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TRANSCRIPT_SUITE
#error "define TRANSCRIPT_SUITE before including transcript.h"
#endif

static void transcript(const char *kind, const char *text)
{
    const char *folder = getenv("REMOTEIT_TEST_TRANSCRIPT");
    if (folder == NULL || folder[0] == '\0' || text == NULL)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%ld.log", folder, TRANSCRIPT_SUITE, (long)getpid());
    size_t kind_len = strlen(kind), text_len = strlen(text);
    char *line = malloc(kind_len + text_len + 3);
    if (line == NULL)
        return;
    memcpy(line, kind, kind_len);
    line[kind_len] = '\t';
    for (size_t i = 0; i < text_len; i++)
        line[kind_len + 1 + i] = (text[i] == '\n' || text[i] == '\r') ? ' ' : text[i];
    line[kind_len + 1 + text_len] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
        size_t total = kind_len + text_len + 2, done = 0;
        while (done < total) {
            ssize_t n = write(fd, line + done, total - done);
            if (n <= 0)
                break;
            done += (size_t)n;
        }
        close(fd);
    }
    free(line);
}

#endif
