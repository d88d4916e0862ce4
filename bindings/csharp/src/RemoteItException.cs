using System;

namespace RemoteIt
{
    /// <summary>
    /// A call into libremoteit failed. <see cref="Code"/> is the library's result code (see
    /// <see cref="ResultCode"/>), <see cref="CodeName"/> its <c>REMOTEIT_ERR_*</c> name, and
    /// <see cref="Exception.Message"/> the library's description of this failure. Messages
    /// never contain a secret access key or a signature.
    /// </summary>
    /// <remarks>
    /// Every failure is thrown as one of the subclasses, chosen by the code's family
    /// (<see cref="InvalidArgumentException"/>, <see cref="CredentialsException"/>,
    /// <see cref="NetworkException"/>, <see cref="AuthException"/>,
    /// <see cref="GraphQLException"/>, <see cref="ApiException"/>), except
    /// <see cref="ResultCode.Panic"/> (an internal bug caught by the library) and codes this
    /// binding does not know, which are thrown as a plain <see cref="RemoteItException"/>.
    /// Catching <see cref="RemoteItException"/> catches them all.
    /// </remarks>
    public class RemoteItException : Exception
    {
        internal RemoteItException(uint code, string codeName, string message)
            : base(message)
        {
            Code = code;
            CodeName = codeName;
        }

        /// <summary>The result code, one of the <see cref="ResultCode"/> numbers.</summary>
        public uint Code { get; }

        /// <summary>The result code's name, e.g. <c>REMOTEIT_ERR_PROFILE_NOT_FOUND</c>.</summary>
        public string CodeName { get; }

        /// <summary><see cref="Code"/> as a <see cref="ResultCode"/>, for comparing and switching.</summary>
        public ResultCode Result
        {
            get { return (ResultCode)Code; }
        }
    }
}
