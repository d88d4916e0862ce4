/*
 * test_abuse.c: every function of include/remoteit.h called the way a careless or hostile
 * caller would: NULL for each pointer, invalid UTF-8, empty and 1 MB strings, exact-size and
 * one-short buffers, huge lengths and numbers, out-of-range enums and indices, special files.
 * Each call must return its documented code and, when it fails, leave a non-empty message of
 * bounded length. Run it under AddressSanitizer + UndefinedBehaviorSanitizer (scripts/test.sh
 * does), so that a read past a NUL or a buffer is an error too.
 *
 * Network functions use a client of http://127.0.0.1:9/ (nothing listens there: refused at
 * once) with a short timeout. scripts/test.sh checks that this file calls every function the
 * header declares.
 *
 *   gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -D_POSIX_C_SOURCE=200809L -Iinclude \
 *       -g -fsanitize=address,undefined tests/c/test_abuse.c -Ltarget/release -lremoteit -o build/test_abuse
 *   LD_LIBRARY_PATH=target/release build/test_abuse
 *
 * Prints every failed check with its line, then "N passed, M failed"; exits non-zero on a failure.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "remoteit.h"

#define TRANSCRIPT_SUITE "c-abuse"
#include "transcript.h"

static int g_passed, g_failed;

/* The longest message a failing call may leave: messages quote input only escaped and cut. */
#define MAX_MESSAGE 4096
#define MB (1024 * 1024)

static void report(int ok, int line, const char *expr, const char *detail)
{
    if (ok) {
        g_passed++;
        return;
    }
    g_failed++;
    fprintf(stderr, "test_abuse.c:%d: FAILED: %s%s%s\n", line, expr, detail[0] ? ": " : "", detail);
}

#define CHECK(expr) report(!!(expr), __LINE__, #expr, "")

/* The result must be `want`; a failure must leave a non-empty message under MAX_MESSAGE. */
#define EXPECT(call, want) expect_((call), (want), #call, __LINE__)
static void expect_(remoteit_result rc, remoteit_result want, const char *expr, int line)
{
    char detail[512] = "";
    static char msg[MAX_MESSAGE + 2];
    size_t len = 0;
    remoteit_result mrc = remoteit_last_error_message(msg, sizeof msg, &len);
    if (rc != REMOTEIT_OK && mrc == REMOTEIT_OK)
        transcript("error", msg);
    if (rc != want) {
        snprintf(detail, sizeof detail, "returned %s, expected %s (message: %.200s)",
                 remoteit_result_name(rc), remoteit_result_name(want), mrc == REMOTEIT_OK ? msg : "?");
        report(0, line, expr, detail);
        return;
    }
    if (want != REMOTEIT_OK) {
        int ok = mrc == REMOTEIT_OK && len > 0 && len <= MAX_MESSAGE;
        snprintf(detail, sizeof detail, "the message is missing or %zu bytes long", len);
        report(ok, line, expr, ok ? "" : detail);
        return;
    }
    report(1, line, expr, "");
}

/* ------------------------------------------------------------------------------------------ */

#define SECRET "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE="
#define URL "https://api.remote.it/graphql/v1"
#define OFFLINE_URL "http://127.0.0.1:9/graphql/v1"
static const char BAD_UTF8[] = "ab\xff\xfe";
static char *g_big;        /* 1 MB of 'a' */
static char *g_big_url;    /* "https://h/" and 1 MB of 'a' */
static char *g_big_bad;    /* 1 MB of 'a' and a quote: not a token, not base64 */
static char g_dir[64];
static char g_path[256];

static const char *tmp_file(const char *name, const char *content, mode_t mode)
{
    snprintf(g_path, sizeof g_path, "%s/%s", g_dir, name);
    FILE *f = fopen(g_path, "wb");
    if (f == NULL || fputs(content, f) < 0 || fclose(f) != 0 || chmod(g_path, mode) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", g_path, strerror(errno));
        exit(2);
    }
    return g_path;
}

static char *repeat(char c, size_t n, const char *prefix, const char *suffix)
{
    size_t p = strlen(prefix), s = strlen(suffix);
    char *text = malloc(p + n + s + 1);
    if (text == NULL)
        exit(2);
    memcpy(text, prefix, p);
    memset(text + p, c, n);
    memcpy(text + p + n, suffix, s + 1);
    return text;
}

static remoteit_credentials *new_creds(void)
{
    remoteit_credentials *creds = NULL;
    if (remoteit_credentials_new("ID", SECRET, "DEV", &creds) != REMOTEIT_OK)
        exit(2);
    return creds;
}

/* ------------------------------------------------------------------------------------------ */
/* Library                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void library_functions(void)
{
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", REMOTEIT_VERSION_MAJOR, REMOTEIT_VERSION_MINOR,
             REMOTEIT_VERSION_PATCH);
    CHECK(remoteit_version() != NULL && strcmp(remoteit_version(), expected) == 0);
    CHECK(strcmp(remoteit_result_name(REMOTEIT_OK), "REMOTEIT_OK") == 0);
    CHECK(strcmp(remoteit_result_name(5), "REMOTEIT_ERR_UNKNOWN") == 0);
    CHECK(strcmp(remoteit_result_name(UINT32_MAX), "REMOTEIT_ERR_UNKNOWN") == 0);
    remoteit_string_free(NULL);
}

static void last_error_buffers(void)
{
    remoteit_credentials *creds = NULL;
    char buf[64];
    size_t len = 0;
    EXPECT(remoteit_credentials_new(NULL, SECRET, NULL, &creds), REMOTEIT_ERR_NULL_ARGUMENT);
    /* "access_key_id is NULL": 21 bytes. */
    CHECK(remoteit_last_error_message(NULL, 0, &len) == REMOTEIT_ERR_BUFFER_TOO_SMALL && len == 21);
    memset(buf, 'Z', sizeof buf);
    CHECK(remoteit_last_error_message(buf, len, &len) == REMOTEIT_ERR_BUFFER_TOO_SMALL);
    CHECK(buf[0] == 'Z' && buf[len - 1] == 'Z');
    CHECK(remoteit_last_error_message(buf, len + 1, NULL) == REMOTEIT_OK && strlen(buf) == len);
    CHECK(remoteit_last_error_message(NULL, SIZE_MAX, &len) == REMOTEIT_ERR_NULL_ARGUMENT);
    CHECK(remoteit_last_error_message(NULL, 0, NULL) == REMOTEIT_ERR_BUFFER_TOO_SMALL);
    /* None of these replaced the message. */
    CHECK(remoteit_last_error_message(buf, sizeof buf, &len) == REMOTEIT_OK &&
          strcmp(buf, "access_key_id is NULL") == 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Credentials                                                                                */
/* ------------------------------------------------------------------------------------------ */

static void credentials_load_abuse(void)
{
    remoteit_credentials *creds = NULL;
    const char *good = tmp_file("good", "[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY=" SECRET "\n", 0600);
    char good_path[256];
    snprintf(good_path, sizeof good_path, "%s", good);

    EXPECT(remoteit_credentials_load(good_path, NULL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_credentials_load(BAD_UTF8, NULL, &creds), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_credentials_load(good_path, BAD_UTF8, &creds), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_credentials_load("", NULL, &creds), REMOTEIT_ERR_CREDENTIALS_NOT_FOUND);
    EXPECT(remoteit_credentials_load(good_path, "", &creds), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_credentials_load(g_big, NULL, &creds), REMOTEIT_ERR_CREDENTIALS_INVALID);
    EXPECT(remoteit_credentials_load(good_path, g_big, &creds), REMOTEIT_ERR_PROFILE_NOT_FOUND);
    EXPECT(remoteit_credentials_load(good_path, "x\n\x1b[2J", &creds), REMOTEIT_ERR_PROFILE_NOT_FOUND);
    EXPECT(remoteit_credentials_load("/dev/zero", NULL, &creds), REMOTEIT_ERR_CREDENTIALS_INVALID);
    EXPECT(remoteit_credentials_load(g_dir, NULL, &creds), REMOTEIT_ERR_CREDENTIALS_INVALID);
    CHECK(creds == NULL);

    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/fifo", g_dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    EXPECT(remoteit_credentials_load(fifo, NULL, &creds), REMOTEIT_ERR_CREDENTIALS_INVALID);
    unlink(fifo);

    char *large = repeat('#', 70 * 1024, "[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY=" SECRET "\n", "\n");
    EXPECT(remoteit_credentials_load(tmp_file("large", large, 0600), NULL, &creds), REMOTEIT_ERR_CREDENTIALS_INVALID);
    free(large);

    /* No path: $HOME (set to an empty folder by main) and no R3_ variables. */
    EXPECT(remoteit_credentials_load(NULL, NULL, &creds), REMOTEIT_ERR_CREDENTIALS_NOT_FOUND);
    CHECK(creds == NULL);
    EXPECT(remoteit_credentials_load(good_path, NULL, &creds), REMOTEIT_OK);
    remoteit_credentials_free(creds);
    remoteit_credentials_free(NULL);
}

static void credentials_new_abuse(void)
{
    remoteit_credentials *creds = NULL;
    EXPECT(remoteit_credentials_new(NULL, SECRET, NULL, &creds), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_credentials_new("ID", NULL, NULL, &creds), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_credentials_new("ID", SECRET, NULL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_credentials_new(BAD_UTF8, SECRET, NULL, &creds), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_credentials_new("ID", BAD_UTF8, NULL, &creds), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_credentials_new("ID", SECRET, BAD_UTF8, &creds), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_credentials_new("", SECRET, NULL, &creds), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_credentials_new("ID", "", NULL, &creds), REMOTEIT_ERR_SECRET_INVALID);
    EXPECT(remoteit_credentials_new("ID", g_big_bad, NULL, &creds), REMOTEIT_ERR_SECRET_INVALID);
    CHECK(creds == NULL);
    /* 1 MB of 'a' is a valid id, a valid base64 secret and a valid developer key. */
    EXPECT(remoteit_credentials_new(g_big, g_big, g_big, &creds), REMOTEIT_OK);
    remoteit_credentials_free(creds);
    creds = NULL;
    EXPECT(remoteit_credentials_new("ID", SECRET, "", &creds), REMOTEIT_OK);
    remoteit_credentials_free(creds);
}

typedef remoteit_result (*string_getter)(const remoteit_credentials *, char *, size_t, size_t *);

/* The buffer convention on one getter whose string is `expected`. */
static void check_getter(string_getter get, const remoteit_credentials *creds, const char *expected, int line)
{
    size_t n = strlen(expected), len = 0;
    char *buf = malloc(n + 1);
    if (buf == NULL)
        exit(2);
    char detail[64];
    snprintf(detail, sizeof detail, "getter checked from line %d", line);
    memset(buf, 'Z', n + 1);
    report(get(creds, NULL, 0, &len) == REMOTEIT_ERR_BUFFER_TOO_SMALL && len == n, __LINE__,
           "size query", detail);
    report(n == 0 || (get(creds, buf, n, &len) == REMOTEIT_ERR_BUFFER_TOO_SMALL && buf[0] == 'Z'), __LINE__,
           "one-short buffer is untouched", detail);
    report(get(creds, buf, n + 1, &len) == REMOTEIT_OK && strcmp(buf, expected) == 0 && len == n, __LINE__,
           "exact-size buffer", detail);
    report(get(creds, buf, n + 1, NULL) == REMOTEIT_OK, __LINE__, "NULL out_len", detail);
    report(get(creds, NULL, SIZE_MAX, &len) == REMOTEIT_ERR_NULL_ARGUMENT, __LINE__, "NULL buf, huge length", detail);
    report(get(NULL, buf, n + 1, &len) == REMOTEIT_ERR_NULL_ARGUMENT, __LINE__, "NULL creds", detail);
    free(buf);
}

static void credentials_getters_abuse(void)
{
    remoteit_credentials *made = new_creds(), *loaded = NULL;
    const char *file = tmp_file("readable", "[DEFAULT]\nR3_ACCESS_KEY_ID=FILEID\nR3_SECRET_ACCESS_KEY=" SECRET "\n", 0644);
    char path[256];
    snprintf(path, sizeof path, "%s", file);
    EXPECT(remoteit_credentials_load(path, NULL, &loaded), REMOTEIT_OK);
    if (loaded == NULL)
        return;
    char warning[1024];
    snprintf(warning, sizeof warning,
             "credentials file %s is readable by its group and others (mode 0644): chmod 600 %s", path, path);

    check_getter(remoteit_credentials_access_key_id, made, "ID", __LINE__);
    check_getter(remoteit_credentials_developer_key, made, "DEV", __LINE__);
    check_getter(remoteit_credentials_warning, made, "", __LINE__);
    check_getter(remoteit_credentials_access_key_id, loaded, "FILEID", __LINE__);
    check_getter(remoteit_credentials_developer_key, loaded, "", __LINE__);
    check_getter(remoteit_credentials_warning, loaded, warning, __LINE__);
    remoteit_credentials_free(made);
    remoteit_credentials_free(loaded);
}

/* ------------------------------------------------------------------------------------------ */
/* Signing                                                                                    */
/* ------------------------------------------------------------------------------------------ */

typedef remoteit_result (*signer)(const remoteit_credentials *, const char *, const char *, const char *,
                                  const uint8_t *, size_t, int64_t, remoteit_headers **);

static remoteit_result sign_scheme_2(const remoteit_credentials *c, const char *m, const char *u,
                                     const char *ct, const uint8_t *b, size_t n, int64_t t,
                                     remoteit_headers **out)
{
    return remoteit_sign(c, REMOTEIT_SCHEME_RFC9421 + 1, m, u, ct, b, n, t, out);
}

static remoteit_result sign_scheme_max(const remoteit_credentials *c, const char *m, const char *u,
                                       const char *ct, const uint8_t *b, size_t n, int64_t t,
                                       remoteit_headers **out)
{
    return remoteit_sign(c, UINT32_MAX, m, u, ct, b, n, t, out);
}

static remoteit_result sign_scheme_0(const remoteit_credentials *c, const char *m, const char *u,
                                     const char *ct, const uint8_t *b, size_t n, int64_t t,
                                     remoteit_headers **out)
{
    return remoteit_sign(c, REMOTEIT_SCHEME_CAVAGE, m, u, ct, b, n, t, out);
}

/* Frees *out when a call succeeded. */
static void drop(remoteit_headers **out)
{
    remoteit_headers_free(*out);
    *out = NULL;
}

static void signer_abuse(signer sign)
{
    remoteit_credentials *creds = new_creds();
    remoteit_headers *out = NULL;
    const uint8_t body[] = "body";
    EXPECT(sign(NULL, "POST", URL, NULL, body, 4, 0, &out), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(sign(creds, NULL, URL, NULL, body, 4, 0, &out), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(sign(creds, "POST", NULL, NULL, body, 4, 0, &out), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(sign(creds, "POST", URL, NULL, body, 4, 0, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(sign(creds, "POST", URL, NULL, NULL, 4, 0, &out), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(sign(creds, "POST", URL, NULL, NULL, SIZE_MAX, 0, &out), REMOTEIT_ERR_NULL_ARGUMENT);
    /* A length no object can have is refused before anything is read. */
    EXPECT(sign(creds, "POST", URL, NULL, body, SIZE_MAX, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, BAD_UTF8, URL, NULL, body, 4, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, "POST", BAD_UTF8, NULL, body, 4, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, "POST", URL, BAD_UTF8, body, 4, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, "", URL, NULL, body, 4, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, "POST", "", NULL, body, 4, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, "POST", g_big_url, NULL, body, 4, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, g_big_bad, URL, NULL, body, 4, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, "POST", URL, "a\r\nX-Injected: 1", body, 4, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign(creds, "POST", URL, NULL, body, 4, INT64_MAX, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    CHECK(out == NULL);
    EXPECT(sign(creds, "POST", URL, "", NULL, 0, INT64_MIN, &out), REMOTEIT_OK);
    drop(&out);
    EXPECT(sign(creds, g_big, URL, g_big, (const uint8_t *)g_big, MB, 0, &out), REMOTEIT_OK);
    drop(&out);
    remoteit_credentials_free(creds);
}

static void invalid_scheme_abuse(void)
{
    remoteit_credentials *creds = new_creds();
    remoteit_headers *out = NULL;
    EXPECT(sign_scheme_2(creds, "POST", URL, NULL, NULL, 0, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(sign_scheme_max(creds, "POST", URL, NULL, NULL, 0, 0, &out), REMOTEIT_ERR_INVALID_ARGUMENT);
    CHECK(out == NULL);
    remoteit_credentials_free(creds);
}

static void headers_abuse(void)
{
    remoteit_credentials *creds = new_creds();
    remoteit_headers *headers = NULL;
    const char *name = NULL, *value = NULL;
    EXPECT(remoteit_sign_request(creds, "POST", URL, NULL, NULL, 0, 0, &headers), REMOTEIT_OK);
    size_t count = remoteit_headers_count(headers);
    CHECK(count == 2);
    CHECK(remoteit_headers_count(NULL) == 0);
    EXPECT(remoteit_headers_get(NULL, 0, &name, &value), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_headers_get(headers, 0, NULL, &value), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_headers_get(headers, 0, &name, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_headers_get(headers, count, &name, &value), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_headers_get(headers, SIZE_MAX, &name, &value), REMOTEIT_ERR_INVALID_ARGUMENT);
    CHECK(name == NULL && value == NULL);
    EXPECT(remoteit_headers_get(headers, count - 1, &name, &value), REMOTEIT_OK);
    CHECK(name != NULL && strcmp(name, "Authorization") == 0);
    char text[1024];
    size_t len = 0;
    EXPECT(remoteit_headers_text(NULL, text, sizeof text, &len), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_headers_text(headers, NULL, 0, &len), REMOTEIT_ERR_BUFFER_TOO_SMALL);
    CHECK(len > 0 && len < sizeof text);
    memset(text, 'Z', sizeof text);
    EXPECT(remoteit_headers_text(headers, text, len, &len), REMOTEIT_ERR_BUFFER_TOO_SMALL);
    CHECK(text[0] == 'Z');
    EXPECT(remoteit_headers_text(headers, NULL, SIZE_MAX, &len), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_headers_text(headers, text, len + 1, NULL), REMOTEIT_OK);
    CHECK(strlen(text) == len && strncmp(text, "Date: ", 6) == 0);
    remoteit_headers_free(headers);
    remoteit_headers_free(NULL);
    remoteit_credentials_free(creds);
}

static void signing_string_abuse(void)
{
    char buf[512];
    size_t len = 0;
    EXPECT(remoteit_signing_string(NULL, URL, NULL, 0, 0, buf, sizeof buf, &len), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_signing_string("POST", NULL, NULL, 0, 0, buf, sizeof buf, &len), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_signing_string(BAD_UTF8, URL, NULL, 0, 0, buf, sizeof buf, &len), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_signing_string("POST", BAD_UTF8, NULL, 0, 0, buf, sizeof buf, &len), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_signing_string("POST", URL, BAD_UTF8, 0, 0, buf, sizeof buf, &len), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_signing_string("POST", g_big_url, NULL, 0, 0, buf, sizeof buf, &len), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_signing_string("POST", URL, NULL, 0, INT64_MAX, buf, sizeof buf, &len), REMOTEIT_ERR_INVALID_ARGUMENT);
    /* content_length SIZE_MAX is just a number in the string. */
    EXPECT(remoteit_signing_string("POST", URL, NULL, SIZE_MAX, 0, NULL, 0, &len), REMOTEIT_ERR_BUFFER_TOO_SMALL);
    CHECK(len > 0 && len < sizeof buf);
    size_t n = len;
    memset(buf, 'Z', sizeof buf);
    EXPECT(remoteit_signing_string("POST", URL, NULL, SIZE_MAX, 0, buf, n, &len), REMOTEIT_ERR_BUFFER_TOO_SMALL);
    CHECK(buf[0] == 'Z');
    EXPECT(remoteit_signing_string("POST", URL, NULL, SIZE_MAX, 0, buf, n + 1, &len), REMOTEIT_OK);
    CHECK(strlen(buf) == n && strstr(buf, "content-length: 18446744073709551615") != NULL);
    EXPECT(remoteit_signing_string("POST", URL, NULL, 0, 0, NULL, SIZE_MAX, &len), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_signing_string("POST", URL, NULL, 0, 0, buf, sizeof buf, NULL), REMOTEIT_OK);
}

/* ------------------------------------------------------------------------------------------ */
/* Client                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void client_new_abuse(void)
{
    remoteit_credentials *creds = new_creds();
    remoteit_client *client = NULL;
    EXPECT(remoteit_client_new(NULL, OFFLINE_URL, &client), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_new(creds, OFFLINE_URL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_new(creds, BAD_UTF8, &client), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_new(creds, "", &client), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_new(creds, g_big_url, &client), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_new(creds, "http://api.remote.it/graphql/v1", &client), REMOTEIT_ERR_INVALID_ARGUMENT);
    CHECK(client == NULL);
    EXPECT(remoteit_client_new(creds, NULL, &client), REMOTEIT_OK);
    remoteit_client_free(client);
    remoteit_client_free(NULL);
    remoteit_credentials_free(creds);
}

static void client_setters_abuse(void)
{
    remoteit_credentials *creds = new_creds();
    remoteit_client *client = NULL;
    EXPECT(remoteit_client_new(creds, OFFLINE_URL, &client), REMOTEIT_OK);
    if (client == NULL)
        return;
    EXPECT(remoteit_client_set_timeout_ms(NULL, 100), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_set_timeout_ms(client, 0), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_timeout_ms(client, UINT32_MAX), REMOTEIT_OK);
    EXPECT(remoteit_client_set_signing_scheme(NULL, 0), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_set_signing_scheme(client, 2), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_signing_scheme(client, UINT32_MAX), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_signing_scheme(client, REMOTEIT_SCHEME_RFC9421), REMOTEIT_OK);
    EXPECT(remoteit_client_set_ca_file(NULL, "/etc/hostname"), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_set_ca_file(client, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_set_ca_file(client, BAD_UTF8), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_ca_file(client, ""), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_ca_file(client, g_big), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_ca_file(client, g_dir), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_ca_file(client, tmp_file("not-pem", "no certificate here\n", 0600)),
           REMOTEIT_ERR_INVALID_ARGUMENT);
    /* Special files: refused at once, never read until memory runs out or blocked on. */
    EXPECT(remoteit_client_set_ca_file(client, "/dev/zero"), REMOTEIT_ERR_INVALID_ARGUMENT);
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/ca-fifo", g_dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    EXPECT(remoteit_client_set_ca_file(client, fifo), REMOTEIT_ERR_INVALID_ARGUMENT);
    unlink(fifo);
    remoteit_client_free(client);
    remoteit_credentials_free(creds);
}

static remoteit_client *offline_client(void)
{
    remoteit_credentials *creds = new_creds();
    remoteit_client *client = NULL;
    if (remoteit_client_new(creds, OFFLINE_URL, &client) != REMOTEIT_OK ||
        remoteit_client_set_timeout_ms(client, 2000) != REMOTEIT_OK)
        exit(2);
    remoteit_credentials_free(creds);
    return client;
}

static void graphql_abuse(void)
{
    remoteit_client *client = offline_client();
    char *data = NULL;
    const char *q = "{ login { email } }";
    EXPECT(remoteit_graphql(NULL, q, NULL, &data), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_graphql(client, NULL, NULL, &data), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_graphql(client, q, NULL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_graphql(client, BAD_UTF8, NULL, &data), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_graphql(client, q, BAD_UTF8, &data), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_graphql(client, "", NULL, &data), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_graphql(client, q, "[1]", &data), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_graphql(client, q, g_big, &data), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_graphql(client, g_big, "null", &data), REMOTEIT_ERR_NETWORK);
    EXPECT(remoteit_graphql(client, q, "{}", &data), REMOTEIT_ERR_NETWORK);
    CHECK(data == NULL);
    remoteit_client_free(client);
}

static void connect_abuse(void)
{
    remoteit_client *client = offline_client();
    remoteit_connection *conn = NULL;
    const char *id = "80:00:00:00:01:00:00:11";
    EXPECT(remoteit_connect(NULL, id, &conn), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_connect(client, NULL, &conn), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_connect(client, id, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_connect(client, BAD_UTF8, &conn), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_connect(client, "", &conn), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_connect(client, g_big, &conn), REMOTEIT_ERR_NETWORK);
    EXPECT(remoteit_connect_with_options(NULL, id, NULL, REMOTEIT_PROXY_AUTO, &conn), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_connect_with_options(client, NULL, NULL, REMOTEIT_PROXY_AUTO, &conn), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_connect_with_options(client, id, NULL, REMOTEIT_PROXY_AUTO, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_connect_with_options(client, id, BAD_UTF8, REMOTEIT_PROXY_AUTO, &conn), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_connect_with_options(client, id, "", REMOTEIT_PROXY_AUTO, &conn), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_connect_with_options(client, id, NULL, REMOTEIT_PROXY_PORT + 1, &conn), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_connect_with_options(client, id, NULL, UINT32_MAX, &conn), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_connect_with_options(client, id, g_big, REMOTEIT_PROXY_REVERSE, &conn), REMOTEIT_ERR_NETWORK);
    CHECK(conn == NULL);
    EXPECT(remoteit_disconnect(NULL, "c"), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_disconnect(client, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_disconnect(client, BAD_UTF8), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_disconnect(client, ""), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_disconnect(client, g_big), REMOTEIT_ERR_NETWORK);
    remoteit_client_free(client);
}

static void count_line(void *userdata, uint32_t level, const char *message)
{
    (void)level;
    transcript("log", message);
    (*(int *)userdata)++;
}

static void client_settings_0_2_abuse(void)
{
    remoteit_client *client = offline_client();
    int64_t offset = 99;
    int lines = 0;
    EXPECT(remoteit_client_set_max_retries(NULL, 1), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_set_max_retries(client, UINT32_MAX), REMOTEIT_OK);
    EXPECT(remoteit_client_set_max_retries(client, 0), REMOTEIT_OK);
    EXPECT(remoteit_client_set_clock_correction(NULL, 1), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_set_clock_correction(client, 2), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_clock_correction(client, UINT32_MAX), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_clock_correction(client, 0), REMOTEIT_OK);
    EXPECT(remoteit_client_clock_offset(NULL, &offset), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_clock_offset(client, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_clock_offset(client, &offset), REMOTEIT_OK);
    CHECK(offset == 0);
    EXPECT(remoteit_client_set_log_callback(NULL, REMOTEIT_LOG_INFO, count_line, &lines), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_set_log_callback(client, 0, count_line, &lines), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_log_callback(client, 5, count_line, &lines), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_log_callback(client, UINT32_MAX, NULL, NULL), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_log_callback(client, REMOTEIT_LOG_DEBUG, count_line, &lines), REMOTEIT_OK);
    EXPECT(remoteit_client_set_user_agent(NULL, "app/1"), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_client_set_user_agent(client, BAD_UTF8), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_user_agent(client, ""), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_user_agent(client, g_big), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_user_agent(client, "a b"), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_client_set_user_agent(client, "app/1.0"), REMOTEIT_OK);
    EXPECT(remoteit_client_set_user_agent(client, NULL), REMOTEIT_OK);
    char *data = NULL;
    EXPECT(remoteit_graphql(client, "{ login { email } }", NULL, &data), REMOTEIT_ERR_NETWORK);
    CHECK(lines > 0);
    EXPECT(remoteit_client_set_log_callback(client, REMOTEIT_LOG_DEBUG, NULL, NULL), REMOTEIT_OK);
    remoteit_client_free(client);
}

static void listing_and_rest_abuse(void)
{
    remoteit_client *client = offline_client();
    remoteit_device_list *list = NULL;
    const remoteit_service *service = NULL;
    char *json = NULL;
    EXPECT(remoteit_client_set_max_retries(client, 0), REMOTEIT_OK);
    EXPECT(remoteit_devices_list(NULL, NULL, NULL, &list), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_devices_list(client, NULL, NULL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_devices_list(client, BAD_UTF8, NULL, &list), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_devices_list(client, NULL, BAD_UTF8, &list), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_devices_list(client, g_big, NULL, &list), REMOTEIT_ERR_NETWORK);
    CHECK(list == NULL);
    CHECK(remoteit_device_list_count(NULL) == 0);
    CHECK(remoteit_device_list_get(NULL, 0) == NULL);
    CHECK(remoteit_device_list_get(NULL, SIZE_MAX) == NULL);
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
    EXPECT(remoteit_service_find(NULL, "d", "s", &service), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_rest(NULL, "GET", "/user/info", NULL, &json), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_rest(client, NULL, "/user/info", NULL, &json), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_rest(client, "GET", NULL, NULL, &json), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_rest(client, "GET", "/user/info", NULL, NULL), REMOTEIT_ERR_NULL_ARGUMENT);
    EXPECT(remoteit_rest(client, BAD_UTF8, "/user/info", NULL, &json), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_rest(client, "GET", BAD_UTF8, NULL, &json), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_rest(client, "GET", "user/info", NULL, &json), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_rest(client, "POST", "/user/info", "{not json", &json), REMOTEIT_ERR_INVALID_ARGUMENT);
    EXPECT(remoteit_rest(client, "GET", "/user/info", NULL, &json), REMOTEIT_ERR_NETWORK);
    CHECK(json == NULL);
    remoteit_client_free(client);
}

static void connection_accessors_of_null(void)
{
    CHECK(remoteit_connection_id(NULL) == NULL);
    CHECK(remoteit_connection_host(NULL) == NULL);
    CHECK(remoteit_connection_url(NULL) == NULL);
    CHECK(remoteit_connection_port(NULL) == -1);
    CHECK(remoteit_connection_reverse_proxy(NULL) == 0);
    CHECK(remoteit_connection_timeout(NULL) == -1);
    remoteit_connection_free(NULL);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/remoteit-abuse-XXXXXX");
    if (mkdtemp(g_dir) == NULL) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        return 2;
    }
    char home[128];
    snprintf(home, sizeof home, "%s/home", g_dir);
    if (setenv("HOME", home, 1) != 0 || unsetenv("R3_ACCESS_KEY_ID") != 0 || unsetenv("R3_SECRET_ACCESS_KEY") != 0)
        return 2;
    g_big = repeat('a', MB, "", "");
    g_big_url = repeat('a', MB, "https://h/", "");
    g_big_bad = repeat('a', MB, "", "\"");

    library_functions();
    last_error_buffers();
    credentials_load_abuse();
    credentials_new_abuse();
    credentials_getters_abuse();
    signer_abuse(remoteit_sign_request);
    signer_abuse(remoteit_sign_request_rfc9421);
    signer_abuse(sign_scheme_0);
    invalid_scheme_abuse();
    headers_abuse();
    signing_string_abuse();
    client_new_abuse();
    client_setters_abuse();
    graphql_abuse();
    connect_abuse();
    client_settings_0_2_abuse();
    listing_and_rest_abuse();
    connection_accessors_of_null();

    free(g_big);
    free(g_big_url);
    free(g_big_bad);
    const char *files[] = {"good", "large", "readable", "not-pem"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(g_path, sizeof g_path, "%s/%s", g_dir, files[i]);
        unlink(g_path);
    }
    rmdir(g_dir);
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
