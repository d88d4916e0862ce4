//! Remote.It credentials: finding and parsing the credentials file, the environment override,
//! and the secret access key (decoded once, kept only as HMAC key state, zeroed on drop).

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};
use crate::signing::HmacKey;

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
        let text = read_file(path, profile)?;
        parse_profile(&text, path, profile)
    }

    /// The access key id (public: it names the key, like a user name).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The developer API key, when one was given (only the older REST API needs it).
    pub fn developer_key(&self) -> Option<&str> {
        self.developer_key.as_deref().map(String::as_str)
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
            "profile name \"{profile}\" contains '.', which Remote.It profile names may not"
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

/// The file's text, in memory that is zeroed when dropped (it holds the secret).
fn read_file(path: &Path, profile: &str) -> Result<Zeroizing<String>> {
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

fn parse_profile(text: &str, path: &Path, profile: &str) -> Result<Credentials> {
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

/// One section of a credentials file: `[name]`, or the keys before any section (`name` None).
/// Keys and values borrow from the file's text, so no copy of the secret is made.
struct Section<'a> {
    name: Option<&'a str>,
    entries: Vec<(&'a str, &'a str)>,
}

impl<'a> Section<'a> {
    /// The value of `key` (matched case-insensitively; the last one wins); empty counts as
    /// absent.
    fn get(&self, key: &str) -> Option<&'a str> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| *v)
            .filter(|v| !v.is_empty())
    }
}

/// Parses the INI text of a credentials file: `[name]` lines, `key = value` (or `key: value`)
/// lines, `#` and `;` comment lines, and `# ...` / `; ...` comments after whitespace at the end
/// of a line. Surrounding whitespace is trimmed. Sections that repeat a name are merged. An
/// error names the line, never its content (it may hold the secret).
fn parse_ini(text: &str) -> std::result::Result<Vec<Section<'_>>, String> {
    let mut sections = vec![Section {
        name: None,
        entries: Vec::new(),
    }];
    let mut current = 0;
    for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
        let line = without_comment(line).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or_else(|| format!("line {number}: a section header without its closing ']'"))?
                .trim();
            if name.is_empty() {
                return Err(format!("line {number}: a section header without a name"));
            }
            current = match sections.iter().position(|s| s.name == Some(name)) {
                Some(existing) => existing,
                None => {
                    sections.push(Section {
                        name: Some(name),
                        entries: Vec::new(),
                    });
                    sections.len() - 1
                }
            };
            continue;
        }
        let split = line
            .find(['=', ':'])
            .ok_or_else(|| format!("line {number}: neither a [section] nor a key = value line"))?;
        let key = line[..split].trim();
        if key.is_empty() {
            return Err(format!("line {number}: a value without a key"));
        }
        sections[current]
            .entries
            .push((key, line[split + 1..].trim()));
    }
    Ok(sections)
}

/// `line` without a comment: a line starting with `#` or `;`, or one of those after whitespace.
fn without_comment(line: &str) -> &str {
    if line.trim_start().starts_with(['#', ';']) {
        return "";
    }
    let end = line
        .char_indices()
        .find(|&(i, c)| (c == '#' || c == ';') && line[..i].ends_with(char::is_whitespace))
        .map_or(line.len(), |(i, _)| i);
    &line[..end]
}

/// An exact section-name match wins; then a case-insensitive one; then, for the default
/// profile only, the keys written before any section.
fn find_profile<'s, 'a>(sections: &'s [Section<'a>], profile: &str) -> Option<&'s Section<'a>> {
    let lower = profile.to_lowercase();
    sections
        .iter()
        .find(|s| s.name == Some(profile))
        .or_else(|| {
            sections
                .iter()
                .find(|s| s.name.is_some_and(|n| n.to_lowercase() == lower))
        })
        .or_else(|| {
            let general = sections.iter().find(|s| s.name.is_none())?;
            (profile.eq_ignore_ascii_case(DEFAULT_PROFILE) && !general.entries.is_empty())
                .then_some(general)
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    const SECRET: &str = "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE=";

    fn write_file(content: &str) -> (tempdir::TempDir, PathBuf) {
        let dir = tempdir::TempDir::new();
        let path = dir.path().join("credentials");
        std::fs::File::create(&path)
            .unwrap()
            .write_all(content.as_bytes())
            .unwrap();
        (dir, path)
    }

    fn load(content: &str, profile: Option<&str>) -> Result<Credentials> {
        let (_dir, path) = write_file(content);
        Credentials::from_file(&path, profile)
    }

    fn id_of(content: &str, profile: Option<&str>) -> String {
        load(content, profile).unwrap().access_key_id().to_owned()
    }

    fn kind_of(content: &str, profile: Option<&str>) -> ErrorKind {
        load(content, profile).unwrap_err().kind()
    }

    /// A tiny self-cleaning temporary folder (std has none; no extra dependency for tests).
    mod tempdir {
        use std::path::{Path, PathBuf};
        use std::sync::atomic::{AtomicUsize, Ordering};

        pub struct TempDir(PathBuf);
        impl TempDir {
            pub fn new() -> Self {
                static NEXT: AtomicUsize = AtomicUsize::new(0);
                let path = std::env::temp_dir().join(format!(
                    "remoteit-test-{}-{}",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::create_dir_all(&path).unwrap();
                TempDir(path)
            }
            pub fn path(&self) -> &Path {
                &self.0
            }
        }
        impl Drop for TempDir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn default_profile_is_read_from_default_section() {
        let file = format!("[DEFAULT]\nR3_ACCESS_KEY_ID=ID1\nR3_SECRET_ACCESS_KEY={SECRET}\n");
        assert_eq!(id_of(&file, None), "ID1");
    }

    #[test]
    fn profile_lookup_prefers_exact_match() {
        let file = format!(
            "[prod]\nR3_ACCESS_KEY_ID=LOWER\nR3_SECRET_ACCESS_KEY={SECRET}\n[PROD]\nR3_ACCESS_KEY_ID=UPPER\nR3_SECRET_ACCESS_KEY={SECRET}\n"
        );
        assert_eq!(id_of(&file, Some("PROD")), "UPPER");
        assert_eq!(id_of(&file, Some("prod")), "LOWER");
    }

    #[test]
    fn profile_lookup_falls_back_to_case_insensitive() {
        let file = format!("[default]\nR3_ACCESS_KEY_ID=ID2\nR3_SECRET_ACCESS_KEY={SECRET}\n");
        assert_eq!(id_of(&file, None), "ID2");
        assert_eq!(id_of(&file, Some("Default")), "ID2");
    }

    #[test]
    fn sectionless_keys_serve_default_profile_without_default_section() {
        let file = format!(
            "R3_ACCESS_KEY_ID=BARE\nR3_SECRET_ACCESS_KEY={SECRET}\n[other]\nR3_ACCESS_KEY_ID=O\nR3_SECRET_ACCESS_KEY={SECRET}\n"
        );
        assert_eq!(id_of(&file, None), "BARE");
        assert_eq!(id_of(&file, Some("other")), "O");
    }

    #[test]
    fn default_section_wins_over_sectionless_keys() {
        let file = format!(
            "R3_ACCESS_KEY_ID=BARE\nR3_SECRET_ACCESS_KEY={SECRET}\n[DEFAULT]\nR3_ACCESS_KEY_ID=SECTION\nR3_SECRET_ACCESS_KEY={SECRET}\n"
        );
        assert_eq!(id_of(&file, None), "SECTION");
    }

    #[test]
    fn sectionless_keys_do_not_serve_named_profiles() {
        let file = format!("R3_ACCESS_KEY_ID=BARE\nR3_SECRET_ACCESS_KEY={SECRET}\n");
        assert_eq!(kind_of(&file, Some("lab")), ErrorKind::ProfileNotFound);
    }

    #[test]
    fn comments_and_whitespace_are_ignored() {
        let file = format!(
            "# me@example.com\n; another comment\n[DEFAULT]\n  R3_ACCESS_KEY_ID =  ID3  # inline\nR3_SECRET_ACCESS_KEY = {SECRET} ; inline\n\n"
        );
        assert_eq!(id_of(&file, None), "ID3");
    }

    #[test]
    fn crlf_line_endings_and_bom_are_accepted() {
        let file = format!(
            "\u{feff}[DEFAULT]\r\nR3_ACCESS_KEY_ID=ID4\r\nR3_SECRET_ACCESS_KEY={SECRET}\r\n"
        );
        assert_eq!(id_of(&file, None), "ID4");
    }

    #[test]
    fn a_comment_after_a_section_header_is_allowed() {
        let file = format!(
            "[DEFAULT] # me@example.com\nR3_ACCESS_KEY_ID=ID5\nR3_SECRET_ACCESS_KEY={SECRET}\n"
        );
        assert_eq!(id_of(&file, None), "ID5");
    }

    #[test]
    fn repeated_sections_are_merged_and_the_last_key_wins() {
        let file = format!(
            "[DEFAULT]\nR3_ACCESS_KEY_ID=OLD\n[lab]\nR3_ACCESS_KEY_ID=L\n[DEFAULT]\nR3_ACCESS_KEY_ID=NEW\nR3_SECRET_ACCESS_KEY={SECRET}\n"
        );
        assert_eq!(id_of(&file, None), "NEW");
    }

    #[test]
    fn colon_separates_keys_too_and_key_names_ignore_case() {
        let file = format!("[DEFAULT]\nr3_access_key_id: ID6\nR3_Secret_Access_Key : {SECRET}\n");
        assert_eq!(id_of(&file, None), "ID6");
    }

    #[test]
    fn a_line_that_is_not_ini_is_invalid_and_not_echoed() {
        let unpadded = SECRET.trim_end_matches('=');
        let file = format!("[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY {unpadded}\n");
        let err = load(&file, None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CredentialsInvalid);
        assert!(err.message().contains("line 3"), "{err}");
        assert!(!err.message().contains(unpadded), "{err}");
    }

    #[test]
    fn an_empty_file_has_no_profiles() {
        let err = load("", None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ProfileNotFound);
        assert!(err.message().contains("it has no profiles"), "{err}");
    }

    #[test]
    fn developer_key_is_optional_and_read_when_present() {
        let file = format!(
            "[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY={SECRET}\nR3_DEVELOPER_API_KEY=DEV\n"
        );
        assert_eq!(load(&file, None).unwrap().developer_key(), Some("DEV"));
        let file = format!("[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY={SECRET}\n");
        assert_eq!(load(&file, None).unwrap().developer_key(), None);
    }

    #[test]
    fn missing_file_is_not_found_and_names_path_and_profile() {
        let err = Credentials::from_file(Path::new("/nonexistent/remoteit/creds"), Some("lab"))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CredentialsNotFound);
        assert!(
            err.message().contains("/nonexistent/remoteit/creds"),
            "{err}"
        );
        assert!(err.message().contains("\"lab\""), "{err}");
    }

    #[test]
    fn directory_instead_of_file_is_invalid() {
        let dir = tempdir::TempDir::new();
        let err = Credentials::from_file(dir.path(), None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CredentialsInvalid);
    }

    #[test]
    fn non_utf8_file_is_invalid() {
        let dir = tempdir::TempDir::new();
        let path = dir.path().join("credentials");
        std::fs::write(&path, b"[DEFAULT]\nR3_ACCESS_KEY_ID=\xff\xfe\n").unwrap();
        assert_eq!(
            Credentials::from_file(&path, None).unwrap_err().kind(),
            ErrorKind::CredentialsInvalid
        );
    }

    #[test]
    fn malformed_ini_is_invalid() {
        assert_eq!(
            kind_of("[DEFAULT\nR3_ACCESS_KEY_ID=x\n", None),
            ErrorKind::CredentialsInvalid
        );
    }

    #[test]
    fn unknown_profile_lists_the_known_ones() {
        let file = format!(
            "[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY={SECRET}\n[lab]\nR3_ACCESS_KEY_ID=L\nR3_SECRET_ACCESS_KEY={SECRET}\n"
        );
        let err = load(&file, Some("prod")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ProfileNotFound);
        assert!(
            err.message().contains("\"prod\"") && err.message().contains("lab"),
            "{err}"
        );
    }

    #[test]
    fn profile_name_with_dot_is_rejected() {
        assert_eq!(kind_of("[a.b]\n", Some("a.b")), ErrorKind::InvalidArgument);
    }

    #[test]
    fn missing_keys_are_incomplete() {
        assert_eq!(
            kind_of(&format!("[DEFAULT]\nR3_SECRET_ACCESS_KEY={SECRET}\n"), None),
            ErrorKind::CredentialsIncomplete
        );
        assert_eq!(
            kind_of("[DEFAULT]\nR3_ACCESS_KEY_ID=ID\n", None),
            ErrorKind::CredentialsIncomplete
        );
        assert_eq!(
            kind_of(
                "[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY=\n",
                None
            ),
            ErrorKind::CredentialsIncomplete
        );
    }

    #[test]
    fn bad_base64_secret_is_secret_invalid_without_echoing_it() {
        let err = load(
            "[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY=not*base64!\n",
            None,
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::SecretInvalid);
        assert!(!err.message().contains("not*base64!"), "{err}");
    }

    #[test]
    fn url_safe_and_unpadded_secrets_are_accepted() {
        let standard = Credentials::new("ID", "+/8=", None).unwrap();
        let url_safe = Credentials::new("ID", "-_8", None).unwrap();
        assert_eq!(standard.key().sign(b"x"), url_safe.key().sign(b"x"));
    }

    #[test]
    fn access_key_id_with_quote_is_rejected() {
        let err = Credentials::new("ID\"x", SECRET, None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let creds = Credentials::new("ID", SECRET, Some("DEVKEY")).unwrap();
        let shown = format!("{creds:?}");
        assert!(shown.contains("ID") && shown.contains("<redacted>"));
        assert!(
            !shown.contains(SECRET) && !shown.contains("DEVKEY"),
            "{shown}"
        );
    }

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn environment_overrides_default_file() {
        let env = env_of(&[
            (ACCESS_KEY_ID_VAR, "ENVID"),
            (SECRET_ACCESS_KEY_VAR, SECRET),
            (DEVELOPER_API_KEY_VAR, "ENVDEV"),
        ]);
        let creds = load_with_env(None, None, env).unwrap();
        assert_eq!(creds.access_key_id(), "ENVID");
        assert_eq!(creds.developer_key(), Some("ENVDEV"));
    }

    #[test]
    fn environment_is_ignored_for_an_explicit_path() {
        let (_dir, path) = write_file(&format!(
            "[DEFAULT]\nR3_ACCESS_KEY_ID=FILEID\nR3_SECRET_ACCESS_KEY={SECRET}\n"
        ));
        let env = env_of(&[
            (ACCESS_KEY_ID_VAR, "ENVID"),
            (SECRET_ACCESS_KEY_VAR, SECRET),
        ]);
        assert_eq!(
            load_with_env(Some(&path), None, env)
                .unwrap()
                .access_key_id(),
            "FILEID"
        );
    }

    #[test]
    fn environment_with_bad_secret_is_secret_invalid() {
        let env = env_of(&[(ACCESS_KEY_ID_VAR, "ENVID"), (SECRET_ACCESS_KEY_VAR, "@@@")]);
        assert_eq!(
            load_with_env(None, None, env).unwrap_err().kind(),
            ErrorKind::SecretInvalid
        );
    }
}
