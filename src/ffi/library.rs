//! The library-level functions: versions, result names, and freeing library strings.

use std::ffi::{CStr, c_char};

use crate::ffi::error::remoteit_result;
use crate::ffi::guard_value;

/// The major version of this header; equals the first number of `remoteit_version()`.
pub const REMOTEIT_VERSION_MAJOR: u32 = 0;
/// The minor version of this header; equals the second number of `remoteit_version()`.
pub const REMOTEIT_VERSION_MINOR: u32 = 2;
/// The patch version of this header; equals the third number of `remoteit_version()`.
pub const REMOTEIT_VERSION_PATCH: u32 = 0;

// cbindgen needs the version macros as literals; the build fails when they drift from Cargo.toml.
const _: () = {
    const fn number(text: &str) -> u32 {
        let digits = text.as_bytes();
        let mut value = 0;
        let mut i = 0;
        while i < digits.len() {
            value = value * 10 + (digits[i] - b'0') as u32;
            i += 1;
        }
        value
    }
    assert!(REMOTEIT_VERSION_MAJOR == number(env!("CARGO_PKG_VERSION_MAJOR")));
    assert!(REMOTEIT_VERSION_MINOR == number(env!("CARGO_PKG_VERSION_MINOR")));
    assert!(REMOTEIT_VERSION_PATCH == number(env!("CARGO_PKG_VERSION_PATCH")));
};

/// The library version, e.g. `"0.2.0"`: a static string, never freed.
///
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => panic!("the version has no NUL inside"),
        };
    VERSION.as_ptr()
}

/// The name of a result code, e.g. `"REMOTEIT_ERR_PROFILE_NOT_FOUND"`; `"REMOTEIT_ERR_UNKNOWN"`
/// for a number that is not a result code. A static string, never freed.
///
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_result_name(code: u32) -> *const c_char {
    remoteit_result::ALL
        .iter()
        .find(|r| **r as u32 == code)
        .map_or(c"REMOTEIT_ERR_UNKNOWN", |r| r.name())
        .as_ptr()
}

/// Frees a string this library allocated (`char **out` parameters). NULL is a no-op. Never
/// pass such a string to `free`, nor a string from elsewhere to this function.
///
/// Thread-safe; each string is freed once.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_string_free(s: *mut c_char) {
    guard_value("remoteit_string_free", (), || free_c_string(s))
}

fn free_c_string(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: made by CString::into_raw in this library (new_c_string), freed once.
        drop(unsafe { std::ffi::CString::from_raw(s) });
    }
}

/// A library-allocated copy of `text` for a `char **out` parameter.
pub(crate) fn new_c_string(text: &str) -> *mut c_char {
    std::ffi::CString::new(text.replace('\0', "\u{fffd}"))
        .expect("NULs were replaced")
        .into_raw()
}
