// Trace.TraceError is [Conditional("TRACE")]: defined here so that the report of a throwing log
// receiver is compiled in whatever the build defines (mcs defines nothing by default).
#define TRACE

using System;
using System.Diagnostics;
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

    /// <summary>
    /// A <c>remoteit_client *</c>, and the client's log: the native log callback is this
    /// handle's one <see cref="NativeMethods.LogCallback"/> delegate, created with the handle and
    /// referenced by it until the handle is gone. The handle, not the <see cref="Client"/>, holds
    /// it because the handle is what every native call keeps alive (the marshaller references it
    /// for the call's duration, even when the <see cref="Client"/> object is already unreachable),
    /// and it outlives the native client (its <see cref="ReleaseHandle"/> frees the client).
    /// Replacing the log only swaps the managed <see cref="Action{T1, T2}"/> the delegate calls,
    /// so a call in flight that still holds the native pointer it started with reaches a live
    /// delegate too.
    /// </summary>
    internal sealed class ClientHandle : NativeHandle
    {
        private readonly NativeMethods.LogCallback trampoline;
        private readonly object logGate = new object();
        private volatile Action<LogLevel, string> log;
        private LogLevel logLevel = LogLevel.Info;

        /// <summary>An invalid handle, for the marshaller to fill in.</summary>
        public ClientHandle()
        {
            trampoline = Deliver;
        }

        /// <summary>The log's receiver; null when the log is off.</summary>
        internal Action<LogLevel, string> Log
        {
            get { return log; }
        }

        /// <summary>The most detailed level the log receives.</summary>
        internal LogLevel LogLevel
        {
            get
            {
                lock (logGate)
                {
                    return logLevel;
                }
            }
        }

        /// <summary>
        /// Registers <paramref name="receiver"/> (null: the log off) at <paramref name="level"/>
        /// with the library. The lock keeps the managed pair and the native registration the
        /// same when two threads set them at once; the library itself needs no lock for it.
        /// </summary>
        /// <exception cref="InvalidArgumentException"><paramref name="level"/> is not a <see cref="RemoteIt.LogLevel"/>.</exception>
        internal void SetLog(Action<LogLevel, string> receiver, LogLevel level)
        {
            lock (logGate)
            {
                Errors.Check(NativeMethods.remoteit_client_set_log_callback(
                    this, (uint)level, receiver == null ? null : trampoline, IntPtr.Zero));
                log = receiver;
                logLevel = level;
            }
        }

        /// <summary>Sets the receiver, keeping the level.</summary>
        internal void SetLog(Action<LogLevel, string> receiver)
        {
            lock (logGate)
            {
                SetLog(receiver, logLevel);
            }
        }

        /// <summary>Sets the level, keeping the receiver.</summary>
        internal void SetLogLevel(LogLevel level)
        {
            lock (logGate)
            {
                SetLog(log, level);
            }
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.remoteit_client_free(handle);
            return true;
        }

        /// <summary>
        /// The native callback: hands the line to the receiver. Nothing may leave it by an
        /// exception (it would unwind through the library's frames): a receiver's exception is
        /// reported through <see cref="Trace"/> and the call goes on.
        /// </summary>
        private void Deliver(IntPtr userdata, uint level, IntPtr message)
        {
            try
            {
                Action<LogLevel, string> receiver = log;
                if (receiver != null)
                {
                    receiver((LogLevel)level, Utf8.FromNative(message));
                }
            }
            catch (Exception e)
            {
                try
                {
                    Trace.TraceError("RemoteIt: the Client.Log callback threw (the line is dropped, the call goes on): {0}", e);
                }
                catch (Exception)
                {
                    // A trace listener that throws: nothing more can be done here.
                }
            }
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

    /// <summary>A <c>remoteit_device_list *</c>, owner of the devices and services borrowed from it.</summary>
    internal sealed class DeviceListHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeMethods.remoteit_device_list_free(handle);
            return true;
        }
    }
}
