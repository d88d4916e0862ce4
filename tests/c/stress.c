/*
 * stress.c: load through the real C ABI, against the API double (tests/api_double.py).
 *
 *   stress API_URL CREDENTIALS_FILE THREADS CALLS ITERATIONS
 *
 * Part 1: THREADS threads share one credentials object and one client and make CALLS signed
 * GraphQL calls in all; every one must succeed. Part 2: ITERATIONS rounds of load the
 * credentials file, sign a request, make and free a client, connect and disconnect a service
 * (through one long-lived client, so that the rounds do not use up the ephemeral ports), free
 * everything; the resident set size is printed at the start, middle and end, and must not grow
 * by more than 16 MiB from middle to end (a leak of even 200 bytes a round shows over 100,000
 * rounds). tests/c/run_stress.sh builds and runs it (`make stress`; a short run is in `make test`).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "remoteit.h"

static const char *g_url, *g_file;
static remoteit_client *g_client;
static atomic_long g_next, g_ok, g_failed;
static long g_calls;

static void message(char *buf, size_t len)
{
    size_t n = 0;
    if (remoteit_last_error_message(buf, len, &n) != REMOTEIT_OK)
        snprintf(buf, len, "(a %zu-byte message)", n);
}

static void *caller(void *unused)
{
    (void)unused;
    while (atomic_fetch_add(&g_next, 1) < g_calls) {
        char *data = NULL;
        remoteit_result rc = remoteit_graphql(g_client, "{ login { email } }", NULL, &data);
        if (rc == REMOTEIT_OK && data != NULL && strstr(data, "demo@example.com") != NULL) {
            atomic_fetch_add(&g_ok, 1);
        } else if (atomic_fetch_add(&g_failed, 1) < 5) {
            char msg[512];
            message(msg, sizeof msg);
            fprintf(stderr, "call failed: %s: %s\n", remoteit_result_name(rc), msg);
        }
        remoteit_string_free(data);
    }
    return NULL;
}

static long rss_kib(void)
{
    long pages_total = 0, pages_resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL || fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
        pages_resident = -1;
    if (f != NULL)
        fclose(f);
    return pages_resident < 0 ? -1 : pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* One round of part 2; 1 when every step succeeded. */
static int round_trip(const remoteit_client *shared)
{
    remoteit_credentials *creds = NULL;
    remoteit_headers *headers = NULL;
    remoteit_client *client = NULL;
    remoteit_connection *conn = NULL;
    const char *body = "{\"query\":\"{ login { email } }\"}";
    int ok = remoteit_credentials_load(g_file, NULL, &creds) == REMOTEIT_OK &&
             remoteit_sign_request(creds, "POST", g_url, "application/json", (const uint8_t *)body,
                                   strlen(body), REMOTEIT_NOW, &headers) == REMOTEIT_OK &&
             remoteit_headers_count(headers) == 2 &&
             remoteit_client_new(creds, g_url, &client) == REMOTEIT_OK &&
             remoteit_connect(shared, "80:00:00:00:01:00:00:11", &conn) == REMOTEIT_OK &&
             remoteit_disconnect(shared, remoteit_connection_id(conn)) == REMOTEIT_OK;
    if (!ok) {
        char msg[512];
        message(msg, sizeof msg);
        fprintf(stderr, "round failed: %s\n", msg);
    }
    remoteit_connection_free(conn);
    remoteit_client_free(client);
    remoteit_headers_free(headers);
    remoteit_credentials_free(creds);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s API_URL CREDENTIALS_FILE THREADS CALLS ITERATIONS\n", argv[0]);
        return 2;
    }
    g_url = argv[1];
    g_file = argv[2];
    int threads = atoi(argv[3]);
    g_calls = atol(argv[4]);
    long iterations = atol(argv[5]);
    if (threads < 1 || threads > 256 || g_calls < 1 || iterations < 2)
        return 2;

    remoteit_credentials *creds = NULL;
    if (remoteit_credentials_load(g_file, NULL, &creds) != REMOTEIT_OK ||
        remoteit_client_new(creds, g_url, &g_client) != REMOTEIT_OK) {
        fprintf(stderr, "setup failed\n");
        return 2;
    }

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t ids[256];
    for (int i = 0; i < threads; i++)
        pthread_create(&ids[i], NULL, caller, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(ids[i], NULL);
    double took = seconds_since(&start);
    printf("part 1: %d threads sharing one client and one credentials object: %ld signed calls, "
           "%ld ok, %ld failed, %.1f s (%.0f calls/s)\n",
           threads, g_calls, (long)g_ok, (long)g_failed, took, (double)g_calls / took);
    fflush(stdout);

    long failed_rounds = 0, rss_start = rss_kib(), rss_middle = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < iterations; i++) {
        if (i == iterations / 2)
            rss_middle = rss_kib();
        if (!round_trip(g_client) && ++failed_rounds >= 5)
            break;
    }
    long rss_end = rss_kib();
    took = seconds_since(&start);
    printf("part 2: %ld rounds of load/sign/client/connect/disconnect/free, %ld failed, %.1f s; "
           "RSS start %ld KiB, middle %ld KiB, end %ld KiB\n",
           iterations, failed_rounds, took, rss_start, rss_middle, rss_end);

    remoteit_client_free(g_client);
    remoteit_credentials_free(creds);
    int grew = rss_end - rss_middle > 16 * 1024;
    if (grew)
        printf("RSS grew by %ld KiB from the middle to the end: a leak?\n", rss_end - rss_middle);
    return g_failed == 0 && g_ok == g_calls && failed_rounds == 0 && !grew ? 0 : 1;
}
