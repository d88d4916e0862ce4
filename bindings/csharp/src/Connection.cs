namespace RemoteIt
{
    /// <summary>
    /// A connection the API opened to a service: plain values, copied out of the library.
    /// Close it with <see cref="Client.Disconnect"/> and its <see cref="Id"/>.
    /// </summary>
    public sealed class Connection
    {
        internal Connection(string id, string host, int? port, string url, bool reverseProxy, int? timeout)
        {
            Id = id;
            Host = host;
            Port = port;
            Url = url;
            ReverseProxy = reverseProxy;
            Timeout = timeout;
        }

        /// <summary>The connection id, for <see cref="Client.Disconnect"/>.</summary>
        public string Id { get; }

        /// <summary>The host to connect to.</summary>
        public string Host { get; }

        /// <summary>The port to connect to; null when the API gave none (a reverse proxy).</summary>
        public int? Port { get; }

        /// <summary>
        /// The connection's URL: <c>https://...</c> for a reverse proxy, <c>tcp://host:port</c>
        /// or similar otherwise; empty when the API gave none.
        /// </summary>
        public string Url { get; }

        /// <summary>Whether the connection is an HTTPS reverse proxy (use its <see cref="Url"/>).</summary>
        public bool ReverseProxy { get; }

        /// <summary>Idle minutes before the API closes the connection; null when the API gave none.</summary>
        public int? Timeout { get; }
    }
}
