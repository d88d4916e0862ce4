//! Response decoding: an arbitrary status, headers and body through every path the client
//! has for a response (GraphQL data, errors and the operations' data; REST replies; status
//! errors with `Retry-After`, `Date` and `Location`; the API's warnings; transport failures
//! quoting the peer).
//!
//! The input is `flags status_lo status_hi` then NUL-separated fields: `sent date retry-after
//! location warning transport-error body` (the body is the rest, NULs included; a field left
//! out is absent). `sent` is one more signature the request carried when it is shaped like one
//! (43 to 88 standard base64 characters, `=` padding allowed), besides two fixed ones. With
//! flag bit 0 set, the first `~` of the body becomes 70,000 copies of the 1 to 4 bytes after
//! it (a large body from a small input).
//!
//! Besides not panicking, every text that reaches the caller (each error's message and
//! `Debug`, each log line) is bounded in length, has no raw control character (nor
//! bidirectional override), and never contains a signature the request carried, in the
//! standard or the URL-safe base64 alphabet, with or without its padding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use remoteit::fuzzing::{Response, decode_response};

/// The longest text a response may make the library show.
const MAX_TEXT: usize = 16 * 1024;

/// Signatures the request carried in every run (a cavage one and an RFC 9421 one: 32-byte
/// HMACs in standard base64).
const FIXED_SENT: [&str; 2] = [
    "xNANaA4IuvVLRFMAc/e2oKV5SeiHI5pKyUvQn8d+nP8=",
    "n+/8qDtL8rH0fZsS0PhzYL3CMdYQb0SmZ4qvQ8PPZ+c=",
];

fn signature_shaped(text: &str) -> bool {
    let core = text.trim_end_matches('=');
    (43..=88).contains(&core.len())
        && text.len() - core.len() <= 2
        && core
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fuzz_target!(|data: &[u8]| {
    let Some((&[flags, lo, hi], rest)) = data.split_first_chunk::<3>() else {
        return;
    };
    let status = 100 + u16::from_le_bytes([lo, hi]) % 900;
    let mut fields = rest.splitn(7, |&b| b == 0);
    let mut text = || {
        fields
            .next()
            .map(|f| String::from_utf8_lossy(f).into_owned())
    };
    let candidate = text();
    let (date, retry_after, location, warning, transport_error) =
        (text(), text(), text(), text(), text());
    let mut body = fields.next().unwrap_or_default().to_vec();
    if flags & 1 == 1 {
        if let Some(at) = body.iter().position(|&b| b == b'~') {
            let unit_len = (body.len() - at - 1).clamp(1, 4);
            let unit: Vec<u8> = body
                .get(at + 1..at + 1 + unit_len)
                .map_or_else(|| b"~".to_vec(), <[u8]>::to_vec);
            let big: Vec<u8> = unit
                .iter()
                .copied()
                .cycle()
                .take(70_000 * unit.len())
                .collect();
            body.splice(at..at + 1, big);
        }
    }
    let mut sent: Vec<String> = FIXED_SENT.iter().map(|s| (*s).to_owned()).collect();
    if let Some(candidate) = candidate.filter(|c| signature_shaped(c)) {
        sent.push(candidate);
    }
    let response = Response {
        status,
        date: date.as_deref(),
        retry_after: retry_after.as_deref(),
        location: location.as_deref(),
        warning: warning.as_deref(),
        transport_error: transport_error.as_deref(),
        body: &body,
        sent: &sent,
    };
    let forms: Vec<String> = sent
        .iter()
        .flat_map(|s| {
            let core = s.trim_end_matches('=');
            [core.to_owned(), core.replace('+', "-").replace('/', "_")]
        })
        .collect();
    for shown in decode_response(&response) {
        assert!(
            shown.len() <= MAX_TEXT,
            "a text of {} bytes: {:?}…",
            shown.len(),
            &shown.chars().take(300).collect::<String>()
        );
        assert!(
            !shown.chars().any(|c| c.is_control() || is_bidi_control(c)),
            "a control character in {shown:?}"
        );
        for form in &forms {
            assert!(
                !shown.contains(form.as_str()),
                "the signature {form} in {shown:?}"
            );
        }
    }
});
