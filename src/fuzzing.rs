//! Entry points for the fuzz targets in `fuzz/` (the `fuzzing` feature, off by default): the
//! internal parsers a fuzzer should reach directly. Not a public API.

use std::path::Path;

use crate::credentials::Credentials;
use crate::error::Result;

/// Parses `text` as a credentials file and reads `profile` from it (`None`: `DEFAULT`), as
/// loading a file does after reading it.
pub fn credentials_from_text(text: &str, profile: Option<&str>) -> Result<Credentials> {
    Credentials::from_text(text, Path::new("fuzz-input"), profile)
}
