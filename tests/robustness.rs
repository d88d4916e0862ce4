//! Bad input gets an error, never a panic: many pseudo-random inputs (a fixed seed, so every
//! run checks the same ones) through the parsers that take user text.

mod common;

use common::record_error;
use remoteit::signing::{Request, Scheme, cavage, sign};
use remoteit::{Credentials, ErrorKind};

/// xorshift64*: a small deterministic generator, enough to spread inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A string mixing URL and INI punctuation, ASCII, controls and multi-byte characters.
    fn text(&mut self, max_len: usize) -> String {
        const PIECES: &[&str] = &[
            "https://",
            "http://",
            "[",
            "]",
            ":",
            "@",
            "/",
            "?",
            "#",
            "%",
            "%4",
            "%41",
            "=",
            ";",
            "\n",
            "\r\n",
            " ",
            "\t",
            "\0",
            "a",
            "Z",
            "9",
            "-",
            ".",
            "_",
            "~",
            "\"",
            "\\",
            "é",
            "☕",
            "\u{feff}",
            "R3_ACCESS_KEY_ID",
            "R3_SECRET_ACCESS_KEY",
            "DEFAULT",
            "c2VjcmV0",
            "::1",
            "127.0.0.1",
            "65536",
            "443",
            "<",
            ">",
            "`",
            "{",
            "}",
        ];
        let len = (self.next() as usize) % (max_len + 1);
        (0..len)
            .map(|_| PIECES[(self.next() as usize) % PIECES.len()])
            .collect()
    }
}

#[test]
fn random_urls_methods_and_content_types_never_panic() {
    let creds = Credentials::new("ID", "c2VjcmV0", None).unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _ in 0..20_000 {
        let url = rng.text(12);
        let method = rng.text(2);
        let content_type = rng.text(3);
        let request = Request {
            method: &method,
            url: &url,
            content_type: Some(&content_type),
            body: b"{}",
        };
        for scheme in [Scheme::Cavage, Scheme::Rfc9421] {
            if let Err(e) = sign(&creds, scheme, &request, Some(1)) {
                record_error(&e);
                assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{url:?}: {e}");
                assert!(!e.message().is_empty());
            }
        }
        let _ = cavage::remoteit_signing_string(&method, &url, None, 0, Some(1));
    }
}

#[test]
fn random_credentials_files_never_panic() {
    let dir = std::env::temp_dir().join(format!("remoteit-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("credentials");
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    for _ in 0..3_000 {
        let text = rng.text(40);
        std::fs::write(&path, &text).unwrap();
        let profile = rng.text(2);
        let profile = (!profile.contains('\0')).then_some(profile);
        if let Err(e) = Credentials::from_file(&path, profile.as_deref()) {
            record_error(&e);
            let expected = [
                ErrorKind::InvalidArgument,
                ErrorKind::CredentialsInvalid,
                ErrorKind::ProfileNotFound,
                ErrorKind::CredentialsIncomplete,
                ErrorKind::SecretInvalid,
            ];
            assert!(expected.contains(&e.kind()), "{:?}: {e}", e.kind());
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
