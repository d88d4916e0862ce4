using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

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

        /// <summary>
        /// Lists the devices of the key's own account, or of an organisation account, with
        /// their services. Every page of the API is followed (1000 devices per request), and
        /// each device comes once, in the API's order.
        /// </summary>
        /// <param name="nameFilter">Only the devices whose name contains this text (the API's
        /// case-insensitive <c>name</c> argument); null for every device.</param>
        /// <param name="accountId">The id of an organisation account the key may see; null for
        /// the key's own account.</param>
        /// <returns>The devices (a read-only list of copies: nothing to free).</returns>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        /// <exception cref="InvalidArgumentException">An empty filter or account id.</exception>
        /// <exception cref="GraphQLException">An account the key cannot see (the API's message).</exception>
        /// <exception cref="ApiException"><see cref="ResultCode.Protocol"/> also for pages that
        /// contradict each other (a changing total, an empty page while more are announced, a
        /// repeated page).</exception>
        /// <exception cref="RemoteItException">Otherwise as for <see cref="GraphQL"/>.</exception>
        public IList<Device> ListDevices(string nameFilter = null, string accountId = null)
        {
            DeviceListHandle list;
            Errors.Check(NativeMethods.remoteit_devices_list(
                Handle, Utf8.ToNative(nameFilter, nameof(nameFilter)), Utf8.ToNative(accountId, nameof(accountId)), out list));
            using (list)
            {
                int count = checked((int)NativeMethods.remoteit_device_list_count(list).ToUInt64());
                List<Device> devices = new List<Device>(count);
                for (int i = 0; i < count; i++)
                {
                    devices.Add(CopyDevice(NativeMethods.remoteit_device_list_get(list, new UIntPtr((uint)i))));
                }
                return devices.AsReadOnly();
            }
        }

        /// <summary>
        /// Finds a service by its device's name and its own name, as people name them ("the SSH
        /// service of garage-pi"): lists the account's devices (<see cref="ListDevices"/>), then
        /// for each name takes an exact match first, else a case-insensitive one.
        /// </summary>
        /// <param name="deviceName">The device's name.</param>
        /// <param name="serviceName">The service's name on that device.</param>
        /// <param name="accountId">An organisation account id; null for the key's own account.</param>
        /// <returns>The service, whose <see cref="Service.Id"/> <see cref="Connect"/> takes.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="deviceName"/> or <paramref name="serviceName"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        /// <exception cref="InvalidArgumentException">No device or service of that name, or
        /// several: the message names what was not found and the candidates.</exception>
        /// <exception cref="RemoteItException">As for <see cref="ListDevices"/>.</exception>
        public Service FindService(string deviceName, string serviceName, string accountId = null)
        {
            if (deviceName == null)
            {
                throw new ArgumentNullException(nameof(deviceName));
            }
            if (serviceName == null)
            {
                throw new ArgumentNullException(nameof(serviceName));
            }
            byte[] nativeDevice = Utf8.ToNative(deviceName, nameof(deviceName));
            byte[] nativeService = Utf8.ToNative(serviceName, nameof(serviceName));
            DeviceListHandle list;
            Errors.Check(NativeMethods.remoteit_devices_list(Handle, null, Utf8.ToNative(accountId, nameof(accountId)), out list));
            using (list)
            {
                IntPtr service;
                Errors.Check(NativeMethods.remoteit_service_find(list, nativeDevice, nativeService, out service));
                return CopyService(service);
            }
        }

        /// <summary>
        /// Calls the Remote.It REST API (the older API, which needs the developer key,
        /// <c>R3_DEVELOPER_API_KEY</c>): <paramref name="method"/> on
        /// <c>&lt;origin of the API URL&gt;/apv/v27</c> followed by <paramref name="path"/>,
        /// signed like every other call, with the <c>DeveloperKey</c> header.
        /// </summary>
        /// <param name="method">The HTTP method: <c>GET</c>, <c>POST</c>...</param>
        /// <param name="path">The path after <c>/apv/v27</c>, starting with <c>/</c>: <c>/user/info</c>.</param>
        /// <param name="bodyJson">The body, JSON text; null for none.</param>
        /// <returns>The reply, JSON text.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="method"/> or <paramref name="path"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        /// <exception cref="InvalidArgumentException">A malformed method, a path that does not
        /// start with <c>/</c> or holds characters a URL cannot carry, a body that is not JSON.</exception>
        /// <exception cref="CredentialsException"><see cref="ResultCode.CredentialsIncomplete"/>:
        /// the credentials have no developer key (nothing was sent).</exception>
        /// <exception cref="ApiException"><see cref="ResultCode.Api"/>: the API refused the
        /// request (<c>{"status": "false", ...}</c>, whatever the HTTP status; the message has
        /// its reason and code); <see cref="ResultCode.Protocol"/>: a reply that is not JSON;
        /// <see cref="ResultCode.HttpStatus"/>, <see cref="RateLimitedException"/> as for
        /// <see cref="GraphQL"/>.</exception>
        /// <exception cref="RemoteItException">Otherwise as for <see cref="GraphQL"/>.</exception>
        public string Rest(string method, string path, string bodyJson = null)
        {
            if (method == null)
            {
                throw new ArgumentNullException(nameof(method));
            }
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            IntPtr json;
            Errors.Check(NativeMethods.remoteit_rest(
                Handle,
                Utf8.ToNative(method, nameof(method)),
                Utf8.ToNative(path, nameof(path)),
                Utf8.ToNative(bodyJson, nameof(bodyJson)),
                out json));
            try
            {
                return Utf8.FromNative(json);
            }
            finally
            {
                NativeMethods.remoteit_string_free(json);
            }
        }

        /// <summary>
        /// <see cref="Connect"/> on the thread pool: the calling thread is not blocked. A
        /// cancelled <paramref name="cancellationToken"/> abandons the wait (the task ends as
        /// cancelled at once); the native call goes on to its end, bounded by the client's
        /// timeout, and should it still open the connection, the binding closes it again
        /// (<see cref="Disconnect"/>, errors ignored).
        /// </summary>
        /// <param name="serviceId">The service id.</param>
        /// <param name="cancellationToken">Abandons the wait when cancelled.</param>
        /// <returns>The connection, or the exceptions of <see cref="Connect"/> through the task.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="serviceId"/> is null (thrown
        /// at once, not through the task).</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed (thrown at once).</exception>
        public Task<Connection> ConnectAsync(string serviceId, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (serviceId == null)
            {
                throw new ArgumentNullException(nameof(serviceId));
            }
            CheckNotDisposed();
            return RunAsync(() => Connect(serviceId), cancellationToken, AbandonConnection);
        }

        /// <summary>
        /// <see cref="Disconnect"/> on the thread pool: the calling thread is not blocked. A
        /// cancelled <paramref name="cancellationToken"/> abandons the wait; the native call goes
        /// on to its end, bounded by the client's timeout (so the connection may be closed all
        /// the same).
        /// </summary>
        /// <param name="connectionId">The <see cref="Connection.Id"/>.</param>
        /// <param name="cancellationToken">Abandons the wait when cancelled.</param>
        /// <returns>A task that ends when the connection is closed, or with the exceptions of
        /// <see cref="Disconnect"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="connectionId"/> is null (thrown at once).</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed (thrown at once).</exception>
        public Task DisconnectAsync(string connectionId, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (connectionId == null)
            {
                throw new ArgumentNullException(nameof(connectionId));
            }
            CheckNotDisposed();
            return RunAsync(() =>
            {
                Disconnect(connectionId);
                return true;
            }, cancellationToken, null);
        }

        /// <summary>
        /// <see cref="ListDevices"/> on the thread pool: the calling thread is not blocked. A
        /// cancelled <paramref name="cancellationToken"/> abandons the wait; the native call goes
        /// on to its end (every page), bounded by the client's timeout per request.
        /// </summary>
        /// <param name="nameFilter">As for <see cref="ListDevices"/>.</param>
        /// <param name="accountId">As for <see cref="ListDevices"/>.</param>
        /// <param name="cancellationToken">Abandons the wait when cancelled.</param>
        /// <returns>The devices, or the exceptions of <see cref="ListDevices"/> through the task.</returns>
        /// <exception cref="ObjectDisposedException">The client was disposed (thrown at once).</exception>
        public Task<IList<Device>> ListDevicesAsync(string nameFilter = null, string accountId = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            CheckNotDisposed();
            return RunAsync(() => ListDevices(nameFilter, accountId), cancellationToken, null);
        }

        /// <summary>
        /// <see cref="GraphQL"/> on the thread pool: the calling thread is not blocked. A
        /// cancelled <paramref name="cancellationToken"/> abandons the wait; the native call goes
        /// on to its end, bounded by the client's timeout (a mutation may still take effect).
        /// </summary>
        /// <param name="query">The GraphQL document.</param>
        /// <param name="variablesJson">The variables as a JSON object, or null.</param>
        /// <param name="cancellationToken">Abandons the wait when cancelled.</param>
        /// <returns>The response's <c>data</c> as JSON text, or the exceptions of
        /// <see cref="GraphQL"/> through the task.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="query"/> is null (thrown at once).</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed (thrown at once).</exception>
        public Task<string> GraphQLAsync(string query, string variablesJson = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (query == null)
            {
                throw new ArgumentNullException(nameof(query));
            }
            CheckNotDisposed();
            return RunAsync(() => GraphQL(query, variablesJson), cancellationToken, null);
        }

        /// <summary>
        /// <see cref="Rest"/> on the thread pool: the calling thread is not blocked. A cancelled
        /// <paramref name="cancellationToken"/> abandons the wait; the native call goes on to its
        /// end, bounded by the client's timeout.
        /// </summary>
        /// <param name="method">As for <see cref="Rest"/>.</param>
        /// <param name="path">As for <see cref="Rest"/>.</param>
        /// <param name="bodyJson">As for <see cref="Rest"/>.</param>
        /// <param name="cancellationToken">Abandons the wait when cancelled.</param>
        /// <returns>The reply as JSON text, or the exceptions of <see cref="Rest"/> through the task.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="method"/> or <paramref name="path"/> is null (thrown at once).</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed (thrown at once).</exception>
        public Task<string> RestAsync(string method, string path, string bodyJson = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (method == null)
            {
                throw new ArgumentNullException(nameof(method));
            }
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            CheckNotDisposed();
            return RunAsync(() => Rest(method, path, bodyJson), cancellationToken, null);
        }

        /// <summary>Frees the native client and closes its HTTP connections (not the Remote.It
        /// connections it opened). Calling it again does nothing; a call in flight on another
        /// thread (or an async call) finishes first, then the client is freed.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        private void CheckNotDisposed()
        {
            if (handle.IsClosed)
            {
                throw new ObjectDisposedException(GetType().FullName);
            }
        }

        /// <summary>
        /// Runs <paramref name="call"/> on the thread pool. With a token that can be cancelled,
        /// the returned task ends as cancelled as soon as the token is, and the call's outcome,
        /// when it comes, goes to <paramref name="abandoned"/> (when given) or is dropped.
        /// </summary>
        private static Task<T> RunAsync<T>(Func<T> call, CancellationToken cancellationToken, Action<T> abandoned)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                TaskCompletionSource<T> cancelled = new TaskCompletionSource<T>();
                cancelled.TrySetCanceled(cancellationToken);
                return cancelled.Task;
            }
            Task<T> work = Task.Run(call);
            if (!cancellationToken.CanBeCanceled)
            {
                return work;
            }
            TaskCompletionSource<T> outcome = new TaskCompletionSource<T>();
            CancellationTokenRegistration registration = cancellationToken.Register(() =>
            {
                if (outcome.TrySetCanceled(cancellationToken))
                {
                    work.ContinueWith(
                        finished =>
                        {
                            // Observe a failure (no unobserved-exception event) and let go of a result.
                            if (finished.IsFaulted)
                            {
                                GC.KeepAlive(finished.Exception);
                            }
                            else if (finished.Status == TaskStatus.RanToCompletion && abandoned != null)
                            {
                                abandoned(finished.Result);
                            }
                        },
                        TaskScheduler.Default);
                }
            });
            work.ContinueWith(
                finished =>
                {
                    registration.Dispose();
                    if (finished.IsFaulted)
                    {
                        outcome.TrySetException(finished.Exception.InnerExceptions);
                    }
                    else if (finished.IsCanceled)
                    {
                        outcome.TrySetCanceled();
                    }
                    else if (!outcome.TrySetResult(finished.Result))
                    {
                        // Cancelled first: the registration's continuation has the result.
                    }
                },
                TaskContinuationOptions.ExecuteSynchronously);
            return outcome.Task;
        }

        /// <summary>Closes a connection whose <see cref="ConnectAsync"/> was abandoned.</summary>
        private void AbandonConnection(Connection connection)
        {
            try
            {
                Disconnect(connection.Id);
            }
            catch (Exception)
            {
                // Best effort: the client may be disposed, or the API unreachable; the
                // connection then ends with the API's idle timeout.
            }
        }

        private static Device CopyDevice(IntPtr device)
        {
            int count = checked((int)NativeMethods.remoteit_device_service_count(device).ToUInt64());
            List<Service> services = new List<Service>(count);
            for (int i = 0; i < count; i++)
            {
                services.Add(CopyService(NativeMethods.remoteit_device_service_get(device, new UIntPtr((uint)i))));
            }
            return new Device(
                Utf8.FromNative(NativeMethods.remoteit_device_id(device)),
                Utf8.FromNative(NativeMethods.remoteit_device_name(device)),
                Utf8.FromNative(NativeMethods.remoteit_device_state(device)),
                NativeMethods.remoteit_device_online(device) == 1,
                services);
        }

        private static Service CopyService(IntPtr service)
        {
            int application = NativeMethods.remoteit_service_application(service);
            int port = NativeMethods.remoteit_service_port(service);
            return new Service(
                Utf8.FromNative(NativeMethods.remoteit_service_id(service)),
                Utf8.FromNative(NativeMethods.remoteit_service_name(service)),
                application < 0 ? (int?)null : application,
                port < 0 ? (int?)null : port);
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
