namespace RemoteIt
{
    /// <summary>
    /// The library's result codes (<c>remoteit_result</c> of <c>include/remoteit.h</c>), as
    /// carried by <see cref="RemoteItException.Result"/> (and, as a number, by
    /// <see cref="RemoteItException.Code"/>). The numbers are stable: never changed, never reused.
    /// </summary>
    public enum ResultCode : uint
    {
        /// <summary><c>REMOTEIT_OK</c>: success (never carried by an exception).</summary>
        Ok = 0,

        /// <summary><c>REMOTEIT_ERR_NULL_ARGUMENT</c>: a required pointer was NULL (the binding checks for null first, so .NET code does not see it).</summary>
        NullArgument = 1,

        /// <summary><c>REMOTEIT_ERR_INVALID_ARGUMENT</c>: a malformed URL or method, an unknown enum value, an out-of-range number.</summary>
        InvalidArgument = 2,

        /// <summary><c>REMOTEIT_ERR_BUFFER_TOO_SMALL</c>: a caller buffer was too short (handled inside the binding).</summary>
        BufferTooSmall = 3,

        /// <summary><c>REMOTEIT_ERR_PANIC</c>: an internal bug of the library was caught at its boundary.</summary>
        Panic = 4,

        /// <summary><c>REMOTEIT_ERR_CREDENTIALS_NOT_FOUND</c>: the credentials file does not exist (or there is no home folder).</summary>
        CredentialsNotFound = 100,

        /// <summary><c>REMOTEIT_ERR_CREDENTIALS_INVALID</c>: the credentials file cannot be read or is not valid INI.</summary>
        CredentialsInvalid = 101,

        /// <summary><c>REMOTEIT_ERR_PROFILE_NOT_FOUND</c>: no section of the credentials file matches the profile.</summary>
        ProfileNotFound = 102,

        /// <summary><c>REMOTEIT_ERR_CREDENTIALS_INCOMPLETE</c>: the profile lacks <c>R3_ACCESS_KEY_ID</c> or <c>R3_SECRET_ACCESS_KEY</c>.</summary>
        CredentialsIncomplete = 103,

        /// <summary><c>REMOTEIT_ERR_SECRET_INVALID</c>: the secret access key is not base64.</summary>
        SecretInvalid = 104,

        /// <summary><c>REMOTEIT_ERR_NETWORK</c>: DNS failure, connection refused or reset, truncated response.</summary>
        Network = 200,

        /// <summary><c>REMOTEIT_ERR_TIMEOUT</c>: the request did not finish within the client's timeout.</summary>
        Timeout = 201,

        /// <summary><c>REMOTEIT_ERR_TLS</c>: TLS handshake or certificate verification failed.</summary>
        Tls = 202,

        /// <summary><c>REMOTEIT_ERR_UNAUTHORIZED</c>: HTTP 401 or 403.</summary>
        Unauthorized = 300,

        /// <summary><c>REMOTEIT_ERR_RATE_LIMITED</c>: HTTP 429.</summary>
        RateLimited = 301,

        /// <summary><c>REMOTEIT_ERR_HTTP_STATUS</c>: any other non-2xx status (redirects included: they are not followed).</summary>
        HttpStatus = 302,

        /// <summary><c>REMOTEIT_ERR_GRAPHQL</c>: the response carried a GraphQL <c>errors</c> array.</summary>
        GraphQL = 303,

        /// <summary><c>REMOTEIT_ERR_PROTOCOL</c>: a 2xx response that is not the JSON that was expected.</summary>
        Protocol = 304,

        /// <summary><c>REMOTEIT_ERR_API</c>: a REST API reply with <c>status: false</c>; the message carries its reason and code.</summary>
        Api = 305,
    }
}
