//! Reading one profile out of a credentials file: the file's text (zeroed after use), its
//! INI sections, and the errors that name the file and the profile (never the file's content).

use std::path::Path;

use zeroize::Zeroizing;

use super::ini::{Section, find_profile, parse_ini};
use super::{ACCESS_KEY_ID_VAR, Credentials, DEVELOPER_API_KEY_VAR, SECRET_ACCESS_KEY_VAR};
use crate::error::{Error, ErrorKind, Result, printable_name, printable_path};
use crate::fs::{MAX_CREDENTIALS_FILE_BYTES, read_bounded_with_metadata};

/// How many profiles the message of an unknown profile lists before "and N more".
const PROFILES_LISTED: usize = 10;

/// The file's text, in memory that is zeroed when dropped (it holds the secret), and the
/// warning about its permissions, if any. Only a regular file of at most
/// [`MAX_CREDENTIALS_FILE_BYTES`] is read (a FIFO or a device is refused, never waited on or
/// read without end).
pub(super) fn read_file(path: &Path, profile: &str) -> Result<(Zeroizing<String>, Option<String>)> {
    let (bytes, metadata) =
        read_bounded_with_metadata(path, MAX_CREDENTIALS_FILE_BYTES).map_err(|e| {
            let kind = if e.kind() == std::io::ErrorKind::NotFound {
                ErrorKind::CredentialsNotFound
            } else {
                ErrorKind::CredentialsInvalid
            };
            Error::new(
                kind,
                format!(
                    "credentials file {} (profile \"{}\"): {e}",
                    printable_path(path),
                    printable_name(profile)
                ),
            )
        })?;
    let mut bytes = Zeroizing::new(bytes);
    if std::str::from_utf8(&bytes).is_err() {
        return Err(Error::new(
            ErrorKind::CredentialsInvalid,
            format!(
                "credentials file {} (profile \"{}\") is not valid UTF-8",
                printable_path(path),
                printable_name(profile)
            ),
        ));
    }
    // Moves the checked bytes into the String without copying them.
    let text = String::from_utf8(std::mem::take(&mut *bytes)).expect("checked above");
    Ok((Zeroizing::new(text), permissions_warning(path, &metadata)))
}

/// The warning for a file that others than its owner may read, as ssh and the AWS tools give.
#[cfg(unix)]
fn permissions_warning(path: &Path, metadata: &std::fs::Metadata) -> Option<String> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = metadata.permissions().mode() & 0o7777;
    let who = match (mode & 0o040 != 0, mode & 0o004 != 0) {
        (false, false) => return None,
        (true, false) => "its group",
        (false, true) => "others",
        (true, true) => "its group and others",
    };
    let shown = printable_path(path);
    Some(format!(
        "credentials file {shown} is readable by {who} (mode {mode:04o}): chmod 600 {shown}"
    ))
}

#[cfg(not(unix))]
fn permissions_warning(_path: &Path, _metadata: &std::fs::Metadata) -> Option<String> {
    None
}

/// The credentials of `profile` in the text of the credentials file at `path` (named in
/// messages only).
pub(super) fn parse_profile(text: &str, path: &Path, profile: &str) -> Result<Credentials> {
    let shown = printable_path(path);
    let shown_profile = printable_name(profile);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let sections = parse_ini(text).map_err(|why| {
        Error::new(
            ErrorKind::CredentialsInvalid,
            format!(
                "credentials file {shown} (profile \"{shown_profile}\") is not valid INI: {why}"
            ),
        )
    })?;
    let section = find_profile(&sections, profile).ok_or_else(|| {
        Error::new(
            ErrorKind::ProfileNotFound,
            format!(
                "credentials file {shown}: no profile \"{shown_profile}\" ({})",
                known_profiles(&sections)
            ),
        )
    })?;
    let missing = |key: &str| {
        Error::new(
            ErrorKind::CredentialsIncomplete,
            format!("credentials file {shown}: profile \"{shown_profile}\" has no {key}"),
        )
    };
    let id = section
        .get(ACCESS_KEY_ID_VAR)
        .ok_or_else(|| missing(ACCESS_KEY_ID_VAR))?;
    let secret = section
        .get(SECRET_ACCESS_KEY_VAR)
        .ok_or_else(|| missing(SECRET_ACCESS_KEY_VAR))?;
    let developer_key = section.get(DEVELOPER_API_KEY_VAR);
    Credentials::new(id, secret, developer_key).map_err(|e| {
        let kind = match e.kind() {
            ErrorKind::InvalidArgument => ErrorKind::CredentialsInvalid,
            other => other,
        };
        Error::new(
            kind,
            format!(
                "credentials file {shown}, profile \"{shown_profile}\": {}",
                e.message()
            ),
        )
    })
}

/// The profiles a file has, for the message of an unknown one: the first
/// [`PROFILES_LISTED`], each escaped and bounded, then how many more there are.
fn known_profiles(sections: &[Section<'_>]) -> String {
    let mut names = sections.iter().filter_map(|s| s.name);
    let listed: Vec<String> = names
        .by_ref()
        .take(PROFILES_LISTED)
        .map(printable_name)
        .collect();
    if listed.is_empty() {
        return "it has no profiles".to_owned();
    }
    let more = names.count();
    let listed = listed.join(", ");
    match more {
        0 => format!("its profiles are {listed}"),
        more => format!("its profiles are {listed} and {more} more"),
    }
}
