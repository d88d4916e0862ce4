/*
 * remoteit: a small command-line client built only on the public header <remoteit.h>.
 *
 *   remoteit [options] sign METHOD URL [--content-type T] [--data BODY] [--curl]
 *   remoteit [options] connect SERVICE_ID [--host-ip IP] [--proxy auto|reverse|port]
 *   remoteit [options] connect --device NAME --service NAME [--account ID] [--host-ip IP] [--proxy ...]
 *   remoteit [options] devices [--name FILTER] [--account ID] [--json]
 *   remoteit [options] rest METHOD PATH [BODY_JSON]
 *   remoteit [options] disconnect CONNECTION_ID
 *   remoteit [options] graphql QUERY [VARIABLES_JSON]
 *   remoteit --help | --version
 *
 * Options: --profile NAME, --credentials FILE, --api-url URL, --scheme cavage|rfc9421,
 * --ca-file PEM, --timeout-ms N, --max-retries N, --no-clock-correction, --user-agent PRODUCT,
 * --verbose, --debug.
 * Exit codes: 0 success, 2 usage or a bad argument, 3 credentials, 4 authentication (401/403),
 * 5 network (DNS, refused, reset, timeout, TLS), 6 API (GraphQL error, REST refusal, other
 * HTTP status, rate limit, unexpected response), 1 anything else. doc/remoteit.1.in is its
 * man page. cli_print.c prints the results, cli_log.c the library's log (--verbose, --debug).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_log.h"
#include "cli_print.h"
#include "remoteit.h"

enum {
    EXIT_OK = 0,
    EXIT_OTHER = 1,
    EXIT_USAGE = 2,
    EXIT_CREDENTIALS = 3,
    EXIT_AUTH = 4,
    EXIT_NETWORK = 5,
    EXIT_API = 6
};

/* The most --max-retries takes, to catch typing errors: the backoff doubles from 250 ms within
 * the call's timeout, so far fewer retries fit in any useful --timeout-ms. */
#define MAX_RETRIES_LIMIT 100

struct options {
    const char *profile;
    const char *credentials;
    const char *api_url;
    const char *ca_file;
    const char *content_type;
    const char *data;
    const char *host_ip;
    const char *proxy;
    const char *name_filter;
    const char *account;
    const char *device;
    const char *service;
    const char *user_agent;
    uint32_t timeout_ms;     /* 0: the library's default */
    uint32_t max_retries;
    int max_retries_given;
    int no_clock_correction;
    uint32_t log_level;      /* 0: no log; REMOTEIT_LOG_INFO (--verbose), REMOTEIT_LOG_DEBUG (--debug) */
    uint32_t scheme;
    int curl;
    int json;
    int argc;          /* positional arguments */
    const char *argv[4];
};

static void usage(FILE *to)
{
    fprintf(to,
            "usage: remoteit [OPTIONS] COMMAND ...\n"
            "       remoteit --help | --version\n"
            "commands:\n"
            "  sign METHOD URL [--content-type T] [--data BODY] [--curl]\n"
            "                        print the headers that sign this request (no network)\n"
            "  connect SERVICE_ID [--host-ip IP] [--proxy auto|reverse|port]\n"
            "  connect --device NAME --service NAME [--account ID] [--host-ip IP] [--proxy ...]\n"
            "  devices [--name FILTER] [--account ID] [--json]\n"
            "  rest METHOD PATH [BODY_JSON]   (e.g. rest GET /user/info; needs the developer key)\n"
            "  disconnect CONNECTION_ID\n"
            "  graphql QUERY [VARIABLES_JSON]\n"
            "options:\n"
            "  --credentials FILE    credentials file (default ~/.remoteit/credentials)\n"
            "  --profile NAME        profile in that file (default DEFAULT)\n"
            "  --api-url URL         GraphQL API (default https://api.remote.it/graphql/v1)\n"
            "  --scheme S            signature scheme: cavage (default) or rfc9421\n"
            "  --ca-file PEM         also trust the CA certificates in PEM\n"
            "  --timeout-ms N        limit for each API call, retries included (default 30000)\n"
            "  --max-retries N       further attempts after a transient failure (default 2;\n"
            "                        0 to 100; 0: none)\n"
            "  --no-clock-correction do not sign with the server's time when this clock is off\n"
            "  --user-agent PRODUCT  send User-Agent: PRODUCT libremoteit/VERSION (PRODUCT: a\n"
            "                        token with an optional /version, e.g. myscript/1.0)\n"
            "  --verbose             log each attempt, retry and clock correction to stderr\n"
            "  --debug               also log what is signed (the signing string; never the\n"
            "                        secret or the signature)\n"
            "                        (--timeout-ms to --debug: for the commands that call the API)\n"
            "environment (read only without --credentials; set both keys or neither):\n"
            "  R3_ACCESS_KEY_ID, R3_SECRET_ACCESS_KEY   the access key, instead of the file\n"
            "  R3_DEVELOPER_API_KEY                     the developer key (optional)\n"
            "exit codes: 0 ok, 2 usage or bad argument, 3 credentials, 4 authentication,\n"
            "            5 network, 6 API, 1 other\n");
}

static void version(void)
{
    printf("remoteit CLI %d.%d.%d (compiled against remoteit.h %d.%d.%d)\n", REMOTEIT_VERSION_MAJOR,
           REMOTEIT_VERSION_MINOR, REMOTEIT_VERSION_PATCH, REMOTEIT_VERSION_MAJOR,
           REMOTEIT_VERSION_MINOR, REMOTEIT_VERSION_PATCH);
    printf("libremoteit %s (loaded at run time)\n", remoteit_version());
}

/* Prints the failed call's code name and message; returns the exit code for it. */
static int fail(const char *what, remoteit_result rc)
{
    char message[2048];
    size_t len = 0;
    if (remoteit_last_error_message(message, sizeof message, &len) != REMOTEIT_OK) {
        snprintf(message, sizeof message, "(message of %zu bytes not shown)", len);
    }
    fprintf(stderr, "remoteit: %s: %s: %s\n", what, remoteit_result_name(rc), message);
    switch (rc) {
    case REMOTEIT_ERR_NULL_ARGUMENT:
    case REMOTEIT_ERR_INVALID_ARGUMENT:
        return EXIT_USAGE;    /* every argument the CLI passes on comes from its command line */
    case REMOTEIT_ERR_CREDENTIALS_NOT_FOUND:
        fprintf(stderr, "remoteit: name the file with --credentials FILE (and the profile with "
                        "--profile NAME), or set both R3_ACCESS_KEY_ID and R3_SECRET_ACCESS_KEY\n");
        return EXIT_CREDENTIALS;
    case REMOTEIT_ERR_CREDENTIALS_INVALID:
    case REMOTEIT_ERR_PROFILE_NOT_FOUND:
    case REMOTEIT_ERR_CREDENTIALS_INCOMPLETE:
    case REMOTEIT_ERR_SECRET_INVALID:
        return EXIT_CREDENTIALS;
    case REMOTEIT_ERR_UNAUTHORIZED:
        return EXIT_AUTH;
    case REMOTEIT_ERR_NETWORK:
    case REMOTEIT_ERR_TIMEOUT:
    case REMOTEIT_ERR_TLS:
        return EXIT_NETWORK;
    case REMOTEIT_ERR_RATE_LIMITED:
    case REMOTEIT_ERR_HTTP_STATUS:
    case REMOTEIT_ERR_GRAPHQL:
    case REMOTEIT_ERR_PROTOCOL:
    case REMOTEIT_ERR_API:
        return EXIT_API;
    default:
        return EXIT_OTHER;
    }
}

/* Reads the value of the option at argv[*i] as a whole number from min to max into *out,
 * moving *i past it; returns 0 or EXIT_USAGE. */
static int parse_number(int argc, char **argv, int *i, unsigned long min, unsigned long max, uint32_t *out)
{
    const char *name = argv[*i], *text;
    char *end = NULL;
    unsigned long value;
    if (*i + 1 >= argc) {
        fprintf(stderr, "remoteit: %s needs a value\n", name);
        return EXIT_USAGE;
    }
    text = argv[++*i];
    errno = 0;
    value = strtoul(text, &end, 10);
    /* strtoul takes a sign and leading spaces, and wraps "-1" around: only digits count. */
    if (!isdigit((unsigned char)text[0]) || *end != '\0' || errno == ERANGE || value < min || value > max) {
        fprintf(stderr, "remoteit: %s takes a whole number from %lu to %lu, not \"%.40s\"\n", name, min,
                max, text);
        return EXIT_USAGE;
    }
    *out = (uint32_t)value;
    return 0;
}

/* Parses argv into opts; returns 0 or EXIT_USAGE. */
static int parse(int argc, char **argv, struct options *opts)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot = NULL;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            exit(EXIT_OK);
        } else if (strcmp(arg, "--version") == 0) {
            version();
            exit(EXIT_OK);
        } else if (strcmp(arg, "--scheme") == 0) {
            const char *name = i + 1 < argc ? argv[++i] : "";
            if (strcmp(name, "cavage") == 0) {
                opts->scheme = REMOTEIT_SCHEME_CAVAGE;
            } else if (strcmp(name, "rfc9421") == 0) {
                opts->scheme = REMOTEIT_SCHEME_RFC9421;
            } else {
                fprintf(stderr, "remoteit: --scheme takes cavage or rfc9421\n");
                return EXIT_USAGE;
            }
            continue;
        } else if (strcmp(arg, "--curl") == 0) {
            opts->curl = 1;
            continue;
        } else if (strcmp(arg, "--json") == 0) {
            opts->json = 1;
            continue;
        } else if (strcmp(arg, "--no-clock-correction") == 0) {
            opts->no_clock_correction = 1;
            continue;
        } else if (strcmp(arg, "--verbose") == 0) {
            opts->log_level = opts->log_level > REMOTEIT_LOG_INFO ? opts->log_level : REMOTEIT_LOG_INFO;
            continue;
        } else if (strcmp(arg, "--debug") == 0) {
            opts->log_level = REMOTEIT_LOG_DEBUG;
            continue;
        } else if (strcmp(arg, "--user-agent") == 0) {
            slot = &opts->user_agent;
        } else if (strcmp(arg, "--name") == 0) {
            slot = &opts->name_filter;
        } else if (strcmp(arg, "--account") == 0) {
            slot = &opts->account;
        } else if (strcmp(arg, "--device") == 0) {
            slot = &opts->device;
        } else if (strcmp(arg, "--service") == 0) {
            slot = &opts->service;
        } else if (strcmp(arg, "--profile") == 0) {
            slot = &opts->profile;
        } else if (strcmp(arg, "--credentials") == 0) {
            slot = &opts->credentials;
        } else if (strcmp(arg, "--api-url") == 0) {
            slot = &opts->api_url;
        } else if (strcmp(arg, "--ca-file") == 0) {
            slot = &opts->ca_file;
        } else if (strcmp(arg, "--content-type") == 0) {
            slot = &opts->content_type;
        } else if (strcmp(arg, "--data") == 0) {
            slot = &opts->data;
        } else if (strcmp(arg, "--host-ip") == 0) {
            slot = &opts->host_ip;
        } else if (strcmp(arg, "--proxy") == 0) {
            slot = &opts->proxy;
        } else if (strcmp(arg, "--timeout-ms") == 0) {
            if (parse_number(argc, argv, &i, 1, UINT32_MAX, &opts->timeout_ms) != 0) {
                return EXIT_USAGE;
            }
            continue;
        } else if (strcmp(arg, "--max-retries") == 0) {
            if (parse_number(argc, argv, &i, 0, MAX_RETRIES_LIMIT, &opts->max_retries) != 0) {
                return EXIT_USAGE;
            }
            opts->max_retries_given = 1;
            continue;
        } else if (strncmp(arg, "--", 2) == 0) {
            fprintf(stderr, "remoteit: unknown option %s\n", arg);
            return EXIT_USAGE;
        } else {
            if (opts->argc == (int)(sizeof opts->argv / sizeof opts->argv[0])) {
                fprintf(stderr, "remoteit: too many arguments\n");
                return EXIT_USAGE;
            }
            opts->argv[opts->argc++] = arg;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "remoteit: %s needs a value\n", arg);
            return EXIT_USAGE;
        }
        *slot = argv[++i];
    }
    return 0;
}

static int cmd_sign(const struct options *opts, const remoteit_credentials *creds)
{
    const char *method = opts->argv[1];
    const char *url = opts->argv[2];
    const char *body = opts->data ? opts->data : "";
    const char *content_type = opts->content_type;
    remoteit_headers *headers = NULL;
    remoteit_result rc;
    int code;

    if (content_type == NULL && opts->data != NULL) {
        content_type = "application/json";
    }
    rc = remoteit_sign(creds, opts->scheme, method, url, content_type, (const uint8_t *)body,
                       strlen(body), REMOTEIT_NOW, &headers);
    if (rc != REMOTEIT_OK) {
        return fail("sign", rc);
    }
    if (opts->curl) {
        fputs("curl -sS --path-as-is -X ", stdout);
        print_shell_word(method);
        if (content_type != NULL) {
            char line[4096];
            snprintf(line, sizeof line, "Content-Type: %s", content_type);
            fputs(" -H ", stdout);
            print_shell_word(line);
        }
        rc = print_headers(headers, 1);
        fputs(" --data-binary ", stdout);
        print_shell_word(body);
        putchar(' ');
        print_shell_word(url);
        putchar('\n');
    } else {
        rc = print_headers(headers, 0);
    }
    code = rc == REMOTEIT_OK ? EXIT_OK : fail("signed headers", rc);
    remoteit_headers_free(headers);
    return code;
}

static int proxy_type(const char *name, uint32_t *out)
{
    if (name == NULL || strcmp(name, "auto") == 0) {
        *out = REMOTEIT_PROXY_AUTO;
    } else if (strcmp(name, "reverse") == 0) {
        *out = REMOTEIT_PROXY_REVERSE;
    } else if (strcmp(name, "port") == 0) {
        *out = REMOTEIT_PROXY_PORT;
    } else {
        return -1;
    }
    return 0;
}

/* Lists the devices (typed, every page) and finds the service --service of the device
 * --device; *list owns *service_id. Returns 0 or an exit code. */
static int find_service_by_name(const struct options *opts, const remoteit_client *client,
                                remoteit_device_list **list, const char **service_id)
{
    const remoteit_service *service = NULL;
    remoteit_result rc = remoteit_devices_list(client, NULL, opts->account, list);
    if (rc != REMOTEIT_OK) {
        return fail("devices", rc);
    }
    rc = remoteit_service_find(*list, opts->device, opts->service, &service);
    if (rc != REMOTEIT_OK) {
        /* A name that matches none or several is not a usage error: exit 1, as documented. */
        (void)fail("find service", rc);
        return EXIT_OTHER;
    }
    *service_id = remoteit_service_id(service);
    printf("service: %s\n", *service_id);
    return 0;
}

static int cmd_connect(const struct options *opts, const remoteit_client *client)
{
    remoteit_connection *conn = NULL;
    remoteit_device_list *list = NULL;
    const char *service_id = opts->argv[1];
    remoteit_result rc;
    uint32_t type;
    int code;
    if (proxy_type(opts->proxy, &type) != 0) {
        fprintf(stderr, "remoteit: --proxy takes auto, reverse or port\n");
        return EXIT_USAGE;
    }
    if (opts->device != NULL && (code = find_service_by_name(opts, client, &list, &service_id)) != 0) {
        remoteit_device_list_free(list);
        return code;
    }
    if (opts->host_ip != NULL || opts->proxy != NULL) {
        rc = remoteit_connect_with_options(client, service_id, opts->host_ip, type, &conn);
    } else {
        rc = remoteit_connect(client, service_id, &conn);
    }
    remoteit_device_list_free(list);
    if (rc != REMOTEIT_OK) {
        return fail("connect", rc);
    }
    printf("connection: %s\n", remoteit_connection_id(conn));
    printf("host: %s\n", remoteit_connection_host(conn));
    if (remoteit_connection_port(conn) >= 0) {
        printf("port: %d\n", (int)remoteit_connection_port(conn));
    } else {
        printf("port: none (reverse proxy)\n");
    }
    printf("url: %s\n", remoteit_connection_url(conn));
    remoteit_connection_free(conn);
    return EXIT_OK;
}

static int cmd_disconnect(const struct options *opts, const remoteit_client *client)
{
    remoteit_result rc = remoteit_disconnect(client, opts->argv[1]);
    if (rc != REMOTEIT_OK) {
        return fail("disconnect", rc);
    }
    printf("disconnected: %s\n", opts->argv[1]);
    return EXIT_OK;
}

static int cmd_graphql(const struct options *opts, const remoteit_client *client)
{
    char *data = NULL;
    remoteit_result rc = remoteit_graphql(client, opts->argv[1], opts->argc > 2 ? opts->argv[2] : NULL, &data);
    if (rc != REMOTEIT_OK) {
        return fail("graphql", rc);
    }
    printf("%s\n", data);
    remoteit_string_free(data);
    return EXIT_OK;
}

/* Whether an environment variable is set the way the library counts it: not only whitespace. */
static int env_set(const char *name)
{
    const char *value = getenv(name);
    for (; value != NULL && *value != '\0'; value++) {
        if (!isspace((unsigned char)*value)) {
            return 1;
        }
    }
    return 0;
}

/* Without --credentials the library uses R3_ACCESS_KEY_ID and R3_SECRET_ACCESS_KEY only when
 * both are set, and otherwise reads the file: a half-set pair is refused here instead of being
 * ignored. Returns 0 or EXIT_CREDENTIALS. */
static int check_environment(const struct options *opts)
{
    static const char *const names[] = {"R3_ACCESS_KEY_ID", "R3_SECRET_ACCESS_KEY"};
    int id = env_set(names[0]), secret = env_set(names[1]);
    if (opts->credentials != NULL || id == secret) {
        return 0;
    }
    fprintf(stderr,
            "remoteit: credentials: %s is set but %s is not: set both to use the environment, "
            "or unset %s to use the credentials file\n",
            names[id ? 0 : 1], names[id ? 1 : 0], names[id ? 0 : 1]);
    return EXIT_CREDENTIALS;
}

static int cmd_devices(const struct options *opts, const remoteit_client *client)
{
    remoteit_device_list *list = NULL;
    remoteit_result rc = remoteit_devices_list(client, opts->name_filter, opts->account, &list);
    if (rc != REMOTEIT_OK) {
        return fail("devices", rc);
    }
    if (opts->json) {
        print_devices_json(list);
    } else {
        print_devices_table(list);
    }
    remoteit_device_list_free(list);
    return EXIT_OK;
}

static int cmd_rest(const struct options *opts, const remoteit_client *client)
{
    char *reply = NULL;
    remoteit_result rc = remoteit_rest(client, opts->argv[1], opts->argv[2],
                                       opts->argc > 3 ? opts->argv[3] : NULL, &reply);
    if (rc != REMOTEIT_OK) {
        return fail("rest", rc);
    }
    printf("%s\n", reply);
    remoteit_string_free(reply);
    return EXIT_OK;
}

/* Makes a client from the options; returns 0 or an exit code. A refused setting is named
 * by its option. */
static int make_client(const struct options *opts, const remoteit_credentials *creds, remoteit_client **out)
{
    const char *what = "client";
    remoteit_result rc = remoteit_client_new(creds, opts->api_url, out);
    if (rc != REMOTEIT_OK) {
        return fail("client", rc);
    }
    if (opts->log_level != 0) {
        what = opts->log_level == REMOTEIT_LOG_DEBUG ? "--debug" : "--verbose";
        rc = remoteit_client_set_log_callback(*out, opts->log_level, cli_log_line, NULL);
    }
    if (rc == REMOTEIT_OK) {
        what = "--scheme";
        rc = remoteit_client_set_signing_scheme(*out, opts->scheme);
    }
    if (rc == REMOTEIT_OK && opts->timeout_ms > 0) {
        what = "--timeout-ms";
        rc = remoteit_client_set_timeout_ms(*out, opts->timeout_ms);
    }
    if (rc == REMOTEIT_OK && opts->max_retries_given) {
        what = "--max-retries";
        rc = remoteit_client_set_max_retries(*out, opts->max_retries);
    }
    if (rc == REMOTEIT_OK && opts->no_clock_correction) {
        what = "--no-clock-correction";
        rc = remoteit_client_set_clock_correction(*out, 0);
    }
    if (rc == REMOTEIT_OK && opts->user_agent != NULL) {
        what = "--user-agent";
        rc = remoteit_client_set_user_agent(*out, opts->user_agent);
    }
    if (rc == REMOTEIT_OK && opts->ca_file != NULL) {
        what = "--ca-file";
        rc = remoteit_client_set_ca_file(*out, opts->ca_file);
    }
    if (rc != REMOTEIT_OK) {
        int code = fail(what, rc);
        remoteit_client_free(*out);
        *out = NULL;
        return code;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options opts;
    remoteit_credentials *creds = NULL;
    remoteit_client *client = NULL;
    const char *command;
    int needed, code;
    remoteit_result rc;

    memset(&opts, 0, sizeof opts);
    code = parse(argc, argv, &opts);
    if (code != 0 || opts.argc == 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    command = opts.argv[0];
    if (strcmp(command, "sign") == 0) {
        needed = 3;
    } else if (strcmp(command, "connect") == 0 && (opts.device != NULL || opts.service != NULL)) {
        if (opts.device == NULL || opts.service == NULL) {
            fprintf(stderr, "remoteit: connect needs both --device and --service (or a service id)\n");
            return EXIT_USAGE;
        }
        needed = 1;
    } else if (strcmp(command, "connect") == 0 || strcmp(command, "disconnect") == 0) {
        needed = 2;
    } else if (strcmp(command, "devices") == 0) {
        needed = 1;
    } else if (strcmp(command, "rest") == 0) {
        needed = opts.argc == 4 ? 4 : 3;
    } else if (strcmp(command, "graphql") == 0) {
        needed = opts.argc == 3 ? 3 : 2;
    } else {
        fprintf(stderr, "remoteit: unknown command %s\n", command);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (opts.argc != needed) {
        fprintf(stderr, "remoteit: wrong number of arguments for %s\n", command);
        usage(stderr);
        return EXIT_USAGE;
    }

    if ((code = check_environment(&opts)) != 0) {
        return code;
    }
    rc = remoteit_credentials_load(opts.credentials, opts.profile, &creds);
    if (rc != REMOTEIT_OK) {
        return fail("credentials", rc);
    }
    if (strcmp(command, "sign") == 0) {
        code = cmd_sign(&opts, creds);
    } else if ((code = make_client(&opts, creds, &client)) == 0) {
        if (strcmp(command, "connect") == 0) {
            code = cmd_connect(&opts, client);
        } else if (strcmp(command, "disconnect") == 0) {
            code = cmd_disconnect(&opts, client);
        } else if (strcmp(command, "devices") == 0) {
            code = cmd_devices(&opts, client);
        } else if (strcmp(command, "rest") == 0) {
            code = cmd_rest(&opts, client);
        } else {
            code = cmd_graphql(&opts, client);
        }
    }
    remoteit_client_free(client);
    remoteit_credentials_free(creds);
    return code;
}
