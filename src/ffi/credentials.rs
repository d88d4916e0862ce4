//! `remoteit_credentials`: a loaded access key.

use std::ffi::c_char;
use std::path::Path;
use std::sync::Arc;

use crate::credentials::Credentials;
use crate::ffi::error::remoteit_result;
use crate::ffi::{arg_ref, arg_str, free_box, guard, guard_value, opt_str, out_ptr, write_string};

/// An access key: its id, its secret (never handed back out) and the optional developer key.
/// Opaque. Immutable once made, so it may be used from many threads at once.
pub struct remoteit_credentials {
    pub(crate) inner: Arc<Credentials>,
}

/// Loads credentials from a Remote.It credentials file.
///
/// `path` NULL means the default file (`$HOME/.remoteit/credentials`,
/// `%USERPROFILE%\.remoteit\credentials` on Windows); then, when both `R3_ACCESS_KEY_ID` and
/// `R3_SECRET_ACCESS_KEY` are set in the environment, they are used instead of the file
/// (with `R3_DEVELOPER_API_KEY` when set). `profile` NULL means `DEFAULT`; an exact section
/// name wins, then a case-insensitive match; keys before any section serve the default profile
/// when there is no `DEFAULT` section. On success `*out` receives a handle to free with
/// `remoteit_credentials_free`.
///
/// Errors: `REMOTEIT_ERR_CREDENTIALS_NOT_FOUND`, `_CREDENTIALS_INVALID`, `_PROFILE_NOT_FOUND`,
/// `_CREDENTIALS_INCOMPLETE`, `_SECRET_INVALID`, `_INVALID_ARGUMENT` (a profile name with `.`,
/// bad UTF-8), `_NULL_ARGUMENT` (`out`). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_credentials_load(
    path: *const c_char,
    profile: *const c_char,
    out: *mut *mut remoteit_credentials,
) -> remoteit_result {
    guard("remoteit_credentials_load", || {
        let out = out_ptr(out, "out")?;
        let path = opt_str(path, "path")?;
        let profile = opt_str(profile, "profile")?;
        let credentials = Credentials::load(path.map(Path::new), profile)?;
        out.write_box(remoteit_credentials {
            inner: Arc::new(credentials),
        });
        Ok(())
    })
}

/// Makes credentials from their parts. `secret_access_key` is the base64 text of a credentials
/// file (standard or URL-safe alphabet); `developer_key` may be NULL. On success `*out`
/// receives a handle to free with `remoteit_credentials_free`.
///
/// Surrounding whitespace of each part is trimmed, as in a credentials file.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `_INVALID_ARGUMENT` (bad UTF-8, an empty access key
/// id or one with a space, quote, backslash or non-ASCII character inside), `_SECRET_INVALID`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_credentials_new(
    access_key_id: *const c_char,
    secret_access_key: *const c_char,
    developer_key: *const c_char,
    out: *mut *mut remoteit_credentials,
) -> remoteit_result {
    guard("remoteit_credentials_new", || {
        let out = out_ptr(out, "out")?;
        let id = arg_str(access_key_id, "access_key_id")?;
        let secret = arg_str(secret_access_key, "secret_access_key")?;
        let developer_key = opt_str(developer_key, "developer_key")?;
        let credentials = Credentials::new(id, secret, developer_key)?;
        out.write_box(remoteit_credentials {
            inner: Arc::new(credentials),
        });
        Ok(())
    })
}

/// Copies the access key id into `buf` (the buffer convention: `*out_len`, when not NULL,
/// gets the length without the NUL; `REMOTEIT_ERR_BUFFER_TOO_SMALL` leaves `buf` untouched).
///
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_credentials_access_key_id(
    creds: *const remoteit_credentials,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> remoteit_result {
    guard("remoteit_credentials_access_key_id", || {
        let creds = arg_ref(creds, "creds")?;
        write_string(creds.inner.access_key_id(), buf, buf_len, out_len)
    })
}

/// Copies the developer API key (`R3_DEVELOPER_API_KEY`, needed only by the older REST API's
/// `DeveloperKey` header) into `buf` under the buffer convention; an empty string when the
/// credentials have none. The secret access key itself is never handed out.
///
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_credentials_developer_key(
    creds: *const remoteit_credentials,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> remoteit_result {
    guard("remoteit_credentials_developer_key", || {
        let creds = arg_ref(creds, "creds")?;
        write_string(
            creds.inner.developer_key().unwrap_or_default(),
            buf,
            buf_len,
            out_len,
        )
    })
}

/// Copies the warning about where these credentials came from into `buf` under the buffer
/// convention (`*out_len`, when not NULL, gets the length without the NUL;
/// `REMOTEIT_ERR_BUFFER_TOO_SMALL` leaves `buf` untouched); an empty string when there is none.
/// Today the one warning is a credentials file that its group or others may read, e.g.
/// `credentials file /home/me/.remoteit/credentials is readable by others (mode 0644): chmod 600
/// ...`: such a file still loads, and a program should show the warning to its user, as ssh and
/// the AWS tools do. Credentials from the environment or from `remoteit_credentials_new` have
/// none.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT` (`creds`; `buf` when `buf_len` is large enough),
/// `REMOTEIT_ERR_BUFFER_TOO_SMALL`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_credentials_warning(
    creds: *const remoteit_credentials,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> remoteit_result {
    guard("remoteit_credentials_warning", || {
        let creds = arg_ref(creds, "creds")?;
        write_string(
            creds.inner.warning().unwrap_or_default(),
            buf,
            buf_len,
            out_len,
        )
    })
}

/// Frees credentials; the secret's key material is zeroed. NULL is a no-op. Clients made from
/// these credentials keep their own reference and stay usable.
///
/// Not to be called while another thread uses the same handle.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_credentials_free(creds: *mut remoteit_credentials) {
    guard_value("remoteit_credentials_free", (), || free_box(creds))
}
