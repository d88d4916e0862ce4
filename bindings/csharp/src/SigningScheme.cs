namespace RemoteIt
{
    /// <summary>
    /// How a request is signed (<c>REMOTEIT_SCHEME_*</c>), for <see cref="Credentials.Sign"/>.
    /// </summary>
    public enum SigningScheme : uint
    {
        /// <summary>
        /// <c>REMOTEIT_SCHEME_CAVAGE</c>: draft-cavage HTTP Signatures, the documented Remote.It
        /// scheme (<c>Date</c> and <c>Authorization: Signature ...</c>).
        /// </summary>
        Cavage = 0,

        /// <summary>
        /// <c>REMOTEIT_SCHEME_RFC9421</c>: RFC 9421 HTTP Message Signatures (<c>Date</c>,
        /// <c>Content-Digest</c> with a body, <c>Signature-Input</c>, <c>Signature</c>).
        /// </summary>
        Rfc9421 = 1,
    }
}
