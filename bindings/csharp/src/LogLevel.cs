namespace RemoteIt
{
    /// <summary>
    /// The level of a line of a client's log (<c>REMOTEIT_LOG_*</c>), for <see cref="Client.Log"/>
    /// and <see cref="Client.LogLevel"/>. Each level includes the ones above it.
    /// </summary>
    public enum LogLevel : uint
    {
        /// <summary><c>REMOTEIT_LOG_ERROR</c>: failures.</summary>
        Error = 1,

        /// <summary>
        /// <c>REMOTEIT_LOG_WARN</c>: every retry and its reason, every clock correction, every
        /// <c>X-R3-Warning</c> header the API sends.
        /// </summary>
        Warn = 2,

        /// <summary><c>REMOTEIT_LOG_INFO</c>: each attempt's method, URL, status and duration.</summary>
        Info = 3,

        /// <summary>
        /// <c>REMOTEIT_LOG_DEBUG</c>: the signing string or signature base of each request (never
        /// the secret, never a signature value).
        /// </summary>
        Debug = 4,
    }
}
