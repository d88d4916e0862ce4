/*
 * cli_print.h: what the remoteit CLI (remoteit.c) prints to standard output: signed headers
 * as lines or curl words, the device list as a table or JSON. Public header only.
 */
#ifndef REMOTEIT_CLI_PRINT_H
#define REMOTEIT_CLI_PRINT_H

#include "remoteit.h"

/* Prints a string as a single-quoted shell word. */
void print_shell_word(const char *s);

/* Prints each signed header: "Name: value" lines, or " -H 'Name: value'" curl words. */
remoteit_result print_headers(const remoteit_headers *headers, int as_curl_words);

/* The device list as a JSON array of {"id", "name", "state", "online", "services": [...]}. */
void print_devices_json(const remoteit_device_list *list);

/* The device list as a table: name, state (with "offline" when not online), services with
 * their ports; control characters shown as '?'. */
void print_devices_table(const remoteit_device_list *list);

#endif
