//! The C ABI: argument checks and conversions around the core, and nothing else.
//!
//! Every exported function runs its body through [`guard`], which catches panics and records
//! the message of a failure in the thread-local last-error slot.

#![allow(non_camel_case_types)]

// cbindgen writes the header in the order it reads these modules: the library-level items
// (the version macros) come first, as they always have.
pub mod library;

pub mod client;
pub mod connection;
pub mod credentials;
pub mod devices;
pub mod error;
pub mod headers;
pub mod rest;
pub mod settings;
pub mod signing;

use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use error::{FfiError, remoteit_result, set_last_error};

/// Runs an exported function's body: a panic becomes `REMOTEIT_ERR_PANIC`, and any failure
/// leaves its message in the last-error slot. Nothing here can unwind into C: storing the
/// message is inside the catch, and the slot itself never panics.
pub(crate) fn guard(
    function: &str,
    body: impl FnOnce() -> Result<(), FfiError>,
) -> remoteit_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| match body() {
        Ok(()) => remoteit_result::REMOTEIT_OK,
        Err(e) => {
            set_last_error(&e.message);
            e.code
        }
    }));
    outcome.unwrap_or_else(|payload| {
        record_panic(function, payload);
        remoteit_result::REMOTEIT_ERR_PANIC
    })
}

/// [`guard`] for functions that return a value rather than a result: `fallback` on a panic.
pub(crate) fn guard_value<T>(function: &str, fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        record_panic(function, payload);
        fallback
    })
}

/// Stores a caught panic's message as the last error; even this must not unwind.
fn record_panic(function: &str, payload: Box<dyn std::any::Any + Send>) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let detail = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("no message");
        set_last_error(&format!("internal error (a panic) in {function}: {detail}"));
    }));
}

/// A required string argument: `REMOTEIT_ERR_NULL_ARGUMENT` when NULL,
/// `REMOTEIT_ERR_INVALID_ARGUMENT` when not UTF-8.
pub(crate) fn arg_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, FfiError> {
    opt_str(ptr, name)?.ok_or_else(|| FfiError::null(name))
}

/// An optional string argument: `None` when NULL.
pub(crate) fn opt_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, FfiError> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller passes a NUL-terminated string that outlives this call (the
    // contract's "input strings" convention); it is only read up to its NUL.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    // Most arguments (methods, URLs, content types, ids) are ASCII: a word-at-a-time check,
    // much cheaper than full UTF-8 validation for short strings.
    if bytes.is_ascii() {
        // SAFETY: ASCII is valid UTF-8.
        return Ok(Some(unsafe { std::str::from_utf8_unchecked(bytes) }));
    }
    std::str::from_utf8(bytes)
        .map(Some)
        .map_err(|_| FfiError::invalid(format!("{name} is not valid UTF-8")))
}

/// A string field of a handle, borrowed for C (valid while the handle lives); NULL for a NULL
/// handle.
pub(crate) fn borrowed_field<T>(
    handle: *const T,
    name: &str,
    field: impl FnOnce(&T) -> &CString,
) -> *const c_char {
    arg_ref(handle, name).map_or(std::ptr::null(), |h| field(h).as_ptr())
}

/// API text as a C string: a NUL inside is not something C could be given, so it is a
/// `REMOTEIT_ERR_PROTOCOL` error, `what` saying where.
pub(crate) fn api_c_string(
    text: String,
    what: impl FnOnce() -> String,
) -> Result<CString, FfiError> {
    CString::new(text).map_err(|_| FfiError::new(remoteit_result::REMOTEIT_ERR_PROTOCOL, what()))
}

/// A required handle argument, borrowed.
pub(crate) fn arg_ref<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, FfiError> {
    // SAFETY: a non-NULL handle pointer was created by this library (Box::into_raw) and not
    // yet freed: the contract's handle convention.
    unsafe { ptr.as_ref() }.ok_or_else(|| FfiError::null(name))
}

/// A required byte-slice argument: `data` may be NULL only when `len` is 0.
pub(crate) fn arg_bytes<'a>(data: *const u8, len: usize, name: &str) -> Result<&'a [u8], FfiError> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(FfiError::null(name));
    }
    if len > isize::MAX as usize {
        return Err(FfiError::invalid(format!(
            "{name} length {len} is not a possible size"
        )));
    }
    // SAFETY: the caller passes `len` readable bytes at `data` that outlive this call.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// Checks that an out-param pointer is not NULL, before any work is done.
pub(crate) fn out_ptr<T>(out: *mut T, name: &str) -> Result<OutParam<T>, FfiError> {
    if out.is_null() {
        Err(FfiError::null(name))
    } else {
        Ok(OutParam(out))
    }
}

/// A checked, non-NULL out-param: written once, on success.
pub(crate) struct OutParam<T>(*mut T);

impl<T> OutParam<T> {
    pub(crate) fn write(self, value: T) {
        // SAFETY: checked non-NULL by `out_ptr`; the caller passes writable memory.
        unsafe { self.0.write(value) }
    }
}

impl<T> OutParam<*mut T> {
    /// Hands a new heap object to the caller, who frees it with the matching `_free`.
    pub(crate) fn write_box(self, value: T) {
        self.write(Box::into_raw(Box::new(value)));
    }
}

/// Frees a handle made by [`OutParam::write_box`]; NULL is a no-op.
pub(crate) fn free_box<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: made by Box::into_raw in this library and freed once (the contract).
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Copies `text` into a caller buffer under the contract's buffer convention.
pub(crate) fn write_string(
    text: &str,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> Result<(), FfiError> {
    if !out_len.is_null() {
        // SAFETY: a non-NULL `out_len` points to writable memory (the buffer convention).
        unsafe { out_len.write(text.len()) };
    }
    if buf_len <= text.len() {
        return Err(FfiError::new(
            remoteit_result::REMOTEIT_ERR_BUFFER_TOO_SMALL,
            format!(
                "the buffer holds {buf_len} bytes; {} are needed (the string plus its NUL)",
                text.len() + 1
            ),
        ));
    }
    if buf.is_null() {
        return Err(FfiError::null("buf"));
    }
    // SAFETY: `buf` holds at least `buf_len > text.len()` writable bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
        buf.add(text.len()).write(0);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_turns_a_panic_into_the_panic_code_and_a_message() {
        let code = guard("remoteit_test", || panic!("boom"));
        assert_eq!(code, remoteit_result::REMOTEIT_ERR_PANIC);
        assert!(error::last_error().contains("remoteit_test: boom"));
    }

    #[test]
    fn guard_value_returns_the_fallback_on_a_panic() {
        assert_eq!(guard_value("f", 7, || panic!("x")), 7);
        assert_eq!(guard_value("f", 7, || 3), 3);
    }
}
