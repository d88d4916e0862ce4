/*
 * stress.c: load through the real C ABI, against the API double (tests/api_double.py).
 *
 *   stress calls   API_URL CREDENTIALS_FILE THREADS CALLS LABEL
 *   stress setters API_URL CREDENTIALS_FILE THREADS CALLS CA_PEM
 *   stress rounds  API_URL CREDENTIALS_FILE ROUNDS
 *
 * calls: THREADS threads share one credentials object and one client and make CALLS signed
 * GraphQL calls in all; every one must succeed. A WARN-level log callback counts the requests
 * sent again on a new connection (the server had closed a kept-alive one) and the retries;
 * LABEL names the run in the figures printed.
 * setters: the same, while one more thread calls every remoteit_client_set_* again and again
 * (timeout, max retries, clock correction, user agent, log callback on and off, signing
 * scheme; every 64th round also the CA file CA_PEM, which starts a new pool of connections)
 * and reads the clock offset: every call and every setter must succeed, and the log callback
 * must have been called.
 * rounds: ROUNDS rounds of load the credentials file, sign a request, make and free a client,
 * connect and disconnect a service (through one long-lived client, so that the rounds do not
 * use up the ephemeral ports), free everything; the resident set size is printed at the
 * start, middle and end, and must not grow by more than 16 MiB from middle to end (a leak of
 * even 200 bytes a round shows over 100,000 rounds).
 *
 * Exit status: 0 when everything succeeded, 1 when something failed, 2 for bad arguments or a
 * failed setup. tests/c/run_stress.sh builds and runs it (`make stress`; short runs, also
 * under ASan+UBSan and valgrind, are in `make test`).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "remoteit.h"

#define MAX_THREADS 256

static const char *g_url, *g_file, *g_ca_pem;
static remoteit_client *g_client;
static atomic_long g_next, g_ok, g_failed;
static long g_calls;
static atomic_int g_workers_done;
static long g_setter_rounds, g_setter_failures; /* read after the setter thread is joined */

/* What the log callback saw; it runs on every calling thread at once. */
static struct {
    atomic_long lines, resent, retried;
} g_log;

static void count_line(void *userdata, uint32_t level, const char *line)
{
    (void)userdata;
    (void)level;
    atomic_fetch_add(&g_log.lines, 1);
    if (strstr(line, "sending again on a new connection") != NULL)
        atomic_fetch_add(&g_log.resent, 1);
    else if (strstr(line, "retrying in") != NULL)
        atomic_fetch_add(&g_log.retried, 1);
}

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

/* Counts a setter's result: 0 when it succeeded, 1 (after printing why) when it did not. */
static long setter_failed(remoteit_result rc, const char *name, long failures)
{
    char msg[512];
    if (rc == REMOTEIT_OK)
        return 0;
    if (failures < 5) {
        message(msg, sizeof msg);
        fprintf(stderr, "%s failed: %s: %s\n", name, remoteit_result_name(rc), msg);
    }
    return 1;
}

#define SET(call) (failures += setter_failed((call), #call, failures))

/* Calls every setter, round after round, until the workers are done; counts the rounds and
 * the setters that failed. */
static void *setter(void *unused)
{
    const struct timespec pause = {0, 200 * 1000}; /* 0.2 ms: the double needs the cores more */
    long round, failures = 0;
    (void)unused;
    for (round = 0; !atomic_load(&g_workers_done); round++) {
        int on = (int)(round % 2);
        char agent[32];
        int64_t offset = 0;
        snprintf(agent, sizeof agent, "stress/%ld", round);
        SET(remoteit_client_set_timeout_ms(g_client, 20000 + (uint32_t)(round % 7)));
        SET(remoteit_client_set_max_retries(g_client, (uint32_t)(round % 4)));
        SET(remoteit_client_set_clock_correction(g_client, (uint32_t)on));
        SET(remoteit_client_set_user_agent(g_client, on ? agent : NULL));
        SET(remoteit_client_set_log_callback(g_client, REMOTEIT_LOG_DEBUG, on ? count_line : NULL, NULL));
        SET(remoteit_client_set_signing_scheme(g_client, on ? REMOTEIT_SCHEME_RFC9421 : REMOTEIT_SCHEME_CAVAGE));
        if (round % 64 == 0)
            SET(remoteit_client_set_ca_file(g_client, g_ca_pem));
        SET(remoteit_client_clock_offset(g_client, &offset));
        nanosleep(&pause, NULL);
    }
    g_setter_rounds = round;
    g_setter_failures = failures;
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

/* calls and setters: THREADS workers on the shared client, and with setters the setter
 * thread; prints the figures and returns the exit status. */
static int run_calls(int threads, const char *label, int with_setter)
{
    pthread_t ids[MAX_THREADS], setter_id;
    struct timespec start;
    double took;
    int i;

    if (!with_setter && remoteit_client_set_log_callback(g_client, REMOTEIT_LOG_WARN, count_line, NULL) != REMOTEIT_OK)
        return 2;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (with_setter && pthread_create(&setter_id, NULL, setter, NULL) != 0)
        return 2;
    for (i = 0; i < threads; i++) {
        if (pthread_create(&ids[i], NULL, caller, NULL) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            exit(2);
        }
    }
    for (i = 0; i < threads; i++)
        pthread_join(ids[i], NULL);
    took = seconds_since(&start);
    atomic_store(&g_workers_done, 1);
    if (with_setter)
        pthread_join(setter_id, NULL);
    printf("%s: %d threads sharing one client: %ld signed calls, %ld ok, %ld failed, %.1f s "
           "(%.0f calls/s); sent again on a new connection %ld, retried %ld",
           label, threads, g_calls, (long)g_ok, (long)g_failed, took, (double)g_calls / took,
           (long)g_log.resent, (long)g_log.retried);
    if (with_setter)
        printf(" (while the log was on); %ld setter rounds (every setter each round), %ld failed; "
               "%ld log lines", g_setter_rounds, g_setter_failures, (long)g_log.lines);
    printf("\n");
    if (with_setter && (g_setter_rounds < 2 || g_setter_failures != 0 || g_log.lines == 0)) {
        fprintf(stderr, "the setters failed, did not run, or turned on a log that saw nothing\n");
        return 1;
    }
    return g_failed == 0 && g_ok == g_calls ? 0 : 1;
}

/* One round of `rounds`; 1 when every step succeeded. */
static int round_trip(void)
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
             remoteit_connect(g_client, "80:00:00:00:01:00:00:11", &conn) == REMOTEIT_OK &&
             remoteit_disconnect(g_client, remoteit_connection_id(conn)) == REMOTEIT_OK;
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

static int run_rounds(long rounds)
{
    long failed_rounds = 0, rss_start = rss_kib(), rss_middle = 0, rss_end, i;
    struct timespec start;
    double took;
    int grew;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (i = 0; i < rounds; i++) {
        if (i == rounds / 2)
            rss_middle = rss_kib();
        if (!round_trip() && ++failed_rounds >= 5)
            break;
    }
    rss_end = rss_kib();
    took = seconds_since(&start);
    printf("rounds: %ld rounds of load/sign/client/connect/disconnect/free, %ld failed, %.1f s; "
           "RSS start %ld KiB, middle %ld KiB, end %ld KiB\n",
           rounds, failed_rounds, took, rss_start, rss_middle, rss_end);
    grew = rss_end - rss_middle > 16 * 1024;
    if (grew)
        printf("RSS grew by %ld KiB from the middle to the end: a leak?\n", rss_end - rss_middle);
    return failed_rounds == 0 && !grew ? 0 : 1;
}

static int usage(const char *program)
{
    fprintf(stderr,
            "usage: %s calls API_URL CREDENTIALS_FILE THREADS CALLS LABEL\n"
            "       %s setters API_URL CREDENTIALS_FILE THREADS CALLS CA_PEM\n"
            "       %s rounds API_URL CREDENTIALS_FILE ROUNDS\n",
            program, program, program);
    return 2;
}

int main(int argc, char **argv)
{
    remoteit_credentials *creds = NULL;
    const char *mode = argc > 1 ? argv[1] : "";
    int threads = 0, status;
    long rounds = 0;

    if (strcmp(mode, "calls") == 0 || strcmp(mode, "setters") == 0) {
        if (argc != 7)
            return usage(argv[0]);
        threads = atoi(argv[4]);
        g_calls = atol(argv[5]);
        if (threads < 1 || threads > MAX_THREADS || g_calls < 1)
            return usage(argv[0]);
    } else if (strcmp(mode, "rounds") == 0) {
        if (argc != 5 || (rounds = atol(argv[4])) < 2)
            return usage(argv[0]);
    } else {
        return usage(argv[0]);
    }
    g_url = argv[2];
    g_file = argv[3];
    if (remoteit_credentials_load(g_file, NULL, &creds) != REMOTEIT_OK ||
        remoteit_client_new(creds, g_url, &g_client) != REMOTEIT_OK) {
        fprintf(stderr, "setup failed\n");
        return 2;
    }
    if (strcmp(mode, "calls") == 0) {
        status = run_calls(threads, argv[6], 0);
    } else if (strcmp(mode, "setters") == 0) {
        g_ca_pem = argv[6];
        status = run_calls(threads, "setters under load", 1);
    } else {
        status = run_rounds(rounds);
    }
    remoteit_client_free(g_client);
    remoteit_credentials_free(creds);
    return status;
}
