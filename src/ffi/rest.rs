//! `remoteit_rest`: the REST API with the developer key.

use std::ffi::c_char;

use crate::ffi::client::remoteit_client;
use crate::ffi::error::remoteit_result;
use crate::ffi::library::new_c_string;
use crate::ffi::{arg_ref, arg_str, guard, opt_str, out_ptr};

/// Calls the REST API: `method` (`"GET"`, `"POST"`, ...) on `<origin of the API URL>/apv/v27`
/// followed by `path` (which starts with `/`: `"/user/info"`), with `body_json` as the body
/// (NULL: none; otherwise it must be valid JSON), signed with the client's scheme and carrying
/// `DeveloperKey: <R3_DEVELOPER_API_KEY>`. On success `*out_json` receives the reply's JSON
/// text, to free with `remoteit_string_free`.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `_INVALID_ARGUMENT` (bad UTF-8, a malformed method, a
/// path that does not start with `/` or holds characters a URL cannot carry, a body that is
/// not JSON), `_CREDENTIALS_INCOMPLETE` (no developer key: nothing is sent), `_API` (a reply
/// `{"status": "false", ...}`, whatever its HTTP status: the message has its reason and code),
/// `_NETWORK`, `_TIMEOUT`, `_TLS`, `_UNAUTHORIZED`, `_RATE_LIMITED`, `_HTTP_STATUS`,
/// `_PROTOCOL` (a reply that is not JSON). Thread-safe for `client`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_rest(
    client: *const remoteit_client,
    method: *const c_char,
    path: *const c_char,
    body_json: *const c_char,
    out_json: *mut *mut c_char,
) -> remoteit_result {
    guard("remoteit_rest", || {
        let out = out_ptr(out_json, "out_json")?;
        let client = arg_ref(client, "client")?;
        let method = arg_str(method, "method")?;
        let path = arg_str(path, "path")?;
        let body_json = opt_str(body_json, "body_json")?;
        let reply = client.inner.rest(method, path, body_json)?;
        out.write(new_c_string(&reply));
        Ok(())
    })
}
