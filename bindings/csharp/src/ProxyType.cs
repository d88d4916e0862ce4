namespace RemoteIt
{
    /// <summary>
    /// How the API proxies a connection (<c>REMOTEIT_PROXY_*</c>, the API's <c>ProxyType</c>).
    /// </summary>
    public enum ProxyType
    {
        /// <summary><c>AUTO_PROXY</c>: the API chooses (its default).</summary>
        Auto = 0,

        /// <summary><c>REVERSE_PROXY</c>: an HTTPS reverse proxy, reached by its <see cref="Connection.Url"/>; no port.</summary>
        Reverse = 1,

        /// <summary><c>PORT_PROXY</c>: a TCP port on a proxy host.</summary>
        Port = 2,
    }
}
