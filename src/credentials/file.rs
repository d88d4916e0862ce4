//! Reading one profile out of a credentials file: the file's text (zeroed after use), its
//! INI sections, and the errors that name the file and the profile (never the file's content).

use std::path::Path;

use zeroize::Zeroizing;

use super::ini::{find_profile, parse_ini};
use super::{ACCESS_KEY_ID_VAR, Credentials, DEVELOPER_API_KEY_VAR, SECRET_ACCESS_KEY_VAR};
use crate::error::{Error, ErrorKind, Result};

/// The file's text, in memory that is zeroed when dropped (it holds the secret).
pub(super) fn read_file(path: &Path, profile: &str) -> Result<Zeroizing<String>> {
    let shown = path.display();
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
        let kind = if e.kind() == std::io::ErrorKind::NotFound {
            ErrorKind::CredentialsNotFound
        } else {
            ErrorKind::CredentialsInvalid
        };
        Error::new(
            kind,
            format!("credentials file {shown} (profile \"{profile}\"): {e}"),
        )
    })?);
    if std::str::from_utf8(&bytes).is_err() {
        return Err(Error::new(
            ErrorKind::CredentialsInvalid,
            format!("credentials file {shown} (profile \"{profile}\") is not valid UTF-8"),
        ));
    }
    // Moves the checked bytes into the String without copying them.
    let mut bytes = bytes;
    let text = String::from_utf8(std::mem::take(&mut *bytes)).expect("checked above");
    Ok(Zeroizing::new(text))
}

pub(super) fn parse_profile(text: &str, path: &Path, profile: &str) -> Result<Credentials> {
    let shown = path.display();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let sections = parse_ini(text).map_err(|why| {
        Error::new(
            ErrorKind::CredentialsInvalid,
            format!("credentials file {shown} (profile \"{profile}\") is not valid INI: {why}"),
        )
    })?;
    let section = find_profile(&sections, profile).ok_or_else(|| {
        let names: Vec<&str> = sections.iter().filter_map(|s| s.name).collect();
        let known = if names.is_empty() {
            "it has no profiles".to_owned()
        } else {
            format!("its profiles are {}", names.join(", "))
        };
        Error::new(
            ErrorKind::ProfileNotFound,
            format!("credentials file {shown}: no profile \"{profile}\" ({known})"),
        )
    })?;
    let missing = |key: &str| {
        Error::new(
            ErrorKind::CredentialsIncomplete,
            format!("credentials file {shown}: profile \"{profile}\" has no {key}"),
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
                "credentials file {shown}, profile \"{profile}\": {}",
                e.message()
            ),
        )
    })
}
