//! Whether a GraphQL document has side effects: it does when one of its operations is a
//! `mutation`. Decided from the operation keywords at the top level of the document, skipping
//! strings, block strings, comments and everything inside braces, parentheses and brackets.

/// True when an operation of `document` is a `mutation` (or a `subscription`, which is not a
/// request to repeat either). Anything unreadable counts as a mutation: when in doubt, no retry.
pub(crate) fn has_side_effects(document: &str) -> bool {
    let bytes = document.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' => match skip_string(bytes, i) {
                Some(end) => i = end,
                None => return true,
            },
            b'{' | b'(' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b')' | b']' => {
                if depth == 0 {
                    return true;
                }
                depth -= 1;
                i += 1;
            }
            b if is_name_start(b) => {
                let start = i;
                while i < bytes.len() && is_name_continue(bytes[i]) {
                    i += 1;
                }
                if depth == 0 && matches!(&document[start..i], "mutation" | "subscription") {
                    return true;
                }
            }
            _ => i += 1,
        }
    }
    depth != 0
}

/// The index just past the string that starts at `start` (a `"` or a `"""` block string).
fn skip_string(bytes: &[u8], start: usize) -> Option<usize> {
    if bytes[start..].starts_with(b"\"\"\"") {
        let mut i = start + 3;
        while i < bytes.len() {
            if bytes[i..].starts_with(b"\\\"\"\"") {
                i += 4;
            } else if bytes[i..].starts_with(b"\"\"\"") {
                return Some(i + 3);
            } else {
                i += 1;
            }
        }
        return None;
    }
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' | b'\r' => return None,
            _ => i += 1,
        }
    }
    None
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::has_side_effects;

    #[test]
    fn queries_have_no_side_effects() {
        for doc in [
            "{ login { email } }",
            "query { login { id } }",
            "query Q($m: String = \"mutation\") { login { id } }",
            "# mutation in a comment\nquery { login { mutation: id } }",
            "query { a(s: \"\"\"a mutation \\\"\"\" here\"\"\") }",
            "fragment F on User { id } query { login { ...F } }",
        ] {
            assert!(!has_side_effects(doc), "{doc}");
        }
    }

    #[test]
    fn mutations_have_side_effects() {
        for doc in [
            "mutation { disconnect(connectionId: \"x\") }",
            "mutation Connect($s: String!) { connect(serviceId: $s) { id } }",
            "query A { login { id } }\nmutation B { x }",
            "  # comment\n mutation{x}",
            "subscription { events }",
        ] {
            assert!(has_side_effects(doc), "{doc}");
        }
    }

    #[test]
    fn unreadable_documents_count_as_mutations() {
        for doc in ["query { a(s: \"unterminated) }", "{ login ", "} query {"] {
            assert!(has_side_effects(doc), "{doc}");
        }
    }
}
