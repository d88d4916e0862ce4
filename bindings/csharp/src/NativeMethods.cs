using System;
using System.Runtime.InteropServices;

namespace RemoteIt
{
    /// <summary>
    /// The raw imports of <c>include/remoteit.h</c>: one declaration per exported function,
    /// with the header's types (<c>size_t</c> is <see cref="UIntPtr"/>, <c>remoteit_result</c>
    /// and <c>uint32_t</c> are <see cref="uint"/>, <c>int32_t</c> is <see cref="int"/>,
    /// <c>int64_t</c> is <see cref="long"/>). Strings go in as NUL-terminated UTF-8
    /// (<see cref="Utf8.ToNative"/>) and come out as borrowed pointers or through the
    /// two-call buffer convention (<see cref="Utf8"/>). Nothing here checks a result: see
    /// <see cref="Errors.Check"/>.
    /// </summary>
    internal static class NativeMethods
    {
        /// <summary>
        /// <c>remoteit_log_callback</c>: <c>void (*)(void *userdata, uint32_t level, const char *message)</c>,
        /// <paramref name="message"/> valid during the call only. It must never let an exception
        /// escape into native code.
        /// </summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void LogCallback(IntPtr userdata, uint level, IntPtr message);

        /// <summary>
        /// The plain library name every import below uses: the runtime makes it libremoteit.so,
        /// libremoteit.dylib or remoteit.dll.
        /// </summary>
        internal const string LibraryName = "remoteit";

        // Library

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_version();

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_result_name(uint code);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_last_error_message([Out] byte[] buf, UIntPtr buf_len, out UIntPtr out_len);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void remoteit_string_free(IntPtr s);

        // Credentials

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_credentials_load(byte[] path, byte[] profile, out CredentialsHandle out_credentials);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_credentials_new(byte[] access_key_id, byte[] secret_access_key, byte[] developer_key, out CredentialsHandle out_credentials);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_credentials_access_key_id(CredentialsHandle creds, [Out] byte[] buf, UIntPtr buf_len, out UIntPtr out_len);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_credentials_developer_key(CredentialsHandle creds, [Out] byte[] buf, UIntPtr buf_len, out UIntPtr out_len);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_credentials_warning(CredentialsHandle creds, [Out] byte[] buf, UIntPtr buf_len, out UIntPtr out_len);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void remoteit_credentials_free(IntPtr creds);

        // Signing

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_sign(CredentialsHandle creds, uint scheme, byte[] method, byte[] url, byte[] content_type, byte[] body, UIntPtr body_len, long unix_time, out HeadersHandle out_headers);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_sign_request(CredentialsHandle creds, byte[] method, byte[] url, byte[] content_type, byte[] body, UIntPtr body_len, long unix_time, out HeadersHandle out_headers);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_sign_request_rfc9421(CredentialsHandle creds, byte[] method, byte[] url, byte[] content_type, byte[] body, UIntPtr body_len, long unix_time, out HeadersHandle out_headers);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_signing_string(byte[] method, byte[] url, byte[] content_type, UIntPtr content_length, long unix_time, [Out] byte[] buf, UIntPtr buf_len, out UIntPtr out_len);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern UIntPtr remoteit_headers_count(HeadersHandle headers);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_headers_get(HeadersHandle headers, UIntPtr index, out IntPtr name, out IntPtr value);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_headers_text(HeadersHandle headers, [Out] byte[] buf, UIntPtr buf_len, out UIntPtr out_len);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void remoteit_headers_free(IntPtr headers);

        // Client

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_new(CredentialsHandle creds, byte[] api_url, out ClientHandle out_client);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_set_timeout_ms(ClientHandle client, uint timeout_ms);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_set_ca_file(ClientHandle client, byte[] pem_path);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_set_signing_scheme(ClientHandle client, uint scheme);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_set_max_retries(ClientHandle client, uint max_retries);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_set_clock_correction(ClientHandle client, uint enabled);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_clock_offset(ClientHandle client, out long out_seconds);

        /// <summary>
        /// <paramref name="callback"/> becomes a native function pointer that is valid only while
        /// the delegate is alive: the caller keeps it referenced for as long as it is registered
        /// (see <see cref="ClientHandle"/>). A null delegate is a NULL pointer (log off).
        /// </summary>
        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_set_log_callback(ClientHandle client, uint max_level, LogCallback callback, IntPtr userdata);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_client_set_user_agent(ClientHandle client, byte[] product);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void remoteit_client_free(IntPtr client);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_graphql(ClientHandle client, byte[] query, byte[] variables_json, out IntPtr out_data_json);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_connect(ClientHandle client, byte[] service_id, out ConnectionHandle out_connection);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_connect_with_options(ClientHandle client, byte[] service_id, byte[] host_ip, uint proxy_type, out ConnectionHandle out_connection);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_disconnect(ClientHandle client, byte[] connection_id);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_rest(ClientHandle client, byte[] method, byte[] path, byte[] body_json, out IntPtr out_json);

        // Devices and services (remoteit_device and remoteit_service pointers are borrowed
        // from their list: read them only while the DeviceListHandle is open)

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_devices_list(ClientHandle client, byte[] name_filter, byte[] account_id, out DeviceListHandle out_list);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern UIntPtr remoteit_device_list_count(DeviceListHandle list);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_device_list_get(DeviceListHandle list, UIntPtr index);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_device_id(IntPtr device);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_device_name(IntPtr device);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_device_state(IntPtr device);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int remoteit_device_online(IntPtr device);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern UIntPtr remoteit_device_service_count(IntPtr device);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_device_service_get(IntPtr device, UIntPtr index);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_service_id(IntPtr service);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_service_name(IntPtr service);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int remoteit_service_application(IntPtr service);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int remoteit_service_port(IntPtr service);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void remoteit_device_list_free(IntPtr list);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint remoteit_service_find(DeviceListHandle list, byte[] device_name, byte[] service_name, out IntPtr out_service);

        // Connection

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_connection_id(ConnectionHandle conn);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_connection_host(ConnectionHandle conn);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr remoteit_connection_url(ConnectionHandle conn);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int remoteit_connection_port(ConnectionHandle conn);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int remoteit_connection_reverse_proxy(ConnectionHandle conn);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int remoteit_connection_timeout(ConnectionHandle conn);

        [DllImport("remoteit", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void remoteit_connection_free(IntPtr conn);
    }
}
