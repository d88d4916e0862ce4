//! `remoteit_headers`: the header fields a signature adds to a request.

use std::ffi::c_char;

use crate::ffi::error::{FfiError, remoteit_result};
use crate::ffi::{arg_ref, free_box, guard, guard_value, out_ptr, write_string};
use crate::signing::buffer::SignedHeaders;

/// The headers to add to a signed request, as name/value pairs in order. Opaque; belongs to
/// one thread at a time. Its strings live in the object itself (one allocation in all for
/// usual sizes).
pub struct remoteit_headers {
    pub(crate) fields: SignedHeaders,
}

/// The number of headers; 0 for NULL.
///
/// Not thread-safe for one handle.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_headers_count(headers: *const remoteit_headers) -> usize {
    guard_value("remoteit_headers_count", 0, || {
        arg_ref(headers, "headers").map_or(0, |h| h.fields.len())
    })
}

/// The header at `index` (0 to count - 1): `*name` and `*value` receive NUL-terminated strings
/// borrowed from `headers`, valid until it is freed.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (index out of range).
/// Not thread-safe for one handle.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_headers_get(
    headers: *const remoteit_headers,
    index: usize,
    name: *mut *const c_char,
    value: *mut *const c_char,
) -> remoteit_result {
    guard("remoteit_headers_get", || {
        let headers = arg_ref(headers, "headers")?;
        let name = out_ptr(name, "name")?;
        let value = out_ptr(value, "value")?;
        let (n, v) = headers.fields.get_with_nul(index).ok_or_else(|| {
            FfiError::invalid(format!(
                "header index {index} is out of range (there are {})",
                headers.fields.len()
            ))
        })?;
        name.write(n.as_ptr().cast());
        value.write(v.as_ptr().cast());
        Ok(())
    })
}

/// All the headers as one HTTP header block: each header as `Name: value` followed by CRLF,
/// in order, for a program that writes the request itself or splits it into a header list
/// (libcurl's `CURLOPT_HTTPHEADER` takes the lines without their CRLF). The buffer
/// convention: `*out_len` (if not NULL) gets the length without the NUL, and
/// `REMOTEIT_ERR_BUFFER_TOO_SMALL` leaves `buf` untouched. No name or value holds a CR or LF.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_BUFFER_TOO_SMALL`.
/// Not thread-safe for one handle.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_headers_text(
    headers: *const remoteit_headers,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> remoteit_result {
    guard("remoteit_headers_text", || {
        let headers = arg_ref(headers, "headers")?;
        write_string(&headers.fields.header_block(), buf, buf_len, out_len)
    })
}

/// Frees a headers object and the strings borrowed from it. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_headers_free(headers: *mut remoteit_headers) {
    guard_value("remoteit_headers_free", (), || free_box(headers))
}
