/*
 * cli_print.c: the standard output of the remoteit CLI (see cli_print.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli_print.h"

void print_shell_word(const char *s)
{
    putchar('\'');
    for (; *s; s++) {
        if (*s == '\'') {
            fputs("'\\''", stdout);
        } else {
            putchar(*s);
        }
    }
    putchar('\'');
}

remoteit_result print_headers(const remoteit_headers *headers, int as_curl_words)
{
    size_t i, count = remoteit_headers_count(headers);
    for (i = 0; i < count; i++) {
        const char *name = NULL, *value = NULL;
        remoteit_result rc = remoteit_headers_get(headers, i, &name, &value);
        if (rc != REMOTEIT_OK) {
            return rc;
        }
        if (as_curl_words) {
            char line[4096];
            snprintf(line, sizeof line, "%s: %s", name, value);
            fputs(" -H ", stdout);
            print_shell_word(line);
        } else {
            printf("%s: %s\n", name, value);
        }
    }
    return REMOTEIT_OK;
}

/* Prints s as a JSON string. */
static void print_json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

/* Prints s with control characters shown as '?', for the table. */
static void print_plain(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        putchar(c < 0x20 || c == 0x7f ? '?' : c);
    }
}

static void print_json_int(int32_t value)
{
    if (value < 0) {
        fputs("null", stdout);
    } else {
        printf("%d", (int)value);
    }
}

/* Prints `before` (the JSON text up to a member's value), then the value as a JSON string. */
static void print_json_member(const char *before, const char *value)
{
    fputs(before, stdout);
    print_json_string(value);
}

void print_devices_json(const remoteit_device_list *list)
{
    size_t i, j, count = remoteit_device_list_count(list);
    putchar('[');
    for (i = 0; i < count; i++) {
        const remoteit_device *device = remoteit_device_list_get(list, i);
        size_t services = remoteit_device_service_count(device);
        print_json_member(i ? ",\n {\"id\": " : "{\"id\": ", remoteit_device_id(device));
        print_json_member(", \"name\": ", remoteit_device_name(device));
        print_json_member(", \"state\": ", remoteit_device_state(device));
        printf(", \"online\": %s, \"services\": [", remoteit_device_online(device) == 1 ? "true" : "false");
        for (j = 0; j < services; j++) {
            const remoteit_service *service = remoteit_device_service_get(device, j);
            print_json_member(j ? ", {\"id\": " : "{\"id\": ", remoteit_service_id(service));
            print_json_member(", \"name\": ", remoteit_service_name(service));
            fputs(", \"application\": ", stdout);
            print_json_int(remoteit_service_application(service));
            fputs(", \"port\": ", stdout);
            print_json_int(remoteit_service_port(service));
            putchar('}');
        }
        fputs("]}", stdout);
    }
    puts("]");
}

void print_devices_table(const remoteit_device_list *list)
{
    size_t i, j, count = remoteit_device_list_count(list);
    int width = 4; /* "NAME" */
    for (i = 0; i < count; i++) {
        size_t len = strlen(remoteit_device_name(remoteit_device_list_get(list, i)));
        if (len > (size_t)width) {
            width = len > 40 ? 40 : (int)len;
        }
    }
    printf("%-*s  %-17s  %s\n", width, "NAME", "STATE", "SERVICES");
    for (i = 0; i < count; i++) {
        const remoteit_device *device = remoteit_device_list_get(list, i);
        const char *name = remoteit_device_name(device);
        char state[64];
        size_t services = remoteit_device_service_count(device);
        snprintf(state, sizeof state, "%s%s", remoteit_device_state(device),
                 remoteit_device_online(device) == 1 ? "" : " (offline)");
        print_plain(name);
        printf("%*s  %-17s  ", width > (int)strlen(name) ? width - (int)strlen(name) : 0, "", state);
        for (j = 0; j < services; j++) {
            const remoteit_service *service = remoteit_device_service_get(device, j);
            fputs(j ? ", " : "", stdout);
            print_plain(remoteit_service_name(service));
            if (remoteit_service_port(service) >= 0) {
                printf(" (%d)", (int)remoteit_service_port(service));
            }
        }
        putchar('\n');
    }
}
