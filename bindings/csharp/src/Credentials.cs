using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace RemoteIt
{
    /// <summary>
    /// A Remote.It access key: its id, its secret (kept in native memory that is zeroed when
    /// disposed, and never handed back out) and the optional developer key. Immutable, so one
    /// instance may be used from many threads at once. Dispose it when done; a
    /// <see cref="Client"/> made from it keeps its own reference and stays usable.
    /// </summary>
    public sealed class Credentials : IDisposable
    {
        private readonly CredentialsHandle handle;

        static Credentials()
        {
            Loader.EnsureLoaded();
        }

        /// <summary>
        /// Makes credentials from their parts.
        /// </summary>
        /// <param name="accessKeyId">The access key id (<c>R3_ACCESS_KEY_ID</c>).</param>
        /// <param name="secretAccessKey">The secret as written in a credentials file
        /// (<c>R3_SECRET_ACCESS_KEY</c>): base64, standard or URL-safe alphabet.</param>
        /// <param name="developerKey">The developer API key (<c>R3_DEVELOPER_API_KEY</c>), or null.</param>
        /// <exception cref="ArgumentNullException"><paramref name="accessKeyId"/> or
        /// <paramref name="secretAccessKey"/> is null.</exception>
        /// <exception cref="RemoteItException"><see cref="ResultCode.InvalidArgument"/> (an empty
        /// id, or one with spaces or quotes), <see cref="ResultCode.SecretInvalid"/>.</exception>
        public Credentials(string accessKeyId, string secretAccessKey, string developerKey = null)
        {
            if (accessKeyId == null)
            {
                throw new ArgumentNullException(nameof(accessKeyId));
            }
            if (secretAccessKey == null)
            {
                throw new ArgumentNullException(nameof(secretAccessKey));
            }
            Errors.Check(NativeMethods.remoteit_credentials_new(
                Utf8.ToNative(accessKeyId, nameof(accessKeyId)),
                Utf8.ToNative(secretAccessKey, nameof(secretAccessKey)),
                Utf8.ToNative(developerKey, nameof(developerKey)),
                out handle));
        }

        private Credentials(CredentialsHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>
        /// Loads credentials from a Remote.It credentials file (INI).
        /// </summary>
        /// <param name="path">The file; null for the default, <c>~/.remoteit/credentials</c>
        /// (<c>%USERPROFILE%\.remoteit\credentials</c> on Windows), in which case
        /// <c>R3_ACCESS_KEY_ID</c> and <c>R3_SECRET_ACCESS_KEY</c> in the environment, when both
        /// are set, are used instead of the file.</param>
        /// <param name="profile">The profile (section); null for <c>DEFAULT</c>. An exact name
        /// wins, then a case-insensitive match.</param>
        /// <exception cref="RemoteItException"><see cref="ResultCode.CredentialsNotFound"/>,
        /// <see cref="ResultCode.CredentialsInvalid"/>, <see cref="ResultCode.ProfileNotFound"/>,
        /// <see cref="ResultCode.CredentialsIncomplete"/>, <see cref="ResultCode.SecretInvalid"/>,
        /// <see cref="ResultCode.InvalidArgument"/> (a profile name with a dot).</exception>
        public static Credentials Load(string path = null, string profile = null)
        {
            return LoadFile(path, profile);
        }

        // Not inlined into Load: see the remarks of Loader.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Credentials LoadFile(string path, string profile)
        {
            CredentialsHandle loaded;
            Errors.Check(NativeMethods.remoteit_credentials_load(
                Utf8.ToNative(path, nameof(path)), Utf8.ToNative(profile, nameof(profile)), out loaded));
            return new Credentials(loaded);
        }

        /// <summary>The access key id (<c>R3_ACCESS_KEY_ID</c>).</summary>
        /// <exception cref="ObjectDisposedException">The credentials were disposed.</exception>
        public string AccessKeyId
        {
            get { return ReadString(NativeMethods.remoteit_credentials_access_key_id); }
        }

        /// <summary>
        /// The developer API key (<c>R3_DEVELOPER_API_KEY</c>, for the older REST API's
        /// <c>DeveloperKey</c> header), or null when there is none.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The credentials were disposed.</exception>
        public string DeveloperKey
        {
            get
            {
                string key = ReadString(NativeMethods.remoteit_credentials_developer_key);
                return key.Length == 0 ? null : key;
            }
        }

        /// <summary>
        /// A warning to show the user about where these credentials came from (a credentials
        /// file that its group or others may read), or null when there is none.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The credentials were disposed.</exception>
        public string Warning
        {
            get
            {
                string warning = ReadString(NativeMethods.remoteit_credentials_warning);
                return warning.Length == 0 ? null : warning;
            }
        }

        /// <summary>A native string getter of these credentials that follows the buffer convention.</summary>
        private delegate uint StringGetter(CredentialsHandle creds, byte[] buf, UIntPtr bufLen, out UIntPtr outLen);

        /// <summary>Reads a string through <paramref name="getter"/> with the two-call pattern.</summary>
        private string ReadString(StringGetter getter)
        {
            CredentialsHandle creds = Handle;
            string value;
            Errors.Check(Utf8.Read(
                (byte[] buffer, UIntPtr bufferLength, out UIntPtr length) =>
                    getter(creds, buffer, bufferLength, out length),
                out value));
            return value;
        }

        /// <summary>The native handle, for calls that take these credentials.</summary>
        /// <exception cref="ObjectDisposedException">The credentials were disposed.</exception>
        internal CredentialsHandle Handle
        {
            get
            {
                if (handle.IsClosed)
                {
                    throw new ObjectDisposedException(GetType().FullName);
                }
                return handle;
            }
        }

        /// <summary>
        /// Signs a request the Remote.It way (draft-cavage HTTP Signatures, HMAC-SHA256 over
        /// <c>(request-target) host date content-type content-length</c>). Add the returned
        /// headers to the request, which must carry <c>Host</c>, <c>Content-Type</c> and
        /// <c>Content-Length</c> exactly as signed.
        /// </summary>
        /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
        /// <param name="url">The absolute http or https URL.</param>
        /// <param name="contentType">The <c>Content-Type</c>; null leaves it out of the signature.</param>
        /// <param name="body">The exact body bytes; null for none.</param>
        /// <param name="unixTime">Seconds since the epoch; any negative value means now.</param>
        /// <returns><c>Date</c> and <c>Authorization</c>, in that order.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="method"/> or <paramref name="url"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The credentials were disposed.</exception>
        /// <exception cref="RemoteItException"><see cref="ResultCode.InvalidArgument"/>: a method
        /// that is not an HTTP token, a URL that is not absolute http/https, a control character
        /// in the content type, a time past the year 9999.</exception>
        public IList<KeyValuePair<string, string>> SignRequest(
            string method, string url, string contentType, byte[] body, long unixTime = -1)
        {
            return Sign(false, method, url, contentType, body, unixTime);
        }

        /// <summary>
        /// Signs a request with RFC 9421 HTTP Message Signatures (HMAC-SHA256, label
        /// <c>remoteit</c>, components <c>"@method" "@authority" "@target-uri" "date"</c> plus
        /// <c>"content-digest"</c> when there is a body, valid for 300 seconds).
        /// </summary>
        /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
        /// <param name="url">The absolute http or https URL.</param>
        /// <param name="contentType">The <c>Content-Type</c>, or null.</param>
        /// <param name="body">The exact body bytes; null for none.</param>
        /// <param name="unixTime">Seconds since the epoch; any negative value means now.</param>
        /// <returns><c>Date</c>, <c>Content-Digest</c> (only with a non-empty body),
        /// <c>Signature-Input</c> and <c>Signature</c>, in that order.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="method"/> or <paramref name="url"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The credentials were disposed.</exception>
        /// <exception cref="RemoteItException">As for <see cref="SignRequest"/>.</exception>
        public IList<KeyValuePair<string, string>> SignRequestRfc9421(
            string method, string url, string contentType, byte[] body, long unixTime = -1)
        {
            return Sign(true, method, url, contentType, body, unixTime);
        }

        private IList<KeyValuePair<string, string>> Sign(
            bool rfc9421, string method, string url, string contentType, byte[] body, long unixTime)
        {
            if (method == null)
            {
                throw new ArgumentNullException(nameof(method));
            }
            if (url == null)
            {
                throw new ArgumentNullException(nameof(url));
            }
            CredentialsHandle creds = Handle;
            byte[] nativeMethod = Utf8.ToNative(method, nameof(method));
            byte[] nativeUrl = Utf8.ToNative(url, nameof(url));
            byte[] nativeContentType = Utf8.ToNative(contentType, nameof(contentType));
            UIntPtr bodyLength = new UIntPtr(body == null ? 0u : (uint)body.Length);
            HeadersHandle headers;
            Errors.Check(rfc9421
                ? NativeMethods.remoteit_sign_request_rfc9421(creds, nativeMethod, nativeUrl, nativeContentType, body, bodyLength, unixTime, out headers)
                : NativeMethods.remoteit_sign_request(creds, nativeMethod, nativeUrl, nativeContentType, body, bodyLength, unixTime, out headers));
            using (headers)
            {
                int count = (int)NativeMethods.remoteit_headers_count(headers).ToUInt64();
                List<KeyValuePair<string, string>> list = new List<KeyValuePair<string, string>>(count);
                for (int i = 0; i < count; i++)
                {
                    IntPtr name, value;
                    Errors.Check(NativeMethods.remoteit_headers_get(headers, new UIntPtr((uint)i), out name, out value));
                    list.Add(new KeyValuePair<string, string>(Utf8.FromNative(name), Utf8.FromNative(value)));
                }
                return list.AsReadOnly();
            }
        }

        /// <summary>Frees the native credentials (their secret is zeroed). Calling it again does nothing.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
