//! The signing functions: both Remote.It schemes, and the cavage signing string.

use std::ffi::c_char;

use crate::ffi::credentials::remoteit_credentials;
use crate::ffi::error::{FfiError, remoteit_result};
use crate::ffi::headers::remoteit_headers;
use crate::ffi::{arg_bytes, arg_ref, arg_str, guard, opt_str, out_ptr, write_string};
use crate::signing::buffer::SignedHeaders;
use crate::signing::{self, Request, Scheme, cavage};

/// draft-cavage HTTP Signatures (`Authorization: Signature ...`): the default scheme.
pub const REMOTEIT_SCHEME_CAVAGE: u32 = 0;
/// RFC 9421 HTTP Message Signatures (`Signature-Input` and `Signature`).
pub const REMOTEIT_SCHEME_RFC9421: u32 = 1;

/// A `REMOTEIT_SCHEME_*` number as the core's [`Scheme`]; any other number is invalid.
pub(crate) fn scheme_from_c(scheme: u32) -> Result<Scheme, FfiError> {
    match scheme {
        REMOTEIT_SCHEME_CAVAGE => Ok(Scheme::Cavage),
        REMOTEIT_SCHEME_RFC9421 => Ok(Scheme::Rfc9421),
        other => Err(FfiError::invalid(format!(
            "{other} is not a signing scheme (REMOTEIT_SCHEME_CAVAGE is 0, REMOTEIT_SCHEME_RFC9421 is 1)"
        ))),
    }
}

/// Pass as `unix_time` to sign with the current system clock (any negative value does).
pub const REMOTEIT_NOW: i64 = -1;

/// `unix_time` as the core takes it: `None` (now) for any negative value, `REMOTEIT_NOW` included.
fn signing_time(unix_time: i64) -> Option<i64> {
    const _: () = assert!(REMOTEIT_NOW < 0);
    (unix_time >= 0).then_some(unix_time)
}

#[allow(clippy::too_many_arguments)]
fn sign_with(
    scheme: Scheme,
    creds: *const remoteit_credentials,
    method: *const c_char,
    url: *const c_char,
    content_type: *const c_char,
    body: *const u8,
    body_len: usize,
    unix_time: i64,
    out: *mut *mut remoteit_headers,
) -> Result<(), FfiError> {
    let out = out_ptr(out, "out")?;
    let creds = arg_ref(creds, "creds")?;
    let request = Request {
        method: arg_str(method, "method")?,
        url: arg_str(url, "url")?,
        content_type: opt_str(content_type, "content_type")?,
        body: arg_bytes(body, body_len, "body")?,
    };
    // Written in place on the heap: built on the stack and moved, the object (about 500
    // bytes, mostly the not yet written inline buffer) would be copied.
    let mut boxed = Box::<remoteit_headers>::new_uninit();
    boxed.write(remoteit_headers {
        fields: SignedHeaders::new(),
    });
    // SAFETY: written just above.
    let mut headers = unsafe { boxed.assume_init() };
    signing::sign_into(
        &creds.inner,
        scheme,
        &request,
        signing_time(unix_time),
        &mut headers.fields,
    )?;
    out.write(Box::into_raw(headers));
    Ok(())
}

/// Signs a request with `scheme` (`REMOTEIT_SCHEME_CAVAGE` or `REMOTEIT_SCHEME_RFC9421`): the
/// one entry point for every scheme. `*out` receives what `remoteit_sign_request` (scheme 0)
/// or `remoteit_sign_request_rfc9421` (scheme 1) would give for the same arguments; free it
/// with `remoteit_headers_free`.
///
/// Errors: as `remoteit_sign_request`, and `REMOTEIT_ERR_INVALID_ARGUMENT` for an unknown
/// `scheme`. Thread-safe for `creds`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_sign(
    creds: *const remoteit_credentials,
    scheme: u32,
    method: *const c_char,
    url: *const c_char,
    content_type: *const c_char,
    body: *const u8,
    body_len: usize,
    unix_time: i64,
    out: *mut *mut remoteit_headers,
) -> remoteit_result {
    guard("remoteit_sign", || {
        sign_with(
            scheme_from_c(scheme)?,
            creds,
            method,
            url,
            content_type,
            body,
            body_len,
            unix_time,
            out,
        )
    })
}

/// Signs a request the Remote.It way (draft-cavage HTTP Signatures, HMAC-SHA256, headers
/// `(request-target) host date content-type content-length`; `content-type` is left out when
/// `content_type` is NULL). `body` may be NULL iff `body_len` is 0; `unix_time` is seconds
/// since the epoch, or `REMOTEIT_NOW`. `*out` receives `Date` and `Authorization`, in that
/// order: add both to the request, which must carry `Host`, `Content-Type` and
/// `Content-Length` exactly as signed. Free it with `remoteit_headers_free`.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (bad UTF-8, a method
/// that is not an HTTP token, a URL that is not absolute `http`/`https`, a control character
/// in `content_type`, a time past year 9999). Thread-safe for `creds`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_sign_request(
    creds: *const remoteit_credentials,
    method: *const c_char,
    url: *const c_char,
    content_type: *const c_char,
    body: *const u8,
    body_len: usize,
    unix_time: i64,
    out: *mut *mut remoteit_headers,
) -> remoteit_result {
    guard("remoteit_sign_request", || {
        sign_with(
            Scheme::Cavage,
            creds,
            method,
            url,
            content_type,
            body,
            body_len,
            unix_time,
            out,
        )
    })
}

/// Signs a request with RFC 9421 HTTP Message Signatures (HMAC-SHA256, label `remoteit`,
/// components `"@method" "@authority" "@target-uri" "date"` plus `"content-digest"` when there
/// is a body, valid 300 s). `*out` receives `Date`, `Content-Digest` (only when
/// `body_len > 0`), `Signature-Input` and `Signature`, in that order. Arguments and errors as
/// for `remoteit_sign_request`. Thread-safe for `creds`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_sign_request_rfc9421(
    creds: *const remoteit_credentials,
    method: *const c_char,
    url: *const c_char,
    content_type: *const c_char,
    body: *const u8,
    body_len: usize,
    unix_time: i64,
    out: *mut *mut remoteit_headers,
) -> remoteit_result {
    guard("remoteit_sign_request_rfc9421", || {
        sign_with(
            Scheme::Rfc9421,
            creds,
            method,
            url,
            content_type,
            body,
            body_len,
            unix_time,
            out,
        )
    })
}

/// Copies the draft-cavage signing string `remoteit_sign_request` would sign into `buf` (the
/// buffer convention): `name: value` lines joined by `\n`, no trailing newline. Needs no
/// credentials: use it to debug a signature a server rejects.
///
/// Errors: as `remoteit_sign_request`, plus `REMOTEIT_ERR_BUFFER_TOO_SMALL`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_signing_string(
    method: *const c_char,
    url: *const c_char,
    content_type: *const c_char,
    content_length: usize,
    unix_time: i64,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> remoteit_result {
    guard("remoteit_signing_string", || {
        let text = cavage::remoteit_signing_string(
            arg_str(method, "method")?,
            arg_str(url, "url")?,
            opt_str(content_type, "content_type")?,
            content_length,
            signing_time(unix_time),
        )?;
        write_string(&text, buf, buf_len, out_len)
    })
}
