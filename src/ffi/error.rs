//! Result codes and the thread-local last error.

use std::cell::RefCell;
use std::ffi::{CStr, c_char};

use crate::error::{Error, ErrorKind};
use crate::ffi::write_string;

/// The result of every fallible function. The numbers are stable: never changed, never reused.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum remoteit_result {
    /// Success.
    REMOTEIT_OK = 0,
    /// A required pointer was NULL.
    REMOTEIT_ERR_NULL_ARGUMENT = 1,
    /// Bad UTF-8, a malformed URL or method, an unknown enum value or an out-of-range number.
    REMOTEIT_ERR_INVALID_ARGUMENT = 2,
    /// The caller's buffer is shorter than `*out_len + 1`.
    REMOTEIT_ERR_BUFFER_TOO_SMALL = 3,
    /// An internal bug was caught at the boundary.
    REMOTEIT_ERR_PANIC = 4,
    /// The credentials file does not exist (or there is no home folder).
    REMOTEIT_ERR_CREDENTIALS_NOT_FOUND = 100,
    /// The credentials file cannot be read or is not valid INI.
    REMOTEIT_ERR_CREDENTIALS_INVALID = 101,
    /// No section of the credentials file matches the requested profile.
    REMOTEIT_ERR_PROFILE_NOT_FOUND = 102,
    /// The profile lacks `R3_ACCESS_KEY_ID` or `R3_SECRET_ACCESS_KEY`.
    REMOTEIT_ERR_CREDENTIALS_INCOMPLETE = 103,
    /// The secret access key is not base64.
    REMOTEIT_ERR_SECRET_INVALID = 104,
    /// DNS failure, connection refused or reset, truncated response.
    REMOTEIT_ERR_NETWORK = 200,
    /// The request did not finish within the client's timeout.
    REMOTEIT_ERR_TIMEOUT = 201,
    /// TLS handshake or certificate verification failed.
    REMOTEIT_ERR_TLS = 202,
    /// HTTP 401 or 403.
    REMOTEIT_ERR_UNAUTHORIZED = 300,
    /// HTTP 429.
    REMOTEIT_ERR_RATE_LIMITED = 301,
    /// Any other non-2xx status (redirects included: they are never followed).
    REMOTEIT_ERR_HTTP_STATUS = 302,
    /// The response carried a GraphQL `errors` array.
    REMOTEIT_ERR_GRAPHQL = 303,
    /// A 2xx response that is not the JSON that was expected.
    REMOTEIT_ERR_PROTOCOL = 304,
    /// A REST API reply with `status: false`; the message carries its reason and code.
    REMOTEIT_ERR_API = 305,
}

/// `remoteit_result::ALL` and `remoteit_result::name` from one list of the codes. The enum
/// itself stays a plain declaration above, because cbindgen reads it from the source; the
/// exhaustive `match` below makes the build fail when the list misses a code, and a repeated
/// code is an unreachable pattern (a warning the build treats as an error).
macro_rules! result_codes {
    ($($code:ident),+ $(,)?) => {
        impl remoteit_result {
            /// Every result code, in the order of the declaration.
            pub(crate) const ALL: &'static [remoteit_result] = &[$(Self::$code),+];

            /// The code's own name, as C spells it.
            pub(crate) fn name(self) -> &'static CStr {
                match self {
                    $(Self::$code => {
                        const NAME: &CStr = match CStr::from_bytes_with_nul(
                            concat!(stringify!($code), "\0").as_bytes(),
                        ) {
                            Ok(name) => name,
                            Err(_) => panic!("an identifier has no NUL inside"),
                        };
                        NAME
                    })+
                }
            }
        }
    };
}

result_codes!(
    REMOTEIT_OK,
    REMOTEIT_ERR_NULL_ARGUMENT,
    REMOTEIT_ERR_INVALID_ARGUMENT,
    REMOTEIT_ERR_BUFFER_TOO_SMALL,
    REMOTEIT_ERR_PANIC,
    REMOTEIT_ERR_CREDENTIALS_NOT_FOUND,
    REMOTEIT_ERR_CREDENTIALS_INVALID,
    REMOTEIT_ERR_PROFILE_NOT_FOUND,
    REMOTEIT_ERR_CREDENTIALS_INCOMPLETE,
    REMOTEIT_ERR_SECRET_INVALID,
    REMOTEIT_ERR_NETWORK,
    REMOTEIT_ERR_TIMEOUT,
    REMOTEIT_ERR_TLS,
    REMOTEIT_ERR_UNAUTHORIZED,
    REMOTEIT_ERR_RATE_LIMITED,
    REMOTEIT_ERR_HTTP_STATUS,
    REMOTEIT_ERR_GRAPHQL,
    REMOTEIT_ERR_PROTOCOL,
    REMOTEIT_ERR_API,
);

impl From<ErrorKind> for remoteit_result {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => Self::REMOTEIT_ERR_INVALID_ARGUMENT,
            ErrorKind::CredentialsNotFound => Self::REMOTEIT_ERR_CREDENTIALS_NOT_FOUND,
            ErrorKind::CredentialsInvalid => Self::REMOTEIT_ERR_CREDENTIALS_INVALID,
            ErrorKind::ProfileNotFound => Self::REMOTEIT_ERR_PROFILE_NOT_FOUND,
            ErrorKind::CredentialsIncomplete => Self::REMOTEIT_ERR_CREDENTIALS_INCOMPLETE,
            ErrorKind::SecretInvalid => Self::REMOTEIT_ERR_SECRET_INVALID,
            ErrorKind::Network => Self::REMOTEIT_ERR_NETWORK,
            ErrorKind::Timeout => Self::REMOTEIT_ERR_TIMEOUT,
            ErrorKind::Tls => Self::REMOTEIT_ERR_TLS,
            ErrorKind::Unauthorized => Self::REMOTEIT_ERR_UNAUTHORIZED,
            ErrorKind::RateLimited => Self::REMOTEIT_ERR_RATE_LIMITED,
            ErrorKind::HttpStatus => Self::REMOTEIT_ERR_HTTP_STATUS,
            ErrorKind::GraphQl => Self::REMOTEIT_ERR_GRAPHQL,
            ErrorKind::Protocol => Self::REMOTEIT_ERR_PROTOCOL,
            ErrorKind::Api => Self::REMOTEIT_ERR_API,
        }
    }
}

/// A failure on its way to C: the result code and the message for the last-error slot.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub(crate) code: remoteit_result,
    pub(crate) message: String,
}

impl FfiError {
    pub(crate) fn new(code: remoteit_result, message: impl Into<String>) -> Self {
        FfiError {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn null(argument: &str) -> Self {
        Self::new(
            remoteit_result::REMOTEIT_ERR_NULL_ARGUMENT,
            format!("{argument} is NULL"),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(remoteit_result::REMOTEIT_ERR_INVALID_ARGUMENT, message)
    }
}

impl From<Error> for FfiError {
    fn from(e: Error) -> Self {
        FfiError::new(e.kind().into(), e.message())
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Stores `message` as this thread's last error (a NUL inside it would end the C string early,
/// so it is shown as U+FFFD).
/// During thread teardown the slot may be gone: the message is then dropped, never a panic.
pub(crate) fn set_last_error(message: &str) {
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = message.replace('\0', "\u{fffd}");
        }
    });
}

#[cfg(test)]
pub(crate) fn last_error() -> String {
    LAST_ERROR.with(|slot| slot.borrow().clone())
}

/// Copies the message of this thread's last failed call into `buf` (the buffer convention:
/// `*out_len` gets the length without the NUL; `REMOTEIT_ERR_BUFFER_TOO_SMALL` leaves `buf`
/// untouched). An empty string when no call has failed on this thread. Asking for the size,
/// or a buffer too small, does not replace the message.
///
/// Thread-safe: each thread has its own slot. Read it right after the failing call, before
/// the next `remoteit_` call on the same thread.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> remoteit_result {
    let outcome = std::panic::catch_unwind(|| {
        let message = LAST_ERROR
            .try_with(|slot| slot.try_borrow().map(|m| m.clone()).unwrap_or_default())
            .unwrap_or_default();
        write_string(&message, buf, buf_len, out_len)
    });
    match outcome {
        Ok(Ok(())) => remoteit_result::REMOTEIT_OK,
        Ok(Err(e)) => e.code,
        Err(_) => remoteit_result::REMOTEIT_ERR_PANIC,
    }
}
