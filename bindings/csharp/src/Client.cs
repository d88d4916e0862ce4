using System;

namespace RemoteIt
{
    /// <summary>
    /// A client of the Remote.It GraphQL API: every call is signed with the credentials it was
    /// made with. One instance may be used from many threads at once; its calls share a pool of
    /// kept-alive HTTP connections. Its settings (<see cref="MaxRetries"/>,
    /// <see cref="ClockCorrection"/>, <see cref="UserAgent"/>, <see cref="SigningScheme"/>,
    /// <see cref="Log"/>, <see cref="LogLevel"/>) may be changed at any time, from any thread,
    /// also while other threads make calls: a call already in flight finishes with the settings
    /// it started with, the next call sees the new ones. Dispose it when done.
    /// </summary>
    /// <remarks>
    /// On transient failures the library tries again by itself (see <see cref="MaxRetries"/>),
    /// and it corrects for a local clock that is off by more than 5 s (see
    /// <see cref="ClockCorrection"/>).
    /// </remarks>
    public sealed class Client : IDisposable
    {
        /// <summary>The library's default for <see cref="MaxRetries"/>.</summary>
        public const int DefaultMaxRetries = 2;

        private readonly ClientHandle handle;
        private volatile int maxRetries = DefaultMaxRetries;
        private volatile bool clockCorrection = true;
        private volatile string userAgent;
        private volatile int signingScheme = (int)RemoteIt.SigningScheme.Cavage;

        static Client()
        {
            Loader.EnsureLoaded();
        }

        /// <summary>
        /// Makes a client.
        /// </summary>
        /// <param name="credentials">The access key to sign with. The client keeps its own
        /// reference: the credentials may be disposed afterwards.</param>
        /// <param name="apiUrl">The API URL; null for <c>https://api.remote.it/graphql/v1</c>.
        /// <c>http://</c> is accepted only for loopback hosts.</param>
        /// <param name="timeoutMs">How long a whole call may take, in milliseconds (connecting
        /// takes at most 10 s of it); 0 for the library's default, 30 s.</param>
        /// <exception cref="ArgumentNullException"><paramref name="credentials"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeoutMs"/> is negative.</exception>
        /// <exception cref="ObjectDisposedException"><paramref name="credentials"/> were disposed.</exception>
        /// <exception cref="InvalidArgumentException"><see cref="ResultCode.InvalidArgument"/>: a
        /// malformed URL, or plain http to a host that is not loopback.</exception>
        public Client(Credentials credentials, string apiUrl = null, int timeoutMs = 0)
            : this(credentials, apiUrl, timeoutMs, null)
        {
        }

        /// <summary>
        /// Makes a client that also trusts the CA certificates of a PEM file, besides the
        /// bundled Mozilla roots and the system's: for private CAs and tests.
        /// </summary>
        /// <param name="credentials">The access key to sign with (see the other constructor).</param>
        /// <param name="apiUrl">The API URL; null for <c>https://api.remote.it/graphql/v1</c>.</param>
        /// <param name="timeoutMs">How long a whole call may take, in milliseconds; 0 for the default, 30 s.</param>
        /// <param name="caFile">A PEM file of CA certificates to trust as well; null for none.</param>
        /// <exception cref="ArgumentNullException"><paramref name="credentials"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeoutMs"/> is negative.</exception>
        /// <exception cref="ObjectDisposedException"><paramref name="credentials"/> were disposed.</exception>
        /// <exception cref="InvalidArgumentException"><see cref="ResultCode.InvalidArgument"/>: a
        /// malformed URL, plain http to a host that is not loopback, a CA file that cannot be read
        /// or holds no certificate.</exception>
        public Client(Credentials credentials, string apiUrl, int timeoutMs, string caFile)
        {
            if (credentials == null)
            {
                throw new ArgumentNullException(nameof(credentials));
            }
            if (timeoutMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(timeoutMs), timeoutMs, "The timeout must not be negative (0 is the library's default).");
            }
            byte[] nativeUrl = Utf8.ToNative(apiUrl, nameof(apiUrl));
            byte[] nativeCaFile = Utf8.ToNative(caFile, nameof(caFile));
            Errors.Check(NativeMethods.remoteit_client_new(credentials.Handle, nativeUrl, out handle));
            try
            {
                if (timeoutMs > 0)
                {
                    Errors.Check(NativeMethods.remoteit_client_set_timeout_ms(handle, (uint)timeoutMs));
                }
                if (nativeCaFile != null)
                {
                    Errors.Check(NativeMethods.remoteit_client_set_ca_file(handle, nativeCaFile));
                }
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        /// <summary>The native handle, for calls on this client.</summary>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        internal ClientHandle Handle
        {
            get
            {
                if (handle.IsClosed)
                {
                    throw new ObjectDisposedException(GetType().FullName);
                }
                return handle;
            }
        }

        /// <summary>
        /// How many further attempts a call may make after a transient failure: default
        /// <see cref="DefaultMaxRetries"/> (2); 0 turns retries off. Retried, with exponential
        /// backoff from 250 ms and full jitter, never past the client's timeout, honouring
        /// <c>Retry-After</c>: HTTP 429 and 503 always; 502 and 504 for operations without side
        /// effects (a GraphQL document without a <c>mutation</c>, a REST <c>GET</c>); a refused
        /// connection or a failed DNS lookup. The final error's message says how many attempts
        /// were made. Reading gives the value last set through this property.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public int MaxRetries
        {
            get
            {
                return maxRetries;
            }

            set
            {
                if (value < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRetries must not be negative (0 turns retries off).");
                }
                Errors.Check(NativeMethods.remoteit_client_set_max_retries(Handle, (uint)value));
                maxRetries = value;
            }
        }

        /// <summary>
        /// Whether the client corrects for a local clock that is off (default true). When on,
        /// the client keeps the difference between the <c>Date</c> of the API's responses and
        /// this machine's clock and, once it exceeds 5 s, signs with the server's time (see
        /// <see cref="ClockOffset"/>); a 401/403 that shows a new such difference is signed
        /// again and sent once more. When off, such a 401's <see cref="AuthException"/> names
        /// the difference in seconds and which clock is ahead. Reading gives the value last set
        /// through this property.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public bool ClockCorrection
        {
            get
            {
                return clockCorrection;
            }

            set
            {
                Errors.Check(NativeMethods.remoteit_client_set_clock_correction(Handle, value ? 1u : 0u));
                clockCorrection = value;
            }
        }

        /// <summary>
        /// The clock offset in use, in seconds: the server's time minus this machine's. 0 until
        /// a difference beyond 5 s has been measured with <see cref="ClockCorrection"/> on.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public long ClockOffset
        {
            get
            {
                long seconds;
                Errors.Check(NativeMethods.remoteit_client_clock_offset(Handle, out seconds));
                return seconds;
            }
        }

        /// <summary>
        /// The product named in the <c>User-Agent</c> header, sent as
        /// <c>&lt;product&gt; libremoteit/&lt;version&gt;</c>: an RFC 9110 token with an optional
        /// <c>/version</c>, such as <c>myapp/1.2</c>. Null (the default) sends
        /// <c>libremoteit/&lt;version&gt;</c> alone. Reading gives the value last set through
        /// this property.
        /// </summary>
        /// <exception cref="ArgumentException">Set to a string containing a NUL character.</exception>
        /// <exception cref="InvalidArgumentException">Set to a string that is not such a token
        /// (a space, a comma, a second slash...).</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public string UserAgent
        {
            get
            {
                return userAgent;
            }

            set
            {
                Errors.Check(NativeMethods.remoteit_client_set_user_agent(Handle, Utf8.ToNative(value, nameof(value))));
                userAgent = value;
            }
        }

        /// <summary>
        /// How the client signs its requests: <see cref="RemoteIt.SigningScheme.Cavage"/> (the
        /// default) or <see cref="RemoteIt.SigningScheme.Rfc9421"/>. Reading gives the value last
        /// set through this property.
        /// </summary>
        /// <exception cref="InvalidArgumentException">Set to a value that is not a <see cref="RemoteIt.SigningScheme"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public SigningScheme SigningScheme
        {
            get
            {
                return (SigningScheme)signingScheme;
            }

            set
            {
                Errors.Check(NativeMethods.remoteit_client_set_signing_scheme(Handle, (uint)value));
                signingScheme = (int)value;
            }
        }

        /// <summary>
        /// Receives the client's log lines, up to <see cref="LogLevel"/>; null (the default)
        /// turns the log off. <see cref="RemoteIt.LogLevel.Info"/>: each attempt's method, URL,
        /// status and duration (<c>&lt;n&gt; ms</c>); <see cref="RemoteIt.LogLevel.Warn"/>: every
        /// retry and its reason, every clock correction, every <c>X-R3-Warning</c> of the API;
        /// <see cref="RemoteIt.LogLevel.Debug"/>: the signing string or signature base of each
        /// request. Never the secret, never a signature value.
        /// </summary>
        /// <remarks>
        /// The receiver runs on the thread that makes the call, inside it: on several threads at
        /// once when the client is shared, so it must be thread-safe, and it should be quick.
        /// It must not dispose the client. An exception it throws does not reach the library or
        /// the caller: it is reported through <see cref="System.Diagnostics.Trace.TraceError(string)"/>,
        /// the line is dropped and the call goes on. The binding keeps the native callback alive
        /// for as long as the client exists, so the receiver may be any delegate (a lambda,
        /// a method of a short-lived object).
        /// </remarks>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public Action<LogLevel, string> Log
        {
            get { return Handle.Log; }
            set { Handle.SetLog(value); }
        }

        /// <summary>
        /// The most detailed level <see cref="Log"/> receives: default
        /// <see cref="RemoteIt.LogLevel.Info"/>; each level includes the ones above it. It may be
        /// set before or after <see cref="Log"/>.
        /// </summary>
        /// <exception cref="InvalidArgumentException">Set to a value that is not a <see cref="RemoteIt.LogLevel"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public LogLevel LogLevel
        {
            get { return Handle.LogLevel; }
            set { Handle.SetLogLevel(value); }
        }

        /// <summary>
        /// Opens a connection to a service with the API's defaults (<c>connect(serviceId)</c>).
        /// </summary>
        /// <param name="serviceId">The service id, e.g. <c>80:00:00:00:01:00:00:11</c>.</param>
        /// <returns>The connection: where to connect, and its id for <see cref="Disconnect"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="serviceId"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        /// <exception cref="RemoteItException">As for <see cref="GraphQL"/>; an unknown service
        /// is a <see cref="GraphQLException"/>.</exception>
        public Connection Connect(string serviceId)
        {
            if (serviceId == null)
            {
                throw new ArgumentNullException(nameof(serviceId));
            }
            ConnectionHandle connection;
            Errors.Check(NativeMethods.remoteit_connect(Handle, Utf8.ToNative(serviceId, nameof(serviceId)), out connection));
            return Copy(connection);
        }

        /// <summary>
        /// Opens a connection to a service, choosing who may use it and how it is proxied.
        /// </summary>
        /// <param name="serviceId">The service id.</param>
        /// <param name="hostIp">The only address allowed to use the connection: null for the
        /// API's default (<c>255.255.255.255</c>, the first address that uses it), <c>0.0.0.0</c>
        /// for anyone.</param>
        /// <param name="proxyType">How the API proxies the connection.</param>
        /// <returns>The connection.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="serviceId"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        /// <exception cref="RemoteItException">As for <see cref="Connect"/>, and an
        /// <see cref="InvalidArgumentException"/> for a value that is not a <see cref="ProxyType"/>.</exception>
        public Connection ConnectWithOptions(string serviceId, string hostIp, ProxyType proxyType)
        {
            if (serviceId == null)
            {
                throw new ArgumentNullException(nameof(serviceId));
            }
            ConnectionHandle connection;
            Errors.Check(NativeMethods.remoteit_connect_with_options(
                Handle,
                Utf8.ToNative(serviceId, nameof(serviceId)),
                Utf8.ToNative(hostIp, nameof(hostIp)),
                unchecked((uint)proxyType),
                out connection));
            return Copy(connection);
        }

        /// <summary>Closes a connection by its id.</summary>
        /// <param name="connectionId">The <see cref="Connection.Id"/>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="connectionId"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        /// <exception cref="RemoteItException">As for <see cref="GraphQL"/>; an unknown or
        /// already closed connection is a <see cref="GraphQLException"/>.</exception>
        public void Disconnect(string connectionId)
        {
            if (connectionId == null)
            {
                throw new ArgumentNullException(nameof(connectionId));
            }
            Errors.Check(NativeMethods.remoteit_disconnect(Handle, Utf8.ToNative(connectionId, nameof(connectionId))));
        }

        /// <summary>Sends a GraphQL operation, signed.</summary>
        /// <param name="query">The GraphQL document.</param>
        /// <param name="variablesJson">The variables as a JSON object, or null.</param>
        /// <returns>The response's <c>data</c>, as JSON text.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        /// <exception cref="InvalidArgumentException">An empty query, variables that are not a
        /// JSON object.</exception>
        /// <exception cref="NetworkException">The API could not be reached
        /// (<see cref="ResultCode.Network"/>); <see cref="RequestTimeoutException"/> and
        /// <see cref="TlsException"/> for <see cref="ResultCode.Timeout"/> and
        /// <see cref="ResultCode.Tls"/>.</exception>
        /// <exception cref="AuthException">HTTP 401 or 403 (<see cref="ResultCode.Unauthorized"/>).</exception>
        /// <exception cref="ApiException">Another non-2xx status or a reply that is not the
        /// expected JSON (<see cref="ResultCode.HttpStatus"/>, <see cref="ResultCode.Protocol"/>);
        /// <see cref="RateLimitedException"/> for HTTP 429.</exception>
        /// <exception cref="GraphQLException">The reply carried GraphQL errors (the message
        /// holds every one).</exception>
        public string GraphQL(string query, string variablesJson = null)
        {
            if (query == null)
            {
                throw new ArgumentNullException(nameof(query));
            }
            IntPtr data;
            Errors.Check(NativeMethods.remoteit_graphql(
                Handle, Utf8.ToNative(query, nameof(query)), Utf8.ToNative(variablesJson, nameof(variablesJson)), out data));
            try
            {
                return Utf8.FromNative(data);
            }
            finally
            {
                NativeMethods.remoteit_string_free(data);
            }
        }

        /// <summary>Frees the native client and closes its HTTP connections (not the Remote.It
        /// connections it opened). Calling it again does nothing.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        private static Connection Copy(ConnectionHandle connection)
        {
            using (connection)
            {
                int port = NativeMethods.remoteit_connection_port(connection);
                int timeout = NativeMethods.remoteit_connection_timeout(connection);
                return new Connection(
                    Utf8.FromNative(NativeMethods.remoteit_connection_id(connection)),
                    Utf8.FromNative(NativeMethods.remoteit_connection_host(connection)),
                    port < 0 ? (int?)null : port,
                    Utf8.FromNative(NativeMethods.remoteit_connection_url(connection)),
                    NativeMethods.remoteit_connection_reverse_proxy(connection) != 0,
                    timeout < 0 ? (int?)null : timeout);
            }
        }
    }
}
