namespace RemoteIt
{
    /// <summary>
    /// The library's result codes (<c>remoteit_result</c>), for comparing with
    /// <see cref="RemoteItException.Code"/>. The numbers are stable: never changed, never reused.
    /// </summary>
    public static class ResultCode
    {
        /// <summary><c>REMOTEIT_OK</c>: success (never carried by an exception).</summary>
        public const uint Ok = 0;

        /// <summary><c>REMOTEIT_ERR_NULL_ARGUMENT</c>: a required pointer was NULL (the binding checks for null first, so .NET code does not see it).</summary>
        public const uint NullArgument = 1;

        /// <summary><c>REMOTEIT_ERR_INVALID_ARGUMENT</c>: a malformed URL or method, an unknown enum value, an out-of-range number.</summary>
        public const uint InvalidArgument = 2;

        /// <summary><c>REMOTEIT_ERR_BUFFER_TOO_SMALL</c>: a caller buffer was too short (handled inside the binding).</summary>
        public const uint BufferTooSmall = 3;

        /// <summary><c>REMOTEIT_ERR_PANIC</c>: an internal bug of the library was caught at its boundary.</summary>
        public const uint Panic = 4;

        /// <summary><c>REMOTEIT_ERR_CREDENTIALS_NOT_FOUND</c>: the credentials file does not exist (or there is no home folder).</summary>
        public const uint CredentialsNotFound = 100;

        /// <summary><c>REMOTEIT_ERR_CREDENTIALS_INVALID</c>: the credentials file cannot be read or is not valid INI.</summary>
        public const uint CredentialsInvalid = 101;

        /// <summary><c>REMOTEIT_ERR_PROFILE_NOT_FOUND</c>: no section of the credentials file matches the profile.</summary>
        public const uint ProfileNotFound = 102;

        /// <summary><c>REMOTEIT_ERR_CREDENTIALS_INCOMPLETE</c>: the profile lacks <c>R3_ACCESS_KEY_ID</c> or <c>R3_SECRET_ACCESS_KEY</c>.</summary>
        public const uint CredentialsIncomplete = 103;

        /// <summary><c>REMOTEIT_ERR_SECRET_INVALID</c>: the secret access key is not base64.</summary>
        public const uint SecretInvalid = 104;

        /// <summary><c>REMOTEIT_ERR_NETWORK</c>: DNS failure, connection refused or reset, truncated response.</summary>
        public const uint Network = 200;

        /// <summary><c>REMOTEIT_ERR_TIMEOUT</c>: the request did not finish within the client's timeout.</summary>
        public const uint Timeout = 201;

        /// <summary><c>REMOTEIT_ERR_TLS</c>: TLS handshake or certificate verification failed.</summary>
        public const uint Tls = 202;

        /// <summary><c>REMOTEIT_ERR_UNAUTHORIZED</c>: HTTP 401 or 403.</summary>
        public const uint Unauthorized = 300;

        /// <summary><c>REMOTEIT_ERR_RATE_LIMITED</c>: HTTP 429.</summary>
        public const uint RateLimited = 301;

        /// <summary><c>REMOTEIT_ERR_HTTP_STATUS</c>: any other non-2xx status (redirects included: they are not followed).</summary>
        public const uint HttpStatus = 302;

        /// <summary><c>REMOTEIT_ERR_GRAPHQL</c>: the response carried a GraphQL <c>errors</c> array.</summary>
        public const uint GraphQL = 303;

        /// <summary><c>REMOTEIT_ERR_PROTOCOL</c>: a 2xx response that is not the JSON that was expected.</summary>
        public const uint Protocol = 304;
    }
}
