using System;
using System.Runtime.InteropServices;

namespace RemoteIt
{
    /// <summary>
    /// A pointer to one of the library's opaque objects, NULL when invalid. The subclasses free
    /// it with the matching <c>_free</c>; SafeHandle's own finalizer covers an undisposed one,
    /// and its reference count keeps it alive during a call that another thread races with
    /// <c>Dispose</c>.
    /// </summary>
    internal abstract class NativeHandle : SafeHandle
    {
        protected NativeHandle()
            : base(IntPtr.Zero, true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }
    }

    /// <summary>A <c>remoteit_credentials *</c>.</summary>
    internal sealed class CredentialsHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeMethods.remoteit_credentials_free(handle);
            return true;
        }
    }

    /// <summary>A <c>remoteit_client *</c>.</summary>
    internal sealed class ClientHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeMethods.remoteit_client_free(handle);
            return true;
        }
    }

    /// <summary>A <c>remoteit_headers *</c>.</summary>
    internal sealed class HeadersHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeMethods.remoteit_headers_free(handle);
            return true;
        }
    }

    /// <summary>A <c>remoteit_connection *</c>.</summary>
    internal sealed class ConnectionHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeMethods.remoteit_connection_free(handle);
            return true;
        }
    }
}
