//! `remoteit_headers`: the header fields a signature adds to a request.

use std::ffi::c_char;

use crate::ffi::error::{FfiError, remoteit_result};
use crate::ffi::{arg_ref, free_box, guard, guard_value, out_ptr};
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

/// Frees a headers object and the strings borrowed from it. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_headers_free(headers: *mut remoteit_headers) {
    guard_value("remoteit_headers_free", (), || free_box(headers))
}
