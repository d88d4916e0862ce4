namespace RemoteIt
{
    /// <summary>The one place where a result code becomes an exception.</summary>
    internal static class Errors
    {
        /// <summary>
        /// Throws a <see cref="RemoteItException"/> for any result other than
        /// <see cref="ResultCode.Ok"/>. Call it straight after the native call, on the same
        /// thread: the message is the library's thread-local last error.
        /// </summary>
        /// <exception cref="RemoteItException"><paramref name="result"/> is not OK.</exception>
        internal static void Check(uint result)
        {
            if (result != (uint)ResultCode.Ok)
            {
                throw Create(result);
            }
        }

        private static RemoteItException Create(uint result)
        {
            string message;
            uint read = Utf8.Read(NativeMethods.remoteit_last_error_message, out message);
            string name = Utf8.FromNative(NativeMethods.remoteit_result_name(result));
            return new RemoteItException(result, name, read == (uint)ResultCode.Ok ? message : name);
        }
    }
}
