//! Server text on its way into a message or a log line: every piece of it goes through
//! [`server_text`], which redacts anything shaped like a signature, escapes control characters
//! and bounds the length.

use crate::error::printable;

/// The shortest run of base64 characters treated as a signature: an HMAC-SHA256 tag is 32
/// bytes, 43 characters without padding.
const MIN_SIGNATURE_RUN: usize = 43;

/// The longest part of a signature this call sent that may be shown: any longer run of its
/// characters (an echo of all but a few of them would leave only a few to guess) is redacted.
const MAX_SHOWN_PART: usize = 15;

/// What replaces a redacted signature.
const REDACTED: &str = "[redacted]";

/// `text` (from the server) fit for a message: signatures redacted (see [`redact`]), control
/// characters escaped, at most `limit` characters.
pub(crate) fn server_text(text: &str, sent: &[String], limit: usize) -> String {
    // At most `limit` characters are shown: redact only what can be (with room for escapes
    // and a signature across the cut, whose shown part the sent-signature rule still sees),
    // not a whole 16 MiB body. JSON's escaped slash `\/` is a `/`: read as one, it cannot
    // split a signature into parts too short to be recognized.
    let text = head(text, limit.saturating_mul(8).saturating_add(128));
    let text = text.replace("\\/", "/");
    // Escaping can join what redaction saw apart (`\n` and 42 characters reads `n` and 42
    // characters): the escaped text is redacted again.
    redact(&printable(&redact(&text, sent), limit), sent)
}

/// The first `max_bytes` bytes of `text`, at a character boundary.
fn head(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` with every run of 43 or more characters of either base64 alphabet (standard `+/` or
/// URL-safe `-_`) replaced, and every signature in `sent` (the ones this call put on the wire)
/// replaced too when the server echoes it split by whitespace or in the other alphabet.
pub(crate) fn redact(text: &str, sent: &[String]) -> String {
    redact_runs(&redact_sent(text, sent))
}

fn is_base64(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_')
}

fn redact_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_base64) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let len = run.find(|c: char| !is_base64(c)).unwrap_or(run.len());
        if len >= MIN_SIGNATURE_RUN {
            out.push_str(REDACTED);
            rest = run[len..].trim_start_matches('=');
        } else {
            out.push_str(&run[..len]);
            rest = &run[len..];
        }
    }
    out.push_str(rest);
    out
}

/// `text` with each of the `sent` signatures replaced wherever it appears once whitespace is
/// ignored and the URL-safe alphabet is read as the standard one.
fn redact_sent(text: &str, sent: &[String]) -> String {
    // The text's base64-relevant characters, normalized, each with its byte range in `text`.
    let mut normal = String::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        normal.push(match c {
            '-' => '+',
            '_' => '/',
            other => other,
        });
        spans.push((at, at + c.len_utf8()));
        // A character wider than one byte still takes one slot per byte in `normal`.
        for _ in 1..c.len_utf8() {
            spans.push((at, at + c.len_utf8()));
        }
    }
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for signature in sent {
        let needle = signature.trim_end_matches('=');
        if needle.len() < MIN_SIGNATURE_RUN {
            continue;
        }
        // Any part of it longer than MAX_SHOWN_PART, wherever it is (overlapping cuts merge).
        let part_len = MAX_SHOWN_PART + 1;
        for part_start in 0..=needle.len() - part_len {
            let part = &needle[part_start..part_start + part_len];
            let mut from = 0;
            while let Some(found) = normal[from..].find(part) {
                let first = from + found;
                cuts.push((spans[first].0, spans[first + part_len - 1].1));
                from = first + 1;
            }
        }
        let mut from = 0;
        while let Some(found) = normal[from..].find(needle) {
            let first = from + found;
            let last = first + needle.len() - 1;
            let end = spans[last].1;
            let padding = text[end..].len() - text[end..].trim_start_matches('=').len();
            cuts.push((spans[first].0, end + padding));
            from = last + 1;
        }
    }
    if cuts.is_empty() {
        return text.to_owned();
    }
    cuts.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    for (start, end) in cuts {
        if start < kept {
            kept = kept.max(end);
            continue;
        }
        out.push_str(&text[kept..start]);
        out.push_str(REDACTED);
        kept = end;
    }
    out.push_str(&text[kept..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::failure::{StatusContext, status_error};
    use crate::client::response::graphql_data;

    const SIG: &str = "xNANaA4IuvVLRFMAc/e2oKV5SeiHI5pKyUvQn8d+nP8=";

    #[test]
    fn server_text_shaped_like_a_signature_is_redacted() {
        let echoed = format!(
            r#"{{"message":"could not verify Authorization: Signature keyId=\"ID\",signature=\"{SIG}\""}}"#
        );
        let err = status_error(401, echoed.as_bytes(), &StatusContext::new("u"));
        assert!(!err.message().contains(&SIG[..20]), "{err}");
        assert!(err.message().contains("signature=\"[redacted]\""), "{err}");
        let body = format!(r#"{{"errors":[{{"message":"bad remoteit=:{SIG}:"}}]}}"#);
        let err = graphql_data(body.as_bytes(), &[]).unwrap_err();
        assert!(err.message().contains("bad remoteit=:[redacted]:"), "{err}");
        assert_eq!(
            redact("Service not found: 80:00:00:00:01:00:00:99", &[]),
            "Service not found: 80:00:00:00:01:00:00:99"
        );
    }

    #[test]
    fn url_safe_base64_signatures_are_redacted() {
        let url_safe = SIG.replace('+', "-").replace('/', "_");
        let shown = redact(&format!("got {url_safe} here"), &[]);
        assert_eq!(shown, "got [redacted] here");
    }

    #[test]
    fn a_sent_signature_split_by_spaces_is_redacted() {
        let split: String = SIG
            .as_bytes()
            .chunks(8)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        let shown = redact(&format!("seen: {split} (bad)"), &[SIG.to_owned()]);
        assert_eq!(shown, "seen: [redacted] (bad)");
        assert!(!shown.contains(&SIG[..8]));
    }

    #[test]
    fn any_part_of_a_sent_signature_longer_than_15_characters_is_redacted() {
        let sent = [SIG.to_owned()];
        let body = SIG.trim_end_matches('=');
        // All but one character (the generic rule needs 43 in a row), at either end.
        for part in [&body[..body.len() - 1], &body[1..]] {
            let shown = redact(&format!("echo: {part}!"), &sent);
            assert_eq!(shown, "echo: [redacted]!", "{part}");
        }
        // Two halves in two places, one of them in the URL-safe alphabet.
        let (a, b) = body.split_at(21);
        let b = b.replace('+', "-").replace('/', "_");
        let shown = redact(&format!("first {a}, then {b}."), &sent);
        assert_eq!(shown, "first [redacted], then [redacted].");
        // 16 characters are redacted, 15 are not (they leave 28 to guess).
        let shown = redact(
            &format!("x {} y {} z", &body[5..21], &body[30..45.min(body.len())]),
            &sent,
        );
        assert!(shown.starts_with("x [redacted] y "), "{shown}");
        assert!(shown.contains(&body[30..45.min(body.len())]), "{shown}");
        // Without the signature in `sent`, only the generic rule applies.
        assert_eq!(
            redact(&format!("echo: {}!", &body[1..]), &[]),
            format!("echo: {}!", &body[1..])
        );
    }

    #[test]
    fn a_signature_with_json_escaped_slashes_is_redacted() {
        let escaped = SIG.replace('/', "\\/");
        assert!(escaped.contains("\\/"));
        let shown = server_text(&format!("{{\"sig\":\"{escaped}\"}}"), &[], 200);
        assert!(
            shown.contains("[redacted]") && !shown.contains(&SIG[..10]),
            "{shown}"
        );
        let shown = server_text(&format!("sig {escaped}"), &[SIG.to_owned()], 200);
        assert_eq!(shown, "sig [redacted]");
    }

    #[test]
    fn a_huge_text_is_cut_before_it_is_redacted() {
        let huge = format!("{SIG} {}", "a b ".repeat(4_000_000));
        let shown = server_text(&huge, &[SIG.to_owned()], 120);
        assert!(shown.starts_with("[redacted] a b"), "{shown}");
        assert!(shown.chars().count() <= 130, "{}", shown.len());
        // A multi-byte character at the cut.
        let text = format!("{}é{}", ".".repeat(8 * 10 + 127), "y".repeat(50));
        assert_eq!(
            server_text(&text, &[], 10)
                .chars()
                .take(10)
                .collect::<String>(),
            ".".repeat(10)
        );
    }

    #[test]
    fn ordinary_sentences_are_not_redacted() {
        let text = "Device garage pi is offline since Monday and will be retried later today";
        assert_eq!(redact(text, &[SIG.to_owned()]), text);
    }

    /// Found while writing the `response` fuzz target: the escape of a newline joined its `n`
    /// to the 42 characters after it, which spelled a signature starting with `n`.
    #[test]
    fn an_escape_does_not_complete_a_signature() {
        let sig = "nQ2mZ0m1rG3c8bQ9w0pN4x7yKk5L1tVvU2sE6aR8fHo=";
        for sent in [vec![], vec![sig.to_owned()]] {
            let shown = server_text(&format!("x\n{}", &sig[1..]), &sent, 200);
            assert!(!shown.contains(&sig[..43]), "{shown}");
        }
    }

    #[test]
    fn server_text_escapes_control_characters_and_bounds_the_length() {
        let shown = server_text(&format!("a\x1b[2Jb\n{}", "x".repeat(1000)), &[], 20);
        assert!(shown.starts_with("a\\u{1b}[2Jb\\n"), "{shown}");
        assert!(shown.chars().count() <= 30, "{shown}");
    }
}
