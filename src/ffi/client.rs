//! `remoteit_client` and `remoteit_connection`: signed GraphQL calls.

use std::ffi::c_char;
use std::path::Path;
use std::time::Duration;

use crate::client::Client;
use crate::ffi::connection::remoteit_connection;
use crate::ffi::credentials::remoteit_credentials;
use crate::ffi::error::{FfiError, remoteit_result};
use crate::ffi::library::new_c_string;
use crate::ffi::signing::scheme_from_c;
use crate::ffi::{arg_mut, arg_ref, arg_str, free_box, guard, guard_value, opt_str, out_ptr};
use crate::operations::{ConnectOptions, ProxyType};

/// `connect` proxy type `AUTO_PROXY`: the API chooses (the API's default).
pub const REMOTEIT_PROXY_AUTO: u32 = 0;
/// `connect` proxy type `REVERSE_PROXY`: an HTTPS reverse proxy (a URL, no port).
pub const REMOTEIT_PROXY_REVERSE: u32 = 1;
/// `connect` proxy type `PORT_PROXY`: a TCP port on a proxy host.
pub const REMOTEIT_PROXY_PORT: u32 = 2;

/// A client of the Remote.It GraphQL API: credentials, API URL, options and a pool of
/// kept-alive connections. Opaque. Set its options before sharing it; after that it is
/// immutable and may be used from many threads at once.
pub struct remoteit_client {
    pub(crate) inner: Client,
}

/// Makes a client for `api_url` (NULL: `https://api.remote.it/graphql/v1`; `http://` only to
/// loopback hosts). The client keeps its own reference to `creds`: the caller may free them
/// afterwards. Defaults: 30 s per call (10 s to connect), draft-cavage signatures, bundled
/// Mozilla roots plus the system's PEM bundle. Free it with `remoteit_client_free`.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (bad UTF-8, a
/// malformed URL, plain http to a non-loopback host). Thread-safe for `creds`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_new(
    creds: *const remoteit_credentials,
    api_url: *const c_char,
    out: *mut *mut remoteit_client,
) -> remoteit_result {
    guard("remoteit_client_new", || {
        let out = out_ptr(out, "out")?;
        let creds = arg_ref(creds, "creds")?;
        let api_url = opt_str(api_url, "api_url")?;
        let client = Client::new(creds.inner.clone(), api_url)?;
        out.write_box(remoteit_client { inner: client });
        Ok(())
    })
}

/// Sets how long a whole call may take, in milliseconds (at least 1; connecting takes at
/// most 10 s of it).
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (0). Call before the
/// client is shared between threads.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_timeout_ms(
    client: *mut remoteit_client,
    timeout_ms: u32,
) -> remoteit_result {
    guard("remoteit_client_set_timeout_ms", || {
        let client = arg_mut(client, "client")?;
        client
            .inner
            .set_timeout(Duration::from_millis(u64::from(timeout_ms)))?;
        Ok(())
    })
}

/// Trusts the CA certificates in the PEM file `pem_path` in addition to the bundled and
/// system roots (for private CAs and tests). May be called more than once.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (unreadable file, no
/// certificate in it, bad UTF-8). Call before the client is shared between threads.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_ca_file(
    client: *mut remoteit_client,
    pem_path: *const c_char,
) -> remoteit_result {
    guard("remoteit_client_set_ca_file", || {
        let client = arg_mut(client, "client")?;
        let path = arg_str(pem_path, "pem_path")?;
        client.inner.set_ca_file(Path::new(path))?;
        Ok(())
    })
}

/// Chooses how the client signs: `REMOTEIT_SCHEME_CAVAGE` (the default) or
/// `REMOTEIT_SCHEME_RFC9421`.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (another value).
/// Call before the client is shared between threads.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_signing_scheme(
    client: *mut remoteit_client,
    scheme: u32,
) -> remoteit_result {
    guard("remoteit_client_set_signing_scheme", || {
        let client = arg_mut(client, "client")?;
        client.inner.set_signing_scheme(scheme_from_c(scheme)?);
        Ok(())
    })
}

/// Frees a client and closes its connections. NULL is a no-op.
///
/// Not to be called while another thread uses the client.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_free(client: *mut remoteit_client) {
    guard_value("remoteit_client_free", (), || free_box(client))
}

/// Sends a GraphQL operation, signed. `variables_json` is a JSON object (NULL or `null`: no
/// variables). On success `*out_data_json` receives the response's `data`, the JSON text as
/// the server sent it, to free with `remoteit_string_free`.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `_INVALID_ARGUMENT` (bad UTF-8, an empty query,
/// variables that are not a JSON object), `_NETWORK`, `_TIMEOUT`, `_TLS`, `_UNAUTHORIZED`,
/// `_RATE_LIMITED`, `_HTTP_STATUS`, `_GRAPHQL` (every error message is in the last error),
/// `_PROTOCOL`. Thread-safe for `client`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_graphql(
    client: *const remoteit_client,
    query: *const c_char,
    variables_json: *const c_char,
    out_data_json: *mut *mut c_char,
) -> remoteit_result {
    guard("remoteit_graphql", || {
        let out = out_ptr(out_data_json, "out_data_json")?;
        let client = arg_ref(client, "client")?;
        let query = arg_str(query, "query")?;
        let variables = opt_str(variables_json, "variables_json")?
            .map(|text| {
                serde_json::from_str::<serde_json::Value>(text).map_err(|e| {
                    FfiError::invalid(format!("variables_json is not valid JSON: {e}"))
                })
            })
            .transpose()?;
        let data = client.inner.graphql_raw(query, variables.as_ref())?;
        out.write(new_c_string(&data));
        Ok(())
    })
}

/// Opens a connection to a service (`connect` with the API's defaults). On success `*out`
/// receives a connection to free with `remoteit_connection_free`.
///
/// Errors: as `remoteit_graphql`; an unknown service is `REMOTEIT_ERR_GRAPHQL`.
/// Thread-safe for `client`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connect(
    client: *const remoteit_client,
    service_id: *const c_char,
    out: *mut *mut remoteit_connection,
) -> remoteit_result {
    guard("remoteit_connect", || {
        connect(client, service_id, None, None, out)
    })
}

/// Opens a connection to a service with the API's `hostIP` (NULL: the API's default,
/// `255.255.255.255` = the first address to use it; `0.0.0.0` = public) and proxy `type`
/// (`REMOTEIT_PROXY_AUTO`, `_REVERSE` or `_PORT`).
///
/// Errors: as `remoteit_connect`, and `REMOTEIT_ERR_INVALID_ARGUMENT` for an unknown
/// `proxy_type`. Thread-safe for `client`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connect_with_options(
    client: *const remoteit_client,
    service_id: *const c_char,
    host_ip: *const c_char,
    proxy_type: u32,
    out: *mut *mut remoteit_connection,
) -> remoteit_result {
    guard("remoteit_connect_with_options", || {
        connect(client, service_id, Some(host_ip), Some(proxy_type), out)
    })
}

/// `connect` with the C arguments: `host_ip` and `proxy_type` are `None` for the API defaults.
fn connect(
    client: *const remoteit_client,
    service_id: *const c_char,
    host_ip: Option<*const c_char>,
    proxy_type: Option<u32>,
    out: *mut *mut remoteit_connection,
) -> Result<(), FfiError> {
    let out = out_ptr(out, "out")?;
    let client = arg_ref(client, "client")?;
    let service_id = arg_str(service_id, "service_id")?;
    let proxy_type = match proxy_type {
        None => None,
        Some(REMOTEIT_PROXY_AUTO) => Some(ProxyType::Auto),
        Some(REMOTEIT_PROXY_REVERSE) => Some(ProxyType::Reverse),
        Some(REMOTEIT_PROXY_PORT) => Some(ProxyType::Port),
        Some(other) => return Err(FfiError::invalid(format!("{other} is not a proxy type"))),
    };
    let host_ip = match host_ip {
        Some(p) => opt_str(p, "host_ip")?.map(str::to_owned),
        None => None,
    };
    let options = ConnectOptions {
        host_ip,
        proxy_type,
    };
    let connection = client.inner.connect_with_options(service_id, &options)?;
    out.write_box(remoteit_connection::new(connection)?);
    Ok(())
}

/// Closes a connection by its id.
///
/// Errors: as `remoteit_graphql`; an unknown or already closed connection is
/// `REMOTEIT_ERR_GRAPHQL`. Thread-safe for `client`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_disconnect(
    client: *const remoteit_client,
    connection_id: *const c_char,
) -> remoteit_result {
    guard("remoteit_disconnect", || {
        let client = arg_ref(client, "client")?;
        let connection_id = arg_str(connection_id, "connection_id")?;
        client.inner.disconnect(connection_id)?;
        Ok(())
    })
}
