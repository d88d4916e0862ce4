/*
 * C tests of the client part of libremoteit (remoteit_client_*, remoteit_graphql,
 * remoteit_connect*, remoteit_disconnect, remoteit_connection_*, remoteit_devices_list and
 * the device accessors, remoteit_service_find, remoteit_rest), against the real shared
 * library and two running instances of the local API double (tests/api_double.py).
 *
 *   test_client HTTP_URL HTTPS_URL CA_PEM OTHER_CA_PEM DATA_DIR
 *
 *   HTTP_URL      the API URL of a plain-http double   (http://127.0.0.1:PORT/graphql/v1)
 *   HTTPS_URL     the API URL of an https double serving build/certs/server.pem
 *   CA_PEM        the CA that signed that certificate (build/certs/ca.pem)
 *   OTHER_CA_PEM  an unrelated CA (build/certs/other-ca.pem)
 *   DATA_DIR      tests/data (credentials, wrong-credentials)
 *
 * tests/c/run_client_tests.sh sets all of this up. Each test function checks one fact; the
 * program prints "N passed, M failed" (tests, not checks) on the last line and exits non-zero
 * when a test failed.
 *
 * The double's control endpoints (/_control/...) are served on the same port and scheme as
 * its API. This program talks to them with a minimal HTTP/1.1 client over POSIX sockets, which
 * cannot speak TLS: fault injection and stats are therefore done on the HTTP double only, and
 * the HTTPS double is only used for the TLS facts. The double's faults and counters are global
 * to it, so the tests run one after another and nothing else may use the HTTP double meanwhile.
 */

#include "remoteit.h"

#define TRANSCRIPT_SUITE "c-client"
#include "transcript.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------------------- */
/* Harness */

static int g_passed;
static int g_failed;
static int g_current_failures; /* failed checks of the running test */

#define CHECK(cond)                                                                         \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      g_current_failures++;                                                                 \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);              \
    }                                                                                       \
  } while (0)

/* CHECK with a printf-style explanation printed on failure. */
#define CHECK_MSG(cond, ...)                                                                \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      g_current_failures++;                                                                 \
      fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);              \
      fprintf(stderr, __VA_ARGS__);                                                         \
      fputc('\n', stderr);                                                                  \
    }                                                                                       \
  } while (0)

/* Compares two result codes and prints both names, and the last error, on a mismatch. */
#define CHECK_RC(actual, expected)                                                          \
  do {                                                                                      \
    remoteit_result rc_a_ = (actual);                                                       \
    remoteit_result rc_e_ = (expected);                                                     \
    if (rc_a_ != REMOTEIT_OK) {                                                             \
      (void)last_error(); /* into the transcript */                                         \
    }                                                                                       \
    if (rc_a_ != rc_e_) {                                                                   \
      g_current_failures++;                                                                 \
      fprintf(stderr, "%s:%d: CHECK_RC failed: %s gave %s (%u), expected %s (%u); last error: %s\n", \
              __FILE__, __LINE__, #actual, remoteit_result_name(rc_a_), (unsigned)rc_a_,    \
              remoteit_result_name(rc_e_), (unsigned)rc_e_, last_error());                  \
    }                                                                                       \
  } while (0)

/* Stops the running test (after its failures were counted) when a precondition fails. */
#define REQUIRE(cond)                                                                       \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      g_current_failures++;                                                                 \
      fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond);            \
      return;                                                                               \
    }                                                                                       \
  } while (0)

static void run_test(const char *name, void (*test)(void)) {
  g_current_failures = 0;
  test();
  if (g_current_failures == 0) {
    g_passed++;
    fprintf(stderr, "ok   %s\n", name);
  } else {
    g_failed++;
    fprintf(stderr, "FAIL %s\n", name);
  }
}

#define RUN(test) run_test(#test, test)

/* The last error message of this thread (a static buffer: read it before the next call). */
static const char *last_error(void) {
  static _Thread_local char buf[4096];
  size_t len = 0;
  if (remoteit_last_error_message(buf, sizeof buf, &len) != REMOTEIT_OK) {
    snprintf(buf, sizeof buf, "(last error of %zu bytes does not fit)", len);
  } else {
    transcript("error", buf);
  }
  return buf;
}

/* Every line a client of new_client_with logs goes to the transcript (when there is one). */
static void transcript_log(void *userdata, uint32_t level, const char *message) {
  (void)userdata;
  (void)level;
  transcript("log", message);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------------------------------- */
/* Configuration (argv) */

static const char *g_http_url;
static const char *g_https_url;
static const char *g_ca_pem;
static const char *g_other_ca_pem;
static const char *g_data_dir;
static char g_credentials_path[4096];
static char g_wrong_credentials_path[4096];
static uint16_t g_http_port; /* the HTTP double's port, for its control endpoints */

/* The port of "http://127.0.0.1:PORT/..." (0 when the URL has another form). */
static uint16_t url_port(const char *url) {
  const char *prefix = "http://127.0.0.1:";
  if (strncmp(url, prefix, strlen(prefix)) != 0) {
    return 0;
  }
  char *end = NULL;
  long port = strtol(url + strlen(prefix), &end, 10);
  if (end == url + strlen(prefix) || (*end != '/' && *end != '\0') || port <= 0 || port > 65535) {
    return 0;
  }
  return (uint16_t)port;
}

/* ---------------------------------------------------------------------------------------- */
/* A minimal HTTP/1.1 client for the HTTP double's control endpoints */

/* Sends one request (Connection: close) to 127.0.0.1:port and reads the whole answer.
 * Returns the status code (-1 on a socket error); the body, NUL-terminated, goes to `body`. */
static int http_request(uint16_t port, const char *method, const char *path, const char *json,
                        char *body, size_t body_len) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return -1;
  }
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  char request[2048];
  size_t json_len = json ? strlen(json) : 0;
  int n = snprintf(request, sizeof request,
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n"
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                   method, path, (unsigned)port, json_len, json ? json : "");
  if (n < 0 || (size_t)n >= sizeof request) {
    close(fd);
    return -1;
  }
  for (size_t sent = 0; sent < (size_t)n;) {
    ssize_t w = send(fd, request + sent, (size_t)n - sent, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w <= 0) {
      close(fd);
      return -1;
    }
    sent += (size_t)w;
  }
  char response[16384];
  size_t got = 0;
  for (;;) {
    if (got == sizeof response - 1) {
      break; /* the control answers are small; keep what fits */
    }
    ssize_t r = recv(fd, response + got, sizeof response - 1 - got, 0);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r < 0) {
      close(fd);
      return -1;
    }
    if (r == 0) {
      break; /* Connection: close: the whole answer has arrived */
    }
    got += (size_t)r;
  }
  close(fd);
  response[got] = '\0';
  int status = -1;
  if (sscanf(response, "HTTP/1.%*d %d", &status) != 1) {
    return -1;
  }
  const char *start = strstr(response, "\r\n\r\n");
  start = start ? start + 4 : response + got;
  if (body && body_len > 0) {
    snprintf(body, body_len, "%s", start);
  }
  return status;
}

/* A number from the double's stats JSON ({"requests": 3, ...}); -1 when missing. Keys are
 * matched with their quotes, so "connections" does not match "active_connections". */
static long json_number(const char *json, const char *key) {
  char quoted[64];
  snprintf(quoted, sizeof quoted, "\"%s\"", key);
  const char *at = strstr(json, quoted);
  if (!at) {
    return -1;
  }
  at += strlen(quoted);
  while (*at == ' ' || *at == ':') {
    at++;
  }
  char *end = NULL;
  long value = strtol(at, &end, 10);
  return end == at ? -1 : value;
}

struct stats {
  long requests, verified, rejected, connections, faults_served, active_connections;
};

/* GET /_control/stats on the HTTP double; false on failure. Note: this request opens one TCP
 * connection of its own, which the double counts (before answering) in "connections". */
static int get_stats(struct stats *s) {
  char body[4096];
  if (http_request(g_http_port, "GET", "/_control/stats", NULL, body, sizeof body) != 200) {
    return 0;
  }
  s->requests = json_number(body, "requests");
  s->verified = json_number(body, "verified");
  s->rejected = json_number(body, "rejected");
  s->connections = json_number(body, "connections");
  s->faults_served = json_number(body, "faults_served");
  s->active_connections = json_number(body, "active_connections");
  return s->requests >= 0 && s->connections >= 0 && s->active_connections >= 0;
}

/* POST /_control/fault with `json` on the HTTP double; true when it was queued. */
static int add_fault(const char *json) {
  char body[1024];
  int status = http_request(g_http_port, "POST", "/_control/fault", json, body, sizeof body);
  if (status != 200) {
    fprintf(stderr, "  fault %s refused: %d %s\n", json, status, body);
  }
  return status == 200;
}

/* DELETE /_control/fault: no fault of an earlier (failed) test may leak into the next one. */
static int clear_faults(void) {
  return http_request(g_http_port, "DELETE", "/_control/fault", NULL, NULL, 0) == 200;
}

/* ---------------------------------------------------------------------------------------- */
/* Library helpers */

static remoteit_credentials *load_credentials(const char *path) {
  remoteit_credentials *creds = NULL;
  remoteit_result rc = remoteit_credentials_load(path, NULL, &creds);
  if (rc != REMOTEIT_OK) {
    fprintf(stderr, "  cannot load %s: %s: %s\n", path, remoteit_result_name(rc), last_error());
    return NULL;
  }
  return creds;
}

/* A client of `url` with the test credentials (freed right away: the client keeps its own
 * reference) and, when timeout_ms > 0, that timeout. NULL on failure. */
static remoteit_client *new_client_with(const char *credentials_path, const char *url,
                                        uint32_t timeout_ms) {
  remoteit_credentials *creds = load_credentials(credentials_path);
  if (!creds) {
    return NULL;
  }
  remoteit_client *client = NULL;
  remoteit_result rc = remoteit_client_new(creds, url, &client);
  remoteit_credentials_free(creds);
  if (rc != REMOTEIT_OK) {
    fprintf(stderr, "  remoteit_client_new(%s): %s: %s\n", url, remoteit_result_name(rc), last_error());
    return NULL;
  }
  if (getenv("REMOTEIT_TEST_TRANSCRIPT") != NULL &&
      remoteit_client_set_log_callback(client, REMOTEIT_LOG_DEBUG, transcript_log, NULL) != REMOTEIT_OK) {
    fprintf(stderr, "  set_log_callback: %s\n", last_error());
  }
  if (timeout_ms > 0) {
    rc = remoteit_client_set_timeout_ms(client, timeout_ms);
    if (rc != REMOTEIT_OK) {
      fprintf(stderr, "  set_timeout_ms: %s: %s\n", remoteit_result_name(rc), last_error());
      remoteit_client_free(client);
      return NULL;
    }
  }
  return client;
}

static remoteit_client *new_client(const char *url, uint32_t timeout_ms) {
  return new_client_with(g_credentials_path, url, timeout_ms);
}

static const char *const LOGIN_QUERY = "{ login { email } }";

/* One `{ login { email } }` call; its result code (the data is checked and freed). */
static remoteit_result login(const remoteit_client *client) {
  char *data = NULL;
  remoteit_result rc = remoteit_graphql(client, LOGIN_QUERY, NULL, &data);
  if (rc == REMOTEIT_OK && (data == NULL || strstr(data, "demo@example.com") == NULL)) {
    rc = REMOTEIT_ERR_PANIC; /* not a code the call can give here: reported as a failure */
  }
  remoteit_string_free(data);
  return rc;
}

static int contains(const char *haystack, const char *needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

#define SENTINEL_CONN ((remoteit_connection *)(uintptr_t)0x5eed)
#define SENTINEL_CLIENT ((remoteit_client *)(uintptr_t)0x5eed)
#define SENTINEL_STRING ((char *)(uintptr_t)0x5eed)

/* ---------------------------------------------------------------------------------------- */
/* connect / disconnect */

static void test_connect_port_proxy(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect(client, "80:00:00:00:01:00:00:11", &conn), REMOTEIT_OK);
  if (conn) {
    const char *id = remoteit_connection_id(conn);
    const char *host = remoteit_connection_host(conn);
    const char *url = remoteit_connection_url(conn);
    CHECK(id && id[0] != '\0');
    CHECK(host && host[0] != '\0');
    CHECK_MSG(remoteit_connection_port(conn) > 0, "port %d", (int)remoteit_connection_port(conn));
    CHECK(remoteit_connection_reverse_proxy(conn) == 0);
    CHECK(url && url[0] != '\0');
    CHECK_MSG(remoteit_connection_timeout(conn) > 0, "timeout %d", (int)remoteit_connection_timeout(conn));
    if (id) {
      CHECK_RC(remoteit_disconnect(client, id), REMOTEIT_OK);
    }
  }
  remoteit_connection_free(conn);
  remoteit_client_free(client);
}

static void test_connect_reverse_proxy(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect(client, "80:00:00:00:01:00:00:12", &conn), REMOTEIT_OK);
  if (conn) {
    const char *url = remoteit_connection_url(conn);
    const char *host = remoteit_connection_host(conn);
    CHECK_MSG(remoteit_connection_port(conn) == -1, "port %d", (int)remoteit_connection_port(conn));
    CHECK(remoteit_connection_reverse_proxy(conn) == 1);
    CHECK_MSG(url && strncmp(url, "https://", 8) == 0, "url %s", url ? url : "(null)");
    CHECK(host && host[0] != '\0');
    CHECK_RC(remoteit_disconnect(client, remoteit_connection_id(conn)), REMOTEIT_OK);
  }
  remoteit_connection_free(conn);
  remoteit_client_free(client);
}

static void test_connect_with_options_port_proxy_on_http_service(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect_with_options(client, "80:00:00:00:01:00:00:12", "0.0.0.0",
                                         REMOTEIT_PROXY_PORT, &conn),
           REMOTEIT_OK);
  if (conn) {
    CHECK_MSG(remoteit_connection_port(conn) > 0, "port %d", (int)remoteit_connection_port(conn));
    CHECK(remoteit_connection_reverse_proxy(conn) == 0);
    CHECK_RC(remoteit_disconnect(client, remoteit_connection_id(conn)), REMOTEIT_OK);
  }
  remoteit_connection_free(conn);
  remoteit_client_free(client);
}

static void test_connect_with_options_null_host_ip(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect_with_options(client, "80:00:00:00:01:00:00:11", NULL,
                                         REMOTEIT_PROXY_AUTO, &conn),
           REMOTEIT_OK);
  if (conn) {
    CHECK(remoteit_connection_port(conn) > 0);
    CHECK_RC(remoteit_disconnect(client, remoteit_connection_id(conn)), REMOTEIT_OK);
  }
  remoteit_connection_free(conn);
  /* And a reverse proxy asked for explicitly, with a NULL host_ip too. */
  conn = NULL;
  CHECK_RC(remoteit_connect_with_options(client, "80:00:00:00:01:00:00:12", NULL,
                                         REMOTEIT_PROXY_REVERSE, &conn),
           REMOTEIT_OK);
  if (conn) {
    CHECK(remoteit_connection_reverse_proxy(conn) == 1);
    CHECK_RC(remoteit_disconnect(client, remoteit_connection_id(conn)), REMOTEIT_OK);
  }
  remoteit_connection_free(conn);
  remoteit_client_free(client);
}

static void test_connect_with_options_unknown_proxy_type(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  struct stats before, after;
  REQUIRE(get_stats(&before));
  remoteit_connection *conn = SENTINEL_CONN;
  CHECK_RC(remoteit_connect_with_options(client, "80:00:00:00:01:00:00:11", "0.0.0.0", 99, &conn),
           REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK(conn == SENTINEL_CONN); /* out-params are written only on success */
  CHECK(contains(last_error(), "99"));
  REQUIRE(get_stats(&after));
  CHECK_MSG(after.requests == before.requests, "%ld requests reached the API",
            after.requests - before.requests);
  remoteit_client_free(client);
}

/* A disconnect closes the connection at the API; a second one of the same id is a GraphQL
 * error that names the id. */
static void test_disconnect_twice(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  struct stats s0, s1, s2;
  REQUIRE(get_stats(&s0));
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect(client, "80:00:00:00:01:00:00:21", &conn), REMOTEIT_OK);
  REQUIRE(conn);
  REQUIRE(get_stats(&s1));
  CHECK(s1.active_connections == s0.active_connections + 1);
  char id[256];
  snprintf(id, sizeof id, "%s", remoteit_connection_id(conn));
  remoteit_connection_free(conn); /* freeing the object does not disconnect */
  CHECK_RC(remoteit_disconnect(client, id), REMOTEIT_OK);
  REQUIRE(get_stats(&s2));
  CHECK(s2.active_connections == s0.active_connections);
  CHECK_RC(remoteit_disconnect(client, id), REMOTEIT_ERR_GRAPHQL);
  CHECK_MSG(contains(last_error(), id), "last error \"%s\" does not name %s", last_error(), id);
  remoteit_client_free(client);
}

static void test_connect_unknown_service(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  remoteit_connection *conn = SENTINEL_CONN;
  CHECK_RC(remoteit_connect(client, "80:00:00:00:01:00:00:99", &conn), REMOTEIT_ERR_GRAPHQL);
  CHECK(conn == SENTINEL_CONN);
  CHECK_MSG(contains(last_error(), "80:00:00:00:01:00:00:99"), "last error: %s", last_error());
  remoteit_client_free(client);
}

static void test_connect_null_arguments(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  remoteit_connection *conn = SENTINEL_CONN;
  CHECK_RC(remoteit_connect(NULL, "80:00:00:00:01:00:00:11", &conn), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_connect(client, NULL, &conn), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_connect(client, "80:00:00:00:01:00:00:11", NULL), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_connect_with_options(client, NULL, NULL, REMOTEIT_PROXY_AUTO, &conn),
           REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK(conn == SENTINEL_CONN);
  CHECK_RC(remoteit_disconnect(client, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_disconnect(NULL, "x"), REMOTEIT_ERR_NULL_ARGUMENT);
  remoteit_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* graphql */

static void test_graphql_with_variables(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  char *data = NULL;
  CHECK_RC(remoteit_graphql(client,
                            "query($size: Int) { login { devices(size: $size) { total hasMore items { id } } } }",
                            "{\"size\": 1}", &data),
           REMOTEIT_OK);
  CHECK_MSG(contains(data, "\"total\""), "data: %s", data ? data : "(null)");
  /* The data is the JSON text as the double sent it (with spaces after colons). */
  CHECK_MSG(contains(data, "\"hasMore\": true"), "data: %s", data ? data : "(null)"); /* size 1 of 3 */
  CHECK_MSG(contains(data, "80:00:00:00:01:00:00:01"), "data: %s", data ? data : "(null)");
  CHECK_MSG(!contains(data, "80:00:00:00:01:00:00:02"), "data: %s", data ? data : "(null)");
  remoteit_string_free(data);
  remoteit_client_free(client);
}

/* Bad arguments are refused before anything is sent. */
static void test_graphql_invalid_arguments(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  struct stats before, after;
  REQUIRE(get_stats(&before));
  char *data = SENTINEL_STRING;
  CHECK_RC(remoteit_graphql(client, LOGIN_QUERY, "[1]", &data), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_graphql(client, LOGIN_QUERY, "{\"size\": ", &data), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_graphql(client, LOGIN_QUERY, "not json", &data), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_graphql(client, LOGIN_QUERY, "\"a string\"", &data), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_graphql(client, "", NULL, &data), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_graphql(client, "  \n\t", NULL, &data), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_graphql(client, "{ login { email } }\xff", NULL, &data),
           REMOTEIT_ERR_INVALID_ARGUMENT); /* bad UTF-8 */
  CHECK(data == SENTINEL_STRING);
  CHECK_RC(remoteit_graphql(NULL, LOGIN_QUERY, NULL, &data), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_graphql(client, NULL, NULL, &data), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_graphql(client, LOGIN_QUERY, NULL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK(data == SENTINEL_STRING);
  REQUIRE(get_stats(&after));
  CHECK_MSG(after.requests == before.requests, "%ld requests reached the API",
            after.requests - before.requests);
  /* A JSON null for the variables is the same as none. */
  data = NULL;
  CHECK_RC(remoteit_graphql(client, LOGIN_QUERY, "null", &data), REMOTEIT_OK);
  remoteit_string_free(data);
  remoteit_client_free(client);
}

/* A GraphQL error from the server (not a fault): a query of a field the schema lacks. */
static void test_graphql_server_error_is_graphql(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  char *data = SENTINEL_STRING;
  CHECK_RC(remoteit_graphql(client, "{ login { noSuchField } }", NULL, &data), REMOTEIT_ERR_GRAPHQL);
  CHECK(data == SENTINEL_STRING);
  CHECK_MSG(contains(last_error(), "noSuchField"), "last error: %s", last_error());
  remoteit_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* Faults: each maps to its code within the client's timeout (2000 ms here), and the client
 * works again afterwards. Injected on the HTTP double only (see the top of this file). */

#define FAULT_TIMEOUT_MS 2000u

/* A client for the fault tests: each fault as the caller sees it without the client's
 * recovery (retries, clock correction), which has tests of its own. */
static remoteit_client *new_fault_client(void) {
  remoteit_client *client = new_client(g_http_url, FAULT_TIMEOUT_MS);
  if (client) {
    CHECK_RC(remoteit_client_set_max_retries(client, 0), REMOTEIT_OK);
    CHECK_RC(remoteit_client_set_clock_correction(client, 0), REMOTEIT_OK);
  }
  return client;
}

/* Queues `fault_json`, makes one call and checks its result code, that the last error
 * contains each of the NULL-terminated `needles`, that it took less than `max_seconds`, and
 * that the double saw exactly one API request for it (with retries off, a POST is never
 * resent, a redirect never followed); then that the same client succeeds on the next call.
 * Done with a fresh client (the fault hits a new TCP connection) and, unless `new_only`, with
 * a client whose kept-alive connection has already served a call (the fault hits a reused
 * connection). */
static void expect_fault_on(int new_only, const char *fault_json, remoteit_result expected,
                            double max_seconds, va_list all_needles) {
  for (int warm = 0; warm < (new_only ? 1 : 2); warm++) {
    REQUIRE(clear_faults());
    remoteit_client *client = new_fault_client();
    REQUIRE(client);
    if (warm) {
      CHECK_RC(login(client), REMOTEIT_OK);
    }
    struct stats before, after;
    REQUIRE(get_stats(&before));
    REQUIRE(add_fault(fault_json));
    char *data = SENTINEL_STRING;
    double started = now_seconds();
    remoteit_result rc = remoteit_graphql(client, LOGIN_QUERY, NULL, &data);
    double elapsed = now_seconds() - started;
    char message[4096];
    snprintf(message, sizeof message, "%s", last_error());
    const char *how = warm ? "on a reused connection" : "on a new connection";
    CHECK_MSG(rc == expected, "%s %s gave %s, expected %s; last error: %s", fault_json, how,
              remoteit_result_name(rc), remoteit_result_name(expected), message);
    CHECK(data == SENTINEL_STRING);
    if (rc == REMOTEIT_OK && data != SENTINEL_STRING) {
      remoteit_string_free(data);
    }
    CHECK_MSG(elapsed < max_seconds, "%s %s took %.2f s", fault_json, how, elapsed);
    va_list needles;
    va_copy(needles, all_needles);
    for (const char *needle = va_arg(needles, const char *); needle; needle = va_arg(needles, const char *)) {
      CHECK_MSG(contains(message, needle), "the last error of %s %s lacks \"%s\": %s", fault_json, how,
                needle, message);
    }
    va_end(needles);
    REQUIRE(get_stats(&after));
    CHECK_MSG(after.requests - before.requests == 1, "%s %s: the double saw %ld API requests", fault_json,
              how, after.requests - before.requests);
    CHECK_MSG(after.faults_served - before.faults_served == 1, "%s %s: %ld faults served", fault_json, how,
              after.faults_served - before.faults_served);
    CHECK_RC(login(client), REMOTEIT_OK); /* the fault was one-shot; the client recovers */
    clear_faults();
    remoteit_client_free(client);
  }
}

static void expect_fault(const char *fault_json, remoteit_result expected, double max_seconds, ...) {
  va_list needles;
  va_start(needles, max_seconds);
  expect_fault_on(0, fault_json, expected, max_seconds, needles);
  va_end(needles);
}

static void expect_fault_on_new_connection(const char *fault_json, remoteit_result expected,
                                           double max_seconds, ...) {
  va_list needles;
  va_start(needles, max_seconds);
  expect_fault_on(1, fault_json, expected, max_seconds, needles);
  va_end(needles);
}

static void test_fault_500(void) {
  expect_fault("{\"kind\": \"500\"}", REMOTEIT_ERR_HTTP_STATUS, 4.0, "500", (const char *)NULL);
}

static void test_fault_503(void) {
  expect_fault("{\"kind\": \"503\"}", REMOTEIT_ERR_HTTP_STATUS, 4.0, "503", (const char *)NULL);
}

static void test_fault_429(void) {
  expect_fault("{\"kind\": \"429\", \"retry_after\": 42}", REMOTEIT_ERR_RATE_LIMITED, 4.0, "42",
               (const char *)NULL);
}

static void test_fault_malformed_json(void) {
  expect_fault("{\"kind\": \"malformed_json\"}", REMOTEIT_ERR_PROTOCOL, 4.0, (const char *)NULL);
}

static void test_fault_non_json(void) {
  expect_fault("{\"kind\": \"non_json\"}", REMOTEIT_ERR_PROTOCOL, 4.0, (const char *)NULL);
}

/* The double waits 5 s before answering; the 2 s timeout must cut the call short. */
static void test_fault_slow_times_out(void) {
  REQUIRE(clear_faults());
  remoteit_client *client = new_client(g_http_url, FAULT_TIMEOUT_MS);
  REQUIRE(client);
  struct stats before, after;
  REQUIRE(get_stats(&before));
  REQUIRE(add_fault("{\"kind\": \"slow\", \"delay_ms\": 5000}"));
  char *data = SENTINEL_STRING;
  double started = now_seconds();
  remoteit_result rc = remoteit_graphql(client, LOGIN_QUERY, NULL, &data);
  double elapsed = now_seconds() - started;
  CHECK_RC(rc, REMOTEIT_ERR_TIMEOUT);
  CHECK(data == SENTINEL_STRING);
  CHECK_MSG(elapsed < 4.0, "the call took %.2f s with a 2 s timeout", elapsed);
  CHECK_MSG(elapsed > 1.5, "the call gave up after %.2f s, before its 2 s timeout", elapsed);
  REQUIRE(get_stats(&after));
  CHECK_MSG(after.requests - before.requests == 1, "the double saw %ld API requests (a resend?)",
            after.requests - before.requests);
  CHECK_RC(login(client), REMOTEIT_OK);
  remoteit_client_free(client);
}

static void test_fault_reset(void) {
  expect_fault_on_new_connection("{\"kind\": \"reset\"}", REMOTEIT_ERR_NETWORK, 4.0, (const char *)NULL);
}

/* A reused kept-alive connection reset before any byte of an answer: the server never saw
 * the request, so it is sent again at once on a new connection (not counted as a retry). */
static void test_reset_on_a_reused_connection_is_resent(void) {
  REQUIRE(clear_faults());
  remoteit_client *client = new_fault_client();
  REQUIRE(client);
  CHECK_RC(login(client), REMOTEIT_OK);
  struct stats before, after;
  REQUIRE(get_stats(&before));
  REQUIRE(add_fault("{\"kind\": \"reset\"}"));
  CHECK_RC(login(client), REMOTEIT_OK);
  REQUIRE(get_stats(&after));
  CHECK_MSG(after.requests - before.requests == 2, "the double saw %ld API requests",
            after.requests - before.requests);
  clear_faults();
  remoteit_client_free(client);
}

static void test_fault_truncated(void) {
  expect_fault("{\"kind\": \"truncated\"}", REMOTEIT_ERR_NETWORK, 4.0, (const char *)NULL);
}

static void test_fault_redirect(void) {
  expect_fault("{\"kind\": \"redirect\"}", REMOTEIT_ERR_HTTP_STATUS, 4.0, "302", (const char *)NULL);
}

/* A forced 401 whose Date is an hour off: the message points at the clock. */
static void test_fault_401_mentions_clock(void) {
  expect_fault("{\"kind\": \"401\"}", REMOTEIT_ERR_UNAUTHORIZED, 4.0, "401", "clock", (const char *)NULL);
}

static void test_fault_graphql_error(void) {
  expect_fault("{\"kind\": \"graphql_error\"}", REMOTEIT_ERR_GRAPHQL, 4.0, "simulated error 1 of 2",
               "simulated error 2 of 2", (const char *)NULL);
}

/* Faults queue up: two in a row hit two calls, then the third call succeeds. */
static void test_faults_queue_up(void) {
  REQUIRE(clear_faults());
  remoteit_client *client = new_fault_client();
  REQUIRE(client);
  REQUIRE(add_fault("{\"kind\": \"503\", \"count\": 2}"));
  CHECK_RC(login(client), REMOTEIT_ERR_HTTP_STATUS);
  CHECK_RC(login(client), REMOTEIT_ERR_HTTP_STATUS);
  CHECK_RC(login(client), REMOTEIT_OK);
  clear_faults();
  remoteit_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* Authentication, network, TLS */

/* Reads the R3_SECRET_ACCESS_KEY value of a credentials file (to check messages lack it). */
static int read_secret(const char *path, char *out, size_t out_len) {
  FILE *f = fopen(path, "r");
  if (!f) {
    return 0;
  }
  char line[1024];
  int found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    const char *key = "R3_SECRET_ACCESS_KEY=";
    if (strncmp(line, key, strlen(key)) == 0) {
      const char *value = line + strlen(key);
      size_t n = strcspn(value, "\r\n \t");
      if (n > 0 && n < out_len) {
        memcpy(out, value, n);
        out[n] = '\0';
        found = 1;
      }
    }
  }
  fclose(f);
  return found;
}

static void test_wrong_key_is_unauthorized(void) {
  remoteit_client *client = new_client_with(g_wrong_credentials_path, g_http_url, 10000);
  REQUIRE(client);
  char secret[256];
  REQUIRE(read_secret(g_wrong_credentials_path, secret, sizeof secret));
  CHECK_RC(login(client), REMOTEIT_ERR_UNAUTHORIZED);
  char message[4096];
  snprintf(message, sizeof message, "%s", last_error());
  CHECK_MSG(contains(message, "401"), "last error: %s", message);
  CHECK_MSG(!contains(message, secret), "the last error shows the secret: %s", message);
  /* The clocks agree: the message must not blame the clock. */
  CHECK_MSG(!contains(message, "clock"), "last error: %s", message);
  remoteit_client_free(client);
}

static void test_refused_port_is_network(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int ok = bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
           getsockname(fd, (struct sockaddr *)&addr, &len) == 0;
  close(fd); /* nothing listens on that port now */
  REQUIRE(ok);
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/graphql/v1", (unsigned)ntohs(addr.sin_port));
  remoteit_client *client = new_client(url, 5000);
  REQUIRE(client);
  double started = now_seconds();
  CHECK_RC(login(client), REMOTEIT_ERR_NETWORK);
  CHECK(now_seconds() - started < 4.0);
  CHECK_MSG(last_error()[0] != '\0', "no last error");
  remoteit_client_free(client);
}

static void test_https_with_ca_file_connects(void) {
  remoteit_client *client = new_client(g_https_url, 10000);
  REQUIRE(client);
  CHECK_RC(remoteit_client_set_ca_file(client, g_ca_pem), REMOTEIT_OK);
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect(client, "80:00:00:00:01:00:00:11", &conn), REMOTEIT_OK);
  if (conn) {
    CHECK(remoteit_connection_port(conn) > 0);
    CHECK_RC(remoteit_disconnect(client, remoteit_connection_id(conn)), REMOTEIT_OK);
  }
  remoteit_connection_free(conn);
  CHECK_RC(login(client), REMOTEIT_OK);
  remoteit_client_free(client);
}

/* The CA may be trusted before or after the timeout is set; both orders keep it. */
static void test_https_ca_file_survives_set_timeout(void) {
  remoteit_client *client = new_client(g_https_url, 0);
  REQUIRE(client);
  CHECK_RC(remoteit_client_set_ca_file(client, g_ca_pem), REMOTEIT_OK);
  CHECK_RC(remoteit_client_set_timeout_ms(client, 10000), REMOTEIT_OK);
  CHECK_RC(login(client), REMOTEIT_OK);
  remoteit_client_free(client);
}

static void test_https_without_ca_is_tls(void) {
  remoteit_client *client = new_client(g_https_url, 10000);
  REQUIRE(client);
  CHECK_RC(login(client), REMOTEIT_ERR_TLS);
  CHECK_MSG(last_error()[0] != '\0', "no last error");
  remoteit_client_free(client);
}

static void test_https_with_other_ca_is_tls(void) {
  remoteit_client *client = new_client(g_https_url, 10000);
  REQUIRE(client);
  CHECK_RC(remoteit_client_set_ca_file(client, g_other_ca_pem), REMOTEIT_OK);
  CHECK_RC(login(client), REMOTEIT_ERR_TLS);
  remoteit_client_free(client);
}

static void test_set_ca_file_bad_files(void) {
  remoteit_client *client = new_client(g_https_url, 10000);
  REQUIRE(client);
  char missing[4200];
  snprintf(missing, sizeof missing, "%s/no-such-ca-file.pem", g_data_dir);
  CHECK_RC(remoteit_client_set_ca_file(client, missing), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_MSG(contains(last_error(), "no-such-ca-file.pem"), "last error: %s", last_error());
  /* A file that exists but holds no PEM certificate. */
  CHECK_RC(remoteit_client_set_ca_file(client, g_credentials_path), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_client_set_ca_file(client, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_client_set_ca_file(NULL, g_ca_pem), REMOTEIT_ERR_NULL_ARGUMENT);
  /* The failures left the client as it was: still no trust in the test CA. */
  CHECK_RC(login(client), REMOTEIT_ERR_TLS);
  remoteit_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* remoteit_client_new and the setters */

static void test_client_new_refuses_plain_http_to_other_hosts(void) {
  remoteit_credentials *creds = load_credentials(g_credentials_path);
  REQUIRE(creds);
  remoteit_client *client = SENTINEL_CLIENT;
  CHECK_RC(remoteit_client_new(creds, "http://example.com/graphql/v1", &client),
           REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK(client == SENTINEL_CLIENT);
  CHECK_MSG(contains(last_error(), "example.com"), "last error: %s", last_error());
  remoteit_credentials_free(creds);
}

static void test_client_new_refuses_malformed_urls(void) {
  remoteit_credentials *creds = load_credentials(g_credentials_path);
  REQUIRE(creds);
  const char *bad[] = {"", "not a url", "api.remote.it/graphql/v1", "ftp://127.0.0.1/graphql/v1",
                       "https://", "https://exa mple.com/", "https://api.remote.it:99999/",
                       "https://api.remote.it/\xff"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    remoteit_client *client = SENTINEL_CLIENT;
    remoteit_result rc = remoteit_client_new(creds, bad[i], &client);
    CHECK_MSG(rc == REMOTEIT_ERR_INVALID_ARGUMENT, "\"%s\" gave %s", bad[i], remoteit_result_name(rc));
    CHECK(client == SENTINEL_CLIENT);
    if (rc == REMOTEIT_OK && client != SENTINEL_CLIENT) {
      remoteit_client_free(client);
    }
  }
  remoteit_credentials_free(creds);
}

static void test_client_new_null_arguments(void) {
  remoteit_credentials *creds = load_credentials(g_credentials_path);
  REQUIRE(creds);
  remoteit_client *client = SENTINEL_CLIENT;
  CHECK_RC(remoteit_client_new(NULL, g_http_url, &client), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK(client == SENTINEL_CLIENT);
  CHECK_RC(remoteit_client_new(creds, g_http_url, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
  remoteit_credentials_free(creds);
}

/* NULL is the default URL. No call is made with it: there is no network here. */
static void test_client_new_default_url(void) {
  remoteit_credentials *creds = load_credentials(g_credentials_path);
  REQUIRE(creds);
  remoteit_client *client = NULL;
  CHECK_RC(remoteit_client_new(creds, NULL, &client), REMOTEIT_OK);
  CHECK(client != NULL);
  remoteit_client_free(client);
  /* https to any host is accepted, http to loopback names too. */
  const char *good[] = {"https://api.remote.it/graphql/v1", "http://localhost:9/graphql/v1",
                        "http://127.0.0.1:9/", "http://[::1]:9/graphql/v1"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    client = NULL;
    remoteit_result rc = remoteit_client_new(creds, good[i], &client);
    CHECK_MSG(rc == REMOTEIT_OK, "\"%s\" gave %s: %s", good[i], remoteit_result_name(rc), last_error());
    remoteit_client_free(client);
  }
  remoteit_credentials_free(creds);
}

static void test_set_timeout(void) {
  remoteit_client *client = new_client(g_http_url, 0);
  REQUIRE(client);
  CHECK_RC(remoteit_client_set_timeout_ms(client, 0), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_client_set_timeout_ms(NULL, 1000), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_client_set_timeout_ms(client, 1), REMOTEIT_OK);
  CHECK_RC(remoteit_client_set_timeout_ms(client, UINT32_MAX), REMOTEIT_OK);
  CHECK_RC(remoteit_client_set_timeout_ms(client, 10000), REMOTEIT_OK);
  CHECK_RC(login(client), REMOTEIT_OK);
  remoteit_client_free(client);
}

/* The double verifies RFC 9421 signatures too: a call signed that way is accepted. */
static void test_signing_scheme(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  struct stats before, after;
  REQUIRE(get_stats(&before));
  CHECK_RC(remoteit_client_set_signing_scheme(client, REMOTEIT_SCHEME_RFC9421), REMOTEIT_OK);
  CHECK_RC(login(client), REMOTEIT_OK);
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect(client, "80:00:00:00:01:00:00:11", &conn), REMOTEIT_OK);
  if (conn) {
    CHECK_RC(remoteit_disconnect(client, remoteit_connection_id(conn)), REMOTEIT_OK);
  }
  remoteit_connection_free(conn);
  CHECK_RC(remoteit_client_set_signing_scheme(client, 7), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_client_set_signing_scheme(NULL, REMOTEIT_SCHEME_CAVAGE), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(login(client), REMOTEIT_OK); /* the refused value left RFC 9421 in place */
  CHECK_RC(remoteit_client_set_signing_scheme(client, REMOTEIT_SCHEME_CAVAGE), REMOTEIT_OK);
  CHECK_RC(login(client), REMOTEIT_OK);
  REQUIRE(get_stats(&after));
  CHECK_MSG(after.verified - before.verified == 5 && after.rejected == before.rejected,
            "verified +%ld, rejected +%ld", after.verified - before.verified,
            after.rejected - before.rejected);
  remoteit_client_free(client);
}

/* The client keeps its own reference to the credentials. */
static void test_credentials_freed_after_client_new(void) {
  remoteit_credentials *creds = load_credentials(g_credentials_path);
  REQUIRE(creds);
  remoteit_client *client = NULL;
  remoteit_result rc = remoteit_client_new(creds, g_http_url, &client);
  remoteit_credentials_free(creds);
  CHECK_RC(rc, REMOTEIT_OK);
  REQUIRE(client);
  /* Churn the allocator so that freed memory is reused if it were still referenced. */
  for (int i = 0; i < 8; i++) {
    remoteit_credentials *other = load_credentials(g_wrong_credentials_path);
    remoteit_credentials_free(other);
  }
  CHECK_RC(login(client), REMOTEIT_OK);
  remoteit_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* Keep-alive and threads */

/* 20 sequential calls with one client use one TCP connection.
 *
 * The double counts every accepted TCP connection, its control requests included, and counts
 * it when it is accepted (before the request on it is answered). So after POST reset (which
 * zeroes the counters after its own connection was counted), the GET stats that follows the
 * calls sees: the client's connections + 1 (its own). Its "requests" counter only counts API
 * requests, so it must be exactly 20. */
static void test_keep_alive_one_connection(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  REQUIRE(http_request(g_http_port, "POST", "/_control/reset", NULL, NULL, 0) == 200);
  int failures = 0;
  for (int i = 0; i < 20; i++) {
    if (login(client) != REMOTEIT_OK) {
      failures++;
    }
  }
  CHECK_MSG(failures == 0, "%d of 20 calls failed", failures);
  struct stats s;
  REQUIRE(get_stats(&s));
  const long control_connections = 1; /* the GET /_control/stats just made */
  CHECK_MSG(s.requests == 20, "%ld API requests", s.requests);
  CHECK_MSG(s.connections - control_connections == 1, "the 20 calls used %ld TCP connections",
            s.connections - control_connections);
  remoteit_client_free(client);
}

#define THREADS 8
#define CALLS_PER_THREAD 100

static atomic_int g_thread_failures;
static atomic_int g_thread_successes;

static void *thread_calls(void *arg) {
  const remoteit_client *client = arg;
  for (int i = 0; i < CALLS_PER_THREAD; i++) {
    remoteit_result rc = login(client);
    if (rc == REMOTEIT_OK) {
      atomic_fetch_add(&g_thread_successes, 1);
    } else {
      if (atomic_fetch_add(&g_thread_failures, 1) < 5) {
        fprintf(stderr, "  thread call failed: %s: %s\n", remoteit_result_name(rc), last_error());
      }
    }
  }
  return NULL;
}

static void test_threads_share_one_client(void) {
  remoteit_client *client = new_client(g_http_url, 30000);
  REQUIRE(client);
  struct stats before, after;
  REQUIRE(get_stats(&before));
  atomic_store(&g_thread_failures, 0);
  atomic_store(&g_thread_successes, 0);
  pthread_t threads[THREADS];
  int started = 0;
  for (int i = 0; i < THREADS; i++) {
    if (pthread_create(&threads[i], NULL, thread_calls, client) != 0) {
      break;
    }
    started++;
  }
  for (int i = 0; i < started; i++) {
    pthread_join(threads[i], NULL);
  }
  CHECK(started == THREADS);
  CHECK_MSG(atomic_load(&g_thread_failures) == 0, "%d calls failed", atomic_load(&g_thread_failures));
  CHECK(atomic_load(&g_thread_successes) == THREADS * CALLS_PER_THREAD);
  REQUIRE(get_stats(&after));
  CHECK_MSG(after.verified - before.verified == THREADS * CALLS_PER_THREAD, "verified +%ld",
            after.verified - before.verified);
  /* Kept-alive connections are shared: far fewer than one per call (the pool keeps 16). */
  CHECK_MSG(after.connections - before.connections - 1 <= 2 * THREADS, "%ld TCP connections",
            after.connections - before.connections - 1);
  remoteit_client_free(client);
}

/* The last error is per thread: a failure on another thread does not replace this one's. */
static void *thread_fails(void *arg) {
  const remoteit_client *client = arg;
  char *data = NULL;
  remoteit_graphql(client, "", NULL, &data); /* INVALID_ARGUMENT, no request */
  return NULL;
}

static void test_last_error_is_per_thread(void) {
  remoteit_client *client = new_client(g_http_url, 10000);
  REQUIRE(client);
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect(client, "80:00:00:00:01:00:00:98", &conn), REMOTEIT_ERR_GRAPHQL);
  pthread_t thread;
  REQUIRE(pthread_create(&thread, NULL, thread_fails, client) == 0);
  pthread_join(thread, NULL);
  CHECK_MSG(contains(last_error(), "80:00:00:00:01:00:00:98"), "last error: %s", last_error());
  remoteit_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* NULL handles */

static void test_connection_accessors_with_null(void) {
  CHECK(remoteit_connection_id(NULL) == NULL);
  CHECK(remoteit_connection_host(NULL) == NULL);
  CHECK(remoteit_connection_url(NULL) == NULL);
  CHECK(remoteit_connection_port(NULL) == -1);
  CHECK(remoteit_connection_reverse_proxy(NULL) == 0);
  CHECK(remoteit_connection_timeout(NULL) == -1);
}

static void test_free_null_is_a_no_op(void) {
  remoteit_client_free(NULL);
  remoteit_connection_free(NULL);
  remoteit_credentials_free(NULL);
  remoteit_string_free(NULL);
  CHECK(1); /* reaching this line is the fact */
}

/* ---------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------- */
/* Typed listing, service_find and the REST API (the HTTP double's fixtures, see its docstring) */

/* POSTs (or DELETEs) `json` to the HTTP double's control endpoint `path`; true on 200. */
static int control(const char *method, const char *path, const char *json) {
  char body[1024] = "";
  int status = http_request(g_http_port, method, path, json, body, sizeof body);
  if (status != 200) {
    fprintf(stderr, "  %s %s %s refused: %d %s\n", method, path, json ? json : "", status, body);
  }
  return status == 200;
}

static void test_devices_list_follows_every_page(void) {
  REQUIRE(control("POST", "/_control/fixture", "{\"devices\": 2500}"));
  remoteit_client *client = new_client(g_http_url, 0);
  remoteit_device_list *list = NULL;
  if (client) {
    CHECK_RC(remoteit_devices_list(client, NULL, NULL, &list), REMOTEIT_OK);
  }
  CHECK(remoteit_device_list_count(list) == 2500);
  const remoteit_device *first = remoteit_device_list_get(list, 0);
  const remoteit_device *last = remoteit_device_list_get(list, 2499);
  CHECK(contains(remoteit_device_id(first), "80:00:00:00:02:00:00:01"));
  CHECK(contains(remoteit_device_name(first), "d000001-garage-pi"));
  CHECK(contains(remoteit_device_state(first), "active"));
  CHECK(remoteit_device_online(first) == 1);
  CHECK(contains(remoteit_device_name(last), "d002500-warehouse-router"));
  CHECK(contains(remoteit_device_state(last), "inactive"));
  CHECK(remoteit_device_online(last) == 0);
  CHECK(remoteit_device_service_count(last) == 1);
  const remoteit_service *ssh = remoteit_device_service_get(last, 0);
  CHECK(contains(remoteit_service_name(ssh), "SSH"));
  CHECK(remoteit_service_port(ssh) == 22);
  CHECK(remoteit_service_application(ssh) == 28);
  remoteit_device_list_free(list);
  remoteit_client_free(client);
  CHECK(control("POST", "/_control/fixture", "{\"devices\": null}"));
}

static void test_devices_list_name_filter_and_organisation(void) {
  remoteit_client *client = new_client(g_http_url, 0);
  REQUIRE(client);
  remoteit_device_list *list = NULL;
  CHECK_RC(remoteit_devices_list(client, "LAB-PI", NULL, &list), REMOTEIT_OK);
  CHECK(remoteit_device_list_count(list) == 1);
  CHECK(contains(remoteit_device_name(remoteit_device_list_get(list, 0)), "lab-pi"));
  remoteit_device_list_free(list);
  list = NULL;
  CHECK_RC(remoteit_devices_list(client, NULL, "0a9e0000-0000-4000-8000-000000000042", &list),
           REMOTEIT_OK);
  CHECK(remoteit_device_list_count(list) == 3);
  CHECK(contains(remoteit_device_name(remoteit_device_list_get(list, 0)), "org-d000001-garage-pi"));
  remoteit_device_list_free(list);
  list = (remoteit_device_list *)(uintptr_t)0x5eed;
  CHECK_RC(remoteit_devices_list(client, NULL, "ffffffff-0000-4000-8000-000000000000", &list),
           REMOTEIT_ERR_GRAPHQL);
  CHECK(list == (remoteit_device_list *)(uintptr_t)0x5eed);
  remoteit_client_free(client);
}

static void test_devices_list_bad_arguments(void) {
  remoteit_client *client = new_client(g_http_url, 0);
  REQUIRE(client);
  remoteit_device_list *list = (remoteit_device_list *)(uintptr_t)0x5eed;
  CHECK_RC(remoteit_devices_list(NULL, NULL, NULL, &list), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_devices_list(client, NULL, NULL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_devices_list(client, "\xff", NULL, &list), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_devices_list(client, NULL, "\xc3", &list), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK(list == (remoteit_device_list *)(uintptr_t)0x5eed);
  remoteit_client_free(client);
}

static void test_devices_paging_contradiction_is_protocol(void) {
  REQUIRE(control("POST", "/_control/fixture", "{\"devices\": 1500}"));
  REQUIRE(control("POST", "/_control/paging", "{\"mode\": \"repeat_page\"}"));
  remoteit_client *client = new_client(g_http_url, 0);
  remoteit_device_list *list = NULL;
  if (client) {
    CHECK_RC(remoteit_devices_list(client, NULL, NULL, &list), REMOTEIT_ERR_PROTOCOL);
    CHECK(contains(last_error(), "repeated page"));
  }
  CHECK(list == NULL);
  remoteit_client_free(client);
  CHECK(control("DELETE", "/_control/paging", NULL));
  CHECK(control("POST", "/_control/fixture", "{\"devices\": null}"));
}

static void test_device_accessors_with_null_and_out_of_range(void) {
  remoteit_client *client = new_client(g_http_url, 0);
  REQUIRE(client);
  remoteit_device_list *list = NULL;
  CHECK_RC(remoteit_devices_list(client, NULL, NULL, &list), REMOTEIT_OK);
  size_t count = remoteit_device_list_count(list);
  CHECK(count == 3);
  CHECK(remoteit_device_list_get(list, count) == NULL);
  CHECK(remoteit_device_list_get(list, SIZE_MAX) == NULL);
  const remoteit_device *device = remoteit_device_list_get(list, 0);
  CHECK(remoteit_device_service_get(device, 2) == NULL);
  CHECK(remoteit_device_service_get(device, SIZE_MAX) == NULL);
  CHECK(remoteit_device_list_count(NULL) == 0);
  CHECK(remoteit_device_list_get(NULL, 0) == NULL);
  CHECK(remoteit_device_id(NULL) == NULL);
  CHECK(remoteit_device_name(NULL) == NULL);
  CHECK(remoteit_device_state(NULL) == NULL);
  CHECK(remoteit_device_online(NULL) == -1);
  CHECK(remoteit_device_service_count(NULL) == 0);
  CHECK(remoteit_device_service_get(NULL, 0) == NULL);
  CHECK(remoteit_service_id(NULL) == NULL);
  CHECK(remoteit_service_name(NULL) == NULL);
  CHECK(remoteit_service_application(NULL) == -1);
  CHECK(remoteit_service_port(NULL) == -1);
  remoteit_device_list_free(NULL);
  remoteit_device_list_free(list);
  remoteit_client_free(client);
}

static void test_service_find_exact_then_case_insensitive(void) {
  remoteit_client *client = new_client(g_http_url, 0);
  REQUIRE(client);
  remoteit_device_list *list = NULL;
  CHECK_RC(remoteit_devices_list(client, NULL, NULL, &list), REMOTEIT_OK);
  const remoteit_service *service = NULL;
  CHECK_RC(remoteit_service_find(list, "LAB-PI", "vnc", &service), REMOTEIT_OK);
  CHECK(contains(remoteit_service_id(service), "80:00:00:00:01:00:00:22"));
  CHECK(remoteit_service_port(service) == 5900);
  CHECK(remoteit_service_application(service) == 4);
  remoteit_connection *conn = NULL;
  CHECK_RC(remoteit_connect(client, remoteit_service_id(service), &conn), REMOTEIT_OK);
  CHECK(remoteit_connection_port(conn) > 0);
  remoteit_connection_free(conn);

  const remoteit_service *untouched = (const remoteit_service *)(uintptr_t)0x5eed;
  service = untouched;
  CHECK_RC(remoteit_service_find(list, "garage-pi", "SSH", &service), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK(contains(last_error(), "\"garage-pi\"") && contains(last_error(), "\"office-gateway\""));
  CHECK_RC(remoteit_service_find(list, "lab-pi", "Web", &service), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK(contains(last_error(), "\"SSH\", \"VNC\""));
  CHECK_RC(remoteit_service_find(NULL, "lab-pi", "SSH", &service), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_service_find(list, NULL, "SSH", &service), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_service_find(list, "lab-pi", NULL, &service), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_service_find(list, "lab-pi", "SSH", NULL), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_service_find(list, "\xff", "SSH", &service), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK(service == untouched);
  remoteit_device_list_free(list);
  remoteit_client_free(client);
}

/* A client of the HTTP double with the test key and the developer key `developer_key`. */
static remoteit_client *rest_client(const char *developer_key) {
  remoteit_credentials *creds = NULL;
  remoteit_client *client = NULL;
  if (remoteit_credentials_new("TESTKEYID0000000001", "dGVzdC1zZWNyZXQta2V5LWZvci1saWJyZW1vdGVpdCE=",
                               developer_key, &creds) != REMOTEIT_OK ||
      remoteit_client_new(creds, g_http_url, &client) != REMOTEIT_OK) {
    fprintf(stderr, "  rest_client: %s\n", last_error());
  }
  remoteit_credentials_free(creds);
  return client;
}

static void test_rest_with_the_developer_key(void) {
  remoteit_client *client = new_client(g_http_url, 0);
  REQUIRE(client);
  char *reply = NULL;
  CHECK_RC(remoteit_rest(client, "GET", "/user/info", NULL, &reply), REMOTEIT_OK);
  CHECK(contains(reply, "\"demo@example.com\""));
  remoteit_string_free(reply);
  reply = SENTINEL_STRING;
  CHECK_RC(remoteit_rest(client, "GET", "/no/such/path", NULL, &reply), REMOTEIT_ERR_API);
  CHECK(contains(last_error(), "code NOT_FOUND"));
  CHECK_RC(remoteit_rest(NULL, "GET", "/user/info", NULL, &reply), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_rest(client, NULL, "/user/info", NULL, &reply), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_rest(client, "GET", NULL, NULL, &reply), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_rest(client, "GET", "/user/info", NULL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
  CHECK_RC(remoteit_rest(client, "GET", "user/info", NULL, &reply), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_rest(client, "POST", "/user/info", "{x", &reply), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK_RC(remoteit_rest(client, "GET", "/user/\xff", NULL, &reply), REMOTEIT_ERR_INVALID_ARGUMENT);
  CHECK(reply == SENTINEL_STRING);
  remoteit_client_free(client);
}

static void test_rest_wrong_developer_key_is_api(void) {
  remoteit_client *client = rest_client("WRONG-DEVELOPER-KEY");
  REQUIRE(client);
  char *reply = SENTINEL_STRING;
  CHECK_RC(remoteit_rest(client, "GET", "/user/info", NULL, &reply), REMOTEIT_ERR_API);
  CHECK(contains(last_error(), "code INVALID_DEVELOPER_KEY"));
  CHECK(!contains(last_error(), "WRONG-DEVELOPER-KEY"));
  CHECK(reply == SENTINEL_STRING);
  CHECK(strcmp(remoteit_result_name(REMOTEIT_ERR_API), "REMOTEIT_ERR_API") == 0);
  remoteit_client_free(client);
}

static void test_rest_without_developer_key_sends_nothing(void) {
  remoteit_client *client = rest_client(NULL);
  REQUIRE(client);
  struct stats before, after;
  REQUIRE(get_stats(&before));
  char *reply = SENTINEL_STRING;
  CHECK_RC(remoteit_rest(client, "GET", "/user/info", NULL, &reply),
           REMOTEIT_ERR_CREDENTIALS_INCOMPLETE);
  CHECK(contains(last_error(), "R3_DEVELOPER_API_KEY"));
  CHECK(reply == SENTINEL_STRING);
  REQUIRE(get_stats(&after));
  CHECK(after.requests == before.requests);
  remoteit_client_free(client);
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s HTTP_URL HTTPS_URL CA_PEM OTHER_CA_PEM DATA_DIR\n", argv[0]);
    return 2;
  }
  g_http_url = argv[1];
  g_https_url = argv[2];
  g_ca_pem = argv[3];
  g_other_ca_pem = argv[4];
  g_data_dir = argv[5];
  snprintf(g_credentials_path, sizeof g_credentials_path, "%s/credentials", g_data_dir);
  snprintf(g_wrong_credentials_path, sizeof g_wrong_credentials_path, "%s/wrong-credentials", g_data_dir);
  g_http_port = url_port(g_http_url);
  if (g_http_port == 0) {
    fprintf(stderr, "HTTP_URL must look like http://127.0.0.1:PORT/graphql/v1, not %s\n", g_http_url);
    return 2;
  }
  if (strncmp(g_https_url, "https://", 8) != 0) {
    fprintf(stderr, "HTTPS_URL must be an https:// URL, not %s\n", g_https_url);
    return 2;
  }
  struct stats s;
  if (!get_stats(&s)) {
    fprintf(stderr, "cannot read the stats of the HTTP double at 127.0.0.1:%u\n", (unsigned)g_http_port);
    return 2;
  }
  fprintf(stderr, "libremoteit %s; HTTP double %s; HTTPS double %s\n", remoteit_version(), g_http_url,
          g_https_url);

  RUN(test_connect_port_proxy);
  RUN(test_connect_reverse_proxy);
  RUN(test_connect_with_options_port_proxy_on_http_service);
  RUN(test_connect_with_options_null_host_ip);
  RUN(test_connect_with_options_unknown_proxy_type);
  RUN(test_disconnect_twice);
  RUN(test_connect_unknown_service);
  RUN(test_connect_null_arguments);

  RUN(test_graphql_with_variables);
  RUN(test_graphql_invalid_arguments);
  RUN(test_graphql_server_error_is_graphql);

  RUN(test_fault_500);
  RUN(test_fault_503);
  RUN(test_fault_429);
  RUN(test_fault_malformed_json);
  RUN(test_fault_non_json);
  RUN(test_fault_slow_times_out);
  RUN(test_fault_reset);
  RUN(test_reset_on_a_reused_connection_is_resent);
  RUN(test_fault_truncated);
  RUN(test_fault_redirect);
  RUN(test_fault_401_mentions_clock);
  RUN(test_fault_graphql_error);
  RUN(test_faults_queue_up);

  RUN(test_wrong_key_is_unauthorized);
  RUN(test_refused_port_is_network);
  RUN(test_https_with_ca_file_connects);
  RUN(test_https_ca_file_survives_set_timeout);
  RUN(test_https_without_ca_is_tls);
  RUN(test_https_with_other_ca_is_tls);
  RUN(test_set_ca_file_bad_files);

  RUN(test_client_new_refuses_plain_http_to_other_hosts);
  RUN(test_client_new_refuses_malformed_urls);
  RUN(test_client_new_null_arguments);
  RUN(test_client_new_default_url);
  RUN(test_set_timeout);
  RUN(test_signing_scheme);
  RUN(test_credentials_freed_after_client_new);

  RUN(test_keep_alive_one_connection);
  RUN(test_threads_share_one_client);
  RUN(test_last_error_is_per_thread);

  RUN(test_connection_accessors_with_null);
  RUN(test_free_null_is_a_no_op);

  RUN(test_devices_list_follows_every_page);
  RUN(test_devices_list_name_filter_and_organisation);
  RUN(test_devices_list_bad_arguments);
  RUN(test_devices_paging_contradiction_is_protocol);
  RUN(test_device_accessors_with_null_and_out_of_range);
  RUN(test_service_find_exact_then_case_insensitive);
  RUN(test_rest_with_the_developer_key);
  RUN(test_rest_wrong_developer_key_is_api);
  RUN(test_rest_without_developer_key_sends_nothing);

  printf("%d passed, %d failed\n", g_passed, g_failed);
  fflush(stdout);
  return g_failed == 0 ? 0 : 1;
}
