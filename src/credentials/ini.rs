//! The INI syntax of credentials files, parsed without copying: sections and keys borrow
//! from the file's text, so the secret exists only there.

use std::collections::HashMap;

use super::DEFAULT_PROFILE;

/// One section of a credentials file: `[name]`, or the keys before any section (`name` None).
/// Keys and values borrow from the file's text, so no copy of the secret is made.
pub(super) struct Section<'a> {
    pub(super) name: Option<&'a str>,
    entries: Vec<(&'a str, &'a str)>,
}

impl<'a> Section<'a> {
    /// The value of `key` (matched case-insensitively; the last one wins); empty counts as
    /// absent.
    pub(super) fn get(&self, key: &str) -> Option<&'a str> {
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
///
/// Linear in the size of the text: a section header is looked up by name in a map, not by
/// scanning the sections seen so far.
pub(super) fn parse_ini(text: &str) -> std::result::Result<Vec<Section<'_>>, String> {
    let mut sections = vec![Section {
        name: None,
        entries: Vec::new(),
    }];
    let mut index_of: HashMap<&str, usize> = HashMap::new();
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
            current = *index_of.entry(name).or_insert_with(|| {
                sections.push(Section {
                    name: Some(name),
                    entries: Vec::new(),
                });
                sections.len() - 1
            });
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
/// profile only, the keys written before any section. One pass per rule, without allocating
/// per section.
pub(super) fn find_profile<'s, 'a>(
    sections: &'s [Section<'a>],
    profile: &str,
) -> Option<&'s Section<'a>> {
    let same_ignoring_case = |name: &str| {
        name.chars()
            .flat_map(char::to_lowercase)
            .eq(profile.chars().flat_map(char::to_lowercase))
    };
    sections
        .iter()
        .find(|s| s.name == Some(profile))
        .or_else(|| {
            sections
                .iter()
                .find(|s| s.name.is_some_and(same_ignoring_case))
        })
        .or_else(|| {
            let general = sections.iter().find(|s| s.name.is_none())?;
            (profile.eq_ignore_ascii_case(DEFAULT_PROFILE) && !general.entries.is_empty())
                .then_some(general)
        })
}
