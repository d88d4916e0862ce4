/* Signing through the C ABI: remoteit_sign + remoteit_headers_free, timed with the thread's
 * CPU clock. Prints one line per round: nanoseconds per signature.
 *
 *   sign_c SCHEME BODY_BYTES ITERATIONS ROUNDS [now|alternate]
 *
 * SCHEME is 0 (draft-cavage) or 1 (RFC 9421); "now" signs with REMOTEIT_NOW instead of a
 * fixed time; "alternate" signs for two URLs in turn (a new request shape every time, so the
 * library's per-thread shape cache never helps). Run under callgrind with ROUNDS 1 and two ITERATIONS to count instructions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "remoteit.h"

#define KEY_ID "EXAMPLEKEYID00000000"
#define SECRET "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE="
#define URL "https://api.remote.it/graphql/v1"

static const char *last_error(void) {
  static char message[512];
  size_t len = 0;
  if (remoteit_last_error_message(message, sizeof message, &len) != REMOTEIT_OK) {
    return "(no message)";
  }
  return message;
}

static double thread_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: sign_c SCHEME BODY_BYTES ITERATIONS ROUNDS [now]\n");
    return 2;
  }
  uint32_t scheme = (uint32_t)strtoul(argv[1], NULL, 10);
  size_t body_len = (size_t)strtoull(argv[2], NULL, 10);
  long iterations = strtol(argv[3], NULL, 10);
  long rounds = strtol(argv[4], NULL, 10);
  int64_t unix_time = (argc > 5 && strcmp(argv[5], "now") == 0) ? REMOTEIT_NOW : 1700000000;
  int alternate = argc > 5 && strcmp(argv[5], "alternate") == 0;
  const char *urls[2] = {URL, URL "?page=2"};

  remoteit_credentials *creds = NULL;
  if (remoteit_credentials_new(KEY_ID, SECRET, NULL, &creds) != REMOTEIT_OK) {
    fprintf(stderr, "sign_c: credentials: %s\n", last_error());
    return 1;
  }
  uint8_t *body = malloc(body_len ? body_len : 1);
  if (body == NULL) {
    return 1;
  }
  for (size_t i = 0; i < body_len; i++) {
    body[i] = (uint8_t)('a' + i % 26);
  }
  for (long round = 0; round < rounds; round++) {
    double started = thread_ns();
    for (long i = 0; i < iterations; i++) {
      remoteit_headers *headers = NULL;
      const char *url = urls[alternate ? (i & 1) : 0];
      if (remoteit_sign(creds, scheme, "POST", url, "application/json", body, body_len, unix_time,
                        &headers) != REMOTEIT_OK) {
        fprintf(stderr, "sign_c: %s\n", last_error());
        return 1;
      }
      remoteit_headers_free(headers);
    }
    printf("%.1f\n", (thread_ns() - started) / (double)iterations);
  }
  free(body);
  remoteit_credentials_free(creds);
  return 0;
}
