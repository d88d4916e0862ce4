using System;

namespace RemoteIt
{
    /// <summary>
    /// A client of the Remote.It GraphQL API: every call is signed with the credentials it was
    /// made with. Its options are fixed by the constructor, so one instance may be used from
    /// many threads at once; its calls share a pool of kept-alive HTTP connections. Dispose it
    /// when done.
    /// </summary>
    public sealed class Client : IDisposable
    {
        private readonly ClientHandle handle;

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
