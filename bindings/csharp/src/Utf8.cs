using System;
using System.Runtime.InteropServices;
using System.Text;

namespace RemoteIt
{
    /// <summary>
    /// A native call that follows the buffer convention: it writes the string's full length
    /// (without the NUL) to <paramref name="length"/>, and the string into
    /// <paramref name="buffer"/> only when <paramref name="bufferLength"/> is larger.
    /// </summary>
    internal delegate uint BufferCall(byte[] buffer, UIntPtr bufferLength, out UIntPtr length);

    /// <summary>
    /// UTF-8 marshalling, done by hand so that it means the same on every runtime (the
    /// default string marshalling is ANSI on .NET Framework, and netstandard2.0 has no
    /// <c>Marshal.PtrToStringUTF8</c>).
    /// </summary>
    internal static class Utf8
    {
        /// <summary>
        /// <paramref name="value"/> as NUL-terminated UTF-8, or null (a NULL pointer) for null.
        /// A NUL inside the string would cut it short on the native side, so it is refused.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="value"/> contains a NUL.</exception>
        internal static byte[] ToNative(string value, string parameterName)
        {
            if (value == null)
            {
                return null;
            }
            if (value.IndexOf('\0') >= 0)
            {
                throw new ArgumentException("The string contains a NUL character.", parameterName);
            }
            byte[] bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
            Encoding.UTF8.GetBytes(value, 0, value.Length, bytes, 0);
            return bytes;
        }

        /// <summary>The NUL-terminated UTF-8 string at <paramref name="pointer"/>; null for NULL.</summary>
        internal static string FromNative(IntPtr pointer)
        {
            if (pointer == IntPtr.Zero)
            {
                return null;
            }
            int length = 0;
            while (Marshal.ReadByte(pointer, length) != 0)
            {
                length++;
            }
            byte[] bytes = new byte[length];
            Marshal.Copy(pointer, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>
        /// Runs a buffer-convention call twice: once to learn the length, once with a buffer
        /// that fits. Returns the call's result; <paramref name="value"/> is the string on
        /// success, null otherwise.
        /// </summary>
        internal static uint Read(BufferCall call, out string value)
        {
            byte[] buffer = null;
            UIntPtr length;
            uint result = call(buffer, UIntPtr.Zero, out length);
            while (result == (uint)ResultCode.BufferTooSmall)
            {
                buffer = new byte[checked((int)length.ToUInt64() + 1)];
                result = call(buffer, new UIntPtr((uint)buffer.Length), out length);
            }
            value = result == (uint)ResultCode.Ok ? Encoding.UTF8.GetString(buffer, 0, (int)length.ToUInt64()) : null;
            return result;
        }
    }
}
