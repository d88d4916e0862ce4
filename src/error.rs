//! The library's error type: a kind a program can branch on, and a message a person can act on.

use std::fmt;
use std::path::Path;

/// What went wrong, in terms a caller can act on. Each kind maps to one stable C result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad UTF-8, a malformed URL or method, an unknown enum value or an out-of-range number.
    InvalidArgument,
    /// The credentials file does not exist, or there is no home folder to look in.
    CredentialsNotFound,
    /// The credentials file cannot be read or is not valid INI.
    CredentialsInvalid,
    /// No section of the credentials file matches the requested profile.
    ProfileNotFound,
    /// The profile lacks `R3_ACCESS_KEY_ID` or `R3_SECRET_ACCESS_KEY`.
    CredentialsIncomplete,
    /// The secret access key is not base64.
    SecretInvalid,
    /// DNS failure, connection refused or reset, truncated response.
    Network,
    /// The request did not finish within the client's timeout.
    Timeout,
    /// TLS handshake or certificate verification failed.
    Tls,
    /// HTTP 401 or 403.
    Unauthorized,
    /// HTTP 429.
    RateLimited,
    /// Any other non-2xx status (including redirects, which are never followed).
    HttpStatus,
    /// The response carried a GraphQL `errors` array.
    GraphQl,
    /// A 2xx response that is not the JSON that was expected.
    Protocol,
    /// A REST API reply with `status: false` (its reason and code are in the message).
    Api,
}

/// An error: its [`ErrorKind`] and a message that never contains a secret or a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// Builds an error of `kind` with a human-readable `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// Shorthand for an [`ErrorKind::InvalidArgument`] error.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// Shorthand for an [`ErrorKind::Protocol`] error: an answer that is not what the API sends.
    pub(crate) fn protocol(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Protocol, message)
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable description.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// At most `limit` characters of `text`, fit for a message: control characters and the
/// bidirectional-text overrides are escaped (`\n`, `\u{1b}`, `\u{202e}`) so that a message
/// stays on one line, cannot forge another and cannot reorder what a terminal shows; an ellipsis
/// marks a cut.
pub(crate) fn printable(text: &str, limit: usize) -> String {
    let mut shown = String::new();
    for c in text.chars().take(limit) {
        if c.is_control() || is_bidi_control(c) {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    if text.chars().nth(limit).is_some() {
        shown.push('…');
    }
    shown
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// How many characters of a name given by a caller or a file (a profile, a section) a message
/// shows.
pub(crate) const NAME_LIMIT: usize = 100;
/// How many characters of a path a message shows.
pub(crate) const PATH_LIMIT: usize = 300;

/// A caller's or a file's name (a profile, a section), fit for a message.
pub(crate) fn printable_name(name: &str) -> String {
    printable(name, NAME_LIMIT)
}

/// A path, fit for a message (not valid UTF-8: shown with U+FFFD).
pub(crate) fn printable_path(path: &Path) -> String {
    printable(&path.to_string_lossy(), PATH_LIMIT)
}

/// The result type of every fallible operation in this crate.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_control_characters_but_not_quotes() {
        assert_eq!(printable("a \"b\"\r\nc", 100), "a \"b\"\\r\\nc");
    }

    #[test]
    fn printable_cuts_long_text_with_an_ellipsis() {
        assert_eq!(printable("abcdef", 3), "abc…");
        assert_eq!(printable("abc", 3), "abc");
    }

    #[test]
    fn printable_escapes_bidirectional_overrides() {
        assert_eq!(printable("a\u{202e}b\u{2066}", 100), "a\\u{202e}b\\u{2066}");
    }

    #[test]
    fn printable_name_is_bounded() {
        let shown = printable_name(&"x".repeat(1_000_000));
        assert_eq!(shown.chars().count(), NAME_LIMIT + 1);
    }

    #[test]
    fn printable_path_escapes_an_escape_sequence() {
        assert_eq!(
            printable_path(Path::new("/tmp/\u{1b}[31mred")),
            "/tmp/\\u{1b}[31mred"
        );
    }
}
