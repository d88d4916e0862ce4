//! Remote.It credentials: the access key (its secret decoded once, kept only as HMAC key
//! state, zeroed on drop), where to find it (the default file, the environment override), and
//! the checks its parts must pass. Reading a file is in `file`, its INI syntax in `ini`.

mod file;
mod ini;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result, printable_name};
use crate::key::HmacKey;

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "DEFAULT";
/// Key of the access key id in a credentials file and in the environment.
pub const ACCESS_KEY_ID_VAR: &str = "R3_ACCESS_KEY_ID";
/// Key of the base64 secret access key in a credentials file and in the environment.
pub const SECRET_ACCESS_KEY_VAR: &str = "R3_SECRET_ACCESS_KEY";
/// Key of the optional developer API key in a credentials file and in the environment.
pub const DEVELOPER_API_KEY_VAR: &str = "R3_DEVELOPER_API_KEY";

/// A Remote.It access key: its id, its secret (as ready HMAC key state, never given back out)
/// and the optional developer API key. Immutable, and safe to share between threads.
pub struct Credentials {
    access_key_id: String,
    developer_key: Option<Zeroizing<String>>,
    key: HmacKey,
    warning: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "developer_key",
                &self.developer_key.as_ref().map(|_| "<redacted>"),
            )
            .field("warning", &self.warning)
            .finish()
    }
}

impl Credentials {
    /// Builds credentials from their parts. `secret_access_key` is the base64 text found in a
    /// credentials file (standard or URL-safe alphabet, padding optional).
    pub fn new(
        access_key_id: &str,
        secret_access_key: &str,
        developer_key: Option<&str>,
    ) -> Result<Self> {
        let access_key_id = access_key_id.trim();
        check_access_key_id(access_key_id).map_err(Error::invalid_argument)?;
        let secret = decode_secret(secret_access_key.trim()).ok_or_else(|| {
            Error::new(
                ErrorKind::SecretInvalid,
                "the secret access key is not valid base64",
            )
        })?;
        Ok(Credentials {
            access_key_id: access_key_id.to_owned(),
            developer_key: developer_key
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(|k| Zeroizing::new(k.to_owned())),
            key: HmacKey::new(&secret),
            warning: None,
        })
    }

    /// Loads credentials the way Remote.It's own tools do.
    ///
    /// With `path` `None`: when both `R3_ACCESS_KEY_ID` and `R3_SECRET_ACCESS_KEY` are set in
    /// the environment they are used (with `R3_DEVELOPER_API_KEY` when set); otherwise the
    /// default file ([`default_path`]) is read. `profile` `None` means `DEFAULT`.
    pub fn load(path: Option<&Path>, profile: Option<&str>) -> Result<Self> {
        load_with_env(path, profile, |name| std::env::var(name).ok())
    }

    /// Reads one profile of a credentials file (no environment override).
    pub fn from_file(path: &Path, profile: Option<&str>) -> Result<Self> {
        let profile = profile.unwrap_or(DEFAULT_PROFILE);
        check_profile_name(profile)?;
        let (text, warning) = file::read_file(path, profile)?;
        let mut credentials = file::parse_profile(&text, path, profile)?;
        credentials.warning = warning;
        Ok(credentials)
    }

    /// Reads one profile out of the text of a credentials file, as [`Credentials::from_file`]
    /// does after reading it; `path` only names the file in messages. For the tests and the
    /// fuzz targets.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn from_text(text: &str, path: &Path, profile: Option<&str>) -> Result<Self> {
        let profile = profile.unwrap_or(DEFAULT_PROFILE);
        check_profile_name(profile)?;
        file::parse_profile(text, path, profile)
    }

    /// The access key id (public: it names the key, like a user name).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The developer API key, when one was given (only the older REST API needs it).
    pub fn developer_key(&self) -> Option<&str> {
        self.developer_key.as_deref().map(String::as_str)
    }

    /// A warning about where these credentials came from, for the user to act on: a
    /// credentials file that others than its owner may read (it still loads, as with ssh and
    /// the AWS tools). `None` for credentials from the environment or from their parts.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    pub(crate) fn key(&self) -> &HmacKey {
        &self.key
    }
}

/// The default credentials file: `$HOME/.remoteit/credentials`
/// (`%USERPROFILE%\.remoteit\credentials` on Windows).
pub fn default_path() -> Result<PathBuf> {
    let home_var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    match std::env::var_os(home_var) {
        Some(home) if !home.is_empty() => {
            Ok(PathBuf::from(home).join(".remoteit").join("credentials"))
        }
        _ => Err(Error::new(
            ErrorKind::CredentialsNotFound,
            format!("no home folder to find the credentials file in (${home_var} is not set)"),
        )),
    }
}

/// [`Credentials::load`] with the environment given as a lookup function, so that the
/// override can be tested without touching the process environment.
fn load_with_env(
    path: Option<&Path>,
    profile: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Credentials> {
    if let Some(profile) = profile {
        check_profile_name(profile)?;
    }
    if let Some(path) = path {
        return Credentials::from_file(path, profile);
    }
    let set = |name: &str| {
        env(name)
            .filter(|v| !v.trim().is_empty())
            .map(Zeroizing::new)
    };
    if let (Some(id), Some(secret)) = (set(ACCESS_KEY_ID_VAR), set(SECRET_ACCESS_KEY_VAR)) {
        let developer_key = set(DEVELOPER_API_KEY_VAR);
        return Credentials::new(&id, &secret, developer_key.as_deref().map(String::as_str))
            .map_err(|e| {
                Error::new(
                    e.kind(),
                    format!(
                        "environment variables {ACCESS_KEY_ID_VAR}/{SECRET_ACCESS_KEY_VAR}: {}",
                        e.message()
                    ),
                )
            });
    }
    Credentials::from_file(&default_path()?, profile)
}

fn check_profile_name(profile: &str) -> Result<()> {
    if profile.is_empty() {
        return Err(Error::invalid_argument("the profile name is empty"));
    }
    if profile.contains('.') {
        return Err(Error::invalid_argument(format!(
            "profile name \"{}\" contains '.', which Remote.It profile names may not",
            printable_name(profile)
        )));
    }
    Ok(())
}

/// The key id goes between quotes in the `Authorization` header: keep it printable ASCII
/// without quotes or backslashes so that it cannot break the header.
fn check_access_key_id(id: &str) -> std::result::Result<(), String> {
    if id.is_empty() {
        return Err("the access key id is empty".into());
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    {
        return Err(
            "the access key id contains a space, a quote, a backslash or a non-ASCII character"
                .into(),
        );
    }
    Ok(())
}

/// Standard base64 first (what Remote.It issues), then the URL-safe alphabet; padding optional.
/// Decodes into memory that is zeroed when dropped, on success and on failure alike.
fn decode_secret(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let engines = [
        GeneralPurpose::new(&base64::alphabet::STANDARD, config),
        GeneralPurpose::new(&base64::alphabet::URL_SAFE, config),
    ];
    if text.is_empty() {
        return None;
    }
    engines.iter().find_map(|engine| {
        let mut key = Zeroizing::new(vec![0u8; base64::decoded_len_estimate(text.len())]);
        let len = engine.decode_slice(text, &mut key[..]).ok()?;
        key.truncate(len);
        (!key.is_empty()).then_some(key)
    })
}
