/* End to end through the C ABI: THREADS threads sharing one client each run PAIRS
 * connect + disconnect pairs (two signed POSTs) against API_URL. Prints
 * "cpu_us_per_request requests_per_second": client CPU (user + system) of the worker threads
 * from getrusage(RUSAGE_THREAD), over all requests; the rate from wall time.
 *
 *   e2e_c API_URL CREDENTIALS_FILE SERVICE_ID THREADS PAIRS */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "remoteit.h"

struct worker {
  const remoteit_client *client;
  const char *service_id;
  long pairs;
  double cpu_us;
  int failed;
};

static double thread_cpu_us(void) {
  struct rusage usage;
  getrusage(RUSAGE_THREAD, &usage);
  return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
         (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

static void *run(void *arg) {
  struct worker *w = arg;
  double before = thread_cpu_us();
  for (long i = 0; i < w->pairs; i++) {
    remoteit_connection *conn = NULL;
    if (remoteit_connect(w->client, w->service_id, &conn) != REMOTEIT_OK ||
        remoteit_disconnect(w->client, remoteit_connection_id(conn)) != REMOTEIT_OK) {
      char message[512];
      size_t len = 0;
      remoteit_last_error_message(message, sizeof message, &len);
      fprintf(stderr, "e2e_c: %s\n", message);
      remoteit_connection_free(conn);
      w->failed = 1;
      break;
    }
    remoteit_connection_free(conn);
  }
  w->cpu_us = thread_cpu_us() - before;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: e2e_c API_URL CREDENTIALS_FILE SERVICE_ID THREADS PAIRS\n");
    return 2;
  }
  int threads = atoi(argv[4]);
  long pairs = atol(argv[5]);
  if (threads < 1 || threads > 64) {
    return 2;
  }
  remoteit_credentials *creds = NULL;
  remoteit_client *client = NULL;
  if (remoteit_credentials_load(argv[2], NULL, &creds) != REMOTEIT_OK ||
      remoteit_client_new(creds, argv[1], &client) != REMOTEIT_OK) {
    fprintf(stderr, "e2e_c: cannot make the client\n");
    return 1;
  }
  struct worker warm = {client, argv[3], 1, 0, 0};
  run(&warm);
  struct worker workers[64];
  pthread_t ids[64];
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int t = 0; t < threads; t++) {
    workers[t] = (struct worker){client, argv[3], pairs, 0, 0};
    pthread_create(&ids[t], NULL, run, &workers[t]);
  }
  double cpu = 0;
  int failed = warm.failed;
  for (int t = 0; t < threads; t++) {
    pthread_join(ids[t], NULL);
    cpu += workers[t].cpu_us;
    failed |= workers[t].failed;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double wall = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
  double requests = 2.0 * (double)pairs * threads;
  printf("%.1f %.0f\n", cpu / requests, requests / wall);
  remoteit_client_free(client);
  remoteit_credentials_free(creds);
  return failed;
}
