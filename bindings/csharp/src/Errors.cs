namespace RemoteIt
{
    /// <summary>The one place where a result code becomes an exception.</summary>
    internal static class Errors
    {
        /// <summary>
        /// Throws the exception of <paramref name="result"/>'s family (see <see cref="Create"/>)
        /// for any result other than <see cref="ResultCode.Ok"/>. Call it straight after the
        /// native call, on the same thread: the message is the library's thread-local last error.
        /// </summary>
        /// <exception cref="RemoteItException"><paramref name="result"/> is not OK.</exception>
        internal static void Check(uint result)
        {
            if (result != (uint)ResultCode.Ok)
            {
                throw FromLastError(result);
            }
        }

        private static RemoteItException FromLastError(uint result)
        {
            string message;
            uint read = Utf8.Read(NativeMethods.remoteit_last_error_message, out message);
            string name = Utf8.FromNative(NativeMethods.remoteit_result_name(result));
            return Create(result, name, read == (uint)ResultCode.Ok ? message : name);
        }

        /// <summary>
        /// The exception for a failed call's <paramref name="code"/>: the subclass of
        /// <see cref="RemoteItException"/> of the code's family (the same families as the
        /// Python binding's errors), or <see cref="RemoteItException"/> itself for
        /// <see cref="ResultCode.Panic"/> and codes this binding does not know.
        /// </summary>
        internal static RemoteItException Create(uint code, string codeName, string message)
        {
            switch ((ResultCode)code)
            {
                case ResultCode.NullArgument:
                case ResultCode.InvalidArgument:
                case ResultCode.BufferTooSmall:
                    return new InvalidArgumentException(code, codeName, message);
                case ResultCode.CredentialsNotFound:
                case ResultCode.CredentialsInvalid:
                case ResultCode.ProfileNotFound:
                case ResultCode.CredentialsIncomplete:
                case ResultCode.SecretInvalid:
                    return new CredentialsException(code, codeName, message);
                case ResultCode.Network:
                    return new NetworkException(code, codeName, message);
                case ResultCode.Timeout:
                    return new RequestTimeoutException(code, codeName, message);
                case ResultCode.Tls:
                    return new TlsException(code, codeName, message);
                case ResultCode.Unauthorized:
                    return new AuthException(code, codeName, message);
                case ResultCode.RateLimited:
                    return new RateLimitedException(code, codeName, message);
                case ResultCode.HttpStatus:
                case ResultCode.Protocol:
                    return new ApiException(code, codeName, message);
                case ResultCode.Api:
                    return new RestApiException(code, codeName, message);
                case ResultCode.GraphQL:
                    return new GraphQLException(code, codeName, message);
                default:
                    return new RemoteItException(code, codeName, message);
            }
        }
    }
}
