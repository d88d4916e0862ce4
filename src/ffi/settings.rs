//! The settings of a `remoteit_client`. Every setter may be called at any time, from any
//! thread, also while other threads make calls with the same client: a call in flight
//! finishes with the settings it started with, the next call sees the new ones.

use std::ffi::{CString, c_char, c_void};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::client::LogLevel;
use crate::ffi::client::remoteit_client;
use crate::ffi::error::{FfiError, remoteit_result};
use crate::ffi::signing::scheme_from_c;
use crate::ffi::{arg_ref, arg_str, guard, opt_str, out_ptr};

/// Log level of a failed call.
pub const REMOTEIT_LOG_ERROR: u32 = 1;
/// Log level of what was recovered from: a retry, a clock correction, a warning from the API.
pub const REMOTEIT_LOG_WARN: u32 = 2;
/// Log level of each attempt: method, URL, status and duration (`<n> ms`).
pub const REMOTEIT_LOG_INFO: u32 = 3;
/// Log level of what was signed: the signing string or signature base of each request.
pub const REMOTEIT_LOG_DEBUG: u32 = 4;

/// Receives one log line: `userdata` as given to `remoteit_client_set_log_callback`, the
/// line's level (`REMOTEIT_LOG_*`) and the line, NUL-terminated UTF-8, valid during the
/// callback only. Called on the thread that makes the call, so it may run on several threads
/// at once.
pub type remoteit_log_callback =
    Option<unsafe extern "C" fn(userdata: *mut c_void, level: u32, message: *const c_char)>;

/// Sets how long a whole call may take, retries included, in milliseconds (at least 1;
/// connecting takes at most 10 s of it).
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (0). Safe at any time,
/// from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_timeout_ms(
    client: *mut remoteit_client,
    timeout_ms: u32,
) -> remoteit_result {
    guard("remoteit_client_set_timeout_ms", || {
        let client = arg_ref(client, "client")?;
        client
            .inner
            .set_timeout(Duration::from_millis(u64::from(timeout_ms)))?;
        Ok(())
    })
}

/// Trusts the CA certificates in the PEM file `pem_path` in addition to the bundled and
/// system roots (for private CAs and tests). May be called more than once; the pool of
/// kept-alive connections starts anew.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (unreadable file, no
/// certificate in it, bad UTF-8). Safe at any time, from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_ca_file(
    client: *mut remoteit_client,
    pem_path: *const c_char,
) -> remoteit_result {
    guard("remoteit_client_set_ca_file", || {
        let client = arg_ref(client, "client")?;
        let path = arg_str(pem_path, "pem_path")?;
        client.inner.set_ca_file(Path::new(path))?;
        Ok(())
    })
}

/// Chooses how the client signs: `REMOTEIT_SCHEME_CAVAGE` (the default) or
/// `REMOTEIT_SCHEME_RFC9421`.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (another value).
/// Safe at any time, from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_signing_scheme(
    client: *mut remoteit_client,
    scheme: u32,
) -> remoteit_result {
    guard("remoteit_client_set_signing_scheme", || {
        let client = arg_ref(client, "client")?;
        client.inner.set_signing_scheme(scheme_from_c(scheme)?);
        Ok(())
    })
}

/// Sets how many further attempts a call may make after a transient failure (default 2; 0
/// turns retries off). Retried, with exponential backoff from 250 ms and full jitter, never
/// past the call's timeout, honouring `Retry-After`: HTTP 429 and 503 always; 502 and 504
/// for operations without side effects (a GraphQL document without a `mutation`, a REST
/// `GET`); a refused connection or a failed DNS lookup.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`. Safe at any time, from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_max_retries(
    client: *mut remoteit_client,
    max_retries: u32,
) -> remoteit_result {
    guard("remoteit_client_set_max_retries", || {
        arg_ref(client, "client")?
            .inner
            .set_max_retries(max_retries);
        Ok(())
    })
}

/// Turns clock correction on (1, the default) or off (0). When on, the client keeps the
/// difference between the server's `Date` and this machine's clock and, once it exceeds 5 s,
/// signs with the server's time; a 401/403 that shows a new such difference is signed again
/// and sent once more. When off, such a 401 names the difference.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (not 0 or 1). Safe at
/// any time, from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_clock_correction(
    client: *mut remoteit_client,
    enabled: u32,
) -> remoteit_result {
    guard("remoteit_client_set_clock_correction", || {
        let client = arg_ref(client, "client")?;
        let enabled = match enabled {
            0 => false,
            1 => true,
            other => {
                return Err(FfiError::invalid(format!(
                    "clock correction is 0 (off) or 1 (on), not {other}"
                )));
            }
        };
        client.inner.set_clock_correction(enabled);
        Ok(())
    })
}

/// `*out_seconds` receives the clock offset in use: the server's time minus this machine's,
/// in seconds (0 until one beyond 5 s has been measured with correction on).
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_clock_offset(
    client: *const remoteit_client,
    out_seconds: *mut i64,
) -> remoteit_result {
    guard("remoteit_client_clock_offset", || {
        let out = out_ptr(out_seconds, "out_seconds")?;
        out.write(arg_ref(client, "client")?.inner.clock_offset());
        Ok(())
    })
}

/// Sends the client's log lines up to `max_level` (`REMOTEIT_LOG_ERROR` 1 to
/// `REMOTEIT_LOG_DEBUG` 4) to `callback` with `userdata`; a NULL `callback` turns the log off.
/// INFO: each attempt's method, URL, status and duration; WARN: each retry and its reason,
/// each clock correction, each `X-R3-Warning` of the API; DEBUG: the signing string or
/// signature base of each request. Never the secret, never a signature value. The callback
/// runs on the thread making the call (so on several threads at once when the client is
/// shared) and must not free the client; `userdata` must stay valid until the callback is
/// replaced or the client is freed.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (`max_level` not 1 to
/// 4). Safe at any time, from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_log_callback(
    client: *mut remoteit_client,
    max_level: u32,
    callback: remoteit_log_callback,
    userdata: *mut c_void,
) -> remoteit_result {
    guard("remoteit_client_set_log_callback", || {
        let client = arg_ref(client, "client")?;
        let level = match max_level {
            REMOTEIT_LOG_ERROR => LogLevel::Error,
            REMOTEIT_LOG_WARN => LogLevel::Warn,
            REMOTEIT_LOG_INFO => LogLevel::Info,
            REMOTEIT_LOG_DEBUG => LogLevel::Debug,
            other => {
                return Err(FfiError::invalid(format!(
                    "log level {other} is not REMOTEIT_LOG_ERROR (1) to REMOTEIT_LOG_DEBUG (4)"
                )));
            }
        };
        let sink = callback.map(|callback| {
            // The caller promises the callback may be called from any thread with `userdata`.
            let userdata = userdata as usize;
            Arc::new(move |level: LogLevel, line: &str| {
                let line = CString::new(line.replace('\0', "\u{fffd}")).unwrap_or_default();
                // SAFETY: the callback and userdata are the caller's, valid as documented;
                // the line is a NUL-terminated string that outlives the call.
                unsafe {
                    callback(
                        userdata as *mut c_void,
                        log_level_to_c(level),
                        line.as_ptr(),
                    )
                };
            }) as crate::client::LogSink
        });
        client.inner.set_logger(level, sink);
        Ok(())
    })
}

/// Sends `User-Agent: <product> libremoteit/<version>`; `product` is an RFC 9110 token with
/// an optional `/version` (`myapp/1.2`). NULL restores the default `libremoteit/<version>`.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT` (`client`), `REMOTEIT_ERR_INVALID_ARGUMENT` (not such a
/// token, bad UTF-8). Safe at any time, from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_client_set_user_agent(
    client: *mut remoteit_client,
    product: *const c_char,
) -> remoteit_result {
    guard("remoteit_client_set_user_agent", || {
        let client = arg_ref(client, "client")?;
        client.inner.set_user_agent(opt_str(product, "product")?)?;
        Ok(())
    })
}

/// `level` as its `REMOTEIT_LOG_*` number.
fn log_level_to_c(level: LogLevel) -> u32 {
    match level {
        LogLevel::Error => REMOTEIT_LOG_ERROR,
        LogLevel::Warn => REMOTEIT_LOG_WARN,
        LogLevel::Info => REMOTEIT_LOG_INFO,
        LogLevel::Debug => REMOTEIT_LOG_DEBUG,
    }
}
