namespace RemoteIt
{
    /// <summary>
    /// An argument the library rejects: bad UTF-8, a malformed URL or method, an unknown enum
    /// value, a number out of range (<see cref="ResultCode.InvalidArgument"/>; also
    /// <see cref="ResultCode.NullArgument"/> and <see cref="ResultCode.BufferTooSmall"/>, which
    /// the binding's own checks normally keep from happening).
    /// </summary>
    public class InvalidArgumentException : RemoteItException
    {
        internal InvalidArgumentException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>
    /// The credentials file or its keys are unusable: <see cref="ResultCode.CredentialsNotFound"/>,
    /// <see cref="ResultCode.CredentialsInvalid"/>, <see cref="ResultCode.ProfileNotFound"/>,
    /// <see cref="ResultCode.CredentialsIncomplete"/>, <see cref="ResultCode.SecretInvalid"/>.
    /// </summary>
    public class CredentialsException : RemoteItException
    {
        internal CredentialsException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>
    /// The API could not be reached or the exchange broke off (<see cref="ResultCode.Network"/>;
    /// the subclasses <see cref="RequestTimeoutException"/> and <see cref="TlsException"/> for
    /// <see cref="ResultCode.Timeout"/> and <see cref="ResultCode.Tls"/>).
    /// </summary>
    public class NetworkException : RemoteItException
    {
        internal NetworkException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>The request did not finish within the client's timeout (<see cref="ResultCode.Timeout"/>).</summary>
    public class RequestTimeoutException : NetworkException
    {
        internal RequestTimeoutException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>The TLS handshake or the certificate verification failed (<see cref="ResultCode.Tls"/>).</summary>
    public class TlsException : NetworkException
    {
        internal TlsException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>The API refused the key or the signature: HTTP 401 or 403 (<see cref="ResultCode.Unauthorized"/>).</summary>
    public class AuthException : RemoteItException
    {
        internal AuthException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>
    /// The API answered with a GraphQL <c>errors</c> array (<see cref="ResultCode.GraphQL"/>): an
    /// unknown service, a connection that is already closed, a bad query. The API's messages are
    /// in <see cref="System.Exception.Message"/>.
    /// </summary>
    public class GraphQLException : RemoteItException
    {
        internal GraphQLException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>
    /// The API answered, but not as expected: another HTTP status (redirects included), a 2xx
    /// that is not the expected JSON, or a REST reply that refused the request
    /// (<see cref="ResultCode.HttpStatus"/>, <see cref="ResultCode.Protocol"/>,
    /// <see cref="ResultCode.Api"/>: its reason and code are in the message; the subclasses
    /// <see cref="RateLimitedException"/> for <see cref="ResultCode.RateLimited"/> and
    /// <see cref="RestApiException"/> for <see cref="ResultCode.Api"/>).
    /// </summary>
    public class ApiException : RemoteItException
    {
        internal ApiException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>The API throttled the request: HTTP 429 (<see cref="ResultCode.RateLimited"/>).</summary>
    public class RateLimitedException : ApiException
    {
        internal RateLimitedException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }

    /// <summary>
    /// A REST reply refused the request (<c>"status": "false"</c>, <see cref="ResultCode.Api"/>):
    /// the message carries its reason and code. Python's <c>remoteit.RestApiError</c>.
    /// </summary>
    public class RestApiException : ApiException
    {
        internal RestApiException(uint code, string codeName, string message)
            : base(code, codeName, message)
        {
        }
    }
}
