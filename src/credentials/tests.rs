//! The credentials rules, through files written to a temporary folder.

use super::*;
use std::io::Write as _;
use std::path::PathBuf;

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
    let file =
        format!("\u{feff}[DEFAULT]\r\nR3_ACCESS_KEY_ID=ID4\r\nR3_SECRET_ACCESS_KEY={SECRET}\r\n");
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
    let err =
        Credentials::from_file(Path::new("/nonexistent/remoteit/creds"), Some("lab")).unwrap_err();
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

#[test]
fn a_profile_name_with_a_newline_cannot_forge_a_second_line() {
    let err = load("[DEFAULT]\n", Some("x\nERROR: forged")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProfileNotFound);
    assert!(!err.message().contains('\n'), "{err}");
    assert!(err.message().contains("x\\nERROR: forged"), "{err}");
}

#[test]
fn an_escape_sequence_in_a_section_name_is_escaped_in_the_profile_list() {
    let err = load("[\u{1b}[2Jred]\n", Some("lab")).unwrap_err();
    assert!(!err.message().contains('\u{1b}'), "{err}");
    assert!(err.message().contains("\\u{1b}[2Jred"), "{err}");
}

#[test]
fn a_one_megabyte_profile_name_gives_a_bounded_message() {
    let name = "p".repeat(1 << 20);
    let err = load("[DEFAULT]\n", Some(&name)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProfileNotFound);
    assert!(err.message().len() < 1000, "{} bytes", err.message().len());
}

#[test]
fn an_unknown_profile_lists_the_first_ten_profiles_and_how_many_more() {
    // 20,000 sections exceed the 64 KiB a file may have: the text is parsed directly.
    let file: String = (0..20_000).map(|i| format!("[p{i}]\n")).collect();
    let err = Credentials::from_text(&file, Path::new("many"), Some("lab")).unwrap_err();
    assert!(
        err.message()
            .contains("its profiles are p0, p1, p2, p3, p4, p5, p6, p7, p8, p9 and 19990 more"),
        "{err}"
    );
    assert!(err.message().len() < 500, "{} bytes", err.message().len());
}

#[test]
fn two_hundred_thousand_sections_parse_in_linear_time() {
    // Not timed (the machines are noisy): a quadratic parser needs 2 * 10^10 name comparisons
    // for this file, minutes even in a release build, so a regression shows as a test that
    // does not finish; the linear one takes well under a second.
    let sections = 200_000;
    let mut file = String::new();
    for i in 0..sections {
        file.push_str(&format!("[profile{i:06}]\nR3_ACCESS_KEY_ID=ID{i}\n"));
    }
    file.push_str(&format!(
        "[profile{:06}]\nR3_SECRET_ACCESS_KEY={SECRET}\n",
        sections - 1
    ));
    let text = file.as_str();
    let creds = Credentials::from_text(text, Path::new("big"), Some("profile199999")).unwrap();
    assert_eq!(creds.access_key_id(), "ID199999");
}

#[test]
fn a_file_over_64_kib_is_invalid_and_says_so() {
    let file = format!(
        "[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY={SECRET}\n# {}\n",
        "x".repeat(64 * 1024)
    );
    let err = load(&file, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CredentialsInvalid);
    assert!(
        err.message().contains("larger than the 64 KiB allowed"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_at_once_as_invalid() {
    let dir = tempdir::TempDir::new();
    let path = dir.path().join("credentials");
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let err = Credentials::from_file(&path, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CredentialsInvalid);
    assert!(
        err.message().contains("not a regular file but a FIFO"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_as_invalid_without_reading_it() {
    let err = Credentials::from_file(Path::new("/dev/zero"), None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CredentialsInvalid);
    assert!(err.message().contains("a character device"), "{err}");
}

#[cfg(unix)]
fn load_with_mode(mode: u32) -> Credentials {
    use std::os::unix::fs::PermissionsExt as _;
    let (_dir, path) = write_file(&format!(
        "[DEFAULT]\nR3_ACCESS_KEY_ID=ID\nR3_SECRET_ACCESS_KEY={SECRET}\n"
    ));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    Credentials::from_file(&path, None).unwrap()
}

#[cfg(unix)]
#[test]
fn a_file_others_may_read_loads_with_a_warning_naming_mode_and_fix() {
    let creds = load_with_mode(0o644);
    let warning = creds.warning().expect("a warning");
    assert!(
        warning.contains("is readable by its group and others (mode 0644): chmod 600 "),
        "{warning}"
    );
    assert!(warning.ends_with("/credentials"), "{warning}");
}

#[cfg(unix)]
#[test]
fn a_file_its_group_may_read_loads_with_a_warning() {
    let creds = load_with_mode(0o640);
    assert!(
        creds
            .warning()
            .unwrap()
            .contains("readable by its group (mode 0640)")
    );
}

#[cfg(unix)]
#[test]
fn a_file_only_its_owner_may_read_has_no_warning() {
    assert_eq!(load_with_mode(0o600).warning(), None);
}

#[test]
fn credentials_from_the_environment_or_their_parts_have_no_warning() {
    let env = env_of(&[
        (ACCESS_KEY_ID_VAR, "ENVID"),
        (SECRET_ACCESS_KEY_VAR, SECRET),
    ]);
    assert_eq!(load_with_env(None, None, env).unwrap().warning(), None);
    assert_eq!(
        Credentials::new("ID", SECRET, None).unwrap().warning(),
        None
    );
}
