//! `remoteit_connection`: a connection the API opened to a service, and its accessors.

use std::ffi::{CString, c_char};

use crate::ffi::error::FfiError;
use crate::ffi::{api_c_string, arg_ref, borrowed_field, free_box, guard_value};
use crate::operations::Connection;

/// A connection the API opened to a service. Opaque; belongs to one thread at a time.
pub struct remoteit_connection {
    id: CString,
    host: CString,
    url: CString,
    port: i32,
    reverse_proxy: bool,
    timeout: i32,
}

impl remoteit_connection {
    pub(crate) fn new(c: Connection) -> Result<Self, FfiError> {
        let c_string =
            |text: String| api_c_string(text, || "the connection holds a NUL byte".to_owned());
        Ok(remoteit_connection {
            id: c_string(c.id)?,
            host: c_string(c.host)?,
            url: c_string(c.url)?,
            port: c.port.map_or(-1, i32::from),
            reverse_proxy: c.reverse_proxy,
            timeout: c.timeout.unwrap_or(-1),
        })
    }
}

/// The connection id (for `remoteit_disconnect`), borrowed from `conn`; NULL for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connection_id(conn: *const remoteit_connection) -> *const c_char {
    guard_value("remoteit_connection_id", std::ptr::null(), || {
        borrowed_field(conn, "conn", |c| &c.id)
    })
}

/// The host to connect to, borrowed from `conn`; NULL for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connection_host(conn: *const remoteit_connection) -> *const c_char {
    guard_value("remoteit_connection_host", std::ptr::null(), || {
        borrowed_field(conn, "conn", |c| &c.host)
    })
}

/// The connection's URL (`https://...` for a reverse proxy, `tcp://host:port` or similar
/// otherwise; empty when the API gave none), borrowed from `conn`; NULL for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connection_url(conn: *const remoteit_connection) -> *const c_char {
    guard_value("remoteit_connection_url", std::ptr::null(), || {
        borrowed_field(conn, "conn", |c| &c.url)
    })
}

/// The port to connect to; -1 when the API gave none (a reverse proxy) or `conn` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connection_port(conn: *const remoteit_connection) -> i32 {
    guard_value("remoteit_connection_port", -1, || {
        arg_ref(conn, "conn").map_or(-1, |c| c.port)
    })
}

/// 1 when the connection is an HTTPS reverse proxy (use its URL), 0 otherwise or for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connection_reverse_proxy(conn: *const remoteit_connection) -> i32 {
    guard_value("remoteit_connection_reverse_proxy", 0, || {
        arg_ref(conn, "conn").map_or(0, |c| i32::from(c.reverse_proxy))
    })
}

/// Idle minutes before the API closes the connection; -1 when the API gave none or for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connection_timeout(conn: *const remoteit_connection) -> i32 {
    guard_value("remoteit_connection_timeout", -1, || {
        arg_ref(conn, "conn").map_or(-1, |c| c.timeout)
    })
}

/// Frees a connection object (it does not disconnect). NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_connection_free(conn: *mut remoteit_connection) {
    guard_value("remoteit_connection_free", (), || free_box(conn))
}
