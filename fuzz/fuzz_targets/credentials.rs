//! The credentials parser: arbitrary file contents and profile names. The input is
//! `profile NUL file`; without a NUL it is all file and the profile is `DEFAULT`.
//! Besides not panicking, every message must be one line, without control characters, and
//! bounded, and must never show the secret.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (profile, file) = match text.split_once('\0') {
        Some((profile, file)) => (Some(profile), file),
        None => (None, &*text),
    };
    match remoteit::fuzzing::credentials_from_text(file, profile) {
        Ok(credentials) => {
            assert!(!credentials.access_key_id().is_empty());
            let shown = format!("{credentials:?}");
            assert!(shown.contains("<redacted>"));
        }
        Err(e) => {
            let message = e.message();
            assert!(
                !message.chars().any(char::is_control),
                "a control character in {message:?}"
            );
            assert!(
                message.len() <= 8192,
                "a message of {} bytes",
                message.len()
            );
            for line in file.lines() {
                let Some((key, value)) = line.split_once(['=', ':']) else {
                    continue;
                };
                let value = value.split([' ', '\t']).next().unwrap_or_default().trim();
                // Names are quoted by design: the caller's profile, the file's section names.
                let quoted_as_a_name = profile.is_some_and(|p| p.contains(value))
                    || file
                        .lines()
                        .any(|l| l.trim_start().starts_with('[') && l.contains(value));
                if key.trim().eq_ignore_ascii_case("R3_SECRET_ACCESS_KEY")
                    && value.len() >= 12
                    && !quoted_as_a_name
                {
                    assert!(!message.contains(value), "the secret in {message:?}");
                }
            }
        }
    }
});
