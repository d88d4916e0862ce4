/*
 * Written against tests/contract/api-contract.md alone: every declaration below is copied from the
 * contract. Re-declaring them after the generated header makes the compiler reject any
 * difference in name, argument order or type. Then it connects and disconnects against the
 * API double whose URL is argv[1], with the credentials file argv[2].
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "remoteit.h"

/* Library */
const char *remoteit_version(void);
const char *remoteit_result_name(uint32_t code);
remoteit_result remoteit_last_error_message(char *buf, size_t buf_len, size_t *out_len);
void remoteit_string_free(char *s);

/* Credentials */
remoteit_result remoteit_credentials_load(const char *path, const char *profile,
                                          remoteit_credentials **out);
remoteit_result remoteit_credentials_new(const char *access_key_id,
                                         const char *secret_access_key,
                                         const char *developer_key,
                                         remoteit_credentials **out);
remoteit_result remoteit_credentials_access_key_id(const remoteit_credentials *creds,
                                                   char *buf, size_t buf_len, size_t *out_len);
void remoteit_credentials_free(remoteit_credentials *creds);

/* Signing */
remoteit_result remoteit_sign_request(const remoteit_credentials *creds,
                                      const char *method,
                                      const char *url,
                                      const char *content_type,
                                      const uint8_t *body, size_t body_len,
                                      int64_t unix_time,
                                      remoteit_headers **out);
size_t remoteit_headers_count(const remoteit_headers *headers);
remoteit_result remoteit_headers_get(const remoteit_headers *headers, size_t index,
                                     const char **name, const char **value);
void remoteit_headers_free(remoteit_headers *headers);
remoteit_result remoteit_signing_string(const char *method, const char *url,
                                        const char *content_type, size_t content_length,
                                        int64_t unix_time,
                                        char *buf, size_t buf_len, size_t *out_len);

/* Signing scheme 2 */
remoteit_result remoteit_sign_request_rfc9421(const remoteit_credentials *creds,
                                              const char *method, const char *url,
                                              const char *content_type,
                                              const uint8_t *body, size_t body_len,
                                              int64_t unix_time,
                                              remoteit_headers **out);
remoteit_result remoteit_client_set_signing_scheme(remoteit_client *client, uint32_t scheme);

/* Client */
remoteit_result remoteit_client_new(const remoteit_credentials *creds,
                                    const char *api_url,
                                    remoteit_client **out);
remoteit_result remoteit_client_set_timeout_ms(remoteit_client *client, uint32_t timeout_ms);
remoteit_result remoteit_client_set_ca_file(remoteit_client *client, const char *pem_path);
void remoteit_client_free(remoteit_client *client);
remoteit_result remoteit_graphql(const remoteit_client *client, const char *query,
                                 const char *variables_json,
                                 char **out_data_json);
remoteit_result remoteit_connect(const remoteit_client *client, const char *service_id,
                                 remoteit_connection **out);
const char *remoteit_connection_id(const remoteit_connection *conn);
const char *remoteit_connection_host(const remoteit_connection *conn);
int32_t remoteit_connection_port(const remoteit_connection *conn);
void remoteit_connection_free(remoteit_connection *conn);
remoteit_result remoteit_disconnect(const remoteit_client *client, const char *connection_id);

/* The contract's constants, used as the contract spells them. */
static const int64_t now = REMOTEIT_NOW;
static const uint32_t schemes[] = {REMOTEIT_SCHEME_CAVAGE, REMOTEIT_SCHEME_RFC9421};
static const remoteit_result codes[] = {
    REMOTEIT_OK, REMOTEIT_ERR_NULL_ARGUMENT, REMOTEIT_ERR_INVALID_ARGUMENT,
    REMOTEIT_ERR_BUFFER_TOO_SMALL, REMOTEIT_ERR_PANIC, REMOTEIT_ERR_CREDENTIALS_NOT_FOUND,
    REMOTEIT_ERR_CREDENTIALS_INVALID, REMOTEIT_ERR_PROFILE_NOT_FOUND,
    REMOTEIT_ERR_CREDENTIALS_INCOMPLETE, REMOTEIT_ERR_SECRET_INVALID, REMOTEIT_ERR_NETWORK,
    REMOTEIT_ERR_TIMEOUT, REMOTEIT_ERR_TLS, REMOTEIT_ERR_UNAUTHORIZED, REMOTEIT_ERR_RATE_LIMITED,
    REMOTEIT_ERR_HTTP_STATUS, REMOTEIT_ERR_GRAPHQL, REMOTEIT_ERR_PROTOCOL};

static int failed(const char *what, remoteit_result rc)
{
    char message[1024] = "";
    remoteit_last_error_message(message, sizeof message, NULL);
    fprintf(stderr, "contract.c: %s: %s: %s\n", what, remoteit_result_name(rc), message);
    return 1;
}

int main(int argc, char **argv)
{
    remoteit_credentials *creds = NULL;
    remoteit_client *client = NULL;
    remoteit_connection *conn = NULL;
    remoteit_headers *headers = NULL;
    char *data = NULL;
    char id[64];
    size_t i, len = 0;
    remoteit_result rc;
    const char *body = "{}";

    if (argc != 3) {
        fprintf(stderr, "usage: contract API_URL CREDENTIALS_FILE\n");
        return 2;
    }
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (strcmp(remoteit_result_name(codes[i]), "REMOTEIT_ERR_UNKNOWN") == 0) {
            return failed("a contract code has no name", codes[i]);
        }
    }
    if ((rc = remoteit_credentials_load(argv[2], NULL, &creds)) != REMOTEIT_OK) {
        return failed("credentials_load", rc);
    }
    if ((rc = remoteit_credentials_access_key_id(creds, id, sizeof id, &len)) != REMOTEIT_OK) {
        return failed("access_key_id", rc);
    }
    if ((rc = remoteit_sign_request(creds, "POST", argv[1], "application/json",
                                    (const uint8_t *)body, strlen(body), now, &headers)) != REMOTEIT_OK
        || remoteit_headers_count(headers) != 2) {
        return failed("sign_request", rc);
    }
    remoteit_headers_free(headers);
    if ((rc = remoteit_client_new(creds, argv[1], &client)) != REMOTEIT_OK) {
        return failed("client_new", rc);
    }
    remoteit_credentials_free(creds);
    if ((rc = remoteit_client_set_timeout_ms(client, 10000)) != REMOTEIT_OK
        || (rc = remoteit_client_set_signing_scheme(client, schemes[0])) != REMOTEIT_OK) {
        return failed("client options", rc);
    }
    if ((rc = remoteit_connect(client, "80:00:00:00:01:00:00:11", &conn)) != REMOTEIT_OK) {
        return failed("connect", rc);
    }
    printf("contract.c: key %s connected to %s:%d\n", id, remoteit_connection_host(conn),
           (int)remoteit_connection_port(conn));
    if ((rc = remoteit_disconnect(client, remoteit_connection_id(conn))) != REMOTEIT_OK) {
        return failed("disconnect", rc);
    }
    remoteit_connection_free(conn);
    if ((rc = remoteit_graphql(client, "query($n: Int) { login { devices(size: $n) { total } } }",
                               "{\"n\": 1}", &data)) != REMOTEIT_OK) {
        return failed("graphql", rc);
    }
    printf("contract.c: data %s\n", data);
    remoteit_string_free(data);
    remoteit_client_free(client);
    return 0;
}
